#!/bin/sh
# vat25.sh CONFIG - the Norrbotten example as a cooperation that charges
# 25 % VAT (category S, booked on account 2611), for the cases whose
# amounts and ledger test VAT; the example itself is outside the scope of
# VAT (category O). Every line keeps its number.
set -eu
sed -i 's/^vat_rate = 0 .*/vat_rate = 25/
s/^vat_category = O$/vat_category = S/
s/^vat_note = .*/; (25 % VAT: tests\/lib\/vat25.sh)/
/^series = F /{n;s/^$/vat = 2611/;}' "$1"
grep -q '^vat = 2611$' "$1" || { echo "vat25.sh: $1 is not the example's configuration" >&2; exit 1; }
