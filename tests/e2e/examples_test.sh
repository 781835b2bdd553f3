#!/bin/sh
# tests/e2e/examples_test.sh: every script in examples/ runs as the README
# says (`krt examples/x.k`): with KRT_LEAKCHECK=1 it exits 0, writes nothing
# to stderr, and prints exactly examples/x.out (recorded from Kona, which
# prints the same, `0: output aside).
#
# usage: sh tests/e2e/examples_test.sh KRT [-v]
# Prints each failure (-v: each check), then exactly one last line
# "N passed, N failed"; exits 1 when a check failed, 2 on misuse.
# To record a new example's expected output: krt examples/x.k > examples/x.out

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 KRT [-v]" >&2; exit 2; }
case $1 in /*) krt=$1 ;; *) krt=$(pwd)/$1 ;; esac
[ -x "$krt" ] || { echo "$1: not an executable" >&2; exit 2; }
verbose=${2:-}
passed=0 failed=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/krt-examples.XXXXXX") || { echo "0 passed, 1 failed"; exit 1; }
trap 'rm -rf "$tmp"' EXIT

cd "$repo" || exit 2
for k in examples/*.k; do
	[ -f "$k" ] || continue
	name=${k%.k}
	why=
	KRT_LEAKCHECK=1 timeout -k 5 20 "$krt" "$k" </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		why="timed out"
	else
		[ "$status" -eq 0 ] || why="exit status $status, want 0"
		[ -s "$tmp/err" ] && why="${why:+$why; }stderr not empty"
		if [ ! -f "$name.out" ]; then
			why="${why:+$why; }no $name.out (the expected output)"
		elif ! cmp -s "$tmp/out" "$name.out"; then
			why="${why:+$why; }stdout differs from $name.out"
		fi
	fi
	if [ -n "$why" ]; then
		failed=$((failed + 1))
		echo "FAIL krt $k: $why"
		sed 's/^/    stderr: /' "$tmp/err" | head -n 10
		[ -f "$name.out" ] && diff "$name.out" "$tmp/out" | sed 's/^/    /' | head -n 20
	else
		passed=$((passed + 1))
		[ "$verbose" = -v ] && echo "ok   krt $k"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
