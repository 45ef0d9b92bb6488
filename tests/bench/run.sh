#!/bin/sh
# run.sh - the benchmark (make bench): a national-scale cooperation (290
# members) and a 5 000-member stress case, generated from a seed; samfakt
# build and issue timed on each, and beside them the floor program, bare
# libharu writing as many one-page PDFs with the same fonts.
#
# Usage: tests/bench/run.sh SAMFAKT GEN FLOOR FONT_DIR WORKDIR
set -eu
samfakt=$1 gen=$2 floor=$3 fonts=$4 work=$5
here=$(cd "$(dirname "$0")" && pwd)

# Run a command under GNU time; sets wall, cpu, rss_kb.
measure() {
	/usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || {
		cat "$work/stderr.txt" >&2
		exit 1
	}
	read -r wall user sys rss_kb <"$work/time.txt"
	cpu=$(echo "$user $sys" | awk '{ printf "%.2f", $1 + $2 }')
}

report() {	# case step count bytes
	awk -v c="$1" -v s="$2" -v n="$3" -v b="$4" -v w="$wall" -v cpu="$cpu" -v rss="$rss_kb" 'BEGIN {
		printf "%-9s %-15s %6d %8.2f %8.2f %9.1f %8.2f %9.1f %10.0f\n", c, s, n, w, cpu,
			(w > 0 ? n / w : 0), (n > 0 ? w * 1000 / n : 0), rss / 1024, (n > 0 ? b / n : 0) }'
}

printf '%-9s %-15s %6s %8s %8s %9s %8s %9s %10s\n' case step docs wall_s cpu_s docs/s ms/doc rss_MB bytes/doc
for spec in national:290:2026 stress:5000:2027; do
	name=${spec%%:*}
	rest=${spec#*:}
	members=${rest%%:*}
	seed=${rest#*:}
	dir="$work/$name"
	rm -rf "$dir"
	"$gen" "$dir" "$members" 60 "$seed"
	mkdir -p "$dir/templates"
	cp "$here/verksamhetsplan.md" "$dir/templates/"

	measure "$samfakt" check -c "$dir/config.ini"
	report "$name" check 0 0

	measure "$samfakt" build -c "$dir/config.ini" --date 2020-01-01
	drafts=$(find "$dir/output/2020/utkast" -name '*.pdf' | wc -l)
	reports_pages=$(for f in "$dir"/output/2020/*.pdf; do pdfinfo "$f" | awk '/^Pages:/ { print $2 }'; done |
		awk '{ s += $1 } END { print s }')
	bytes=$(find "$dir/output/2020/utkast" -name '*.pdf' -printf '%s\n' | awk '{ s += $1 } END { print s }')
	report "$name" build $((drafts + 2)) "$bytes"
	build_wall=$wall build_cpu=$cpu
	pages=$((drafts + reports_pages))

	measure "$samfakt" build -c "$dir/config.ini" --date 2020-01-01
	report "$name" "build again" 0 0

	measure "$samfakt" issue Q1 --new-journal -c "$dir/config.ini" --date 2020-01-01
	issued=$(find "$dir/output/2020/fakturor/Q1" -name '*.pdf' | wc -l)
	bytes=$(find "$dir/output/2020/fakturor/Q1" -name '*.pdf' -printf '%s\n' | awk '{ s += $1 } END { print s }')
	report "$name" "issue Q1" "$issued" "$bytes"

	# the year's end: every period issued, the journal full
	for qd in Q2:2020-04-01 Q3:2020-07-01 Q4:2020-10-01; do	# each on its invoice date
		"$samfakt" issue "${qd%%:*}" -c "$dir/config.ini" --date "${qd#*:}" >/dev/null 2>&1 ||
			{ echo "bench: issue ${qd%%:*} failed" >&2; exit 1; }
	done
	measure "$samfakt" check -c "$dir/config.ini"
	report "$name" "check, year end" 0 0

	rm -rf "$work/floor-out" && mkdir -p "$work/floor-out"
	measure "$floor" "$work/floor-out" "$pages" "$fonts"
	bytes=$(find "$work/floor-out" -name '*.pdf' -printf '%s\n' | awk '{ s += $1 } END { print s }')
	report "$name" "floor" "$pages" "$bytes"
	awk -v c="$name" -v p="$pages" -v sw="$build_wall" -v fw="$wall" -v sc="$build_cpu" -v fc="$cpu" 'BEGIN {
		printf "%-9s build / floor for %d pages: wall %.2f, cpu %.2f\n", c, p, sw / fw, sc / fc }'
	rm -rf "$work/floor-out"
done
