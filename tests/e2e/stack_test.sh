#!/bin/sh
# tests/e2e/stack_test.sh: the main thread's stack is measured, not
# guessed.  Under `ulimit -s 512` (and 8192 for contrast) krt runs deep
# recursion and deeply nested values (display, 5:, _bd, ~, parsing,
# release): each run must end with status 0 (a value) or 1 with a "stack
# error", never a crash, and with KRT_LEAKCHECK=1 nothing leaked.  At 512
# KiB the deep cases must really meet the limit.  Threads with small stacks
# are tested by tests/unit/stack_test.c.
#
# usage: sh tests/e2e/stack_test.sh KRT [-v]
# Prints each failure, then exactly one last line "N passed, N failed";
# exits 1 when a check failed, 2 on misuse.

[ $# -ge 1 ] || { echo "usage: $0 KRT [-v]" >&2; exit 2; }
case $1 in /*) krt=$1 ;; *) krt=$(pwd)/$1 ;; esac
[ -x "$krt" ] || { echo "$1: not an executable" >&2; exit 2; }
verbose=${2:-}
passed=0 failed=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

deep='a:{,x}/[100000;0]; '
# the disk form of 100000 lists, one in another, around ,0
form='n:100000; d:(_ci 1 0 0 0 0 0 0 0),(_ci |(8#256)_vs 24+16*n),(,/n#,_ci 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0),_ci 255 255 255 255 255 255 255 255 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0; '
for size in 512 8192; do
	stacked=0
	for e in '{_f x+1}0' 'f:{."f[]"}; f[]' "${deep}a" "${deep}5:a" "${deep}#_bd a" \
		"${deep}a~{,x}/[100000;0]" "${deep}a:0; 1" "${deep}-a" "${deep}\$a" "${deep}<(a;a)" \
		'.((100000#"("),"1",100000#")")' 'd:{.,(`a;x)}/[100000;1]; #_bd d' "${form}#_db d"; do
		out=$(cd "$tmp" && ulimit -s "$size" && KRT_LEAKCHECK=1 timeout -k 5 60 "$krt" -x "$e" \
			</dev/null 2>&1 >/dev/null)
		status=$?
		case $status.$out in
		0.) ok=1 ;;
		1."stack error"*) ok=1 stacked=$((stacked + 1)) ;;
		*) ok= ;;
		esac
		if [ -n "$ok" ]; then
			passed=$((passed + 1))
			[ -n "$verbose" ] && echo "ok   ulimit -s $size: $e (status $status)"
		else
			failed=$((failed + 1))
			echo "FAIL ulimit -s $size: $e: status $status: $out"
		fi
	done
	if [ "$size" = 512 ] && [ "$stacked" -lt 8 ]; then
		failed=$((failed + 1))
		echo "FAIL ulimit -s 512: only $stacked cases met the stack limit"
	else
		passed=$((passed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
