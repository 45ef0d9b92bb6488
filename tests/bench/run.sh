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

# Run a command under GNU time; sets wall, cpu (user + system), rss_kb.
measure() {
	/usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || {
		cat "$work/stderr.txt" >&2
		exit 1
	}
	read -r wall user sys rss_kb <"$work/time.txt"
	cpu=$(echo "$user $sys" | awk '{ printf "%.2f", $1 + $2 }')
}

# measure, three times, each after `$1 N` (a command that makes a fresh
# folder N for the run: never one emptied, as ext4 takes long to find
# inodes for new files while many were freed in the last minutes), and
# keep the median run (by CPU): runs on these shared machines vary.
measure3() {
	prep=$1
	shift
	: >"$work/runs.txt"
	for run in 1 2 3; do
		$prep $run
		measure "$@"
		echo "$cpu $wall $rss_kb $user $sys" >>"$work/runs.txt"
	done
	read -r cpu wall rss_kb user sys <<-EOF2
	$(sort -n "$work/runs.txt" | sed -n 2p)
	EOF2
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

if [ "${BENCH_STRESS:-0}" = 1 ]; then
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
