#!/bin/sh
# tests/e2e/pipe_test.sh: output that cannot be written.  A reader that
# goes away (krt ... | head -c 10) ends krt quietly: killed by SIGPIPE
# (status 141) when SIGPIPE has its default action, or status 1 without a
# word when SIGPIPE is ignored (the write fails with EPIPE); never an
# error with an empty name, never a core dump.  Any other failure to write
# (a full disk, /dev/full) is said on stderr, with status 1.
#
# usage: sh tests/e2e/pipe_test.sh KRT [-v]
# Prints each failure, then exactly one last line "N passed, N failed";
# exits 1 when a check failed, 2 on misuse.

[ $# -ge 1 ] || { echo "usage: $0 KRT [-v]" >&2; exit 2; }
case $1 in /*) krt=$1 ;; *) krt=$(pwd)/$1 ;; esac
[ -x "$krt" ] || { echo "$1: not an executable" >&2; exit 2; }
verbose=${2:-}
passed=0 failed=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

result() {      # name, status (0: passed), detail
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		[ -n "$verbose" ] && echo "ok   $1"
	else
		failed=$((failed + 1))
		echo "FAIL $1: $3"
	fi
}

# krt's status and stderr when its output goes to head -c 10; $1: "ignore"
# or "default" SIGPIPE, then krt's arguments; stdin from $tmp/in
piped() {
	mode=$1
	shift
	rm -f "$tmp/st" "$tmp/err"
	if [ "$mode" = ignore ]; then
		(trap '' PIPE; { "$krt" "$@" <"$tmp/in" 2>"$tmp/err"; echo $? >"$tmp/st"; } | head -c 10 >/dev/null)
	else
		{ "$krt" "$@" <"$tmp/in" 2>"$tmp/err"; echo $? >"$tmp/st"; } | head -c 10 >/dev/null
	fi
	st=$(cat "$tmp/st")
	err=$(cat "$tmp/err")
}

: >"$tmp/in"
for n in 100000 1000000; do
	piped ignore -x "!$n"
	[ "$st" = 1 ] && [ -z "$err" ]
	result "SIGPIPE ignored: krt -x '!$n' | head -c 10" $? "status $st, stderr: $err"
	piped default -x "!$n"
	{ [ "$st" = 141 ] || [ "$st" = 0 ]; } && [ -z "$err" ]
	result "SIGPIPE default: krt -x '!$n' | head -c 10" $? "status $st, stderr: $err"
done
printf '!1000000\n1+1\n!1000000\n' >"$tmp/in"
piped ignore
[ "$st" = 1 ] && [ -z "$err" ]
result "SIGPIPE ignored: statements on stdin | head -c 10" $? "status $st, stderr: $err"
piped default
{ [ "$st" = 141 ] || [ "$st" = 0 ]; } && [ -z "$err" ]
result "SIGPIPE default: statements on stdin | head -c 10" $? "status $st, stderr: $err"

if [ -w /dev/full ]; then
	err=$("$krt" -x '!10' </dev/null 2>&1 >/dev/full)
	st=$?
	[ "$st" = 1 ] && [ "$err" = "krt: cannot write the output: No space left on device" ]
	result "output to a full device" $? "status $st, stderr: $err"
	err=$(printf '1+1\n2+2\n' | "$krt" 2>&1 >/dev/full)
	st=$?
	[ "$st" = 1 ] && [ "$err" = "krt: cannot write the output: No space left on device" ]
	result "statements on stdin, output to a full device" $? "status $st, stderr: $err"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
