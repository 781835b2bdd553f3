#!/bin/sh
# tests/e2e/faults_test.sh: out of memory at every step loses nothing.  For
# each expression of tests/e2e/faults.txt, krt runs it with
# KRT_FAIL_ALLOC=n for n = 1, 2, ... (the nth allocation fails) until it
# succeeds; every run must end with status 0 (it got through) or 1 (the
# error wsfull), with KRT_LEAKCHECK=1 finding no block left: never a crash,
# never a leak (status 3).
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

while IFS= read -r e; do
	case $e in ''|'/'*) continue ;; esac
	n=1 bad=
	while [ "$n" -le "$limit" ]; do
		KRT_FAIL_ALLOC=$n KRT_LEAKCHECK=1 timeout -k 5 20 "$krt" -x "$e" \
			</dev/null >/dev/null 2>&1
		status=$?
		if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
			bad="status $status when allocation $n fails"
			break
		fi
		[ "$status" -eq 0 ] && break     # no allocation failed: all walked
		n=$((n + 1))
	done
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
