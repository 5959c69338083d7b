a = "  leading and trailing  "
b = "tabs	in"
