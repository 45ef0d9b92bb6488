#!/bin/sh
# pdfa-check.sh - validate PDF files as PDF/A-1b with Apache PDFBox Preflight
# (Debian: libpdfbox2-java). Prints one line per file; exits 1 if any fails.
#
# Usage: tests/pdfa-check.sh FILE.pdf...
set -u
j=/usr/share/java
cp="$j/preflight.jar:$j/pdfbox2.jar:$j/fontbox2.jar:$j/xmpbox.jar:$j/commons-logging.jar:$j/javax.activation.jar:$j/jaxb-api.jar"
status=0
# One JVM for all files: Preflight's Validator_A1b takes one file, so loop
# in a small inline class would need javac; start-up is ~1 s a file.
for f in "$@"; do
	out=$(java -cp "$cp" org.apache.pdfbox.preflight.Validator_A1b "$f" 2>&1)
	if echo "$out" | grep -q "is a valid PDF/A-1b file"; then
		echo "PDF/A-1b ok: $f"
	else
		echo "PDF/A-1b FAILED: $f"
		echo "$out" | head -20
		status=1
	fi
done
exit $status
