/* eval.c: running compiled code, and applying functions.
 *
 * A lambda's code is compiled once (lang/parse.c); a call makes a frame,
 * an array of slots on the C stack, puts its arguments in the first slots
 * and runs the statements.  Nodes evaluate their children right to left,
 * as K does.  Every function value kind (lang.h) is applied by k_call.
 */
#include <stdio.h>
#include <stdlib.h>
#include "node.h"
#include "verbs.h"
#include "sysfn.h"
#include "ktree.h"

#define MAX_DEPTH 100000   /* calls; the C stack usually ends it first */

typedef struct frame {
	K *slot;       /* the lambda's slots, or NULL at top level */
	K self;        /* the running lambda (_f), borrowed */
	K ret;         /* the value of a :x return on its way out */
} frame;

/* A :x return unwinds like an error, with this name, to the lambda (or the
 * top-level code) it returns from, which then takes frame.ret. */
static const char return_mark[] = "return";

/* A recursive comparison or hash that ran out of C stack records the error
 * stack and answers on (it cannot fail otherwise); the verb's result is
 * then refused here.  Consumes r. */
static K checked(K r)
{
	if (r && kc->err && !strcmp(kc->err, "stack")) { cd(r); return NULL; }
	return r;
}

/* A node that failed: the first one to fail since the error was raised
 * is the innermost, whose place the error report shows.  Returns r. */
static K failed(K x, K r)
{
	if (!r && (!KL->errnode || KL->errnode_seq != kc->errseq)) {
		KL->errnode = x;
		KL->errnode_seq = kc->errseq;
	}
	return r;
}

/* The value of a body that stopped with r (NULL: error or return). */
static K returned(frame *fr, K r)
{
	if (r || kc->err != return_mark) return r;
	kerr_clear();
	r = fr->ret;
	fr->ret = NULL;
	return r;
}

static K ev(K x, frame *fr);

/* ---- function values ------------------------------------------------ */

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

/* Is f data with ' / or \ (1 1 1/)?  Such an f given one argument in
 * brackets is a valence error in Kona, though f x works. */
static int noun_derived(K f)
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

/* A projection of f with the n arguments a (NULL where elided) and room
 * for `missing` more at the end.  Borrows f, consumes a. */
static K project(K f, int n, K *a, int missing)
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

static void release(int n, K *a) { for (int i = 0; i < n; i++) cd(a[i]); }

static K call_lambda(K f, int n, K *a)
{
	K code = kK(f)[1];
	int64_t *meta = kI(kK(code)[0]);
	int nslots = (int)meta[1], valence = (int)meta[0];
	K slot[nslots > 0 ? nslots : 1];
	for (int i = 0; i < nslots; i++) slot[i] = i < n && i < valence ? a[i] : NULL;
	for (int i = valence; i < n; i++) cd(a[i]);   /* {[] ..} 0 */
	if (f->n == 3)      /* a closure's captured values */
		for (int64_t i = 0; i < meta[2]; i++) slot[meta[3 + i]] = ci(kK(kK(f)[2])[i]);
	if (++KL->depth > MAX_DEPTH) {
		KL->depth--;
		release(nslots, slot);
		return kerr("stack");
	}
	/* its globals are those of the directory it was defined in */
	ktree_place outer;
	if (ktree_enter((ksym)(intptr_t)meta[kK(code)[0]->n - 1], &outer)) {
		KL->depth--;
		release(nslots, slot);
		return NULL;
	}
	frame fr = { slot, f, NULL };
	K r = NULL;
	for (int64_t i = 2; i < code->n; i++) {
		cd(r);
		K s = kK(code)[i];
		r = s ? ev(s, &fr) : k_null();
		if (!r) break;
	}
	r = returned(&fr, r);
	if (!r && !KL->errsrc && KL->errnode && KL->errnode_seq == kc->errseq) {
		int at = node_place(kK(code)[0], 3 + meta[2], KL->errnode);
		K text = kK(f)[0];
		if (at >= 0 && (KL->errsrc = malloc(text->n + 1))) {
			memcpy(KL->errsrc, kC(text), text->n + 1);
			KL->errpos = at;
		}
	}
	if (!r && KL->breakmode == 't' && kc->err != lang_exit_mark && kc->err != k_break_mark)
		lang_trace(f);
	if (!r && KL->suspend && KL->errmode && KL->breakmode == 's' && !KL->unwinding && KL->nsusp < 64 && kc->err && strcmp(kc->err, "stack")
	    && kc->err != lang_exit_mark && kc->err != k_break_mark) {
		KL->susp[KL->nsusp++] = &fr;
		K v = KL->suspend(KL->suspend_ud);
		KL->nsusp--;
		if (v) { kerr_clear(); r = v; }
		else KL->unwinding = 1;
	}
	ktree_leave(&outer);
	KL->depth--;
	release(nslots, slot);
	return r;
}

/* As k_call; `bracket` says the arguments were written f[..], where a
 * dyadic verb given one argument is projected rather than applied. */
static K call(K f, int n, K *a, int bracket)
{
	if (!k_stack_ok()) { release(n, a); return kerr("stack"); }
	if (k_broken()) { release(n, a); return NULL; }
	if (f->t == KT_SYM) {      /* `a[i]: index the global a (_n if unset) */
		K g = ktree_get(kS(f)[0]);
		if (!g && kc->err && !strcmp(kc->err, "value")) { kerr_clear(); g = k_null(); }
		if (!g) { release(n, a); return NULL; }
		K r = call(g, n, a, bracket);
		cd(g);
		return r;
	}
	if (f->t == KT_DICT && n == 1 && a[0] && a[0]->t == -KT_CHAR) {
		/* .k["c+1"]: a directory indexed by a string runs it there */
		ksym dir = ktree_path_of(f);
		if (dir) {
			ktree_place outer;
			K r = ktree_enter(dir, &outer) ? NULL : eval_string(kC(a[0]), a[0]->n);
			ktree_leave(&outer);
			cd(a[0]);
			return r;
		}
	}
	if (f->t != KT_FUNC) {
		if (n == 1) {
			K i = a[0] ? a[0] : k_null();
			return i ? k_at(ci(f), i) : NULL;
		}
		K path = k_list(n);
		if (!path) { release(n, a); return NULL; }
		for (int i = 0; i < n; i++) kK(path)[i] = a[i] ? a[i] : k_null();
		for (int i = 0; i < n; i++) if (!kK(path)[i]) { cd(path); return NULL; }
		return k_dot(ci(f), path);
	}
	int elided = 0;
	for (int i = 0; i < n; i++) elided |= !a[i];
	switch (f->a) {
	case FK_VERB1:
	case FK_VERB: {
		int v = f->u;
		int most = v == V_AT ? 4 : v == V_FIND ? 3 : 2;
		/* +[1;;;] is a valence error; .[;;;;] a projection (Kona) that
		 * fails when it is applied */
		if (n > most && v != V_DOT) { release(n, a); return kerr("valence"); }
		if (elided && !(n == 1 && f->a == FK_VERB1)) return project(f, n, a, 0);
		if (n == 1 && f->a == FK_VERB && bracket) return project(f, 1, a, 1);   /* +[1] */
		if (n == 1) return checked(v >= V_IO0 ? verb_io_monad(v - V_IO0, a[0]) : verb_monad[v](a[0]));
		if (n == 2 && f->a == FK_VERB) return checked(v >= V_IO0 ? verb_io_dyad(v - V_IO0, a[0], a[1]) : verb_dyad[v](a[0], a[1]));
		if ((n == 3 || n == 4) && v == V_AT) return index_at_n(n, a);
		if ((n == 3 || n == 4) && v == V_DOT) return index_dot_n(n, a);
		if (n == 3 && v == V_FIND) return verb_find_from(a[0], a[1], a[2]);
		release(n, a);
		return kerr("valence");
	}
	case FK_DERIVED: {
		if (elided) return project(f, n, a, 0);
		K g = kK(f)[0];
		/* +'/[x;y], +//[x;y]: a verb derived from a dyad folds from x here,
		 * where infix x +'/ y with an int x repeats (Kona) */
		if (bracket && n == 2 && (f->u == AV_OVER || f->u == AV_SCAN)
		    && g->t == KT_FUNC && g->a == FK_DERIVED && fn_valence(g) >= 2)
			return adverb_fold(f->u == AV_SCAN, g, a[0], a[1]);
		return adverb_apply(f->u, g, n, a);
	}
	case FK_LAMBDA: {
		int v = f->u;
		if (n == 1 && !a[0] && v <= 1) { a[0] = k_null(); if (!a[0]) return NULL; elided = 0; }
		if (n > v && !(v == 0 && n == 1)) { release(n, a); return kerr("valence"); }
		if (elided || n < v) return project(f, n, a, v - n);
		return call_lambda(f, n, a);
	}
	case FK_PROJ: {
		int holes = f->u;
		if (n > holes) { release(n, a); return kerr("valence"); }
		int m = (int)f->n - 1, j = 0;
		K full[m];
		for (int i = 0; i < m; i++) {
			K fixed = kK(f)[1 + i];
			full[i] = fixed ? ci(fixed) : j < n ? a[j++] : NULL;
		}
		int still = 0;
		for (int i = 0; i < m; i++) still |= !full[i];
		if (still) {
			K p = project(kK(f)[0], m, full, 0);
			return p;
		}
		return k_call(kK(f)[0], m, full);
	}
	case FK_COMP: {
		/* children applied right to left: the last gets the arguments */
		K r = k_call(kK(f)[f->n - 1], n, a);
		for (int64_t i = f->n - 2; r && i >= 0; i--) r = k_call1(kK(f)[i], r);
		return r;
	}
	case FK_SYSFN: {
		const sysfn *s = &sysfn_table[f->u];
		if (n > s->valence && !(n == 1 && s->valence == 0)) { release(n, a); return kerr("valence"); }
		if (elided) return project(f, n, a, 0);
		if (n == 1 && s->monad) return checked(s->monad(a[0]));
		if (n == 2 && s->dyad) return checked(s->dyad(a[0], a[1]));
		if (n == 3 && s->triad) return checked(s->triad(a[0], a[1], a[2]));
		if (n < s->valence) return project(f, n, a, s->valence - n);
		if (n == 0 && s->valence == 0) { K z = k_null(); return z ? s->monad(z) : NULL; }
		release(n, a);
		return kerr("valence");
	}
	case FK_CFUNC: {
		typedef K (*cfn)(int, K *);
		cfn c;
		int64_t bits = kI(kK(f)[0])[0];
		memcpy(&c, &bits, sizeof c);
		if (n > f->u) { release(n, a); return kerr("valence"); }
		if (elided || n < f->u) return project(f, n, a, elided ? 0 : f->u - n);
		K r = c(n, a);
		return r;
	}
	}
	release(n, a);
	return kerr("type");
}

K k_call(K f, int n, K *a) { return call(f, n, a, 0); }
K k_call1(K f, K x) { return k_call(f, 1, &x); }
K k_call_brackets(K f, int n, K *a) { return call(f, n, a, 1); }
K k_call2(K f, K x, K y) { K a[2] = { x, y }; return k_call(f, 2, a); }

/* ---- evaluation ------------------------------------------------------ */

/* The int a condition or a do count stands for: an int atom, or the one
 * item of a list at any depth (,,1), as in Kona; NULL for anything else.
 * Borrows v; the result is borrowed from it. */
static const int64_t *the_int(K v)
{
	while (v->t == KT_LIST && v->n == 1) v = kK(v)[0];
	return v->t == KT_INT || (v->t == -KT_INT && v->n == 1) ? kI(v) : NULL;
}

/* Is v true as a condition?  -1 (error) when it stands for no int. */
static int truth(K v)
{
	const int64_t *i = the_int(v);
	return i ? *i != 0 : -1;
}

/* Evaluate the condition c: 1 true, 0 false, -1 an error.  An elided
 * condition (if[;..], :[0;1;;2]) is a type error, as in Kona. */
static int holds(K c, frame *fr)
{
	if (!c) { kerr("type"); return -1; }
	K t = ev(c, fr);
	if (!t) return -1;
	int b = truth(t);
	cd(t);
	if (b < 0) kerr("type");
	return b;
}

static K eval_children(K x, int from, frame *fr, K *out)
{
	for (int64_t i = x->n - 1; i >= from; i--) {
		K c = kK(x)[i];
		out[i - from] = c ? ev(c, fr) : NULL;
		if (c && !out[i - from]) {
			for (int64_t j = x->n - 1; j > i; j--) cd(out[j - from]);
			return NULL;
		}
	}
	return x;
}

/* Run statements children [from, n) of x (a body); the last value. */
static K run_body(K x, int from, frame *fr)
{
	K r = NULL;
	if (from >= x->n) return k_null();
	for (int64_t i = from; i < x->n; i++) {
		cd(r);
		K s = kK(x)[i];
		r = s ? ev(s, fr) : k_null();
		if (!r) return r;
	}
	return r;
}

static K signal_error(K v)
{
	if (v->t == KT_CHAR) kerr_text(kC(v), 1);
	else if (v->t == -3) kerr_text(kC(v), v->n);
	else if (v->t == KT_SYM) kerr_text(kS(v)[0], strlen(kS(v)[0]));
	else kerr("type");
	cd(v);
	return NULL;
}

/* The index of an assignment a[i;j]: one value, or a list for several. */
static K set_index(K idx, frame *fr, int *depth)
{
	int n = (int)idx->n;
	*depth = n;
	if (n == 1) {
		K c = kK(idx)[0];
		return c ? ev(c, fr) : k_null();
	}
	K path = k_list(n);
	if (!path) return NULL;
	for (int i = n - 1; i >= 0; i--) {
		K c = kK(idx)[i];
		K v = c ? ev(c, fr) : k_null();
		if (!v) { for (int j = 0; j < i; j++) kK(path)[j] = NULL; cd(path); return NULL; }
		kK(path)[i] = v;
	}
	return path;
}

/* Might applying op run K code (which could change the K-tree)?  Only the
 * primitives that apply or evaluate do, besides lambdas and the like. */
static int runs_code(K op)
{
	if (!op) return 0;
	if (op->t != KT_FUNC || (op->a != FK_VERB && op->a != FK_VERB1)) return 1;
	return op->u == V_DOT || op->u == V_AT || op->u >= V_IO0;
}

/* The update done on a copy of the variable's value: the variable takes
 * the new value only once it, and the value the assignment gives, are
 * whole, so that a failure of any kind leaves it as it was.  Consumes i
 * and v; borrows op. */
static K update_copy(ksym name, int global, K *cell, K i, int depth, K op, K v)
{
	K old = ci(*cell), shown = NULL, r;
	int moved = global && runs_code(op);
	if (i) {
		/* a[i]:v and a[i]+:v give the new a[i] */
		K keep = ci(i);
		r = depth == 1 ? k_amend_at(old, i, op, v) : k_amend_dot(old, i, op, v);
		if (r) shown = depth == 1 ? k_at(ci(r), keep) : k_dot(ci(r), keep);
		else cd(keep);
		if (r && !shown) { cd(r); return NULL; }
	} else
		r = v ? k_call2(op, old, v) : k_call1(op, old);
	if (!r) return NULL;
	if (moved) {
		cell = ktree_cell(name, 1);     /* op may have changed the tree */
		if (!cell || ktree_reaches(r)) {
			if (cell) kerr("cycle");
			cd(r);
			cd(shown);
			return NULL;
		}
	}
	cd(*cell);
	*cell = r;
	return shown ? shown : ci(r);
}

static K assign(K x, frame *fr)
{
	int flags = x->u;
	ksym name = kS(kK(x)[0])[0];
	K slotk = kK(x)[1], idx = kK(x)[2], op = kK(x)[3], vx = kK(x)[4];
	/* right to left: the value, then the index */
	K v = NULL, i = NULL;
	int depth = 0;
	if (vx || !op) {          /* a-: has no value */
		v = vx ? ev(vx, fr) : k_null();
		if (!v) return NULL;
	}
	if (flags & SET_INDEXED) {
		i = set_index(idx, fr, &depth);
		if (!i) { cd(v); return NULL; }
	}
	int local = slotk->t == KT_INT && fr->slot;
	K *cell = local ? &fr->slot[kI(slotk)[0]] : ktree_cell(name, 1);
	if (!cell) { cd(v); cd(i); return NULL; }
	if (!(flags & (SET_INDEXED | SET_OP))) {
		if (!local && ktree_reaches(v)) { cd(v); return kerr("cycle"); }
		cd(*cell);
		*cell = ci(v);
		return v;
	}
	if (!*cell && !i) { cd(v); return kerr("value"); }
	if (!*cell && !(*cell = k_null())) { cd(v); cd(i); return NULL; }
	K shown;
	int done = update_in_place(cell, i, depth, op, v, &shown);
	if (done) {
		cd(v);
		cd(i);
		return done > 0 ? shown : NULL;
	}
	return update_copy(name, !local, cell, i, depth, op, v);
}

static K ev(K x, frame *fr)
{
	if (x->t != KT_NODE) return ci(x);
	if (!k_stack_ok()) return kerr("stack");
	K *c = kK(x);
	switch (x->a) {
	case N_LOCAL: {
		K v = fr->slot ? fr->slot[x->u] : NULL;
		return v ? ci(v) : kerr("value");
	}
	case N_GLOBAL: {
		K v = ktree_get(kS(c[0])[0]);
		if (!v && fr->self && kc->err && !strcmp(kc->err, "value")) {
			kerr_clear();     /* inside a lambda an unset global is _n */
			return k_null();
		}
		return v;
	}
	case N_MONAD: {
		K a = ev(c[0], fr);
		if (!a) return NULL;
		return failed(x, checked(x->u >= V_IO0 ? verb_io_monad(x->u - V_IO0, a) : verb_monad[x->u](a)));
	}
	case N_DYAD: {
		K b = ev(c[1], fr);
		if (!b) return NULL;
		K a = ev(c[0], fr);
		if (!a) { cd(b); return NULL; }
		return failed(x, checked(x->u >= V_IO0 ? verb_io_dyad(x->u - V_IO0, a, b) : verb_dyad[x->u](a, b)));
	}
	case N_CALL: {
		int n = (int)x->n - 1;
		K a[n > 0 ? n : 1];
		if (!eval_children(x, 1, fr, a)) return NULL;
		K f = ev(c[0], fr);
		if (!f) { release(n, a); return NULL; }
		K r;
		if (n == 1 && a[0] && noun_derived(f)) {
			release(n, a);         /* a/[0]: Kona says valence */
			r = kerr("valence");
		} else if (n == 1 && !a[0] && f->t == KT_FUNC && f->a != FK_VERB && f->a != FK_PROJ) {
			a[0] = k_null();      /* f[] */
			r = a[0] ? k_call(f, 1, a) : NULL;
		} else
			r = call(f, n, a, 1);
		cd(f);
		return failed(x, r);
	}
	case N_APPLY1:       /* f x, and x f y for a derived verb or _sysfn */
	case N_APPLY2: {
		int n = (int)x->n - 1;
		K a[2];
		if (!eval_children(x, 1, fr, a)) return NULL;
		K f = ev(c[0], fr);
		if (!f) { release(n, a); return NULL; }
		K r = k_call(f, n, a);
		cd(f);
		return failed(x, r);
	}
	case N_DERIVE: {
		K f = ev(c[0], fr);
		return f ? fn_derived(f, x->u) : NULL;
	}
	case N_LIST: {
		K l = k_list(x->n);
		if (!l) return NULL;
		for (int64_t i = x->n - 1; i >= 0; i--) {
			K v = c[i] ? ev(c[i], fr) : k_null();
			if (!v) { for (int64_t j = 0; j <= i; j++) kK(l)[j] = NULL; cd(l); return NULL; }
			kK(l)[i] = v;
		}
		return k_squeeze(l);
	}
	case N_SEQ:
		return run_body(x, 0, fr);
	case N_SET:
		return assign(x, fr);
	case N_COND: {
		int64_t i = 0;
		if (x->n > 1 && !c[0]) return kerr("valence");   /* :[;..], as Kona names it */
		for (; i + 1 < x->n; i += 2) {
			int b = holds(c[i], fr);
			if (b < 0) return NULL;
			if (b) return c[i + 1] ? ev(c[i + 1], fr) : k_null();
		}
		return i < x->n && c[i] ? ev(c[i], fr) : k_null();
	}
	case N_IF: {
		int b = holds(c[0], fr);
		if (b < 0) return NULL;
		if (!b) return k_null();
		K r = run_body(x, 1, fr);
		if (!r) return r;
		cd(r);
		return k_null();
	}
	case N_DO: {
		K t = c[0] ? ev(c[0], fr) : kerr("type");
		if (!t) return NULL;
		const int64_t *count = the_int(t);              /* do[,,2;..] too */
		if (!count) { cd(t); return kerr("type"); }
		int64_t n = *count;
		cd(t);
		for (int64_t i = 0; i < n; i++) {
			if (k_broken()) return NULL;
			K r = run_body(x, 1, fr);
			if (!r) return r;
			cd(r);
		}
		return k_null();
	}
	case N_WHILE:
		for (;;) {
			if (k_broken()) return NULL;
			int b = holds(c[0], fr);
			if (b < 0) return NULL;
			if (!b) return k_null();
			K r = run_body(x, 1, fr);
			if (!r) return r;
			cd(r);
		}
	case N_RETURN: {
		K r = ev(c[0], fr);
		if (!r) return NULL;
		cd(fr->ret);
		fr->ret = r;
		kc->err = return_mark;
		return NULL;
	}
	case N_CLOSURE: {
		K lam = c[0], from = c[1];
		K vals = k_list(from->n);
		K f = vals ? k_new(KT_FUNC, 3) : NULL;
		if (!f) { cd(vals); return NULL; }
		for (int64_t i = 0; i < from->n; i++) kK(vals)[i] = ci(fr->slot[kI(from)[i]]);
		f->a = FK_LAMBDA;
		f->u = lam->u;
		kK(f)[0] = ci(kK(lam)[0]);
		kK(f)[1] = ci(kK(lam)[1]);
		kK(f)[2] = vals;
		return f;
	}
	case N_COMPOSE: {
		K g = ev(c[1], fr);
		if (!g) return NULL;
		K f = ev(c[0], fr);
		if (!f) { cd(g); return NULL; }
		K r = k_new(KT_FUNC, 2);
		if (!r) { cd(f); cd(g); return NULL; }
		r->a = FK_COMP;
		r->u = (uint8_t)fn_valence(g);
		kK(r)[0] = f;
		kK(r)[1] = g;
		return r;
	}
	case N_SELF:
		return fr->self ? ci(fr->self) : k_null();       /* _f outside a lambda is _n, as in Kona */
	case N_SIGNAL: {
		K v = ev(c[0], fr);
		return v ? signal_error(v) : NULL;
	}
	}
	return kerr("nonce");
}

/* Run top-level code in frame fr; *resumed tells a :x return. */
static K eval_in(K code, int *assigned, frame fr, int *resumed)
{
	K r = NULL;
	*assigned = *resumed = 0;
	if (!code->n) return k_null();
	for (int64_t i = 0; i < code->n; i++) {
		cd(r);
		K s = kK(code)[i];
		*assigned = node_quiet(s, i == 0);
		r = s ? ev(s, &fr) : k_null();
		if (!r) break;
	}
	if (!r && kc->err == return_mark) *assigned = 0, *resumed = 1;
	return returned(&fr, r);
}

K eval_top(K code, int *assigned)
{
	int resumed;
	return eval_in(code, assigned, (frame){ NULL, NULL, NULL }, &resumed);
}

K suspended_names(void)
{
	if (!KL->nsusp) return NULL;
	frame *fr = KL->susp[KL->nsusp - 1];
	return kK(kK(fr->self)[1])[1];
}

K eval_suspended(K code, int *assigned, int *resumed)
{
	frame fr = { NULL, NULL, NULL };
	if (KL->nsusp) {
		frame *s = KL->susp[KL->nsusp - 1];
		fr.slot = s->slot;
		fr.self = s->self;
	}
	return eval_in(code, assigned, fr, resumed);
}

/* ---- the verbs that belong to evaluation ----------------------------- */

K verb_identity(K x) { return x; }
K verb_right(K x, K y) { cd(x); return y; }

/* Is s a name (a, a.b, .k.a, or the empty name)? */
static int valid_name(const char *s)
{
	for (const char *p = s; *p; p++) {
		char c = *p;
		int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		int digit = c >= '0' && c <= '9';
		int first = p == s || p[-1] == '.';
		if (!(letter || c == '.' || (!first && (digit || c == '_')))) return 0;
	}
	return 1;
}

K eval_string(const char *s, int64_t n)
{
	int pos, assigned;
	if (n > 1 && s[0] == '\\') return lang_command(s + 1, n - 1);
	K code = parse(s, n, &pos);
	if (!code) return NULL;
	K r = eval_top(code, &assigned);
	cd(code);
	return r;
}

/* .x: evaluate a string; the value of a symbol's global; a dictionary to
 * its list of (key;value;attributes) and back. */
K verb_value(K x)
{
	K r;
	switch (x->t) {
	case -3: r = eval_string(kC(x), x->n); break;
	case KT_CHAR: r = eval_string(kC(x), 1); break;
	case KT_SYM:
		if (!valid_name(kS(x)[0])) { r = kerr("domain"); break; }
		r = ktree_get(kS(x)[0]);
		if (!r && !strcmp(kc->err, "value")) { kerr_clear(); r = k_null(); }
		break;
	case KT_DICT: {
		r = k_list(x->n);
		if (r) for (int64_t i = 0; i < x->n; i++) kK(r)[i] = ci(kK(x)[i]);
		break;
	}
	case KT_LIST:
		if ((x->n == 3 || x->n == 4) && kK(x)[0]->t != KT_LIST) {   /* .(d;i;f;y) */
			K a[4];
			for (int64_t i = 0; i < x->n; i++) a[i] = ci(kK(x)[i]);
			r = index_dot_n((int)x->n, a);
			break;
		}
		{
		r = dict_new();
		for (int64_t i = 0; r && i < x->n; i++) {
			K e = kK(x)[i];
			if (e->t == -KT_SYM && (e->n == 2 || e->n == 3)) {     /* (`b;`c) */
				K v = k_symv(kS(e)[1]);
				r = v ? dict_set(r, kS(e)[0], v) : (cd(r), NULL);
				continue;
			}
			if (e->t != KT_LIST || e->n < 2 || e->n > 3 || kK(e)[0]->t != KT_SYM) { cd(r); r = kerr("type"); break; }
			r = dict_set(r, kS(kK(e)[0])[0], ci(kK(e)[1]));
		}
		break;
	}
	case KT_FUNC:
		r = kerr("nonce");
		break;
	default:
		r = kerr("type");
	}
	cd(x);
	return r;
}
