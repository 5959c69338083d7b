a = "${{a=1}}"
b = "%{if true}${{}}%{endif}"
