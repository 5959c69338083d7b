a = "ééé" * 2
