#!/bin/sh
# run-ipc.sh: IPC benchmark.  Starts a server (krt -i, and Kona -i when KONA
# names a Kona binary) on 127.0.0.1 and drives it with ipc_client (built
# here) for sync and async small messages from 1 and from 100 clients.
# usage: run-ipc.sh KRT [BUILD]; prints one line per case:
#   bench ipc op=<sync|async> server=<krt|kona> clients=<1|100> msgs_per_s=<f> p50_us=<f> p99_us=<f>
set -u
krt=$1
build=${2:-build}
here=$(dirname "$0")
mkdir -p "$build/tests/bench"
client=$build/tests/bench/ipc_client
${CC:-cc} -O2 -Wall -o "$client" "$here/ipc_client.c" || exit 1
status=0
port_base=$(( 20000 + $$ % 20000 ))

run_server() {   # name binary port
	"$2" -i "$3" </dev/null >/dev/null 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 50 ]; do       # until it listens (5 s at most)
		if "$client" "$3" sync 1 1 >/dev/null 2>&1; then break; fi
		sleep 0.1
		i=$((i + 1))
	done
	for op in sync async; do
		for clients in 1 100; do
			case $clients,$op in 1,*) n=20000 ;; *,sync) n=500 ;; *) n=5000 ;; esac
			r=$("$client" "$3" $op $clients $n) || { status=1; continue; }
			echo "bench ipc op=$op server=$1 clients=$clients $r"
		done
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

run_server krt "$krt" $port_base
if [ -n "${KONA:-}" ]; then run_server kona "$KONA" $((port_base + 1)); fi
exit $status
