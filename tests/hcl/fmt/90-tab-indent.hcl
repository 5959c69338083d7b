locals {
	a = 1
	bb = {
		c = 2
	}
}
