#!/bin/sh
# same-outputs.sh REV - are the outputs of this checkout byte for byte
# those of revision REV? For a change that must change nothing a user
# reads (a renovation, a refactor): REV is built in a worktree of its own,
# and both samfakts run one scenario, each in a folder of its own: both
# examples built, H1 issued on 2015-12-20, an invoice credited, H2 issued,
# a population corrected, both ledger years exported, check's report, and
# a 290-member national cooperation built on two cores and issued. Every
# file they write is compared (the number series aside: it holds the
# folder's absolute path).
#
# Usage: tests/same-outputs.sh REV   (make samfakt first)
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
rev=${1:?usage: tests/same-outputs.sh REV}
work=$(mktemp -d)
trap 'git -C "$repo" worktree remove --force "$work/old" 2>/dev/null; rm -rf "$work"' EXIT
git -C "$repo" worktree add -q "$work/old" "$rev"
make -s -C "$work/old" samfakt >/dev/null
cc -O2 -o "$work/gen" "$repo/tests/bench/gen.c"

scenario() {	# BIN DIR: run the scenario, print every output's MD5
	bin=$1
	mkdir -p "$2"
	cp -r "$repo/config" "$repo/input" "$repo/templates" "$2/"
	(
		cd "$2"
		export SOURCE_DATE_EPOCH=1450000000
		$bin -q build
		$bin -q build -c config/kalmar.ini
		$bin -q issue H1 --new-journal --date 2015-12-20
		$bin -q credit 2016-0003 --reason "Fel" --date 2016-01-10
		$bin -q issue H2 --date 2016-06-20
		$bin -q issue H1 --new-journal -c config/kalmar.ini --date 2010-01-01
		sed -i 's/^\(boden,.*\),27840,/\1,27841,/' input/members.csv
		$bin -q build
		$bin -q correct H2 --reason "Invånare" --date 2016-07-01
		$bin -q export sie 2015
		$bin -q export sie
		$bin -q build
		$bin check >check.txt 2>&1 || true
		"$work/gen" nat 290 60 2026 >/dev/null
		mkdir -p nat/templates && cp "$repo/tests/bench/verksamhetsplan.md" nat/templates/
		SAMFAKT_JOBS=2 $bin -q build -c nat/config.ini --date 2020-01-01
		$bin -q issue Q1 --new-journal -c nat/config.ini --date 2020-01-01
		find . -type f ! -name .samfakt.lock ! -name 'nummerserier.csv*' ! -path './config/*' ! -path './input/*' \
			! -path './templates/*' | sort | xargs md5sum
	)
}
scenario "$work/old/samfakt" "$work/a" >"$work/a.md5"
scenario "$repo/samfakt" "$work/b" >"$work/b.md5"
if diff "$work/a.md5" "$work/b.md5"; then
	echo "same-outputs: $(wc -l <"$work/a.md5") files, byte for byte those of $rev"
else
	echo "same-outputs: the files above differ from $rev's" >&2
	exit 1
fi
