/* io_bin.c: K binary files and binary records, for the I/O verbs.
 *
 *   f 1: y   write y to f.K (f as given when it ends in .K already): the
 *            disk form of lang/sys_bin.c (kbin_*), byte for byte Kona's
 *   1: f     read f.K (or f) into the heap
 *   2: f     the same
 *   f 5: y   append the items of y to the vector or list in f.K; gives the
 *            new count (a new file is written as 1: does, giving _n)
 *   f 3: y   as 5:, without waiting for the disk (Kona's "fast logging")
 *   "c" 1: f  "i" 1: f  "d" 1: f   the raw bytes of f as chars, ints, floats
 *   (types;widths) 1: f   fixed-width binary records: c char, b s i j
 *            1-, 2-, 4-, 8-byte ints, f d 4-, 8-byte floats, C string,
 *            S symbol (up to a NUL), blank skips; f may be (f;offset;length)
 *
 * A file is written through io_create/io_commit (lang/io.c): replaced by
 * rename, so a reader sees the old file or the new one.  Appending only
 * extends a file.
 *
 * Files are read, never mapped.  A mapping stays tied to the file: when
 * another process truncates it, touching a page past the new end is
 * SIGBUS, and when it rewrites it in place the value changes under K.  So
 * 1: takes a private copy with pread, checked against the file's size and
 * its disk form: a file cut short while being read is the error "length"
 * (or "type" when its header is gone), a file that grew is read as it was
 * when 1: began, and once read, the value never changes, whatever happens
 * to the file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "io.h"
#include "sysfn.h"

#define DISK_HEAD 32                        /* -3, 1, type, count */

static int64_t pad8(int64_t n) { return (n + 7) / 8 * 8; }

/* Does x hold a function anywhere?  Those have no disk form here.  Borrows
 * x; -1 after kerr("stack") when x is too deep to look at. */
static int has_function(K x)
{
	if (!k_stack_ok()) { kerr("stack"); return -1; }
	if (x->t == KT_FUNC || x->t == KT_NODE) return 1;
	if (x->t != KT_LIST && x->t != KT_DICT) return 0;
	if (!k_stack_ok()) { kerr("stack"); return -1; }
	for (int64_t i = 0; i < x->n; i++) {
		int f = has_function(kK(x)[i]);
		if (f) return f;
	}
	return 0;
}

/* The disk form of x in a new char vector (zeroed padding). */
static K disk_form(K x)
{
	int f = has_function(x);
	if (f) return f > 0 ? kerr("nonce") : NULL;
	int64_t n = kbin_size(x, 1);
	if (n < 0) return NULL;
	K b = k_new(-KT_CHAR, n);
	if (!b) return NULL;
	memset(kC(b), 0, (size_t)n);
	kbin_write(x, (unsigned char *)kC(b), 1);
	return b;
}

static int pread_all(int fd, void *p, size_t n, int64_t at)
{
	char *s = p;
	while (n) {
		if (k_broken()) return -2;
		ssize_t m = pread(fd, s, io_chunk((int64_t)n), (off_t)at);
		if (m < 0 && errno == EINTR) continue;
		if (m <= 0) return -1;
		s += m;
		n -= (size_t)m;
		at += m;
	}
	return 0;
}

static int pwrite_all(int fd, const void *p, size_t n, int64_t at)
{
	const char *s = p;
	while (n) {
		if (k_broken()) return -2;
		ssize_t m = pwrite(fd, s, io_chunk((int64_t)n), (off_t)at);
		if (m < 0 && errno == EINTR) continue;
		if (m <= 0) return -1;
		s += m;
		n -= (size_t)m;
		at += m;
	}
	return 0;
}

/* Open the K file named by x: f.K first, then f as given (as Kona looks).
 * The descriptor, or -1 with errno; -2 after kerr (a bad name). */
static int open_kfile(K x, int flags, char *name, char *kname)
{
	if (io_name(x, name, PATH_MAX) || io_kname(name, kname, PATH_MAX)) return -2;
	int fd = open(kname, flags | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) fd = open(name, flags | O_CLOEXEC);
	return fd;
}

/* Read the disk header of the regular file fd into h (4 words).  0, or -1
 * after kerr. */
static int read_head(int fd, int64_t *h, int64_t *size)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) { kerr("domain"); return -1; }
	*size = st.st_size;
	if (*size < DISK_HEAD) { kerr("length"); return -1; }
	if (pread_all(fd, h, DISK_HEAD, 0)) { io_fail(); return -1; }
	if (h[0] != -3 || h[3] < 0) { kerr("type"); return -1; }
	return 0;
}

/* ---- 1: f and 2: f ------------------------------------------------------ */

K io_bin_load(K x)
{
	char name[PATH_MAX], kname[PATH_MAX];
	K r = NULL, buf = NULL;
	int64_t h[4], size;
	int fd = open_kfile(x, O_RDONLY, name, kname);
	if (fd < 0) { if (fd == -1) kerr("domain"); goto done; }
	if (read_head(fd, h, &size)) goto done;
	if (!(buf = io_read_fd(fd, 0, size))) goto done;
	if (buf->n < size) { kerr("length"); goto done; }      /* cut short meanwhile */
	int64_t used = 0;
	const unsigned char *p = (const unsigned char *)kC(buf);
	r = kbin_read(p, p + buf->n, 1, 0, &used);
done:
	if (fd >= 0) close(fd);
	cd(buf);
	cd(x);
	return r;
}

/* ---- f 1: y ------------------------------------------------------------- */

/* Write the disk form of an int, float or char vector y to fd straight
 * from its data, as kbin_write would lay it out (header, items, for chars
 * a NUL, zeros to a multiple of 8): a large vector needs no copy.  Borrows y. */
static int write_vector(int fd, K y)
{
	static const char zeros[8];
	int64_t head[4] = { -3, 1, y->t, y->n };
	int64_t bytes = y->n * (y->t == -KT_CHAR ? 1 : 8);
	int64_t pad = pad8(DISK_HEAD + bytes + (y->t == -KT_CHAR)) - DISK_HEAD - bytes;
	return io_write_all(fd, head, sizeof head) || io_write_all(fd, y->d, (size_t)bytes) ||
	       io_write_all(fd, zeros, (size_t)pad);
}

/* Write y's disk form to the file named by x.  Borrows both. */
static K save(K x, K y)
{
	char name[PATH_MAX], kname[PATH_MAX];
	iofile f = { .fd = -1 };
	K r = NULL, b = NULL;
	int vector = y->t == -KT_INT || y->t == -KT_FLOAT || y->t == -KT_CHAR;
	if (io_name(x, name, sizeof name) || io_kname(name, kname, sizeof kname)) goto done;
	if (!vector && !(b = disk_form(y))) goto done;
	if (io_create(&f, kname)) goto done;
	if (vector ? write_vector(f.fd, y) : io_write_all(f.fd, kC(b), (size_t)b->n)) {
		io_abort(&f);
		io_fail();
		goto done;
	}
	if (io_commit(&f)) goto done;
	r = k_null();
done:
	cd(b);
	return r;
}

K io_bin_save(K x, K y)
{
	K r = save(x, y);
	cd(x);
	cd(y);
	return r;
}

/* ---- f 5: y ------------------------------------------------------------- */

/* Where the items of the file's vector or list end (the next item goes
 * there), for the header h.  -1 after kerr when the file is cut short. */
static int64_t data_end(int fd, const int64_t *h, int64_t size)
{
	int64_t t = h[2], n = h[3];
	switch (t) {
	case -KT_INT:
	case -KT_FLOAT:
		if (n > (size - DISK_HEAD) / 8) break;
		return DISK_HEAD + 8 * n;
	case -KT_CHAR:
		if (n >= size - DISK_HEAD) break;
		return DISK_HEAD + n;              /* the NUL: overwritten */
	case -KT_SYM: {
		K b = io_read_fd(fd, DISK_HEAD, size - DISK_HEAD);
		if (!b) return -1;
		const char *p = kC(b), *e = p + b->n, *s = p;
		int64_t i = 0;
		for (; i < n && s < e; i++) {
			const char *z = memchr(s, 0, (size_t)(e - s));
			if (!z) break;
			s = z + 1;
		}
		int64_t at = DISK_HEAD + (s - p);
		cd(b);
		if (i < n) break;
		return at;
	}
	default:
		return size;                       /* lists, dictionaries */
	}
	kerr("length");
	return -1;
}

/* The bytes of y's items in its disk form b (borrowed): after the header. */
static int64_t items_bytes(K y, K b)
{
	if (y->t == -KT_INT || y->t == -KT_FLOAT) return 8 * y->n;
	if (y->t == -KT_CHAR) return y->n;
	if (y->t == -KT_SYM) {
		int64_t n = 0;
		for (int64_t i = 0; i < y->n; i++) n += (int64_t)strlen(kS(y)[i]) + 1;
		return n;
	}
	return b->n - DISK_HEAD;
}

K io_bin_append(K x, K y, int sync)
{
	char name[PATH_MAX], kname[PATH_MAX];
	K r = NULL, b = NULL;
	int64_t h[4], size;
	int fd = open_kfile(x, O_RDWR, name, kname);
	if (fd == -1 && errno == ENOENT) {     /* no file yet: write it as 1: does */
		r = save(x, y);
		goto done;
	}
	if (fd < 0) { if (fd == -1) kerr("domain"); goto done; }
	if (read_head(fd, h, &size)) goto done;
	int64_t t = h[2];
	if ((y->t > 0 && y->t != KT_DICT) || y->t != t) { kerr("type"); goto done; }
	int64_t end = data_end(fd, h, size);
	if (end < 0 || !(b = disk_form(y))) goto done;
	int64_t n = items_bytes(y, b), grown = end + n;
	if (t == -KT_CHAR || t == -KT_SYM) grown = pad8(grown + (t == -KT_CHAR));
	static const char zeros[16];
	int64_t count = h[3] + y->n;
	/* items first, the count last: cut short, the file still reads as before */
	if (pwrite_all(fd, kC(b) + DISK_HEAD, (size_t)n, end) ||
	    pwrite_all(fd, zeros, (size_t)(grown - end - n), end + n) ||
	    (grown < size && ftruncate(fd, (off_t)grown) != 0) ||
	    pwrite_all(fd, &count, 8, 24) ||
	    (sync && fdatasync(fd) != 0)) { io_fail(); goto done; }
	r = k_int(count);
done:
	if (fd >= 0) close(fd);
	cd(b);
	cd(x);
	cd(y);
	return r;
}

/* ---- "c" 1: f ----------------------------------------------------------- */

K io_bin_raw(K x, K y)
{
	char name[PATH_MAX];
	K r = NULL, s = NULL;
	char c = kC(x)[0];
	int t = c == 'c' ? -KT_CHAR : c == 'i' ? -KT_INT : c == 'd' ? -KT_FLOAT : 0;
	if (!t) { kerr("nonce"); goto done; }
	if (io_name(y, name, sizeof name) || !(s = io_read(name, 0, -1))) goto done;
	if (t == -KT_CHAR) { r = s; s = NULL; goto done; }
	int64_t n = (s->n + 7) / 8;            /* a partial last item: zero-filled */
	if (!(r = k_new(t, n))) goto done;
	memset(r->d, 0, (size_t)(8 * n));
	memcpy(r->d, kC(s), (size_t)s->n);
done:
	cd(s);
	cd(x);
	cd(y);
	return r;
}

/* ---- (types;widths) 1: f ------------------------------------------------- */

/* Field letters and their byte sizes (0: any width). */
static const char rec_letters[] = " cbsijfdCS";
static const int8_t rec_size[] = { 0, 1, 1, 2, 4, 8, 4, 8, 0, 0 };
static const int8_t rec_type[] = { 0, -KT_CHAR, -KT_INT, -KT_INT, -KT_INT, -KT_INT, -KT_FLOAT, -KT_FLOAT,
                                   KT_LIST, -KT_SYM };

/* Store field kind k of bytes p (width w) as row j of column c. */
static int store_record(K c, int k, int64_t j, const char *p, int64_t w)
{
	int8_t b; int16_t s; int32_t i; int64_t l; float f; double d;
	switch (rec_letters[k]) {
	case 'c': kC(c)[j] = p[0]; break;
	case 'b': memcpy(&b, p, 1); kI(c)[j] = b; break;
	case 's': memcpy(&s, p, 2); kI(c)[j] = s; break;
	case 'i': memcpy(&i, p, 4); kI(c)[j] = i; break;
	case 'j': memcpy(&l, p, 8); kI(c)[j] = l; break;
	case 'f': memcpy(&f, p, 4); kF(c)[j] = f; break;
	case 'd': memcpy(&d, p, 8); kF(c)[j] = d; break;
	case 'C': return (kK(c)[j] = k_str(p, (size_t)w)) ? 0 : -1;
	case 'S': {
		const char *z = memchr(p, 0, (size_t)w);
		ksym y = sym_intern(p, (size_t)(z ? z - p : w));
		kS(c)[j] = y;
		return y ? 0 : -1;
	}
	}
	return 0;
}

K io_bin_records(K spec, K file)
{
	char name[PATH_MAX];
	K r = NULL, s = NULL;
	int8_t *kind = NULL;
	int64_t off, len, w = 0, nc = 0;
	if (spec->n != 2) { kerr("length"); goto done; }
	K types = kK(spec)[0], widths = kK(spec)[1];
	if ((types->t != -KT_CHAR && types->t != KT_CHAR) || (widths->t != KT_INT && widths->t != -KT_INT)) {
		kerr("type");
		goto done;
	}
	int64_t nk = types->n;
	if (!nk || nk != widths->n) { kerr("length"); goto done; }
	if (!(kind = malloc((size_t)nk))) { kerr("wsfull"); goto done; }
	for (int64_t i = 0; i < nk; i++) {
		const char *at = strchr(rec_letters, kC(types)[i]);
		int64_t wi = kI(widths)[i];
		if (!at || !kC(types)[i]) { kerr(strchr("IFDZMm", kC(types)[i]) ? "nonce" : "type"); goto done; }
		kind[i] = (int8_t)(at - rec_letters);
		if (wi <= 0 || wi > ((int64_t)1 << 40) || (rec_size[kind[i]] && wi != rec_size[kind[i]])) { kerr("length"); goto done; }
		w += wi;          /* at most 2^40 a field, so no sum of them wraps */
		nc += kind[i] != 0;
	}
	if (io_spec(file, name, sizeof name, &off, &len) || !(s = io_read(name, off, len))) goto done;
	int64_t rows = s->n / w;
	if (!(r = k_list(nc))) goto done;
	ksym empty = sym_c("");
	if (!empty) goto fail;
	for (int64_t i = 0, j = 0; i < nk; i++) {
		if (!kind[i]) continue;
		K c = rec_type[kind[i]] ? k_new(rec_type[kind[i]], rows) : k_list(rows);
		if (!c) goto fail;
		if (rec_letters[kind[i]] == 'S')       /* filled before anything can fail */
			for (int64_t q = 0; q < rows; q++) kS(c)[q] = empty;
		kK(r)[j++] = c;
	}
	const char *p = kC(s);
	for (int64_t row = 0; row < rows; row++)
		for (int64_t i = 0, j = 0; i < nk; i++) {
			int64_t wi = kI(widths)[i];
			if (kind[i] && store_record(kK(r)[j++], kind[i], row, p, wi)) { kerr("wsfull"); goto fail; }
			p += wi;
		}
	goto done;
fail:
	cd(r);
	r = NULL;
done:
	free(kind);
	cd(s);
	cd(spec);
	cd(file);
	return r;
}
