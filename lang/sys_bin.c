/* sys_bin.c: the binary form of K values, as Kona writes it: _bd x and _db
 * s in memory (the "net" form), and the layout of 1: files (the "disk"
 * form), which lang/io.c may share through kbin_size/kbin_write/kbin_read.
 *
 * Layout (8-byte little-endian words on the machines krt runs on):
 *   _bd result: a 16-byte message header -- byte 0 is 1 when the data is
 *   little-endian, bytes 1..7 zero, then one word: the byte count of what
 *   follows -- and then the value.
 *   value, net form:  word type, word count, data
 *   value, disk form: word -3, word 1, word type, word count, data
 *   data: int/float vectors 8 bytes an item; char vectors the chars and a
 *   NUL; symbol vectors each name and a NUL; both padded with zeros to a
 *   multiple of 8.  Lists and dictionaries: each item's value in turn (a
 *   dictionary's items are its (key;value;attributes) triples).  An atom
 *   keeps its datum in place of the count word: an int or float word, a
 *   char in the first byte, a symbol's name and NUL running on for as many
 *   bytes as it needs (not padded: Kona does not pad it), _n a zero word.
 * Functions have no binary form here (nonce).
 */
#include "sysfn.h"

static const int64_t PAD = 8;
static int64_t pad8(int64_t n) { return (n + PAD - 1) / PAD * PAD; }

static int host_little(void) { const uint16_t one = 1; return *(const uint8_t *)&one == 1; }

/* Can x be written?  Functions (at any depth) cannot.  Borrows x. */
static int writable(K x)
{
	if (!k_stack_ok()) { kerr("stack"); return 0; }
	if (x->t == KT_FUNC || x->t == KT_NODE) return 0;
	if (x->t == KT_LIST || x->t == KT_DICT)
		for (int64_t i = 0; i < x->n; i++) if (!writable(kK(x)[i])) return 0;
	return 1;
}

int64_t kbin_size(K x, int disk)
{
	if (!k_stack_ok()) { kerr("stack"); return -1; }
	int64_t head = disk ? 32 : 16, r = head;
	switch (x->t) {
	case KT_LIST:
	case KT_DICT:
		for (int64_t i = 0; i < x->n; i++) r += kbin_size(kK(x)[i], disk);
		return r;
	case -KT_INT:
	case -KT_FLOAT: return r + 8 * x->n;
	case -KT_CHAR: return pad8(r + x->n + 1);
	case -KT_SYM:
		for (int64_t i = 0; i < x->n; i++) r += (int64_t)strlen(kS(x)[i]) + 1;
		return pad8(r);
	case KT_SYM: {
		int64_t q = (int64_t)strlen(kS(x)[0]) + 1;
		return q > PAD ? r + q - PAD : r;
	}
	default: return r;     /* int, float, char atoms, _n */
	}
}

static void put_word(unsigned char *p, int64_t v) { memcpy(p, &v, 8); }

/* Write x at dst (kbin_size(x, disk) bytes, already zeroed); returns the
 * bytes written. */
static int64_t write_value(K x, unsigned char *dst, int disk)
{
	if (!k_stack_ok()) { kerr("stack"); return 0; }
	int64_t w = 0;
	if (disk) { put_word(dst, -3); put_word(dst + 8, 1); w = 16; }
	put_word(dst + w, x->t);
	unsigned char *datum = dst + w + 8, *data = dst + w + 16;
	int64_t r = w + 16;
	switch (x->t) {
	case KT_LIST:
	case KT_DICT:
		put_word(datum, x->n);
		for (int64_t i = 0; i < x->n; i++) r += write_value(kK(x)[i], dst + r, disk);
		return r;
	case -KT_INT:
	case -KT_FLOAT:
		put_word(datum, x->n);
		memcpy(data, x->d, (size_t)(8 * x->n));
		return r + 8 * x->n;
	case -KT_CHAR:
		put_word(datum, x->n);
		memcpy(data, kC(x), (size_t)x->n);
		return pad8(r + x->n + 1);
	case -KT_SYM:
		put_word(datum, x->n);
		for (int64_t i = 0; i < x->n; i++) {
			size_t q = strlen(kS(x)[i]) + 1;
			memcpy(dst + r, kS(x)[i], q);
			r += (int64_t)q;
		}
		return pad8(r);
	case KT_INT:
	case KT_FLOAT: memcpy(datum, x->d, 8); return r;
	case KT_CHAR: datum[0] = (unsigned char)kC(x)[0]; return r;
	case KT_SYM: {
		int64_t q = (int64_t)strlen(kS(x)[0]) + 1;
		memcpy(datum, kS(x)[0], (size_t)q);
		return q > PAD ? r + q - PAD : r;
	}
	default: return r;     /* _n: a zero word */
	}
}

void kbin_write(K x, unsigned char *dst, int disk) { write_value(x, dst, disk); }

static int64_t get_word(const unsigned char *p, int swap)
{
	uint64_t v;
	memcpy(&v, p, 8);
	if (swap) v = __builtin_bswap64(v);
	return (int64_t)v;
}

/* The count of a vector or list header must be sane for the bytes left. */
static int count_fits(int64_t n, int64_t item, int64_t left)
{
	return n >= 0 && (item == 0 || n <= left / item);
}

/* The n items of a list or dictionary (type t) whose forms follow at
 * p + *size, each adding its bytes to *size.  NULL after kerr. */
static K read_items(const unsigned char *p, const unsigned char *end, int disk, int swap,
                    int t, int64_t n, int64_t *size)
{
	K r = k_new(t, n);
	if (!r) return NULL;
	for (int64_t i = 0; i < n; i++) {
		K v = kbin_read(p + *size, end, disk, swap, size);
		if (!v) { r->n = i; cd(r); return NULL; }
		kK(r)[i] = v;
	}
	if (t == KT_DICT)       /* each item must be a (symbol;value;attributes) triple */
		for (int64_t i = 0; i < n; i++) {
			K e = kK(r)[i];
			if (e->t != KT_LIST || e->n != 3 || kK(e)[0]->t != KT_SYM) { cd(r); return kerr("type"); }
		}
	return r;
}

/* An int or float vector (type t) of the n words at data. */
static K read_words(const unsigned char *data, int swap, int t, int64_t n)
{
	K r = k_new(t, n);
	if (!r) return NULL;
	for (int64_t i = 0; i < n; i++) {
		int64_t v = get_word(data + 8 * i, swap);
		memcpy(r->d + 8 * i, &v, 8);
	}
	return r;
}

/* A symbol vector of the n NUL-terminated names at p + *size, adding
 * their bytes to *size.  NULL after kerr. */
static K read_syms(const unsigned char *p, const unsigned char *end, int64_t n, int64_t *size)
{
	K r = k_new(-KT_SYM, n);
	if (!r) return NULL;
	for (int64_t i = 0; i < n; i++) {
		const unsigned char *s = p + *size, *z = memchr(s, 0, (size_t)(end - s));
		if (!z) { r->n = i; cd(r); return kerr("length"); }
		ksym name = sym_intern((const char *)s, (size_t)(z - s));
		if (!name) { r->n = i; cd(r); return NULL; }
		kS(r)[i] = name;
		*size += z - s + 1;
	}
	return r;
}

/* An atom of type t whose datum starts at datum (a symbol's name may run
 * past the header word: its extra bytes are added to *size). */
static K read_atom(const unsigned char *datum, const unsigned char *end, int swap, int t, int64_t *size)
{
	switch (t) {
	case KT_INT:
	case KT_FLOAT: {
		int64_t v = get_word(datum, swap);
		K r = k_new(t, 1);
		if (r) memcpy(r->d, &v, 8);
		return r;
	}
	case KT_CHAR: return k_char((char)datum[0]);
	case KT_SYM: {
		const unsigned char *z = memchr(datum, 0, (size_t)(end - datum));
		if (!z) return kerr("length");
		ksym name = sym_intern((const char *)datum, (size_t)(z - datum));
		int64_t q = z - datum + 1;
		if (q > PAD) *size += q - PAD;
		return name ? k_symv(name) : NULL;
	}
	case KT_NULL: return k_null();
	default: return kerr("type");
	}
}

K kbin_read(const unsigned char *p, const unsigned char *end, int disk, int swap, int64_t *used)
{
	if (!k_stack_ok()) return kerr("stack");
	int64_t head = disk ? 32 : 16, left = end - p;
	if (left < head) return kerr("length");
	if (disk && get_word(p, swap) != -3) return kerr("type");
	int64_t w = disk ? 16 : 0;
	int64_t t = get_word(p + w, swap), n = get_word(p + w + 8, swap);
	const unsigned char *datum = p + w + 8, *data = p + head;
	left -= head;
	K r;
	int64_t size = head;
	switch (t) {
	case KT_LIST:
	case KT_DICT:
		if (!count_fits(n, head, left)) return kerr("length");
		r = read_items(p, end, disk, swap, (int)t, n, &size);
		break;
	case -KT_INT:
	case -KT_FLOAT:
		if (!count_fits(n, 8, left)) return kerr("length");
		r = read_words(data, swap, (int)t, n);
		size += 8 * n;
		break;
	case -KT_CHAR:
		if (n < 0 || n >= left) return kerr("length");    /* the chars and a NUL */
		r = k_str((const char *)data, (size_t)n);
		size = pad8(size + n + 1);
		break;
	case -KT_SYM:
		if (!count_fits(n, 1, left)) return kerr("length");
		r = read_syms(p, end, n, &size);
		size = pad8(size);
		break;
	default:
		r = read_atom(datum, end, swap, (int)t, &size);
	}
	if (!r) return NULL;
	if (size > end - p) { cd(r); return kerr("length"); }
	*used += size;
	return r;
}

/* _bd x: the bytes of x, with the message header. */
K sys_bd(K x)
{
	K r = NULL;
	if (!writable(x)) { if (!kc->err) kerr("nonce"); goto fail; }
	int64_t n = kbin_size(x, 0);
	if (n < 0) goto fail;
	r = k_new(-KT_CHAR, 16 + n);
	if (!r) goto fail;
	memset(kC(r), 0, (size_t)(16 + n + 1));
	kC(r)[0] = (char)host_little();
	put_word((unsigned char *)kC(r) + 8, n);
	kbin_write(x, (unsigned char *)kC(r) + 16, 0);
fail:
	cd(x);
	return r;
}

/* _db s: the value whose bytes (with the message header) are s. */
K sys_db(K x)
{
	K r = NULL;
	if (x->t != -KT_CHAR) { kerr("type"); goto fail; }
	if (x->n < 16) { kerr("length"); goto fail; }
	const unsigned char *p = (const unsigned char *)kC(x);
	int swap = (p[0] != 0) != host_little();
	int64_t n = get_word(p + 8, swap);
	if (n != x->n - 16) { kerr("length"); goto fail; }
	int64_t used = 0;
	r = kbin_read(p + 16, p + x->n, 0, swap, &used);
fail:
	cd(x);
	return r;
}
