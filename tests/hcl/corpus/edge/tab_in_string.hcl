a = "tab	here"
