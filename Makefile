# samfakt - cost sharing and invoices for Swedish inter-municipal cooperations.
#
#   make            build ./samfakt
#   make run        install what is missing, build, run the default configuration
#   make test       the same, then every test (unit, end-to-end, e-invoices)
#   make asan       build and run the tests with AddressSanitizer and UBSan
#   make leakcheck  run the end-to-end tests under valgrind
#   make install    install under PREFIX (default /usr/local), or DESTDIR/PREFIX
#   make uninstall  remove exactly what install wrote

VERSION = 1.0.0
PREFIX ?= /usr/local
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
ifeq ($(CI),true)
WARNINGS += -Werror
endif
PKGS = inih libcmark-gfm
# The fonts are DejaVu subsets to the Windows-1252 characters, made by
# `make fonts` from Debian's fonts-dejavu-core/-extra and kept in src/fonts
# (licence beside them). SAMFAKT_FONT_DIR overrides the folder at run time.
FONT_DIR ?= $(CURDIR)/src/fonts
# libxml2 (the e-invoices' writer) keeps its headers in a folder of their own.
XML_CFLAGS = -I/usr/include/libxml2
CPPFLAGS += -Isrc -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(XML_CFLAGS) \
            -DFONT_DIR='"$(FONT_DIR)"' -DSAMFAKT_VERSION='"$(VERSION)"'
LDLIBS = -lhpdf -lz -lnettle -lxml2 -lcsv -linih -lcmark-gfm-extensions -lcmark-gfm -lm

# The source, by stage (see the README's "For developers"): base/ (memory,
# messages, money, dates, hashing, identifiers), model/ (configuration,
# CSV, loading, validation, the method table, the allocation), keep/
# (documents, records, the journal, output), render/ (PDF, e-invoice,
# ledger, reports), cmd/ (one file a command); main.c dispatches.
STAGES = base model keep render cmd
SRC = $(foreach d,$(STAGES),$(sort $(wildcard src/$(d)/*.c)))
OBJ = $(SRC:src/%.c=build/%.o)
HDR = $(wildcard src/*/*.h)

# Debian packages every target needs; `make deps` installs the missing ones.
DEB_BUILD = build-essential pkg-config libhpdf-dev libinih-dev libcsv-dev \
            libcmark-gfm-dev libcmark-gfm-extensions-dev icc-profiles-free zlib1g-dev nettle-dev \
            libxml2-dev
DEB_FONTS = fonts-dejavu-core fonts-dejavu-extra fonttools
DEB_TEST = libcmocka-dev poppler-utils qpdf valgrind clang libclang-rt-14-dev time \
           libpdfbox2-java default-jre-headless libactivation-java libjaxb-api-java \
           libxml2-utils libsaxonhe-java mandoc python3 strace systemd

UNIT = money date ident split csv config output record haru buyin outcome
UNIT_BIN = $(UNIT:%=build/test_%)

FUZZERS = csv config parsers template record journal sie
FUZZ_SECONDS ?= 60
FUZZ_CC = clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

.PHONY: all run test unit e2e einvoice man install uninstall install-check deps deps-test asan leakcheck fuzz fonts bench clean

all: samfakt

samfakt: $(OBJ) build/main.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/%.o: src/%.c $(HDR) | build
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARNINGS) -c -o $@ $<

build:
	mkdir -p build

build/test_%: tests/unit/test_%.c $(OBJ) tests/unit/harness.h tests/unit/cooperation.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -Isrc -o $@ $< $(OBJ) $(LDLIBS) -lcmocka

deps:
	@missing=$$(for p in $(DEB_BUILD) $(EXTRA_DEBS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

deps-test:
	@$(MAKE) --no-print-directory deps EXTRA_DEBS="$(DEB_TEST)"

run: deps
	@$(MAKE) --no-print-directory samfakt
	./samfakt check
	./samfakt build

test: deps-test
	@$(MAKE) --no-print-directory samfakt $(UNIT_BIN)
	@$(MAKE) --no-print-directory unit e2e einvoice man install-check

unit: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do ./$$t || exit 1; done

e2e: samfakt
	@sh tests/e2e/run.sh ./samfakt

# Every e-invoice of the examples and a large case against its journal row
# and PDF, then through the Peppol validator kit (../shared/peppol, or
# PEPPOL_VALIDATOR; skipped, saying so, where it is absent).
einvoice: samfakt
	@sh tests/einvoice/run.sh ./samfakt

# Warnings are shown but not errors here: GCC 12 sees "null format string"
# in code UBSan has instrumented (a false positive).
asan:
	$(MAKE) clean
	$(MAKE) CI=false CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" samfakt $(UNIT_BIN)
	$(MAKE) unit e2e
	$(MAKE) clean

leakcheck: samfakt
	@SAMFAKT_WRAPPER="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect" \
		sh tests/e2e/run.sh ./samfakt

# Each harness runs FUZZ_SECONDS on a copy of its seed corpus (the repo's
# corpus is not changed; new findings are left in build/fuzz/).
# The sources are compiled once for every harness (build/fuzz/obj), on
# every core, and each harness is linked against them.
FUZZ_OBJ = $(SRC:src/%.c=build/fuzz/obj/%.o)
build/fuzz/obj/%.o: src/%.c $(HDR)
	@mkdir -p $(dir $@)
	@$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_FLAGS) -Isrc -c -o $@ $<

fuzz: deps-test
	@mkdir -p build/fuzz
	@$(MAKE) --no-print-directory -j$$(nproc) $(FUZZ_OBJ)
	@for f in $(FUZZERS); do \
		$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_FLAGS) -Isrc -o build/fuzz/fuzz_$$f \
			tests/fuzz/fuzz_$$f.c $(FUZZ_OBJ) $(LDLIBS) || exit 1; \
		rm -rf build/fuzz/corpus_$$f && mkdir -p build/fuzz/corpus_$$f; \
		echo "fuzz_$$f: $(FUZZ_SECONDS) s"; \
		./build/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
			-print_final_stats=1 -artifact_prefix=build/fuzz/crash_$$f- \
			build/fuzz/corpus_$$f tests/fuzz/corpus/$$f 2>build/fuzz/fuzz_$$f.log || \
			{ tail -40 build/fuzz/fuzz_$$f.log; exit 1; }; \
		grep -E "stat::number_of_executed_units|stat::peak_rss" build/fuzz/fuzz_$$f.log; \
	done

# The benchmark: see tests/bench/run.sh and the README's performance section.
# It installs reportlab (Debian's python3-reportlab) to compare with.
# BENCH_DIR: where it writes; a tmpfs by default, so that it measures the
# programs and not the file system (BENCH_DIR=build/bench for the disk).
BENCH_DIR ?= $(shell [ -d /dev/shm ] && echo /dev/shm/samfakt-bench || echo build/bench)
bench: deps-test samfakt
	@$(MAKE) --no-print-directory deps EXTRA_DEBS="python3-reportlab"
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -o build/bench/gen tests/bench/gen.c
	$(CC) -O2 -Wall -Wextra -o build/bench/floor tests/bench/floor.c -lhpdf
	$(CC) -O2 -Wall -Wextra -o build/bench/rusage tests/bench/rusage.c
	@sh tests/bench/run.sh ./samfakt build/bench/gen build/bench/floor build/bench/rusage $(FONT_DIR) $(BENCH_DIR)

# Remake the font subsets (every character of Windows-1252, the PDFs'
# encoding) from Debian's DejaVu into build/fonts, and say which differ
# from src/fonts. They are never written over src/fonts: every issued
# invoice is remade from its record with the fonts it was drawn in, so the
# shipped files never change (new fonts would come with a new layout).
# The classic fonts keep every name and the glyph names; the slim ones
# (layout 3) only the font's own names, no glyph names, no layout tables.
FONT_FACES = DejaVuSans DejaVuSans-Bold DejaVuSans-Oblique DejaVuSans-BoldOblique
fonts:
	@$(MAKE) --no-print-directory deps EXTRA_DEBS="$(DEB_FONTS)"
	@set -e; mkdir -p build/fonts; \
	chars=$$(printf '%s' "$$(seq 32 126; seq 160 255)" | awk '{ printf "%sU+%04X", (NR > 1 ? "," : ""), $$1 }'); \
	chars="$$chars,U+20AC,U+201A,U+0192,U+201E,U+2026,U+2020,U+2021,U+02C6,U+2030,U+0160,U+2039,U+0152,U+017D"; \
	chars="$$chars,U+2018,U+2019,U+201C,U+201D,U+2022,U+2013,U+2014,U+02DC,U+2122,U+0161,U+203A,U+0153,U+017E,U+0178"; \
	for f in $(FONT_FACES); do \
		pyftsubset /usr/share/fonts/truetype/dejavu/$$f.ttf --unicodes="$$chars" \
			--output-file=build/fonts/$$f.ttf --name-IDs='*' --name-legacy --name-languages='*' \
			--notdef-outline --glyph-names --layout-features=kern --no-hinting; \
		pyftsubset /usr/share/fonts/truetype/dejavu/$$f.ttf --unicodes="$$chars" \
			--output-file=build/fonts/$$f-slim.ttf --notdef-outline --layout-features='' --no-hinting \
			--drop-tables+=GDEF,GPOS,GSUB,MATH,gasp,FFTM; \
	done; \
	cp /usr/share/doc/fonts-dejavu-core/copyright build/fonts/LICENSE; \
	for f in build/fonts/*; do \
		cmp -s $$f src/fonts/$${f##*/} && echo "same as shipped: $$f" || echo "DIFFERS from src/fonts: $$f"; \
	done

# The manual pages pass mandoc's linter with nothing to say. They refer to
# each other, so the linter looks them up in a scratch manual path.
MAN = doc/samfakt.1 doc/samfakt.conf.5
man:
	@t=$$(mktemp -d) && mkdir $$t/man1 $$t/man5 && cp doc/samfakt.1 $$t/man1/ && \
	cp doc/samfakt.conf.5 $$t/man5/ && makewhatis $$t && \
	out=$$(mandoc -T lint -W style -m $$t $(MAN) 2>&1); rm -rf $$t; \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; echo "man: mandoc -T lint: no complaint"

# ---- install ------------------------------------------------------------------
# Everything install writes, relative to PREFIX; uninstall removes exactly
# these (and the folders of samfakt's own that are then empty).
BINDIR = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/samfakt
DOCDIR = $(PREFIX)/share/doc/samfakt
UNITDIR = $(PREFIX)/lib/systemd/system
FONT_FILES = $(wildcard src/fonts/*.ttf) src/fonts/LICENSE
EXAMPLES = $(wildcard config/*.ini input/*.csv input/kalmar/*.csv templates/*.md)
# What install writes, below PREFIX (names without spaces: every path is
# quoted where DESTDIR and PREFIX are joined to them, which may hold any).
INSTALLED = bin/samfakt $(FONT_FILES:src/fonts/%=share/samfakt/fonts/%) \
            share/man/man1/samfakt.1 share/man/man5/samfakt.conf.5 \
            $(EXAMPLES:%=share/doc/samfakt/examples/%) share/doc/samfakt/README.md \
            lib/systemd/system/samfakt-build@.service lib/systemd/system/samfakt-build@.timer \
            lib/systemd/system/samfakt-verify@.service lib/systemd/system/samfakt-verify@.timer \
            lib/sysusers.d/samfakt.conf
INSTALL_DIRS = share/samfakt/fonts share/samfakt share/doc/samfakt/examples/input/kalmar \
               share/doc/samfakt/examples/input share/doc/samfakt/examples/config \
               share/doc/samfakt/examples/templates share/doc/samfakt/examples share/doc/samfakt

install: samfakt
	@d="$(DESTDIR)$(PREFIX)"; \
	for sub in bin share/samfakt/fonts share/man/man1 share/man/man5 lib/systemd/system lib/sysusers.d \
		share/doc/samfakt/examples/config share/doc/samfakt/examples/input/kalmar \
		share/doc/samfakt/examples/templates; do install -d "$$d/$$sub" || exit 1; done; \
	install -m 755 samfakt "$$d/bin/samfakt" && \
	for f in $(FONT_FILES); do install -m 644 "$$f" "$$d/share/samfakt/fonts/" || exit 1; done && \
	install -m 644 doc/samfakt.1 "$$d/share/man/man1/" && \
	install -m 644 doc/samfakt.conf.5 "$$d/share/man/man5/" && \
	install -m 644 README.md "$$d/share/doc/samfakt/" && \
	for f in $(EXAMPLES); do install -m 644 "$$f" "$$d/share/doc/samfakt/examples/$$f" || exit 1; done && \
	exe="$(PREFIX)/bin/samfakt"; case "$$exe" in *" "*) exe="\"$$exe\"";; esac; \
	for u in samfakt-build@.service samfakt-build@.timer samfakt-verify@.service samfakt-verify@.timer; do \
		sed "s|@SAMFAKT@|$$exe|" "doc/$$u" >"$$d/lib/systemd/system/$$u" && \
		chmod 644 "$$d/lib/systemd/system/$$u" || exit 1; \
	done && \
	install -m 644 doc/samfakt.sysusers "$$d/lib/sysusers.d/samfakt.conf"

uninstall:
	@d="$(DESTDIR)$(PREFIX)"; \
	for f in $(INSTALLED); do rm -f "$$d/$$f"; done; \
	for sub in $(INSTALL_DIRS); do rmdir "$$d/$$sub" 2>/dev/null; done; true

# install and uninstall into a scratch DESTDIR: the program runs from
# anywhere with its own fonts, and uninstall leaves nothing behind.
install-check: samfakt
	@sh tests/install-check.sh

clean:
	rm -rf build samfakt
