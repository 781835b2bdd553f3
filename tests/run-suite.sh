#!/bin/sh
# tests/run-suite.sh: runs one test suite for make check and records its result.
#
# usage: sh tests/run-suite.sh LABEL RESULT SECONDS KIND COMMAND [ARG]...
#
# Runs COMMAND (stdin from /dev/null) with a time limit of SECONDS, keeps its
# output in RESULT.log, writes "passed failed" into RESULT and prints one line,
# "LABEL: N passed, N failed", followed by what went wrong if anything did.
# KIND says how the output is counted:
#   check        Check's summary lines "NN%: Checks: C, Failures: F, Errors: E"
#   counts       lines "N passed, N failed" (K-level drivers); when the last
#                such line is the sum of the ones before, it alone is taken
#   conformance  the conformance runner: prints "conformance: P/T passed";
#                only crashes and timeouts of krt count as failures
# A suite that crashes, times out, or exits non-zero without reporting a
# failure counts one failure more.  The script itself exits 0 (unless it is
# misused): make check sums the RESULT files to decide.

[ $# -ge 5 ] || { echo "usage: $0 LABEL RESULT SECONDS KIND COMMAND [ARG]..." >&2; exit 2; }
label=$1 result=$2 seconds=$3 kind=$4
shift 4
log=$result.log

# a driver committed without its execute bit still runs, by its #! line
if [ -f "$1" ] && [ ! -x "$1" ]; then
	interp=$(sed -n '1s/^#![[:space:]]*//p' "$1")
	# shellcheck disable=SC2086  # "/usr/bin/env python3" is meant to split
	set -- ${interp:-sh} "$@"
fi

timeout -k 10 "$seconds" "$@" </dev/null >"$log" 2>&1
status=$?

case $kind in
check)
	counts=$(awk '/^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+/ {
		gsub(/,/, ""); p += $3 - $5 - $7; f += $5 + $7; n++ }
		END { print p + 0, f + 0, n + 0 }' "$log") ;;
counts)
	counts=$(awk '/^[0-9]+ passed, [0-9]+ failed$/ {
		n++; lp = $1; lf = $3; p += $1; f += $3 }
		END { if (n > 1 && lp == p - lp && lf == f - lf) { p = lp; f = lf }
		      print p + 0, f + 0, n + 0 }' "$log") ;;
conformance)
	counts=$(awk '/^[0-9]+ passed, [0-9]+ failed$/ { p = $1; t = $1 + $3; n++ }
		/^[a-z]+ [0-9]+(, [a-z]+ [0-9]+)*$/ {
			for (i = 1; i < NF; i += 2) { c[$i] = $(i + 1) + 0 } }
		END { print p + 0, t + 0, n + 0, c["crash"] + c["timeout"] }' "$log") ;;
*)
	echo "$0: unknown kind $kind" >&2; exit 2 ;;
esac
# shellcheck disable=SC2086  # three or four numbers, meant to split
set -- $counts
if [ "$kind" = conformance ]; then
	passed=$1 total=$2 reported=$3 crashed=$4 failed=0
else
	passed=$1 failed=$2 reported=$3
fi

why=
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
	why="timed out after $seconds s"
elif [ "$reported" -eq 0 ]; then
	why="no result reported (exit status $status)"
elif [ "$kind" != conformance ] && [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	why="exit status $status"
fi

if [ "$kind" = conformance ]; then
	if [ -n "$why" ]; then
		printf 'conformance: %s (runner)\n' "$why"
		failed=1
	else
		printf 'conformance: %s/%s passed\n' "$passed" "$total"
		failed=$crashed
		[ "$crashed" -eq 0 ] || printf '  %s cases crashed or timed out:\n' "$crashed"
	fi
	passed=0    # a pass count is progress, not a test result of make check
	[ "$failed" -eq 0 ] || { grep -E '	(crash|timeout)	' "$log" | sed 's/^/    /' | head -n 20
		[ -n "$why" ] && tail -n 15 "$log" | sed 's/^/    /'; }
	printf '%s %s\n' "$passed" "$failed" >"$result"
	exit 0
fi

[ -z "$why" ] || failed=$((failed + 1))
printf '%s: %s passed, %s failed%s\n' "$label" "$passed" "$failed" "${why:+ ($why)}"
if [ "$failed" -ne 0 ]; then
	# Check names each failing test "file:line:F:case:test:0: message"
	if [ "$kind" = check ] && grep -qE ':[FE]:' "$log"; then
		grep -E ':[FE]:' "$log" | head -n 30
	else
		tail -n 30 "$log"
	fi | sed 's/^/    /'
	echo "    (whole output: $log)"
fi
printf '%s %s\n' "$passed" "$failed" >"$result"
exit 0
