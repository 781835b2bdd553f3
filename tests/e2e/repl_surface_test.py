#!/usr/bin/env python3
"""tests/e2e/repl_surface_test.py: system commands and stepping at the prompt.

usage: tests/e2e/repl_surface_test.py KRT [-v]

Drives krt through a pseudo-terminal with repl_test.py's Term: Ctrl-C
stopping \\sleep and ` 4:"sleep" (break, the prompt back at once), a
command reading the keyboard (it gets the terminal while it runs),
\\b s|t|n at an error in a lambda (suspend, trace, neither), and \\s f
stepping through a script: Enter runs a statement, other text runs first
and the statement is asked again, "/" skips one, "\\" stops.

Prints each failure (-v: each check), then exactly one last line
"N passed, N failed"; exits 1 when a check failed, 2 on misuse.
"""
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import repl_test  # noqa: E402
from repl_test import CTRL_C, CTRL_D, Failed, Runner, exits, prompt  # noqa: E402


def checks(r):
    def ctrl_c_command(line, echo):
        def check():
            t = r.start(r.home(), env={"KRT_LEAKCHECK": "1"})
            t.send(line + b"\r")
            t.expect(echo + b"\r\n")
            time.sleep(0.3)
            before = time.monotonic()
            t.send(CTRL_C, editing=False)
            t.expect(b"break error.*" + prompt(0), wait=2.0)
            if time.monotonic() - before >= 2.0:
                raise Failed("the break took 2 s or more")
            t.ask(b"1+1", b"2")
            t.send(CTRL_D)
            exits(t, 0)
        return check
    r.check("Ctrl-C stops \\sleep 20", ctrl_c_command(b"\\sleep 20", b"sleep 20"))
    r.check("Ctrl-C stops ` 4:\"sleep 20\"", ctrl_c_command(b'` 4:"sleep 20"', b'sleep 20"'))

    def keyboard():
        t = r.start(r.home())
        t.send(b"\\read x; echo got $x\r")
        t.expect(b"echo got \\$x\r\n")
        time.sleep(0.2)
        t.send(b"abc\r", editing=False)
        t.expect(b"got abc" + prompt(0))
        t.ask(b"2*3", b"6")
        t.send(CTRL_D)
        exits(t, 0)
    r.check("a command reads the keyboard", keyboard)

    def break_modes():
        t = r.start(r.home(), env={"KRT_LEAKCHECK": "1"})
        t.enter(b"f:{x+`a}")
        t.send(b"f 1\r")                  # \b s, the default: suspends
        t.expect(b"type error.*" + prompt(1))
        t.send(b"\\\r")
        t.expect(prompt(0))
        t.enter(b"\\b t")
        t.send(b"f 1\r")                  # traces, does not suspend
        t.expect(b"at \\{x\\+`a\\}\r\ntype error.*" + prompt(0))
        t.enter(b"\\b n")
        t.send(b"f 2\r")
        t.expect(b"f 2\r\ntype error\r\n.*" + prompt(0))
        t.send(CTRL_D)
        exits(t, 0)
    r.check("\\b s suspends, \\b t traces, \\b n does neither", break_modes)

    path = os.path.join(r.dir, "step.k")
    with open(path, "w") as f:
        f.write("a:6\na*7\nb:1\nc:2\n")

    def step():
        t = r.start(r.home(), env={"KRT_LEAKCHECK": "1"})
        t.send(b"\\s " + path[:-2].encode() + b"\r")
        t.expect(b"\r\na:6\r\n")
        t.send(b"\r")                      # run a:6
        t.expect(b"\r\na\\*7\r\n")
        t.send(b"a\r")                     # look at a first
        t.expect(b"\r\n6\r\na\\*7\r\n")
        t.send(b"\r")
        t.expect(b"\r\n42\r\nb:1\r\n")
        t.send(b"/\r")                     # skip b:1
        t.expect(b"\r\nc:2\r\n")
        t.send(b"\\\r")                    # stop before c:2
        t.expect(prompt(0))
        t.send(b"b\r")
        t.expect(b"value error.*" + prompt(0))
        t.send(b"c\r")
        t.expect(b"value error.*" + prompt(0))
        t.ask(b"a", b"6")
        t.send(CTRL_D)
        exits(t, 0)
    r.check("\\s steps through a script", step)

    def step_missing():
        t = r.start(r.home())
        t.send(b"\\s no-such-script\r")
        t.expect(b"no-such-script\\.k: No such file.*" + prompt(0))
        t.send(CTRL_D)
        exits(t, 0)
    r.check("\\s of a missing script", step_missing)


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    if len(args) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    krt = os.path.abspath(args[0])
    repl_test.DEADLINE = time.monotonic() + repl_test.BUDGET
    r = Runner(krt, "-v" in sys.argv[1:])
    try:
        checks(r)
    finally:
        for t in r.terms:
            t.close()
        shutil.rmtree(r.dir, ignore_errors=True)
    print(f"{r.passed} passed, {r.failed} failed")
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
