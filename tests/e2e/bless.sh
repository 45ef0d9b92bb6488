#!/bin/sh
# bless.sh - write the expected stderr (and status) of the named cases from
# what samfakt prints now. Review the result with `git diff` before
# committing: a blessed mistake is a test that proves nothing.
#
# Usage: tests/e2e/bless.sh ./samfakt CASE...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/case.sh"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
for name in "$@"; do
	c="$here/cases/$name"
	tmp=$(mktemp -d)
	lay_out_case "$c" "$tmp"
	rc=0
	while IFS= read -r line; do
		rc=0
		(cd "$tmp" && eval "$bin $line" >"$tmp/.stdout" 2>"$tmp/.stderr") || rc=$?
	done <"$c/args"
	cp "$tmp/.stderr" "$c/stderr"
	echo "$rc" >"$c/status"
	echo "$name: status $rc"
	rm -rf "$tmp"
done
