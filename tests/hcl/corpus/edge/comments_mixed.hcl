# hash
// slash
/* block
   comment */ a = /* inline */ 1 # trailing
/* /* not nested */
