/* util.c: helpers every part of the language shares: taking items out of
 * values (k_item), turning vectors into general lists and back (k_explode,
 * k_squeeze), and deep equality with K's float tolerance (k_match).
 * Dictionaries are in dict.c.
 */
#include "lang.h"

/* ---- items ------------------------------------------------------------ */

/* Item i of x: an atom made from a vector element, a child of a general
 * list, or x itself when x is an atom of any kind (atoms, dictionaries, _n
 * and functions count as one item, as #x says).  Borrows x; the caller
 * checks i. */
K k_item(K x, int64_t i)
{
	switch (x->t) {
	case -KT_INT: return k_int(kI(x)[i]);
	case -KT_FLOAT: return k_float(kF(x)[i]);
	case -KT_CHAR: return k_char(kC(x)[i]);
	case -KT_SYM: return k_symv(kS(x)[i]);
	case KT_LIST: return ci(kK(x)[i]);
	default: return ci(x);
	}
}

/* A general list of x's items.  Lists come back as they are; vectors become
 * lists of atoms; any atom-like value (an atom, a dictionary, _n, a
 * function) becomes a 1-item list holding it.  Consumes x. */
K k_explode(K x)
{
	if (x->t == KT_LIST) return x;
	int64_t n = x->t < 0 ? x->n : 1;
	K r = k_list(n);
	if (!r) goto fail;
	for (int64_t i = 0; i < n; i++) {
		kK(r)[i] = k_item(x, i);
		if (!kK(r)[i]) { r->n = i; cd(r); r = NULL; goto fail; }
	}
	cd(x);
	return r;
fail:
	cd(x);
	return NULL;
}

/* A general list of atoms of one simple type becomes the vector of that
 * type (a 1-item list too: it is ,a).  Empty lists and mixed lists stay.
 * Consumes x. */
int k_squeeze_type(K x)
{
	if (x->t != KT_LIST || x->n == 0) return 0;
	K *a = kK(x);
	int t = a[0]->t;
	if (t < KT_INT || t > KT_SYM) return 0;
	for (int64_t i = 1; i < x->n; i++)
		if (a[i]->t != t) return 0;
	return t;
}

K k_squeeze(K x)
{
	int t = k_squeeze_type(x);
	if (!t) return x;
	int64_t n = x->n;
	K *a = kK(x);
	K r = k_new(-t, n);
	if (!r) { cd(x); return NULL; }
	switch (t) {
	case KT_INT: for (int64_t i = 0; i < n; i++) kI(r)[i] = kI(a[i])[0]; break;
	case KT_FLOAT: for (int64_t i = 0; i < n; i++) kF(r)[i] = kF(a[i])[0]; break;
	case KT_CHAR: for (int64_t i = 0; i < n; i++) kC(r)[i] = kC(a[i])[0]; kC(r)[n] = 0; break;
	case KT_SYM: for (int64_t i = 0; i < n; i++) kS(r)[i] = kS(a[i])[0]; break;
	}
	cd(x);
	return r;
}

/* ---- matching --------------------------------------------------------- */

/* Floats are equal under K's comparison tolerance: both NaN, or within a
 * few hundred units in the last place of each other (the window widens
 * slightly with the top mantissa bits, as Kona's does, so that decimal
 * round-off such as 0.1+0.2 vs 0.3 still matches while 1.0 and 1.0+1e-10
 * do not).  Subnormals compare exactly. */
static int64_t float_order(double f)
{
	int64_t b;
	memcpy(&b, &f, sizeof b);
	/* map the sign-magnitude bit pattern to a monotone integer scale */
	return b < 0 ? INT64_MIN - b : b;
}

/* Exported for the other verbs of lang/ that compare floats (declared where
 * used); not part of lang.h. */
int k_float_equal(double a, double b);
int k_float_equal(double a, double b)
{
	if (a != a || b != b) return a != a && b != b;   /* 0n matches 0n */
	if (a == b) return 1;
	uint64_t ua, ub;
	memcpy(&ua, &a, sizeof ua);
	memcpy(&ub, &b, sizeof ub);
	int64_t oa = float_order(a), ob = float_order(b);
	/* distance in ulps, saturating: differing signs are far apart */
	uint64_t d = oa > ob ? (uint64_t)oa - (uint64_t)ob : (uint64_t)ob - (uint64_t)oa;
	if (d >= 1023) return 0;
	uint64_t both = (ua | ub) & 0x7fffffffffffffffULL;
	if (both < 0x0010000000000000ULL) return 0;     /* subnormal: exact only */
	if (d < 513) return 1;
	uint64_t window = 513 + (((both >> 44) & 255) << 1);
	return d < window;
}

static int match_list_vector(K l, K v)
{
	/* an unsqueezed list of atoms against the vector of their type */
	for (int64_t i = 0; i < l->n; i++) {
		K a = kK(l)[i];
		if (a->t != -v->t) return 0;
		switch (a->t) {
		case KT_INT: if (kI(a)[0] != kI(v)[i]) return 0; break;
		case KT_FLOAT: if (!k_float_equal(kF(a)[0], kF(v)[i])) return 0; break;
		case KT_CHAR: if (kC(a)[0] != kC(v)[i]) return 0; break;
		case KT_SYM: if (kS(a)[0] != kS(v)[i]) return 0; break;
		}
	}
	return 1;
}

/* x~y: same type (1 does not match 1.0, as in Kona), same count, items
 * matching deeply; floats with tolerance.  Borrows both. */
int k_match(K x, K y)
{
	if (!k_stack_ok()) { kerr("stack"); return 0; }
	if (x == y) return 1;
	if (!x || !y) return 0;
	if (x->n != y->n) return 0;
	if (x->t != y->t) {
		if (x->n == 0) return 0;      /* () differs from !0, "" ... */
		if (x->t == KT_LIST && y->t < 0 && y->t >= -KT_SYM) return match_list_vector(x, y);
		if (y->t == KT_LIST && x->t < 0 && x->t >= -KT_SYM) return match_list_vector(y, x);
		return 0;
	}
	int64_t n = x->n;
	switch (x->t < 0 ? -x->t : x->t) {
	case KT_INT: return memcmp(kI(x), kI(y), (size_t)n * sizeof(int64_t)) == 0;
	case KT_CHAR: return memcmp(kC(x), kC(y), (size_t)n) == 0;
	case KT_SYM: return memcmp(kS(x), kS(y), (size_t)n * sizeof(ksym)) == 0;
	case KT_FLOAT:
		for (int64_t i = 0; i < n; i++)
			if (!k_float_equal(kF(x)[i], kF(y)[i])) return 0;
		return 1;
	case KT_NULL: return 1;
	case KT_FUNC:
		if (x->a != y->a || x->u != y->u) return 0;
		if (x->a == FK_LAMBDA)      /* by text (child 1, the code, is not
		                               compared), and a closure's values */
			return k_match(kK(x)[0], kK(y)[0]) && (n < 3 || k_match(kK(x)[2], kK(y)[2]));
		/* children compared deeply, as for lists */
		__attribute__((fallthrough));
	case KT_LIST: case KT_DICT: case KT_NODE:
		for (int64_t i = 0; i < n; i++)
			if (!k_match(kK(x)[i], kK(y)[i])) return 0;
		return 1;
	}
	return 0;
}
