/* eval.c: running compiled code, and applying functions (lang/apply.h).
 *
 * The call path
 * -------------
 * A lambda's code is compiled once (lang/parse.c): a tree of nodes whose
 * names are resolved to frame slots (locals) or symbols (globals).  A call
 * makes a frame, an array of slots on the C stack, moves its arguments
 * into the first slots (they are consumed: no count is taken), runs the
 * statements and releases the slots; it allocates nothing itself.  Nodes
 * evaluate their children right to left, as K does.  k_call applies every
 * kind of function value (lang/fn.h); ev_call tries a lambda given all its
 * arguments first and borrows _f and constant functions from the code.
 *
 * What makes it fast is what it does not do per call or per node:
 *  - no atom where none is needed: a dyad of constants and int locals
 *    (x<2, x-1) is computed from the borrowed operands, with no recursive
 *    ev and no count taken and dropped; as a condition it makes no atom at
 *    all; two int atoms meet + - * < > = | & here, not through the verb's
 *    type dispatch, and the result goes into an operand nothing else holds;
 *  - no stack probe into the runtime per node: the deepest address at
 *    which k_stack_ok held answers for every frame above it (stack_ok);
 *  - no K-tree walk to enter the directory a lambda was defined in when it
 *    is the current one; no error bookkeeping until something fails (the
 *    failing node, the text of the lambda, trace and suspension are all in
 *    lambda_failed, on the way out);
 *  - in the adverbs (lang/adverb.c), no atom per item: each and over hand
 *    f an atom for item i that is the one of item i-1 written over when f
 *    kept nothing of it, and each stores atom results straight into a
 *    vector instead of a list of atoms squeezed at the end.
 * CPU time (user+sys, medians of 7 runs on the 2-core test machine, the
 * same work in Lua 5.4 in the same run; before = this file as it was):
 *      fib 22 (57,000 calls)   5.9 ms -> 2.5 ms    Lua 1.0 ms
 *      {x+1}'v, 10^6 ints      180 ms -> 30 ms     Lua 97 ms
 *      {x+y}/v, 10^6 ints       46 ms -> 22 ms     Lua 22 ms
 * fib stays 2.5x Lua: each call still makes one atom (its argument x-1,
 * which the callee owns and may keep) and walks about six nodes; going
 * further needs unboxed ints in the frame or code compiled to closures.
 */
#include <stdio.h>
#include <stdlib.h>
#include "node.h"
#include "apply.h"
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
static K run_body(K x, int from, frame *fr);

/* k_stack_ok for the evaluator, which asks at every node: an address at
 * which it held, on this thread, answers for every address above it (the
 * stack grows down and its floor is fixed per thread), so that only a
 * frame deeper than any before needs the real check. */
static _Thread_local uintptr_t stack_ok_above;
static inline int stack_ok(void)
{
	char probe;
	uintptr_t at = (uintptr_t)&probe;
	if (stack_ok_above && at >= stack_ok_above) return 1;
	if (!k_stack_ok()) return 0;
	stack_ok_above = at;
	return 1;
}

static void release(int n, K *a) { for (int i = 0; i < n; i++) cd(a[i]); }

/* A failed lambda call: note where in its text the error is (the first
 * lambda the error leaves, if its node is known), trace it (\b t) and
 * suspend at it (\b s) when the session asks.  Returns the value a
 * suspension resumes with, or NULL to let the error go on. */
static K lambda_failed(K f, frame *fr)
{
	K code = kK(f)[1];
	int64_t *meta = kI(kK(code)[0]);
	if (!KL->errsrc && KL->errnode && KL->errnode_seq == kc->errseq) {
		int at = node_place(kK(code)[0], 3 + meta[2], KL->errnode);
		K text = kK(f)[0];
		if (at >= 0 && (KL->errsrc = malloc(text->n + 1))) {
			memcpy(KL->errsrc, kC(text), text->n + 1);
			KL->errpos = at;
		}
	}
	int mark = kc->err == lang_exit_mark || kc->err == k_break_mark;
	if (KL->breakmode == 't' && !mark) lang_trace(f);
	if (!KL->suspend || !KL->errmode || KL->breakmode != 's' || KL->unwinding
	    || KL->nsusp >= 64 || !kc->err || !strcmp(kc->err, "stack") || mark)
		return NULL;
	KL->susp[KL->nsusp++] = fr;
	K v = KL->suspend(KL->suspend_ud);
	KL->nsusp--;
	if (v) kerr_clear();
	else KL->unwinding = 1;
	return v;
}

/* Run lambda f, whose n arguments (n <= its valence, none elided) are
 * a[0..n-1] (consumed; {[] ..} 0 drops its one). */
static K call_lambda(K f, int n, K *a)
{
	K code = kK(f)[1];
	int64_t *meta = kI(kK(code)[0]);
	int nslots = (int)meta[1], valence = (int)meta[0];
	K slot[nslots > 0 ? nslots : 1];
	for (int i = 0; i < nslots; i++) slot[i] = i < n && i < valence ? a[i] : NULL;
	for (int i = valence; i < n; i++) cd(a[i]);
	if (f->n == 3)      /* a closure's captured values */
		for (int64_t i = 0; i < meta[2]; i++) slot[meta[3 + i]] = ci(kK(kK(f)[2])[i]);
	K r = NULL;
	ktree_place outer;
	if (++KL->depth > MAX_DEPTH) {
		kerr("stack");
		goto out;
	}
	/* its globals are those of the directory it was defined in (mostly
	 * the current one: then nothing to do) */
	ksym dir = (ksym)(intptr_t)meta[kK(code)[0]->n - 1];
	outer.path = NULL;
	if (dir != KL->dir && ktree_enter(dir, &outer)) goto out;
	frame fr = { slot, f, NULL };
	r = returned(&fr, run_body(code, 2, &fr));
	if (!r) r = lambda_failed(f, &fr);
	if (outer.path) ktree_leave(&outer);
out:
	KL->depth--;
	release(nslots, slot);
	return r;
}

/* ---- applying each kind of function -------------------------------- */

static K call(K f, int n, K *a, int bracket);

/* `a[i]: the global a (_n if unset) applied.  Borrows f. */
static K call_symbol(K f, int n, K *a, int bracket)
{
	K g = ktree_get(kS(f)[0]);
	if (!g && kc->err && !strcmp(kc->err, "value")) { kerr_clear(); g = k_null(); }
	if (!g) { release(n, a); return NULL; }
	K r = call(g, n, a, bracket);
	cd(g);
	return r;
}

/* Data applied: indexing, x[i] or x[i;j..] (an elided index takes all).
 * A directory indexed by a string, .k["c+1"], runs it there.  Borrows f. */
static K call_data(K f, int n, K *a)
{
	if (f->t == KT_DICT && n == 1 && a[0] && a[0]->t == -KT_CHAR) {
		ksym dir = ktree_path_of(f);
		if (dir) {
			ktree_place outer;
			K r = ktree_enter(dir, &outer) ? NULL : eval_string(kC(a[0]), a[0]->n);
			ktree_leave(&outer);
			cd(a[0]);
			return r;
		}
	}
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

static K call_verb(K f, int n, K *a, int elided, int bracket)
{
	int v = f->u, monadic = f->a == FK_VERB1;
	int most = v == V_AT ? 4 : v == V_FIND ? 3 : 2;
	/* +[1;;;] is a valence error; .[;;;;] a projection (Kona) that fails
	 * when it is applied */
	if (n > most && v != V_DOT) { release(n, a); return kerr("valence"); }
	if (elided && !(n == 1 && monadic)) return fn_project(f, n, a, 0);
	if (n == 1 && !monadic && bracket) return fn_project(f, 1, a, 1);   /* +[1] */
	if (n == 1) return checked(v >= V_IO0 ? verb_io_monad(v - V_IO0, a[0]) : verb_monad[v](a[0]));
	if (n == 2 && !monadic) return checked(v >= V_IO0 ? verb_io_dyad(v - V_IO0, a[0], a[1]) : verb_dyad[v](a[0], a[1]));
	if ((n == 3 || n == 4) && v == V_AT) return index_at_n(n, a);
	if ((n == 3 || n == 4) && v == V_DOT) return index_dot_n(n, a);
	if (n == 3 && v == V_FIND) return verb_find_from(a[0], a[1], a[2]);
	release(n, a);
	return kerr("valence");
}

static K call_derived(K f, int n, K *a, int elided, int bracket)
{
	if (elided) return fn_project(f, n, a, 0);
	K g = kK(f)[0];
	/* +'/[x;y], +//[x;y]: a verb derived from a dyad folds from x here,
	 * where infix x +'/ y with an int x repeats (Kona) */
	if (bracket && n == 2 && (f->u == AV_OVER || f->u == AV_SCAN)
	    && g->t == KT_FUNC && g->a == FK_DERIVED && fn_valence(g) >= 2)
		return adverb_fold(f->u == AV_SCAN, g, a[0], a[1]);
	return adverb_apply(f->u, g, n, a);
}

static K call_lambda_checked(K f, int n, K *a, int elided)
{
	int v = f->u;
	if (n == 1 && !a[0] && v <= 1) { a[0] = k_null(); if (!a[0]) return NULL; elided = 0; }
	if (n > v && !(v == 0 && n == 1)) { release(n, a); return kerr("valence"); }
	if (elided || n < v) return fn_project(f, n, a, v - n);
	return call_lambda(f, n, a);
}

/* A projection's fixed arguments with a[0..n-1] in its holes. */
static K call_projection(K f, int n, K *a)
{
	if (n > f->u) { release(n, a); return kerr("valence"); }
	int m = (int)f->n - 1, j = 0, still = 0;
	K full[m];
	for (int i = 0; i < m; i++) {
		K fixed = kK(f)[1 + i];
		full[i] = fixed ? ci(fixed) : j < n ? a[j++] : NULL;
		still |= !full[i];
	}
	if (still) return fn_project(kK(f)[0], m, full, 0);
	return k_call(kK(f)[0], m, full);
}

/* A composition's children applied right to left: the last gets the
 * arguments. */
static K call_composition(K f, int n, K *a)
{
	K r = k_call(kK(f)[f->n - 1], n, a);
	for (int64_t i = f->n - 2; r && i >= 0; i--) r = k_call1(kK(f)[i], r);
	return r;
}

static K call_sysfn(K f, int n, K *a, int elided)
{
	const sysfn *s = &sysfn_table[f->u];
	if (n > s->valence && !(n == 1 && s->valence == 0)) { release(n, a); return kerr("valence"); }
	if (elided) return fn_project(f, n, a, 0);
	if (n == 1 && s->monad) return checked(s->monad(a[0]));
	if (n == 2 && s->dyad) return checked(s->dyad(a[0], a[1]));
	if (n == 3 && s->triad) return checked(s->triad(a[0], a[1], a[2]));
	if (n < s->valence) return fn_project(f, n, a, s->valence - n);
	if (n == 0 && s->valence == 0) { K z = k_null(); return z ? s->monad(z) : NULL; }
	release(n, a);
	return kerr("valence");
}

static K call_cfunc(K f, int n, K *a, int elided)
{
	typedef K (*cfn)(int, K *);
	cfn c;
	int64_t bits = kI(kK(f)[0])[0];
	memcpy(&c, &bits, sizeof c);
	if (n > f->u) { release(n, a); return kerr("valence"); }
	if (elided || n < f->u) return fn_project(f, n, a, elided ? 0 : f->u - n);
	return c(n, a);
}

/* As k_call; `bracket` says the arguments were written f[..], where a
 * dyadic verb given one argument is projected rather than applied. */
static K call(K f, int n, K *a, int bracket)
{
	if (!stack_ok()) { release(n, a); return kerr("stack"); }
	if (k_broken()) { release(n, a); return NULL; }
	if (f->t == KT_SYM) return call_symbol(f, n, a, bracket);
	if (f->t != KT_FUNC) return call_data(f, n, a);
	int elided = 0;
	for (int i = 0; i < n; i++) elided |= !a[i];
	switch (f->a) {
	case FK_VERB1:
	case FK_VERB: return call_verb(f, n, a, elided, bracket);
	case FK_DERIVED: return call_derived(f, n, a, elided, bracket);
	case FK_LAMBDA: return call_lambda_checked(f, n, a, elided);
	case FK_PROJ: return call_projection(f, n, a);
	case FK_COMP: return call_composition(f, n, a);
	case FK_SYSFN: return call_sysfn(f, n, a, elided);
	case FK_CFUNC: return call_cfunc(f, n, a, elided);
	}
	release(n, a);
	return kerr("type");
}

K k_call(K f, int n, K *a) { return call(f, n, a, 0); }
K k_call1(K f, K x) { return k_call(f, 1, &x); }
K k_call_brackets(K f, int n, K *a) { return call(f, n, a, 1); }
K k_call2(K f, K x, K y) { K a[2] = { x, y }; return k_call(f, 2, a); }

/* ---- evaluation ------------------------------------------------------ */

/* a v b for two int atoms and a verb whose int rule is one C operation
 * (as lang/arith.c has it: + - * wrap around, < > = compare, | & are max
 * and min): 1 with the value in *r, else 0. */
static int int_dyad(int v, int64_t a, int64_t b, int64_t *r)
{
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
	switch (v) {
	case V_PLUS: *r = (int64_t)(ua + ub); return 1;
	case V_MINUS: *r = (int64_t)(ua - ub); return 1;
	case V_TIMES: *r = (int64_t)(ua * ub); return 1;
	case V_LESS: *r = a < b; return 1;
	case V_MORE: *r = a > b; return 1;
	case V_EQUAL: *r = a == b; return 1;
	case V_MAX: *r = a > b ? a : b; return 1;
	case V_MIN: *r = a < b ? a : b; return 1;
	}
	return 0;
}

/* The value of node c when it can be had without running anything: a
 * constant, or a local that is set; borrowed.  NULL for anything else. */
static inline K peek(K c, frame *fr)
{
	if (!c) return NULL;
	if (c->t != KT_NODE) return c;
	return c->a == N_LOCAL && fr->slot ? fr->slot[c->u] : NULL;
}

/* Dyad node x (a v b) whose operands are constants or locals holding int
 * atoms, as in x<2 or x-1: 1 with its value in *r, computed from the
 * borrowed operands with no atom made or counted; 0 for any other node. */
static int int_node(K x, frame *fr, int64_t *r)
{
	if (x->t != KT_NODE || x->a != N_DYAD) return 0;
	K a = peek(kK(x)[0], fr), b = peek(kK(x)[1], fr);
	return a && b && a->t == KT_INT && b->t == KT_INT && int_dyad(x->u, kI(a)[0], kI(b)[0], r);
}

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
	int64_t i;
	if (int_node(c, fr, &i)) return i != 0;
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

static int assign_to(K x, frame *fr, K *shown);

static int run_if(K x, frame *fr);
static int run_do(K x, frame *fr);
static int run_while(K x, frame *fr);

/* Run statement s for its effect only: an assignment or a loop then makes
 * no value to give.  0, or -1 with the error set. */
static int exec(K s, frame *fr)
{
	if (!s) return 0;
	int kind = s->t == KT_NODE ? s->a : -1;
	if (kind == N_SET || kind == N_IF || kind == N_DO || kind == N_WHILE) {
		if (!stack_ok()) { kerr("stack"); return -1; }
		return kind == N_SET ? assign_to(s, fr, NULL) : kind == N_IF ? run_if(s, fr)
		     : kind == N_DO ? run_do(s, fr) : run_while(s, fr);
	}
	K r = ev(s, fr);
	if (!r) return -1;
	cd(r);
	return 0;
}

/* Run statements children [from, to) of x (a body) for their effect.
 * 0 or -1. */
static int run_effect(K x, int64_t from, int64_t to, frame *fr)
{
	for (int64_t i = from; i < to; i++)
		if (exec(kK(x)[i], fr)) return -1;
	return 0;
}

/* Run statements children [from, n) of x (a body); the last value. */
static K run_body(K x, int from, frame *fr)
{
	if (from >= x->n) return k_null();
	if (run_effect(x, from, x->n - 1, fr)) return NULL;
	K s = kK(x)[x->n - 1];
	return s ? ev(s, fr) : k_null();
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
 * the new value only once it, and the value the assignment gives (into
 * *shown, unless shown is NULL), are whole, so that a failure of any kind
 * leaves it as it was.  Consumes i and v; borrows op.  0 or -1. */
static int update_copy(ksym name, int global, K *cell, K i, int depth, K op, K v, K *shown)
{
	K old = ci(*cell), s = NULL, r;
	int moved = global && runs_code(op);
	if (i) {
		/* a[i]:v and a[i]+:v give the new a[i] */
		K keep = shown ? ci(i) : NULL;
		r = depth == 1 ? k_amend_at(old, i, op, v) : k_amend_dot(old, i, op, v);
		if (r && shown) s = depth == 1 ? k_at(ci(r), keep) : k_dot(ci(r), keep);
		else cd(keep);
		if (r && shown && !s) { cd(r); return -1; }
	} else
		r = v ? k_call2(op, old, v) : k_call1(op, old);
	if (!r) return -1;
	if (moved) {
		cell = ktree_cell(name, 1);     /* op may have changed the tree */
		if (!cell || ktree_store_check(r)) {
			cd(r);
			cd(s);
			return -1;
		}
	}
	cd(*cell);
	*cell = r;
	if (shown) *shown = s ? s : ci(r);
	return 0;
}

/* The assignment x; the value it gives into *shown, or none made when
 * shown is NULL (a statement run for its effect).  0 or -1. */
static int assign_to(K x, frame *fr, K *shown)
{
	int flags = x->u;
	ksym name = kS(kK(x)[0])[0];
	K slotk = kK(x)[1], idx = kK(x)[2], op = kK(x)[3], vx = kK(x)[4];
	/* right to left: the value, then the index */
	K v = NULL, i = NULL;
	int depth = 0;
	if (vx || !op) {          /* a-: has no value */
		v = vx ? ev(vx, fr) : k_null();
		if (!v) return -1;
	}
	if (flags & SET_INDEXED) {
		i = set_index(idx, fr, &depth);
		if (!i) { cd(v); return -1; }
	}
	int local = slotk->t == KT_INT && fr->slot;
	K *cell = local ? &fr->slot[kI(slotk)[0]] : ktree_cell(name, 1);
	if (!cell) { cd(v); cd(i); return -1; }
	if (!(flags & (SET_INDEXED | SET_OP))) {
		if (!local && ktree_store_check(v)) { cd(v); return -1; }
		cd(*cell);
		*cell = v;
		if (shown) *shown = ci(v);
		return 0;
	}
	if (!*cell && !i) { cd(v); kerr("value"); return -1; }
	if (!*cell && !(*cell = k_null())) { cd(v); cd(i); return -1; }
	int done = update_in_place(cell, i, depth, op, v, shown);
	if (done) {
		cd(v);
		cd(i);
		return done > 0 ? 0 : -1;
	}
	return update_copy(name, !local, cell, i, depth, op, v, shown);
}

static K assign(K x, frame *fr)
{
	K shown;
	return assign_to(x, fr, &shown) ? NULL : shown;
}

static K ev_global(K x, frame *fr)
{
	K v = ktree_get(kS(kK(x)[0])[0]);
	if (!v && fr->self && kc->err && !strcmp(kc->err, "value")) {
		kerr_clear();     /* inside a lambda an unset global is _n */
		return k_null();
	}
	return v;
}

static K ev_monad(K x, frame *fr)
{
	K a = ev(kK(x)[0], fr);
	if (!a) return NULL;
	int v = x->u;
	return failed(x, checked(v >= V_IO0 ? verb_io_monad(v - V_IO0, a) : verb_monad[v](a)));
}

/* The verb v applied to a and b (consumed).  Two int atoms, the scalar
 * work of most lambdas (fib's x<2, x-1, +), skip the verb's dispatch, and
 * the result goes into an operand that nothing else holds. */
static K dyad(int v, K a, K b)
{
	int64_t r;
	if (a->t == KT_INT && b->t == KT_INT && int_dyad(v, kI(a)[0], kI(b)[0], &r)) {
		K z = a->rc == 1 ? a : b->rc == 1 ? b : k_int(r);
		if (z) kI(z)[0] = r;
		if (z != a) cd(a);
		if (z != b) cd(b);
		return z;
	}
	return checked(v >= V_IO0 ? verb_io_dyad(v - V_IO0, a, b) : verb_dyad[v](a, b));
}

static K ev_dyad(K x, frame *fr)
{
	int64_t i;
	if (int_node(x, fr, &i)) return failed(x, k_int(i));
	K b = ev(kK(x)[1], fr);
	if (!b) return NULL;
	K a = ev(kK(x)[0], fr);
	if (!a) { cd(b); return NULL; }
	return failed(x, dyad(x->u, a, b));
}

/* f[a;b;..] */
static K ev_call(K x, frame *fr)
{
	int n = (int)x->n - 1;
	K a[n > 0 ? n : 1];
	if (!eval_children(x, 1, fr, a)) return NULL;
	/* _f and a constant are held by the running code: borrowed */
	K c = kK(x)[0], f = c->t != KT_NODE ? c : c->a == N_SELF ? fr->self : NULL;
	int own = !f;
	if (own && !(f = ev(c, fr))) { release(n, a); return NULL; }
	K r;
	if (f->t == KT_FUNC && f->a == FK_LAMBDA && n == f->u && a[0])
		r = call(f, n, a, 1);   /* the common case, first */
	else if (n == 1 && a[0] && fn_noun_derived(f)) {
		release(n, a);         /* a/[0]: Kona says valence */
		r = kerr("valence");
	} else if (n == 1 && !a[0] && f->t == KT_FUNC && f->a != FK_VERB && f->a != FK_PROJ) {
		a[0] = k_null();      /* f[] */
		r = a[0] ? k_call(f, 1, a) : NULL;
	} else
		r = call(f, n, a, 1);
	if (own) cd(f);
	return failed(x, r);
}

/* f x, and x f y for a derived verb or _sysfn */
static K ev_apply(K x, frame *fr)
{
	int n = (int)x->n - 1;
	K a[2];
	if (!eval_children(x, 1, fr, a)) return NULL;
	K f = ev(kK(x)[0], fr);
	if (!f) { release(n, a); return NULL; }
	K r = k_call(f, n, a);
	cd(f);
	return failed(x, r);
}

static K ev_list(K x, frame *fr)
{
	K l = k_list(x->n);
	if (!l) return NULL;
	for (int64_t i = x->n - 1; i >= 0; i--) {
		K c = kK(x)[i], v = c ? ev(c, fr) : k_null();
		if (!v) { for (int64_t j = 0; j <= i; j++) kK(l)[j] = NULL; cd(l); return NULL; }
		kK(l)[i] = v;
	}
	return k_squeeze(l);
}

/* :[c;t;c;t;..;f] */
static K ev_cond(K x, frame *fr)
{
	K *c = kK(x);
	int64_t i = 0;
	if (x->n > 1 && !c[0]) return kerr("valence");   /* :[;..], as Kona names it */
	for (; i + 1 < x->n; i += 2) {
		int b = holds(c[i], fr);
		if (b < 0) return NULL;
		if (b) return c[i + 1] ? ev(c[i + 1], fr) : k_null();
	}
	return i < x->n && c[i] ? ev(c[i], fr) : k_null();
}

/* if[c;..], do[n;..], while[c;..]: 0, or -1 at an error in the body.
 * Their value, _n, is made only where it is used (ev). */
static int run_if(K x, frame *fr)
{
	int b = holds(kK(x)[0], fr);
	if (b <= 0) return b;
	return run_effect(x, 1, x->n, fr);
}

static int run_do(K x, frame *fr)
{
	K t = kK(x)[0] ? ev(kK(x)[0], fr) : kerr("type");
	if (!t) return -1;
	const int64_t *count = the_int(t);              /* do[,,2;..] too */
	if (!count) { cd(t); kerr("type"); return -1; }
	int64_t n = *count;
	cd(t);
	for (int64_t i = 0; i < n; i++)
		if (k_broken() || run_effect(x, 1, x->n, fr)) return -1;
	return 0;
}

static int run_while(K x, frame *fr)
{
	for (;;) {
		if (k_broken()) return -1;
		int b = holds(kK(x)[0], fr);
		if (b <= 0) return b;
		if (run_effect(x, 1, x->n, fr)) return -1;
	}
}

/* :x unwinds to the lambda it returns from, which takes fr->ret. */
static K ev_return(K x, frame *fr)
{
	K r = ev(kK(x)[0], fr);
	if (!r) return NULL;
	cd(fr->ret);
	fr->ret = r;
	kc->err = return_mark;
	return NULL;
}

static K ev_closure(K x, frame *fr)
{
	K from = kK(x)[1], vals = k_list(from->n);
	if (!vals) return NULL;
	for (int64_t i = 0; i < from->n; i++) kK(vals)[i] = ci(fr->slot[kI(from)[i]]);
	return fn_closure(kK(x)[0], vals);
}

static K ev_compose(K x, frame *fr)
{
	K g = ev(kK(x)[1], fr);
	if (!g) return NULL;
	K f = ev(kK(x)[0], fr);
	if (!f) { cd(g); return NULL; }
	return fn_compose(f, g);
}

static K ev(K x, frame *fr)
{
	if (x->t != KT_NODE) return ci(x);
	if (!stack_ok()) return kerr("stack");
	switch (x->a) {
	case N_LOCAL: {      /* a local not yet assigned is _n, as in Kona */
		K v = fr->slot ? fr->slot[x->u] : NULL;
		return v ? ci(v) : k_null();
	}
	case N_GLOBAL: return ev_global(x, fr);
	case N_MONAD: return ev_monad(x, fr);
	case N_DYAD: return ev_dyad(x, fr);
	case N_CALL: return ev_call(x, fr);
	case N_APPLY1:
	case N_APPLY2: return ev_apply(x, fr);
	case N_DERIVE: {
		K f = ev(kK(x)[0], fr);
		return f ? fn_derived(f, x->u) : NULL;
	}
	case N_LIST: return ev_list(x, fr);
	case N_SEQ: return run_body(x, 0, fr);
	case N_SET: return assign(x, fr);
	case N_COND: return ev_cond(x, fr);
	case N_IF: return run_if(x, fr) ? NULL : k_null();
	case N_DO: return run_do(x, fr) ? NULL : k_null();
	case N_WHILE: return run_while(x, fr) ? NULL : k_null();
	case N_RETURN: return ev_return(x, fr);
	case N_CLOSURE: return ev_closure(x, fr);
	case N_COMPOSE: return ev_compose(x, fr);
	case N_SELF:       /* _f outside a lambda is _n, as in Kona */
		return fr->self ? ci(fr->self) : k_null();
	case N_SIGNAL: {
		K v = ev(kK(x)[0], fr);
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
