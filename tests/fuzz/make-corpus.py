#!/usr/bin/env python3
"""tests/fuzz/make-corpus.py: remake the fuzzer's seed corpus from the
K-level tests: every expression of tests/k/*.k (the expected value too, when
it is not an error name) becomes one file in tests/fuzz/corpus, named by the
SHA-1 of its text as libFuzzer names its own.  Inputs the fuzz target would
skip (I/O verbs, commands, _exit ...) are left out.

usage: tests/fuzz/make-corpus.py    (from anywhere; rewrites the folder)
"""
import glob
import hashlib
import os
import re

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "corpus")
outside = re.compile(r"[0-9]:|^\s*\\|_exit|_size|_host|_setenv|_getenv", re.M)

texts = set()
for path in sorted(glob.glob(os.path.join(here, "..", "k", "*.k"))):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("/") or "\t" not in line:
                continue
            expected, expr = line.split("\t", 1)
            for t in (expr, expected):
                if t and not t.startswith("'") and not outside.search(t):
                    texts.add(t)

os.makedirs(out, exist_ok=True)
for old in glob.glob(os.path.join(out, "*")):
    os.remove(old)
for t in sorted(texts):
    data = t.encode("utf-8")
    with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)
print(f"{len(texts)} seeds in {out}")
