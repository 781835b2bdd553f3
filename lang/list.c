/* list.c: the structural verbs that move items around without looking at
 * their order: + * | & ^ ! # , @ (monadic), and ! ~ ? # _ , (dyadic).
 * Grading, grouping and uniqueness (< > = ?x) live in lang/grade.c.
 *
 * Items are copied with one memcpy per run of elements whatever their type
 * (elem_copy), raising children's counts for nested types, so that each verb
 * is written once for all types.  Atom-like values (atoms, dictionaries, _n,
 * functions) count as one item, as in Kona: #d is 1 and d,d is a 2-list.
 */
#include "verbs.h"
#include "apply.h"
#include "random.h"
#include "sysfn.h"

int k_float_equal(double a, double b);   /* lang/util.c */

/* ---- element copying ----------------------------------------------- */

/* Bytes of one item of a vector or list of type t (t <= 0). */
static size_t item_size(int t) { return k_esize(t); }

/* Copy n items of src from si into dst at di (same type, dst has room);
 * children of general lists are shared, their counts raised.  1, or 0 at
 * a break, with a list's items [di, di+n) in dst left NULL (none held). */
static int elem_copy(K dst, int64_t di, K src, int64_t si, int64_t n)
{
	size_t w = item_size(src->t);
	K_BLOCKS(b, e, n * (int64_t)w / 8) {       /* polled every 512 KiB */
		if (k_broken()) {
			if (src->t == KT_LIST) memset(kK(dst) + di, 0, (size_t)n * sizeof(K));
			return 0;
		}
		memcpy(dst->d + (size_t)di * w + (size_t)b * 8, src->d + (size_t)si * w + (size_t)b * 8,
		       (size_t)(e - b) * 8);
	}
	size_t done = (size_t)(n * (int64_t)w / 8) * 8;
	memcpy(dst->d + (size_t)di * w + done, src->d + (size_t)si * w + done, (size_t)n * w - done);
	if (src->t == KT_LIST)
		for (int64_t i = 0; i < n; i++) ci(kK(dst)[di + i]);
	return 1;
}

/* A new vector or list of x's type holding items [s, s+n) of x.  Borrows x. */
static K slice(K x, int64_t s, int64_t n)
{
	K r = k_new(x->t, n);
	if (!r) return NULL;
	if (x->t == KT_LIST) memset(kK(r), 0, (size_t)n * sizeof(K));
	if (!elem_copy(r, 0, x, s, n)) { cd(r); return NULL; }
	if (x->t == -KT_CHAR) kC(r)[n] = 0;
	return r;
}

/* The empty value of x's item type ("prototype"): 0 0.0 " " ` for vectors,
 * _n for lists. */
static K prototype_atom(int t)
{
	switch (t) {
	case -KT_INT: return k_int(0);
	case -KT_FLOAT: return k_float(0.0);
	case -KT_CHAR: return k_char(' ');
	case -KT_SYM: return k_symv(sym_c(""));
	default: return k_null();
	}
}

/* Fill n items of r from di with the prototype of r's type (r a vector or
 * list; list slots get _n). */
static int fill_prototype(K r, int64_t di, int64_t n)
{
	switch (r->t) {
	case -KT_INT: for (int64_t i = 0; i < n; i++) kI(r)[di + i] = 0; break;
	case -KT_FLOAT: for (int64_t i = 0; i < n; i++) kF(r)[di + i] = 0.0; break;
	case -KT_CHAR: memset(kC(r) + di, ' ', (size_t)n); break;
	case -KT_SYM: { ksym e = sym_c(""); for (int64_t i = 0; i < n; i++) kS(r)[di + i] = e; break; }
	default:
		for (int64_t i = 0; i < n; i++)
			if (!(kK(r)[di + i] = k_null())) return 0;
	}
	return 1;
}

/* A count that no allocation could satisfy: answer wsfull before asking. */
#define COUNT_LIMIT ((int64_t)1 << 48)

static int64_t count_of(K x) { return x->t > 0 ? 1 : x->n; }

/* ---- monadic ---------------------------------------------------------- */

/* #x: items of a list or vector; 1 for anything atom-like. */
K verb_count(K x)
{
	int64_t n = count_of(x);
	cd(x);
	return k_int(n);
}

/* @x: 1 for atom-like values, 0 for lists and vectors. */
K verb_atom(K x)
{
	int a = x->t > 0;
	cd(x);
	return k_int(a);
}

/* ,x: a 1-item vector of an atom, else a 1-item list. */
K verb_enlist(K x)
{
	return k_enlist(x);
}

/* *x: the first item; an empty vector gives its prototype atom, () gives _n;
 * atom-like values are their own first item. */
K verb_first(K x)
{
	K r;
	if (x->t > 0) return x;
	if (x->n == 0) r = prototype_atom(x->t);
	else r = k_item(x, 0);
	cd(x);
	return r;
}

/* |x: items in reverse order, in place when x is unshared. */
K verb_reverse(K x)
{
	if (x->t > 0 || x->n < 2) return x;
	int64_t n = x->n;
	size_t w = item_size(x->t);
	if (x->rc == 1) {          /* in place: a break leaves a value that goes */
		unsigned char tmp[16];
		K_BLOCKS(b, e, n / 2) {
			if (k_broken()) goto fail;
			for (int64_t i = b, j = n - 1 - b; i < e; i++, j--) {
				memcpy(tmp, x->d + i * w, w);
				memcpy(x->d + i * w, x->d + j * w, w);
				memcpy(x->d + j * w, tmp, w);
			}
		}
		return x;
	}
	K r = k_new(x->t, n);
	if (!r) goto fail;
	K_BLOCKS(b, e, n) {
		if (k_broken()) { if (x->t == KT_LIST) r->n = 0; cd(r); goto fail; }
		switch (w) {
		case 8: for (int64_t i = b; i < e; i++) kI(r)[i] = kI(x)[n - 1 - i]; break;
		case 1: for (int64_t i = b; i < e; i++) kC(r)[i] = kC(x)[n - 1 - i]; break;
		default: for (int64_t i = b; i < e; i++) memcpy(r->d + i * w, x->d + (n - 1 - i) * w, w);
		}
	}
	if (w == 1) kC(r)[n] = 0;
	if (x->t == KT_LIST)
		for (int64_t i = 0; i < n; i++) ci(kK(r)[i]);
	cd(x);
	return r;
fail:
	cd(x);
	return NULL;
}

/* &x: i repeated x[i] times; negative counts (0N too) are skipped, as in
 * Kona; 0I and non-integers are int errors; an int atom n gives n zeros. */
K verb_where(K x)
{
	K r = NULL;
	if (x->t == KT_LIST) x = k_squeeze(x);
	if (!x) return NULL;
	if (x->n == 0 && x->t <= 0) { cd(x); return k_new(-KT_INT, 0); }
	if (x->t != KT_INT && x->t != -KT_INT) { kerr("int"); goto fail; }
	int64_t n = x->n, total = 0;
	for (int64_t i = 0; i < n; i++) {
		int64_t c = kI(x)[i];
		if (c == KI_INF) { kerr("int"); goto fail; }
		if (c > 0) total += c;
		if (total > COUNT_LIMIT) { kerr("wsfull"); goto fail; }
	}
	r = k_new(-KT_INT, total);
	if (!r) goto fail;
	int64_t *o = kI(r), since = 0;
	for (int64_t i = 0; i < n; i++)
		for (int64_t c = kI(x)[i] > 0 ? kI(x)[i] : 0; c >= 0; c -= K_POLL_BLOCK) {
			int64_t k = c < K_POLL_BLOCK ? c : K_POLL_BLOCK;
			for (int64_t j = 0; j < k; j++) *o++ = i;
			if (k_broken_after(&since, k + 1)) { cd(r); r = NULL; goto fail; }
		}
	cd(x);
	return r;
fail:
	cd(x);
	return NULL;
}

/* ^x: the shape, as far as x is rectangular: the counts along the first
 * items, cut where an item at that depth is an atom or differs in count. */
static int64_t first_depth(K x)
{
	int64_t d = 0;
	while (x->t == KT_LIST && x->n > 0) { d++; x = kK(x)[0]; }
	return x->t > 0 ? d : d + 1;
}

static void shape_check(K x, const int64_t *dims, int64_t d, int64_t *len)
{
	if (d >= *len) return;
	if (!k_stack_ok()) { kerr("stack"); return; }    /* verb_shape checks */
	if (x->t > 0 || x->n != dims[d]) { *len = d; return; }
	if (x->t < 0) { if (d + 1 < *len) *len = d + 1; return; }
	for (int64_t i = 0; i < x->n && d + 1 < *len; i++)
		shape_check(kK(x)[i], dims, d + 1, len);
}

K verb_shape(K x)
{
	int64_t depth = first_depth(x);
	K r = k_new(-KT_INT, depth);
	if (!r) goto fail;
	K y = x;
	for (int64_t i = 0; i < depth; i++) {
		kI(r)[i] = y->n;
		if (i + 1 < depth) y = kK(y)[0];
	}
	int64_t len = depth;
	shape_check(x, kI(r), 0, &len);
	r->n = len;
	cd(x);
	return r;
fail:
	cd(x);
	return NULL;
}

/* +x: transpose a list of equal-length lists; atoms among the items are
 * repeated down their column.  Atoms, vectors and lists holding no list
 * are their own transpose.
 *
 * When every item is a vector of one type (a matrix), the rows are made
 * first and then filled eight at a time: for each column in turn, eight
 * consecutive items (one cache line of ints) go to the same slot of eight
 * rows, so every line read or written is used whole while it is in the
 * cache.  That is a cache-blocked transpose across the separate blocks of
 * K's rows and columns (1000 by 1000 ints: 5.5 ms with a copy per item,
 * see the commit for the figure after). */

/* Rows [i0, i0+m) (m <= FLIP_STRIP) of the transpose of the p columns c,
 * into the rows' data d[0..m), for items of type T. */
#define FLIP_STRIP 8
#define FLIP_KERNEL(name, T)                                                    \
	static void name(unsigned char *const *d, K const *c, int64_t p, int64_t i0, int64_t m) \
	{                                                                       \
		T *r[FLIP_STRIP];                                               \
		for (int64_t k = 0; k < m; k++) r[k] = (T *)d[k];               \
		if (m == FLIP_STRIP) {                                          \
			for (int64_t j = 0; j < p; j++) {                       \
				const T *s = (const T *)c[j]->d + i0;           \
				r[0][j] = s[0]; r[1][j] = s[1];                 \
				r[2][j] = s[2]; r[3][j] = s[3];                 \
				r[4][j] = s[4]; r[5][j] = s[5];                 \
				r[6][j] = s[6]; r[7][j] = s[7];                 \
			}                                                       \
			return;                                                 \
		}                                                               \
		for (int64_t j = 0; j < p; j++)                                 \
			for (int64_t k = 0; k < m; k++) r[k][j] = ((const T *)c[j]->d)[i0 + k]; \
	}
FLIP_KERNEL(flip_strip8, uint64_t)
FLIP_KERNEL(flip_strip1, char)
#undef FLIP_KERNEL

/* The transpose of p vectors c of type t, each q long: q vectors p long.
 * Borrows c. */
static K flip_matrix(K const *c, int64_t p, int64_t q, int t)
{
	K r = k_list(q);
	if (!r) return NULL;
	for (int64_t i = 0; i < q; i++)
		if (!(kK(r)[i] = k_new(t, p))) goto fail;
	size_t w = k_esize(t);
	int64_t since = 0;
	for (int64_t i0 = 0; i0 < q; i0 += FLIP_STRIP) {
		if (k_broken_after(&since, FLIP_STRIP * p)) goto fail;
		int64_t m = q - i0 < FLIP_STRIP ? q - i0 : FLIP_STRIP;
		unsigned char *d[FLIP_STRIP];
		for (int64_t k = 0; k < m; k++) d[k] = kK(r)[i0 + k]->d;
		(w == 1 ? flip_strip1 : flip_strip8)(d, c, p, i0, m);
	}
	return r;
fail:
	cd(r);
	return NULL;
}

/* The transpose in general: row i holds item i of each vector or list
 * and each atom itself, squeezed to a vector where its items allow.
 * Borrows c. */
static K flip_general(K const *c, int64_t p, int64_t q)
{
	K r = k_list(q);
	if (!r) return NULL;
	for (int64_t i = 0; i < q; i++) {
		K row = k_list(p);
		if (!row) goto fail;
		kK(r)[i] = row;
		for (int64_t j = 0; j < p; j++)
			if (!(kK(row)[j] = k_item(c[j], c[j]->t > 0 ? 0 : i))) goto fail;
		if (!(kK(r)[i] = k_squeeze(row))) goto fail;
	}
	return r;
fail:
	cd(r);
	return NULL;
}

K verb_flip(K x)
{
	if (x->t != KT_LIST || x->n == 0) return x;
	int64_t p = x->n, q = -1;
	K *c = kK(x);
	int vt = c[0]->t < 0 ? c[0]->t : 0;
	for (int64_t j = 0; j < p; j++) {
		if (c[j]->t != vt) vt = 0;
		if (c[j]->t > 0) continue;
		if (q < 0) q = c[j]->n;
		else if (c[j]->n != q) { cd(x); return kerr("length"); }
	}
	if (q < 0) return x;
	K r = vt ? flip_matrix(c, p, q, vt) : flip_general(c, p, q);
	cd(x);
	return r;
}

/* !x: !n is 0..n-1 (a float is truncated), !v the odometer over v (rows
 * of indices), !d the keys of a dictionary, !_n no keys. */
static K odometer(K x)
{
	int64_t n = x->n, p = 1;
	for (int64_t i = 0; i < n; i++) {
		int64_t v = kI(x)[i];
		if (v < 0) return kerr("int");
		if (v && p > COUNT_LIMIT / v) return kerr("wsfull");
		p *= v;
	}
	if (n == 0) p = 0;
	K r = k_list(p);
	if (!r) return NULL;
	int64_t since = 0;
	for (int64_t i = 0; i < p; i++) {
		K row = k_broken_after(&since, n + 1) ? NULL : k_new(-KT_INT, n);
		if (!row) { cd(r); return NULL; }
		kK(r)[i] = row;
		if (i == 0) { memset(kI(row), 0, (size_t)n * sizeof(int64_t)); continue; }
		memcpy(kI(row), kI(kK(r)[i - 1]), (size_t)n * sizeof(int64_t));
		for (int64_t j = n - 1; j >= 0; j--) {       /* add one, carrying */
			if (++kI(row)[j] < kI(x)[j]) break;
			kI(row)[j] = 0;
		}
	}
	return r;
}

K verb_enumerate(K x)
{
	K r = NULL;
	switch (x->t) {
	case KT_INT: case KT_FLOAT: {
		/* 0n, 0i and floats no int holds are a domain error, as in Kona
		 * (and converting them would be undefined) */
		if (x->t == KT_FLOAT && !(kF(x)[0] > -1 && kF(x)[0] < 0x1p62)) { kerr("domain"); break; }
		int64_t n = x->t == KT_INT ? kI(x)[0] : (int64_t)kF(x)[0];
		if (n < 0) { kerr("domain"); break; }
		if (n > COUNT_LIMIT) { kerr("wsfull"); break; }
		r = k_new(-KT_INT, n);
		if (r) K_BLOCKS(b, e, n) {
			if (k_broken()) { cd(r); r = NULL; break; }
			for (int64_t i = b; i < e; i++) kI(r)[i] = i;
		}
		break;
	}
	case -KT_INT: r = odometer(x); break;
	case KT_DICT:
		r = k_new(-KT_SYM, x->n);
		if (r) for (int64_t i = 0; i < x->n; i++) kS(r)[i] = kS(kK(kK(x)[i])[0])[0];
		break;
	case KT_NULL: r = k_new(-KT_SYM, 0); break;
	case KT_SYM: case KT_CHAR: case -KT_CHAR:
		kerr("nonce");    /* directory listings: not in krt */
		break;
	default: kerr("domain");
	}
	cd(x);
	return r;
}

/* ---- dyadic: match, rotate, mod ---------------------------------------- */

K verb_match(K x, K y)
{
	int m = k_match(x, y);
	cd(x);
	cd(y);
	return k_int(m);
}

/* x!y with y a list: rotate y left by x places (right if x < 0). */
static K rotate(int64_t x, K y)
{
	int64_t n = y->n;
	if (n == 0) return y;
	int64_t k = x % n;
	if (k < 0) k += n;
	if (k == 0) return y;
	K r = k_new(y->t, n);
	if (r && y->t == KT_LIST) memset(kK(r), 0, (size_t)n * sizeof(K));
	if (r && (!elem_copy(r, 0, y, k, n - k) || !elem_copy(r, n - k, y, 0, k))) {
		cd(r);
		r = NULL;
	}
	if (r && y->t == -KT_CHAR) kC(r)[n] = 0;
	cd(y);
	return r;
}

/* x!y with y a numeric atom: x mod y, the result having y's sign
 * (x - y*floor(x/y)); y = 0 leaves x.  Lists recurse. */
static int64_t mod_int(int64_t a, int64_t b)
{
	if (!b) return a;
	if (b == -1) return 0;                /* INT64_MIN % -1 traps */
	if (b == KI_NULL) return KI_NULL;
	int64_t m = a % b;
	return (m != 0 && ((m < 0) != (b < 0))) ? m + b : m;
}

static double mod_float(double a, double b)
{
	return b != 0 ? a - b * __builtin_floor(a / b) : a;
}

static K mod(K x, K y)
{
	if (!k_stack_ok()) { cd(x); cd(y); return kerr("stack"); }
	K r = NULL;
	int xt = x->t < 0 ? -x->t : x->t;
	if (x->t == KT_LIST) {
		r = k_list(x->n);
		if (!r) goto fail;
		for (int64_t i = 0; i < x->n; i++)
			if (!(kK(r)[i] = mod(ci(kK(x)[i]), ci(y)))) goto fail;
		goto done;
	}
	if (xt != KT_INT && xt != KT_FLOAT) { kerr("type"); goto fail; }
	int fl = xt == KT_FLOAT || y->t == KT_FLOAT;
	r = k_new(fl ? (x->t < 0 ? -KT_FLOAT : KT_FLOAT) : x->t, x->n);
	if (!r) goto fail;
	if (!fl) {
		int64_t b = kI(y)[0];
		for (int64_t i = 0; i < x->n; i++) kI(r)[i] = mod_int(kI(x)[i], b);
	} else {
		double b = y->t == KT_FLOAT ? kF(y)[0] : (double)kI(y)[0];
		for (int64_t i = 0; i < x->n; i++)
			kF(r)[i] = mod_float(xt == KT_FLOAT ? kF(x)[i] : (double)kI(x)[i], b);
	}
done:
	cd(x);
	cd(y);
	return r;
fail:
	cd(r);
	cd(x);
	cd(y);
	return NULL;
}

/* `a`b!(v;w) makes a dictionary (Kona's extension of !). */
static K make_dict(K keys, K vals)
{
	K d = dict_new();
	for (int64_t i = 0; d && i < keys->n; i++)
		d = dict_set(d, kS(keys)[i], ci(kK(vals)[i]));
	cd(keys);
	cd(vals);
	return d;
}

K verb_rotate(K x, K y)
{
	if (y->t > KT_FLOAT) { kerr("type"); goto fail; }
	if (x->t == -KT_SYM && y->t == KT_LIST && x->n == y->n) return make_dict(x, y);
	if (y->t > 0) return mod(x, y);
	if (x->t != KT_INT) { kerr("int"); goto fail; }
	int64_t k = kI(x)[0];
	cd(x);
	return rotate(k, y);
fail:
	cd(x);
	cd(y);
	return NULL;
}

/* ---- dyadic: take and reshape ---------------------------------------- */

/* A value of n items of y's kind taken cyclically from y starting at item s
 * (y's items; an empty y gives prototypes; an atom-like y repeats). */
static K take_cyclic(K y, int64_t n, int64_t s)
{
	if (n > COUNT_LIMIT) return kerr("wsfull");
	if (y->t > 0) {
		if (y->t <= KT_SYM) {
			K r = k_new(-y->t, n);
			if (!r) return NULL;
			size_t w = k_esize(y->t);
			K_BLOCKS(b, e, n) {
				if (k_broken()) { cd(r); return NULL; }
				for (int64_t i = b; i < e; i++) memcpy(r->d + i * w, y->d, w);
			}
			if (y->t == KT_CHAR) kC(r)[n] = 0;
			return r;
		}
		K r = k_list(n);
		if (!r) return NULL;
		for (int64_t i = 0; i < n; i++) kK(r)[i] = ci(y);
		return r;
	}
	K r = k_new(y->t, n);
	if (!r) return NULL;
	int64_t m = y->n;
	if (m == 0) {
		if (y->t == KT_LIST) memset(kK(r), 0, (size_t)n * sizeof(K));
		if (!fill_prototype(r, 0, n)) { cd(r); return NULL; }
	} else {
		if (y->t == KT_LIST) memset(kK(r), 0, (size_t)n * sizeof(K));
		for (int64_t i = 0; i < n;) {
			int64_t run = m - s < n - i ? m - s : n - i;
			if (!elem_copy(r, i, y, s, run)) { cd(r); return NULL; }
			i += run;
			s = 0;
		}
	}
	if (y->t == -KT_CHAR) kC(r)[n] = 0;
	return r;
}

/* Fill one level of a reshape: dims[d] items (a missing factor f where the
 * dimension is negative); at the last level or a zero dimension, a leaf of
 * y's items taken cyclically from *pos on. */
static K reshape_level(K y, const int64_t *dims, int64_t nd, int64_t d, int64_t f, int64_t *pos)
{
	if (!k_stack_ok()) return kerr("stack");
	int64_t v = dims[d] < 0 ? f : dims[d];
	if (v == 0 || d == nd - 1) {
		int64_t m = y->t > 0 ? 1 : y->n;
		K r = take_cyclic(y, v, m ? *pos % m : 0);
		if (m) *pos = (*pos + v) % m;
		return r;
	}
	K r = k_list(v);
	if (!r) return NULL;
	for (int64_t i = 0; i < v; i++)
		if (!(kK(r)[i] = reshape_level(y, dims, nd, d + 1, f, pos))) { cd(r); return NULL; }
	return r;
}

static K reshape(K x, K y)
{
	K r = NULL;
	int64_t nd = x->n, missing = 0, p = 1;
	for (int64_t i = 0; i < nd; i++) {
		int64_t v = kI(x)[i];
		if (v < 0) { missing++; continue; }       /* -1 or 0N: the factor left */
		if (v && p > COUNT_LIMIT / v) { kerr("wsfull"); goto fail; }
		p *= v;
	}
	if (missing > 1) { kerr("domain"); goto fail; }
	int64_t yn = y->t > 0 ? 1 : y->n, f = 0;
	if (missing) {
		if (!p || !yn || yn % p) { kerr("length"); goto fail; }
		f = yn / p;
	}
	int64_t pos = 0;
	r = reshape_level(y, kI(x), nd, 0, f, &pos);
fail:
	cd(x);
	cd(y);
	return r;
}

K verb_take(K x, K y)
{
	K r = NULL;
	if (x->t <= 0 && x->n == 0) { cd(x); return verb_first(y); }   /* as Kona */
	if (x->t == -KT_INT) return reshape(x, y);
	if (x->t != KT_INT) { kerr("int"); goto fail; }
	int64_t c = kI(x)[0];
	if (c == KI_NULL) { kerr("int"); goto fail; }
	int64_t n = c < 0 ? -c : c;
	int64_t m = y->t > 0 ? 1 : y->n, s = 0;
	if (c < 0 && m > 0) { s = c % m; s = s < 0 ? s + m : 0; }
	if (y->t == KT_LIST && y->rc == 1 && c >= 0 && c <= m) {
		/* a prefix of an unshared list: cut it down in place */
		for (int64_t i = c; i < m; i++) cd(kK(y)[i]);
		y->n = c;
		cd(x);
		return k_squeeze(y);
	}
	r = take_cyclic(y, n, s);
	if (r && y->t == KT_LIST) r = k_squeeze(r);
fail:
	cd(x);
	cd(y);
	return r;
}

/* ---- dyadic: drop and cut -------------------------------------------- */

static K cut(K x, K y)
{
	K r = NULL;
	int64_t n = x->n, yn = y->n;
	for (int64_t i = 0; i < n; i++) {
		int64_t v = kI(x)[i];
		if (v < 0 || (i && v < kI(x)[i - 1])) { kerr("domain"); goto fail; }
		if (v > yn) { kerr("length"); goto fail; }
	}
	r = k_list(n);
	if (!r) goto fail;
	for (int64_t i = 0; i < n; i++) {
		int64_t s = kI(x)[i], e = i + 1 < n ? kI(x)[i + 1] : yn;
		K piece = slice(y, s, e - s);
		if (piece && y->t == KT_LIST && e > s) piece = k_squeeze(piece);
		if (!(kK(r)[i] = piece)) { cd(r); r = NULL; goto fail; }
	}
fail:
	cd(x);
	cd(y);
	return r;
}

K verb_drop(K x, K y)
{
	K r = NULL;
	if (x->t == -KT_INT) {
		if (y->t > 0) { kerr("int"); goto fail; }
		return cut(x, y);
	}
	if (x->t != KT_INT) { kerr("int"); goto fail; }
	if (y->t > 0) { cd(x); return y; }
	int64_t v = kI(x)[0], yn = y->n;
	int64_t a = v == KI_NULL ? yn : (v < 0 ? -v : v);
	int64_t keep = a >= yn ? 0 : yn - a;
	int64_t s = v > 0 ? yn - keep : 0;
	if (y->rc == 1 && s == 0) {
		/* dropping from the end of an unshared value: shorten it */
		if (y->t == KT_LIST) for (int64_t i = keep; i < yn; i++) cd(kK(y)[i]);
		y->n = keep;
		if (y->t == -KT_CHAR) kC(y)[keep] = 0;
		r = y;
		y = NULL;
	} else {
		r = slice(y, s, keep);
	}
	if (r && r->t == KT_LIST) r = k_squeeze(r);
fail:
	cd(x);
	cd(y);
	return r;
}

/* ---- dyadic: join ------------------------------------------------------ */

/* The type of x,y: a vector when both sides have one item type (or one
 * side is empty: its type gives way, the right empty one first), else a
 * general list. */
static int join_type(K x, K y)
{
	int ax = x->t < 0 ? -x->t : x->t, ay = y->t < 0 ? -y->t : y->t;
	int t = ax == ay ? -ax : 0;
	if (count_of(x) == 0) t = -ay;
	else if (count_of(y) == 0) t = -ax;
	return t < -KT_SYM ? KT_LIST : t;
}

/* Append y's items to r (type t) from position at. */
static int join_fill(K r, int64_t at, K y)
{
	if (r->t == KT_LIST && y->t != KT_LIST) {
		int64_t n = count_of(y);
		for (int64_t i = 0; i < n; i++)
			if (!(kK(r)[at + i] = k_item(y, i))) {
				for (int64_t j = i; j < n; j++) kK(r)[at + j] = NULL;
				return 0;
			}
		return 1;
	}
	if (y->t > 0) memcpy(r->d + at * k_esize(y->t), y->d, k_esize(y->t));
	else return elem_copy(r, at, y, 0, y->n);
	return 1;
}

int join_into(K *px, K y)
{
	K x = *px;
	int t = join_type(x, y);
	if (x->rc != 1 || t > 0 || !(x->t == t || (x->t < 0 && x->n == 0))) return 0;
	int64_t xn = count_of(x), yn = count_of(y);
	if (xn + yn > COUNT_LIMIT) { kerr("wsfull"); return -1; }
	int8_t was = x->t;
	x->t = (int8_t)t;                  /* an empty vector retyped */
	if (k_grow(&x, xn + yn)) {
		x->t = was;
		if (was == -KT_CHAR) kC(x)[0] = 0;
		return -1;
	}
	*px = x;                           /* the block may have moved */
	if (!join_fill(x, xn, y)) {        /* items of y that were made go */
		if (x->t == KT_LIST) for (int64_t i = xn; i < xn + yn; i++) cd(kK(x)[i]);
		x->n = xn;
		return -1;
	}
	return 1;
}

K verb_join(K x, K y)
{
	K r = NULL;
	int64_t xn = count_of(x), yn = count_of(y);
	if (xn + yn > COUNT_LIMIT) { kerr("wsfull"); goto fail; }
	int done = join_into(&x, y);     /* amortised O(1) per item */
	if (done > 0) { cd(y); return x; }
	if (done < 0) goto fail;
	int t = join_type(x, y);
	r = k_new(t, xn + yn);
	if (!r) goto fail;
	if (t == KT_LIST) memset(kK(r), 0, (size_t)(xn + yn) * sizeof(K));
	if (!join_fill(r, 0, x) || !join_fill(r, xn, y)) goto fail;
	if (t == -KT_CHAR) kC(r)[xn + yn] = 0;
	cd(x);
	cd(y);
	return r;
fail:
	cd(r);
	cd(x);
	cd(y);
	return NULL;
}

/* ---- dyadic: find, draw, deal, inverse -------------------------------- */

/* An int met by a float, as = sees it (lang/arith.c): 0N 0I -0I are the
 * float 0n 0i -0i, so (0N 0I 1)?0i is 1. */
static double find_as_float(int64_t i)
{
	return i == KI_INF ? KF_INF : i == -KI_INF ? -KF_INF : i == KI_NULL ? KF_NULL : (double)i;
}

/* Index of the first item of x equal to y (#x if none): numbers compare
 * across int and float with tolerance, other items by ~. */
static int64_t find_index(K x, K y)
{
	int64_t n = x->n;
	switch (x->t) {
	case -KT_INT:
		if (y->t == KT_INT) {
			int64_t v = kI(y)[0];
			for (int64_t i = 0; i < n; i++) if (kI(x)[i] == v) return i;
		} else if (y->t == KT_FLOAT) {
			for (int64_t i = 0; i < n; i++) if (k_float_equal(find_as_float(kI(x)[i]), kF(y)[0])) return i;
		}
		return n;
	case -KT_FLOAT:
		if (y->t == KT_INT || y->t == KT_FLOAT) {
			double v = y->t == KT_INT ? find_as_float(kI(y)[0]) : kF(y)[0];
			for (int64_t i = 0; i < n; i++) if (k_float_equal(kF(x)[i], v)) return i;
		}
		return n;
	case -KT_CHAR:
		if (y->t == KT_CHAR) {
			const char *p = memchr(kC(x), kC(y)[0], (size_t)n);
			return p ? p - kC(x) : n;
		}
		return n;
	case -KT_SYM:
		if (y->t == KT_SYM)
			for (int64_t i = 0; i < n; i++) if (kS(x)[i] == kS(y)[0]) return i;
		return n;
	default:
		for (int64_t i = 0; i < n; i++) if (k_match(kK(x)[i], y)) return i;
		return n;
	}
}

/* The random source of ? is lang/random.c, shared with _draw. */

/* Fill the int vector r with draws below m; on a break r is released and
 * 0 returned. */
static int draw_below(K r, int64_t m)
{
	K_BLOCKS(b, e, r->n) {
		if (k_broken()) { cd(r); return 0; }
		for (int64_t i = b; i < e; i++) kI(r)[i] = rng_below(m);
	}
	return 1;
}

/* n?m draws n ints below m (or floats below a float m), -n?m deals; n?list
 * draws items of the list.  Not in Kona (which disables it): as K 2.x. */
static K draw(K x, K y)
{
	K r = NULL;
	int64_t c = kI(x)[0];
	if (c == KI_NULL) { kerr("domain"); goto fail; }     /* as Kona */
	int64_t n = c < 0 ? -c : c;
	if (!KL) { kerr("nonce"); goto fail; }
	if (n > COUNT_LIMIT) { kerr("wsfull"); goto fail; }
	if (y->t <= 0) {                     /* draw or deal items of a list */
		int64_t m = y->n;
		if (m == 0) { K z = k_int(c); r = z ? verb_take(z, ci(y)) : NULL; goto fail; }
		K ix = c < 0 ? (n > m ? kerr("length") : rng_deal(n, m)) : k_new(-KT_INT, n);
		if (!ix) goto fail;
		if (c >= 0 && !draw_below(ix, m)) goto fail;
		r = k_at(ci(y), ix);
		goto fail;
	}
	if (y->t == KT_FLOAT) {
		r = k_new(-KT_FLOAT, n);
		if (r) K_BLOCKS(b, e, n) {
			if (k_broken()) { cd(r); r = NULL; break; }
			for (int64_t i = b; i < e; i++) kF(r)[i] = rng_unit() * kF(y)[0];
		}
		goto fail;
	}
	if (y->t != KT_INT) { kerr("int"); goto fail; }
	int64_t m = kI(y)[0];
	if (c < 0 && m < n) { kerr("length"); goto fail; }
	if (m <= 0) { kerr("domain"); goto fail; }
	if (c < 0) r = rng_deal(n, m);
	else {
		r = k_new(-KT_INT, n);
		if (r && !draw_below(r, m)) r = NULL;
	}
fail:
	cd(x);
	cd(y);
	return r;
}

/* f?y: a root of f[x] = y near 1 by the secant method (Kona's inverse). */
static int numeric_call(K f, double x, double *out)
{
	K a = k_float(x);
	if (!a) return 0;
	K r = k_call1(f, a);
	if (!r) return 0;
	int ok = r->t == KT_INT || r->t == KT_FLOAT;
	if (ok) *out = r->t == KT_INT ? (double)kI(r)[0] : kF(r)[0];
	cd(r);
	if (!ok) kerr("type");
	return ok;
}

/* A root of f[x] = y by the secant method from x0 and x1, into *root; 0
 * with the error recorded when f fails or 20 steps do not converge. */
static int invert_one(K f, double y, double x0, double x1, double *root)
{
	double xs[2] = { x0, x1 }, fs[2];
	for (int i = 0; i < 2; i++) {
		if (!numeric_call(f, xs[i], &fs[i])) return 0;
		fs[i] -= y;
	}
	double eps = y ? y * 1e-6 : 1e-6;
	if (eps < 0) eps = -eps;
	for (int it = 0; it < 20; it++) {
		double d = (xs[1] - xs[0]) / (fs[1] - fs[0]) * fs[1];
		double xn = xs[1] - d, fn;
		if (!numeric_call(f, xn, &fn)) return 0;
		fn -= y;
		xs[0] = xs[1]; fs[0] = fs[1];
		xs[1] = xn; fs[1] = fn;
		if ((d < 0 ? -d : d) < eps || k_float_equal(fn, 0.0)) { *root = xn; return 1; }
	}
	kerr("limit");
	return 0;
}

static K inverse(K f, K y)
{
	K r = NULL;
	if (y->t == KT_LIST) y = k_squeeze(y);
	if (!y) goto fail;
	if (y->t != KT_INT && y->t != KT_FLOAT && y->t != -KT_INT && y->t != -KT_FLOAT) {
		kerr("type");
		goto fail;
	}
	r = k_new(y->t < 0 ? -KT_FLOAT : KT_FLOAT, y->n);
	if (!r) goto fail;
	int fl = y->t == KT_FLOAT || y->t == -KT_FLOAT;
	for (int64_t i = 0; i < y->n; i++)
		if (!invert_one(f, fl ? kF(y)[i] : (double)kI(y)[i], 0.9998, 0.9999, &kF(r)[i])) {
			cd(r);
			r = NULL;
			goto fail;
		}
fail:
	cd(f);
	cd(y);
	return r;
}

/* Is x an int or float atom or vector? */
static int numeric(K x)
{
	int t = x->t < 0 ? -x->t : x->t;
	return t == KT_INT || t == KT_FLOAT;
}

/* Item i of the int or float atom or vector x, as a float (atoms extend). */
static double float_at(K x, int64_t i)
{
	if (x->t > 0) i = 0;
	return x->t == KT_INT || x->t == -KT_INT ? (double)kI(x)[i] : kF(x)[i];
}

/* ?[f;y;x0]: a root of f[x] = y by the secant method from 0.9999*x0 and
 * x0 (Kona's clue), for each item of y and x0 when either is a vector. */
K verb_find_from(K f, K y, K x0)
{
	K r = NULL;
	if (f->t != KT_FUNC) { kerr("type"); goto fail; }
	if ((y->t == KT_LIST && !y->n) || (x0->t == KT_LIST && !x0->n)) { r = k_new(KT_LIST, 0); goto fail; }
	if (!numeric(y) || !numeric(x0)) { kerr("type"); goto fail; }
	if (y->t < 0 && x0->t < 0 && y->n != x0->n) { kerr("length"); goto fail; }
	int vec = y->t < 0 || x0->t < 0;
	int64_t n = !vec ? 1 : y->t < 0 ? y->n : x0->n;
	r = k_new(vec ? -KT_FLOAT : KT_FLOAT, n);
	if (!r) goto fail;
	for (int64_t i = 0; i < n; i++) {
		double s = float_at(x0, i);
		if (!invert_one(f, float_at(y, i), 0.9999 * s, s, &kF(r)[i])) { cd(r); r = NULL; goto fail; }
	}
fail:
	cd(f);
	cd(y);
	cd(x0);
	return r;
}

K verb_find(K x, K y)
{
	if (x->t == KT_INT) return draw(x, y);
	if (x->t == KT_FUNC) return inverse(x, y);
	if (x->t > 0) {
		cd(x);
		cd(y);
		return kerr("domain");
	}
	int64_t i;
	/* (v;_hash v)?y: a hashed lookup (lang/sys_hash.c) */
	if (!(x->t == KT_LIST && x->n == 2 && sysfn_hash_find(kK(x)[0], kK(x)[1], y, &i)))
		i = find_index(x, y);
	cd(x);
	cd(y);
	return k_int(i);
}
