a = x.c
