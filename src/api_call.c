/* api_call.c: libkrt's public API (krt.h), part three: globals, calling a
 * K function from C, and C functions callable from K.
 *
 * A C function value is a type-7 value of kind FK_CFUNC (lang/lang.h):
 * child 0 an int atom holding a pointer that lang/eval.c calls as
 * K f(int n, K *a), child 1 the name as a symbol atom, u the valence.  The
 * user's function takes the state as well (krt_cfunc), and eval.c passes
 * neither the state nor the function value, so the stored pointer is one of
 * KRT_MAX_CFUNCS fixed trampolines: trampoline i calls slot i of the
 * current state's table (api_current, set on entry to every API call, is
 * the state whose K code is running).  A state gives each distinct
 * (function, valence) one slot for its lifetime.
 */
#include <stdlib.h>
#include "api_priv.h"
#include "../lang/ktree.h"

/* ---- globals ----------------------------------------------------------- */

K krt_get(krt *k, const char *name)
{
	API_ENTER(k);
	K r = NULL;
	if (!name) api_null(k, "krt_get", "name");
	else {
		ksym s = sym_c(name);
		r = api_give(k, s ? ktree_get(s) : NULL);
		if (!r) api_failed(k);
	}
	API_LEAVE();
	return r;
}

int krt_set(krt *k, const char *name, K v)
{
	API_ENTER(k);
	if (!api_take(k, v)) goto fail;
	if (!name) {
		cd(v);
		api_null(k, "krt_set", "name");
		API_LEAVE();
		return -1;
	}
	if (!*name) { cd(v); kerr("domain"); goto fail; }   /* not the directory itself */
	ksym s = sym_c(name);
	K *cell = s ? ktree_cell(s, 1) : NULL;
	if (!cell) { cd(v); goto fail; }
	if (ktree_store_check(v)) { cd(v); goto fail; }
	cd(*cell);
	*cell = v;
	API_LEAVE();
	return 0;
fail:
	api_failed(k);
	API_LEAVE();
	return -1;
}

/* ---- calling K ------------------------------------------------------------ */

K krt_call(krt *k, K f, int n, K *args)
{
	API_ENTER(k);
	K r = NULL;
	kerr_clear();
	if (!args && n > 0) {
		api_null(k, "krt_call", "args");
		API_LEAVE();
		return NULL;
	}
	if (!api_check(k, f)) {
		for (int i = 0; i < n; i++)
			if (api_take(k, args[i])) cd(args[i]);
		kerr(f ? "owner" : "null");
		goto fail;
	}
	if (n < 1) { kerr("valence"); goto fail; }
	if (!api_take_all(k, n, args)) goto fail;
	k->running++;
	r = k_call(f, n, args);
	k->running--;
	r = api_give(k, r);
fail:              /* every way here has r NULL but the last */
	if (!r) api_failed(k);
	API_LEAVE();
	return r;
}

/* ---- C functions ------------------------------------------------------------ */

/* Run slot i of the current state with the n arguments a (consumed). */
static K cfunc_dispatch(int slot, int n, K *a)
{
	krt *k = api_current;
	if (!k || slot >= k->ncfuncs) {
		for (int i = 0; i < n; i++) cd(a[i]);
		return kerr("type");
	}
	const api_cfunc *c = &k->cfuncs[slot];
	if (c->valence == 0) {     /* f[] passes one _n */
		for (int i = 0; i < n; i++) cd(a[i]);
		n = 0;
	}
	/* the arguments become the C function's to consume */
	for (int i = 0; i < n; i++)
		if (!api_give(k, a[i])) {
			for (int j = 0; j < i; j++) api_take(k, a[j]);
			for (int j = i + 1; j < n; j++) cd(a[j]);
			for (int j = 0; j < i; j++) cd(a[j]);
			return NULL;
		}
	kerr_clear();
	K r = c->fn(k, n, a);
	if (!r) return kc->err ? NULL : kerr("domain");
	if (!api_take(k, r)) return NULL;     /* not a value of this state */
	return r;
}

#define TRAMPOLINE(h, l) \
	static K trampoline_##h##l(int n, K *a) { return cfunc_dispatch(0x##h##l, n, a); }
#define TRAMPOLINES(h) \
	TRAMPOLINE(h, 0) TRAMPOLINE(h, 1) TRAMPOLINE(h, 2) TRAMPOLINE(h, 3) \
	TRAMPOLINE(h, 4) TRAMPOLINE(h, 5) TRAMPOLINE(h, 6) TRAMPOLINE(h, 7) \
	TRAMPOLINE(h, 8) TRAMPOLINE(h, 9) TRAMPOLINE(h, a) TRAMPOLINE(h, b) \
	TRAMPOLINE(h, c) TRAMPOLINE(h, d) TRAMPOLINE(h, e) TRAMPOLINE(h, f)
TRAMPOLINES(0) TRAMPOLINES(1) TRAMPOLINES(2) TRAMPOLINES(3)
TRAMPOLINES(4) TRAMPOLINES(5) TRAMPOLINES(6) TRAMPOLINES(7)
TRAMPOLINES(8) TRAMPOLINES(9) TRAMPOLINES(a) TRAMPOLINES(b)
TRAMPOLINES(c) TRAMPOLINES(d) TRAMPOLINES(e) TRAMPOLINES(f)

typedef K (*trampoline)(int, K *);
#define ROW(h) \
	trampoline_##h##0, trampoline_##h##1, trampoline_##h##2, trampoline_##h##3, \
	trampoline_##h##4, trampoline_##h##5, trampoline_##h##6, trampoline_##h##7, \
	trampoline_##h##8, trampoline_##h##9, trampoline_##h##a, trampoline_##h##b, \
	trampoline_##h##c, trampoline_##h##d, trampoline_##h##e, trampoline_##h##f
static const trampoline trampolines[KRT_MAX_CFUNCS] = {
	ROW(0), ROW(1), ROW(2), ROW(3), ROW(4), ROW(5), ROW(6), ROW(7),
	ROW(8), ROW(9), ROW(a), ROW(b), ROW(c), ROW(d), ROW(e), ROW(f),
};
_Static_assert(KRT_MAX_CFUNCS == 256, "one trampoline per slot");

/* The slot of (fn, valence) in the current state, given one if new; -1
 * with "limit" when all are taken. */
static int slot_for(krt *k, krt_cfunc fn, int valence)
{
	for (int i = 0; i < k->ncfuncs; i++)
		if (k->cfuncs[i].fn == fn && k->cfuncs[i].valence == valence) return i;
	if (k->ncfuncs == KRT_MAX_CFUNCS) { kerr("limit"); return -1; }
	k->cfuncs[k->ncfuncs] = (api_cfunc){ fn, valence };
	return k->ncfuncs++;
}

/* A function value for slot i named `name`. */
static K cfunc_value(int slot, const char *name, int valence)
{
	ksym s = sym_c(name);
	if (!s) return NULL;
	K f = k_new(KT_FUNC, 2);
	if (!f) return NULL;
	f->a = FK_CFUNC;
	f->u = (uint8_t)(valence ? valence : 1);   /* f[] passes one _n */
	kK(f)[0] = kK(f)[1] = NULL;
	kK(f)[0] = k_int(0);
	kK(f)[1] = k_symv(s);
	if (!kK(f)[0] || !kK(f)[1]) { cd(f); return NULL; }
	trampoline t = trampolines[slot];
	int64_t bits = 0;
	memcpy(&bits, &t, sizeof t);
	kI(kK(f)[0])[0] = bits;
	return f;
}

K krt_cfunction(krt *k, const char *name, krt_cfunc fn, int valence)
{
	API_ENTER(k);
	K r = NULL;
	if (!fn || !name) {
		api_null(k, "krt_cfunction", fn ? "name" : "fn");
		API_LEAVE();
		return NULL;
	}
	if (valence < 0 || valence > 8) { kerr("valence"); goto fail; }
	int slot = slot_for(k, fn, valence);
	if (slot < 0) goto fail;
	r = api_give(k, cfunc_value(slot, name, valence));
fail:              /* every way here has r NULL but the last */
	if (!r) api_failed(k);
	API_LEAVE();
	return r;
}

/* How 2: (lang/sys_dl.c) makes a K function of a krt_cfunc found in a
 * shared library, in the state running (api_current). */
K api_make_cfunc(void *fn, const char *name, int valence)
{
	krt *k = api_current;
	krt_cfunc f;
	if (!k) return kerr("type");
	if (valence < 0 || valence > 8) return kerr("valence");
	memcpy(&f, &fn, sizeof f);
	int slot = slot_for(k, f, valence);
	return slot < 0 ? NULL : cfunc_value(slot, name, valence);
}

int krt_register(krt *k, const char *name, krt_cfunc fn, int valence)
{
	K f = krt_cfunction(k, name, fn, valence);
	return f ? krt_set(k, name, f) : -1;
}
