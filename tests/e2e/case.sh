# case.sh - sourced by run.sh and bless.sh: lays a case out in a folder,
# its base (the fixture, or the repository's examples) under its own files.
# Needs $here (tests/e2e) and $repo. Usage: lay_out_case CASE_DIR DIR
lay_out_case() {
	if [ -f "$1/base" ] && [ "$(cat "$1/base")" = examples ]; then
		cp -r "$repo/config" "$repo/input" "$repo/templates" "$2/"
	else
		cp -r "$here/fixture/." "$2/"
	fi
	cp -r "$1/." "$2/"
}

# The folder of a case named NAME (or AREA/NAME), or "" when there is none.
# Cases live in folders by area: input, allocation, invoice, journal,
# corrections, einvoice, ledger, year, install.
find_case() {
	case $1 in
	*/*) [ -d "$here/$1" ] && echo "$here/$1" ;;
	*) for d in "$here"/*/"$1"; do [ -d "$d" ] && echo "$d" && return; done ;;
	esac
}

# Every case folder, area by area.
all_cases() {
	for d in "$here"/*/*/; do
		case $d in "$here"/fixture/*) continue ;; esac
		[ -f "$d/args" ] || [ -f "$d/script" ] || continue
		echo "${d%/}"
	done
}

# What a user reads of an output file, as a golden holds it: golden
# PATH.pdf.txt is pdftotext -layout of PATH.pdf; PATH.si.txt is the SIE
# file in UTF-8 with LF line ends; PATH.xml is the e-invoice with the
# PDF it carries left out (it is checked against the PDF beside it by
# make einvoice), indented by xmllint (samfakt writes it without); any
# other PATH is the file as it is.
# Usage: golden_text DIR GOLDEN-PATH (relative to the case's golden/).
golden_text() {
	g=$2
	case $g in
	*.pdf.txt) pdftotext -layout "$1/${g%.txt}" - ;;
	*.si.txt) iconv -f CP437 -t UTF-8 "$1/${g%.txt}" | tr -d '\r' ;;
	*.xml) xmllint --format "$1/$g" | sed 's|\(<cbc:EmbeddedDocumentBinaryObject[^>]*>\)[^<]*|\1[the PDF]|' ;;
	*) cat "$1/$g" ;;
	esac
}
