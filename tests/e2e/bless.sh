#!/bin/sh
# bless.sh - record what samfakt does now as what a case expects: for a
# case of args, the standard error and status of its last step; for a case
# with goldens (golden/), the text of each output it names, as run.sh
# compares it (see golden_text in case.sh). With PATH arguments after the
# case, goldens of those outputs are added. Review the result with
# `git diff` before committing: a blessed mistake is a test that proves
# nothing.
#
# Usage: tests/e2e/bless.sh ./samfakt CASE [OUTPUT-GOLDEN-PATH...]
#   e.g. tests/e2e/bless.sh ./samfakt documents-golden \
#            output/2016/budget-2016.pdf.txt
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/case.sh"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
name=$2
shift 2
c=$(find_case "$name")
[ -n "$c" ] || { echo "bless: no case $name" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lay_out_case "$c" "$tmp"
rc=0
if [ -f "$c/script" ]; then
	(cd "$tmp" && SAMFAKT="$bin" REPO="$repo" sh ./script >"$tmp/.stdout" 2>"$tmp/.stderr") || rc=$?
	[ $rc -eq 0 ] || { echo "bless: $name: the script exited $rc" >&2; tail -5 "$tmp/.stderr" >&2; exit 1; }
else
	while IFS= read -r line; do
		rc=0
		(cd "$tmp" && eval "$bin $line" >"$tmp/.stdout" 2>"$tmp/.stderr") || rc=$?
	done <"$c/args"
	cp "$tmp/.stderr" "$c/stderr"
	echo "$rc" >"$c/status"
	echo "$name: status $rc"
fi
for g in "$@"; do
	mkdir -p "$c/golden/$(dirname "$g")"
	: >"$c/golden/$g"
done
if [ -d "$c/golden" ]; then
	for g in $(cd "$c/golden" && find . -type f | sed 's|^\./||' | sort); do
		golden_text "$tmp" "$g" >"$c/golden/$g"
		echo "$name: golden/$g"
	done
fi
