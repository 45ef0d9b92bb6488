#!/bin/sh
# run.sh - the benchmark (make bench). A national-scale cooperation (290
# members, four quarterly periods, 60 projects) generated from a seed,
# and one of 5 000 members.
#
# Every figure comes from rounds (BENCH_ROUNDS, 5): in each round every
# program of a section runs once, one after the other (samfakt, the
# floor, reportlab, ...), each into a folder made for it before the clock
# starts and synced; the median of the rounds counts, with the least and
# the most beside it. Runs alternate so that a ratio compares programs
# run at the same moments of these shared machines, not one program's
# good minute with another's bad one. CPU is user + system time from
# getrusage of the child (rusage.c: microseconds), memory its peak
# resident size (forked from rusage.c itself, so that the size of
# whatever started it does not count).
#
# 1. In a tmpfs (BENCH_DIR): the national build on one core and on both,
#    the floor (bare libharu drawing the words of samfakt's drafts, one
#    font loaded once a run, one core: floor.c) and reportlab
#    (rl_invoices.py, when python3-reportlab is installed).
# 2. On the disk (BENCH_DISK, default build/bench-disk): at 290 and 5 000
#    members, the build on one core, the floor, issue Q1, issue's floor
#    (the files issue Q1 wrote, copied into a fresh folder and put on disk
#    with one sync) and issue Q4 (the year's last: three quarters issued
#    before it); then check at the year's end, and the e-invoice without
#    its PDF. (BENCH_SIZES: other sizes than "290 5000".)
# Runs soon after many files were deleted (make test, an earlier bench)
# are slower: ext4 searches longer for free inodes for a few minutes.
# Nothing is deleted until the end.
#
# Usage: tests/bench/run.sh SAMFAKT GEN FLOOR RUSAGE FONT_DIR WORKDIR
set -eu
samfakt=$1 gen=$2 floor=$3 rusage=$4 fonts=$5
shift 4
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)/run-$$
mkdir "$work"
disk=${BENCH_DISK:-$(cd "$here/../.." && pwd)/build/bench-disk}
mkdir -p "$disk"
dwork=$(cd "$disk" && pwd)/run-$$
mkdir "$dwork"
trap 'rm -rf "$work" "$dwork"' EXIT
font=$fonts/DejaVuSans-slim.ttf
ROUNDS=${BENCH_ROUNDS:-5}

# ---- measuring ------------------------------------------------------------

# Run a command; append "cpu wall rss_kb user sys" to $work/res-$1.
measure() {
	step=$1
	shift
	"$rusage" "$work/time.txt" "$@" || {
		echo "bench: $step failed:" >&2
		cat "$work/time.txt.err" >&2
		exit 1
	}
	awk '{ printf "%.6f %.6f %d %.6f %.6f\n", $2 + $3, $1, $4, $2, $3 }' "$work/time.txt" >>"$work/res-$step"
}

# The median round of step $1 (by CPU, or by wall with $2 = wall): sets
# cpu, wall, rss_kb, user, sys, and spread ("least–most" of that figure).
median() {
	key=1
	[ "${2:-cpu}" = wall ] && key=2
	line=$(sort -g -k$key,$key "$work/res-$1" | sed -n "$((($(wc -l <"$work/res-$1") + 1) / 2))p")
	read -r cpu wall rss_kb user sys <<-EOF
	$line
	EOF
	spread=$(sort -g -k$key,$key "$work/res-$1" | awk -v k=$key 'NR == 1 { lo = $k } { hi = $k } END { printf "%.3f–%.3f", lo, hi }')
}

# The sum of the sizes of the PDFs under a folder, and their number.
pdf_bytes() { find "$1" -name '*.pdf' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
pdf_count() { find "$1" -name '*.pdf' | wc -l; }

header() {
	printf '%-9s %-24s %6s %7s %7s %6s %6s %8s %7s %9s  %s\n' case step docs wall_s cpu_s user sys \
		ms/doc rss_MB bytes/doc "CPU least–most (wall)"
}

# A line of the table for the median round of a step: CASE LABEL STEP DOCS
# BYTES [wall] (wall: the median by wall time, not CPU).
report() {
	median "$3" "${6:-cpu}"
	awk -v c="$1" -v s="$2" -v n="$4" -v b="$5" -v w="$wall" -v cpu="$cpu" -v u="$user" -v y="$sys" \
		-v rss="$rss_kb" -v sp="$spread" 'BEGIN {
		printf "%-9s %-24s %6d %7.2f %7.2f %6.2f %6.2f %8.3f %7.1f %9.0f  %s\n", c, s, n, w, cpu, u, y,
			(n > 0 ? cpu * 1000 / n : 0), rss / 1024, (n > 0 ? b / n : 0), sp }'
}

# A cooperation of $2 members from seed $3, in $1.
generate() {
	"$gen" "$1" "$2" 60 "$3"
	mkdir -p "$1/templates"
	cp "$here/verksamhetsplan.md" "$1/templates/"
}

# A copy of the cooperation $1 (inputs, or with $2 = all its output
# too) as a folder of its own, $3; synced.
copy_of() {
	mkdir "$3"
	if [ "${2:-}" = all ]; then
		cp -a "$1/." "$3/"
	else
		cp "$1"/*.csv "$1/config.ini" "$3/" && cp -r "$1/templates" "$3/"
	fi
	sync
}

echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "rounds: $ROUNDS, each program once a round, in turn; the median round counts"

# ---- 1. the national build, in the tmpfs ------------------------------------

echo
echo "in $work ($(stat -f -c %T "$work")):"
nat=$work/national
generate "$nat" 290 2026
# the drafts' words, for the floor and reportlab
copy_of "$nat" inputs "$work/words"
"$samfakt" -q build -c "$work/words/config.ini" --date 2020-01-01 2>/dev/null
drafts=$(pdf_count "$work/words/output/2020/utkast")
/usr/bin/python3 "$here/content.py" "$work/content.txt" $(find "$work/words/output/2020/utkast" -name '*.pdf' | sort)
reportlab=0
/usr/bin/python3 -c 'import reportlab' 2>/dev/null && reportlab=1
round=1
while [ $round -le "$ROUNDS" ]; do
	copy_of "$nat" inputs "$work/one-$round"
	measure build1 env SAMFAKT_JOBS=1 "$samfakt" build -c "$work/one-$round/config.ini" --date 2020-01-01
	copy_of "$nat" inputs "$work/all-$round"
	measure build "$samfakt" build -c "$work/all-$round/config.ini" --date 2020-01-01
	mkdir "$work/floor-$round" && sync
	measure floor "$floor" "$work/content.txt" "$work/floor-$round" "$font"
	if [ $reportlab = 1 ]; then
		mkdir "$work/rl0-$round" "$work/rl-$round" && sync
		measure python /usr/bin/python3 "$here/rl_invoices.py" "$work/content.txt" "$font" "$work/rl0-$round" 0
		measure reportlab /usr/bin/python3 "$here/rl_invoices.py" "$work/content.txt" "$font" "$work/rl-$round"
	fi
	round=$((round + 1))
done
header
draft_bytes=$(pdf_bytes "$work/one-1/output/2020/utkast")
report national "build, one core" build1 "$drafts" "$draft_bytes"
one_cpu=$cpu build_rss=$rss_kb
report national "build, both cores" build "$drafts" "$draft_bytes" wall
build_wall=$wall
report national "floor (libharu)" floor "$drafts" "$(pdf_bytes "$work/floor-1")"
floor_wall=$wall floor_cpu=$cpu
rl_cpu=
if [ $reportlab = 1 ]; then
	median python
	start=$cpu
	report national "reportlab" reportlab "$drafts" "$(pdf_bytes "$work/rl-1")"
	rl_cpu=$(echo "$cpu $start" | awk '{ printf "%.3f", $1 - $2 }')	# less starting Python
else
	echo "reportlab: skipped (python3-reportlab is not installed)"
fi
measure check "$samfakt" check -c "$work/one-1/config.ini"
report national "check" check 0 0
measure again "$samfakt" build -c "$work/one-1/config.ini" --date 2020-01-01
report national "build again" again 0 0
measure issue "$samfakt" issue Q1 --new-journal -c "$work/one-1/config.ini" --date 2020-01-01
issued=$(pdf_count "$work/one-1/output/2020/fakturor/Q1")
issued_bytes=$(pdf_bytes "$work/one-1/output/2020/fakturor/Q1")
report national "issue Q1" issue "$issued" "$issued_bytes"

# long texts (issue 23, item 8): every member's name one word of 200
# letters, the longest a name may have: each word is broken by characters
# in time linear in its length
long=$work/longtext
generate "$long" 290 2026
awk -F, 'BEGIN { OFS = ","; w = ""; for (i = 0; i < 200; i++) w = w "W" }
	FILENAME ~ /members/ && FNR > 1 { $2 = w } { print > (FILENAME ".new") }' "$long/members.csv"
mv "$long/members.csv.new" "$long/members.csv"
measure long "$samfakt" build -c "$long/config.ini" --date 2020-01-01
report "long text" "build" long "$(pdf_count "$long/output/2020/utkast")" "$(pdf_bytes "$long/output/2020/utkast")"

echo
echo "targets (national build, $drafts invoices, tmpfs):"
awk -v bw="$build_wall" -v fw="$floor_wall" -v oc="$one_cpu" -v fc="$floor_cpu" -v n="$drafts" -v rl="$rl_cpu" \
	-v db="$draft_bytes" -v ib="$issued_bytes" -v ni="$issued" -v rss="$build_rss" 'BEGIN {
	printf "  build wall (both cores) / floor wall (one core):  %.2f     (target <= 0.50)\n", bw / fw
	printf "  CPU per invoice, one core:                        %.3f ms (target <= 0.35 ms; floor %.3f ms: %.2f of it)\n",
		oc * 1000 / n, fc * 1000 / n, oc / fc
	if (rl != "")
		printf "  reportlab CPU / samfakt CPU, per invoice:         %.1f      (target >= 8)\n", (rl / n) / (oc / n)
	printf "  bytes per invoice: drafts %.0f, issued %.0f        (target <= 16 KB)\n", db / n, ib / ni
	printf "  peak memory, build:                               %.1f MB  (target <= 16 MB)\n", rss / 1024
}'

# ---- 2. history, the disk, memory, the e-invoice ---------------------------

echo
echo "on the disk: $dwork ($(stat -f -c %T "$dwork")):"
: >"$work/disk.txt"
for n in ${BENCH_SIZES:-290 5000}; do
	d0=$dwork/m$n	# the cooperation, nothing issued
	d3=$dwork/m$n-q3	# Q1 to Q3 issued
	generate "$d0" $n 2026
	copy_of "$d0" inputs "$d3"
	for qd in Q1:2020-01-01 Q2:2020-04-01 Q3:2020-07-01; do
		new=
		[ "${qd%%:*}" = Q1 ] && new=--new-journal
		"$samfakt" -q issue "${qd%%:*}" $new -c "$d3/config.ini" --date "${qd#*:}" >/dev/null 2>&1 ||
			{ echo "bench: issue ${qd%%:*} failed" >&2; exit 1; }
	done
	round=1
	while [ $round -le "$ROUNDS" ]; do
		r=$dwork/m$n-r$round
		copy_of "$d0" inputs "$r-build"
		measure "build$n" env SAMFAKT_JOBS=1 "$samfakt" build -c "$r-build/config.ini" --date 2020-01-01
		mkdir "$r-floor" && sync
		measure "floor$n" "$floor" "$work/content.txt" "$r-floor" "$font"
		copy_of "$d0" inputs "$r-q1"
		measure "q1_$n" "$samfakt" issue Q1 --new-journal -c "$r-q1/config.ini" --date 2020-01-01
		mkdir "$r-cp" && sync
		measure "cp$n" sh -c "cp -r '$r-q1/output/2020/fakturor/Q1' '$r-q1/output/fakturajournal-arkiv' '$r-q1/output/fakturajournal.csv' '$r-cp/' && sync"
		copy_of "$d3" all "$r-q4"
		measure "q4_$n" "$samfakt" issue Q4 -c "$r-q4/config.ini" --date 2020-10-01
		round=$((round + 1))
	done
	measure "check$n" "$samfakt" check -c "$dwork/m$n-r1-q4/config.ini"
	header
	b_docs=$(pdf_count "$dwork/m$n-r1-build/output/2020/utkast")
	report "m$n" "build, one core" "build$n" "$b_docs" "$(pdf_bytes "$dwork/m$n-r1-build/output/2020/utkast")"
	b_cpu=$cpu b_rss=$rss_kb
	report "m$n" "floor (libharu)" "floor$n" "$drafts" "$(pdf_bytes "$dwork/m$n-r1-floor")"
	f_cpu=$cpu
	q1=$(pdf_count "$dwork/m$n-r1-q1/output/2020/fakturor/Q1")
	report "m$n" "issue Q1" "q1_$n" "$q1" "$(pdf_bytes "$dwork/m$n-r1-q1/output/2020/fakturor/Q1")"
	q1_cpu=$cpu
	report "m$n" "issue Q1 (by wall)" "q1_$n" "$q1" 0 wall
	q1_wall=$wall
	report "m$n" "issue's floor (cp, sync)" "cp$n" "$q1" 0 wall
	cp_wall=$wall
	q4=$(pdf_count "$dwork/m$n-r1-q4/output/2020/fakturor/Q4")
	report "m$n" "issue Q4" "q4_$n" "$q4" "$(pdf_bytes "$dwork/m$n-r1-q4/output/2020/fakturor/Q4")"
	q4_cpu=$cpu q4_rss=$rss_kb
	report "m$n" "check, year end" "check$n" 0 0
	c_rss=$rss_kb
	echo "$n $b_docs $b_cpu $b_rss $drafts $f_cpu $q1 $q1_cpu $q1_wall $cp_wall $q4 $q4_cpu $q4_rss $c_rss" >>"$work/disk.txt"
done
# the e-invoice without its PDF
e=$dwork/nopdf
generate "$e" 290 2026
printf '\n[einvoice]\nattach_pdf = no\n' >>"$e/config.ini"
"$samfakt" -q issue Q1 --new-journal -c "$e/config.ini" --date 2020-01-01 2>/dev/null
einvoices() { find "$1" -name '*.xml' ! -name '*.sbd.xml' -printf '%s\n' | awk '{ s += $1; n++ } END { printf "%.0f", s / n }'; }
xml_bytes=$(einvoices "$e/output/2020/fakturor/Q1")
with_pdf=$(einvoices "$dwork/m290-r1-q1/output/2020/fakturor/Q1")
lines=$(find "$e/output/2020/fakturor/Q1" -name '*.xml' ! -name '*.sbd.xml' -exec grep -o '<cac:InvoiceLine>' {} + |
	awk -F: '{ n[$1]++ } END { for (f in n) { s += n[f]; k++ } printf "%.1f", s / k }')

echo
echo "targets (on the disk; medians of $ROUNDS rounds):"
awk -v xb="$xml_bytes" -v wp="$with_pdf" -v lines="$lines" '
	{ n[NR] = $1; bd[NR] = $2; bc[NR] = $3; br[NR] = $4; fd[NR] = $5; fc[NR] = $6
	  q1[NR] = $7; q1c[NR] = $8; q1w[NR] = $9; cw[NR] = $10; q4[NR] = $11; q4c[NR] = $12
	  q4r[NR] = $13; cr[NR] = $14 }
	END {
		for (i = 1; i <= NR; i++) {
			printf "  %5d members: issue Q4 / Q1, CPU per invoice:    %.2f     (target <= 1.10)\n", n[i],
				(q4c[i] / q4[i]) / (q1c[i] / q1[i])
			printf "  %5d members: build CPU per invoice, one core:   %.3f ms (target <= 0.30 ms; floor %.3f ms: %.2f of it)\n",
				n[i], bc[i] * 1000 / bd[i], fc[i] * 1000 / fd[i], (bc[i] / bd[i]) / (fc[i] / fd[i])
			printf "  %5d members: issue Q1 wall / its floor:         %.2f     (target <= 1.20)\n", n[i],
				q1w[i] / cw[i]
			printf "  %5d members: peak memory, build:                %.1f MB  (target <= 16 MB)\n", n[i],
				br[i] / 1024
			printf "  %5d members: peak memory, issue Q4:             %.1f MB  (target <= 16 MB)\n", n[i],
				q4r[i] / 1024
			printf "  %5d members: peak memory, check at year end:    %.1f MB  (target <= 16 MB)\n", n[i],
				cr[i] / 1024
		}
		if (NR > 1 && n[NR] != n[1])
			printf "  %-48s%.2f KB\n", sprintf("memory per member (%d to %d):", n[1], n[NR]),
				(br[NR] - br[1]) / (n[NR] - n[1])
		printf "  e-invoice without its PDF (attach_pdf = no):    %.0f bytes (target <= 8192), %s lines an invoice;\n", xb, lines
		printf "                                                  with its PDF %.0f bytes\n", wp
	}' "$work/disk.txt"
