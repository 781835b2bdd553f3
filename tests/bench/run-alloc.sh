#!/bin/sh
# run-alloc.sh: build and run the allocator benchmark (tests/bench/alloc.c).
#
# Builds alloc.c four times into the bench build folder — against the krt
# heap (runtime/*.c compiled here with -O2 -DNDEBUG, never the debug heap),
# and against malloc from glibc, mimalloc and jemalloc, each in a binary of
# its own — then runs every (workload, allocator) pair BENCH_RUNS times
# (default 7), each run in a fresh process, interleaving allocators so that
# drift of the machine hits them alike, and prints on stdout, for each pair,
# the medians as exactly one line:
#
#   bench heap trace=<tight|trace> alloc=<krt|glibc|mimalloc|jemalloc> ns_per_op=<float> peak_rss_kb=<int>
#
# Nothing else goes to stdout; progress and problems go to stderr.  An
# allocator that cannot be built (mimalloc or jemalloc not installed) or
# whose binary fails is reported and skipped; the others still print, and
# the exit status is then 1.
#
# Environment: CC (default cc), CFLAGS (default -O2; optimisation,
# sanitizer and KRT_DEBUG flags in it are dropped), BENCH_RUNS, BENCH_TIMEOUT
# (seconds one run may take, default 120; a run past it fails), and the
# build folder: BENCH_BUILD, else $BUILD/bench, else build/bench at the top
# of the repository.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2}
runs=${BENCH_RUNS:-7}
timeout=${BENCH_TIMEOUT:-120}
out=${BENCH_BUILD:-${BUILD:+$BUILD/bench}}
out=${out:-$root/build/bench}
workloads="tight trace"
allocators="krt glibc mimalloc jemalloc"
status=0

say() { printf '%s\n' "bench: $*" >&2; }

case $runs$timeout in
''|*[!0-9]*) say "BENCH_RUNS and BENCH_TIMEOUT must be positive numbers"; exit 2 ;;
esac
if [ "$runs" -eq 0 ] || [ "$timeout" -eq 0 ]; then
	say "BENCH_RUNS and BENCH_TIMEOUT must be positive"
	exit 2
fi
# A heap bug that loops must not hang `make bench`: each run has a time limit.
limit=
if command -v timeout >/dev/null 2>&1; then
	limit="timeout $timeout"
fi

# A benchmark of a debug or sanitized build would measure the wrong thing.
flags=
for f in $CFLAGS; do
	case $f in
	-O*|-fsanitize*|-DKRT_DEBUG*|--coverage|-pg|-fprofile*) ;;
	*) flags="$flags $f" ;;
	esac
done
flags="-std=c11 -O2 -DNDEBUG -UKRT_DEBUG -pthread$flags"

mkdir -p "$out/runtime"
rm -f "$out"/alloc-* "$out"/runtime/*.o "$out/libkrt-runtime.a"

# ---- build -----------------------------------------------------------------

say "building into $out with $CC $flags"
built=
for src in "$root"/runtime/*.c; do
	[ -f "$src" ] || continue
	obj=$out/runtime/$(basename "$src" .c).o
	# shellcheck disable=SC2086
	if ! $CC $flags -I"$root/runtime" -I"$root" -c "$src" -o "$obj"; then
		say "cannot compile $src"
		rm -f "$obj"
	fi
done
set -- "$out"/runtime/*.o
if [ -f "$1" ]; then
	ar rcs "$out/libkrt-runtime.a" "$@"
fi

build() {   # name, extra cflags, extra libraries
	# shellcheck disable=SC2086
	$CC $flags -Wall -Wextra $2 -I"$root/runtime" "$here/alloc.c" \
		-o "$out/alloc-$1" $3 2>"$out/alloc-$1.log"
}
if [ -f "$out/libkrt-runtime.a" ] && build krt -DALLOC_KRT "$out/libkrt-runtime.a -lm"; then
	built="$built krt"
else
	say "krt: the benchmark does not build against runtime/ (see $out/alloc-krt.log)"
	status=1
fi
if build glibc "" "-ldl"; then
	built="$built glibc"
else
	say "glibc: the benchmark does not build (see $out/alloc-glibc.log)"
	status=1
fi
if build mimalloc -DALLOC_MIMALLOC -lmimalloc; then
	built="$built mimalloc"
else
	say "mimalloc: not installed (Debian: apt-get install libmimalloc-dev); skipped"
	status=1
fi
if build jemalloc -DALLOC_JEMALLOC -ljemalloc; then
	built="$built jemalloc"
else
	say "jemalloc: not installed (Debian: apt-get install libjemalloc-dev); skipped"
	status=1
fi
for a in $built; do
	if [ -s "$out/alloc-$a.log" ]; then
		say "$a: compiler messages:"
		cat "$out/alloc-$a.log" >&2
	fi
done

# ---- run -------------------------------------------------------------------

for w in $workloads; do
	for a in $built; do
		: >"$out/result-$w-$a"
	done
done
failed=
i=1
while [ "$i" -le "$runs" ]; do
	say "run $i of $runs:$built"
	for w in $workloads; do
		for a in $built; do
			case " $failed " in *" $a "*) continue ;; esac
			if line=$($limit "$out/alloc-$a" "$w"); then
				printf '%s\n' "$line" >>"$out/result-$w-$a"
			else
				say "$a: the $w run failed (or passed ${timeout}s); $a skipped"
				failed="$failed $a"
				status=1
			fi
		done
	done
	i=$((i + 1))
done

# The median of one field (ns_per_op or peak_rss_kb) over a result file.
median() {
	sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2" | sort -n | awk '
		{ v[NR] = $1 }
		END {
			if (NR % 2) m = v[(NR + 1) / 2]
			else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
			print m
		}'
}

for w in $workloads; do
	for a in $allocators; do
		case " $built " in *" $a "*) ;; *) continue ;; esac
		case " $failed " in *" $a "*) continue ;; esac
		ns=$(median ns_per_op "$out/result-$w-$a")
		rss=$(median peak_rss_kb "$out/result-$w-$a")
		rss=${rss%.*}
		printf 'bench heap trace=%s alloc=%s ns_per_op=%.3f peak_rss_kb=%d\n' \
			"$w" "$a" "$ns" "$rss"
	done
done
exit $status
