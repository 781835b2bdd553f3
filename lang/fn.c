/* fn.c: making and describing function values (lang/fn.h).  Applying them
 * is the evaluator's (lang/eval.c, through lang/apply.h). */
#include "fn.h"
#include "lang.h"
#include "sysfn.h"

K fn_verb(int verb, int monadic)
{
	K f = k_new(KT_FUNC, 0);
	if (!f) return NULL;
	f->a = monadic ? FK_VERB1 : FK_VERB;
	f->u = (uint8_t)verb;
	return f;
}

K fn_derived(K f, int adverb)
{
	K d = k_new(KT_FUNC, 1);
	if (!d) { cd(f); return NULL; }
	d->a = FK_DERIVED;
	d->u = (uint8_t)adverb;
	kK(d)[0] = f;
	return d;
}

K fn_lambda(K src, K code, int valence)
{
	K f = k_new(KT_FUNC, 2);
	if (!f) { cd(src); cd(code); return NULL; }
	f->a = FK_LAMBDA;
	f->u = (uint8_t)valence;
	kK(f)[0] = src;
	kK(f)[1] = code;
	return f;
}

K fn_closure(K lam, K vals)
{
	K f = k_new(KT_FUNC, 3);
	if (!f) { cd(vals); return NULL; }
	f->a = FK_LAMBDA;
	f->u = lam->u;
	kK(f)[0] = ci(kK(lam)[0]);
	kK(f)[1] = ci(kK(lam)[1]);
	kK(f)[2] = vals;
	return f;
}

K fn_compose(K f, K g)
{
	K r = k_new(KT_FUNC, 2);
	if (!r) { cd(f); cd(g); return NULL; }
	r->a = FK_COMP;
	r->u = (uint8_t)fn_valence(g);
	kK(r)[0] = f;
	kK(r)[1] = g;
	return r;
}

K fn_project(K f, int n, K *a, int missing)
{
	K p = k_new(KT_FUNC, 1 + n + missing);
	if (!p) { for (int i = 0; i < n; i++) cd(a[i]); return NULL; }
	p->a = FK_PROJ;
	kK(p)[0] = ci(f);
	int holes = missing;
	for (int i = 0; i < n; i++) { kK(p)[1 + i] = a[i]; holes += !a[i]; }
	for (int i = 0; i < missing; i++) kK(p)[1 + n + i] = NULL;
	p->u = (uint8_t)holes;
	return p;
}

int fn_noun_derived(K f)
{
	return f->t == KT_FUNC && f->a == FK_DERIVED && kK(f)[0]->t != KT_FUNC
		&& (f->u == AV_EACH || f->u == AV_OVER || f->u == AV_SCAN);
}

int fn_valence(K f)
{
	if (f->t != KT_FUNC) return 1;
	switch (f->a) {
	case FK_VERB: return 2;
	case FK_VERB1: return 1;
	case FK_DERIVED: {
		int v = fn_valence(kK(f)[0]);
		if (f->u == AV_EACH || f->u == AV_EACHPRIOR) return v;
		return v < 2 ? 1 : v;
	}
	case FK_LAMBDA: case FK_PROJ: case FK_COMP: case FK_CFUNC: return f->u;
	case FK_SYSFN: return sysfn_table[f->u].valence;
	}
	return 1;
}
