/* adverb.c: the six adverbs of K3 applied to their arguments: each ',
 * over /, scan \, each-right /:, each-left \: and each-prior ':.
 *
 * A derived verb `f adverb` reaches adverb_apply with its arguments; what
 * the adverb does depends on how many arguments it got and on how it sees
 * f (adverb_valence): as data, as a monadic function, or as a dyadic (or
 * wider) one.  For over and scan that choice is the whole meaning:
 *
 *    f/x   f dyadic: fold            f monadic: converge
 *    x f/y f dyadic: seeded fold     f monadic: x int: do x times;
 *                                               x function: while x
 *    f/[x;y;z..]     fold of the items of y, z.. into x (multi over)
 *
 * Scan is the same walk keeping every intermediate result.  A derived
 * verb used as f counts as monadic (as in Kona, so that ,// flattens).
 *
 * Every step applies f through k_call, so f may itself be a derived verb,
 * a lambda, a projection or data (data applied is indexing).  The atom
 * that carries an item of a vector to f is made once per walk and written
 * over while f keeps none of it (item_for_call), and results that are
 * atoms of one type go straight into a vector (collect), so that a walk
 * over 10^6 items does not make 10^6 atoms twice.  The common folds (+ *
 * | & over int and float vectors) and join-over (,/) run as tight loops
 * without calling per item.
 *
 * Edge behaviour (empty arguments, identities, the data forms such as
 * ","/list and ","\string) follows Kona, the reference.
 */
#include "lang.h"
#include "verbs.h"
#include "apply.h"


/* The widest call an adverb builds (the valence limit of lambdas is 9). */
#define ADVERB_MAXARGS 16

static void release(int n, K *a)
{
	for (int i = 0; i < n; i++) cd(a[i]);
}

/* One item for item-wise adverbs: atoms, dictionaries, _n and functions
 * are taken whole; lists and vectors spread. */
static int spreads(K x) { return x->t <= 0; }

/* How an adverb sees f: 0 data, 1 monadic, 2 dyadic or wider.  A derived
 * verb is seen as monadic, and so is a composition whose rightmost verb is
 * derived (Kona: 5(|+\)\1 1 runs |+\ five times).  Borrows f. */
static int adverb_valence(K f)
{
	if (f->t != KT_FUNC) return 0;
	if (f->a == FK_DERIVED) return 1;
	if (f->a == FK_COMP && f->n > 0) return adverb_valence(kK(f)[f->n - 1]);
	int v = fn_valence(f);
	return v < 1 ? 1 : v;
}

/* An empty general list with room for n items, count 0: fill it with
 * list_push so that a failure part way releases exactly what was stored. */
static K list_room(int64_t n)
{
	K r = k_list(n);
	if (r) r->n = 0;
	return r;
}
static void list_push(K r, K x) { kK(r)[r->n++] = x; }
/* r with x added at the end, growing its block (amortised by the heap's
 * power-of-two lanes).  Consumes r and x; NULL on failure, both released. */
static K list_append(K r, K x)
{
	int64_t n = r->n;
	r = k_resize(r, n + 1);
	if (!r) { cd(x); return NULL; }
	kK(r)[n] = x;
	return r;
}

/* ---- item-wise application ---------------------------------------------- */

/* Item i of x for a call that consumes it.  An item of a simple vector is
 * an atom made for the call; *spare is the one made last time, held by the
 * caller, and is written over when the call left nothing else holding it,
 * so that a walk over a vector makes one atom rather than one per item.
 * Borrows x. */
static K item_for_call(K x, int64_t i, K *spare)
{
	K s = *spare;
	if (x->t >= 0) return k_item(x, i);
	if (s && s->rc == 1) {
		switch (x->t) {
		case -KT_INT: kI(s)[0] = kI(x)[i]; break;
		case -KT_FLOAT: kF(s)[0] = kF(x)[i]; break;
		case -KT_CHAR: kC(s)[0] = kC(x)[i]; break;
		case -KT_SYM: kS(s)[0] = kS(x)[i]; break;
		}
		return ci(s);
	}
	cd(s);
	*spare = k_item(x, i);
	return ci(*spare);
}


/* Results of an item-wise adverb, m of them, collected as they come: into
 * a simple vector while they are atoms of one type (what k_squeeze would
 * make of them, but each atom is dropped as soon as its value is stored,
 * so that the heap holds no list of m atoms), into a general list from
 * the first result that breaks the run. */
typedef struct collect { K r; int64_t n, m; } collect;

/* Add y (consumed) to c: 0, or -1 with wsfull (y released). */
static int collect_push(collect *c, K y)
{
	K r = c->r;
	int t = y->t;
	if (!r) {
		r = t >= KT_INT && t <= KT_SYM ? k_new(-t, c->m) : list_room(c->m);
		if (!r) { cd(y); return -1; }
		c->r = r;
	}
	if (r->t < 0 && r->t == -t) {
		switch (t) {
		case KT_INT: kI(r)[c->n] = kI(y)[0]; break;
		case KT_FLOAT: kF(r)[c->n] = kF(y)[0]; break;
		case KT_CHAR: kC(r)[c->n] = kC(y)[0]; break;
		case KT_SYM: kS(r)[c->n] = kS(y)[0]; break;
		}
		c->n++;
		cd(y);
		return 0;
	}
	if (r->t < 0) {           /* the run of atoms ends: a general list */
		K l = list_room(c->m);
		for (int64_t i = 0; l && i < c->n; i++) {
			K e = k_item(r, i);
			if (!e) { cd(l); l = NULL; break; }
			list_push(l, e);
		}
		if (!l) { cd(y); return -1; }
		cd(r);
		c->r = r = l;
	}
	list_push(r, y);
	c->n++;
	return 0;
}

/* The collected results (c emptied); an empty list when there are none. */
static K collect_done(collect *c)
{
	K r = c->r;
	c->r = NULL;
	if (!r) return k_list(0);
	r->n = c->n;
	if (r->t == -KT_CHAR) kC(r)[r->n] = 0;
	return r;
}


/* f applied m times: the i-th time to the i-th items of the arguments whose
 * bit is set in `spread`, and to the other arguments whole; the results
 * squeezed.  Borrows f and a[0..n-1]. */
static K map_items(K f, int n, K *a, unsigned spread, int64_t m)
{
	K args[ADVERB_MAXARGS], spare[ADVERB_MAXARGS] = { NULL };
	collect c = { NULL, 0, m };
	for (int64_t i = 0; i < m; i++) {
		int j;
		for (j = 0; j < n; j++) {
			args[j] = (spread >> j & 1) ? item_for_call(a[j], i, &spare[j]) : ci(a[j]);
			if (!args[j]) { release(j, args); goto fail; }
		}
		K y = k_call(f, n, args);
		if (!y || collect_push(&c, y)) goto fail;
	}
	release(n, spare);
	return collect_done(&c);
fail:
	release(n, spare);
	cd(c.r);
	return NULL;
}

/* f' : monadic each over the items of x (an atom is applied once), or
 * multi each, pairing items of equal-length lists and extending atoms. */
static K adverb_each(K f, int n, K *a)
{
	unsigned spread = 0;
	int64_t m = -1;
	for (int j = 0; j < n; j++) {
		if (!spreads(a[j])) continue;
		if (m >= 0 && a[j]->n != m) { release(n, a); return kerr("length"); }
		m = a[j]->n;
		spread |= 1u << j;
	}
	if (m < 0) return k_call(f, n, a);   /* all atoms: one application */
	K r = map_items(f, n, a, spread, m);
	release(n, a);
	return r;
}

/* x f/: y applies f[x;yi] for each item of y; x f\: y applies f[xi;y]. */
static K each_side(K f, int n, K *a, int side)
{
	if (n != 2) { release(n, a); return kerr("valence"); }
	if (!spreads(a[side])) return k_call(f, 2, a);
	K r = map_items(f, 2, a, 1u << side, a[side]->n);
	release(2, a);
	return r;
}
static K adverb_eachright(K f, int n, K *a) { return each_side(f, n, a, 1); }
static K adverb_eachleft(K f, int n, K *a) { return each_side(f, n, a, 0); }

/* f': y gives f[y1;y0], f[y2;y1] ...; an atom y gives f[y;y].  With a left
 * argument, x f': y puts x first: (x; f[y1;y0]; ...), and an atom y gives
 * x.  (Kona's rules, including its empty and one-item cases.) */
static K adverb_eachprior(K f, int n, K *a)
{
	K x = n == 2 ? a[0] : NULL, y = a[n - 1], r = NULL;
	if (n > 2 || (f->t == KT_FUNC && f->a != FK_DERIVED && fn_valence(f) == 1)) {
		release(n, a);
		return kerr("valence");
	}
	if (!spreads(y)) {
		if (x) { cd(y); return x; }
		return k_call2(f, ci(y), y);
	}
	if (y->n < 2) {
		if (!x && y->n == 0) { cd(y); return kerr("length"); }
		release(n, a);
		return k_list(0);
	}
	r = list_room(y->n);
	if (!r) goto fail;
	if (x) { list_push(r, x); x = NULL; }
	for (int64_t i = 1; i < y->n; i++) {
		K cur = k_item(y, i), prev = cur ? k_item(y, i - 1) : NULL;
		if (!prev) { cd(cur); goto fail; }
		K z = k_call2(f, cur, prev);
		if (!z) goto fail;
		list_push(r, z);
	}
	cd(y);
	return k_squeeze(r);
fail:
	cd(x);
	cd(y);
	cd(r);
	return NULL;
}

/* ---- fast folds: + * | & over int and float vectors ---------------------- */

/* Ints wrap on overflow (0I+1 is 0N, as in Kona); max and min compare
 * plainly, so 0N is the smallest int and a NaN loses or wins by position
 * exactly as the scalar verbs' C comparison does. */
static inline int64_t i_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static inline int64_t i_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }
static inline int64_t i_max(int64_t a, int64_t b) { return a > b ? a : b; }
static inline int64_t i_min(int64_t a, int64_t b) { return a < b ? a : b; }
static inline double f_add(double a, double b) { return a + b; }
static inline double f_mul(double a, double b) { return a * b; }
static inline double f_max(double a, double b) { return a > b ? a : b; }
static inline double f_min(double a, double b) { return a < b ? a : b; }

/* For each operation: acc op v[0] op v[1] ... (over), and the running
 * values written to r[0..n-1] (scan; r may be v). */
#define FOLD_OVER(op, T)                                                        \
	static T op##_over(T acc, const T *v, int64_t n)                        \
	{                                                                       \
		for (int64_t i = 0; i < n; i++) acc = op(acc, v[i]);            \
		return acc;                                                     \
	}
#define FOLD_SCAN(op, T)                                                        \
	static void op##_scan(T acc, const T *v, T *r, int64_t n)               \
	{                                                                       \
		for (int64_t i = 0; i < n; i++) r[i] = acc = op(acc, v[i]);     \
	}
#define FOLD_KERNELS(op, T) FOLD_OVER(op, T) FOLD_SCAN(op, T)
FOLD_SCAN(i_add, int64_t)      /* its over is i_add_over below */
FOLD_KERNELS(i_mul, int64_t)
FOLD_KERNELS(i_max, int64_t)
FOLD_KERNELS(i_min, int64_t)
FOLD_KERNELS(f_add, double)
FOLD_KERNELS(f_mul, double)
FOLD_KERNELS(f_max, double)
FOLD_KERNELS(f_min, double)
#undef FOLD_KERNELS
#undef FOLD_SCAN
#undef FOLD_OVER

/* +/ on ints is the fold that matters most: two 2-lane accumulators
 * (wrapping adds are associative, so the sum is exactly the scalar one)
 * keep the loop at memory speed. */
typedef uint64_t u64x2 __attribute__((vector_size(16)));
static int64_t i_add_over(int64_t acc, const int64_t *v, int64_t n)
{
	u64x2 a0 = { (uint64_t)acc, 0 }, a1 = { 0, 0 }, x0, x1;
	int64_t i = 0;
	for (; i + 4 <= n; i += 4) {
		memcpy(&x0, v + i, sizeof x0);
		memcpy(&x1, v + i + 2, sizeof x1);
		a0 += x0;
		a1 += x1;
	}
	a0 += a1;
	uint64_t sum = a0[0] + a0[1];
	for (; i < n; i++) sum += (uint64_t)v[i];
	return (int64_t)sum;
}

/* The verbs with fast folds, their kernels, and the value f/ gives on an
 * empty list (Kona's: an int for () and int vectors, a float for float
 * vectors). */
static const struct fold_kernel {
	int verb;
	int64_t (*over_i)(int64_t, const int64_t *, int64_t);
	double (*over_f)(double, const double *, int64_t);
	void (*scan_i)(int64_t, const int64_t *, int64_t *, int64_t);
	void (*scan_f)(double, const double *, double *, int64_t);
	int64_t empty_i;
	double empty_f;
} fold_kernels[] = {
	{ V_PLUS, i_add_over, f_add_over, i_add_scan, f_add_scan, 0, 0.0 },
	{ V_TIMES, i_mul_over, f_mul_over, i_mul_scan, f_mul_scan, 1, 1.0 },
	{ V_MAX, i_max_over, f_max_over, i_max_scan, f_max_scan, 0, -KF_INF },
	{ V_MIN, i_min_over, f_min_over, i_min_scan, f_min_scan, 1, KF_INF },
};

/* The fast fold of the verb f, or NULL when f has none.  Borrows f. */
static const struct fold_kernel *fold_kernel_of(K f)
{
	if (f->t != KT_FUNC || f->a != FK_VERB) return NULL;
	for (size_t i = 0; i < sizeof fold_kernels / sizeof *fold_kernels; i++)
		if (fold_kernels[i].verb == f->u) return &fold_kernels[i];
	return NULL;
}

/* x f/ y or x f\ y (x NULL: unseeded) through a kernel, when y is a
 * non-empty int or float vector and x absent or an atom of its type.
 * Returns 1 with the result (or NULL and an error) in *out, having consumed
 * x and y; 0 when the shape does not fit (nothing consumed). */
static int fold_fast(const struct fold_kernel *fk, K x, K y, int scan, K *out)
{
	if (!fk || (y->t != -KT_INT && y->t != -KT_FLOAT) || y->n == 0) return 0;
	/* 1 +\ 1.0 2.0 is 1 2 4.0 in Kona (its + scan makes the seed a float) */
	int seed_to_float = x && scan && fk->verb == V_PLUS && x->t == KT_INT && y->t == -KT_FLOAT;
	if (x && x->t != -y->t && !seed_to_float) return 0;
	int isint = y->t == -KT_INT;
	int64_t m = y->n, skip = x ? 0 : 1;
	K r;
	if (!scan) {
		r = isint ? k_int(fk->over_i(x ? kI(x)[0] : kI(y)[0], kI(y) + skip, m - skip))
		          : k_float(fk->over_f(x ? kF(x)[0] : kF(y)[0], kF(y) + skip, m - skip));
	} else if (!x) {
		r = k_mut(y);             /* y is ours: scan in place when unshared */
		y = NULL;
		if (r) {
			if (isint) fk->scan_i(kI(r)[0], kI(r) + 1, kI(r) + 1, m - 1);
			else fk->scan_f(kF(r)[0], kF(r) + 1, kF(r) + 1, m - 1);
		}
	} else {
		r = k_new(y->t, m + 1);   /* the seed first, then the running values */
		if (r) {
			if (isint) { kI(r)[0] = kI(x)[0]; fk->scan_i(kI(x)[0], kI(y), kI(r) + 1, m); }
			else {
				double seed = seed_to_float ? (double)kI(x)[0] : kF(x)[0];
				kF(r)[0] = seed;
				fk->scan_f(seed, kF(y), kF(r) + 1, m);
			}
		}
	}
	cd(x);
	cd(y);
	*out = r;
	return 1;
}

/* f/ of an empty list y: Kona's identities for + * | & (on (), int and
 * float vectors), 1 for = on an empty int vector, () for join, a length
 * error for other verbs, and _n for other functions.  Consumes y. */
static K fold_empty(K f, K y)
{
	int t = y->t;
	cd(y);
	if (f->t != KT_FUNC || f->a != FK_VERB) return k_null();
	const struct fold_kernel *fk = fold_kernel_of(f);
	if (fk && (t == KT_LIST || t == -KT_INT)) return k_int(fk->empty_i);
	if (fk && t == -KT_FLOAT) return k_float(fk->empty_f);
	if (f->u == V_EQUAL && t == -KT_INT) return k_int(1);
	if (f->u == V_JOIN) return k_list(0);
	return kerr("length");
}

/* ---- join over: ,/ in one pass ------------------------------------------ */

/* The parts joined by x ,/ y: x (if any) then the items of the list y. */
static int64_t join_parts(K x, K y) { return (x ? 1 : 0) + y->n; }
static K join_part(K x, K y, int64_t i) { return x ? (i == 0 ? x : kK(y)[i - 1]) : kK(y)[i]; }

/* Simple type (1..4) shared by every non-empty part, atoms and vectors
 * alike, or 0 when the parts mix types or hold nested values. */
static int join_simple_type(K x, K y)
{
	int t = 0;
	for (int64_t i = 0; i < join_parts(x, y); i++) {
		K p = join_part(x, y, i);
		if (p->t < 0 && p->n == 0) continue;          /* an empty vector adds nothing */
		int pt = p->t < 0 ? -p->t : p->t;
		if (pt < KT_INT || pt > KT_SYM || (t && pt != t)) return 0;
		t = pt;
	}
	return t;
}

/* x ,/ y (x NULL: unseeded) where y is a general list of at least two
 * parts: a vector when the parts share one simple type (one allocation,
 * one copy per part), else a general list of all their items.  Consumes x
 * and y. */
static K join_over(K x, K y)
{
	int64_t parts = join_parts(x, y), total = 0;
	K r = NULL;
	for (int64_t i = 0; i < parts; i++) {
		K p = join_part(x, y, i);
		total += p->t <= 0 ? p->n : 1;
	}
	int t = join_simple_type(x, y);
	if (t) {
		size_t es = k_esize(-t);
		r = k_new(-t, total);
		if (!r) goto fail;
		char *d = (char *)r->d;
		for (int64_t i = 0; i < parts; i++) {
			K p = join_part(x, y, i);
			int64_t c = p->t < 0 ? p->n : (p->t > 0 ? 1 : 0);
			memcpy(d, p->d, (size_t)c * es);
			d += (size_t)c * es;
		}
		if (t == KT_CHAR) *d = 0;
	} else {
		r = list_room(total);
		if (!r) goto fail;
		for (int64_t i = 0; i < parts; i++) {
			K p = join_part(x, y, i);
			if (p->t > 0) { list_push(r, ci(p)); continue; }
			for (int64_t j = 0; j < p->n; j++) {
				K e = k_item(p, j);
				if (!e) goto fail;
				list_push(r, e);
			}
		}
		r = k_squeeze(r);
	}
	cd(x);
	cd(y);
	return r;
fail:
	cd(r);
	cd(x);
	cd(y);
	return NULL;
}

/* ---- folds, converge, do, while ------------------------------------------ */

/* x f/ y and x f\ y with f dyadic (x NULL: f/y, f\y).  Consumes x and y. */
static K fold(K f, K x, K y, int scan)
{
	K acc = NULL, r = NULL, out, spare = NULL;
	if (!spreads(y)) return x ? k_call2(f, x, y) : y;
	int64_t m = y->n;
	int join = f->t == KT_FUNC && f->a == FK_VERB && f->u == V_JOIN;
	if (m == 0) {
		if (x && join && !scan) return k_call2(f, x, y);    /* 0,/() is ,0, as Kona */
		if (x) { cd(y); return x; }
		return scan ? y : fold_empty(f, y);
	}
	if (!x && m == 1 && !scan) {
		acc = k_item(y, 0);
		cd(y);
		return acc;
	}
	if (fold_fast(fold_kernel_of(f), x, y, scan, &out)) return out;
	if (!scan && y->t == KT_LIST && join) return join_over(x, y);

	int64_t i = 0;
	acc = x;
	x = NULL;
	if (!acc) {
		acc = k_item(y, i++);
		if (!acc) goto fail;
	}
	if (scan) {
		r = list_room(m - i + 1);
		if (!r) goto fail;
		list_push(r, ci(acc));
	}
	for (; i < m; i++) {
		K item = item_for_call(y, i, &spare);
		if (!item) goto fail;
		acc = k_call2(f, acc, item);
		if (!acc) goto fail;
		if (scan) list_push(r, ci(acc));
	}
	cd(spare);
	cd(y);
	if (!scan) return acc;
	cd(acc);
	return k_squeeze(r);
fail:
	cd(spare);
	cd(acc);
	cd(y);
	cd(r);
	return NULL;
}

/* f/[x;y;z..] and f\[x;y;z..]: fold the items of y, z.. (atoms extend,
 * lists must agree in length) into x.  All atoms: a single application;
 * any empty list: x.  Consumes a[0..n-1]. */
static K fold_multi(K f, int n, K *a, int scan)
{
	K args[ADVERB_MAXARGS], acc = NULL, r = NULL;
	unsigned spread = 0;
	int64_t m = -1;
	for (int j = 1; j < n; j++) {
		if (!spreads(a[j])) continue;
		if (a[j]->n == 0) { acc = ci(a[0]); release(n, a); return acc; }
		if (m >= 0 && a[j]->n != m) { release(n, a); return kerr("length"); }
		m = a[j]->n;
		spread |= 1u << j;
	}
	if (m < 0) return k_call(f, n, a);
	acc = ci(a[0]);
	if (scan) {
		r = list_room(m + 1);
		if (!r) goto fail;
		list_push(r, ci(acc));
	}
	for (int64_t i = 0; i < m; i++) {
		args[0] = acc;
		acc = NULL;
		for (int j = 1; j < n; j++) {
			args[j] = (spread >> j & 1) ? k_item(a[j], i) : ci(a[j]);
			if (!args[j]) { release(j, args); goto fail; }
		}
		acc = k_call(f, n, args);
		if (!acc) goto fail;
		if (scan) list_push(r, ci(acc));
	}
	release(n, a);
	if (!scan) return acc;
	cd(acc);
	return k_squeeze(r);
fail:
	release(n, a);
	cd(acc);
	cd(r);
	return NULL;
}

/* One step of a converge: f x, or for data f, f . x.  A call polls for a
 * break by itself; an index walk does not, and may cycle forever. */
static K converge_step(K f, K x, int data)
{
	if (!data) return k_call1(f, x);
	if (k_broken()) { cd(x); return NULL; }
	return k_dot(ci(f), x);
}

/* f/x and f\x with f monadic: apply f until the result matches the previous
 * one or x itself.  Over gives the last result before the repeat (-:/1 is
 * -1); scan gives x and every result before the repeat.  For data f (an
 * index walk, x . x . ...) over gives the repeating value, and a walk from
 * an int to a char value stops there, as in Kona (("ab";"cd")/1 2 is "d").
 * Consumes x. */
static K converge(K f, K x, int scan, int data)
{
	K prev = ci(x), r = NULL;
	if (scan) {
		r = list_room(1);
		if (!r) goto fail;
		list_push(r, ci(x));
	}
	for (;;) {
		K next = converge_step(f, ci(prev), data);
		if (!next) goto fail;
		int repeats = k_match(next, prev) || k_match(next, x);
		int charstop = data && !scan && (x->t == KT_INT || x->t == -KT_INT)
		               && (next->t == KT_CHAR || next->t == -KT_CHAR);
		if (repeats || charstop) {
			if (data && !scan) { cd(prev); prev = next; }
			else cd(next);
			break;
		}
		cd(prev);
		prev = next;
		if (scan && !(r = list_append(r, ci(prev)))) goto fail;
	}
	cd(x);
	if (!scan) return prev;
	cd(prev);
	return k_squeeze(r);
fail:
	cd(prev);
	cd(x);
	cd(r);
	return NULL;
}

/* n f/x (n f\x): apply f n times.  Consumes n and x. */
static K repeat_times(K f, K n, K x, int scan)
{
	int64_t times = kI(n)[0];
	K r = NULL;
	cd(n);
	if (times < 0) { cd(x); return kerr("int"); }
	if (scan) {
		/* 0I f\x would hold 2^63 items: more than any heap */
		r = times < INT64_MAX ? list_room(times + 1) : kerr("wsfull");
		if (!r) goto fail;
		list_push(r, ci(x));
	}
	for (int64_t i = 0; i < times; i++) {
		x = k_call1(f, x);
		if (!x) goto fail;
		if (scan) list_push(r, ci(x));
	}
	if (!scan) return x;
	cd(x);
	return k_squeeze(r);
fail:
	cd(x);
	cd(r);
	return NULL;
}

/* b f/x (b f\x): apply f while b applied to the current value gives a
 * non-zero int.  Consumes b and x. */
static K repeat_while(K f, K b, K x, int scan)
{
	K r = NULL;
	if (scan) {
		r = list_room(1);
		if (!r) goto fail;
		list_push(r, ci(x));
	}
	for (;;) {
		K t = k_call1(b, ci(x));
		if (!t) goto fail;
		int go = t->t == KT_INT && kI(t)[0] != 0;
		cd(t);
		if (!go) break;
		x = k_call1(f, x);
		if (!x) goto fail;
		if (scan && !(r = list_append(r, ci(x)))) goto fail;
	}
	cd(b);
	if (!scan) return x;
	cd(x);
	return k_squeeze(r);
fail:
	cd(b);
	cd(x);
	cd(r);
	return NULL;
}

/* ---- the data forms: sep/strings and sep\string --------------------------- */

/* ","/("ab";"cd") is "ab,cd": y a list of char vectors (a string is
 * returned as it is).  Consumes y; borrows the char atom sep. */
static K strings_join(K sep, K y)
{
	K r = NULL;
	if (y->t == KT_CHAR || y->t == -KT_CHAR) return y;
	if (y->t != KT_LIST) goto type;
	int64_t total = y->n ? y->n - 1 : 0;
	for (int64_t i = 0; i < y->n; i++) {
		if (kK(y)[i]->t != -KT_CHAR) goto type;
		total += kK(y)[i]->n;
	}
	r = k_new(-KT_CHAR, total);
	if (!r) goto fail;
	char *d = kC(r);
	for (int64_t i = 0; i < y->n; i++) {
		if (i) *d++ = kC(sep)[0];
		memcpy(d, kC(kK(y)[i]), (size_t)kK(y)[i]->n);
		d += kK(y)[i]->n;
	}
	*d = 0;
	cd(y);
	return r;
type:
	kerr("type");
fail:
	cd(y);
	return NULL;
}

/* ","\"ab,cd" is ("ab";"cd"): the fields between separators; an empty
 * string gives ().  Consumes y; borrows sep. */
static K string_split(K sep, K y)
{
	K r = NULL;
	if (y->t != KT_CHAR && y->t != -KT_CHAR) { cd(y); return kerr("type"); }
	const char *s = kC(y), c = kC(sep)[0];
	int64_t n = y->n, fields = n ? 1 : 0;
	for (int64_t i = 0; i < n; i++) fields += s[i] == c;
	r = list_room(fields);
	if (!r) goto fail;
	for (int64_t i = 0, start = 0; i <= n && n; i++) {
		if (i < n && s[i] != c) continue;
		K field = k_str(s + start, (size_t)(i - start));
		if (!field) goto fail;
		list_push(r, field);
		start = i + 1;
	}
	cd(y);
	return r;
fail:
	cd(y);
	cd(r);
	return NULL;
}

/* / and \ with data as f.  One argument: a char atom joins or splits
 * strings; a general list scans as the dyadic index m[x;y] (so m\2 is 2, as
 * Kona has it); other data is an index walk to a fixed point.  More
 * arguments: the data is indexed like a dyadic function, m[x;y]. */
static K over_data(K f, int n, K *a, int scan)
{
	if (n == 1) {
		if (f->t == KT_CHAR) return scan ? string_split(f, a[0]) : strings_join(f, a[0]);
		if (scan && f->t == KT_LIST) return fold(f, NULL, a[0], 1);
		return converge(f, a[0], scan, 1);
	}
	if (n == 2) return fold(f, a[0], a[1], scan);
	return fold_multi(f, n, a, scan);
}

/* f/ and f\ with any number of arguments, as the table in the opening
 * comment says. */
static K over_or_scan(K f, int n, K *a, int scan)
{
	int v = adverb_valence(f);
	if (v == 0) return over_data(f, n, a, scan);
	if (n == 1) return v == 1 ? converge(f, a[0], scan, 0) : fold(f, NULL, a[0], scan);
	if (n == 2 && v == 1) {
		if (a[0]->t == KT_INT) return repeat_times(f, a[0], a[1], scan);
		if (a[0]->t == KT_FUNC) return repeat_while(f, a[0], a[1], scan);
		release(n, a);
		return kerr("type");
	}
	if (n == 2) return fold(f, a[0], a[1], scan);
	return fold_multi(f, n, a, scan);
}
static K adverb_over(K f, int n, K *a) { return over_or_scan(f, n, a, 0); }

K adverb_fold(int scan, K f, K x, K y) { return fold(f, x, y, scan); }
static K adverb_scan(K f, int n, K *a) { return over_or_scan(f, n, a, 1); }

/* ---- entry ----------------------------------------------------------------- */

static K (*const adverb_table[AV_COUNT_])(K f, int n, K *a) = {
	[AV_EACH] = adverb_each,
	[AV_OVER] = adverb_over,
	[AV_SCAN] = adverb_scan,
	[AV_EACHRIGHT] = adverb_eachright,
	[AV_EACHLEFT] = adverb_eachleft,
	[AV_EACHPRIOR] = adverb_eachprior,
};

/* Borrows f, consumes a[0..n-1]. */
K adverb_apply(int adverb, K f, int n, K *a)
{
	int elided = 0;
	for (int i = 0; i < n; i++) elided |= !a[i];
	if (adverb < 0 || adverb >= AV_COUNT_ || n < 1 || n > ADVERB_MAXARGS || elided) {
		release(n, a);
		return kerr("valence");
	}
	return adverb_table[adverb](f, n, a);
}
