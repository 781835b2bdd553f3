#!/usr/bin/env python3
"""tests/e2e/surface_test.py: the commands around the language, end to end.

usage: tests/e2e/surface_test.py KRT [-v]

Runs krt on standard input from a pipe and checks: \\ alone and the help
topics \\0 \\+ \\' \\: \\_ \\.; system commands (\\cmd, \\ cmd, ` 4:"cmd")
with their output in order, a failing command, a huge output and a
command stopped by SIGINT; the seed \\r across two processes; \\b t
tracing; \\s without a terminal; \\w . and _wn; and 2: with a small shared
library this test compiles ($CC, else cc): calls, adverbs, projections, an
error signalled from C, a missing library, a missing symbol and a bad
valence, each with KRT_LEAKCHECK=1.  The interactive parts (\\s at the
prompt, Ctrl-C) are in repl_surface_test.py.

Prints each failure (-v: each check), then exactly one last line
"N passed, N failed"; exits 1 when a check failed, 2 on misuse.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "..", "src")
TIMEOUT = 30

LIBRARY = r"""
#include "krt.h"
/* add2[x;y]: x+y of two ints */
K add2(krt *k, int n, K *a)
{
	int64_t x, y;
	int bad = n != 2 || krt_get_int(k, a[0], &x) || krt_get_int(k, a[1], &y);
	for (int i = 0; i < n; i++) krt_release(k, a[i]);
	return bad ? krt_signal(k, "int") : krt_int(k, x + y);
}
/* hello[]: a string */
K hello(krt *k, int n, K *a) { (void)n; (void)a; return krt_string(k, "hello"); }
/* twice x: (x;x), keeping the argument */
K twice(krt *k, int n, K *a)
{
	(void)n;
	K items[2] = { a[0], krt_retain(k, a[0]) };
	return krt_list(k, 2, items);
}
int not_a_function = 3;
"""


class Runner:
    def __init__(self, krt, verbose):
        self.krt = krt
        self.verbose = verbose
        self.passed = 0
        self.failed = 0
        self.dir = tempfile.mkdtemp(prefix="krt-surface-")

    def run(self, stdin, args=(), env=None):
        e = dict(os.environ)
        e.pop("KRT_LEAKCHECK", None)
        e.update(env or {})
        try:
            p = subprocess.run([self.krt, *args], input=stdin, cwd=self.dir, env=e,
                               capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return None, "", ""
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def result(self, name, why):
        if why:
            self.failed += 1
            print(f"FAIL {name}\n    " + "\n    ".join(why))
        else:
            self.passed += 1
            if self.verbose:
                print(f"ok   {name}")

    def check(self, name, stdin, status=0, out=None, out_re=None, err=None, err_re=None,
              args=(), leakcheck=True):
        env = {"KRT_LEAKCHECK": "1"} if leakcheck else None
        st, o, e = self.run(stdin.encode(), args, env)
        why = []
        if st is None:
            why.append(f"timed out after {TIMEOUT} s")
        else:
            if st != status:
                why.append(f"exit status {st}, want {status}")
            if out is not None and o != out:
                why.append(f"stdout {o!r}, want {out!r}")
            if out_re is not None and not re.search(out_re, o):
                why.append(f"stdout {o[:400]!r} does not match {out_re!r}")
            if err is not None and e != err:
                why.append(f"stderr {e!r}, want {err!r}")
            if err_re is not None and not re.search(err_re, e):
                why.append(f"stderr {e[:400]!r} does not match {err_re!r}")
        self.result(name, why)

    def interrupted(self, name, stdin, want_out):
        """krt runs stdin; SIGINT after 0.5 s must stop the command in it
        (break), and krt go on to the lines after it."""
        e = dict(os.environ, KRT_LEAKCHECK="1")
        p = subprocess.Popen([self.krt], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, cwd=self.dir, env=e)
        p.stdin.write(stdin.encode())
        p.stdin.flush()
        time.sleep(0.5)
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        why = []
        try:
            o, er = p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            self.result(name, ["still running 10 s after SIGINT"])
            return
        took = time.monotonic() - t0
        if took > 3:
            why.append(f"took {took:.1f} s after SIGINT")
        if p.returncode != 0:
            why.append(f"exit status {p.returncode}")
        if o.decode() != want_out:
            why.append(f"stdout {o.decode()!r}, want {want_out!r}")
        if b"break error" not in er:
            why.append(f"stderr {er.decode()!r} lacks 'break error'")
        self.result(name, why)


def help_checks(r):
    r.check("\\ alone lists the commands", "\\\n", out_re=r"\\b \[s\|t\|n\].*\n[\s\S]*\\w \.  ")
    for topic, want in (("0", r"^Types"), ("+", r"^Verbs"), ("'", r"^Adverbs"),
                        (":", r"^I/O verbs[\s\S]*.*2:[\s\S]*3:\(`host;port\)"),
                        ("_", r"^Reserved[\s\S]*_wn"), (".", r"^Assignment")):
        r.check(f"\\{topic} is help", f"\\{topic}\n1\n", out_re=want + r"[\s\S]*1\n\Z", err="")
    r.check("\\0 with an argument is a shell command", "\\0 x\n", status=0,
            err_re=r"status 127 error")


def shell_checks(r):
    r.check("\\echo prints in order", "1\n\\echo hi\n\\ echo there\n2\n",
            out="1\nhi\nthere\n2\n", err="")
    r.check("\\false: status 1 error, krt goes on", "\\false\n3\n", out="3\n",
            err_re=r"^status 1 error\n")
    r.check("\\exit 4 in a script stops it", "", args=[make(r, "f.k", "\\exit 4\n1\n")],
            status=1, out="", err_re=r"f\.k:1: status 4 error")
    r.check("` 4: gives the lines", '` 4:"echo a; echo b"\n', out='(,"a"\n ,"b")\n', err="")
    r.check("` 4: huge output", '#` 4:"seq 2000000"\n', out="2000000\n", err="")
    r.check("` 4: output past the heap limit: wsfull, the command killed",
            '` 4:"yes"\n1+1\n', args=["-w", "32"], out="2\n", err_re=r"wsfull error")
    r.check("` 4: a failing command", '` 4:"echo x; exit 9"\n', err_re=r"status 9 error")
    r.interrupted("SIGINT stops \\sleep", "\\sleep 20\n1+1\n", "2\n")
    r.interrupted("SIGINT stops ` 4:\"sleep\"", '` 4:"sleep 20"\n2+2\n', "4\n")


def make(r, name, text):
    path = os.path.join(r.dir, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def seed_checks(r):
    a = r.run(b"\\r 5\n10?100\n5?1.0\n")
    b = r.run(b"\\r 5\n10?100\n5?1.0\n")
    c = r.run(b"\\r 6\n10?100\n")
    why = []
    if a[0] != 0 or not a[1] or a[1] != b[1]:
        why.append(f"two runs with \\r 5 gave {a[1]!r} and {b[1]!r}")
    if c[1].split("\n")[0] == a[1].split("\n")[0]:
        why.append("\\r 6 gave the list of \\r 5")
    r.result("\\r 5 replays the same lists in another process", why)
    r.check("\\r shows the seed", "\\r 42\n\\r\n", out="42\n", err="")
    r.check("\\r junk is a type error", "\\r x\n", err_re=r"^type error")


def break_checks(r):
    r.check("\\b t traces the functions an error leaves", "f:{x+`a}\ng:{f x}\n\\b t\ng 1\n",
            out="", err_re=r"^at \{x\+`a\}\nat \{f x\}\ntype error")
    r.check("\\b n: no trace", "f:{x+`a}\n\\b n\nf 1\n\\b\n", out="`n\n",
            err_re=r"^type error")
    r.check("\\b x: domain", "\\b x\n", err_re=r"^domain error")


def script_error_checks(r):
    """As in Kona, a script goes on after a statement that does not parse
    or a name with no value at its top level; other errors stop it."""
    s = make(r, "ev.k", "1+1\nnope\n1 2)\n2+2\n")
    r.check("a script goes on after value and parse errors", "", args=[s],
            out="2\n4\n", err_re=r"ev\.k:2: value error\nnope\n(.|\n)*ev\.k:3: parse error\n1 2\)")
    s = make(r, "et.k", "1+1\n{x+nope}1\n2+2\n")
    r.check("an error in a lambda stops a script", "", args=[s], status=1,
            out="2\n", err_re=r"et\.k:2: type error")
    s = make(r, "et2.k", "1+1\n1+`a\n2+2\n")
    r.check("a type error stops a script", "", args=[s], status=1,
            out="2\n", err_re=r"et2\.k:2: type error")
    s = make(r, "lv.k", "a:1\nnope\nb:2\n")
    r.check("\\l goes on after a value error", f"\\l {s}\na+b\n", out="3\n",
            err_re=r"lv\.k:2: value error\nnope\n")
    s = make(r, "lt.k", "a:1\n1+`a\nb:2\n")
    r.check("\\l stops at a type error", f"\\l {s}\na\nb\n", out="1\n",
            err_re=r"type error(.|\n)*value error\nb")


def step_checks(r):
    s = make(r, "st.k", "a:6\na*7\nf:{[x]\n x+1}\nf a\n")
    r.check("\\s without a terminal shows each statement and value", f"\\s {s}\n",
            out="a:6\na*7\n42\nf:{[x]\n x+1}\nf a\n7\n", err="")
    r.check("\\s a missing file", "\\s no-such-file\n", err_re=r"^file error")


def memory_checks(r):
    r.check("\\w . lists variables, largest first, and directories",
            "a:!100000\nb:a\nc:!10\n\\d .foo\nx:\"hello\"\n\\d .k\n\\w .\n",
            out_re=r"alone +shared +variable\n +0 +1048576  \.k\.a\n +0 +1048576  \.k\.b\n"
                   r" +128 +0  \.k\.c\n +64 +0  \.foo\.x\n"
                   r" +alone +shared +directory.*\n +\d+ +1048576  \.  \(4 variables\)\n"
                   r" +\d+ +1048576  \.k  \(3 variables\)\n +\d+ +0  \.foo  \(1 variables\)\n\Z",
            err="")
    r.check("\\w .foo: one directory", "\\d .foo\nx:!10\n\\d .k\n\\w .foo\n",
            out_re=r"\.foo\.x\n[\s\S]* \.foo  \(1 variables\)\n\Z", err="")
    r.check("\\w of a non-directory", "a:1\n\\w .k.a\n", err_re=r"^type error")
    r.check("\\w of a missing directory", "\\w .nothere\n", err_re=r"^value error")
    r.check("\\w . lists 20 and says how many more", "d:.+(`$\"n\",'$!30;!30)\n\\w .\n",
            out_re=r"\.\.\. 1[0-9] more \(_wn lists all\)", err="")


def dl_checks(r):
    cc = os.environ.get("CC") or "cc"
    c = make(r, "t.c", LIBRARY)
    lib = os.path.join(r.dir, "libt.so")
    p = subprocess.run([cc, "-shared", "-fPIC", "-I", SRC, "-o", lib, c],
                       capture_output=True, timeout=60)
    if p.returncode:
        r.result("compile the test library", [p.stderr.decode()[:400]])
        return
    base = os.path.join(r.dir, "libt")
    r.check("2: loads a C function and calls it",
            f'f:`"{base}" 2:(`add2;2)\nf[2;3]\nf\n1 2 3 f\\: 10\n(f[1;])\' 5 6\n',
            out="5\nadd2\n11 12 13\n6 7\n", err="")
    r.check("2: the name with .so, a valence-0 function",
            f'g:`"{lib}" 2:(`hello;0)\ng[]\n', out='"hello"\n', err="")
    r.check("2: the same function loaded twice, and a third",
            f'a:`"{base}" 2:(`add2;2)\nb:`"{base}" 2:`add2,2\nt:`"{base}" 2:(`twice;1)\n'
            f'(a[1;2];b[3;4];t 5)\n', out="(3\n 7\n 5 5)\n", err="")
    r.check("2: an error signalled from C", f'f:`"{base}" 2:(`add2;2)\nf[1;`a]\n',
            err_re=r"^int error")
    r.check("2: a missing library names it", f'`"{r.dir}/nope" 2:(`add2;2)\n',
            err_re=re.escape(r.dir) + r"/nope\.so: cannot open shared object file")
    r.check("2: a missing symbol names it", f'`"{base}" 2:(`nosuch;2)\n',
            err_re=r"libt\.so: undefined symbol: nosuch error")
    r.check("2: a valence out of range", f'`"{base}" 2:(`add2;9)\n', err_re=r"^valence error")
    expr = f'f:`"{base}" 2:(`add2;2);g:`"{base}" 2:(`twice;1);(f[1;2];g 3)'
    why = []
    for n in range(1, 400):
        st, o, e = r.run(b"", ["-x", expr], {"KRT_FAIL_ALLOC": str(n), "KRT_LEAKCHECK": "1"})
        if st not in (0, 1):
            why.append(f"status {st} when allocation {n} fails: {e[-200:]!r}")
            break
        if st == 0:
            break
    else:
        why.append("never got through 400 allocations")
    r.result("2: every allocation failing in turn: no crash, no leak", why)
    r.check("2: a script stops at a missing library", "",
            args=[make(r, "dl.k", f'f:`"{r.dir}/nope" 2:(`f;1)\n1\n')], status=1,
            out="", err_re=r"dl\.k:1: .*nope\.so: cannot open")


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    if len(args) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    krt = os.path.abspath(args[0])
    r = Runner(krt, "-v" in sys.argv[1:])
    try:
        help_checks(r)
        shell_checks(r)
        seed_checks(r)
        break_checks(r)
        step_checks(r)
        script_error_checks(r)
        memory_checks(r)
        dl_checks(r)
    finally:
        shutil.rmtree(r.dir, ignore_errors=True)
    print(f"{r.passed} passed, {r.failed} failed")
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
