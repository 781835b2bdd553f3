#!/bin/sh
# tests/e2e/filechange_test.sh: files changing under krt never crash it.
# 1: reads a private copy (lang/io_bin.c), so a value read from a file
# keeps its contents whatever another process does to the file, and a
# read that races with a change gives a value or a K error, never SIGBUS.
#
#  1. krt reads a file, another process truncates it (then extends it,
#     then rewrites it in place), and krt computes on the value: the old
#     contents each time.
#  2. a writer process truncates, extends and rewrites a file in place
#     (cp, truncate, dd conv=notrunc, cat >) in a loop while krt reads and
#     sums it 1000 times: krt ends normally, each read gives an int vector
#     or one of the errors length, type, domain, and nothing leaks.
#
# usage: sh tests/e2e/filechange_test.sh KRT [-v]
# Prints each failure, then exactly one last line "N passed, N failed";
# exits 1 when a check failed, 2 on misuse.

[ $# -ge 1 ] || { echo "usage: $0 KRT [-v]" >&2; exit 2; }
case $1 in /*) krt=$1 ;; *) krt=$(pwd)/$1 ;; esac
[ -x "$krt" ] || { echo "$1: not an executable" >&2; exit 2; }
verbose=${2:-}
passed=0 failed=0
tmp=$(mktemp -d) || exit 2
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2

result() {      # name, status (0: passed), detail
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		[ -n "$verbose" ] && echo "ok   $1"
	else
		failed=$((failed + 1))
		echo "FAIL $1: $3"
	fi
}

# wait (5 s at most) until file $1 has a line $2
await() {
	i=0
	while ! grep -qx "$2" "$1" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

# 1. one change between reading and using, for each kind of change
for change in 'truncate -s 0 m.K' 'truncate -s 10 m.K' 'truncate -s 4000000 m.K' \
	'dd if=other.K of=m.K conv=notrunc status=none' 'cp other.K m.K'; do
	rm -f in out m.K other.K
	mkfifo in
	KRT_LEAKCHECK=1 "$krt" <in >out 2>&1 &
	pid=$!
	exec 3>in
	printf '%s\n' '`other 1: 7+!30000; `m 1: !20000; a:1:`m; `0:"read\n"' >&3
	await out read
	sh -c "$change"
	printf '%s\n' '+/a' '(#a; a~!20000)' '\\' >&3
	exec 3>&-
	wait "$pid"
	status=$?
	pid=
	got=$(tr '\n' ' ' <out)
	[ "$status" -eq 0 ] && [ "$got" = "read 199990000 20000 1 " ]
	result "read, then $change, then use" $? "status $status, output: $got"
done

# 2. a writer changing the file in place all the time while krt reads it
"$krt" -e '`v1 1: !100000; `v2 1: 2*!50000; `v3 1: !200000; `m 1: !100000' </dev/null
(
	i=0
	while [ $i -lt 100000 ] && [ ! -f stop ]; do
		cp v1.K m.K; cp v3.K m.K; truncate -s 100 m.K; cat v1.K >m.K
		dd if=v3.K of=m.K conv=notrunc status=none; truncate -s 4000000 m.K; cp v2.K m.K
		i=$((i + 1))
	done
) &
pid=$!
out=$(KRT_LEAKCHECK=1 timeout -k 5 120 "$krt" -x 'n:0; e:(); do[1000; r:@[{1:x};`m;:]; :[0=*r; :[-1=4:r 1; n+:1+0*+/r 1; e,:,"kind"]; e,:,r 1]]; (n; ?e)' </dev/null 2>&1)
status=$?
touch stop
wait "$pid"
pid=
case $out in
*'"length"'*|*'"type"'*|*'"domain"'*|*'()'*) known=1 ;;
*) known= ;;
esac
unknown=$(printf '%s' "$out" | tr -d '\n' | sed 's/"length"//g; s/"type"//g; s/"domain"//g' | grep -c '"')
[ "$status" -eq 0 ] && [ -n "$known" ] && [ "$unknown" -eq 0 ]
result "1000 reads while a writer truncates, extends and rewrites" $? "status $status, output: $out"
[ -n "$verbose" ] && echo "     reads and errors: $(printf '%s' "$out" | tr '\n' ' ')"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
