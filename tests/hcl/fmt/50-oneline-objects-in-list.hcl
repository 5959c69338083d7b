servers = [
{name="a", type="cx22"},
{ name = "bb",type = "cx32" },
]
