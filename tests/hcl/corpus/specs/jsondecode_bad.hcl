a = "{bad"
