#!/usr/bin/env python3
"""tests/e2e/faults_kept_test.py: faults lose nothing, seen from outside.

usage: tests/e2e/faults_kept_test.py KRT [-v]

- an update that meets the heap limit (krt -w) keeps the variable's value;
- a full heap can be emptied (a:0, \\trim, \\w) and the session computes
  again, 100 times over with vectors, lists, dictionaries, nested values;
- Ctrl-C (SIGINT) during a long primitive is acted on well within a
  generous bound, the statement fails with "break", the next one runs;
- SIGINT while krt waits for piped input does not end it; a read of
  /dev/zero stops at the heap limit.
Prints each failure, then exactly one last line "N passed, N failed".
"""
import os
import signal
import subprocess
import sys
import time

BOUND = 2.0          # seconds from SIGINT to the break error, generous


class Suite:
    def __init__(self, krt, verbose):
        self.krt, self.verbose = krt, verbose
        self.passed = self.failed = 0

    def ok(self, name, cond, detail=""):
        if cond:
            self.passed += 1
            if self.verbose:
                print("ok   " + name)
        else:
            self.failed += 1
            print("FAIL %s %s" % (name, detail))

    def pipe(self, args, text, timeout=120):
        env = dict(os.environ, KRT_LEAKCHECK="1")
        p = subprocess.run([self.krt] + args, input=text.encode(), capture_output=True,
                           timeout=timeout, env=env)
        return p.returncode, p.stdout.decode(), p.stderr.decode()


def updates_at_the_limit(s):
    st, out, err = s.pipe(["-w", "100"], "a:!0\ndo[100; a,:!1000000]\n4:a\n#a>0\n")
    lines = out.split()
    s.ok("a,: at the limit keeps a", st == 0 and lines[:1] == ["-1"] and "wsfull" in err,
         repr((st, out, err)))
    st, out, err = s.pipe(["-w", "100"], "a:!12500000\n1+1\na:0\n1+1\n\\trim\n\\w\nb:!1000\n+/b\n")
    s.ok("a full heap empties", st == 0 and out.split()[:2] == ["2", "2"] and "499500" in out,
         repr((st, out, err)))
    fill = "\n".join([
        "v:!0; l:(); d:.(); n:()",
        "do[1000; v,:!100000]",
        "do[1000000; l,:,(1;`a)]",
        "do[1000000; d[`$\"k\",$#d]:!10]",
        "do[100000; n:,(n;!10)]",
        "v:l:d:n:0",
        "k+:1",
    ]) + "\n"
    st, out, err = s.pipe(["-w", "64"], "k:0\n" + fill * 100 + "k\n", timeout=600)
    s.ok("fill and empty the heap 100 times", st == 0 and out.split()[-1:] == ["100"],
         repr((st, out[-200:], err[-300:])))


def break_in(s, setup, stmt):
    """Run setup, then stmt; SIGINT once stmt has run 0.3 s: the time to
    the break error, and whether the next statement printed 2."""
    env = dict(os.environ, KRT_LEAKCHECK="1")
    p = subprocess.Popen([s.krt], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env)
    os.set_blocking(p.stderr.fileno(), False)
    p.stdin.write((setup + "\n`0:\"ready\\n\"\n" + stmt + "\n").encode())
    p.stdin.flush()
    line = p.stdout.readline()           # setup done; stmt starts now
    time.sleep(0.3)
    p.send_signal(signal.SIGINT)
    t0 = time.monotonic()
    err = b""
    while time.monotonic() - t0 < 30 and b"break" not in err:
        try:
            err += p.stderr.read() or b""
        except (BlockingIOError, TypeError):
            pass
        time.sleep(0.005)
    took = time.monotonic() - t0
    out, rest = p.communicate(b"{x+1}1\n\\\\\n", timeout=60)
    return line.strip() == b"ready", took, out.decode(), p.returncode


def breaks(s):
    big = "x:40000000 _draw 1000000000"
    cases = [
        (big, "do[100; <x]"), (big, "<x"), (big, "=x"), (big, "$x"), (big, "x"),
        ("", "#!1000000000"), ("", "#1000000000#1 2"), ("", "#1000000000 _draw 10"),
        (big, "#x,x,x,x,x,x"), ("", "#6:\"/dev/zero\""), (big, "x+x*x-x"),
    ]
    for setup, stmt in cases:
        ready, took, out, st = break_in(s, setup, stmt)
        s.ok("break in %s" % stmt, ready and took < BOUND and out.strip().endswith("2") and st == 0,
             "took %.2f s, out %r, status %s" % (took, out[-100:], st))


def signals_on_input(s):
    p = subprocess.Popen([s.krt], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    p.stdin.write(b"1+1\n")
    p.stdin.flush()
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    time.sleep(0.2)
    out, err = p.communicate(b"2+2\n", timeout=30)
    s.ok("SIGINT while reading a pipe", out.split() == [b"2", b"4"] and p.returncode == 0,
         repr((out, err, p.returncode)))
    st, out, err = s.pipe(["-w", "200"], "#6:\"/dev/zero\"\n1+1\n")
    s.ok("6: of /dev/zero meets the limit", st == 0 and "wsfull" in err and out.strip() == "2",
         repr((st, out, err)))


def main():
    if len(sys.argv) < 2:
        print("usage: faults_kept_test.py KRT [-v]", file=sys.stderr)
        return 2
    s = Suite(os.path.abspath(sys.argv[1]), "-v" in sys.argv[2:])
    updates_at_the_limit(s)
    signals_on_input(s)
    breaks(s)
    print("%d passed, %d failed" % (s.passed, s.failed))
    return 1 if s.failed else 0


if __name__ == "__main__":
    sys.exit(main())
