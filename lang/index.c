/* index.c: indexing and amend: x@i, x . path, the verbs @ and . (which
 * also apply functions), the amend forms @[x;i;f;y] .[x;path;f;y] (the
 * evaluator's a[i]:y and a[i;j]+:y come here too), and the error traps
 * @[f;x;:] and .[f;args;:].
 *
 * Reading.  x@i indexes the top level of a list, vector or dictionary by i
 * of any shape; the result has i's shape.  _n as an index means "all".
 * x . (i;j;..) indexes one level per item of the path, each item again of
 * any shape (so the result is the cross section), with _n taking a whole
 * level.  Out of range is the error `index` (as in Kona), an atom indexed
 * is `type` at the top and `rank` below it.  A function "indexed" is
 * applied: f@x is f[x], f . (x;y) is f[x;y].
 *
 * Amend walks the same index shapes and, at each place reached, replaces
 * the value v by f[v;y] (f[v] without y, y itself for `:`); repeated
 * indices apply one after another.  Each level is changed in place when
 * unshared (k_mut), and a general list hands its item to the next level
 * without keeping a reference of its own, so that a[i;j]:v on an unshared
 * list of vectors writes into the vector in place.  A vector that receives
 * an item of another type becomes a general list; a general list whose
 * items become atoms of one type is squeezed back into a vector.  Storing
 * a value that reaches its container is refused (`cycle`).
 *
 * On an error the amended value is released with everything else: a
 * caller that must keep it unchanged keeps its own reference (and then the
 * amend copies).  A symbol as the first argument of @ and . names a global
 * (a handle): .[`a;i;f;y] amends the global a and gives `a.
 */
#include "verbs.h"
#include "apply.h"
#include "ktree.h"

/* The widest function application a path can make. */
#define INDEX_MAXARGS 16

static void release(int n, K *a)
{
	for (int i = 0; i < n; i++) cd(a[i]);
}

static int simple_atom(K x) { return x->t >= KT_INT && x->t <= KT_SYM; }
/* Lists and vectors, whose items an index list walks. */
static int listlike(K x) { return x->t <= 0; }

/* Can the atom i be a dictionary key: a symbol, or a char taken as the
 * one-letter symbol (d@"a" is d@`a, as in Kona)? */
static int is_key(K i) { return i->t == KT_SYM || i->t == KT_CHAR; }
/* The key of such an i (NULL with wsfull if a char cannot be interned). */
static ksym key_of(K i)
{
	return i->t == KT_SYM ? kS(i)[0] : sym_intern(kC(i), 1);
}

/* Item j of x as a value: a dictionary's items are its values here. */
static K item_value(K x, int64_t j)
{
	return x->t == KT_DICT ? ci(kK(kK(x)[j])[1]) : k_item(x, j);
}

/* ---- reading ------------------------------------------------------------ */

static K index_one(K x, K i);

/* x[i] for each item of the list i (results squeezed).  Borrows both. */
static K index_each(K x, K i)
{
	if (!k_stack_ok()) return kerr("stack");
	K r = k_list(i->n);
	if (!r) return NULL;
	r->n = 0;
	for (int64_t j = 0; j < i->n; j++) {
		K ij = k_item(i, j);
		K v = ij ? index_one(x, ij) : NULL;
		cd(ij);
		if (!v) { cd(r); return NULL; }
		kK(r)[r->n++] = v;
	}
	return k_squeeze(r);
}

/* x[i] for an int vector i: one bounds pass, then one copy loop by element
 * size (a general list shares its items and is squeezed).  Borrows both. */
static K gather(K x, K i)
{
	int64_t n = i->n, m = x->n;
	const int64_t *ix = kI(i);
	for (int64_t j = 0; j < n; j++)
		if ((uint64_t)ix[j] >= (uint64_t)m) return kerr("index");
	K r = k_new(x->t, n);
	if (!r) return NULL;
	switch (k_esize(x->t)) {
	case 1: {
		const char *s = kC(x);
		char *d = kC(r);
		for (int64_t j = 0; j < n; j++) d[j] = s[ix[j]];
		break;
	}
	default: {   /* ints, floats, symbols and list items are all 8 bytes */
		const uint64_t *s = (const uint64_t *)x->d;
		uint64_t *d = (uint64_t *)r->d;
		for (int64_t j = 0; j < n; j++) d[j] = s[ix[j]];
		if (x->t == KT_LIST) {
			for (int64_t j = 0; j < n; j++) ci(kK(r)[j]);
			r = k_squeeze(r);
		}
	}
	}
	return r;
}

/* d[i]: i a symbol (a char counts as one), a list of them, or _n (every
 * value).  A missing key gives _n.  Borrows d and i. */
static K dict_index(K d, K i)
{
	if (i->t == KT_NULL) {
		K r = k_list(d->n);
		if (!r) return NULL;
		for (int64_t j = 0; j < d->n; j++) kK(r)[j] = ci(kK(kK(d)[j])[1]);
		return k_squeeze(r);
	}
	if (listlike(i)) return index_each(d, i);
	if (!is_key(i)) return kerr("type");
	ksym s = key_of(i);
	return s ? dict_get(d, s) : NULL;
}

/* x[i] at the top level, i of any shape.  Borrows both. */
static K index_one(K x, K i)
{
	if (x->t == KT_DICT) return dict_index(x, i);
	if (!listlike(x)) return kerr(x->t == KT_NULL ? "type" : "rank");   /* an atom */
	if (i->t == KT_NULL) return ci(x);
	if (i->t == KT_INT) {
		int64_t j = kI(i)[0];
		if ((uint64_t)j >= (uint64_t)x->n) return kerr("index");
		return k_item(x, j);
	}
	if (i->t == -KT_INT) return gather(x, i);
	if (i->t == KT_LIST) return index_each(x, i);
	return kerr("type");
}

/* Consumes x and i. */
K k_at(K x, K i)
{
	K r;
	if (x->t == KT_FUNC) r = x->a == FK_VERB ? k_call_brackets(x, 1, &i) : k_call1(x, i);   /* (+)@1 is +[1] */
	else if (x->t == KT_NULL) r = i;              /* _n@i is i, as in Kona */
	else { r = index_one(x, i); cd(i); }
	cd(x);
	return r;
}

static K dot_rec(K x, K path, int64_t k);

/* x indexed by i at level k of path, then by the levels below.  Borrows
 * x, i and path. */
static K dot_index(K x, K i, K path, int64_t k)
{
	if (!k_stack_ok()) return kerr("stack");
	if (x->t == KT_FUNC) {
		K y = k_call1(x, ci(i));
		if (!y) return NULL;
		K r = dot_rec(y, path, k + 1);
		cd(y);
		return r;
	}
	/* an atom: rank at the top (5 . 0) or under a simple vector (1 2 3[1;2]),
	 * type under a general list ((1 2;3)[1;0]), as in Kona */
	if (x->t < 0 && k < path->n - 1)           /* 1 2 3[5;2] says index first */
		return kerr(i->t == KT_INT && (uint64_t)kI(i)[0] >= (uint64_t)x->n ? "index" : "rank");
	if (!listlike(x) && x->t != KT_DICT) return kerr(x->t == KT_NULL || k ? "type" : "rank");
	if (k == path->n - 1) return index_one(x, i);
	if (i->t == KT_NULL) {                      /* every item, then deeper */
		K r = k_list(x->n);
		if (!r) return NULL;
		r->n = 0;
		for (int64_t j = 0; j < x->n; j++) {
			K xj = item_value(x, j);
			K v = xj ? dot_rec(xj, path, k + 1) : NULL;
			cd(xj);
			if (!v) { cd(r); return NULL; }
			kK(r)[r->n++] = v;
		}
		return k_squeeze(r);
	}
	if (listlike(i)) {                          /* each index at this level */
		K r = k_list(i->n);
		if (!r) return NULL;
		r->n = 0;
		for (int64_t j = 0; j < i->n; j++) {
			K ij = k_item(i, j);
			K v = ij ? dot_index(x, ij, path, k) : NULL;
			cd(ij);
			if (!v) { cd(r); return NULL; }
			kK(r)[r->n++] = v;
		}
		return k_squeeze(r);
	}
	K y = index_one(x, i);
	if (!y) return NULL;
	K r = dot_rec(y, path, k + 1);
	cd(y);
	return r;
}

/* x indexed by path[k..].  Borrows x and path. */
static K dot_rec(K x, K path, int64_t k)
{
	if (k >= path->n) return ci(x);
	K i = k_item(path, k);
	if (!i) return NULL;
	K r = dot_index(x, i, path, k);
	cd(i);
	return r;
}

/* f . args: the items of a list are the arguments; so are the chars of a
 * string no longer than f's valence ({x,y} . "ab" is "ab"), while a longer
 * one is one argument (Kona: .[{x};"2+2";:] is (0;"2+2")); () gives f[].
 * Consumes both. */
static K apply_path(K f, K args)
{
	K a[INDEX_MAXARGS], r = NULL;
	int n;
	if (args->t > 0 || (args->t == -KT_CHAR && args->n > fn_valence(f))) {
		a[0] = args;
		n = 1;
		args = NULL;
	} else if (args->n == 0) {
		a[0] = k_null();
		n = 1;
		if (!a[0]) goto done;
	} else if (args->n > INDEX_MAXARGS) {
		kerr("valence");
		goto done;
	} else {
		n = (int)args->n;
		for (int j = 0; j < n; j++) {
			a[j] = k_item(args, j);
			if (!a[j]) { release(j, a); goto done; }
		}
	}
	r = f->a == FK_VERB ? k_call_brackets(f, n, a) : k_call(f, n, a);   /* (+) . ,1 is +[1] */
done:
	cd(f);
	cd(args);
	return r;
}

/* Consumes x and path. */
K k_dot(K x, K path)
{
	K r;
	if (x->t == KT_FUNC) return apply_path(x, path);
	if (path->t > 0) return k_at(x, path);        /* x . i is x@i for an atom i */
	if (x->t == KT_NULL && path->n) r = kerr("type");
	else r = dot_rec(x, path, 0);
	cd(x);
	cd(path);
	return r;
}

/* ---- amend --------------------------------------------------------------- */

static K amend_index(K x, K i, K path, int64_t k, K f, K y);

/* The new value of a place holding v: y for `:` (f NULL), f[v;y], or f[v]
 * without y.  Consumes v and y; borrows f. */
static K amend_leaf(K v, K f, K y)
{
	if (!f) {
		cd(v);
		return y ? y : kerr("valence");
	}
	return y ? k_call2(f, v, y) : k_call1(f, v);
}

/* v amended at path[k..] (v itself at the end of the path).  Consumes v
 * and y; borrows path and f. */
static K amend_path(K v, K path, int64_t k, K f, K y)
{
	if (!k_stack_ok()) { cd(v); cd(y); return kerr("stack"); }
	if (!path || k >= path->n) return amend_leaf(v, f, y);
	K i = k_item(path, k);
	if (!i) { cd(v); cd(y); return NULL; }
	K r = amend_index(v, i, path, k + 1, f, y);
	cd(i);
	return r;
}

/* Put v at item j of x, whose count is 1 (a general list has a hole there).
 * A vector takes an atom of its type in place and otherwise becomes a
 * general list; a general list given an atom is squeezed if it can be.
 * Consumes x and v. */
static K store_item(K x, int64_t j, K v)
{
	if (x->t < 0) {
		if (v->t == -x->t) {
			memcpy(x->d + (size_t)j * k_esize(x->t), v->d, k_esize(x->t));
			cd(v);
			return x;
		}
		x = k_explode(x);
		if (!x) { cd(v); return NULL; }
		cd(kK(x)[j]);
		kK(x)[j] = NULL;
	}
	if (k_store_check(v, x)) {
		cd(v);
		cd(x);
		return NULL;
	}
	kK(x)[j] = v;
	return simple_atom(v) ? k_squeeze(x) : x;
}

/* x with the value at key s amended (path[k..] below it); a missing key is
 * added holding _n first, and _n as x becomes a new dictionary.  Consumes x
 * and y; borrows path and f. */
static K amend_key(K x, ksym s, K path, int64_t k, K f, K y)
{
	int64_t j;
	if (x->t == KT_NULL) { cd(x); x = dict_new(); }
	else x = dict_own(x);
	if (!x) goto fail;
	j = dict_find(x, s);
	if (j < 0) {
		K nul = k_null();
		if (!nul) goto fail;
		x = dict_set(x, s, nul);
		if (!x) goto fail;
		j = x->n - 1;
	}
	K e = kK(x)[j];
	if (e->rc > 1) {
		e = kK(x)[j] = k_mut(e);
		if (!e) goto fail;
	}
	K old = kK(e)[1];
	kK(e)[1] = NULL;      /* handed down: the level below may change it in place */
	K v = amend_path(old, path, k, f, y);
	y = NULL;
	if (!v) goto fail;
	if (k_store_check(v, x)) {
		cd(v);
		goto fail;
	}
	kK(e)[1] = v;
	return x;
fail:
	cd(x);
	cd(y);
	return NULL;
}

/* x with item j amended (path[k..] below it).  Consumes x and y; borrows
 * path and f. */
static K amend_item(K x, int64_t j, K path, int64_t k, K f, K y)
{
	K old;
	if ((uint64_t)j >= (uint64_t)x->n) { kerr("index"); goto fail; }
	x = k_mut(x);
	if (!x) goto fail;
	if (!f && y && x->t < 0 && y->t == -x->t && !(path && k < path->n))
		return store_item(x, j, y);       /* a[j]:atom, no old value needed */
	if (x->t == KT_LIST) {
		old = kK(x)[j];
		kK(x)[j] = NULL;  /* handed down: the level below may change it in place */
	} else {
		old = k_item(x, j);
		if (!old) goto fail;
	}
	K v = amend_path(old, path, k, f, y);
	if (!v) { cd(x); return NULL; }
	return store_item(x, j, v);
fail:
	cd(x);
	cd(y);
	return NULL;
}

/* @[x;i;:;y] for a simple vector x, an int vector i and y an atom or a
 * vector of x's type, with no levels below: checked first, then written in
 * one loop.  Returns 1 with the result (or NULL) in *out, having consumed x
 * and y, or 0 if the shape does not fit (nothing consumed).  Borrows i. */
static int replace_fast(K x, K i, K y, K *out)
{
	if (x->t >= 0 || i->t != -KT_INT || !y) return 0;
	int spread = y->t < 0;
	if (y->t != x->t && y->t != -x->t) return 0;
	if (spread && y->n != i->n) return 0;   /* the general path reports it */
	const int64_t *ix = kI(i);
	for (int64_t j = 0; j < i->n; j++)
		if ((uint64_t)ix[j] >= (uint64_t)x->n) return 0;
	x = k_mut(x);
	if (x) {
		size_t es = k_esize(x->t);
		for (int64_t j = 0; j < i->n; j++)
			memcpy(x->d + (size_t)ix[j] * es, y->d + (spread ? (size_t)j * es : 0), es);
	}
	cd(y);
	*out = x;
	return 1;
}

/* x amended at index i (any shape), then at path[k..] below each place.
 * Consumes x and y; borrows i, path (may be NULL) and f. */
static K amend_index(K x, K i, K path, int64_t k, K f, K y)
{
	K out;
	int deeper = path && k < path->n;
	if (i->t == KT_NULL) {                   /* every item (every key) */
		K all;
		if (x->t == KT_DICT) {
			all = k_new(-KT_SYM, x->n);
			if (all) for (int64_t j = 0; j < x->n; j++) kS(all)[j] = kS(kK(kK(x)[j])[0])[0];
		} else if (listlike(x)) {
			all = k_new(-KT_INT, x->n);
			if (all) for (int64_t j = 0; j < x->n; j++) kI(all)[j] = j;
		} else {
			kerr("rank");
			goto fail;
		}
		if (!all) goto fail;
		K r = amend_index(x, all, path, k, f, y);
		cd(all);
		return r;
	}
	if (listlike(i)) {                       /* each index in turn */
		int spread = y && listlike(y);
		if (spread && y->n != i->n) { kerr("length"); goto fail; }
		if (!f && !deeper && replace_fast(x, i, y, &out)) return out;
		for (int64_t j = 0; j < i->n; j++) {
			K ij = k_item(i, j), yj = NULL;
			if (!ij) goto fail;
			if (y) yj = spread ? k_item(y, j) : ci(y);
			if (y && !yj) { cd(ij); goto fail; }
			x = amend_index(x, ij, path, k, f, yj);
			cd(ij);
			if (!x) goto fail;
		}
		cd(y);
		return x;
	}
	if (x->t == KT_DICT || (x->t == KT_NULL && is_key(i))) {
		if (!is_key(i)) { kerr("type"); goto fail; }
		ksym s = key_of(i);
		if (!s) goto fail;
		return amend_key(x, s, path, k, f, y);
	}
	if (!listlike(x)) { kerr(x->t == KT_NULL ? "type" : "rank"); goto fail; }
	if (i->t != KT_INT) { kerr("type"); goto fail; }
	return amend_item(x, kI(i)[0], path, k, f, y);
fail:
	cd(x);
	cd(y);
	return NULL;
}

/* Consumes x, i and y; borrows f. */
K k_amend_at(K x, K i, K f, K y)
{
	K r = amend_index(x, i, NULL, 0, f, y);
	cd(i);
	return r;
}

/* Consumes x, path and y; borrows f. */
K k_amend_dot(K x, K path, K f, K y)
{
	if (path->t > 0) return k_amend_at(x, path, f, y);
	K r = amend_path(x, path, 0, f, y);
	cd(path);
	return r;
}

/* ---- handles, the n-ary forms and the error trap -------------------------- */

/* The value of the global a symbol names; an undefined name is _n (Kona:
 * `zz@1 is 1).  Borrows s. */
static K global_value(K s)
{
	K v = ktree_get(kS(s)[0]);
	if (!v) { kerr_clear(); v = k_null(); }
	return v;
}

/* Amend of the global named by the symbol atom `name`; gives the name.
 * The global is replaced only when the whole amend succeeds.  Consumes
 * name, i and y; borrows f. */
static K amend_global(K name, K i, K f, K y, int dot)
{
	ksym s = kS(name)[0];
	K *cell = ktree_cell(s, 1);
	if (!cell) goto fail;
	K old = *cell ? ci(*cell) : k_null();
	if (!old) goto fail;
	K r = dot ? k_amend_dot(old, i, f, y) : k_amend_at(old, i, f, y);
	i = y = NULL;
	if (!r) goto fail;
	cell = ktree_cell(s, 1);          /* f may have changed the tree */
	if (!cell || ktree_store_check(r)) {
		cd(r);
		goto fail;
	}
	cd(*cell);
	*cell = r;
	return name;
fail:
	cd(name);
	cd(i);
	cd(y);
	return NULL;
}

/* (0;value) or (1;"error name") of a result that may have failed; clears
 * the error. */
static K trap(K r)
{
	if (!r && (kc->err == lang_exit_mark || kc->err == k_break_mark))
		return NULL;      /* _exit and Ctrl-C go through traps */
	K z = k_list(2);
	if (!z) { cd(r); return NULL; }
	if (r) {
		kK(z)[0] = k_int(0);
		kK(z)[1] = r;
	} else {
		const char *e = kc->err ? kc->err : "error";
		kK(z)[0] = k_int(1);
		kK(z)[1] = k_cstr(e);
		kerr_clear();
	}
	if (!kK(z)[0] || !kK(z)[1]) { cd(z); return kerr("wsfull"); }
	return k_squeeze(z);
}

static int is_colon(K f)
{
	return f->t == KT_FUNC && (f->a == FK_VERB || f->a == FK_VERB1) && f->u == V_COLON;
}

/* @[x;i;f], @[x;i;f;y], .[x;p;f], .[x;p;f;y] and the traps @[f;x;:],
 * .[f;args;:].  Consumes a[0..n-1]. */
static K index_n(int n, K *a, int dot)
{
	if (n < 3 || n > 4) { release(n, a); return kerr("valence"); }
	K x = a[0], i = a[1], f = a[2], y = n == 4 ? a[3] : NULL;
	if (n == 3 && is_colon(f)) {
		cd(f);
		return trap(dot ? verb_dot(x, i) : verb_at(x, i));
	}
	K verb = is_colon(f) && y ? NULL : f;
	K r;
	if (x->t == KT_SYM) r = amend_global(x, i, verb, y, dot);
	else r = dot ? k_amend_dot(x, i, verb, y) : k_amend_at(x, i, verb, y);
	cd(f);
	return r;
}

K index_at_n(int n, K *a) { return index_n(n, a, 0); }
K index_dot_n(int n, K *a) { return index_n(n, a, 1); }

/* x@y: a symbol x indexes (or applies) the global it names. */
K verb_at(K x, K y)
{
	if (x->t == KT_SYM) {
		K v = global_value(x);
		cd(x);
		if (!v) { cd(y); return NULL; }
		x = v;
	}
	if (!listlike(x) && x->t != KT_DICT && x->t != KT_FUNC && x->t != KT_NULL) {
		cd(x);                               /* 5@0: Kona says type, 5[0] rank */
		cd(y);
		return kerr("type");
	}
	return k_at(x, y);
}

/* x . y, likewise; but x . () is x itself, a symbol too (`b . () is `b,
 * as in Kona: the manual's empty path). */
K verb_dot(K x, K y)
{
	if (x->t == KT_SYM && !(y->t == KT_LIST && !y->n)) {
		K v = global_value(x);
		cd(x);
		if (!v) { cd(y); return NULL; }
		x = v;
	}
	return k_dot(x, y);
}
