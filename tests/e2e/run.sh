#!/bin/sh
# run.sh - the end-to-end tests: every folder under an area's folder
# (input/, allocation/, invoice/, journal/, corrections/, einvoice/,
# ledger/, year/, install/) is one case.
#
# A case runs samfakt in a fresh temporary folder holding a base (the small
# fixture/ cooperation, or with a file `base` saying "examples", the
# repository's own config/ and input/), overlaid with the case's own files.
#
#   args     one samfakt invocation per line; all but the last must exit 0
#            (examples also copies templates/)
#   script   instead of args: a shell script run with $SAMFAKT (and $REPO,
#            the repository) ; must exit 0
#   status   expected exit status of the last invocation (default 0)
#   stderr   expected standard error of the last invocation, exactly
#   stdout   expected standard output of the last invocation, exactly
#   pdf      lines "FILE.pdf :: text": pdftotext -layout FILE must contain text
#   files    paths that must exist afterwards; absent: paths that must not
#   golden/  the text users read of outputs, as it must be: golden/P.pdf.txt
#            (pdftotext -layout of P.pdf), golden/P.si.txt (the SIE file in
#            UTF-8), golden/P.xml (the e-invoice, its PDF left out), or any
#            other golden/P (the file as it is); bless.sh writes them
#
# A case expecting a non-zero status also proves that the last invocation
# left the output folder exactly as it found it.
#
# Usage: tests/e2e/run.sh ./samfakt [CASE...]; SAMFAKT_WRAPPER runs samfakt
# under another program (valgrind); E2E_JOBS cases at once (default: one
# per core).

set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/case.sh"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
SAMFAKT="${SAMFAKT_WRAPPER:-} $bin"
REPO=$repo
export SAMFAKT REPO

passed=0
failed=0
failures=""

snapshot() {
	# Every file below output/ with its checksum, the lock file aside.
	if [ -d "$1/output" ]; then
		(cd "$1" && find output -type f ! -name .samfakt.lock -print0 | sort -z |
			xargs -0 -r md5sum)
	fi
}

run_case() {
	case_dir=$1
	name=${case_dir#$here/}
	tmp=$(mktemp -d)
	lay_out_case "$case_dir" "$tmp"
	why=""

	if [ -f "$case_dir/script" ]; then
		(cd "$tmp" && sh ./script >"$tmp/.stdout" 2>"$tmp/.stderr")
		rc=$?
		[ $rc -eq 0 ] || why="script exited $rc: $(tail -5 "$tmp/.stderr")"
	else
		n=$(grep -c '' "$case_dir/args")
		i=0
		while IFS= read -r line; do
			i=$((i + 1))
			if [ $i -eq "$n" ]; then
				before=$(snapshot "$tmp")
			fi
			# shellcheck disable=SC2086
			(cd "$tmp" && eval "$SAMFAKT $line" >"$tmp/.stdout" 2>"$tmp/.stderr")
			rc=$?
			if [ $i -lt "$n" ] && [ $rc -ne 0 ]; then
				why="step $i ($line) exited $rc: $(cat "$tmp/.stderr")"
				break
			fi
		done <"$case_dir/args"
		want=0
		[ -f "$case_dir/status" ] && want=$(cat "$case_dir/status")
		if [ -z "$why" ] && [ "$rc" -ne "$want" ]; then
			why="exit status $rc, expected $want; stderr: $(cat "$tmp/.stderr")"
		fi
		if [ -z "$why" ] && [ -f "$case_dir/stderr" ] &&
			! diff -u "$case_dir/stderr" "$tmp/.stderr" >"$tmp/.diff"; then
			why="stderr differs:
$(cat "$tmp/.diff")"
		fi
		if [ -z "$why" ] && [ -f "$case_dir/stdout" ] &&
			! diff -u "$case_dir/stdout" "$tmp/.stdout" >"$tmp/.diff"; then
			why="stdout differs:
$(cat "$tmp/.diff")"
		fi
		if [ -z "$why" ] && [ "$want" -ne 0 ] && [ "$(snapshot "$tmp")" != "$before" ]; then
			why="a failed run changed the output folder"
		fi
	fi

	if [ -z "$why" ] && [ -f "$case_dir/pdf" ]; then
		while IFS= read -r line; do
			file=${line%% :: *}
			text=${line#* :: }
			if ! pdftotext -layout "$tmp/$file" - 2>/dev/null | grep -qF -- "$text"; then
				why="$file does not contain: $text"
				break
			fi
		done <"$case_dir/pdf"
	fi
	if [ -z "$why" ] && [ -d "$case_dir/golden" ]; then
		for g in $(cd "$case_dir/golden" && find . -type f | sed 's|^\./||' | sort); do
			if ! golden_text "$tmp" "$g" >"$tmp/.golden" 2>&1 ||
				! diff -u "$case_dir/golden/$g" "$tmp/.golden" >"$tmp/.diff"; then
				why="$g is not its golden (tests/e2e/bless.sh records what it is now):
$(head -40 "$tmp/.diff")"
				break
			fi
		done
	fi
	if [ -z "$why" ] && [ -f "$case_dir/files" ]; then
		while IFS= read -r f; do
			[ -e "$tmp/$f" ] || { why="missing: $f"; break; }
		done <"$case_dir/files"
	fi
	if [ -z "$why" ] && [ -f "$case_dir/absent" ]; then
		while IFS= read -r f; do
			[ ! -e "$tmp/$f" ] || { why="should not exist: $f"; break; }
		done <"$case_dir/absent"
	fi

	if [ -z "$why" ]; then
		passed=$((passed + 1))
		rm -rf "$tmp"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		printf 'FAIL %s: %s\n  (kept %s)\n' "$name" "$why" "$tmp"
	fi
}

if [ $# -gt 0 ]; then
	for c in "$@"; do
		d=$(find_case "$c")
		if [ -z "$d" ]; then
			failed=$((failed + 1))
			failures="$failures $c"
			echo "FAIL $c: no such case"
		else
			run_case "$d"
		fi
	done
elif [ "${E2E_JOBS:-$(nproc)}" -gt 1 ] && [ -z "${E2E_SHARD:-}" ]; then
	# Every case in E2E_JOBS shards at once (cases are independent: each
	# runs in a folder of its own), dealt round-robin so that the long
	# year/ and journal/ cases spread; each shard reports as one run.
	jobs=${E2E_JOBS:-$(nproc)}
	logs=$(mktemp -d)
	all_cases | sed "s|^$here/||" >"$logs/cases"
	k=0
	while [ $k -lt "$jobs" ]; do
		awk -v k=$k -v n="$jobs" 'NR % n == k' "$logs/cases" >"$logs/list.$k"
		# shellcheck disable=SC2046
		E2E_SHARD=$k sh "$0" "$bin" $(cat "$logs/list.$k") >"$logs/out.$k" 2>&1 &
		k=$((k + 1))
	done
	wait
	k=0
	while [ $k -lt "$jobs" ]; do
		grep -v '^e2e: \|^failed:' "$logs/out.$k"
		p=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$logs/out.$k")
		f=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$logs/out.$k")
		[ -n "$p" ] || { p=0; f=1; failures="$failures shard-$k"; }
		passed=$((passed + p))
		failed=$((failed + f))
		failures="$failures$(sed -n 's/^failed://p' "$logs/out.$k")"
		k=$((k + 1))
	done
	rm -rf "$logs"
else
	for c in $(all_cases); do run_case "$c"; done
fi
[ $failed -eq 0 ] || echo "failed:$failures"
echo "e2e: $passed passed, $failed failed"
[ $failed -eq 0 ]
