/* io_file.c: what the forms of every I/O verb share, below lang/io.c,
 * lang/io_text.c and lang/io_bin.c: file names and specs, reading a file
 * (or a stream) whole or in part, and replacing a file safely (a temporary
 * file renamed over it).  Declared in lang/io.h, which gives the errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "io.h"

/* ---- file names --------------------------------------------------------- */

int io_name(K x, char *buf, size_t cap)
{
	const char *s;
	size_t n;
	if (x->t == KT_SYM) { s = kS(x)[0]; n = strlen(s); }
	else if (x->t == -KT_CHAR || x->t == KT_CHAR) { s = kC(x); n = (size_t)x->n; }
	else { kerr("type"); return -1; }
	if (n >= cap) { kerr("length"); return -1; }
	memcpy(buf, s, n);
	buf[n] = 0;
	return 0;
}

int io_kname(const char *name, char *buf, size_t cap)
{
	size_t n = strlen(name);
	int has = n > 1 && name[n - 2] == '.' && name[n - 1] == 'K';
	if (n + (has ? 0 : 2) >= cap) { kerr("length"); return -1; }
	memcpy(buf, name, n);
	memcpy(buf + n, has ? "" : ".K", has ? 1 : 3);
	return 0;
}

/* An offset or length atom: int, or float (truncated), as Kona takes them. */
static int spec_number(K x, int64_t *v)
{
	if (x->t == KT_INT) { *v = kI(x)[0]; return 0; }
	if (x->t == KT_FLOAT && kF(x)[0] == kF(x)[0]) {
		double f = kF(x)[0];
		*v = f >= 9.2e18 ? INT64_MAX : f <= -9.2e18 ? INT64_MIN : (int64_t)f;
		return 0;
	}
	kerr("type");
	return -1;
}

int io_spec(K x, char *buf, size_t cap, int64_t *off, int64_t *len)
{
	*off = 0;
	*len = -1;
	if (x->t != KT_LIST) return io_name(x, buf, cap);
	if (x->n != 3) { kerr("length"); return -1; }
	if (io_name(kK(x)[0], buf, cap) || spec_number(kK(x)[1], off) || spec_number(kK(x)[2], len)) return -1;
	if (*len < 0) *len = 0;            /* Kona: a negative length reads nothing */
	return 0;
}

/* ---- reading ------------------------------------------------------------ */

K io_fail(void)
{
	return kc->err == k_break_mark ? NULL : kerr("domain");
}

size_t io_chunk(int64_t n)
{
	return n > IO_CHUNK ? IO_CHUNK : (size_t)n;
}

/* Read a stream (pipe, terminal, device) to its end. */
static K read_stream(int fd)
{
	K r = k_new(-KT_CHAR, 0);
	int64_t got = 0;
	while (r) {
		if (k_broken()) { cd(r); return NULL; }      /* /dev/zero never ends */
		if (k_cap(r) - got < 4096 && !(r = k_resize(r, got + (got > 65536 ? got : 65536)))) break;
		ssize_t m = read(fd, kC(r) + got, io_chunk(k_cap(r) - got));
		if (m < 0 && errno == EINTR) continue;
		if (m < 0) { cd(r); return kerr("domain"); }
		if (m == 0) break;
		got += m;
		r->n = got;
	}
	if (r) { r->n = got; kC(r)[got] = 0; }
	return r;
}

K io_read_fd(int fd, int64_t off, int64_t len)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) return kerr("domain");
	/* streams, and files that report no size (/proc): read to the end */
	if (!S_ISREG(st.st_mode) || (st.st_size == 0 && off <= 0 && len < 0)) return read_stream(fd);
	int64_t size = st.st_size;
	if (off < 0) off = 0;
	if (off > size - 1) off = size > 0 ? size - 1 : 0;
	if (len < 0 || len > size - off) len = size - off;
	K r = k_new(-KT_CHAR, len);
	if (!r) return NULL;
	int64_t got = 0;
	while (got < len) {
		if (k_broken()) { cd(r); return NULL; }
		ssize_t m = pread(fd, kC(r) + got, io_chunk(len - got), (off_t)(off + got));
		if (m < 0 && errno == EINTR) continue;
		if (m < 0) { cd(r); return kerr("domain"); }
		if (m == 0) break;             /* the file shrank meanwhile */
		got += m;
	}
	r->n = got;
	kC(r)[got] = 0;
	return r;
}

K io_read(const char *path, int64_t off, int64_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return kerr("domain");
	K r = io_read_fd(fd, off, len);
	close(fd);
	return r;
}

/* ---- writing ------------------------------------------------------------ */

int io_write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		if (k_broken()) return -2;
		ssize_t m = write(fd, s, io_chunk(n));
		if (m < 0 && errno == EINTR) continue;
		if (m <= 0) return -1;
		s += m;
		n -= (size_t)m;
	}
	return 0;
}

int io_create(iofile *f, const char *path)
{
	struct stat st;
	f->path = path;
	f->temporary = 0;
	f->fd = -1;
	/* replace what a symbolic link points to, not the link */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && realpath(path, f->real)) f->path = f->real;
	int exists = stat(f->path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) { kerr("domain"); return -1; }
	if (exists && !S_ISREG(st.st_mode)) {
		f->fd = open(f->path, O_WRONLY | O_TRUNC | O_CLOEXEC);
		if (f->fd < 0) { kerr("domain"); return -1; }
		return 0;
	}
	if (exists && access(f->path, W_OK) != 0) { kerr("domain"); return -1; }
	int n = snprintf(f->tmp, sizeof f->tmp, "%s.XXXXXX", f->path);
	if (n < 0 || (size_t)n >= sizeof f->tmp) { kerr("length"); return -1; }
	f->fd = mkostemp(f->tmp, O_CLOEXEC);
	if (f->fd < 0 && exists)               /* a directory we may not write in */
		f->fd = open(f->path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	else if (f->fd >= 0)
		f->temporary = 1;
	if (f->fd < 0) { kerr("domain"); return -1; }
	if (!f->temporary) return 0;
	if (fchmod(f->fd, exists ? st.st_mode & 07777 : 0644) != 0) { io_abort(f); kerr("domain"); return -1; }
	return 0;
}

int io_commit(iofile *f)
{
	int bad = close(f->fd) != 0;
	f->fd = -1;
	if (f->temporary && !bad) bad = rename(f->tmp, f->path) != 0;
	if (f->temporary && bad) unlink(f->tmp);
	if (bad) { kerr("domain"); return -1; }
	return 0;
}

void io_abort(iofile *f)
{
	if (f->fd >= 0) close(f->fd);
	f->fd = -1;
	if (f->temporary) unlink(f->tmp);
}
