/* api_value.c: libkrt's public API (krt.h), part two: values.  Releasing,
 * retaining and copying them between states, building them (atoms,
 * vectors, lists, dictionaries) and reading them (type, count, items,
 * atoms' data, display).  Every K the caller passes is looked up in the
 * state's ledger first (api_held.c), every K returned is entered there. */
#include <errno.h>
#include <stdlib.h>
#include "api_priv.h"
#include "../runtime/heap.h"

/* The common end of a call that makes a value: hand r to the caller, or
 * record the error. */
static K give(krt *k, K r)
{
	r = api_give(k, r);
	if (!r) api_failed(k);
	return r;
}

/* ---- references ------------------------------------------------------- */

void krt_release(krt *k, K x)
{
	if (!x) return;
	API_ENTER(k);
	if (api_take(k, x)) cd(x);
	else api_failed(k);
	API_LEAVE();
}

K krt_retain(krt *k, K x)
{
	API_ENTER(k);
	K r = api_check(k, x) ? give(k, ci(x)) : (api_failed(k), NULL);
	API_LEAVE();
	return r;
}

/* A copy of x (a value of another state) made in the current state.
 * Borrows x.  Symbols are interned here; functions and code are refused. */
static K copy_value(K x)
{
	if (!k_stack_ok()) return kerr("stack");
	if (x->t == KT_FUNC || x->t == KT_NODE) return kerr("type");
	K r = k_new(x->t, x->n);
	if (!r) return NULL;
	r->a = x->a;
	r->u = x->u;
	if (x->t == KT_SYM || x->t == -KT_SYM) {
		for (int64_t i = 0; i < x->n; i++) {
			ksym s = sym_c(kS(x)[i]);
			if (!s) goto fail;
			kS(r)[i] = s;
		}
	} else if (k_nested(x->t)) {
		for (int64_t i = 0; i < x->n; i++) kK(r)[i] = NULL;
		for (int64_t i = 0; i < x->n; i++)
			if (kK(x)[i] && !(kK(r)[i] = copy_value(kK(x)[i]))) goto fail;
	} else if (x->t != KT_NULL)
		memcpy(r->d, x->d, (size_t)x->n * k_esize(x->t));
	return r;
fail:
	cd(r);      /* children not yet copied are NULL */
	return NULL;
}

K krt_copy(krt *to, krt *from, K x)
{
	API_ENTER(from);
	int ours = api_check(from, x);
	if (!ours) api_failed(from);
	API_LIVE(to);
	kc = to->ctx;           /* enter `to`; x is only read from here on */
	api_current = to;
	K r = NULL;
	if (!ours) { kerr(x ? "owner" : "null"); api_failed(to); }
	else r = give(to, copy_value(x));
	API_LEAVE();
	return r;
}

/* ---- building ------------------------------------------------------------ */

/* A vector of type t (negative) holding n elements copied from v (NULL
 * only when n is 0), made for `call`. */
static K vector_of(krt *k, int t, const void *v, size_t n, const char *call)
{
	API_ENTER(k);
	K r = NULL;
	if (!v && n) api_null(k, call, "the data");
	else {
		r = k_new(t, (int64_t)n);
		if (r && n) memcpy(r->d, v, n * k_esize(t));
		r = give(k, r);
	}
	API_LEAVE();
	return r;
}

K krt_ints(krt *k, const int64_t *v, size_t n) { return vector_of(k, -KT_INT, v, n, "krt_ints"); }
K krt_floats(krt *k, const double *v, size_t n) { return vector_of(k, -KT_FLOAT, v, n, "krt_floats"); }
K krt_chars(krt *k, const char *s, size_t n) { return vector_of(k, -KT_CHAR, s, n, "krt_chars"); }
K krt_string(krt *k, const char *s) { return vector_of(k, -KT_CHAR, s, s ? strlen(s) : 1, "krt_string"); }

K krt_int(krt *k, int64_t i)
{
	API_ENTER(k);
	K r = give(k, k_int(i));
	API_LEAVE();
	return r;
}

K krt_float(krt *k, double f)
{
	API_ENTER(k);
	K r = give(k, k_float(f));
	API_LEAVE();
	return r;
}

K krt_char(krt *k, char c)
{
	API_ENTER(k);
	K r = give(k, k_char(c));
	API_LEAVE();
	return r;
}

K krt_null(krt *k)
{
	API_ENTER(k);
	K r = give(k, k_null());
	API_LEAVE();
	return r;
}

K krt_sym(krt *k, const char *name)
{
	API_ENTER(k);
	K r = NULL;
	if (!name) api_null(k, "krt_sym", "name");
	else {
		ksym s = sym_c(name);
		r = give(k, s ? k_symv(s) : NULL);
	}
	API_LEAVE();
	return r;
}

K krt_syms(krt *k, const char *const *names, size_t n)
{
	API_ENTER(k);
	K r = NULL;
	for (size_t i = 0; i < n; i++)
		if (!names || !names[i]) {
			api_null(k, "krt_syms", names ? "a name" : "names");
			goto done;
		}
	r = k_new(-KT_SYM, (int64_t)n);
	for (size_t i = 0; r && i < n; i++)
		if (!(kS(r)[i] = sym_c(names[i]))) { cd(r); r = NULL; }
	r = give(k, r);
done:
	API_LEAVE();
	return r;
}

K krt_list(krt *k, size_t n, K *items)
{
	API_ENTER(k);
	K r = NULL;
	if (!items && n) {
		api_null(k, "krt_list", "items");
		API_LEAVE();
		return NULL;
	}
	if (!api_take_all(k, (int64_t)n, items)) goto fail;
	r = k_list((int64_t)n);
	if (!r) {
		for (size_t i = 0; i < n; i++) cd(items[i]);
		goto fail;
	}
	if (n) memcpy(kK(r), items, n * sizeof(K));
	r = k_squeeze(r);
	r = api_give(k, r);
fail:              /* every way here has r NULL but the last */
	if (!r) api_failed(k);
	API_LEAVE();
	return r;
}

K krt_dict(krt *k)
{
	API_ENTER(k);
	K r = give(k, dict_new());
	API_LEAVE();
	return r;
}

K krt_dict_set(krt *k, K d, const char *key, K v)
{
	API_ENTER(k);
	K r = NULL;
	K pair[2] = { d, v };
	if (!api_take_all(k, 2, pair)) goto fail;
	if (!key) {
		cd(d);
		cd(v);
		api_null(k, "krt_dict_set", "key");
		API_LEAVE();
		return NULL;
	}
	if (d->t != KT_DICT) { cd(d); cd(v); kerr("type"); goto fail; }
	ksym s = sym_c(key);
	if (!s) { cd(d); cd(v); goto fail; }
	r = dict_set(d, s, v);
	r = api_give(k, r);
fail:              /* every way here has r NULL but the last */
	if (!r) api_failed(k);
	API_LEAVE();
	return r;
}

/* ---- reading --------------------------------------------------------------- */

int krt_type(krt *k, K x)
{
	API_ENTER(k);
	int t = api_check(k, x) ? x->t : (api_failed(k), KRT_BAD);
	API_LEAVE();
	return t;
}

int64_t krt_count(krt *k, K x)
{
	API_ENTER(k);
	int64_t n = api_check(k, x) ? (x->t > 0 && x->t != KT_DICT ? 1 : x->n) : (api_failed(k), -1);
	API_LEAVE();
	return n;
}

K krt_item(krt *k, K x, int64_t i)
{
	API_ENTER(k);
	K r = NULL;
	if (!api_check(k, x)) goto fail;
	int64_t n = x->t > 0 && x->t != KT_DICT ? 1 : x->n;
	if (i < 0 || i >= n) { kerr("index"); goto fail; }
	if (x->t == KT_DICT) r = ci(kK(kK(x)[i])[1]);
	else if (x->t > 0) r = ci(x);
	else r = k_item(x, i);
	r = api_give(k, r);
fail:              /* every way here has r NULL but the last */
	if (!r) api_failed(k);
	API_LEAVE();
	return r;
}

/* The atom x of type t, or NULL with "owner" or "type". */
static K atom_of(krt *k, K x, int t)
{
	if (!api_check(k, x)) return NULL;
	if (x->t != t) return kerr("type");
	return x;
}

int krt_get_int(krt *k, K x, int64_t *out)
{
	API_ENTER(k);
	K a = !out ? (K)NULL : atom_of(k, x, KT_INT);
	if (!out) api_null(k, "krt_get_int", "out");
	else if (a) *out = kI(a)[0];
	else api_failed(k);
	API_LEAVE();
	return a ? 0 : -1;
}

int krt_get_float(krt *k, K x, double *out)
{
	API_ENTER(k);
	K a = !out ? (K)NULL : x && api_check(k, x) && x->t == KT_INT ? x : atom_of(k, x, KT_FLOAT);
	if (!out) api_null(k, "krt_get_float", "out");
	else if (!a) api_failed(k);
	else *out = a->t == KT_INT ? (double)kI(a)[0] : kF(a)[0];
	API_LEAVE();
	return a ? 0 : -1;
}

int krt_get_char(krt *k, K x, char *out)
{
	API_ENTER(k);
	K a = !out ? (K)NULL : atom_of(k, x, KT_CHAR);
	if (!out) api_null(k, "krt_get_char", "out");
	else if (a) *out = kC(a)[0];
	else api_failed(k);
	API_LEAVE();
	return a ? 0 : -1;
}

const char *krt_get_sym(krt *k, K x)
{
	API_ENTER(k);
	K a = atom_of(k, x, KT_SYM);
	if (!a) api_failed(k);
	API_LEAVE();
	return a ? kS(a)[0] : NULL;
}

const void *krt_data(krt *k, K x)
{
	API_ENTER(k);
	const void *p = NULL;
	if (!api_check(k, x)) goto done;
	int t = x->t < 0 ? -x->t : x->t;
	if (t >= KT_INT && t <= KT_SYM) p = x->d;
	else kerr("type");
done:
	if (!p) api_failed(k);
	API_LEAVE();
	return p;
}

K krt_dict_keys(krt *k, K d)
{
	API_ENTER(k);
	K r = NULL;
	if (!api_check(k, d)) goto fail;
	if (d->t != KT_DICT) { kerr("type"); goto fail; }
	r = k_new(-KT_SYM, d->n);
	if (!r) goto fail;
	for (int64_t i = 0; i < d->n; i++) kS(r)[i] = kS(kK(kK(d)[i])[0])[0];
	r = api_give(k, r);
fail:              /* every way here has r NULL but the last */
	if (!r) api_failed(k);
	API_LEAVE();
	return r;
}

K krt_dict_get(krt *k, K d, const char *key)
{
	API_ENTER(k);
	K r = NULL;
	if (!api_check(k, d)) goto fail;
	if (!key) {
		api_null(k, "krt_dict_get", "key");
		API_LEAVE();
		return NULL;
	}
	if (d->t != KT_DICT) { kerr("type"); goto fail; }
	ksym s = sym_c(key);
	if (!s) goto fail;
	K e = dict_entry(d, s);
	if (!e) { kerr("index"); goto fail; }
	r = api_give(k, ci(kK(e)[1]));
fail:              /* every way here has r NULL but the last */
	if (!r) api_failed(k);
	API_LEAVE();
	return r;
}

/* The console form of x, made at the heap limit too (from its reserve),
 * so that a full heap can still be looked at.  Borrows x. */
static K show(K x)
{
	kp_reserve(kc->heap, 1);
	K s = k_show(x);
	kp_reserve(kc->heap, 0);
	return s;
}

K krt_show(krt *k, K x)
{
	API_ENTER(k);
	K r = api_check(k, x) ? give(k, show(x)) : (api_failed(k), NULL);
	API_LEAVE();
	return r;
}

int krt_print(krt *k, K x, FILE *out)
{
	API_ENTER(k);
	int r = -1;
	if (!out) {
		api_null(k, "krt_print", "out");
		API_LEAVE();
		return -1;
	}
	K s = api_check(k, x) ? show(x) : NULL;
	if (s) {
		r = fwrite(kC(s), 1, (size_t)s->n, out) == (size_t)s->n && fputc('\n', out) != EOF ? 0 : -1;
		cd(s);
		if (r) {               /* the stream's errno, kept for the caller */
			int e = errno;
			kerr("domain");
			api_failed_msg(k, "domain error: krt_print: cannot write: %s", strerror(e));
			errno = e;
		}
	} else
		api_failed(k);
	API_LEAVE();
	return r;
}
