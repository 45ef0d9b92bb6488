#!/usr/bin/python3
"""rl_invoices.py - the same invoices as samfakt's, written with reportlab.

Draws the words content.py extracted from samfakt's invoices, each at its
place and size, in DejaVu Sans (a TrueType font embedded as a subset, the
font registered once a run), one compressed PDF a document: what a
Python program built on reportlab would do for the same invoices.

Usage: rl_invoices.py CONTENT FONT_FILE OUT_DIR [LIMIT]
(LIMIT 0: start up and read only, for the cost of starting.)
"""
import sys

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas


def documents(path):
    doc = None
    with open(path, encoding="cp1252", newline="\n") as f:
        for line in f:
            line = line.rstrip("\n")
            if line == "D":
                if doc is not None:
                    yield doc
                doc = []
            elif line == "P":
                doc.append([])
            else:
                _, size, x, y, text = line.split(" ", 4)
                doc[-1].append((float(size), float(x), float(y), text))
    if doc is not None:
        yield doc


def main():
    content, font, out = sys.argv[1:4]
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else -1
    pdfmetrics.registerFont(TTFont("DejaVuSans", font))
    for n, doc in enumerate(documents(content)):
        if n == limit:
            break
        c = Canvas("%s/rl-%05d.pdf" % (out, n), pagesize=A4, pageCompression=1)
        for i, page in enumerate(doc):
            if i:
                c.showPage()
            for size, x, y, text in page:
                c.setFont("DejaVuSans", size)
                c.drawString(x, y, text)
        c.save()


if __name__ == "__main__":
    main()
