#!/bin/sh
# tests/e2e/faults_test.sh: out of memory at every step loses nothing.  For
# each expression of tests/e2e/faults.txt, krt runs it with
# KRT_FAIL_ALLOC=n for n = 1, 2, ... (the nth allocation fails) until it
# succeeds; every run must end with status 0 (it got through) or 1 (the
# error wsfull, said on stderr), with KRT_LEAKCHECK=1 finding no block
# left: never a crash, never a leak (status 3), never a silent failure.
# A script given arguments is walked the same way first.
#
# usage: sh tests/e2e/faults_test.sh KRT [-v]
# Prints each failure (-v: each expression), then exactly one last line
# "N passed, N failed"; exits 1 when a check failed, 2 on misuse.

here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 KRT [-v]" >&2; exit 2; }
case $1 in /*) krt=$1 ;; *) krt=$(pwd)/$1 ;; esac
[ -x "$krt" ] || { echo "$1: not an executable" >&2; exit 2; }
verbose=${2:-}
passed=0 failed=0
limit=2000         # allocations walked at most per expression

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
# a script with arguments walks the CLI's own set-up too (_a, reading it)
printf '_a\n+/!10\n' >"$tmp/args.k"

# walk "$@" (krt's arguments) with every allocation failing in turn; sets
# bad, and n to the runs made
walk() {
	n=1 bad=
	while [ "$n" -le "$limit" ]; do
		KRT_FAIL_ALLOC=$n KRT_LEAKCHECK=1 timeout -k 5 20 "$krt" "$@" \
			</dev/null >/dev/null 2>"$tmp/err"
		status=$?
		if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
			bad="status $status when allocation $n fails"
			break
		fi
		if [ "$status" -eq 1 ] && ! grep -q \
			'wsfull\|cannot create the interpreter state' "$tmp/err"; then
			bad="status 1 without wsfull when allocation $n fails: $(head -c 200 "$tmp/err")"
			break
		fi
		[ "$status" -eq 0 ] && break     # no allocation failed: all walked
		n=$((n + 1))
	done
}

walk "$tmp/args.k" one two
if [ -n "$bad" ]; then
	failed=$((failed + 1))
	echo "FAIL a script with arguments: $bad"
else
	passed=$((passed + 1))
	[ -n "$verbose" ] && echo "ok   a script with arguments ($n runs)"
fi

while IFS= read -r e; do
	case $e in ''|'/'*) continue ;; esac
	walk -x "$e"
	if [ -n "$bad" ]; then
		failed=$((failed + 1))
		echo "FAIL $e: $bad"
	else
		passed=$((passed + 1))
		[ -n "$verbose" ] && echo "ok   $e ($n runs)"
	fi
done < "$here/faults.txt"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
