#!/usr/bin/env python3
"""sie_read.py - an SIE 4 reader for the tests, written from the format's
description and not from samfakt's writer.

Reads each FILE (CP437, CR LF), tokenises every line as SIE 4 says
(fields separated by blanks; a field in double quotes may hold blanks,
with \\" and \\\\ escaped; {…} an object list), and checks:
  - #FLAGGA, #FORMAT PC8, #SIETYP 4, #ORGNR, #FNAMN and #RAR 0 are there;
  - every #VER is dated within #RAR 0, has a series, a number and a text,
    and its #TRANS rows (between { and }) balance to the öre;
  - every amount has at most two decimals, every account four digits;
  - voucher numbers are unique per series within the file.
Prints, per file: 'year Y', 'vouchers N', then 'account ACCOUNT SUM' for
each account, then 'voucher SERIES NUMBER DATE TEXT' for each voucher.
Exits 1 naming the file and line of the first thing wrong.
"""
import sys
from decimal import Decimal


def fail(path, line, what):
    sys.exit(f"{path}:{line}: {what}")


def tokens(path, n, line):
    out, i = [], 0
    while i < len(line):
        c = line[i]
        if c in " \t":
            i += 1
        elif c == '"':
            i += 1
            s = []
            while True:
                if i >= len(line):
                    fail(path, n, "a quoted field does not end")
                if line[i] == "\\" and i + 1 < len(line):
                    s.append(line[i + 1])
                    i += 2
                elif line[i] == '"':
                    i += 1
                    break
                else:
                    s.append(line[i])
                    i += 1
            out.append(("str", "".join(s)))
        elif c == "{" and not out and not line[i + 1:].strip():
            out.append(("open", "{"))
            i = len(line)
        elif c == "{":
            j = i + 1
            inner = []
            while j < len(line) and line[j] != "}":
                if line[j] == '"':
                    k = j + 1
                    while k < len(line) and not (line[k] == '"' and line[k - 1] != "\\"):
                        k += 1
                    inner.append(line[j:k + 1])
                    j = k + 1
                else:
                    j += 1
            if j >= len(line):
                fail(path, n, "an object list does not end")
            out.append(("list", line[i + 1:j]))
            i = j + 1
        elif c == "}" and not out:
            out.append(("close", "}"))
            i += 1
        else:
            j = i
            while j < len(line) and line[j] not in " \t":
                j += 1
            out.append(("word", line[i:j]))
            i = j
    return out


def read(path):
    raw = open(path, "rb").read()
    if b"\n" in raw.replace(b"\r\n", b""):
        fail(path, 0, "a line does not end in CR LF")
    text = raw.decode("cp437")
    lines = text.split("\r\n")
    if lines and lines[-1] == "":
        lines.pop()
    head = {}
    rar = None
    vouchers = []
    accounts = {}
    seen = set()
    cur = None
    for n, line in enumerate(lines, 1):
        if any(ord(ch) < 32 for ch in line):
            fail(path, n, "a control character")
        t = tokens(path, n, line)
        if not t:
            continue
        kind, word = t[0]
        if kind == "open":
            if cur is None or cur["open"]:
                fail(path, n, "{ outside a voucher")
            cur["open"] = True
            continue
        if kind == "close" or (kind == "word" and word == "}"):
            if cur is None or not cur["open"]:
                fail(path, n, "} without {")
            if cur["sum"] != 0:
                fail(path, cur["line"], f"voucher {cur['series']} {cur['number']} does not balance: {cur['sum']}")
            if not cur["trans"]:
                fail(path, cur["line"], "a voucher without #TRANS")
            vouchers.append(cur)
            cur = None
            continue
        if kind != "word" or not word.startswith("#"):
            fail(path, n, f"not a label: {line!r}")
        args = t[1:]
        if word == "#RAR":
            if len(args) != 3:
                fail(path, n, "#RAR needs three fields")
            if args[0][1] == "0":
                rar = (args[1][1], args[2][1])
        elif word == "#VER":
            if len(args) < 4 or cur is not None:
                fail(path, n, "#VER needs series, number, date and text, outside another voucher")
            series, number, date, vtext = (a[1] for a in args[:4])
            if not series or not number or not vtext:
                fail(path, n, "#VER without a series, number or text")
            if len(date) != 8 or not date.isdigit():
                fail(path, n, f"not a date: {date}")
            if rar is None:
                fail(path, n, "#VER before #RAR 0")
            if not (rar[0] <= date <= rar[1]):
                fail(path, n, f"#VER dated {date}, outside the fiscal year {rar[0]}-{rar[1]}")
            if (series, number) in seen:
                fail(path, n, f"voucher {series} {number} twice")
            seen.add((series, number))
            cur = {"series": series, "number": number, "date": date, "text": vtext,
                   "line": n, "sum": Decimal(0), "trans": [], "open": False}
        elif word == "#TRANS":
            if cur is None or not cur["open"]:
                fail(path, n, "#TRANS outside a voucher")
            if len(args) < 3 or args[1][0] != "list":
                fail(path, n, "#TRANS needs an account, an object list and an amount")
            acct, amount = args[0][1], args[2][1]
            if len(acct) != 4 or not acct.isdigit():
                fail(path, n, f"not an account: {acct}")
            a = Decimal(amount)
            if a != a.quantize(Decimal("0.01")):
                fail(path, n, f"more than two decimals: {amount}")
            cur["sum"] += a
            cur["trans"].append((acct, a))
            accounts[acct] = accounts.get(acct, Decimal(0)) + a
        else:
            head[word] = args
    if cur is not None:
        fail(path, len(lines), "a voucher does not end")
    for need in ("#FLAGGA", "#FORMAT", "#SIETYP", "#ORGNR", "#FNAMN"):
        if need not in head:
            fail(path, 1, f"no {need}")
    if head["#FORMAT"][0][1] != "PC8" or head["#SIETYP"][0][1] != "4":
        fail(path, 1, "not #FORMAT PC8 and #SIETYP 4")
    if rar is None:
        fail(path, 1, "no #RAR 0")
    print(f"year {rar[0][:4]}")
    print(f"vouchers {len(vouchers)}")
    for acct in sorted(accounts):
        print(f"account {acct} {accounts[acct]:.2f}")
    for v in vouchers:
        print(f"voucher {v['series']} {v['number']} {v['date']} {v['text']}")


for p in sys.argv[1:]:
    read(p)
