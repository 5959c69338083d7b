block { a = 1 }
empty {}
labels "a" "b" {}
spaced    "a"   {   }
