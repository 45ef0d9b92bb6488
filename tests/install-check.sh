#!/bin/sh
# install-check.sh - make install into a scratch DESTDIR (PREFIX=/usr):
# every file where it belongs; the installed program runs from any folder
# with its own fonts and no environment variable; make uninstall removes
# exactly what install wrote.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "install-check: $*" >&2; exit 1; }

make -s -C "$repo" install DESTDIR="$d" PREFIX=/usr >/dev/null
for f in bin/samfakt share/samfakt/fonts/DejaVuSans.ttf share/samfakt/fonts/LICENSE \
	share/man/man1/samfakt.1 share/man/man5/samfakt.conf.5 share/doc/samfakt/README.md \
	share/doc/samfakt/examples/config/samverkan.ini share/doc/samfakt/examples/input/kalmar/users.csv \
	share/doc/samfakt/examples/templates/verksamhetsplan.md \
	lib/systemd/system/samfakt-build@.service lib/systemd/system/samfakt-build@.timer \
	lib/systemd/system/samfakt-verify@.service lib/systemd/system/samfakt-verify@.timer \
	lib/sysusers.d/samfakt.conf; do
	[ -f "$d/usr/$f" ] || fail "no $f"
done
grep -qx 'ExecStart=/usr/bin/samfakt -q build -c %f/config' "$d/usr/lib/systemd/system/samfakt-build@.service" ||
	fail "the service does not run the installed program"
# the nightly job: a user of its own, the system read-only but for the
# cooperation's output; the units as systemd reads them (an instance of
# each, the program where this install put it), with nothing to say
for want in 'User=samfakt' 'ProtectSystem=strict' 'ReadWritePaths=%f/output' 'NoNewPrivileges=yes'; do
	grep -qx "$want" "$d/usr/lib/systemd/system/samfakt-build@.service" || fail "the service lacks $want"
done
grep -q '^u samfakt ' "$d/usr/lib/sysusers.d/samfakt.conf" || fail "no user samfakt for systemd-sysusers"
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir "$d/units"
	for u in build verify; do
		sed "s|^ExecStart=/usr/bin/samfakt|ExecStart=$d/usr/bin/samfakt|" "$d/usr/lib/systemd/system/samfakt-$u@.service" \
			>"$d/units/samfakt-$u@srv-samverkan.service"
		cp "$d/usr/lib/systemd/system/samfakt-$u@.timer" "$d/units/samfakt-$u@srv-samverkan.timer"
	done
	said=$(cd "$d/units" && systemd-analyze verify --man=no samfakt-build@srv-samverkan.service \
		samfakt-build@srv-samverkan.timer samfakt-verify@srv-samverkan.service \
		samfakt-verify@srv-samverkan.timer 2>&1) || fail "systemd-analyze verify: $said"
	[ -z "$said" ] || fail "systemd-analyze verify: $said"
	rm -r "$d/units"
else
	echo "install-check: SKIPPED systemd-analyze verify: no systemd-analyze here"
fi

# from another folder, with its own fonts
mkdir "$d/work"
cp -r "$d/usr/share/doc/samfakt/examples/." "$d/work/"
cd "$d/work"
env -u SAMFAKT_FONT_DIR "$d/usr/bin/samfakt" --version >version
grep -qx "samfakt [0-9][0-9.]*" version || fail "no version: $(cat version)"
grep -qx "fonts: $d/usr/bin/../share/samfakt/fonts" version || fail "fonts not its own: $(cat version)"
env -u SAMFAKT_FONT_DIR "$d/usr/bin/samfakt" -q build
pdffonts output/2016/budget-2016.pdf | grep -q DejaVuSans || fail "the budget summary has no DejaVu Sans"
env -u SAMFAKT_FONT_DIR "$d/usr/bin/samfakt" -q init "$d/work/ny"
[ -f "$d/work/ny/config/samverkan.ini" ] || fail "init wrote no configuration"
cd "$repo"
rm -rf "$d/work"

make -s -C "$repo" uninstall DESTDIR="$d" PREFIX=/usr >/dev/null
left=$(cd "$d" && find . -type f)
[ -z "$left" ] || fail "uninstall left: $left"
left=$(cd "$d/usr" && find . -depth -type d -name '*samfakt*')
[ -z "$left" ] || fail "uninstall left folders: $left"
# a space and an å in DESTDIR and PREFIX: everything inside DESTDIR, and
# uninstall removes nothing outside it (a path split at its space would
# name "$d/a" and a relative "b c/…" in the repository)
dest="$d/a b/å"
mkdir -p "$d/a" "$d/a/usr"
echo keep >"$d/a/sentinel"
before=$(cd "$repo" && git status --porcelain --untracked-files=all 2>/dev/null | md5sum)
make -s -C "$repo" install DESTDIR="$dest" PREFIX="/opt/sam fakt å" >/dev/null
[ -x "$dest/opt/sam fakt å/bin/samfakt" ] || fail "DESTDIR and PREFIX with a space: no program"
grep -qx 'ExecStart="/opt/sam fakt å/bin/samfakt" -q build -c %f/config' \
	"$dest/opt/sam fakt å/lib/systemd/system/samfakt-build@.service" || fail "the service's path is not quoted"
[ "$(cd "$d/a" && find . -type f)" = "./sentinel" ] || fail "install wrote outside DESTDIR: $(cd "$d/a" && find . -type f)"
"$dest/opt/sam fakt å/bin/samfakt" --version >/dev/null || fail "the program with a space in its path does not run"
make -s -C "$repo" uninstall DESTDIR="$dest" PREFIX="/opt/sam fakt å" >/dev/null
left=$(cd "$dest" && find . -type f)
[ -z "$left" ] || fail "uninstall left: $left"
[ -f "$d/a/sentinel" ] || fail "uninstall removed a file outside DESTDIR"
after=$(cd "$repo" && git status --porcelain --untracked-files=all 2>/dev/null | md5sum)
[ "$before" = "$after" ] || fail "install or uninstall wrote into the repository"
echo "install-check: install, run from elsewhere with its own fonts, uninstall: all clean; a space and å in DESTDIR and PREFIX too"
