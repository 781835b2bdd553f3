#!/bin/sh
# tests/e2e/embed_install.sh: libkrt as an embedder meets it.  Installs krt
# into a temporary DESTDIR with `make install`, checks what was installed,
# builds examples/embed.c the documented way,
#     cc embed.c $(pkg-config --cflags --libs krt)
# (pkg-config pointed at the DESTDIR), runs it against the installed shared
# library and, linked statically, on its own, runs the installed krt, and
# uninstalls.  The last line is "N passed, N failed"; the exit status is 0
# when nothing failed.
#
# usage: sh tests/e2e/embed_install.sh [path/to/krt]
# The krt given (as tests/e2e/run passes it) says which build to install:
# the top-level one, or the private build folder it sits in.  Environment:
# CC (default cc), KRT_MAKE_ARGS (more arguments for make, e.g. BUILD=dir).

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
CC=${CC:-cc}
prefix=/usr/local
passed=0 failed=0

pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ -z "$2" ] || sed 's/^/     /' "$2" | tail -n 20; }
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/krt-embed.XXXXXX") || { echo "0 passed, 1 failed"; exit 1; }
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
root=$tmp/root
libdir=$root$prefix/lib
log=$tmp/log

# which build: a krt outside the top level lives in a private build folder
build_arg=
if [ -n "$1" ] && [ -f "$1" ]; then
	dir=$(cd "$(dirname "$1")" && pwd)
	[ "$dir" = "$repo" ] || build_arg="BUILD=$dir"
fi

# ---- make install ----------------------------------------------------------
# shellcheck disable=SC2086  # the make arguments are meant to split
if make -C "$repo" --no-print-directory $build_arg $KRT_MAKE_ARGS \
	DESTDIR="$root" PREFIX="$prefix" install >"$log" 2>&1; then
	pass "make install DESTDIR=... PREFIX=$prefix"
else
	fail "make install DESTDIR=... PREFIX=$prefix" "$log"
	finish
fi

for f in bin/krt lib/libkrt.a lib/libkrt.so.0 lib/libkrt.so include/krt.h lib/pkgconfig/krt.pc; do
	if [ -e "$root$prefix/$f" ]; then pass "installed $f"; else fail "installed $f"; fi
done
if cmp -s "$repo/src/krt.h" "$root$prefix/include/krt.h"; then pass "krt.h is the source's"
else fail "krt.h is the source's"; fi

# ---- pkg-config --------------------------------------------------------------
if ! command -v pkg-config >/dev/null 2>&1; then
	fail "pkg-config is installed (Debian: apt-get install pkg-config)"
	finish
fi
PKG_CONFIG_PATH=$libdir/pkgconfig
PKG_CONFIG_SYSROOT_DIR=$root     # prefixes -I and -L with the DESTDIR
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
flags=$(pkg-config --cflags --libs krt 2>"$log")
want_ok=1
for want in "-I$root$prefix/include" "-L$libdir" -lkrt; do
	case " $flags " in *" $want "*) ;; *) want_ok=0 ;; esac
done
if [ "$want_ok" = 1 ]; then pass "pkg-config --cflags --libs krt: $flags"
else fail "pkg-config --cflags --libs krt gave: $flags" "$log"; fi
version=$(pkg-config --modversion krt 2>/dev/null)
if grep -q "KRT_VERSION \"$version\"" "$repo/src/krt.h" && [ -n "$version" ]; then
	pass "pkg-config --modversion krt: $version"
else
	fail "pkg-config --modversion krt ($version) matches KRT_VERSION in krt.h"
fi

# ---- the example, against the shared library ----------------------------------
cp "$repo/examples/embed.c" "$tmp/embed.c"
# shellcheck disable=SC2086  # $flags holds several options
if (cd "$tmp" && $CC embed.c $flags -o embed) >"$log" 2>&1; then
	pass "cc embed.c \$(pkg-config --cflags --libs krt)"
	if LD_LIBRARY_PATH=$libdir "$tmp/embed" >"$log" 2>&1; then
		pass "embed runs (shared libkrt) and exits 0"
	else
		fail "embed runs (shared libkrt) and exits 0" "$log"
	fi
	if command -v ldd >/dev/null 2>&1; then
		if LD_LIBRARY_PATH=$libdir ldd "$tmp/embed" 2>&1 | grep -q "libkrt.so.0 => $libdir/libkrt.so.0"; then
			pass "embed loads the installed libkrt.so.0"
		else
			LD_LIBRARY_PATH=$libdir ldd "$tmp/embed" >"$log" 2>&1
			fail "embed loads the installed libkrt.so.0" "$log"
		fi
	fi
else
	fail "cc embed.c \$(pkg-config --cflags --libs krt)" "$log"
fi

# ---- the example, linked statically -------------------------------------------
cflags=$(pkg-config --cflags krt)
privlibs=$(pkg-config --static --libs-only-l krt | sed 's/-lkrt//')
# shellcheck disable=SC2086
if (cd "$tmp" && $CC embed.c $cflags "$libdir/libkrt.a" $privlibs -o embed-static) >"$log" 2>&1; then
	pass "cc embed.c libkrt.a \$(pkg-config --static --libs-only-l krt)"
	if env -u LD_LIBRARY_PATH "$tmp/embed-static" >"$log" 2>&1; then
		pass "embed runs (static libkrt) and exits 0"
	else
		fail "embed runs (static libkrt) and exits 0" "$log"
	fi
else
	fail "cc embed.c libkrt.a \$(pkg-config --static --libs-only-l krt)" "$log"
fi

# ---- the installed interpreter -------------------------------------------------
out=$("$root$prefix/bin/krt" -x '+/!10' 2>&1)
if [ "$out" = 45 ]; then pass "installed krt -x '+/!10' prints 45"
else fail "installed krt -x '+/!10' prints 45 (got: $out)"; fi

# ---- make uninstall -------------------------------------------------------------
# shellcheck disable=SC2086
if make -C "$repo" --no-print-directory $build_arg $KRT_MAKE_ARGS \
	DESTDIR="$root" PREFIX="$prefix" uninstall >"$log" 2>&1; then
	left=$(find "$root" -type f | sed "s|^$root||")
	if [ -z "$left" ]; then pass "make uninstall removes every installed file"
	else echo "$left" >"$log"; fail "make uninstall removes every installed file" "$log"; fi
else
	fail "make uninstall" "$log"
fi

finish
