#!/usr/bin/env python3
"""tests/e2e/net_test.py: krt processes talking over 127.0.0.1.

usage: tests/e2e/net_test.py KRT [-v] [--kona KONA]

Starts krt servers (krt -i 0 / -h 0 with a script that prints the port,
_p) and krt clients, and checks: sync and async messages, the handlers
.m.g .m.s .m.c and _w, errors both ways, refused and closed handles, a
100 MB value there and back, sync calls that nest (to one's own port, back
to the caller, through a third process), the text client
(host;port) 4:"GET ..." and _c, 100 concurrent clients each making 1,000 sync
calls with every answer checked, hostile peers (garbage, an oversized or
truncated message, a client stalled mid-message, one that leaves before
its answer) while others are served, the HTTP server through
http.client (keep-alive, pipelining, 400, 500), the timer, Ctrl-C in a
handler, fault injection on both sides of a round trip, and that every
server ends with KRT_LEAKCHECK=1 clean.  With --kona (or KONA in the
environment) the client and server suites also run against Kona.

Only 127.0.0.1 is used; every wait is bounded.  Prints each failure (-v:
each check), then exactly one last line "N passed, N failed".
"""
import http.client
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

WAIT = 60


class Suite:
    def __init__(self, krt, verbose):
        self.krt = krt
        self.verbose = verbose
        self.passed = self.failed = 0
        self.dir = tempfile.mkdtemp(prefix="krt-net-")

    def ok(self, name, cond, detail=""):
        if cond:
            self.passed += 1
            if self.verbose:
                print("ok  ", name)
        else:
            self.failed += 1
            print("FAIL", name, detail)

    def file(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def server(self, script, opt="-i", binary=None, env=None):
        """Start a server running script after printing its port; returns
        (process, port)."""
        path = self.file("srv%d.k" % time.monotonic_ns(), "`0:($_p),\"\\n\"\n" + script)
        e = dict(os.environ, KRT_LEAKCHECK="1")
        e.update(env or {})
        port = "0"
        if binary:                       # Kona cannot take port 0: find a free one
            with socket.socket() as t:
                t.bind(("127.0.0.1", 0))
                port = str(t.getsockname()[1])
            path = self.file("srv%d.k" % time.monotonic_ns(), script)
        p = subprocess.Popen([binary or self.krt, opt, port, path], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, cwd=self.dir)
        if binary:
            for _ in range(100):         # until it listens
                try:
                    socket.create_connection(("127.0.0.1", int(port)), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            return p, int(port)
        line = p.stdout.readline().decode().strip()
        try:
            return p, int(line)
        except ValueError:
            p.kill()
            p.wait()
            return p, 0

    def client(self, script, binary=None, env=None, timeout=WAIT):
        """Run a client script; (status, stdout, stderr)."""
        path = self.file("cli%d.k" % time.monotonic_ns(), script + "\n\\\\\n")
        e = dict(os.environ, KRT_LEAKCHECK="1")
        e.update(env or {})
        try:
            r = subprocess.run([binary or self.krt, path], stdin=subprocess.DEVNULL, capture_output=True,
                               env=e, cwd=self.dir, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, "", "timeout"
        return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")

    def stop(self, p, port, name):
        """Ask the server to leave (a message running \\\\); it must exit 0
        with no leak."""
        st, _, _ = self.client("h:3:(`\"127.0.0.1\";%d)\nh 3:\"\\\\\\\\\"" % port)
        try:
            out, err = p.communicate(timeout=WAIT)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            self.ok(name + ": server exits when told", False, "timeout")
            return ""
        err = err.decode(errors="replace")
        self.ok(name + ": server exits 0, no leak", p.returncode == 0 and "leaked" not in err,
                "status %s stderr %r" % (p.returncode, err[-500:]))
        return err


def read_to_close(sock):
    """Everything sock receives until the peer closes it."""
    data = b""
    while True:
        d = sock.recv(65536)
        if not d:
            return data
        data += d


def wire(value_bytes, mtype):
    return bytes([1, 0, 0, 0, 0, 0, 0, mtype]) + struct.pack("<q", len(value_bytes)) + value_bytes


def kstring(s):
    b = s.encode()
    body = struct.pack("<qq", -3, len(b)) + b + b"\0"
    return body + b"\0" * (-len(body) % 8)


def basics(s, server_bin=None, client_bin=None, label="krt"):
    p, port = s.server("closed:0\n", binary=server_bin)
    s.ok(label + ": server prints its port", port > 0)
    if not port:
        return
    first = f"""h:3:(`"127.0.0.1";{port})
`0:,5:h 4:"1+2"
h 3:"a:42"
`0:,5:h 4:"a"
`0:,5:@[{{h 4:"1+`a"}};0;:]
"""
    rest = f"""`0:,5:h 4:"_w>0"
`0:,5:h 4:1.5 2.5
h 3:".m.g:{{x*2}}"
`0:,5:h 4:21
`0:,5:@[{{h 4:`a}};0;:]
h 3:".m.g:_n"
`0:,5:h 4:"2*3"
h2:3:(`"127.0.0.1";{port})
h 3:".m.c:\\"closed+:1\\""
3:h2
i:0; while[(0=h 4:"closed")&i<100000; i+:1]
`0:,5:h 4:"closed"
`0:,5:@[{{3:x}};h2;:]
`0:,5:@[{{h2 4:1}};0;:]
`0:,5:@[{{3:x}};(`"127.0.0.1";1);:]
"""
    st, out, err = s.client(first + (rest if label == "krt" else ""), binary=client_bin)
    want = ["3", "42", '(1\n "type")', "1", "1.5 2.5", "42", '(1\n "type")', "6",
            "1", '(1\n "handle")', '(1\n "handle")', '(1\n "conn")']
    got = out.split("\n")
    lines, i = [], 0
    while i < len(got):                      # rejoin the shown lists
        if got[i].startswith("(") and not got[i].endswith(")"):
            j = i
            while j < len(got) and not got[j].endswith(")"):
                j += 1
            lines.append("\n".join(got[i:j + 1]))
            i = j + 1
        elif got[i]:
            lines.append(got[i])
            i += 1
        else:
            i += 1
    if label != "krt":
        want = want[:3]
        lines = lines[:3]
    s.ok(label + ": sync, async, handlers, errors, .m.c, closed and refused handles",
         st == 0 and lines == want, "status %s out %r err %r" % (st, lines, err[-300:]))
    if label == "krt":
        s.stop(p, port, label)
    else:
        p.kill()
        p.wait()


def stdin_too(s):
    """A server reads its stdin while it serves: a message sets a, a line
    typed on stdin shows it; at the end of stdin it goes on serving."""
    path = s.file("stdin.k", "`0:($_p),\"\\n\"\n")
    p = subprocess.Popen([s.krt, "-i", "0", path], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=dict(os.environ, KRT_LEAKCHECK="1"))
    port = int(p.stdout.readline())
    st, _, _ = s.client(f'h:3:(`"127.0.0.1";{port})\nh 4:"a:5"')
    p.stdin.write(b"a*2\n")
    p.stdin.flush()
    line = p.stdout.readline()
    p.stdin.close()                                        # -i: serving goes on
    p.stdin = None
    st2, out, _ = s.client(f'h:3:(`"127.0.0.1";{port})\n`0:,5:h 4:"a"')
    s.ok("stdin and messages in one loop; serving goes on after stdin ends",
         st == 0 and line == b"10\n" and out == "5\n", (st, line, out))
    s.stop(p, port, "stdin")
    for addr in ("0.0.0.0:0", "[::1]:0", "localhost:0"):
        r = subprocess.run([s.krt, "-i", addr, "-e", "`0:$_p>0"], capture_output=True, timeout=WAIT)
        s.ok("-i " + addr, r.returncode == 0 and r.stdout == b"1", r)
    r = subprocess.run([s.krt, "-i", "no:port"], capture_output=True, timeout=WAIT, stdin=subprocess.DEVNULL)
    s.ok("-i with a bad address says why", r.returncode == 1 and b"cannot listen on no:port" in r.stderr, r)


def terminal(s):
    """krt -i on a terminal: the REPL prompt, and messages handled while it
    waits for a line; Ctrl-C at the prompt drops the line."""
    import pty
    import select
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(TERM="xterm", HOME=s.dir)
        os.execv(s.krt, [s.krt, "-i", "0", "-H", "-b"])

    def read(until, t=WAIT):
        out, end = b"", time.time() + t
        while until not in out and time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.1)
            if r:
                try:
                    out += os.read(fd, 4096)
                except OSError:
                    break
        return out
    read(b"  ", 10)
    os.write(fd, b"`0:($_p),\"!\\n\"\r")
    got = read(b"!\r\n")
    port = int(got.split(b"!\r\n")[-2].split(b"\n")[-1].strip() or 0)
    st, out, _ = s.client(f'h:3:(`"127.0.0.1";{port})\nh 3:"b:7"\n`0:,5:h 4:"b*6"')
    os.write(fd, b"12\x03")
    read(b"  ", 2)
    os.write(fd, b"b\r")
    shown = read(b"7\r\n", 10)
    os.write(fd, b"\\\\\r")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    s.ok("the REPL on a terminal serves between lines", out == "42\n" and b"7\r\n" in shown
         and os.WEXITSTATUS(status) == 0, (out, shown, status))


def both_ways(s):
    """Errors the other way: the server sends the client code that fails
    there, while the client waits; a 100 MB value there and back."""
    p, port = s.server(".m.g:{_w 3:\"1+`b\"; x}\n")
    st, out, err = s.client(f"""h:3:(`"127.0.0.1";{port})
`0:,5:h 4:7
""")
    s.ok("an error in a message the client runs is shown there", st == 0 and out == "7\n"
         and "type error" in err, "%s %r %r" % (st, out, err))
    st, out, err = s.client(f"""h:3:(`"127.0.0.1";{port})
r:h 4:13000000#1.5
`0:,5:(#r;r~13000000#1.5)
""")
    s.ok("a 100 MB value there and back", st == 0 and out == "13000000 1\n", "%s %r %r" % (st, out, err[-300:]))
    s.stop(p, port, "100 MB")


def nested(s):
    """A sync call waits in the loop: a process calls its own port; a
    handler calls back the caller on the same handle, which calls the
    handler's side again (calls nested on one handle); a server calls a
    third process that calls back the first client; a call given up with
    Ctrl-C does not take the next call's answer."""
    path = s.file("self.k", """h:3:(`"127.0.0.1";_p)
`0:,5:h 4:"1+1"
.m.g:{:[x>0; _w 4:x-1; 100]}
`0:,5:h 4:3
`0:,5:@[{h 4:"1+`a"};0;:]
3:h
\\\\
""")
    r = subprocess.run([s.krt, "-i", "0", path], stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=WAIT, env=dict(os.environ, KRT_LEAKCHECK="1"))
    s.ok("a sync call to one's own port, nested 4 deep", r.returncode == 0
         and r.stdout == b'2\n100\n(1\n "type")\n', r)
    p, port = s.server("b:7\n.m.g:{:[4=4:x; _w 4:x; . x]}\n")
    st, out, err = s.client(f"""h:3:(`"127.0.0.1";{port})
.m.g:{{h 4:"b"}}
`0:,5:h 4:`q
`0:,5:h 4:"b"
""")
    s.ok("a handler calls back the caller, which calls again on the same handle",
         st == 0 and out == "7\n7\n", (st, out, err))
    z, zport = s.server(".m.g:{hx:3:(`\"127.0.0.1\";x 0); r:hx 4:\"a\"; 3:hx; r+x 1}\n")
    y, yport = s.server(f"""hz:3:(`"127.0.0.1";{zport})
.m.g:{{hz 4:x}}
""")
    path = s.file("third.k", f"""a:37
h:3:(`"127.0.0.1";{yport})
`0:,5:h 4:(_p;5)
`0:,5:h 4:(_p;6)
\\\\
""")
    r = subprocess.run([s.krt, "-i", "0", path], stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=WAIT, env=dict(os.environ, KRT_LEAKCHECK="1"))
    s.ok("a server calls a third process that calls back the waiting client",
         r.returncode == 0 and r.stdout == b"42\n43\n", r)
    st, out, err = s.client(f"""ticks:0
.m.ts:{{ticks+:1}}
\\t 5
h:3:(`"127.0.0.1";{port})
r:h 4:"w:_t; while[_t<w+1;]; 5"
`0:,5:(r;ticks)
\\t 0
""")
    s.ok("the timer does not tick inside a sync call", st == 0 and out == "5 0\n", (st, out, err))
    q, qport = s.server(f"""hp:3:(`"127.0.0.1";{port})
log:!0
.m.s:{{if[-3=4:x; :. x]; if[x=1; hp 4:"w:_t; while[_t<w+2;]"]; log,:x}}
""")
    k = socket.create_connection(("127.0.0.1", qport))
    k.settimeout(WAIT)
    k.sendall(wire(struct.pack("<qq", 1, 1), 0))
    time.sleep(0.2)                                  # while .m.s waits for 1
    k.sendall(wire(struct.pack("<qq", 1, 2), 0) + wire(kstring("log"), 1))
    data = b""
    while len(data) < 16 or len(data) < 16 + struct.unpack("<q", data[8:16])[0]:
        d = k.recv(4096)
        if not d:
            break
        data += d
    k.close()
    s.ok("messages of one peer are handled in order while a handler waits in a sync call",
         data[16:] == struct.pack("<qqqqqqqq", 0, 2, 1, 0, -1, 2, 1, 2), data)
    s.stop(q, qport, "in order")
    s.stop(y, yport, "nested: middle")
    s.stop(z, zport, "nested: third")
    s.stop(p, port, "nested")
    p, port = s.server("")
    c = subprocess.Popen([s.krt], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=dict(os.environ, KRT_LEAKCHECK="1"))
    c.stdin.write(f'h:3:(`"127.0.0.1";{port})\n`0:"sent\\n"\n'.encode()
                  + b'h 4:"t:_t; while[_t<t+2;]; `late"\n')
    c.stdin.flush()
    c.stdout.readline()
    time.sleep(0.5)
    c.send_signal(signal.SIGINT)
    try:
        out, err = c.communicate(b'h 4:"1+1"\nh 4:"3+3"\n', timeout=WAIT)
    except subprocess.TimeoutExpired:
        c.kill()
        out, err = c.communicate()
    s.ok("the answer of a call given up is not the next call's", out == b"2\n6\n"
         and b"break" in err and c.returncode == 0, (out, err, c.returncode))
    s.stop(p, port, "given up")


def many(s, clients=100, calls=1000):
    p, port = s.server(".m.g:{x*2}\n")
    path = s.file("many.k", f"""h:3:(`"127.0.0.1";{port})
`0:$&/{{(h 4:x)=2*x}}'!{calls}
\\\\
""")
    procs = [subprocess.Popen([s.krt, path], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(clients)]
    good = 0
    for q in procs:
        try:
            out, _ = q.communicate(timeout=300)
            good += q.returncode == 0 and out == b"1"
        except subprocess.TimeoutExpired:
            q.kill()
            q.communicate()
    s.ok(f"{clients} clients x {calls} sync calls, every answer checked", good == clients, f"{good} good")
    s.stop(p, port, "many clients")


def hostile(s):
    p, port = s.server(".m.g:{x+1}\n")
    socks = []
    g = socket.create_connection(("127.0.0.1", port))
    g.sendall(b"\x07" * 64)                              # garbage
    socks.append(g)
    big = socket.create_connection(("127.0.0.1", port))
    big.sendall(bytes([1, 0, 0, 0, 0, 0, 0, 1]) + struct.pack("<q", 1 << 40))   # oversized
    socks.append(big)
    bad = socket.create_connection(("127.0.0.1", port))
    bad.sendall(wire(struct.pack("<qq", 99, 0), 1))       # a type _db rejects
    socks.append(bad)
    stall = socket.create_connection(("127.0.0.1", port))
    stall.sendall(wire(kstring("x" * 1000), 1)[:40])     # stalled mid-message
    st, out, err = s.client(f"""h:3:(`"127.0.0.1";{port})
`0:$&/{{(h 4:x)=x+1}}'!200
""")
    s.ok("others are served while hostile peers are connected", st == 0 and out == "1", "%s %r %r" % (st, out, err))
    for c in socks:                                       # each was closed by the server
        c.settimeout(WAIT)
        try:
            data = c.recv(100)
        except OSError:
            data = b""
        s.ok("a hostile connection is closed", data == b"")
        c.close()
    leave = socket.create_connection(("127.0.0.1", port))   # leaves before its answer
    leave.sendall(wire(kstring("!10000000"), 1))
    leave.close()
    stall.close()                                        # the peer left mid-message
    st, out, _ = s.client(f"""h:3:(`"127.0.0.1";{port})
`0:,5:h 4:41
""")
    s.ok("the server goes on after a peer left before its answer (no SIGPIPE)", st == 0 and out == "42\n", out)
    err = s.stop(p, port, "hostile")
    for why in ("malformed message header", "larger than the limit", "bad message", "middle of a message"):
        s.ok("one line on stderr: " + why, why in err, err[-400:])


def exhausted(s):
    """Out of file descriptors: the server neither spins nor stops; once
    peers leave, it accepts again."""
    import resource
    path = s.file("emfile.k", "`0:($_p),\"\\n\"\n")
    p = subprocess.Popen([s.krt, "-i", "0", path], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=dict(os.environ, KRT_LEAKCHECK="1"),
                         preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (16, 16)))
    port = int(p.stdout.readline())
    socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(30)]

    def ticks():
        f = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
        return int(f[11]) + int(f[12])
    a = ticks()
    time.sleep(1)
    spent = ticks() - a
    for c in socks:
        c.close()
    st, out, _ = s.client(f'h:3:(`"127.0.0.1";{port})\n`0:,5:h 4:"1+1"')
    s.ok("out of descriptors: no busy loop (%d ticks in 1 s), serving resumes" % spent,
         spent < 20 and st == 0 and out == "2\n", (spent, st, out))
    s.stop(p, port, "descriptors")


def bad_server(s):
    """The client side of bad input: a server that answers half a message
    and leaves, or answers garbage: the call fails with closed, krt goes on."""
    import threading
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(4)
    port = lst.getsockname()[1]

    def serve():
        for reply in (wire(struct.pack("<qq", 1, 5), 2)[:20], b"\xff" * 32):
            c, _ = lst.accept()
            c.recv(1000)
            c.sendall(reply)
            time.sleep(0.1)
            c.close()
    t = threading.Thread(target=serve)
    t.start()
    st, out, err = s.client(f"""h:3:(`"127.0.0.1";{port})
`0:,5:@[{{h 4:1}};0;:]
h:3:(`"127.0.0.1";{port})
`0:,5:@[{{h 4:1}};0;:]
""")
    t.join(WAIT)
    lst.close()
    s.ok("a reply cut short or garbage: the call fails with closed", st == 0
         and out == '(1\n "closed")\n(1\n "closed")\n' and "malformed message header" in err, (st, out, err))


def http_server(s):
    p, port = s.server('.m.h:{:[x~"GET /err HTTP/1.1"; 1+`a; "you asked: ",x]}\n', opt="-h")
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    got = []
    for path in ("/a", "/err", "/b"):                     # one kept-alive connection
        c.request("GET", path)
        r = c.getresponse()
        got.append((r.status, r.read()))
    s.ok("HTTP: keep-alive, 200 and 500 with the error name",
         got == [(200, b"you asked: GET /a HTTP/1.1"), (500, b"type\n"), (200, b"you asked: GET /b HTTP/1.1")], got)
    c.close()
    k = socket.create_connection(("127.0.0.1", port))
    k.settimeout(WAIT)
    k.sendall(b"GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nConnection: close\r\n\r\n")
    data = read_to_close(k)
    s.ok("HTTP: pipelined requests answered in order", data.count(b"HTTP/1.1 200") == 2
         and data.index(b"GET /1") < data.index(b"GET /2"), data)
    k = socket.create_connection(("127.0.0.1", port))
    k.settimeout(WAIT)
    k.sendall(b"nonsense\r\n\r\n")
    s.ok("HTTP: a bad request gets 400", k.recv(1000).startswith(b"HTTP/1.1 400"))
    p.send_signal(signal.SIGTERM)
    p.communicate(timeout=WAIT)
    b, bport = s.server('.m.g:{if[x~"GET /1 HTTP/1.1"; w:_t; while[_t<w+2;]]; x}\n')
    p, port = s.server(f'h:3:(`"127.0.0.1";{bport})\n.m.h:{{h 4:x}}\n', opt="-h")
    k = socket.create_connection(("127.0.0.1", port))
    k.settimeout(WAIT)
    k.sendall(b"GET /1 HTTP/1.1\r\n\r\n")
    time.sleep(0.1)                                        # while .m.h waits for /1
    k.sendall(b"GET /2 HTTP/1.1\r\nConnection: close\r\n\r\n")
    data = read_to_close(k)
    s.ok("HTTP: pipelined requests whose .m.h waits in a sync call are answered in order",
         data.count(b"HTTP/1.1 200") == 2 and 0 <= data.find(b"GET /1") < data.find(b"GET /2"), data)
    p.send_signal(signal.SIGTERM)
    p.communicate(timeout=WAIT)
    s.stop(b, bport, "HTTP backend")


def text_server(replies):
    """A thread serving one connection per reply: it reads a request up to
    its blank line, keeps it, sends the reply and closes.  (port, requests)."""
    import threading
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(8)
    lsock.settimeout(WAIT)
    requests = []

    def serve():
        for reply in replies:
            try:
                c, _ = lsock.accept()
            except OSError:
                break
            c.settimeout(WAIT)
            req = b""
            while not req.endswith(b"\r\n\r\n"):
                d = c.recv(4096)
                if not d:
                    break
                req += d
            requests.append(req)
            c.sendall(reply)
            c.close()
        lsock.close()
    threading.Thread(target=serve, daemon=True).start()
    return lsock.getsockname()[1], requests


def fetch(s):
    """Kona's text client (host;port) 4:"request" and `host`service 4:,
    against a plain TCP server and against krt's own -h; and _c."""
    port, requests = text_server([b"HTTP/1.0 200 OK\r\n\r\nbody", b"x", b"", b"two"])
    st, out, err = s.client(f"""r:(`"127.0.0.1";{port}) 4:"GET /a HTTP/1.0"
`0:5:r
`0:"\n"
b:4:(`"127.0.0.1";{port}) 4:"GET /b"
`0:,5:(b;4:(`"127.0.0.1";{port}) 4:"GET /c")
`0:,5:`"127.0.0.1"`"{port}" 4:"GET /d"
`0:,5:@[{{(`"127.0.0.1";x) 4:"GET /"}};1;:]
`0:,5:@[{{x 4:"GET /"}};(`"127.0.0.1";1.5);:]
`0:,5:@[{{(`"127.0.0.1";{port}) 4:x}};1 2;:]
""")
    want = '"HTTP/1.0 200 OK\\r\\n\\r\\nbody"\n3 6\n"two"\n(1\n "conn")\n(1\n "type")\n(1\n "type")\n'
    s.ok("(host;port) 4:\"text\" sends it with a blank line, gives what comes back",
         st == 0 and out == want and requests == [b"GET /a HTTP/1.0\r\n\r\n", b"GET /b\r\n\r\n",
                                                  b"GET /c\r\n\r\n", b"GET /d\r\n\r\n"],
         (st, out, err, requests))
    path = s.file("selfh.k", """.m.h:{"hi ",x}
`0:5:(`"127.0.0.1";_p) 4:"GET /abc HTTP/1.0"
\\\\
""")
    r = subprocess.run([s.krt, "-h", "0", path], stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=WAIT, env=dict(os.environ, KRT_LEAKCHECK="1"))
    s.ok("a krt -h process fetches from itself", r.returncode == 0 and r.stdout.startswith(b'"HTTP/1.1 200 OK')
         and r.stdout.endswith(b'hi GET /abc HTTP/1.0"'), r)
    p, port = s.server(".m.g:{_c}\n")
    st, out, err = s.client(f"""h:3:(`"127.0.0.1";{port})
`0:,5:h 4:0
r:@[_host;_h;:]
`0:,5:_c=:[*r;0;r 1]
""")
    s.ok("_c: the sender's address in a handler, this host's outside", st == 0 and out == "2130706433\n1\n",
         (st, out, err))
    s.stop(p, port, "_c")


def timer(s):
    path = s.file("timer.k", 'n:0\n.m.ts:{n+:1; `0:"tick\\n"; :[n=3; _exit 7]}\n\\t 20\n')
    r = subprocess.run([s.krt, "-i", "0", path], stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=WAIT, env=dict(os.environ, KRT_LEAKCHECK="1"))
    s.ok("\\t 20 calls .m.ts until it exits", r.returncode == 7 and r.stdout == b"tick\ntick\ntick\n", r)
    path = s.file("timer2.k", 'n:0\n.m.ts:{n+:1; `0:"t\\n"; :[n=1; while[1;]]; :[n=3; _exit 0]}\n\\t 20\n')
    p = subprocess.Popen([s.krt, "-i", "0", path], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=dict(os.environ, KRT_LEAKCHECK="1"))
    p.stdout.readline()
    time.sleep(0.3)
    p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    s.ok("Ctrl-C breaks the timer's .m.ts; the timer goes on", p.returncode == 0 and out == b"t\nt\n"
         and b".m.ts (handle 0): break error" in err, (p.returncode, out, err))
    r = subprocess.run([s.krt], input=b"\\t 20\n\\t\n\\t 0\n\\t\n", capture_output=True, timeout=WAIT)
    s.ok("\\t shows the timer", r.stdout == b"20\n0\n", r)


def ctrl_c(s):
    p, port = s.server("")
    path = s.file("cc.k", f"""h:3:(`"127.0.0.1";{port})
`0:"sent\\n"
`0:,5:@[{{h 4:"while[1;]"}};0;:]
`0:,5:h 4:"1+1"
\\\\
""")
    c = subprocess.Popen([s.krt, path], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    c.stdout.readline()
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    try:
        out, err = c.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        c.kill()
        out, err = c.communicate()
    s.ok("Ctrl-C breaks a handler; the caller gets break, the server goes on",
         out == b'(1\n "break")\n2\n', (out, err))
    s.stop(p, port, "Ctrl-C")


def faults(s):
    """The Nth allocation fails in the server, then in the client, over a
    sync round trip: the connection answers or closes, nothing crashes or
    leaks."""
    crashed = leaked = 0
    for n in range(1, 400, 7):
        p, port = s.server(".m.g:{(x;!x)}\n", env={"KRT_FAIL_ALLOC": str(n)})
        if not port:                     # failed at startup: must say so cleanly
            _, err = p.communicate(timeout=WAIT)
            crashed += p.returncode < 0
            continue
        st, out, err = s.client(f"""h:@[{{3:x}};(`"127.0.0.1";{port});:]
:[~*h; @[{{h[1] 4:5}};0;:]]
""")
        crashed += st is None or st < 0
        p.kill()
        p.communicate()
    s.ok("fault injection in the server: no crash", crashed == 0, crashed)
    p, port = s.server(".m.g:{(x;!x)}\n")
    for n in range(1, 400, 7):
        st, out, err = s.client(f"""h:@[{{3:x}};(`"127.0.0.1";{port});:]
:[~*h; @[{{h[1] 4:5}};0;:]]
""", env={"KRT_FAIL_ALLOC": str(n)})
        crashed += st is None or st < 0
        leaked += "leaked" in err
    s.ok("fault injection in the client: no crash, no leak", crashed == 0 and leaked == 0, (crashed, leaked))
    s.stop(p, port, "faults")


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        sys.exit(2)
    verbose = "-v" in args
    kona = os.environ.get("KONA")
    if "--kona" in args:
        kona = args[args.index("--kona") + 1]
    s = Suite(os.path.abspath(args[0]), verbose)
    if "--interop" in args:
        if not kona:
            print("interop: skipped (give KONA=path to a Kona binary)")
            print("0 passed, 0 failed")
            return
        basics(s, server_bin=kona, label="krt client, Kona server")
        p, port = s.server(".m.g:{_w 4:x}\n", binary=kona)
        st, out, err = s.client(f'h:3:(`"127.0.0.1";{port})\n`0:,5:h 4:"1+2"')
        s.ok("krt client, Kona server: the server calls back the waiting client", st == 0 and out == "3\n",
             (st, out, err))
        p.kill()
        p.wait()
        basics(s, client_bin=kona, label="Kona client, krt server")
    else:
        for t in (basics, stdin_too, terminal, both_ways, nested, hostile, exhausted, bad_server, http_server, fetch, timer, ctrl_c, faults, many):
            t(s)
    print(f"{s.passed} passed, {s.failed} failed")
    sys.exit(1 if s.failed else 0)


if __name__ == "__main__":
    main()
