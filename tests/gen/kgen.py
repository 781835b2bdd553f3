"""tests/gen/kgen.py: a structure-aware generator of random K3 programs.

program(seed) gives the text of one program (a few lines of K) and whether
it may loop on purpose (a while whose condition it does not control, a
converging over/scan, a deep do): a timeout of such a program is no
finding.  The same seed always gives the same program.

What it writes: balanced brackets; lambdas with arguments ({[a;b] ..} and
x y z) and locals; every verb, monadic and dyadic; every adverb, on verbs,
on derived verbs (+/' ,//:) and on lambdas; projections and elided
arguments (f[;1]); :[..], if, do and while, also with empty, missing or
extra parts; dictionaries and the K-tree (.((`a;1)), d[`a], d.a, `.k);
nested and empty lists; the special numbers (0N 0I -0I 0n 0i -0i); every
system function; assignments (a:, a[i]:, a+:, a[i;j]+:), signals and trap
(@[f;x;:]), and I/O verbs on files in the run's own folder.
"""
import random

VERBS = list("+-*%!&|<>=~,^#_$?@.")
ADVERBS = ["'", "/", "\\", "/:", "\\:", "':"]
MONADIC_SYS = ("_acos _asin _atan _ceil _cos _cosh _exp _floor _log _sin _sinh _sqr _sqrt "
               "_tan _tanh _abs _ceiling _bd _ci _db _dj _gtime _hash _ic _inv _jd _lt "
               "_ltime _size _getenv").split()
DYADIC_SYS = ("_bin _binl _deal _di _dot _draw _dv _dvl _in _lin _lsq _mul _sm _ss _sv "
              "_vs _vsx _setenv").split()
TRIADIC_SYS = ["_ssr"]
NOUN_SYS = "_a _d _h _i _k _p _s _t _T _u _v _w _n".split()
SPECIAL_INTS = ["0N", "0I", "-0I"]
SPECIAL_FLOATS = ["0n", "0i", "-0i"]
GLOBALS = ["a", "b", "c", "d", "f", "g", "s", "t"]
FILES = ['"f1"', '"f2"', '`f3', '"f1.l"', '""', '"."']


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.loops = False
        self.scope = []       # names visible as locals, innermost lambda
        self.counters = 0     # loop counters made so far

    def pick(self, xs):
        return self.r.choice(xs)

    def chance(self, p):
        return self.r.random() < p

    # ---- atoms and vectors -------------------------------------------------
    def int_atom(self):
        r = self.r.random()
        if r < 0.08:
            return self.pick(SPECIAL_INTS)
        if r < 0.12:
            n = self.pick([2**31, -2**31, 2**62, 10**9, 10**6])
            if n == 10**9:
                # 10^9 items fit under the run's memory limit and can take
                # seconds of page faults on a slow machine (CI timed out on
                # 1000000000$"b"): work the program asked for, like a loop
                self.loops = True
            return str(n)
        return str(self.r.randint(-3, 10))

    def float_atom(self):
        r = self.r.random()
        if r < 0.15:
            return self.pick(SPECIAL_FLOATS)
        if r < 0.2:
            return self.pick(["1e308", "1e-308", "-0.0", "1e9", "2.5e15"])
        return "%g" % round(self.r.uniform(-5, 5), self.r.randint(0, 3))

    def char_atom(self):
        return '"' + self.pick(list("abcxyz 01") + ['\\n', '\\"', '\\\\']) + '"'

    def sym_atom(self):
        return self.pick(["`a", "`b", "`c", "`", "`a.b", '`"x y"', "`.k", "`.k.a", "`x"])

    def string(self):
        n = self.r.randint(0, 6)
        return '"' + "".join(self.pick(list("abcab xy,;:[]1") + ['\\n']) for _ in range(n)) + '"'

    def vector(self):
        n = self.r.randint(2, 6)
        kind = self.r.randint(0, 3)
        if kind == 0:
            return " ".join(self.int_atom() for _ in range(n))
        if kind == 1:
            return " ".join(self.float_atom() for _ in range(n))
        if kind == 2:
            return "".join(self.sym_atom() for _ in range(n))
        return self.string()

    def atom(self):
        k = self.r.randint(0, 9)
        if k <= 3:
            return self.int_atom()
        if k == 4:
            return self.float_atom()
        if k == 5:
            return self.char_atom()
        if k == 6:
            return self.sym_atom()
        if k == 7:
            return self.pick(["_n", "()", "!0", '""', "0#`", "0#0.0"])
        if k == 8:
            return self.vector()
        return self.name()

    def name(self):
        if self.scope and self.chance(0.6):
            return self.pick(self.scope)
        return self.pick(GLOBALS)

    # ---- verbs and functions -------------------------------------------------
    def verb(self):
        return self.pick(VERBS)

    def derived(self, depth):
        """A verb with one or more adverbs: +/ ,/' {x+y}\\: ..."""
        base = self.func_term(depth) if self.chance(0.3) else self.verb()
        n = 1 if self.chance(0.7) else self.r.randint(2, 3)
        adv = "".join(self.pick(ADVERBS) for _ in range(n))
        if "/" in adv or "\\" in adv:
            self.loops = True      # f/x converges, or may not
        return base + adv

    def lambda_(self, depth):
        params = []
        if self.chance(0.35):
            params = self.r.sample(["p", "q", "r", "u"], self.r.randint(0, 3))
            head = "[" + ";".join(params) + "]"
        else:
            head = ""
        saved = self.scope
        self.scope = params + ([] if params else ["x", "y", "z"][: self.r.randint(1, 3)])
        body = []
        for _ in range(self.r.randint(1, 3)):
            if self.chance(0.3):
                loc = self.pick(["l", "m", "n"])
                body.append(f"{loc}:{self.expr(depth - 1)}")
                self.scope = self.scope + [loc]
            else:
                body.append(self.stmt(depth - 1))
        if self.chance(0.15):
            body.insert(self.r.randint(0, len(body)), ":" + self.expr(depth - 1))
        if self.chance(0.1):
            body.append("_f " + self.expr(depth - 1))
            self.loops = True
        self.scope = saved
        return "{" + head + ";".join(body) + "}"

    def func_term(self, depth):
        k = self.r.randint(0, 6)
        if k <= 2:
            return self.lambda_(depth)
        if k == 3:
            return self.verb() + ":" if self.chance(0.5) else "(" + self.verb() + ")"
        if k == 4:
            return self.pick(MONADIC_SYS + DYADIC_SYS + TRIADIC_SYS)
        if k == 5:   # a projection or elided arguments
            return self.lambda_(depth) + "[" + ";".join(
                self.expr(depth - 1) if self.chance(0.5) else "" for _ in range(self.r.randint(1, 3))) + "]"
        return self.pick(["f", "g"])

    # ---- expressions --------------------------------------------------------
    def args(self, depth, lo=0, hi=3):
        return ";".join(self.expr(depth - 1) if self.chance(0.85) else ""
                        for _ in range(self.r.randint(lo, hi)))

    def cond(self, depth):
        n = self.r.randint(0, 5)
        parts = [self.expr(depth - 1) if self.chance(0.85) else "" for _ in range(n)]
        return ":[" + ";".join(parts) + "]"

    def control(self, depth):
        w = self.pick(["if", "do", "while"])
        first = self.expr(depth - 1) if self.chance(0.9) else ""
        if w == "while" and not self.chance(0.8):
            self.loops = True
        elif w == "while":   # a loop that ends: a counter of its own
            self.counters += 1          # one of its own: nested loops
            v = f"i{self.counters}"     # must not reset each other's
            lim = self.r.randint(0, 5)
            return f"{v}:0;while[{v}<{lim};{v}+:1" + (";" + self.stmt(depth - 1) if self.chance(0.7) else "") + "]"
        if w == "do" and not (first.lstrip("-").isdigit() and int(first) < 100000):
            self.loops = True   # its count may be large
        body = ";".join(self.stmt(depth - 1) for _ in range(self.r.randint(0, 3)))
        return f"{w}[{first}" + (";" + body if body or self.chance(0.3) else "") + "]"

    def dict_(self, depth):
        n = self.r.randint(0, 3)
        ents = ";".join(f"({self.sym_atom()};{self.expr(depth - 1)})" for _ in range(n))
        return ".(" + ents + (";" if n == 1 else "") + ")"

    def io(self, depth):
        v = self.pick(["0:", "1:", "2:", "5:", "6:"])
        if self.chance(0.5):
            return f"{v}{self.pick(FILES)}"
        return f"{self.pick(FILES)} {v}{self.expr(depth - 1)}"

    def expr(self, depth):
        if depth <= 0:
            return self.atom()
        k = self.r.randint(0, 26)
        if k <= 4:
            return self.atom()
        if k <= 7:     # monadic verb
            return self.verb() + self.pick(["", ":"] if self.chance(0.2) else [""]) + self.expr(depth - 1)
        if k <= 11:    # dyadic verb
            return self.expr(depth - 1) + self.verb() + self.expr(depth - 1)
        if k == 12:
            return self.derived(depth) + self.expr(depth - 1)
        if k == 13:
            return self.expr(depth - 1) + self.derived(depth) + self.expr(depth - 1)
        if k == 14:
            return self.func_term(depth) + "[" + self.args(depth) + "]"
        if k == 15:
            return self.func_term(depth) + " " + self.expr(depth - 1)
        if k == 16:
            return "(" + ";".join(self.expr(depth - 1) if self.chance(0.9) else ""
                                  for _ in range(self.r.randint(0, 4))) + ")"
        if k == 17:
            return self.cond(depth)
        if k == 18:
            return self.name() + "[" + self.args(depth, 0, 2) + "]"
        if k == 19:
            return self.dict_(depth)
        if k == 20:
            return "@[" + self.func_term(depth) + ";" + self.expr(depth - 1) + ";:]"
        if k == 21:
            return self.pick(["@", "."]) + "[" + self.args(depth, 2, 4) + "]"
        if k == 22:
            f = self.pick(MONADIC_SYS + DYADIC_SYS + TRIADIC_SYS)
            return f + "[" + self.args(depth, 1, 3) + "]"
        if k == 23:
            if self.chance(0.1):    # the rest of the system functions, tame
                return self.pick(['_host`localhost', '_host"127.0.0.1"', "_exit 0", "_exit 1"])
            return self.pick(NOUN_SYS)
        if k == 24:
            return self.lambda_(depth)
        if k == 25:
            return "'" + self.expr(depth - 1)
        return self.io(depth) if self.chance(0.3) else self.expr(depth - 1) + "[" + self.args(depth, 0, 2) + "]"

    def stmt(self, depth):
        k = self.r.randint(0, 9)
        if k <= 3:
            return self.expr(depth)
        if k == 4:
            return self.control(depth)
        if k == 5:
            return f"{self.name()}:{self.expr(depth - 1)}"
        if k == 6:
            return f"{self.name()}{self.verb()}:{self.expr(depth - 1)}"
        if k == 7:
            return f"{self.name()}[{self.args(depth, 1, 2)}]{self.pick(['', self.verb()])}:{self.expr(depth - 1)}"
        if k == 8:
            return f"{self.pick(['f', 'g'])}:{self.lambda_(depth)}"
        return f"{self.pick(['d', 'e'])}:{self.dict_(depth)}"


def program(seed, lines=None):
    """(text, may_loop) of the program for seed."""
    g = Gen(seed)
    n = lines or g.r.randint(1, 6)
    text = "\n".join(g.stmt(g.r.randint(1, 4)) for _ in range(n))
    return text, g.loops
