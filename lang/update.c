/* update.c: the updates of a variable that change its value in place, all
 * or nothing.
 *
 * An assignment such as a,:x or a[i]+:1 on a value only the variable holds
 * (reference count 1) writes into that value instead of copying it: that is
 * what makes a loop of appends amortised O(1) per item.  In place, a
 * failure half way would leave the variable half changed, or gone; so each
 * shape done here first makes everything it needs (a grown block, a new
 * dictionary entry, the value the assignment shows), and only then writes,
 * with nothing that can fail after the first write.  A failure before it
 * leaves the variable exactly as it was; no K code runs in between, so no
 * break (Ctrl-C) can arrive half way either.  Any other shape is done by
 * the evaluator on a copy, which the variable takes only once it is whole.
 *
 * The shapes (x the variable's value, unshared):
 *   x,:y            x's block grows by y's items (join_into)
 *   x op: y         numbers keeping x's type (arith_into)
 *   x[i]:y          a simple vector x with i ints in range and y of x's
 *                   type; a general list x at one int; a dictionary x at
 *                   one key
 *   x[i] op: y      a numeric vector x (arith_into_at); a dictionary x at
 *                   one key holding a number of the type the result keeps
 *   x[i;j]:y        a list of vectors x, y an atom of row i's type
 */
#include <string.h>

#include "verbs.h"

/* The new x[i] for the assignment's value: an atom or a vector of x's
 * type with i's count, made before x changes, filled after.  Borrows. */
static K shown_for(K x, K i)
{
	return k_new(i->t == KT_INT ? -x->t : x->t, i->t == KT_INT ? 1 : i->n);
}

static void fill_shown(K s, K x, K i)
{
	size_t es = k_esize(x->t);
	int64_t n = i->t == KT_INT ? 1 : i->n;
	for (int64_t j = 0; j < n; j++)
		memcpy(s->d + (size_t)j * es, x->d + (size_t)kI(i)[j] * es, es);
	if (s->t == -KT_CHAR) kC(s)[n] = 0;
}

/* Are i ints, all within x's count, with y fitting them (an atom, or as
 * many items as i has)?  Borrows all. */
static int fits(K x, K i, K y)
{
	if (i->t != KT_INT && i->t != -KT_INT) return 0;
	if (i->t == -KT_INT && y->t <= 0 && y->n != i->n) return 0;
	if (i->t == KT_INT && y->t <= 0 && x->t < 0) return 0;
	int64_t n = i->t == KT_INT ? 1 : i->n;
	for (int64_t j = 0; j < n; j++)
		if ((uint64_t)kI(i)[j] >= (uint64_t)x->n) return 0;
	return 1;
}

/* x[i]:y for a simple vector x and y of its type. */
static int store_vector(K x, K i, K y, K *shown)
{
	if (y->t != x->t && y->t != -x->t) return 0;
	if (!fits(x, i, y)) return 0;
	K s = shown ? shown_for(x, i) : NULL;
	if (shown && !s) return -1;
	size_t es = k_esize(x->t);
	if (i->t == KT_INT && es == sizeof(int64_t))     /* a[i]:n, the common case */
		memcpy(x->d + (size_t)kI(i)[0] * sizeof(int64_t), y->d, sizeof(int64_t));
	else {
		int spread = y->t < 0;
		int64_t n = i->t == KT_INT ? 1 : i->n;
		for (int64_t j = 0; j < n; j++)
			memcpy(x->d + (size_t)kI(i)[j] * es, y->d + (spread ? (size_t)j * es : 0), es);
	}
	if (shown) fill_shown(*shown = s, x, i);
	return 1;
}

/* x[j]:y for a general list x: y goes in, and when every item is then an
 * atom of one type the list becomes that vector, made before x changes. */
static int store_list(K *cell, int64_t j, K y, K *shown)
{
	K x = *cell;
	if ((uint64_t)j >= (uint64_t)x->n) return 0;
	if (k_store_check(y, x)) return -1;
	K prev = kK(x)[j];
	kK(x)[j] = y;                     /* for a look only: borrowed */
	int t = k_squeeze_type(x);
	kK(x)[j] = prev;
	if (!t) {
		kK(x)[j] = ci(y);
		cd(prev);
		if (shown) *shown = ci(y);
		return 1;
	}
	K v = k_new(-t, x->n);
	if (!v) return -1;
	size_t es = k_esize(-t);
	for (int64_t k = 0; k < x->n; k++)
		memcpy(v->d + (size_t)k * es, (k == j ? y : kK(x)[k])->d, es);
	if (t == KT_CHAR) kC(v)[x->n] = 0;
	cd(x);
	*cell = v;
	if (shown) *shown = ci(y);
	return 1;
}

/* d[s] (op:) y: a plain store, or op on a number the entry holds. */
static int update_key(K *cell, ksym s, K op, K y, K *shown)
{
	if (!op) {
		if (k_store_check(y, *cell)) return -1;
		if (dict_put(cell, s, y)) return -1;
		if (shown) *shown = ci(y);
		return 1;
	}
	K e = dict_entry(*cell, s);
	if (!e || kK(e)[1]->t <= 0) return 0;
	K cur = kK(e)[1];
	int own = e->rc == 1 && cur->rc == 1;   /* else the number is copied */
	K v = own ? cur : k_copy(cur);
	if (!v) return -1;
	if (!arith_into(op->u, v, y)) {
		if (!own) cd(v);
		return 0;
	}
	if (!own && dict_put(cell, s, v)) { cd(v); return -1; }
	if (shown) *shown = own ? ci(v) : v;
	else if (!own) cd(v);
	return 1;
}

/* x[i;j]:y, x a list of vectors, y an atom of row i's type. */
static int store_path(K x, K path, K y, K *shown)
{
	if (x->t != KT_LIST || path->t != KT_LIST || path->n != 2 || y->t <= 0) return 0;
	K i = kK(path)[0], j = kK(path)[1];
	if (i->t != KT_INT || j->t != KT_INT || (uint64_t)kI(i)[0] >= (uint64_t)x->n) return 0;
	K row = kK(x)[kI(i)[0]];
	if (row->t >= 0 || y->t != -row->t || (uint64_t)kI(j)[0] >= (uint64_t)row->n) return 0;
	K s = shown ? k_new(y->t, 1) : NULL;
	if (shown && !s) return -1;
	K r = row->rc > 1 ? k_copy(row) : ci(row);
	if (!r) { cd(s); return -1; }
	memcpy(r->d + (size_t)kI(j)[0] * k_esize(r->t), y->d, k_esize(r->t));
	if (shown) memcpy((*shown = s)->d, y->d, k_esize(r->t));
	cd(kK(x)[kI(i)[0]]);
	kK(x)[kI(i)[0]] = r;
	return 1;
}

static int is_verb(K op, int v) { return op->t == KT_FUNC && op->a == FK_VERB && op->u == v; }

int update_in_place(K *cell, K i, int depth, K op, K y, K *shown)
{
	K x = *cell;
	if (shown) *shown = NULL;
	if (x->rc != 1 || !y) return 0;
	if (op && op->t != KT_FUNC) return 0;
	if (!i) {
		if (!op) return 0;
		int r = is_verb(op, V_JOIN) ? join_into(cell, y) : op->a == FK_VERB && arith_into(op->u, x, y);
		if (r > 0 && shown) *shown = ci(*cell);
		return r;
	}
	if (depth > 1) return op ? 0 : store_path(x, i, y, shown);
	if (op && op->a != FK_VERB) return 0;
	if (x->t == KT_DICT) return i->t == KT_SYM ? update_key(cell, kS(i)[0], op, y, shown) : 0;
	if (op) {
		if (x->t >= 0 || (i->t != KT_INT && i->t != -KT_INT)) return 0;
		K s = shown ? shown_for(x, i) : NULL;
		if (shown && !s) return -1;
		if (!arith_into_at(op->u, x, i, y)) { cd(s); return 0; }
		if (shown) fill_shown(*shown = s, x, i);
		return 1;
	}
	if (x->t < 0) return store_vector(x, i, y, shown);
	if (x->t == KT_LIST && i->t == KT_INT) return store_list(cell, kI(i)[0], y, shown);
	return 0;
}
