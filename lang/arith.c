/* arith.c: the scalar (atomic) verbs of K, which apply item by item and
 * pervade general lists: dyadic + - * % | & ^ < > = and monadic - % _ ~.
 *
 * How a dyadic call runs (dyad):
 *   1. shape checks, as Kona orders them: two non-atoms of different counts
 *      are a length error; then an operand type beyond what the verb takes
 *      (char or symbol for arithmetic; dictionary, _n, function for all) is
 *      a type error, before any descent into lists;
 *   2. if either operand is a general list, dyad_list pairs the items (an
 *      atom pairs with every item) and calls dyad on each pair;
 *   3. otherwise both are atoms or simple vectors: one kernel, chosen from
 *      the table `dyads` by verb and the two element types, runs one tight
 *      loop over the data.  The three arithmetic shapes (vector-vector,
 *      atom-vector, vector-atom; atom-atom is vector-vector of count 1) are
 *      three loops inside each kernel, so no function is called per element
 *      and gcc vectorises the simple ones.
 * The result is written into an argument when that argument is unshared
 * (reference count 1), has the result's count and element size: a+1 on a
 * temporary a allocates nothing.  General lists are reused the same way,
 * their items taken out and replaced by the results.  Monadic verbs follow
 * the same plan (monad, monad_list, table `monads`).
 *
 * Semantics follow Kona (the reference), checked against its binary:
 *   - int op int is int and wraps (0N is the most negative int, so 0N+1 is
 *     -0I and -0N is 0N); int op float converts the int by a plain cast
 *     (0N becomes -9.2e18, not 0n);
 *   - % of two ints is an int (truncating), with x%0 = 0I, -0I or 0N for x
 *     positive, negative, zero; float % gives 0i, -0i, 0n likewise;
 *   - ^ is always float: x^0 is 1, 0^y is 0, else pow (a negative base
 *     with a fractional power is 0n);
 *   - | & are max and min (x>y?x:y, so 1|0n is 0n while 0n|1 is 1);
 *   - < > = give ints; they take numbers against numbers, chars against
 *     chars (compared as signed bytes, as Kona does), symbols against
 *     symbols (< > by strcmp, = by identity).  Floats compare with Kona's
 *     tolerance (float_cmp); an int met by a float is first mapped with
 *     0I -> 0i, -0I -> -0i, 0N -> 0n;
 *   - monadic - is 0-x; % is 1.0%x; _ floors floats to ints with
 *     tolerance (0n -> 0N, beyond the int range -> 0I or -0I) and leaves
 *     ints as they are; ~ is x=0 for numbers (float -> int) and appends "."
 *     to symbols (`a -> `a.);
 *   - dictionaries are a type error to every verb here, as in Kona;
 *   - results over general lists stay general lists: Kona does not squeeze
 *     (1;2.0)+(1.0;2) into a vector, and 4: and the display must agree.
 * Where Kona is plainly buggy krt differs: an error inside a list keeps its
 * name (Kona reports any as "type", or as "wsfull" under < >); 0N%-1 is 0N
 * (Kona dies of SIGFPE); 2.0=-2.0 is 0 (Kona's ulp distance overflows);
 * _() is () (Kona crashes).
 */
#include <math.h>
#include <stdlib.h>

#include "verbs.h"

/* gcc's -O2 vectorises only loops whose trip count is a known multiple of
 * the vector width; let it add a scalar epilogue to the kernel loops.  The
 * loops say `ivdep`: a result may be an operand itself, element for
 * element, but never overlaps one shifted, so no iteration depends on
 * another and no run-time overlap test is needed. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=cheap")
#define KERNEL_LOOP _Pragma("GCC ivdep") for
#else
#define KERNEL_LOOP for
#endif

/* ---- element operations ---------------------------------------------- */

/* Int arithmetic wraps around, as in Kona (and without C's undefined
 * behaviour on signed overflow). */
static inline int64_t int_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static inline int64_t int_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static inline int64_t int_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

static inline int64_t int_div(int64_t a, int64_t b)
{
	if (b == 0) return a == 0 ? KI_NULL : a > 0 ? KI_INF : -KI_INF;
	if (b == -1) return int_sub(0, a);      /* 0N % -1 would trap */
	return a / b;
}

static inline double float_div(double a, double b)
{
	/* Kona's rule, sign of a zero divisor ignored; 0n%0 falls to -0i */
	if (b == 0) return a == 0 ? KF_NULL : a > 0 ? KF_INF : -KF_INF;
	return a / b;
}

static inline int64_t int_max(int64_t a, int64_t b) { return a > b ? a : b; }
static inline int64_t int_min(int64_t a, int64_t b) { return a < b ? a : b; }
static inline double float_max(double a, double b) { return a > b ? a : b; }
static inline double float_min(double a, double b) { return a < b ? a : b; }

static inline double float_pow(double a, double b)
{
	return b == 0 ? 1.0 : a == 0 ? 0.0 : pow(a, b);
}

/* An int as a float for comparison: the special ints become the special
 * floats, so that 0N < 0i and 0i = 0I. */
static inline double int_as_float(int64_t i)
{
	return i == KI_INF ? KF_INF : i == -KI_INF ? -KF_INF : i == KI_NULL ? KF_NULL : (double)i;
}

/* Position of a float's bit pattern on a scale that is monotone in its
 * value (-0.0 and 0.0 meet at 0). */
static inline int64_t float_rank(uint64_t bits)
{
	int64_t b = (int64_t)bits;
	return b < 0 ? INT64_MIN - b : b;
}

/* Kona's tolerant comparison of floats: -1, 0 or 1.  0n equals 0n and is
 * below everything else; two floats are equal when fewer than 513 units in
 * the last place apart, or up to 1022 as the top mantissa bits grow (so
 * 2=1.9999999999999 but 1<1.000000000001); two subnormals compare exactly.
 * util.c's k_float_equal is the same rule as a predicate. */
static int float_cmp(double a, double b)
{
	if (a != a) return b != b ? 0 : -1;
	if (b != b) return 1;
	uint64_t ua, ub;
	memcpy(&ua, &a, sizeof ua);
	memcpy(&ub, &b, sizeof ub);
	int64_t ra = float_rank(ua), rb = float_rank(ub);
	uint64_t ulps = ra > rb ? (uint64_t)ra - (uint64_t)rb : (uint64_t)rb - (uint64_t)ra;
	uint64_t both = (ua | ub) & 0x7fffffffffffffffULL;
	if (ulps < 1023 && both >= 0x0010000000000000ULL) {
		uint64_t window = 513 + (((both >> 44) & 255) << 1);
		if (ulps < window) return 0;
	}
	return ra < rb ? -1 : ra > rb;
}

static inline int sym_cmp(ksym a, ksym b)
{
	return a == b ? 0 : strcmp(a, b);
}

/* Floor with tolerance: a positive number whose fraction is within
 * tolerance of 1 rounds up, so _1.9999999999999 is 2 but _-2.0000000000001
 * is -3.  (Kona's rule also rounds up a negative fraction tolerantly equal
 * to 0; no double has one: a nonzero fraction of a normal number is far
 * more than 1022 ulps from 0, and subnormals compare exactly.) */
static inline int64_t float_floor(double e)
{
	if (e != e) return KI_NULL;
	if (e >= 0x1p63 || e <= -0x1p63) return e < 0 ? -KI_INF : KI_INF;
	double f = floor(e);
	if (e > 0 && e - f > 0.5 && float_cmp(e - f, 1.0) == 0) f += 1;
	return (int64_t)f;
}

/* ---- dyadic kernels ---------------------------------------------------- */

/* Which operand is one value used against every element of the other. */
enum { BC_NONE, BC_X, BC_Y };

/* A dyadic kernel writes r[i] = x[i] op y[i] for i < n, reading x[0] (or
 * y[0]) for every i when bc says that operand is broadcast.  r may be x or
 * y itself, even with another element type of the same size (an int vector
 * turned float): element i is read before it is written and no other
 * element is touched in between. */
typedef void (*kernel2)(void *r, const void *x, const void *y, int64_t n, int bc);

/* Defines kernel `name` from the expression `expr` over the elements x, y. */
#define KERNEL2(name, R, X, Y, expr)                                                            \
	static void name(void *rv, const void *xv, const void *yv, int64_t n, int bc)           \
	{                                                                                       \
		R *r = rv;                                                                      \
		const X *xs = xv;                                                               \
		const Y *ys = yv;                                                               \
		if (bc == BC_X) {                                                               \
			const X x = xs[0];                                                      \
			KERNEL_LOOP (int64_t i = 0; i < n; i++) { const Y y = ys[i]; r[i] = (expr); } \
		} else if (bc == BC_Y) {                                                        \
			const Y y = ys[0];                                                      \
			KERNEL_LOOP (int64_t i = 0; i < n; i++) { const X x = xs[i]; r[i] = (expr); } \
		} else {                                                                        \
			KERNEL_LOOP (int64_t i = 0; i < n; i++) {                               \
				const X x = xs[i];                                              \
				const Y y = ys[i];                                              \
				r[i] = (expr);                                                  \
			}                                                                       \
		}                                                                               \
	}

/* The four numeric kernels of an arithmetic verb: int op int with `iop`,
 * every pair involving a float with `fop` after a plain cast to double. */
#define ARITH_KERNELS(verb, iop, fop)                                   \
	KERNEL2(verb##_ii, int64_t, int64_t, int64_t, iop(x, y))        \
	KERNEL2(verb##_if, double, int64_t, double, fop((double)x, y))  \
	KERNEL2(verb##_fi, double, double, int64_t, fop(x, (double)y))  \
	KERNEL2(verb##_ff, double, double, double, fop(x, y))

static inline double float_add(double a, double b) { return a + b; }
static inline double float_sub(double a, double b) { return a - b; }
static inline double float_mul(double a, double b) { return a * b; }

ARITH_KERNELS(add, int_add, float_add)
ARITH_KERNELS(sub, int_sub, float_sub)
ARITH_KERNELS(mul, int_mul, float_mul)
ARITH_KERNELS(div, int_div, float_div)
ARITH_KERNELS(max, int_max, float_max)
ARITH_KERNELS(min, int_min, float_min)
KERNEL2(pow_ii, double, int64_t, int64_t, float_pow((double)x, (double)y))
KERNEL2(pow_if, double, int64_t, double, float_pow((double)x, y))
KERNEL2(pow_fi, double, double, int64_t, float_pow(x, (double)y))
KERNEL2(pow_ff, double, double, double, float_pow(x, y))

/* The six kernels of a comparison `test` (a predicate on the -1/0/1 of a
 * three-way comparison, or on two ints directly). */
#define COMPARE_KERNELS(verb, itest, test)                                                          \
	KERNEL2(verb##_ii, int64_t, int64_t, int64_t, itest(x, y))                                \
	KERNEL2(verb##_if, int64_t, int64_t, double, test(float_cmp(int_as_float(x), y)))         \
	KERNEL2(verb##_fi, int64_t, double, int64_t, test(float_cmp(x, int_as_float(y))))         \
	KERNEL2(verb##_ff, int64_t, double, double, test(float_cmp(x, y)))                        \
	KERNEL2(verb##_cc, int64_t, char, char, itest((signed char)x, (signed char)y))            \
	KERNEL2(verb##_ss, int64_t, ksym, ksym, test(sym_cmp(x, y)))

#define LESS(a, b) ((a) < (b))
#define MORE(a, b) ((a) > (b))
#define BELOW(c) ((c) < 0)
#define ABOVE(c) ((c) > 0)
COMPARE_KERNELS(less, LESS, BELOW)
COMPARE_KERNELS(more, MORE, ABOVE)
/* = on symbols is identity of the interned pointers (no strcmp) */
KERNEL2(equal_ii, int64_t, int64_t, int64_t, x == y)
KERNEL2(equal_if, int64_t, int64_t, double, float_cmp(int_as_float(x), y) == 0)
KERNEL2(equal_fi, int64_t, double, int64_t, float_cmp(x, int_as_float(y)) == 0)
KERNEL2(equal_ff, int64_t, double, double, float_cmp(x, y) == 0)
KERNEL2(equal_cc, int64_t, char, char, x == y)
KERNEL2(equal_ss, int64_t, ksym, ksym, x == y)

/* ---- the dyadic table -------------------------------------------------- */

enum { D_ADD, D_SUB, D_MUL, D_DIV, D_MAX, D_MIN, D_POW, D_LESS, D_MORE, D_EQUAL, D_COUNT };

struct kern2 {
	kernel2 fn;      /* NULL: the type pair is a type error */
	int8_t rt;       /* atom type of the result */
};

struct dyad_verb {
	int8_t maxtype;          /* highest operand type taken, checked first */
	struct kern2 k[4][4];    /* by x's and y's element type: int float char sym */
};

#define ARITH_ROW(verb, itype)                                                   \
	{ 2, { { { verb##_ii, itype }, { verb##_if, KT_FLOAT } },               \
	       { { verb##_fi, KT_FLOAT }, { verb##_ff, KT_FLOAT } } } }
#define COMPARE_ROW(verb)                                                        \
	{ 4, { { { verb##_ii, KT_INT }, { verb##_if, KT_INT } },                \
	       { { verb##_fi, KT_INT }, { verb##_ff, KT_INT } },                \
	       { [2] = { verb##_cc, KT_INT } },                                 \
	       { [3] = { verb##_ss, KT_INT } } } }

static const struct dyad_verb dyads[D_COUNT] = {
	[D_ADD] = ARITH_ROW(add, KT_INT),
	[D_SUB] = ARITH_ROW(sub, KT_INT),
	[D_MUL] = ARITH_ROW(mul, KT_INT),
	[D_DIV] = ARITH_ROW(div, KT_INT),
	[D_MAX] = ARITH_ROW(max, KT_INT),
	[D_MIN] = ARITH_ROW(min, KT_INT),
	[D_POW] = ARITH_ROW(pow, KT_FLOAT),
	[D_LESS] = COMPARE_ROW(less),
	[D_MORE] = COMPARE_ROW(more),
	[D_EQUAL] = COMPARE_ROW(equal),
};

/* ---- shared by both valences ------------------------------------------- */

/* May z, unshared, hold a result of type rt and count n in its own block?
 * All numeric and symbol elements are 8 bytes, so an int vector can become
 * the float result.  Borrows z. */
static int reusable(K z, int rt, int64_t n)
{
	return z->rc == 1 && z->n == n && k_esize(z->t) == k_esize(rt);
}

/* Item i of z for an item-wise call: a list's child (taken out of z when
 * `take`, z then being the result under construction), an atom out of a
 * vector, an atom itself.  Borrows z; new reference or NULL (wsfull). */
static K pair_item(K z, int64_t i, int take)
{
	if (z->t == KT_LIST) {
		K c = kK(z)[i];
		if (take) kK(z)[i] = NULL;
		else ci(c);
		return c;
	}
	if (z->t < 0) return k_item(z, i);
	return ci(z);
}

static inline int type_kind(int t) { return t < 0 ? -t : t; }

/* ---- dyadic driver ----------------------------------------------------- */

static K dyad(int v, K x, K y);

/* x v y item by item, one of them a general list (the other a list, a
 * vector of the same count, or an atom).  The result is a general list,
 * written into x or y when that one is an unshared list.  Consumes x, y. */
static K dyad_list(int v, K x, K y)
{
	if (!k_stack_ok()) { cd(x); cd(y); return kerr("stack"); }
	int64_t n = x->t == KT_LIST ? x->n : y->n;
	K r = x->t == KT_LIST && x->rc == 1 ? x : y->t == KT_LIST && y->rc == 1 ? y : k_list(n);
	if (!r) goto fail;
	for (int64_t i = 0; i < n; i++) {
		K a = pair_item(x, i, r == x);
		K b = a ? pair_item(y, i, r == y) : NULL;
		if (!b) { cd(a); goto fail; }
		K z = dyad(v, a, b);
		if (!z) goto fail;
		kK(r)[i] = z;
	}
	if (r != x) cd(x);
	if (r != y) cd(y);
	return r;
fail:
	/* a list being filled in place holds results, originals and at most
	 * one hole (NULL), all of which cd releases */
	if (r != x && r != y) cd(r);
	cd(x);
	cd(y);
	return NULL;
}

/* x v y for verb v (D_ADD ..).  Consumes x, y. */
static K dyad(int v, K x, K y)
{
	const struct dyad_verb *d = &dyads[v];
	int xt = x->t, yt = y->t;
	if (xt <= 0 && yt <= 0 && x->n != y->n) { kerr("length"); goto fail; }
	if (type_kind(xt) > d->maxtype || type_kind(yt) > d->maxtype) { kerr("type"); goto fail; }
	if (xt == KT_LIST || yt == KT_LIST) return dyad_list(v, x, y);

	const struct kern2 *k = &d->k[type_kind(xt) - 1][type_kind(yt) - 1];
	if (!k->fn) { kerr("type"); goto fail; }
	int64_t n = xt < 0 ? x->n : y->n;
	int bc = xt > 0 && yt < 0 ? BC_X : yt > 0 && xt < 0 ? BC_Y : BC_NONE;
	int rt = xt < 0 || yt < 0 ? -k->rt : k->rt;
	K r = reusable(x, rt, n) ? x : reusable(y, rt, n) ? y : k_new(rt, n);
	if (!r) goto fail;
	size_t wr = k_esize(rt), wx = bc == BC_X ? 0 : k_esize(xt), wy = bc == BC_Y ? 0 : k_esize(yt);
	K_BLOCKS(b, e, n) {        /* a poll between blocks: none for short vectors */
		if (b && k_broken()) {
			if (r != x && r != y) cd(r);
			goto fail;
		}
		k->fn(r->d + b * wr, x->d + b * wx, y->d + b * wy, e - b, bc);
	}
	r->t = (int8_t)rt;
	r->a = 0;       /* attributes of a reused argument (sorted...) are void */
	if (r != x) cd(x);
	if (r != y) cd(y);
	return r;
fail:
	cd(x);
	cd(y);
	return NULL;
}

K verb_add(K x, K y) { return dyad(D_ADD, x, y); }        /* consumes x, y */
K verb_sub(K x, K y) { return dyad(D_SUB, x, y); }        /* consumes x, y */
K verb_mul(K x, K y) { return dyad(D_MUL, x, y); }        /* consumes x, y */
K verb_div(K x, K y) { return dyad(D_DIV, x, y); }        /* consumes x, y */
K verb_max(K x, K y) { return dyad(D_MAX, x, y); }        /* consumes x, y */
K verb_min(K x, K y) { return dyad(D_MIN, x, y); }        /* consumes x, y */
K verb_power(K x, K y) { return dyad(D_POW, x, y); }      /* consumes x, y */
K verb_less(K x, K y) { return dyad(D_LESS, x, y); }      /* consumes x, y */
K verb_more(K x, K y) { return dyad(D_MORE, x, y); }      /* consumes x, y */
K verb_equal(K x, K y) { return dyad(D_EQUAL, x, y); }    /* consumes x, y */

/* ---- updates in place --------------------------------------------------- */

/* The dyadic kernel of primitive verb `verb` (V_PLUS ..) whose result, on
 * an unshared numeric x (int or float), has x's own element type, for y of
 * element type yt; NULL when there is none (then x op y would change x's
 * type, fail, or is not a scalar verb). */
static kernel2 kernel_into(int verb, int xt, int yt)
{
	static const signed char d_of[V_COUNT_] = {
		[V_PLUS] = D_ADD + 1, [V_MINUS] = D_SUB + 1, [V_TIMES] = D_MUL + 1,
		[V_DIVIDE] = D_DIV + 1, [V_MAX] = D_MAX + 1, [V_MIN] = D_MIN + 1,
		[V_POWER] = D_POW + 1, [V_LESS] = D_LESS + 1, [V_MORE] = D_MORE + 1,
		[V_EQUAL] = D_EQUAL + 1,
	};
	int kx = type_kind(xt), ky = type_kind(yt);
	if (verb < 0 || verb >= V_COUNT_ || !d_of[verb]) return NULL;
	if ((kx != KT_INT && kx != KT_FLOAT) || (ky != KT_INT && ky != KT_FLOAT)) return NULL;
	const struct kern2 *k = &dyads[d_of[verb] - 1].k[kx - 1][ky - 1];
	return k->rt == kx ? k->fn : NULL;
}

int arith_into(int verb, K x, K y)
{
	kernel2 fn = kernel_into(verb, x->t, y->t);
	if (!fn || x->rc != 1) return 0;
	if (x->t > 0 ? y->t <= 0 : y->t <= 0 && y->n != x->n) return 0;
	fn(x->d, x->d, y->d, x->t > 0 ? 1 : x->n, y->t > 0 && x->t < 0 ? BC_Y : BC_NONE);
	x->a = 0;
	return 1;
}

int arith_into_at(int verb, K x, K i, K y)
{
	if (x->t >= 0 || x->rc != 1) return 0;
	kernel2 fn = kernel_into(verb, x->t, y->t);
	if (!fn) return 0;
	int spread = i->t == -KT_INT && y->t < 0;
	if (i->t == KT_INT ? y->t <= 0 : i->t != -KT_INT || (y->t < 0 && y->n != i->n)) return 0;
	int64_t n = i->t == KT_INT ? 1 : i->n;
	const int64_t *ix = kI(i);
	for (int64_t j = 0; j < n; j++)
		if ((uint64_t)ix[j] >= (uint64_t)x->n) return 0;
	for (int64_t j = 0; j < n; j++) {      /* in order: a[0 0]+:1 adds 2 */
		char *at = (char *)x->d + (size_t)ix[j] * 8;
		fn(at, at, y->d + (spread ? (size_t)j * 8 : 0), 1, BC_NONE);
	}
	x->a = 0;
	return 1;
}

/* ---- monadic kernels --------------------------------------------------- */

/* A monadic kernel writes r[i] = op x[i] for i < n (r may be x itself).
 * Returns 0 after recording an error (only ~ on symbols can fail). */
typedef int (*kernel1)(void *r, const void *x, int64_t n);

#define KERNEL1(name, R, X, expr)                                  \
	static int name(void *rv, const void *xv, int64_t n)       \
	{                                                          \
		R *r = rv;                                         \
		const X *xs = xv;                                  \
		KERNEL_LOOP (int64_t i = 0; i < n; i++) {                  \
			const X x = xs[i];                         \
			r[i] = (expr);                             \
		}                                                  \
		return 1;                                          \
	}

/* 0-x, as Kona computes it: - 0.0 is 0.0, not -0.0 */
KERNEL1(negate_i, int64_t, int64_t, int_sub(0, x))
KERNEL1(negate_f, double, double, 0.0 - x)
KERNEL1(reciprocal_i, double, int64_t, float_div(1.0, (double)x))
KERNEL1(reciprocal_f, double, double, float_div(1.0, x))
KERNEL1(floor_f, int64_t, double, float_floor(x))
KERNEL1(not_i, int64_t, int64_t, x == 0)
KERNEL1(not_f, int64_t, double, x == 0)

/* ~`a is `a. : the symbol with a dot appended, interned. */
static int not_s(void *rv, const void *xv, int64_t n)
{
	ksym *r = rv;
	const ksym *xs = xv;
	char small[128];
	for (int64_t i = 0; i < n; i++) {
		size_t len = strlen(xs[i]);
		char *buf = len + 1 <= sizeof small ? small : malloc(len + 1);
		if (!buf) { kerr("wsfull"); return 0; }
		memcpy(buf, xs[i], len);
		buf[len] = '.';
		ksym s = sym_intern(buf, len + 1);
		if (buf != small) free(buf);
		if (!s) return 0;
		r[i] = s;
	}
	return 1;
}

enum { M_NEGATE, M_RECIPROCAL, M_FLOOR, M_NOT, M_COUNT };

struct kern1 {
	kernel1 fn;      /* NULL with rt set: the verb leaves such values as
	                    they are (_ on ints) */
	int8_t rt;       /* atom type of the result; 0: type error */
};

/* by verb and element type: int float char sym */
static const struct kern1 monads[M_COUNT][4] = {
	[M_NEGATE] = { { negate_i, KT_INT }, { negate_f, KT_FLOAT } },
	[M_RECIPROCAL] = { { reciprocal_i, KT_FLOAT }, { reciprocal_f, KT_FLOAT } },
	[M_FLOOR] = { { NULL, KT_INT }, { floor_f, KT_INT } },
	[M_NOT] = { { not_i, KT_INT }, { not_f, KT_INT }, [3] = { not_s, KT_SYM } },
};

/* ---- monadic driver ---------------------------------------------------- */

static K monad(int v, K x);

/* v applied to each item of the general list x; the result is a general
 * list, x itself when unshared.  Consumes x. */
static K monad_list(int v, K x)
{
	if (!k_stack_ok()) { cd(x); return kerr("stack"); }
	int64_t n = x->n;
	K r = x->rc == 1 ? x : k_list(n);
	if (!r) goto fail;
	for (int64_t i = 0; i < n; i++) {
		K z = monad(v, pair_item(x, i, r == x));
		if (!z) goto fail;
		kK(r)[i] = z;
	}
	if (r != x) cd(x);
	return r;
fail:
	if (r != x) cd(r);
	cd(x);
	return NULL;
}

/* v x for verb v (M_NEGATE ..).  Consumes x. */
static K monad(int v, K x)
{
	if (x->t == KT_LIST) return monad_list(v, x);
	int kind = type_kind(x->t);
	const struct kern1 *k = kind >= KT_INT && kind <= KT_SYM ? &monads[v][kind - 1] : NULL;
	if (!k || !k->rt) { kerr("type"); goto fail; }
	if (!k->fn) return x;
	int rt = x->t < 0 ? -k->rt : k->rt;
	K r = reusable(x, rt, x->n) ? x : k_new(rt, x->n);
	if (!r) goto fail;
	size_t wr = k_esize(rt), wx = k_esize(x->t);
	K_BLOCKS(b, e, x->n) {
		if ((b && k_broken()) || !k->fn(r->d + b * wr, x->d + b * wx, e - b)) {
			if (r != x) cd(r);
			goto fail;
		}
	}
	r->t = (int8_t)rt;
	r->a = 0;
	if (r != x) cd(x);
	return r;
fail:
	cd(x);
	return NULL;
}

K verb_negate(K x) { return monad(M_NEGATE, x); }           /* consumes x */
K verb_reciprocal(K x) { return monad(M_RECIPROCAL, x); }   /* consumes x */
K verb_floor(K x) { return monad(M_FLOOR, x); }             /* consumes x */
K verb_not(K x) { return monad(M_NOT, x); }                 /* consumes x */
