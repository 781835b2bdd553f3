/* io.c: the I/O verbs 0: .. 6: -- their dispatch.  Owns the text lines of 0:, the raw bytes of 6:, 4: type and 5: the display
 * form; the field forms of 0: live in lang/io_text.c, K binary files in
 * lang/io_bin.c, and what all of them share (file names, reading, safe
 * replacement) in lang/io_file.c, so the files read downward (see
 * lang/io.h for the map and the error names).
 *
 *   0:f      lines of f (0:` one line from standard input)
 *   f 0:y    write a string, or strings one a line (` or "": stdout)
 *   1:f 2:f  read a K binary file (1: maps large vectors)   -> io_bin.c
 *   f 1:y    write one;  f 5:y  f 3:y  append to one        -> io_bin.c
 *   6:f      bytes of f;  f 6:y  write bytes (,f 6:y appends)
 *   `lib 2:(`f;n)  the C function f of a shared library    -> sys_dl.c
 *   ` 4:"cmd"  the output lines of a shell command           -> shell.c
 *   3:(host;port) 3:h  open, close a handle; h 3:y h 4:y send -> net_msg.c
 *   (host;port) 4:"GET /"  a request's text answer            -> net_fetch.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "io.h"
#include "session.h"
#include "net.h"

/* Buffered output to a file descriptor, or to stdout through stdio (so
 * that it keeps its place among what the console prints). */
typedef struct obuf {
	int fd;                  /* -1: stdout */
	int bad;
	size_t n;
	char b[1 << 16];
} obuf;

static void out_flush(obuf *o)
{
	if (!o->n || o->bad) { o->n = 0; return; }
	if (o->fd < 0) o->bad = k_broken() || fwrite(o->b, 1, o->n, stdout) != o->n;
	else o->bad = io_write_all(o->fd, o->b, o->n) != 0;
	o->n = 0;
}

static void out_put(obuf *o, const char *s, size_t n)
{
	if (n > sizeof o->b - o->n) {
		out_flush(o);
		if (n > sizeof o->b) {
			if (o->bad) return;
			if (o->fd < 0) o->bad = fwrite(s, 1, n, stdout) != n;
			else o->bad = io_write_all(o->fd, s, n) != 0;
			return;
		}
	}
	memcpy(o->b + o->n, s, n);
	o->n += n;
}

/* Write the bytes made by put(o, y) to the file named by x (` or "": to
 * stdout), replacing it, or appending when `append`.  Borrows x and y. */
static K write_file(K x, K y, int append, void (*put)(obuf *, K))
{
	char name[PATH_MAX];
	if (io_name(x, name, sizeof name)) return NULL;
	obuf *o = malloc(sizeof *o);
	if (!o) return kerr("wsfull");
	o->n = 0;
	o->bad = 0;
	K r = NULL;
	iofile f = { .fd = -1 };
	if (!*name) {
		o->fd = -1;
		put(o, y);
		out_flush(o);
		if (fflush(stdout) != 0) o->bad = 1;
	} else if (append) {
		o->fd = open(name, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (o->fd < 0) { kerr("domain"); goto done; }
		put(o, y);
		out_flush(o);
		if (close(o->fd) != 0) o->bad = 1;
	} else {
		if (io_create(&f, name)) goto done;
		o->fd = f.fd;
		put(o, y);
		out_flush(o);
		if (o->bad) { io_abort(&f); io_fail(); goto done; }
		if (io_commit(&f)) goto done;
	}
	r = o->bad ? io_fail() : k_null();
done:
	free(o);
	return r;
}

/* ---- 0: lines ----------------------------------------------------------- */

/* The lines of the bytes of s (borrowed): split at each newline; a last
 * line without one counts too, an empty text has no lines. */
static K split_lines(K s)
{
	const char *p = kC(s);
	int64_t n = s->n, c = n > 0;
	for (int64_t i = 0; i < n - 1; i++) c += p[i] == '\n';
	K r = k_list(c);
	if (!r) return NULL;
	int64_t at = 0;
	for (int64_t i = 0; i < c; i++) {
		const char *nl = memchr(p + at, '\n', (size_t)(n - at));
		int64_t e = nl ? nl - p : n;
		if (!(kK(r)[i] = k_str(p + at, (size_t)(e - at)))) { cd(r); return NULL; }
		at = e + 1;
	}
	return r;
}

/* 0:` -- one line from standard input, without its newline; _n at the end. */
static K read_console_line(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	K r;
	if (n < 0) r = feof(stdin) ? k_null() : kerr("domain");
	else r = k_str(line, (size_t)(n > 0 && line[n - 1] == '\n' ? n - 1 : n));
	free(line);
	return r;
}

/* 0: f */
static K read_lines(K x)
{
	char name[PATH_MAX];
	if (io_name(x, name, sizeof name)) return NULL;
	if (!*name) return read_console_line();
	K s = io_read(name, 0, -1);
	if (!s) return NULL;
	K r = split_lines(s);
	cd(s);
	return r;
}

/* What f 0: y writes: a string as it is, or each item of a list and a
 * newline (an item is a string, a char, or empty). */
static int text_ok(K y)
{
	if (y->t == -KT_CHAR || y->t == KT_CHAR) return 1;
	if (y->t != KT_LIST) return 0;
	for (int64_t i = 0; i < y->n; i++) {
		K s = kK(y)[i];
		if (s->t != -KT_CHAR && s->t != KT_CHAR && (s->t > 0 || s->n)) return 0;
	}
	return 1;
}

static void put_text(obuf *o, K y)
{
	if (y->t != KT_LIST) { out_put(o, kC(y), (size_t)y->n); return; }
	for (int64_t i = 0; i < y->n; i++) {
		K s = kK(y)[i];
		if (s->t == -KT_CHAR || s->t == KT_CHAR) out_put(o, kC(s), (size_t)s->n);
		out_put(o, "\n", 1);
	}
}

/* f 0: y, or the field forms (types;how) 0: f. */
static K verb_text(K x, K y)
{
	if (x->t == KT_LIST) return io_text_fields(x, y);
	K r = text_ok(y) ? write_file(x, y, 0, put_text) : kerr("type");
	cd(x);
	cd(y);
	return r;
}

/* ---- 6: bytes ----------------------------------------------------------- */

static K read_bytes(K x)
{
	char name[PATH_MAX];
	K r = io_name(x, name, sizeof name) ? NULL : io_read(name, 0, -1);
	cd(x);
	return r;
}

static void put_bytes(obuf *o, K y) { out_put(o, kC(y), (size_t)y->n); }

/* f 6: y writes the bytes y to f; (,f) 6: y appends them (f a symbol or
 * a string, enlisted). */
static K write_bytes(K x, K y)
{
	K r = NULL, name = x;
	int append = 0;
	if (x->t == KT_LIST && x->n == 1) { name = kK(x)[0]; append = 1; }
	else if (x->t == -KT_SYM && x->n == 1) append = 1;
	if (y->t != -KT_CHAR && y->t != KT_CHAR) { kerr("type"); goto done; }
	if (name->t == -KT_SYM) {
		K s = k_symv(kS(name)[0]);
		if (!s) goto done;
		r = write_file(s, y, append, put_bytes);
		cd(s);
	} else r = write_file(name, y, append, put_bytes);
done:
	cd(x);
	cd(y);
	return r;
}

/* ---- dispatch ----------------------------------------------------------- */

K verb_io_monad(int which, K x)
{
	K r;
	switch (which) {
	case 0: r = read_lines(x); break;
	case 1:
	case 2: return io_bin_load(x);
	case 4: r = k_int(x->t); break;          /* 4:x type */
	case 5: r = k_repr(x); break;            /* 5:x a string that evaluates to x */
	case 6: return read_bytes(x);
	case 3: return msg_handle(x);            /* 3:(host;port) opens, 3:h closes */
	default: r = kerr("nonce"); break;
	}
	cd(x);
	return r;
}

K verb_io_dyad(int which, K x, K y)
{
	switch (which) {
	case 0: return verb_text(x, y);
	case 1:
		if (x->t == KT_CHAR) return io_bin_raw(x, y);
		if (x->t == KT_LIST) return io_bin_records(x, y);
		return io_bin_save(x, y);
	case 3:                                  /* f 3: y appends like 5:, unsynced */
		if (x->t == KT_INT) { int64_t h = kI(x)[0]; cd(x); return msg_send(h, y, 0); }
		if (x->t == KT_SYM && *kS(x)[0]) return io_bin_append(x, y, 0);
		if (x->t == -KT_CHAR && x->n) return io_bin_append(x, y, 0);
		break;
	case 2: return dl_function(x, y);
	case 4:                                  /* h 4: y sends and waits */
		if (x->t == KT_SYM && !*kS(x)[0]) return shell_lines(x, y);
		if (x->t == KT_INT) { int64_t h = kI(x)[0]; cd(x); return msg_send(h, y, 1); }
		if (x->t == -KT_SYM || x->t == KT_LIST) return net_fetch(x, y);   /* (host;port) */
		break;
	case 5: return io_bin_append(x, y, 1);
	case 6: return write_bytes(x, y);
	default: break;
	}
	cd(x);
	cd(y);
	return kerr("nonce");
}
