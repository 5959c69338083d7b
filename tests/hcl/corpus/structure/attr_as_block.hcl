name {
}
settings = {}
