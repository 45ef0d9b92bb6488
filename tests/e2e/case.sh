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
