a = "😀😀" + true
