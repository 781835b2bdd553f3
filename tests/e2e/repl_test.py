#!/usr/bin/env python3
"""tests/e2e/repl_test.py: the interactive krt, driven through a pseudo-terminal.

usage: tests/e2e/repl_test.py KRT [-v]

Starts krt on the child side of a pty (TERM=xterm, HOME a scratch folder)
and types at it as a user does: line editing keys, the history (Up arrow,
~/.krt_history written at exit, -H, an unwritable HOME, the 1000-line
bound), input open across lines, suspension at an error inside a lambda
(">" prompt, locals visible, ":x" resumes, "\\" leaves one level, nested
">>"), Ctrl-C breaking a long computation and at the prompt, Ctrl-D at the
top (exit 0) and at a suspension (exit 1), and KRT_LEAKCHECK=1 after a
session.

Prints each failure (-v: each check), then exactly one last line
"N passed, N failed"; exits 1 when a check failed, 2 on misuse.  The whole
run is bounded: no wait is longer than WAIT seconds and the file gives up
after BUDGET seconds.
"""
import errno
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import sys
import tempfile
import termios
import time

WAIT = 3.0          # seconds for one expected output or exit
BUDGET = 28.0       # seconds for the whole file
DEADLINE = time.monotonic() + BUDGET

UP, LEFT = b"\x1b[A", b"\x1b[D"
BACKSPACE, CTRL_A, CTRL_C, CTRL_D = b"\x7f", b"\x01", b"\x03", b"\x04"


class Failed(Exception):
    """A check did not hold; the message says what was seen."""


def prompt(depth=0):
    """A regular expression for the prompt at suspension depth `depth`,
    the last thing krt wrote."""
    return b"\r\n" + b">" * depth + b"  \\Z"


class Term:
    """One krt process on the child side of a pseudo-terminal."""

    def __init__(self, krt, home, args=(), env=None):
        e = {k: v for k, v in os.environ.items()
             if k not in ("KRT_LEAKCHECK", "KINIT", "KRT_FAIL_ALLOC")}
        e.update(TERM="xterm", LC_ALL="C")
        if home is None:
            e.pop("HOME", None)
        else:
            e["HOME"] = home
        e.update(env or {})
        self.buf = b""
        self.mark = 0            # expect() searches the output from here
        self.status = None
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execve(krt, [krt] + list(args), e)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

    def _read(self, until):
        """Read what krt wrote, waiting at most until `until`; False when
        the terminal is closed (krt exited)."""
        left = max(0.0, until - time.monotonic())
        try:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if ready:
                data = os.read(self.fd, 4096)
                if not data:
                    return False
                self.buf += data
        except OSError as ex:
            if ex.errno in (errno.EIO, errno.EBADF):
                return False
            raise
        return True

    def expect(self, pattern, wait=WAIT):
        """Wait for output after the mark matching `pattern` (a bytes
        regular expression); the mark moves past the match."""
        rx = re.compile(pattern, re.S)
        end = min(time.monotonic() + wait, DEADLINE)
        while True:
            m = rx.search(self.buf, self.mark)
            if m:
                self.mark = m.end()
                return m
            if time.monotonic() >= end:
                raise Failed(f"waited for {pattern!r}; krt wrote {self.buf[self.mark:][-300:]!r}")
            if not self._read(end):
                m = rx.search(self.buf, self.mark)
                if m:
                    self.mark = m.end()
                    return m
                raise Failed(f"krt exited while waiting for {pattern!r}; "
                             f"it wrote {self.buf[self.mark:][-300:]!r}")

    def send(self, data, editing=True):
        """Type `data`.  Keys meant for the line editor wait until it has
        the terminal (raw mode): typed earlier, the tty driver would take
        them (a Ctrl-D would be lost).  editing=False: send at once (a
        Ctrl-C while krt computes)."""
        if editing:
            end = min(time.monotonic() + WAIT, DEADLINE)
            while termios.tcgetattr(self.fd)[3] & termios.ICANON:
                if time.monotonic() >= end:
                    raise Failed("the line editor never took the terminal")
                self._read(time.monotonic() + 0.01)
        os.write(self.fd, data)

    def ask(self, text, want, depth=0):
        """Type a line and wait for `want` (bytes, exactly a line of
        output) followed by the prompt at `depth`."""
        self.send(text + b"\r")
        self.expect(b"\r\n" + re.escape(want) + prompt(depth))

    def enter(self, text, depth=0):
        """Type a line that prints nothing; wait for the prompt."""
        self.send(text + b"\r")
        self.expect(re.escape(text) + prompt(depth))

    def wait_exit(self, wait=WAIT):
        """Wait for krt to exit (reading what it writes meanwhile); its
        exit status."""
        end = min(time.monotonic() + wait, DEADLINE)
        while True:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(st)
                while self._read(time.monotonic()) and select.select([self.fd], [], [], 0)[0]:
                    pass
                return self.status
            if time.monotonic() >= end:
                raise Failed(f"krt did not exit; it wrote {self.buf[self.mark:][-300:]!r}")
            if not self._read(end):
                time.sleep(0.01)

    def close(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.status = -9
        try:
            os.close(self.fd)
        except OSError:
            pass


class Runner:
    def __init__(self, krt, verbose):
        self.krt = krt
        self.verbose = verbose
        self.passed = 0
        self.failed = 0
        self.dir = tempfile.mkdtemp(prefix="krt-repl-")
        self.n = 0
        self.terms = []

    def home(self):
        """A fresh, empty, writable HOME."""
        self.n += 1
        path = os.path.join(self.dir, f"home{self.n}")
        os.mkdir(path)
        return path

    def start(self, home, args=(), env=None, banner=True):
        """Start krt; wait for its first prompt."""
        t = Term(self.krt, home, args, env)
        self.terms.append(t)
        if banner:
            t.expect(rb"\Akrt [0-9]+\.[0-9]+\.[0-9]+ .*\\\\ to exit" + prompt())
        else:
            t.expect(rb"\A  \Z")
        return t

    def check(self, name, fn):
        if time.monotonic() >= DEADLINE:
            why = "not run: the time budget is spent"
        else:
            why = None
            try:
                fn()
            except Failed as ex:
                why = str(ex)
            except OSError as ex:
                why = f"OSError {ex}"
        for t in self.terms:
            t.close()
        self.terms = []
        if why:
            self.failed += 1
            print(f"FAIL {name}\n    {why}")
        else:
            self.passed += 1
            if self.verbose:
                print(f"ok   {name}")


def exits(t, want):
    st = t.wait_exit()
    if st != want:
        raise Failed(f"exit status {st}, want {want}; krt wrote {t.buf[-300:]!r}")


def history_lines(path):
    """The entries of a libedit history file (its header line dropped)."""
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    return [l for l in lines[1:] if l]


def checks(r):
    def banner_and_ctrl_d():
        t = r.start(r.home())
        t.ask(b"1+2", b"3")
        t.ask(b"!3", b"0 1 2")
        t.enter(b"a:5")
        t.ask(b"a*2", b"10")
        t.send(CTRL_D)
        exits(t, 0)
    r.check("banner, prompt, results; Ctrl-D at the top exits 0", banner_and_ctrl_d)

    def no_banner():
        t = r.start(r.home(), ["-b"], banner=False)
        t.ask(b"2+2", b"4")
        t.send(b"\\\\\r")
        exits(t, 0)
    r.check("-b: no banner; \\\\ exits 0", no_banner)

    def editing():
        t = r.start(r.home())
        t.send(b"2*3" + LEFT + LEFT + BACKSPACE + b"7\r")       # 7*3
        t.expect(b"\r\n21" + prompt())
        t.send(b"+2" + CTRL_A + b"40\r")                          # 40+2
        t.expect(b"\r\n42" + prompt())
        t.send(b"1+99" + BACKSPACE + BACKSPACE + b"1\r")         # 1+1
        t.expect(b"\r\n2" + prompt())
    r.check("editing: Left, Backspace, Ctrl-A", editing)

    home = r.home()

    def history_recall():
        t = r.start(home)
        t.ask(b"6*7", b"42")
        t.ask(b"1+1", b"2")
        t.send(UP + UP + b"\r")
        t.expect(b"\r\n42" + prompt())
        t.send(UP + b"\r")                                        # 6*7 again
        t.expect(b"\r\n42" + prompt())
        t.send(CTRL_D)
        exits(t, 0)
    r.check("history: Up recalls earlier lines", history_recall)

    def history_file():
        path = os.path.join(home, ".krt_history")
        if not os.path.exists(path):
            raise Failed(f"{path} was not written at exit")
        got = history_lines(path)
        if got[-2:] != [b"1+1", b"6*7"] or b"6*7" not in got[:-1]:
            raise Failed(f"history file holds {got!r}")
        t = r.start(home)
        t.send(UP + UP + b"\r")                                   # 1+1, from the file
        t.expect(b"\r\n2" + prompt())
        t.send(CTRL_D)
        exits(t, 0)
    r.check("history: ~/.krt_history written at exit, read at start", history_file)

    def history_off():
        h = r.home()
        t = r.start(h, ["-H"])
        t.ask(b"3+3", b"6")
        t.send(UP + b"\r")                    # the session's history still works
        t.expect(b"\r\n6" + prompt())
        t.send(CTRL_D)
        exits(t, 0)
        if os.path.exists(os.path.join(h, ".krt_history")):
            raise Failed("-H wrote ~/.krt_history")
        path = os.path.join(h, ".krt_history")
        with open(path, "wb") as f:
            f.write(b"_HiStOrY_V2_\n5*5\n")
        t = r.start(h, ["-H"])
        t.ask(b"4+4", b"8")
        t.send(CTRL_D)
        exits(t, 0)
        with open(path, "rb") as f:
            if f.read() != b"_HiStOrY_V2_\n5*5\n":
                raise Failed("-H changed an existing ~/.krt_history")
    r.check("history: -H writes no file", history_off)

    def history_no_home():
        for home_dir in (os.path.join(r.dir, "no-such-dir"), None):
            t = r.start(home_dir)
            t.ask(b"2*2", b"4")
            t.send(CTRL_D)
            exits(t, 0)
        if os.path.exists(os.path.join(r.dir, "no-such-dir")):
            raise Failed("krt created a missing HOME")
    r.check("history: HOME missing or unset", history_no_home)

    def history_bound():
        h = r.home()
        path = os.path.join(h, ".krt_history")
        with open(path, "wb") as f:
            f.write(b"_HiStOrY_V2_\n" + b"".join(b"1+%d\n" % i for i in range(1500)))
        t = r.start(h)
        t.send(UP + b"\r")                    # the newest entry of the file
        t.expect(b"\r\n1500" + prompt())
        t.ask(b"7-7", b"0")
        t.send(CTRL_D)
        exits(t, 0)
        got = history_lines(path)
        if len(got) > 1000:
            raise Failed(f"the history file holds {len(got)} entries, more than 1000")
        if got[-1] != b"7-7":
            raise Failed(f"the newest entry is {got[-1]!r}, want b'7-7'")
    r.check("history: bounded to 1000 entries", history_bound)

    def multi_line():
        t = r.start(r.home())
        t.enter(b"f:{[a;b]")                  # open: a continuation line
        t.enter(b" a*b}")
        t.ask(b"f[6;7]", b"42")
        t.enter(b"x:(1")
        t.enter(b" 2 3")
        t.enter(b" 4)")
        t.ask(b"x", b"(1\r\n 2 3\r\n 4)")
        t.enter(b's:"ab[')                    # a string open across lines
        t.enter(b'cd"')
        t.ask(b"#s", b"6")
        t.ask(b"+/!10 / a comment ( [", b"45")
    r.check("input open across lines", multi_line)

    def suspension():
        t = r.start(r.home())
        t.enter(b"a:1")
        t.enter(b"f:{a:x; a+`b}")
        t.send(b"f 5\r")
        # the error names the lambda and puts a caret under the failing verb
        t.expect(b"type error\r\n\\{a:x; a\\+`b\\}\r\n       \\^" + prompt(1))
        t.ask(b"a", b"5", 1)                  # the local, not the global
        t.ask(b"x", b"5", 1)
        t.ask(b"a*10", b"50", 1)
        t.ask(b":42", b"42", 0)               # f 5 gives 42
        t.ask(b"a", b"1")                     # the global again
        t.send(b"r:f 6\r")
        t.expect(b"type error.*" + prompt(1))
        t.enter(b":`done", 0)                 # r:f 6 resumed: prints nothing
        t.ask(b"r", b"`done")
        t.send(CTRL_D)
        exits(t, 0)
    r.check("suspension: > prompt, locals visible, :x resumes", suspension)

    def nested():
        t = r.start(r.home())
        t.enter(b"f:{a:x; a+`b}")
        t.enter(b"g:{y+`c}")
        t.send(b"f 5\r")
        t.expect(b"type error.*" + prompt(1))
        t.send(b"g[1;2]\r")
        t.expect(b"type error.*" + prompt(2))
        t.ask(b"y", b"2", 2)
        t.send(b"1+`z\r")                     # an error outside a lambda: no new level
        t.expect(b"type error.*" + prompt(2))
        t.send(b"\\\r")                       # leave g
        t.expect(prompt(1))
        t.ask(b"a", b"5", 1)
        t.send(b"\\\r")                       # leave f
        t.expect(prompt(0))
        t.ask(b"2+2", b"4")
        t.send(CTRL_D)
        exits(t, 0)
    r.check("suspension: nested >>, \\ leaves one level", nested)

    def ctrl_d_suspended():
        t = r.start(r.home())
        t.send(b"{x+`a}1\r")
        t.expect(b"type error.*" + prompt(1))
        t.send(CTRL_D)
        exits(t, 1)
    r.check("Ctrl-D at a suspension exits 1", ctrl_d_suspended)

    def quit_suspended():
        t = r.start(r.home())
        t.send(b"{x+`a}1\r")
        t.expect(b"type error.*" + prompt(1))
        t.send(b"\\\\\r")
        exits(t, 0)
    r.check("\\\\ at a suspension exits 0", quit_suspended)

    def ctrl_c_breaks():
        t = r.start(r.home())
        t.send(b"do[10000000000;1]\r")
        t.expect(b"do\\[10000000000;1\\]\r\n")
        time.sleep(0.3)                       # let it run
        before = time.monotonic()
        t.send(CTRL_C, editing=False)
        t.expect(b"break error.*" + prompt(0), wait=2.0)
        took = time.monotonic() - before
        if took >= 2.0:
            raise Failed(f"the break took {took:.2f} s")
        t.ask(b"2+2", b"4")
        t.send(CTRL_D)
        exits(t, 0)
    r.check("Ctrl-C breaks do[10000000000;1] within 2 s", ctrl_c_breaks)

    def ctrl_c_prompt():
        t = r.start(r.home())
        t.send(b"1+" + CTRL_C)                # drops the line
        t.expect(prompt(0))
        t.ask(b"3", b"3")
        t.ask(b"{x*2}21", b"42")             # no interrupt left pending
        t.ask(b"+/{x}'!5", b"10")
        t.send(CTRL_D)
        exits(t, 0)
    r.check("Ctrl-C at the prompt drops the line and leaves nothing pending", ctrl_c_prompt)

    def leakcheck():
        t = r.start(r.home(), env={"KRT_LEAKCHECK": "1"})
        t.enter(b"d:.((`a;1 2 3);(`b;\"text\"))")
        t.enter(b"f:{a:x,y; a+`b}")
        t.enter(b"g:{b:!x; b+`c}")
        t.send(b"f[1 2;3]\r")
        t.expect(b"type error.*" + prompt(1))
        t.send(b"g 10\r")
        t.expect(b"type error.*" + prompt(2))
        t.ask(b"b", b"0 1 2 3 4 5 6 7 8 9", 2)
        t.send(b"\\\r")
        t.expect(prompt(1))
        t.ask(b":a", b"1 2 3", 0)
        t.send(b"{do[10000000000;x]}1\r")
        t.expect(b"\\}1\r\n")
        time.sleep(0.2)
        t.send(CTRL_C, editing=False)          # inside a lambda too: to the top
        t.expect(b"break error.*" + prompt(0), wait=2.0)
        t.enter(b"h:{[p]")
        t.enter(b" p,d`b}")
        t.ask(b"h \"more \"", b"\"more text\"")
        t.send(CTRL_D)
        exits(t, 0)
        if b"leaked" in t.buf:
            raise Failed(f"krt reported leaks: {t.buf[-300:]!r}")
    r.check("KRT_LEAKCHECK=1 exits 0 after a session", leakcheck)

    def leakcheck_suspended():
        t = r.start(r.home(), env={"KRT_LEAKCHECK": "1"})
        t.enter(b"f:{a:!x; a+`b}")
        t.send(b"f 100\r")
        t.expect(b"type error.*" + prompt(1))
        t.send(CTRL_D)
        exits(t, 1)
        if b"leaked" in t.buf:
            raise Failed(f"krt reported leaks: {t.buf[-300:]!r}")
    r.check("KRT_LEAKCHECK=1, Ctrl-D at a suspension: exit 1, no leak", leakcheck_suspended)


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    if len(args) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    krt = os.path.abspath(args[0])
    if not os.access(krt, os.X_OK):
        print(f"{args[0]}: not an executable", file=sys.stderr)
        return 2
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
