#!/usr/bin/python3
"""content.py - the text of samfakt's invoices, for the floor and reportlab.

Reads each PDF with pdftotext -bbox and writes every word with its place
and size, so that tests/bench/floor.c (bare libharu) and rl_invoices.py (reportlab) draw
the same words on the same pages as samfakt did. Windows-1252, one record a
line: "D" starts a document, "P" a page, "W size x y text" a word (points,
from the bottom left, at its baseline).

Usage: content.py OUT FILE.pdf...
"""
import html
import re
import subprocess
import sys

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
ASCENT, DESCENT = 0.928, 0.235  # DejaVu Sans, per unit of size


def main():
    out = open(sys.argv[1], "w", encoding="cp1252", errors="replace", newline="\n")
    for path in sys.argv[2:]:
        text = subprocess.run(["pdftotext", "-bbox", path, "-"], check=True,
                              capture_output=True, text=True).stdout
        out.write("D\n")
        height = 0.0
        for line in text.splitlines():
            page = PAGE.search(line)
            if page:
                height = float(page.group(2))
                out.write("P\n")
                continue
            word = WORD.search(line)
            if word:
                x0, y0, _, y1 = (float(v) for v in word.groups()[:4])
                size = (y1 - y0) / (ASCENT + DESCENT)
                base = height - (y1 - DESCENT * size)
                out.write("W %.2f %.2f %.2f %s\n" % (size, x0, base, html.unescape(word.group(5))))
    out.close()


if __name__ == "__main__":
    main()
