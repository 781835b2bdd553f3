"""tests/diff/corpus.py: the corpus that tests/diff/run compares.

A unit is a list of K source lines run in one K-tree; its result is what
each line printed.  Units come from
  - a generated product: every verb monadic and dyadic, every adverb over
    verbs and lambdas, every system function, each applied to each kind of
    argument (ARGS below), and the display forms ($x, 5:x, \\p);
  - the K-level tests (tests/k/*.k: both the expected and the expression
    column), the shared conformance cases, and the examples (each a unit).
A unit that assigns, or uses a backslash command, runs in a fresh process
of its own ("alone"); the others may share a process (see run).
"""
import glob
import os
import re

# Every kind of argument: atoms of each type, the special numbers, negative
# and huge numbers, empty/one/long vectors of each type, general and nested
# lists, dictionaries, _n and functions.
ATOMS = ["0", "1", "-5", "7", "2.5", "-1.5", "0.0", '"a"', '" "', "`a", "`",
         "_n", "0N", "0I", "-0I", "0n", "0i", "-0i",
         "9223372036854775806", "-9223372036854775806", "1e300", "-1e-300"]
VECTORS = ["!0", "0#0.0", '""', "0#`", "()", ",1", ",2.5", ',"a"', ",`a",
           "1 2 3", "-1 0 5 10", "3 1 2 1", "1.5 2.5 -3.0", '"abc"', "`a`b`c",
           "!12", "0.5*!12", '"hello world"', "0N 0I -0I 1", "0n 0i -0i 1.0",
           "9223372036854775806 1"]
LISTS = ['(1;2.5;"a";`b)', "(1 2;3 4)", "(1 2;3 4 5)", "((1;2);(3;(4;5)))",
         ",1 2", '("ab";"cd")', "(`a;1 2)", "(1;)", "(_n;1)", ",,1", "(();!0)",
         "((1 2;3 4);(5 6;7 8))"]
DICTS = [".((`a;1);(`b;2 3))", ".()", ".,(`a;1)", ".((`a;1 2);(`b;3 4))"]
FUNCS = ["{x+1}", "{x+y}", "(+)", "(-:)", "(+/)", "{[a;b;c]a+b+c}", "{x}[1]",
         "(1+)", "_abs"]
ARGS = ATOMS + VECTORS + LISTS + DICTS + FUNCS

# a smaller set for the dyadic products (every pair of kinds still meets)
ARGS2 = ["0", "1", "-5", "2.5", "0.0", '"a"', "`a", "_n", "0N", "0I", "0n",
         "-0i", "9223372036854775806", "!0", '""', ",1", "1 2 3", "-1 0 5 10",
         "1.5 2.5 -3.0", '"abc"', "`a`b`c", "0N 0I -0I 1", "(1 2;3 4)",
         '(1;2.5;"a";`b)', ".((`a;1);(`b;2 3))", "{x+y}", "(+)"]
# a smaller one still for the adverb products
ARGS3 = ["0", "2", "2.5", '"a"', "`a", "_n", "!0", '""', "1 2 3", "3 1 2 1",
         "1.5 2.5 -3.0", '"abc"', "`a`b`c", "(1 2;3 4)", '(1;2.5;"a";`b)',
         ".((`a;1);(`b;2 3))"]

VERBS = list("+-*%|&^!<>=~@?#_,$.")
ADVERBS = ["'", "/", "\\", "/:", "\\:"]
ADVERB_FUNCS = ["{x+y}", "{x,y}", "{x}", "{2*x}", "{y}"]

MATH = ["_acos", "_asin", "_atan", "_ceil", "_cos", "_cosh", "_exp", "_floor",
        "_log", "_sin", "_sinh", "_sqr", "_sqrt", "_tan", "_tanh", "_abs"]
MONADS = ["_bd", "_ci", "_db", "_dj", "_gtime", "_ic", "_inv", "_jd",
          "_lt", "_size"]
DYADS = ["_bin", "_binl", "_di", "_dot", "_dv", "_dvl", "_in", "_lin",
         "_lsq", "_mul", "_sm", "_ss", "_sv", "_vs", "_vsx"]
RANDOM = ["_draw"]                  # compared by shape only

PRECISIONS = ["0", "1", "3", "7", "10", "17"]
PFLOATS = ["1.23456789012345678", "100.0", "1e20", "0.1 2.5", "1e-5",
           "-0.0", "123456789.125", "(1.5;2.25 3.125)", ".,(`a;0.1)",
           "3%7"]


def p(x):
    """x as an operand: atoms and names as they are, the rest in ()."""
    if re.fullmatch(r"-?[0-9.e]+|`[a-z]*|\"[^\"]*\"|_n|\(.*\)|\{.*\}", x):
        return x
    return f"({x})"


def product():
    """The generated units, each one line."""
    out = []
    for v in VERBS:
        out += [f"{v} {p(y)}" for y in ARGS]
        out += [f"{p(x)} {v} {p(y)}" for x in ARGS2 for y in ARGS2]
    for v in VERBS + ADVERB_FUNCS:
        f = v
        for a in ADVERBS:
            out += [f"{f}{a} {p(y)}" for y in ARGS3]
            out += [f"{p(x)} {f}{a} {p(y)}" for x in ARGS3 for y in ARGS3]
    # the forms of / and \ with a monadic function: do, while, converge
    for a in "/\\":
        out += [f"{n} {{2*x}}{a}{p(y)}" for n in ["0", "3", "-1", "2.5", "`a"]
                for y in ["1", "1 2", "!0", '"a"']]
        out += [f"{{x<100}}{{2*x}}{a}{p(y)}" for y in ["1", "1 2", "0.5"]]
        out += [f"{{_ x%2}}{a}{p(y)}" for y in ["1", "100", "0", "1 2"]]
        out += [f"{{-x}}{a}{p(y)}" for y in ["1", "0"]]
    for f in MATH + MONADS:
        out += [f"{f} {p(y)}" for y in ARGS]
    for f in DYADS:
        out += [f"{p(x)} {f} {p(y)}" for x in ARGS3 for y in ARGS3]
    for f in RANDOM:
        out += [f"^{p(x)} {f} {p(y)}" for x in ARGS3 for y in ARGS3]
    # display: $, 5:, the REPL itself (a bare value) and floats under \p
    for y in ARGS + ["+", "{x+y}[1]", "+/", "(+;-)", "((1;2);,,3)",
                     "(`a;`b)", ",`a", "0#,1", "2 0#1", "(0#0.0;!0)"]:
        out += [f"$ {p(y)}", f"5: {p(y)}", y]
    return [[u] for u in out]


def forms():
    """Conditions, control words, the K-tree, _f and the forms of ? over
    each kind of argument."""
    out = []
    for c in ARGS:
        out += [f":[{c};`t;`f]", f"if[{c};`0:\"t\\n\"]", f"do[{c};`0:\"d\\n\"]",
                f":[0;`a;{c};`t;`f]", f"{{:[x;`t;`f]}} {p(c)}", f"{{if[x;:`t];`f}} {p(c)}"]
    for c in ["0", "1", "!0", ",0", ",1", "(,1)", "(,,1)", "0 1", '""', "_n"]:
        out += [f"{{n:0;while[{c};n+:1;:n];n}}0"]
    out += ["_f", "{_f}0", "{:[x<2;x;x*_f x-1]}5", "{x,_f}1", "{[a;b]_f}[1;2]",
            "{:[x;x+_f x-1;0]}'3 4", "{_f}", "_f 1"]
    out += [".", "`.", "._d", "_d", "`.k", ".`k", ".k", "..", "`", "`.k.a",
            ".`", "#.", "!.", "!.k", ". `.k", "(.k)~.`", "@`.", "4:.", "4:.k",
            "5:.`", ".[`.k]", "`.k . ()", "`. . ()", "`.k .`x", ". `", ". (.`)"]
    for y in ARGS3:
        out += [f"(+) ? {p(y)}", f"{{x*x}} ? {p(y)}", f"{{x+1}} ?[{p(y)};0]",
                f"(!10) ? {p(y)}", f"{p(y)} ? {p(y)}", f"? {p(y)}"]
    return [[u] for u in out]


def precision():
    """Float display under \\p: each a unit of two lines."""
    return [[f"\\p {n}", x] for n in PRECISIONS for x in PFLOATS]


def balanced(line):
    """True when line closes every bracket it opens (so a REPL reads it whole)."""
    depth, instr, i = 0, False, 0
    while i < len(line):
        c = line[i]
        if instr:
            if c == "\\":
                i += 1
            elif c == '"':
                instr = False
        elif c == '"':
            instr = True
        elif c == "/" and (i == 0 or line[i - 1] in " \t"):
            break
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return False
        i += 1
    return depth == 0 and not instr


def ktests(root):
    """Both columns of every K-level case, one unit each."""
    out = []
    for f in sorted(glob.glob(os.path.join(root, "tests/k/*.k"))):
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("/") or "\t" not in line:
                    continue
                exp, expr = line.split("\t", 1)
                out.append([expr])
                if not exp.startswith("'"):
                    out.append([exp])
    return out


def conformance(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or "\\" in parts[1] + parts[2]:
                continue
            out += [[parts[2]], [parts[1]]]
    return out


def examples(root):
    """Each example script, one unit of its lines."""
    out = []
    for f in sorted(glob.glob(os.path.join(root, "examples/*.k"))):
        with open(f, encoding="utf-8") as fh:
            lines = [l.rstrip("\n") for l in fh]
        lines = [l for l in lines if l.strip() and not l.lstrip().startswith("/")]
        if lines and all(balanced(l) for l in lines):
            out.append(lines)
    return out


def alone(unit):
    """A unit whose lines change the K-tree or the session runs alone."""
    return len(unit) > 1 or any(
        l.lstrip().startswith("\\") or re.search(r"[A-Za-z_.][A-Za-z0-9_.]*\s*(\[[^]]*\])?\s*[-+*%|&^!<>=~@?#_,$.]?:", l)
        for l in unit)


def corpus(root, conformance_cases=None):
    """Every unit, without repeats, in a stable order."""
    units = product() + forms() + precision() + ktests(root) + examples(root)
    if conformance_cases:
        units += conformance(conformance_cases)
    seen, out = set(), []
    for u in units:
        key = "\n".join(u)
        if key in seen or not all(balanced(l) for l in u):
            continue
        if any(w in key for w in ("_exit", "_getenv", "_setenv", "_t", "_T",
                                  "_p", "_h", "_w", "_gtime _t", "\\\\",
                                  "_host", "_ltime", "_lt ")):
            continue
        seen.add(key)
        out.append(u)
    return out
