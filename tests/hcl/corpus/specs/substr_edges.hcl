a = "héllo👍🏽"
