#!/bin/sh
# run.sh - the e-invoices, checked (part of make test).
#
# Both example configurations, each VAT category, buy-ins and a large generated
# cooperation are issued, credited, corrected and settled as a host would. Then
# every e-invoice written:
#   1. says what its journal row and its PDF say: number, kind, buyer and
#      seller, net, VAT, total and OCR reference; and the PDF inside it is
#      the PDF beside it, byte for byte;
#   2. passes the Peppol validator kit (../shared/peppol, or
#      $PEPPOL_VALIDATOR: the official UBL 2.1 schema, EN 16931 and Peppol
#      BIS Billing 3.0 rules) with no fatal error and no warning, all files
#      in one call, and so does its envelope beside it (NAME.sbd.xml: the
#      SBDH schema and the Peppol envelope rules, then the e-invoice inside).
#      Where the kit is absent, this step is skipped, saying so.
#
# Usage: tests/einvoice/run.sh SAMFAKT
set -eu
samfakt=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "einvoice: $*" >&2; exit 1; }

# ---- documents, as a host makes them ---------------------------------------

example() {	# folder: a copy of the repository's configuration and inputs
	mkdir -p "$1" && cp -r "$repo/config" "$repo/input" "$repo/templates" "$1/"
}

# Norrbotten (VAT 25 %): both half-years, a credit note, a correction, the
# year's settlement invoices and credit notes; Kalmar.
example "$work/nb"
(
	cd "$work/nb"
	$samfakt -q issue H1 --new-journal --date 2015-12-20
	$samfakt -q issue H2 --date 2016-06-20
	$samfakt -q credit 2016-0003 --reason "Fel fördelningsnyckel" --date 2016-03-01
	sed -i 's/^boden,Bodens kommun,212000-2718,27840,/boden,Bodens kommun,212000-2718,28100,/' input/members.csv
	$samfakt -q correct H2 --reason "Nytt invånarantal för Boden" --date 2016-08-01
	# the year settled with a document for each member (own_document)
	sed -i 's/^rule = next_invoice .*/rule = own_document/' config/samverkan.ini
	$samfakt -q settle 2016 --date 2017-01-20
	$samfakt -q issue H1 --new-journal -c config/kalmar.ini --date 2010-01-01
	$samfakt -q issue H2 -c config/kalmar.ini --date 2010-07-01
	$samfakt -q credit 2010-0002 --reason "Avslutat avtal" -c config/kalmar.ini --date 2010-02-01
)

# The example is outside the scope of VAT (category O, above); 25 % VAT
# (category S) and exempt (E) too.
for cat in S E; do
	example "$work/vat$cat"
	(
		cd "$work/vat$cat"
		if [ $cat = S ]; then
			sh "$repo/tests/lib/vat25.sh" config/samverkan.ini
		else
			sed -i "s/^vat_category = O$/vat_category = E/" config/samverkan.ini
		fi
		grep -q "^vat_category = $cat" config/samverkan.ini || fail "vat$cat: the configuration was not changed"
		$samfakt -q issue H1 --new-journal --date 2015-12-20
		$samfakt -q credit 2016-0005 --reason "Fel belopp" --date 2016-02-01
	)
done

# Buying into a project (Norrbotten, Kiruna joins the rescue-service
# project after H1): invoices with credit lines, a buy-in, and credit
# notes of credits beyond an invoice, with charges on them.
example "$work/buyin"
(
	cd "$work/buyin"
	sed -i 's|^projects = ../input/projects.csv.*|&\nparticipations = ../input/participations.csv|' config/samverkan.ini
	awk -F, 'BEGIN { OFS = "," } NR == 1 { $0 = $0 ",previous_cost" } NR > 1 { $0 = $0 "," }
		$1 == "raddning" { $7 = ""; $9 = "20000000" } { print }' input/projects.csv >p.csv
	mv p.csv input/projects.csv
	printf 'project,member,joined,left\n' >input/participations.csv
	for m in lulea boden pitea kalix haparanda alvsbyn; do echo "raddning,$m,," >>input/participations.csv; done
	$samfakt -q issue H1 --new-journal --date 2015-12-20
	echo "raddning,kiruna,2016-03-01," >>input/participations.csv
	$samfakt -q issue H2 --date 2016-06-20
	grep -q ',kreditfaktura,,' output/fakturajournal.csv || fail "buyin: no credit note of buy-in credits"
)
# The year settled on the next invoice (next_invoice): statements (no
# e-invoice), then 2017's first invoices with the settlement's lines,
# some of them negative.
example "$work/next"
(
	cd "$work/next"
	$samfakt -q issue H1 --new-journal --date 2015-12-20
	$samfakt -q issue H2 --date 2016-06-20
	$samfakt -q settle 2016 --date 2017-01-20
	$samfakt -q new-year
	$samfakt -q issue H1 -c config/samverkan-2017.ini --date 2017-01-25
	[ "$(grep -c '<cbc:Note>\|Avräkning 2016 enligt utfall' output/2017/fakturor/H1/faktura-2017-0001-arjeplog.xml)" -ge 1 ] ||
		fail "next: 2017's first invoice does not carry the settlement"
	ls output/2016/fakturor/avrakning/*.xml >/dev/null 2>&1 && fail "next: a statement got an e-invoice"
	# 2017's H1 corrected by difference: supplementary invoices and
	# partial credit notes, each amending its invoice
	sed -i 's/^boden,Bodens kommun,212000-2718,27840,/boden,Bodens kommun,212000-2718,28100,/' input/2017/members.csv
	$samfakt -q correct H1 --difference -c config/samverkan-2017.ini --date 2017-02-01
	ls output/2017/fakturor/H1/tillaggsfaktura-*.xml output/2017/fakturor/H1/delkreditfaktura-*.xml >/dev/null ||
		fail "next: no supplementary invoice and partial credit note"
)
# A large cooperation: the benchmark's national case, two quarters.
cc -O2 -o "$work/gen" "$repo/tests/bench/gen.c"
"$work/gen" "$work/large" 290 60 2026
(
	cd "$work/large"
	$samfakt -q issue Q1 --new-journal -c config.ini --date 2020-01-01
	$samfakt -q issue Q2 -c config.ini --date 2020-04-01
	$samfakt -q credit "$(sed -n 2p output/fakturajournal.csv | cut -d, -f1)" --reason "Fel antal användare" -c config.ini --date 2020-02-01
)

# ---- 1. each e-invoice says what its journal row and PDF say ----------------

# "-211 110,58 kr" as "-211110.58"
amount_of() { tr -cd '0-9,-' | tr ',' '.'; }

signed() {	# a UBL amount as the journal has it: negated on a credit note
	case "$sign$1" in
	-0.00) echo 0.00 ;;
	--*) echo "${1#-}" ;;
	*) echo "$sign$1" ;;
	esac
}

xpath() {	# file, XPath on local names
	xmllint --xpath "$2" "$1" 2>/dev/null || true
}

checked=0
for dir in "$work"/nb "$work"/vatS "$work"/vatE "$work"/buyin "$work"/next "$work"/large; do
	journals=$(find "$dir/output" -maxdepth 1 -name '*fakturajournal.csv')
	[ -n "$journals" ] || fail "$dir: no journal"
	for xml in $(find "$dir/output" -path '*/fakturor/*' -name '*.xml' ! -name '*.sbd.xml' | sort); do
		pdf=${xml%.xml}.pdf
		what=${xml#"$work"/}
		v=$(xpath "$xml" "concat(local-name(/*), '|', /*/*[local-name()='ID'], '|',
			/*/*[local-name()='LegalMonetaryTotal']/*[local-name()='TaxExclusiveAmount'], '|',
			/*/*[local-name()='TaxTotal']/*[local-name()='TaxAmount'], '|',
			/*/*[local-name()='LegalMonetaryTotal']/*[local-name()='PayableAmount'], '|',
			/*/*[local-name()='PaymentMeans']/*[local-name()='PaymentID'], '|',
			/*/*[local-name()='AccountingCustomerParty']//*[local-name()='PartyLegalEntity']/*[local-name()='CompanyID'], '|',
			/*/*[local-name()='AccountingSupplierParty']//*[local-name()='PartyLegalEntity']/*[local-name()='CompanyID'], '|',
			/*/*[local-name()='AccountingCustomerParty']//*[local-name()='EndpointID'])")
		IFS='|' read -r root number net vat total ocr buyer seller endpoint <<EOF
$v
EOF
		row=$(cat $journals | awk -F, -v n="$number" '$1 == n' | head -1)
		[ -n "$row" ] || fail "$what: number '$number' is not in the journal"
		IFS=, read -r j_number j_type j_ref j_coop j_year j_period j_pdate j_member j_org j_idate j_due j_net j_vat j_total j_ocr j_rest <<EOF
$row
EOF
		sign=
		case "$j_type/$root" in
		faktura/Invoice | tillaggsfaktura/Invoice) ;;
		kreditfaktura/CreditNote | delkreditfaktura/CreditNote) sign=- ;;
		*) fail "$what: a $root for a journal '$j_type'" ;;
		esac
		case "$(basename "$xml")" in
		"$j_type-$j_number-$j_member.xml") ;;
		*) fail "$what: named for another document than journal row $j_number" ;;
		esac
		# UBL amounts of a credit note are positive; the journal's negative
		[ "$(signed "$net")" = "$j_net" ] || fail "$what: net $net, journal $j_net"
		[ "$(signed "$vat")" = "$j_vat" ] || fail "$what: VAT $vat, journal $j_vat"
		[ "$(signed "$total")" = "$j_total" ] || fail "$what: total $total, journal $j_total"
		[ "$buyer" = "$(echo "$j_org" | tr -d -)" ] || fail "$what: buyer $buyer, journal $j_org"
		[ "$endpoint" = "$buyer" ] || grep -q "peppol_id" "$dir"/input/*members*.csv 2>/dev/null ||
			fail "$what: buyer's Peppol id $endpoint is not its org.nr $buyer"
		if [ "$root" = Invoice ]; then
			[ "$ocr" = "$j_ocr" ] || fail "$what: OCR $ocr, journal $j_ocr"
		else
			[ -z "$ocr" ] || fail "$what: a credit note asks for payment ($ocr)"
		fi
		# the PDF: the one embedded is the one beside it, and says the same
		xpath "$xml" "string(//*[local-name()='EmbeddedDocumentBinaryObject'])" | base64 -d >"$work/embedded.pdf" ||
			fail "$what: the embedded PDF is not base64"
		cmp -s "$work/embedded.pdf" "$pdf" || fail "$what: the embedded PDF is not $(basename "$pdf")"
		pdftotext -layout "$pdf" "$work/pdf.txt"
		p_total=$(grep -E '^ +(Att betala|Krediteras) ' "$work/pdf.txt" | amount_of)
		[ "$p_total" = "$j_total" ] || fail "$what: the PDF says $p_total, the e-invoice $sign$total"
		p_vat=$(grep -E '^ +Moms ' "$work/pdf.txt" | sed 's/.*%//' | amount_of)
		[ -z "$p_vat" ] || [ "$p_vat" = "$j_vat" ] || fail "$what: the PDF's VAT $p_vat, the e-invoice's $sign$vat"
		p_buyer=$(grep -m1 -o 'Org.nr [0-9-]*' "$work/pdf.txt" | tr -cd 0-9)
		p_seller=$(grep -o 'Org.nr [0-9-]*' "$work/pdf.txt" | tail -1 | tr -cd 0-9)
		[ "$p_buyer" = "$buyer" ] && [ "$p_seller" = "$seller" ] ||
			fail "$what: parties $buyer/$seller, the PDF's $p_buyer/$p_seller"
		if [ "$root" = Invoice ]; then
			grep -q "OCR-nummer *$ocr" "$work/pdf.txt" || fail "$what: the PDF has not OCR $ocr"
		fi
		checked=$((checked + 1))
	done
done
[ "$checked" -gt 650 ] || fail "only $checked e-invoices were made"
echo "einvoice: $checked e-invoices say what their journal rows and PDFs say"

# ---- 2. the Peppol rules ------------------------------------------------------

validator=${PEPPOL_VALIDATOR:-$repo/../shared/peppol/validate-peppol}
[ -d "$validator" ] && validator=$validator/validate-peppol
if [ ! -x "$validator" ]; then
	echo "einvoice: SKIPPED the Peppol validation: no validator kit at $validator (set PEPPOL_VALIDATOR)"
	exit 0
fi
# every e-invoice, and every envelope (its header, then the e-invoice
# inside it): one for each e-invoice, beside it
find "$work" -path '*/fakturor/*' -name '*.xml' | sort >"$work/files"
envelopes=$(grep -c '\.sbd\.xml$' "$work/files")
[ "$envelopes" = "$checked" ] || fail "$envelopes envelopes for $checked e-invoices"
rc=0
"$validator" $(cat "$work/files") >"$work/report" 2>&1 || rc=$?
tail -1 "$work/report"
[ $rc -eq 0 ] || { grep -v '^validate-peppol:' "$work/report" | head -20 >&2; fail "the validator found errors (exit $rc)"; }
grep -q ", 0 error(s), 0 warning(s)$" "$work/report" || { head -20 "$work/report" >&2; fail "the validator warned"; }
grep -q "^validate-peppol: $((checked * 2)) file(s) checked" "$work/report" || fail "not every file was validated"
