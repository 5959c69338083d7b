a = shout("hey")
