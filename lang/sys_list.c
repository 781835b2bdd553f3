/* sys_list.c: the list and search system functions: _bin _binl (binary
 * search), _in _lin (membership), _dv _dvl _di (deletion by value or
 * index), _sv _vs _vsx (scalar from vector and back: radix and clock
 * arithmetic).  _hash, whose tables x?y reads, is lang/sys_hash.c, below
 * the verbs.  Semantics, results and errors are Kona's. */
#include "sysfn.h"
#include "verbs.h"

int k_float_equal(double a, double b);   /* lang/util.c */

/* ---- order -------------------------------------------------------------- */

static int cmp3(double a, double b) { return a < b ? -1 : a > b; }

/* Kona's tolerant float order: 0n first, equal within the tolerance of =. */
static int float_cmp(double a, double b)
{
	if (a != a) return b != b ? 0 : -1;
	if (b != b) return 1;
	return k_float_equal(a, b) ? 0 : cmp3(a, b);
}

/* The order _bin uses: an int and a float compare as numbers; otherwise by
 * type, then count (char vectors: lexicographically), then item by item.
 * Borrows both. */
static int value_cmp(K a, K b)
{
	if (!k_stack_ok()) { kerr("stack"); return 0; }
	if (a->t == KT_INT && b->t == KT_FLOAT) return float_cmp((double)kI(a)[0], kF(b)[0]);
	if (a->t == KT_FLOAT && b->t == KT_INT) return float_cmp(kF(a)[0], (double)kI(b)[0]);
	if (a->t != b->t) return a->t < b->t ? -1 : 1;
	int t = a->t < 0 ? -a->t : a->t;
	if (t == KT_CHAR) {
		int64_t m = a->n < b->n ? a->n : b->n;
		int c = memcmp(kC(a), kC(b), (size_t)m);
		if (c) return c < 0 ? -1 : 1;
		return cmp3((double)a->n, (double)b->n);
	}
	if (a->n != b->n) return a->n < b->n ? -1 : 1;
	for (int64_t i = 0; i < a->n; i++) {
		int c = 0;
		switch (t) {
		case KT_INT: c = kI(a)[i] < kI(b)[i] ? -1 : kI(a)[i] > kI(b)[i]; break;
		case KT_FLOAT: c = float_cmp(kF(a)[i], kF(b)[i]); break;
		case KT_SYM: c = strcmp(kS(a)[i], kS(b)[i]); c = (c > 0) - (c < 0); break;
		case KT_LIST: c = value_cmp(kK(a)[i], kK(b)[i]); break;
		default: return 0;     /* dictionaries, functions, _n: unordered */
		}
		if (c) return c;
	}
	return 0;
}

/* Index of the first item of the sorted list x not below y (#x if none).
 * Borrows both; -1 on allocation failure. */
static int64_t bin_search(K x, K y)
{
	int64_t lo = 0, hi = x->n;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		K item = k_item(x, mid);
		if (!item) return -1;
		int c = value_cmp(item, y);
		cd(item);
		if (c < 0) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/* x _bin y: where y is, or would go, in the sorted list x. */
K sys_bin(K x, K y)
{
	K r = NULL;
	if (x->t > 0) { kerr("rank"); goto fail; }
	int64_t i = bin_search(x, y);
	if (i >= 0) r = k_int(i);
fail:
	cd(x);
	cd(y);
	return r;
}

/* x _binl y: x _bin/: y. */
K sys_binl(K x, K y)
{
	K r = NULL;
	if (x->t > 0) { kerr("rank"); goto fail; }
	if (y->t > 0) { r = sys_bin(x, y); return r; }
	r = k_new(-KT_INT, y->n);
	if (!r) goto fail;
	for (int64_t i = 0; i < y->n; i++) {
		K item = k_item(y, i);
		int64_t j = item ? bin_search(x, item) : -1;
		cd(item);
		if (j < 0) { cd(r); r = NULL; goto fail; }
		kI(r)[i] = j;
	}
fail:
	cd(x);
	cd(y);
	return r;
}

/* ---- membership and deletion ---------------------------------------------- */

/* Is item `a` in y?  1, 0, or -1 on error.  An atom y is compared with ~,
 * a list searched as y?a does.  Borrows both. */
static int member(K a, K y)
{
	if (y->t > 0) return k_match(a, y);
	K at = verb_find(ci(y), ci(a));
	if (!at) return -1;
	int in = at->t == KT_INT && kI(at)[0] < y->n;
	cd(at);
	return in;
}

/* x _in y: 1 when x is an item of y (or matches the atom y). */
K sys_in(K x, K y)
{
	int m = member(x, y);
	cd(x);
	cd(y);
	return m < 0 ? NULL : k_int(m);
}

/* x _lin y: _in for each item of x. */
K sys_lin(K x, K y)
{
	if (x->t > 0) return sys_in(x, y);
	K r = k_new(-KT_INT, x->n);
	if (!r) goto fail;
	for (int64_t i = 0; i < x->n; i++) {
		K item = k_item(x, i);
		int m = item ? member(item, y) : -1;
		cd(item);
		if (m < 0) { cd(r); r = NULL; goto fail; }
		kI(r)[i] = m;
	}
fail:
	cd(x);
	cd(y);
	return r;
}

/* x _dvl y: x without the items found in the list y. */
K sys_dvl(K x, K y)
{
	K r = NULL, keep = NULL;
	if (y->t > 0) { kerr("domain"); goto fail; }
	if (x->t > 0) { kerr("type"); goto fail; }     /* 0 _dv 0, as Kona */
	keep = k_new(-KT_INT, x->n);
	if (!keep) goto fail;
	int64_t n = 0;
	for (int64_t i = 0; i < x->n; i++) {
		K item = k_item(x, i);
		int m = item ? member(item, y) : -1;
		cd(item);
		if (m < 0) goto fail;
		if (!m) kI(keep)[n++] = i;
	}
	keep->n = n;
	r = k_at(x, keep);
	keep = NULL;
	x = NULL;
fail:
	cd(keep);
	cd(x);
	cd(y);
	return r;
}

/* x _dv y: x _dvl ,y. */
K sys_dv(K x, K y)
{
	K ey = k_enlist(y);
	if (!ey) { cd(x); return NULL; }
	return sys_dvl(x, ey);
}

/* Set mask[i] to 0 for each index in y (an int or int vector); 0, or -1
 * with "index" / "type". */
static int clear_indices(char *mask, int64_t n, K y)
{
	if (y->t != KT_INT && y->t != -KT_INT && !(y->t == KT_LIST && y->n == 0)) { kerr("type"); return -1; }
	int64_t m = y->t == KT_LIST ? 0 : y->n;
	for (int64_t i = 0; i < m; i++) {
		int64_t j = kI(y)[i];
		if (j < 0 || j >= n) { kerr("index"); return -1; }
		mask[j] = 0;
	}
	return 0;
}

/* x _di y: x without the items at indices y; for a dictionary, without the
 * entries of keys y. */
K sys_di(K x, K y)
{
	K r = NULL, mask = NULL, keep = NULL;
	if (x->t > 0 && x->t != KT_DICT) { kerr("domain"); goto fail; }
	int64_t n = x->n;
	mask = k_new(-KT_CHAR, n);
	if (!mask) goto fail;
	memset(kC(mask), 1, (size_t)n);
	if (x->t == KT_DICT) {
		if (y->t != KT_SYM && y->t != -KT_SYM && !(y->t == KT_LIST && y->n == 0)) { kerr("type"); goto fail; }
		int64_t m = y->t == KT_LIST ? 0 : y->n;
		for (int64_t i = 0; i < m; i++) {
			int64_t j = 0;
			while (j < n && kS(kK(kK(x)[j])[0])[0] != kS(y)[i]) j++;
			if (j == n) { kerr("index"); goto fail; }
			kC(mask)[j] = 0;
		}
	} else if (clear_indices(kC(mask), n, y)) goto fail;
	int64_t kept = 0;
	for (int64_t i = 0; i < n; i++) kept += kC(mask)[i];
	if (x->t == KT_DICT) {
		r = k_new(KT_DICT, kept);
		if (!r) goto fail;
		for (int64_t i = 0, j = 0; i < n; i++) if (kC(mask)[i]) kK(r)[j++] = ci(kK(x)[i]);
		goto fail;
	}
	keep = k_new(-KT_INT, kept);
	if (!keep) goto fail;
	for (int64_t i = 0, j = 0; i < n; i++) if (kC(mask)[i]) kI(keep)[j++] = i;
	r = k_at(x, keep);
	x = keep = NULL;
fail:
	cd(keep);
	cd(mask);
	cd(x);
	cd(y);
	return r;
}

/* ---- _sv, _vs, _vsx --------------------------------------------------------- */

static int is_num_type(int t) { t = t < 0 ? -t : t; return t == KT_INT || t == KT_FLOAT; }

/* {z+y*x}/[0;x;y] by the arithmetic verbs, for digits or bases that are
 * lists themselves (2 _sv (1 2;3 4) is 5 8) or one digit for every base
 * ((1 2 3) _sv 2 is 20), as Kona does.  Consumes x and y. */
static K sv_lists(K x, K y)
{
	int64_t n = x->t <= 0 ? x->n : y->n;
	K acc = NULL;
	if (x->t <= 0 && y->t <= 0 && x->n != y->n) { kerr("length"); goto fail; }
	acc = k_int(0);
	for (int64_t i = 0; acc && i < n; i++) {
		K b = x->t <= 0 ? k_item(x, i) : ci(x);
		K d = b ? (y->t <= 0 ? k_item(y, i) : ci(y)) : NULL;
		if (!d) { cd(b); cd(acc); acc = NULL; break; }
		acc = verb_mul(acc, b);
		acc = acc ? verb_add(acc, d) : (cd(d), NULL);
	}
fail:
	cd(x);
	cd(y);
	return acc;
}

/* x _sv y: the number whose digits in base x (an atom, or one base per
 * digit) are y: {z+y*x}/[0;x;y].  Int unless a float takes part. */
K sys_sv(K x, K y)
{
	K r = NULL;
	if (x->t == KT_LIST) { x = k_squeeze(x); if (!x) goto fail; }
	if (y->t == KT_LIST) { y = k_squeeze(y); if (!y) goto fail; }
	if ((x->t <= 0 && !x->n) || (y->t <= 0 && !y->n)) {    /* folds nothing */
		r = k_int(0);
		goto fail;
	}
	if ((x->t == KT_LIST && x->n) || (y->t == KT_LIST && y->n)
	    || (is_num_type(x->t) && x->t < 0 && is_num_type(y->t) && y->t > 0 && x->n != 1))
		return sv_lists(x, y);
	if (!(is_num_type(x->t) || (x->t == KT_LIST && !x->n)) || !(is_num_type(y->t) || (y->t == KT_LIST && !y->n))) {
		kerr("type");
		goto fail;
	}
	int64_t n = y->t > 0 ? 1 : y->n;
	if (x->t <= 0 && y->t <= 0 && x->n != n) { kerr("length"); goto fail; }
	if (x->t <= 0 && y->t > 0 && x->n != 1) { kerr("length"); goto fail; }
	int fx = x->t == KT_FLOAT || x->t == -KT_FLOAT, fy = y->t == KT_FLOAT || y->t == -KT_FLOAT;
	int64_t sx = x->t <= 0;
	if (!n) { r = k_int(0); goto fail; }
	if (fx || fy) {
		double acc = 0;
		for (int64_t i = 0; i < n; i++) {
			double b = fx ? kF(x)[i * sx] : (double)kI(x)[i * sx];
			double d = fy ? kF(y)[i] : (double)kI(y)[i];
			acc = acc * b + d;
		}
		r = k_float(acc);
	} else {
		uint64_t acc = 0;      /* wraps as Kona's ints do, without UB */
		for (int64_t i = 0; i < n; i++) acc = acc * (uint64_t)kI(x)[i * sx] + (uint64_t)kI(y)[i];
		r = k_int((int64_t)acc);
	}
fail:
	cd(x);
	cd(y);
	return r;
}

/* The digits of the int y in radix a >= 2, most significant first, with
 * C's truncating division (so -5 gives -1 0 -1).  y = 0 gives !0 for _vs
 * and ,0 for _vsx. */
static K radix_digits(int64_t a, int64_t y, int extended)
{
	if (!y && !extended) return k_new(-KT_INT, 0);
	int64_t buf[65], n = 0;
	int64_t b = y, c = b / a;
	do {
		buf[n++] = b;
		b = c;
		c = b / a;
	} while (b != c);
	K r = k_new(-KT_INT, n);
	if (!r) return NULL;
	for (int64_t i = 0; i < n; i++) kI(r)[n - 1 - i] = buf[i] % a;
	return r;
}

/* The digits of y in the clock with radices x (most significant first;
 * for _vs a leading 0 makes the top digit unbounded).  A negative y counts
 * back from the clock's full turn. */
static K clock_digits(K x, int64_t y, int extended)
{
	int64_t n = x->n, *rad = kI(x);
	for (int64_t i = 0; i < n; i++)
		if (rad[i] < 1 && (extended || i || rad[i])) return kerr("domain");
	int64_t a = y;
	if (a < 0) {
		uint64_t s = 1;
		for (int64_t i = 0; i < n; i++) s *= (uint64_t)(rad[i] ? rad[i] : -1);
		int64_t turn = (int64_t)s;
		if (turn) a = turn - (int64_t)((uint64_t)0 - (uint64_t)a) % turn;
	}
	K r = k_new(-KT_INT, n);
	if (!r || !n) return r;
	int64_t *z = kI(r);
	/* q[j]: a divided by the j+1 least significant radices (0 past a 0) */
	for (int64_t j = 0; j < n; j++) {
		int64_t d = rad[n - 1 - j], prev = j ? z[j - 1] : a;
		z[j] = d ? prev / d : 0;
	}
	/* digit j (from the least significant) is q[j-1] - q[j] * radix j */
	for (int64_t j = n - 1; j >= 1; j--) z[j] = z[j - 1] - z[j] * rad[n - 1 - j];
	z[0] = a - z[0] * rad[n - 1];
	for (int64_t i = 0; i < n / 2; i++) { int64_t t = z[i]; z[i] = z[n - 1 - i]; z[n - 1 - i] = t; }
	return r;
}

static K vector_from_scalar(K x, K y, int extended)
{
	K r = NULL;
	if ((y->t != KT_INT && y->t != -KT_INT && y->t != KT_LIST) || (x->t != KT_INT && x->t != -KT_INT)) {
		kerr("type");
		goto fail;
	}
	if (y->t <= 0) {            /* each item of y */
		r = k_list(y->n);
		if (!r) goto fail;
		for (int64_t i = 0; i < y->n; i++) {
			K item = k_item(y, i);
			K v = item ? vector_from_scalar(ci(x), item, extended) : NULL;
			if (!v) { r->n = i; cd(r); r = NULL; goto fail; }
			kK(r)[i] = v;
		}
		r = k_squeeze(r);
		goto fail;
	}
	if (x->t == KT_INT) {
		if (kI(x)[0] < 2) { kerr("domain"); goto fail; }
		r = radix_digits(kI(x)[0], kI(y)[0], extended);
	} else r = clock_digits(x, kI(y)[0], extended);
fail:
	cd(x);
	cd(y);
	return r;
}

/* x _vs y: K3's vector from scalar; x _vsx y: Kona's extended version. */
K sys_vs(K x, K y) { return vector_from_scalar(x, y, 0); }
K sys_vsx(K x, K y) { return vector_from_scalar(x, y, 1); }
