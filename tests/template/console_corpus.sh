# Differential console corpus: every expression of console/corpus.txt must
# print what Debian's Packer 1.6.6 printed (console/corpus.expected) and
# exit the same way, except the cases console/known-differences.txt lists
# with the reason (behaviour the newest Packer changed, or functions kiln's
# library does not have yet).
source "$(dirname "$0")/lib.sh"
dir=$here/console
cp "$dir/corpus.pkr.hcl" .
declare -A skip
if [ -f "$dir/known-differences.txt" ]; then
  while IFS=$'\t' read -r expr reason; do
    case "$expr" in '#'* | '') continue ;; esac
    skip["$expr"]=1
  done <"$dir/known-differences.txt"
fi
expr="" want="" n=0
while IFS= read -r line; do
  if [[ "$line" == '### rc '* ]]; then
    rc=${line#'### rc '}
    n=$((n + 1))
    if [ -n "${skip[$expr]+x}" ]; then
      echo "SKIP corpus-$n (known difference) $expr"
      continue
    fi
    got=$(printf '%s\n' "$expr" | "$KILN" console corpus.pkr.hcl 2>/dev/null)
    grc=$?
    want=${want%$'\n'}
    if [ "$got" = "$want" ] && [ "$grc" = "$rc" ]; then
      echo "PASS corpus-$n $expr"
    else
      echo "FAIL corpus-$n $expr (rc $grc, want $rc)"
      diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -12 | sed 's/^/    /'
    fi
  elif [[ "$line" == '### '* ]]; then
    expr=${line#'### '}
    want=""
  else
    want+="$line"$'\n'
  fi
done <"$dir/corpus.expected"
