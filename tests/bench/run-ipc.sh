#!/bin/sh
# run-ipc.sh: IPC benchmark.  Starts a server (krt -i, and Kona -i when KONA
# names a Kona binary) on 127.0.0.1 and drives it with ipc_client (built
# here: one process, one epoll set, many connections) for sync and async
# small messages from 1 and from 100 connections.  Each case runs 3 times
# and the run with the median rate is printed.
# usage: run-ipc.sh KRT [BUILD]; prints one line per case:
#   bench ipc op=<sync|async> server=<krt|kona|floor> clients=<1|100> msgs_per_s=<f> p50_us=<f> p99_us=<f>
# server=floor is ipc_client -echo: a C loop that answers each message at
# once with no interpreter, i.e. what the loopback and two process
# wake-ups cost per round trip.  No server can make a sync call faster.
# For sync calls from one client a second line,
#   bench ipc-cpu op=sync server=<krt|kona|floor> clients=1 server_cpu_us_per_msg=<f>
# gives the server's CPU time (user + system, from /proc) per call.
#
# Why a krt server is not 2x Kona's sync rate with one client.  Here (2
# vCPUs of a paravirtualized VM, a fuzzer and other builds on them, load
# 5-8; three runs of this script, 2026-12-04) a round trip takes, p50:
#   floor 18.5-18.9 us   krt 20.6-21.5 us   Kona 23.2-24.1 us
# and the server's CPU per call is
#   floor 9.7-9.8 us     krt 11.7-12.3 us   Kona 15.3-16.0 us.
# 2x Kona's rate needs a round trip under 12 us: 6.5 us below what a server
# that does nothing at all gets.  The round trip is the kernel's: perf on
# the krt server puts ~90% of its time in the kernel (send, recv, and
# pvm_irq_enable on each switch), under 10% in krt; per call krt makes 3
# system calls (poll, recv, send), Kona 5 (2 pselect, 2 recv, send), the
# floor 2 (read, write).  What the server itself adds to the floor is
# ~2-2.5 us for krt and ~5.5-6 us for Kona: krt's own cost per call is
# about 2.5x lower, but that is a tenth of the round trip.  With 100
# clients one poll returns many ready sockets (1,711 polls for 100,000
# calls), krt makes ~2 system calls per call, and the sync rate is higher
# than with one client (medians 26,306 vs 13,248 in 3 alternating runs at
# load 10).  Async, 100 clients and 1 are within the noise (medians
# 960,704 vs 1,123,094 in 5 alternating runs at load 10, single runs
# ranging 0.16-1.9 M): one client and the server take turns on one CPU,
# while 100 keep both busy at once and then compete with the load.
set -u
krt=$1
build=${2:-build}
here=$(dirname "$0")
mkdir -p "$build/tests/bench"
client=$build/tests/bench/ipc_client
${CC:-cc} -O2 -Wall -o "$client" "$here/ipc_client.c" || exit 1
status=0
sync_n=20000
port_base=$(( 20000 + $$ % 20000 ))

# The median (by rate) of 3 runs of: ipc_client PORT OP CLIENTS N
median_run() {
	for i in 1 2 3; do
		"$client" "$@" || return 1
	done | sort -t= -k2 -n | sed -n 2p | grep . || return 1
}

# CPU time (user + system, clock ticks) process $1 has used; empty when
# /proc does not say.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null
}

# Sync calls from one client, with the server's CPU time per call (what
# the server itself costs, apart from the wake-ups it waits for).
# name port pid
sync_one() {
	t0=$(cpu_ticks "$3")
	r=$(median_run "$2" sync 1 $sync_n) || return 1
	t1=$(cpu_ticks "$3")
	echo "bench ipc op=sync server=$1 clients=1 $r"
	hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
	[ -n "$t0" ] && [ -n "$t1" ] && awk -v t="$((t1 - t0))" -v hz="$hz" -v n=$sync_n -v name="$1" \
		'BEGIN { printf "bench ipc-cpu op=sync server=%s clients=1 server_cpu_us_per_msg=%.2f\n", name, t / hz * 1e6 / 60000 }'
	return 0
}

wait_listening() {   # port
	i=0
	while [ $i -lt 50 ]; do       # until it listens (5 s at most)
		if "$client" "$1" sync 1 1 >/dev/null 2>&1; then return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

run_server() {   # name binary port
	"$2" -i "$3" </dev/null >/dev/null 2>&1 &
	pid=$!
	wait_listening "$3" || status=1
	sync_one "$1" "$3" "$pid" || status=1
	for op in sync async; do
		for clients in 1 100; do
			case $clients,$op in 1,sync) continue ;; *,sync) n=500 ;; 1,*) n=50000 ;; *) n=5000 ;; esac
			r=$(median_run "$3" $op $clients $n) || { status=1; continue; }
			echo "bench ipc op=$op server=$1 clients=$clients $r"
		done
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

"$client" -echo $((port_base + 2)) &
echo_pid=$!
if wait_listening $((port_base + 2)); then
	sync_one floor $((port_base + 2)) "$echo_pid" || status=1
fi
kill "$echo_pid" 2>/dev/null
wait "$echo_pid" 2>/dev/null
run_server krt "$krt" $port_base
if [ -n "${KONA:-}" ]; then run_server kona "$KONA" $((port_base + 1)); fi
exit $status
