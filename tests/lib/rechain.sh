#!/bin/sh
# rechain.sh JOURNAL - what a hostile hand does after editing a row: makes
# every row's hash follow from the row before again, as samfakt computes it
# (SHA-256 of the previous hash, a newline, and the row's cells as written
# without the hash). Only for journals without extra columns.
set -eu
j=$1
tmp=$j.rechain
prev=""
first=1
while IFS= read -r line || [ -n "$line" ]; do
	if [ $first = 1 ]; then
		printf '%s\n' "$line" >"$tmp"
		first=0
		continue
	fi
	cells=${line%,*}
	prev=$(printf '%s\n%s' "$prev" "$cells" | sha256sum | cut -d' ' -f1)
	printf '%s,%s\n' "$cells" "$prev" >>"$tmp"
done <"$j"
mv "$tmp" "$j"
