#!/bin/sh
# run-k.sh: time the K workloads of tests/bench/k/*.k on krt and, when
# KONA names a Kona binary, on Kona too; and the same work written in Lua
# 5.4 (tests/bench/lua/<workload>.lua, run by LUA, default lua5.4 when it is
# on the PATH; LUA= skips it) and in BQN (tests/bench/bqn/<workload>.bqn,
# run when BQN names a CBQN binary), and, as a reference line, in plain C
# (tests/bench/c/<workload>.c, built with $CC; impl=c).  A workload
# without a file for a language is not run in it.
#
#   sh tests/bench/run-k.sh path/to/krt [workload ...]
#
# prints on stdout, for each workload and implementation, exactly one line
#
#   bench k name=<workload> impl=<krt|lua|cbqn|kona|c> ms=<median of BENCH_RUNS runs>
#
# and nothing else; progress and problems go to stderr.
#
# A comment "/ skip <impl>: why" in a .k file leaves that implementation
# out of the workload (say, one that takes minutes there).
#
# A workload file holds comment lines (starting with "/"; "--" in Lua, "#"
# in BQN), setup lines, and last the timed expression.  A comment
# "/ repeat N" in the .k file makes the expression run N times (do[N;...],
# a Lua for loop, BQN's ⍟N; a C file is built with -DREPEAT=N and loops
# itself) in every language and the time be divided by N, for workloads
# too fast to time once.  The expression's value is
# dropped, never displayed.
#
# Timing excludes process start-up and setup, the same way for every
# implementation, by one of two methods (BENCH_METHOD):
#
#   t     (K implementations only; Lua, BQN and C are always timed by wrap)
#         each run is "setup; \t do[N;expr]" and the interpreter reports
#         the time with the K3 command \t.  Comparable only if every
#         implementation's \t reads the same clock: Kona's is processor
#         time (clock()); krt's, when written, read elapsed time, which on
#         a busy machine can be several times larger.
#   wrap  (the default) each run is timed from outside twice, once with
#         the setup only and once with the setup and do[N;expr]; the
#         median of the first is taken from the median of the second.  The
#         time is the processor time (user and system) of the
#         interpreter's process, as clock() in K3's \t, got from wait4 by
#         a small C helper built here with $CC; elapsed time (less steady
#         on a busy machine) only if the helper cannot be built.
#
#   auto  t when every implementation has \t, else wrap.
#
# Runs are interleaved (every workload on every implementation, then again)
# so that drift of the machine hits all alike.
#
# Environment: KONA (a Kona binary), LUA (a Lua 5.4 binary), BQN (a CBQN
# binary), CC (default cc), BENCH_RUNS (default
# 5), BENCH_TIMEOUT (seconds per run, default 60), BENCH_METHOD (wrap, t or
# auto).
# Kona loops forever at end of input after an error, so every script ends
# with \\, reads /dev/null, and runs under timeout.
# The K command \\ (exit) is written in single quotes on purpose.
# shellcheck disable=SC1003
set -eu

here=$(cd "$(dirname "$0")" && pwd)
runs=${BENCH_RUNS:-5}
limit=${BENCH_TIMEOUT:-60}
status=0

say() { printf '%s\n' "bench: $*" >&2; }

if [ $# -lt 1 ]; then
	say "usage: sh tests/bench/run-k.sh path/to/krt [workload ...]"
	exit 2
fi
case $runs in
''|*[!0-9]*|0) say "BENCH_RUNS must be a positive number"; exit 2 ;;
esac

krt=$1
shift
[ -x "$krt" ] || { say "krt: $krt is not an executable"; exit 2; }
impls=krt
LUA=${LUA-$(command -v lua5.4 || true)}
BQN=${BQN:-}
KONA=${KONA:-}
# add impl binary: time impl too if binary is an executable
add() {
	[ -n "$2" ] || return 0
	if command -v "$2" >/dev/null 2>&1 && [ -x "$(command -v "$2")" ]; then
		impls="$impls $1"
	else
		say "$1: $2 is not an executable; skipped"
		status=1
	fi
}
add lua "$LUA"
add cbqn "$BQN"
add kona "$KONA"
# the reference lines in plain C are built with the same compiler as krt
if command -v "${CC:-cc}" >/dev/null 2>&1; then impls="$impls c"; fi
binary() {
	case $1 in
	krt) printf '%s' "$krt" ;;
	lua) printf '%s' "$LUA" ;;
	cbqn) printf '%s' "$BQN" ;;
	kona) printf '%s' "$KONA" ;;
	esac
}
# the language of an implementation: its workload folder and file suffix
lang() { case $1 in lua) echo lua ;; cbqn) echo bqn ;; c) echo c ;; *) echo k ;; esac; }

if [ $# -gt 0 ]; then
	workloads=" $*"
else
	workloads=
	for f in "$here"/k/*.k; do
		[ -f "$f" ] && workloads="$workloads $(basename "$f" .k)"
	done
fi
[ -n "$workloads" ] || { say "no workloads in $here/k"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/krt-bench-k.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# cputime: run a program under a time limit and write the processor time
# (user and system, in microseconds) that it and its children used into a
# file.  Processor time, not elapsed time: the machine may be busy with
# other work, and K3's \t reports processor time (clock()) as well.
cat >"$tmp/cputime.c" <<'CEOF'
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t expired;
static void on_alarm(int sig) { (void)sig; expired = 1; }

int main(int argc, char **argv)
{
	if (argc < 4) {
		fputs("usage: cputime file seconds program [args...]\n", stderr);
		return 2;
	}
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: wait4 sees EINTR */
	pid_t pid = fork();
	if (pid < 0) { perror("fork"); return 2; }
	if (pid == 0) {
		execvp(argv[3], argv + 3);
		perror(argv[3]);
		_exit(127);
	}
	alarm((unsigned)atoi(argv[2]));
	int st;
	struct rusage ru;
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) { perror("wait4"); return 2; }
		if (expired) kill(pid, SIGKILL);
	}
	long long us = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL
		+ ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
	FILE *f = fopen(argv[1], "w");
	if (!f || fprintf(f, "%lld\n", us) < 0 || fclose(f)) { perror(argv[1]); return 2; }
	if (expired) return 124;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
CEOF
if ${CC:-cc} -O2 -Wall -Wextra -o "$tmp/cputime" "$tmp/cputime.c" 2>"$tmp/cputime.log"; then
	clock=cpu
else
	say "cannot build the processor-time helper (see below); elapsed time is used instead"
	cat "$tmp/cputime.log" >&2
	clock=wall
fi

# run impl script: the script's stdout and stderr into $tmp/out, the time it
# took in microseconds into $tmp/us; fails if the run fails, times out or
# says anything on stderr.  For C the script is the program itself.
run() {
	if [ "$1" = c ]; then set -- "$2"; else set -- "$(binary "$1")" "$2"; fi
	if [ "$clock" = cpu ]; then
		"$tmp/cputime" "$tmp/us" "$limit" "$@" </dev/null >"$tmp/out" 2>"$tmp/err" ||
			return 1
	else
		t0=$(date +%s%N)
		timeout "$limit" "$@" </dev/null >"$tmp/out" 2>"$tmp/err" || return 1
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000)) >"$tmp/us"
	fi
	! [ -s "$tmp/err" ]
}

# ---- method ----------------------------------------------------------------

printf '%s\n' '\t +/!1000' '\\' >"$tmp/probe.k"
method=${BENCH_METHOD:-wrap}
if [ "$method" = auto ]; then
	method=t
	for i in $impls; do
		[ "$(lang "$i")" = k ] || continue
		if ! run "$i" "$tmp/probe.k" || ! grep -qx ' *[0-9][0-9.]*' "$tmp/out"; then
			method=wrap
		fi
	done
fi
case $method in
t) say "timing inside the K interpreters with \\t" ;;
wrap) say "timing from outside ($clock time), less the same script without the timed expression" ;;
*) say "BENCH_METHOD must be wrap, t or auto"; exit 2 ;;
esac
# how impl is timed: t only for K implementations
method_of() { if [ "$(lang "$1")" = k ]; then printf '%s' "$method"; else printf wrap; fi; }

# ---- scripts ---------------------------------------------------------------

# lines file comment: the lines of a workload file that are neither blank
# nor comments (starting with the comment marker)
code_lines() {
	grep -v "^[[:space:]]*$2" "$1" | grep -v '^[[:space:]]*$' || true
}

# For each workload and language: $tmp/<w>.base.<lang> (setup),
# $tmp/<w>.run.<lang> (setup and the timed expression N times); the
# repeat count N in $tmp/<w>.n; $tmp/<w>.impls the implementations that
# have the workload.
for w in $workloads; do
	src=$here/k/$w.k
	[ -f "$src" ] || { say "$w: no $src"; exit 2; }
	n=$(sed -n 's|^/ *repeat *\([0-9][0-9]*\) *$|\1|p' "$src" | head -n 1)
	n=${n:-1}
	printf '%s\n' "$n" >"$tmp/$w.n"
	have=
	for i in $impls; do
		l=$(lang "$i")
		f=$here/$l/$w.$l
		[ -f "$f" ] || continue
		if grep -q "^/ *skip $i:" "$src"; then
			say "$w: not run on $i ($(sed -n "s|^/ *skip $i: *||p" "$src" | head -n 1))"
			continue
		fi
		have="$have $i"
		: >"$tmp/$w.$i.base"
		: >"$tmp/$w.$i.run"
		[ -f "$tmp/$w.run.$l" ] && continue
		if [ "$l" = c ]; then     # the programs: setup only, and N rounds
			{ ${CC:-cc} -O2 -DREPEAT=0 -o "$tmp/$w.base.c" "$f" &&
				${CC:-cc} -O2 -DREPEAT="$n" -o "$tmp/$w.run.c" "$f"; } 2>"$tmp/cc.log" ||
				{ say "$w: cannot build $f"; cat "$tmp/cc.log" >&2; exit 2; }
			continue
		fi
		case $l in
		k) code_lines "$f" / ;;
		lua) code_lines "$f" -- ;;
		bqn) code_lines "$f" '#' ;;
		esac >"$tmp/$w.lines"
		total=$(wc -l <"$tmp/$w.lines")
		[ "$total" -ge 1 ] || { say "$w: no timed expression in $f"; exit 2; }
		expr=$(tail -n 1 "$tmp/$w.lines")
		head -n $((total - 1)) "$tmp/$w.lines" >"$tmp/$w.base.$l"
		cp "$tmp/$w.base.$l" "$tmp/$w.run.$l"
		case $l in
		k)
			if [ "$method" = t ]; then
				printf '\\t do[%s;%s]\n' "$n" "$expr" >>"$tmp/$w.run.$l"
			else
				printf 'do[%s;%s]\n' "$n" "$expr" >>"$tmp/$w.run.$l"
			fi
			printf '%s\n' '\\' >>"$tmp/$w.base.$l"
			printf '%s\n' '\\' >>"$tmp/$w.run.$l" ;;
		lua) printf 'for _ = 1, %s do %s end\n' "$n" "$expr" >>"$tmp/$w.run.$l" ;;
		bqn)    # CBQN refuses an empty program: the setup ends with 0
			printf '0\n' >>"$tmp/$w.base.$l"
			printf '{𝕤 ⋄ %s}⍟%s 0\n' "$expr" "$n" >>"$tmp/$w.run.$l" ;;
		esac
	done
	printf '%s\n' "$have" >"$tmp/$w.impls"
done

# ---- runs ------------------------------------------------------------------

failed=
k=1
while [ "$k" -le "$runs" ]; do
	say "run $k of $runs:$workloads"
	for w in $workloads; do
		for i in $(cat "$tmp/$w.impls"); do
			case " $failed " in *" $w.$i "*) continue ;; esac
			l=$(lang "$i")
			if [ "$(method_of "$i")" = t ]; then
				if run "$i" "$tmp/$w.run.$l" &&
					ms=$(grep -x ' *[0-9][0-9.]*' "$tmp/out" | tail -n 1) &&
					[ -n "$ms" ]; then
					printf '%s\n' "$ms" >>"$tmp/$w.$i.run"
					continue
				fi
			else
				if run "$i" "$tmp/$w.base.$l" && ! [ -s "$tmp/out" ]; then
					cat "$tmp/us" >>"$tmp/$w.$i.base"
					if run "$i" "$tmp/$w.run.$l" && ! [ -s "$tmp/out" ]; then
						cat "$tmp/us" >>"$tmp/$w.$i.run"
						continue
					fi
				fi
			fi
			say "$w on $i failed; it is skipped (the output follows)"
			head -c 2000 "$tmp/out" "$tmp/err" >&2 || true
			failed="$failed $w.$i"
			status=1
		done
	done
	k=$((k + 1))
done

# The median of the numbers in a file, one a line.
median() {
	sort -n "$1" | awk '
		{ v[NR] = $1 }
		END {
			if (NR % 2) m = v[(NR + 1) / 2]
			else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
			print m
		}'
}

for w in $workloads; do
	n=$(cat "$tmp/$w.n")
	for i in $(cat "$tmp/$w.impls"); do
		case " $failed " in *" $w.$i "*) continue ;; esac
		run_m=$(median "$tmp/$w.$i.run")
		if [ "$(method_of "$i")" = t ]; then
			ms=$(awk -v r="$run_m" -v n="$n" 'BEGIN { printf "%.2f", r / n }')
		else
			# microseconds; a negative difference is noise around zero
			base_m=$(median "$tmp/$w.$i.base")
			ms=$(awk -v r="$run_m" -v b="$base_m" -v n="$n" \
				'BEGIN { d = (r - b) / n / 1000; if (d < 0) d = 0; printf "%.2f", d }')
		fi
		printf 'bench k name=%s impl=%s ms=%s\n' "$w" "$i" "$ms"
	done
done
exit $status
