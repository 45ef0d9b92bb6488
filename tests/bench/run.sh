#!/bin/sh
# run.sh - the benchmark (make bench). A national-scale cooperation (290
# members, four quarterly periods, 60 projects) generated from a seed;
# samfakt's build timed on both cores and on one, issue Q1, and check at
# the year's end; then, for the same invoices (the words of samfakt's
# drafts, each at its place and size: content.py), the floor (bare libharu,
# one font loaded once a run, one core: floor.c) and reportlab
# (rl_invoices.py, when python3-reportlab is installed). It prints every
# figure and the ratios the performance targets are set in. The builds,
# the floor and reportlab each run three times into fresh folders, and
# the median run counts.
# BENCH_STRESS=1 also runs the 5 000-member case (build, issue, check).
# Runs soon after many files were deleted (make test, an earlier bench)
# are slower: ext4 searches longer for free inodes for a few minutes.
#
# Usage: tests/bench/run.sh SAMFAKT GEN FLOOR FONT_DIR WORKDIR
set -eu
samfakt=$1 gen=$2 floor=$3 fonts=$4
here=$(cd "$(dirname "$0")" && pwd)
# Everything in a folder of this run's, removed when it ends: nothing is
# deleted while anything is measured (see measure3).
mkdir -p "$5"
work=$(cd "$5" && pwd)/run-$$
mkdir "$work"
trap 'rm -rf "$work"' EXIT
font=$fonts/DejaVuSans-slim.ttf

# Run a command, its CPU from getrusage (rusage.py: microseconds); sets
# wall, cpu (user + system), user, sys, rss_kb.
measure() {
	/usr/bin/python3 "$here/rusage.py" "$work/time.txt" "$@" || {
		cat "$work/time.txt.err" >&2
		exit 1
	}
	read -r wall user sys rss_kb <"$work/time.txt"
	cpu=$(echo "$user $sys" | awk '{ printf "%.3f", $1 + $2 }')
}

# measure, ROUNDS times (5), each after `$1 N` (a command that makes a
# fresh folder N for the run: never one emptied, as ext4 takes long to
# find inodes for new files while many were freed in the last minutes),
# and keep the median run (by CPU), saying the least and the most
# (spread): runs on these shared machines vary.
ROUNDS=${BENCH_ROUNDS:-5}
measure3() {
	prep=$1
	shift
	: >"$work/runs.txt"
	run=1
	while [ $run -le "$ROUNDS" ]; do
		$prep $run
		measure "$@"
		echo "$cpu $wall $rss_kb $user $sys" >>"$work/runs.txt"
		run=$((run + 1))
	done
	read -r cpu wall rss_kb user sys <<-EOF2
	$(sort -n "$work/runs.txt" | sed -n "$(((ROUNDS + 1) / 2))p")
	EOF2
	spread=$(sort -n "$work/runs.txt" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f–%.3f", lo, hi }')
}

# The sum of the sizes of the PDFs under a folder, and their number.
pdf_bytes() { find "$1" -name '*.pdf' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
pdf_count() { find "$1" -name '*.pdf' | wc -l; }

report() {	# case step docs bytes
	awk -v c="$1" -v s="$2" -v n="$3" -v b="$4" -v w="$wall" -v cpu="$cpu" -v u="$user" -v y="$sys" \
		-v rss="$rss_kb" 'BEGIN {
		printf "%-9s %-22s %6d %7.2f %7.2f %6.2f %6.2f %8.3f %7.1f %9.0f\n", c, s, n, w, cpu, u, y,
			(n > 0 ? cpu * 1000 / n : 0), rss / 1024, (n > 0 ? b / n : 0) }'
}

header() {
	printf '%-9s %-22s %6s %7s %7s %6s %6s %8s %7s %9s\n' case step docs wall_s cpu_s user sys \
		ms/doc rss_MB bytes/doc
}

# A cooperation of $2 members from seed $3, in $1.
generate() {
	"$gen" "$1" "$2" 60 "$3"
	mkdir -p "$1/templates"
	cp "$here/verksamhetsplan.md" "$1/templates/"
}

echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo); writing to $work ($(stat -f -c %T "$work"))"
header
dir=$work/national
generate "$dir" 290 2026

measure "$samfakt" check -c "$dir/config.ini"
report national check 0 0

# each build into a fresh output folder: on one core, the CPU an invoice
# costs; on every core, the time a build takes
# ($work/run: the cooperation copied to a folder of its own, no output yet)
fresh_copy() {
	mkdir "$dir-$1-$2"
	cp "$dir"/*.csv "$dir/config.ini" "$dir-$1-$2/" && cp -r "$dir/templates" "$dir-$1-$2/"
	ln -sfn "$dir-$1-$2" "$work/run"
	sync
}
one_core() { fresh_copy one "$1"; }
all_cores() { fresh_copy all "$1"; }
measure3 one_core env SAMFAKT_JOBS=1 "$samfakt" build -c "$work/run/config.ini" --date 2020-01-01
drafts=$(pdf_count "$work/run/output/2020/utkast")
report national "build, one core" "$drafts" "$(pdf_bytes "$work/run/output/2020/utkast")"
echo "          ($ROUNDS rounds: CPU $spread s, the median kept)"
one_cpu=$cpu
measure3 all_cores "$samfakt" build -c "$work/run/config.ini" --date 2020-01-01
report national "build" "$drafts" "$(pdf_bytes "$work/run/output/2020/utkast")"
build_wall=$wall build_rss=$rss_kb draft_bytes=$(pdf_bytes "$work/run/output/2020/utkast")
dir=$(readlink "$work/run")	# the rest goes on in the last one

measure "$samfakt" build -c "$dir/config.ini" --date 2020-01-01
report national "build again" 0 0
# the drafts' words, for the floor and reportlab (issuing removes drafts)
/usr/bin/python3 "$here/content.py" "$work/content.txt" $(find "$dir/output/2020/utkast" -name '*.pdf' | sort)

measure "$samfakt" issue Q1 --new-journal -c "$dir/config.ini" --date 2020-01-01
issued=$(pdf_count "$dir/output/2020/fakturor/Q1")
issued_bytes=$(pdf_bytes "$dir/output/2020/fakturor/Q1")
report national "issue Q1" "$issued" "$issued_bytes"

for qd in Q2:2020-04-01 Q3:2020-07-01 Q4:2020-10-01; do	# each on its invoice date
	"$samfakt" issue "${qd%%:*}" -c "$dir/config.ini" --date "${qd#*:}" >/dev/null 2>&1 ||
		{ echo "bench: issue ${qd%%:*} failed" >&2; exit 1; }
done
measure "$samfakt" check -c "$dir/config.ini"
report national "check, year end" 0 0

# long texts (issue 23, item 8): every member's name one word of 200
# letters, the longest a name may have: each word is broken by characters
# in time linear in its length
long=$work/longtext
generate "$long" 290 2026
awk -F, 'BEGIN { OFS = ","; w = ""; for (i = 0; i < 200; i++) w = w "W" }
	FILENAME ~ /members/ && FNR > 1 { $2 = w } { print > (FILENAME ".new") }' "$long/members.csv"
mv "$long/members.csv.new" "$long/members.csv"
measure "$samfakt" build -c "$long/config.ini" --date 2020-01-01
report "long text" "build" "$(pdf_count "$long/output/2020/utkast")" "$(pdf_bytes "$long/output/2020/utkast")"

# the same invoices, bare libharu and reportlab
fresh_out() { mkdir "$work/out-$1"; ln -sfn "$work/out-$1" "$work/out"; sync; }
floor_run() { fresh_out "floor-$1"; }
measure3 floor_run "$floor" "$work/content.txt" "$work/out" "$font"
report national "floor (libharu)" "$drafts" "$(pdf_bytes "$work/out/")"
echo "          ($ROUNDS rounds: CPU $spread s, the median kept)"
floor_wall=$wall
rl_cpu=
if /usr/bin/python3 -c 'import reportlab' 2>/dev/null; then
	rl_start() { fresh_out "rl0-$1"; }
	rl_run() { fresh_out "rl-$1"; }
	measure3 rl_start /usr/bin/python3 "$here/rl_invoices.py" "$work/content.txt" "$font" "$work/out" 0
	start=$cpu
	measure3 rl_run /usr/bin/python3 "$here/rl_invoices.py" "$work/content.txt" "$font" "$work/out"
	report national "reportlab" "$drafts" "$(pdf_bytes "$work/out/")"
	rl_cpu=$(echo "$cpu $start" | awk '{ printf "%.2f", $1 - $2 }')	# less starting Python
else
	echo "reportlab: skipped (python3-reportlab is not installed)"
fi

echo
echo "targets (national build, $drafts invoices):"
awk -v bw="$build_wall" -v fw="$floor_wall" -v oc="$one_cpu" -v n="$drafts" -v rl="$rl_cpu" \
	-v db="$draft_bytes" -v ib="$issued_bytes" -v ni="$issued" -v rss="$build_rss" 'BEGIN {
	printf "  build wall (all cores) / floor wall (one core): %.2f   (target <= 0.50)\n", bw / fw
	printf "  CPU per invoice on one core:                    %.3f ms (target <= 0.35 ms)\n", oc * 1000 / n
	if (rl != "")
		printf "  reportlab CPU / samfakt CPU, per invoice:       %.1f   (target >= 8)\n", (rl / n) / (oc / n)
	printf "  bytes per invoice: drafts %.0f, issued %.0f      (target <= 16 KB)\n", db / n, ib / ni
	printf "  peak memory, build:                             %.1f MB (target <= 16 MB)\n", rss / 1024
}'

# ---- history, the disk, the e-invoice, memory -------------------------
# At 290 and 5 000 members, written on the disk (BENCH_DISK, default
# build/bench-disk in the repository): a build on one core (CPU an
# invoice, peak memory), issue Q1 and issue Q4 (the year's last, three
# quarters issued before it: a run's cost must not grow with what was
# issued before), and check at the year's end. Issue's floor: the files
# it made, copied into a fresh folder and put on disk with one sync.
disk=${BENCH_DISK:-$(cd "$here/../.." && pwd)/build/bench-disk}
mkdir -p "$disk"
dwork=$(cd "$disk" && pwd)/run-$$
mkdir "$dwork"
trap 'rm -rf "$work" "$dwork"' EXIT
echo
echo "on the disk: $dwork ($(stat -f -c %T "$dwork"))"
header
: >"$work/history.txt"
for n in 290 5000; do
	d=$dwork/m$n
	generate "$d" $n 2026
	sync
	measure env SAMFAKT_JOBS=1 "$samfakt" build -c "$d/config.ini" --date 2020-01-01
	docs=$(pdf_count "$d/output/2020/utkast")
	report "m$n" "build, one core" "$docs" "$(pdf_bytes "$d/output/2020/utkast")"
	b_cpu=$cpu b_rss=$rss_kb b_docs=$docs
	sync
	measure "$samfakt" issue Q1 --new-journal -c "$d/config.ini" --date 2020-01-01
	q1=$(pdf_count "$d/output/2020/fakturor/Q1")
	report "m$n" "issue Q1" "$q1" "$(pdf_bytes "$d/output/2020/fakturor/Q1")"
	q1_cpu=$cpu q1_wall=$wall
	for qd in Q2:2020-04-01 Q3:2020-07-01; do
		"$samfakt" issue "${qd%%:*}" -c "$d/config.ini" --date "${qd#*:}" >/dev/null 2>&1 ||
			{ echo "bench: issue ${qd%%:*} failed" >&2; exit 1; }
	done
	sync
	measure "$samfakt" issue Q4 -c "$d/config.ini" --date 2020-10-01
	q4=$(pdf_count "$d/output/2020/fakturor/Q4")
	report "m$n" "issue Q4" "$q4" "$(pdf_bytes "$d/output/2020/fakturor/Q4")"
	q4_cpu=$cpu
	measure "$samfakt" check -c "$d/config.ini"
	report "m$n" "check, year end" 0 0
	# issue's floor: the same files (records, PDFs, e-invoices, envelopes,
	# journal) written anew and synced once
	mkdir "$d/floor"
	sync
	measure sh -c "cp -r '$d/output/2020/fakturor/Q1' '$d/output/fakturajournal-arkiv' '$d/output/fakturajournal.csv' '$d/floor/' && sync"
	report "m$n" "issue's floor (cp, sync)" "$q1" 0
	echo "$n $b_docs $b_cpu $b_rss $q1 $q1_cpu $q1_wall $q4 $q4_cpu $wall" >>"$work/history.txt"
done
# the e-invoice without its PDF
e=$dwork/nopdf
generate "$e" 290 2026
printf '\n[einvoice]\nattach_pdf = no\n' >>"$e/config.ini"
"$samfakt" -q issue Q1 --new-journal -c "$e/config.ini" --date 2020-01-01 2>/dev/null
xml_bytes=$(find "$e/output/2020/fakturor/Q1" -name '*.xml' ! -name '*.sbd.xml' -printf '%s\n' |
	awk '{ s += $1; n++ } END { printf "%.0f", s / n }')
with_pdf=$(find "$dwork/m290/output/2020/fakturor/Q1" -name '*.xml' ! -name '*.sbd.xml' -printf '%s\n' |
	awk '{ s += $1; n++ } END { printf "%.0f", s / n }')

echo
echo "targets (on the disk; CPU from getrusage):"
awk -v xb="$xml_bytes" -v wp="$with_pdf" '
	{ n[NR] = $1; bd[NR] = $2; bc[NR] = $3; br[NR] = $4; q1[NR] = $5; q1c[NR] = $6; q1w[NR] = $7
	  q4[NR] = $8; q4c[NR] = $9; fw[NR] = $10 }
	END {
		for (i = 1; i <= NR; i++) {
			printf "  %5d members: issue Q4 / Q1, CPU per invoice:  %.2f   (target <= 1.10)\n", n[i],
				(q4c[i] / q4[i]) / (q1c[i] / q1[i])
			printf "  %5d members: build CPU per invoice, one core:   %.3f ms (target <= 0.30 ms)\n", n[i],
				bc[i] * 1000 / bd[i]
			printf "  %5d members: issue Q1 wall / its floor:         %.2f   (target <= 1.20)\n", n[i],
				q1w[i] / fw[i]
			printf "  %5d members: peak memory, build:                %.1f MB (target <= 16 MB)\n", n[i],
				br[i] / 1024
		}
		printf "  memory per member (290 to 5 000):               %.2f KB\n", (br[NR] - br[1]) / (n[NR] - n[1])
		printf "  e-invoice without its PDF (attach_pdf = no):    %.0f bytes (target <= 8192; with it %.0f)\n", xb, wp
	}' "$work/history.txt"

if [ "${BENCH_STRESS:-0}" = 1 ]; then	# the 5 000-member case in the tmpfs too
	echo
	header
	dir=$work/stress
	generate "$dir" 5000 2027
	measure "$samfakt" build -c "$dir/config.ini" --date 2020-01-01
	report stress build "$(pdf_count "$dir/output/2020/utkast")" "$(pdf_bytes "$dir/output/2020/utkast")"
	measure "$samfakt" issue Q1 --new-journal -c "$dir/config.ini" --date 2020-01-01
	report stress "issue Q1" "$(pdf_count "$dir/output/2020/fakturor/Q1")" "$(pdf_bytes "$dir/output/2020/fakturor/Q1")"
	measure "$samfakt" check -c "$dir/config.ini"
	report stress check 0 0
fi
