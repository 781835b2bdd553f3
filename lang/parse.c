/* parse.c: K source to code (lang/node.h).
 *
 * K reads right to left with no precedence.  An expression is a run of
 * items, each a noun (literal, name, (..), {..}, anything indexed x[..]) or
 * a verb (primitive verb, or anything followed by an adverb, or a _sysfn).
 * Read from the left, the run means:
 *     verb rest        the verb applied monadically to rest
 *     noun verb rest   the verb applied dyadically to noun and rest
 *     noun rest        noun applied to rest (juxtaposition)
 * and a run ending in "noun verb" is a projection (1+).
 * Each lambda is compiled once, here: its names are resolved to frame slots
 * (x y z or its explicit arguments, then every name it assigns with a plain
 * ':'); all other names are global.  The lambda keeps its source text for
 * display.
 */
#include "node.h"
#include "lex.h"
#include "verbs.h"
#include "sysfn.h"
#include "ktree.h"

#define MAX_SLOTS 255

typedef struct scope {
	ksym name[MAX_SLOTS];
	int n;              /* slots in use */
	int valence;
	struct scope *parent;   /* the enclosing lambda's scope */
	int ncap;               /* captured names of enclosing lambdas: */
	int cap_from[MAX_SLOTS];  /* their slot in the parent */
	int cap_slot[MAX_SLOTS];  /* their slot here */
} scope;

typedef struct parser {
	const char *src;
	ktoks ts;
	int i;              /* next token */
	scope *sc;          /* NULL at top level */
	int errpos;
	K places;           /* (node, place) pairs of the code being made */
	int base;           /* where that code's text starts: its places are
	                       counted from there */
} parser;

static ktok *peek(parser *p) { return &p->ts.t[p->i]; }

static K fail_at(parser *p, int pos)
{
	p->errpos = pos;
	if (!kc->err) kerr("parse");
	return NULL;
}

/* A node of `kind` with n children taken from c (consumed). */
static K node(int kind, int u, int n, K *c)
{
	K x = k_new(KT_NODE, n);
	if (!x) {
		for (int i = 0; i < n; i++) cd(c[i]);
		return NULL;
	}
	x->a = (uint8_t)kind;
	x->u = (uint8_t)u;
	for (int i = 0; i < n; i++) kK(x)[i] = c[i];
	return x;
}
static K node1(int kind, int u, K a) { return node(kind, u, 1, &a); }

/* Note that node x (consumed, returned) stands at source position pos, so
 * that a run-time error in it can be shown with a caret. */
static K placed(parser *p, K x, int pos)
{
	if (!x) return NULL;
	int64_t n = p->places ? p->places->n : 0;
	K t = p->places ? k_resize(p->places, n + 2) : k_new(-1, 2);
	p->places = t;
	if (!t) { cd(x); return NULL; }
	kI(t)[n] = (int64_t)(intptr_t)x;
	kI(t)[n + 1] = pos - p->base;
	return x;
}

int node_place(K places, int64_t from, void *x)
{
	if (!places) return -1;
	for (int64_t i = from; i + 1 < places->n; i += 2)
		if (kI(places)[i] == (int64_t)(intptr_t)x) return (int)kI(places)[i + 1];
	return -1;
}
static K node2(int kind, int u, K a, K b) { K c[2] = {a, b}; return node(kind, u, 2, c); }

static int is_end(int type) { return type == TK_SEMI || type == TK_RP || type == TK_RB || type == TK_RC || type == TK_END; }

static K parse_expr(parser *p);

/* A growable array of K, kept in a heap block. */
typedef struct kvec { K blk; int64_t n; } kvec;
static int kvec_push(kvec *v, K x)
{
	if (!v->blk) { v->blk = k_new(KT_LIST, 8); if (!v->blk) return -1; v->blk->n = 0; }
	K b = k_resize(v->blk, v->n + 1);
	if (!b) { v->blk = NULL; v->n = 0; return -1; }  /* k_resize freed it; children were 0.. */
	v->blk = b;
	kK(b)[v->n++] = x;
	return 0;
}
/* Release the block and any items left in it. */
static void kvec_free(kvec *v)
{
	if (v->blk) { v->blk->n = v->n; cd(v->blk); }
	v->blk = NULL;
	v->n = 0;
}

/* Items separated by ';' up to the closing token `close`, which is eaten.
 * Empty items are NULL.  Returns the count, or -1.  With close < 0 they are
 * statements, up to whatever ends them (not eaten). */
static int parse_items(parser *p, int close, kvec *out)
{
	for (;;) {
		ktok *t = peek(p);
		K e = NULL;
		if (!is_end(t->type)) {
			e = parse_expr(p);
			if (!e) return -1;
		}
		if (kvec_push(out, e)) { cd(e); return -1; }
		t = peek(p);
		if (t->type == TK_SEMI) { p->i++; continue; }
		if (close < 0) return (int)out->n;
		if (t->type == close) { p->i++; return (int)out->n; }
		fail_at(p, t->pos);
		return -1;
	}
}

/* Slot of name s in scope sc, or -1.  A name that is a local of an
 * enclosing lambda is captured: it gets a slot here, filled with the
 * enclosing value when the lambda value is made (K3 lambdas see the
 * locals around them as they were at that moment). */
static int scope_slot(scope *sc, ksym s)
{
	if (!sc) return -1;
	for (int i = 0; i < sc->n; i++)
		if (sc->name[i] == s) return i;
	int outer = scope_slot(sc->parent, s);
	if (outer < 0 || sc->n == MAX_SLOTS) return -1;
	sc->cap_from[sc->ncap] = outer;
	sc->cap_slot[sc->ncap++] = sc->n;
	sc->name[sc->n] = s;
	return sc->n++;
}
static int slot_of(parser *p, ksym s) { return strchr(s, '.') ? -1 : scope_slot(p->sc, s); }

static K name_node(parser *p, ksym s)
{
	int slot = slot_of(p, s);
	K nm = k_symv(s);
	if (!nm) return NULL;
	return slot >= 0 ? node1(N_LOCAL, slot, nm) : node1(N_GLOBAL, 0, nm);
}

static K parse_lambda(parser *p);

/* The node for a list written (a;b;c) or [a;b;c] from its items. */
static K list_node(kvec *v)
{
	K x = k_new(KT_NODE, v->n);
	if (!x) { kvec_free(v); return NULL; }
	x->a = N_LIST;
	memcpy(kK(x), kK(v->blk), v->n * sizeof(K));
	v->n = 0;
	kvec_free(v);
	return x;
}

/* Is x a constant (not code)? */
static int constant(K x) { return x && x->t != KT_NODE; }

/* f[args]: apply, with the args in v. */
static K call_node(K f, kvec *v)
{
	K x = k_new(KT_NODE, v->n + 1);
	if (!x) { cd(f); kvec_free(v); return NULL; }
	x->a = N_CALL;
	kK(x)[0] = f;
	memcpy(kK(x) + 1, kK(v->blk), v->n * sizeof(K));
	v->n = 0;
	kvec_free(v);
	return x;
}

enum { IT_NOUN, IT_VERB, IT_FVERB };   /* FVERB: a function-valued verb term */
typedef struct item { K x; int kind; int verb; int pos; } item;
#define ITEM_WORDS(n) (((int64_t)(n) * (int64_t)sizeof(item) + 7) / 8)

/* Control words if[..] do[..] while[..]; 0 if s is none. */
static int control_kind(ksym s)
{
	if (!strcmp(s, "if")) return N_IF;
	if (!strcmp(s, "do")) return N_DO;
	if (!strcmp(s, "while")) return N_WHILE;
	return 0;
}

static int is_node(K x, int kind) { return x && x->t == KT_NODE && x->a == kind; }

/* The assignment whose value is the value of x: x itself, or one reached
 * through the right arguments of dyads and the arguments of monads; or
 * NULL.  Borrows x. */
static K spine_set(K x)
{
	for (;;) {
		if (is_node(x, N_SET)) return x;
		if (is_node(x, N_DYAD) || is_node(x, N_APPLY1)) x = kK(x)[1];
		else if (is_node(x, N_APPLY2)) x = kK(x)[2];
		else if (is_node(x, N_MONAD)) x = kK(x)[0];
		else return NULL;
	}
}

/* An assignment whose target name t was just read (the index, if any, in
 * idx): the verb token at p->i is ':' or 'op:'. */
static K parse_assign(parser *p, ksym s, K idx)
{
	ktok *t = peek(p);
	int flags = idx ? SET_INDEXED : 0;
	K op = NULL;
	if (t->id != V_COLON) {      /* a::v is a:v that declares no local */
		flags |= SET_OP;
		op = fn_verb(t->id, 0);
		if (!op) { cd(idx); return NULL; }
	}
	p->i++;
	K value = NULL;
	if (!is_end(peek(p)->type)) {
		value = parse_expr(p);
		if (!value) { cd(idx); cd(op); return NULL; }
	} else if (op) {        /* a-: applies the verb monadically */
		op->a = FK_VERB1;
	}
	int slot = slot_of(p, s);
	K c[5] = { k_symv(s), slot >= 0 ? k_int(slot) : k_null(), idx, op, value };
	if (!c[0] || !c[1]) { for (int i = 0; i < 5; i++) cd(c[i]); return NULL; }
	return node(N_SET, flags, 5, c);
}

/* Is token t the ':' or 'op:' of an assignment? */
static int assigns(const ktok *t)
{
	return t->type == TK_VERB && (t->id == V_COLON || t->colon) && t->id < V_IO0;
}

/* name[i..] followed by ':' or 'op:' is an indexed assignment: its node,
 * in *x; 0 when it is not one (nothing read), -1 at an error. */
static int parse_indexed_assign(parser *p, ksym s, K *x)
{
	int save = p->i;
	p->i++;
	kvec v = {0};
	if (parse_items(p, TK_RB, &v) < 0) { kvec_free(&v); return -1; }
	if (!assigns(peek(p))) {
		kvec_free(&v);
		p->i = save;
		return 0;
	}
	K idx = list_node(&v);
	if (!idx) return -1;
	*x = parse_assign(p, s, idx);
	return *x ? 1 : -1;
}

/* _name: _n, _f, or a system function (a noun when niladic: _t). */
static int parse_system_name(parser *p, ksym s, int pos, item *it, K *x)
{
	if (!strcmp(s, "_n")) { *x = k_null(); return *x ? 0 : -1; }
	if (!strcmp(s, "_f")) { *x = node(N_SELF, 0, 0, NULL); return *x ? 0 : -1; }
	int id = sysfn_find(s);
	if (id < 0) {
		kerr("reserved");      /* _name is not a system function */
		fail_at(p, pos);
		return -1;
	}
	K f = sysfn_value(id);
	if (f && sysfn_table[id].valence == 0) {
		*x = node1(N_CALL, 0, f);
		return *x ? 0 : -1;
	}
	*x = f;
	it->kind = IT_FVERB;
	it->verb = sysfn_table[id].valence == 1 ? 0x100 : 0;
	return f ? 0 : -1;
}

/* A term starting with a name: a control word, an assignment (which takes
 * the rest of the expression: 1), a _name, or a variable.  0 or -1. */
static int parse_name_term(parser *p, item *it, K *x)
{
	ktok *t = peek(p);
	ksym s = t->s;
	p->i++;
	ktok *nx = peek(p);
	int ctl = control_kind(s);
	if (ctl && nx->type == TK_LB) {
		p->i++;
		kvec v = {0};
		if (parse_items(p, TK_RB, &v) < 0) { kvec_free(&v); return -1; }
		/* an empty condition (if[], do[;x]) is a type error when it runs */
		*x = list_node(&v);
		if (!*x) return -1;
		(*x)->a = (uint8_t)ctl;
		return 0;
	}
	if (assigns(nx)) {
		if (s[0] == '_') { fail_at(p, t->pos); return -1; }   /* reserved */
		*x = parse_assign(p, s, NULL);
		return *x ? 1 : -1;
	}
	if (nx->type == TK_LB) {
		int r = parse_indexed_assign(p, s, x);
		if (r) return r;
	}
	if (s[0] == '_' && s[1]) return parse_system_name(p, s, t->pos, it, x);
	*x = name_node(p, s);
	return *x ? 0 : -1;
}

/* (a;b;c), (a) or (). */
static K parse_parens(parser *p)
{
	p->i++;
	kvec v = {0};
	int n = parse_items(p, TK_RP, &v);
	if (n < 0) { kvec_free(&v); return NULL; }
	if (n != 1) return list_node(&v);
	K x = kK(v.blk)[0];
	v.n = 0;
	kvec_free(&v);
	K set = spine_set(x);          /* (x:1) and (1+x:1) are shown */
	if (set) set->u |= SET_PAREN;
	return x ? x : k_list(0);      /* () */
}

/* A term starting with a verb: :[c;t;f], or the verb itself (no value:
 * it->x stays NULL). */
static int parse_verb_term(parser *p, item *it, K *x)
{
	ktok *t = peek(p);
	if (t->id == V_COLON && !t->colon && p->ts.t[p->i + 1].type == TK_LB) {
		p->i += 2;
		kvec v = {0};
		if (parse_items(p, TK_RB, &v) < 0) { kvec_free(&v); return -1; }
		*x = list_node(&v);
		if (!*x) return -1;
		(*x)->a = N_COND;
		return 0;
	}
	it->kind = IT_VERB;
	it->verb = t->id | (t->colon ? 0x100 : 0);
	p->i++;
	return 0;
}

/* The postfixes of term x: indexing [..] and adverbs.  Consumes x; the
 * term in it->x.  0 or -1. */
static int parse_postfixes(parser *p, item *it, K x)
{
	for (;;) {
		ktok *t = peek(p);
		if (t->type != TK_LB && t->type != TK_ADVERB) break;
		if (it->kind == IT_VERB) {
			x = fn_verb(it->verb & 0xFF, it->verb >> 8);
			if (!x) return -1;
		}
		p->i++;
		if (t->type == TK_LB) {
			kvec v = {0};
			if (parse_items(p, TK_RB, &v) < 0) { cd(x); kvec_free(&v); return -1; }
			x = placed(p, call_node(x, &v), it->pos);
			it->kind = IT_NOUN;
		} else {
			/* an adverb binds to what precedes it, even across blanks: a
			 * blank '/' was taken as a comment by the lexer already */
			x = constant(x) && x->t == KT_FUNC ? fn_derived(x, t->id) : node1(N_DERIVE, t->id, x);
			it->kind = IT_FVERB;
			it->verb = 0;
		}
		if (!x) return -1;
	}
	it->x = it->kind == IT_VERB ? NULL : x;
	return 0;
}

/* A primary term and its postfixes: 0; 1 when the term took the rest of
 * the expression (an assignment, 'x); -1 at an error. */
static int parse_term(parser *p, item *it)
{
	ktok *t = peek(p);
	K x = NULL;
	int r = 0;
	it->kind = IT_NOUN;
	it->verb = 0;
	it->pos = t->pos;
	switch (t->type) {
	case TK_NOUN: x = ci(t->v); p->i++; break;
	case TK_NAME: r = parse_name_term(p, it, &x); break;
	case TK_VERB: r = parse_verb_term(p, it, &x); break;
	case TK_LP: x = parse_parens(p); r = x ? 0 : -1; break;
	case TK_LC: x = parse_lambda(p); r = x ? 0 : -1; break;
	case TK_ADVERB:
		if (t->id == AV_EACH) {   /* 'x signals x */
			p->i++;
			K e = is_end(peek(p)->type) ? k_null() : parse_expr(p);
			it->x = e ? node1(N_SIGNAL, 0, e) : NULL;
			return it->x ? 1 : -1;
		}
		/* fall through */
	default:
		fail_at(p, t->pos);
		return -1;
	}
	if (r == 1) { it->x = x; return 1; }
	if (r < 0) return -1;
	return parse_postfixes(p, it, x);
}

/* The value of an item used as a noun (a verb becomes a function value). */
static K item_value(item *it)
{
	if (it->kind == IT_VERB) return fn_verb(it->verb & 0xFF, it->verb >> 8);
	K x = it->x;
	it->x = NULL;
	return x;
}

/* Can this item take a left argument?  A verb written with ':' (-:) and a
 * monadic _sysfn cannot. */
static int dyadic(const item *v)
{
	return v->kind != IT_NOUN && !(v->verb & 0x100);
}

/* verb applied to x (consumed). */
static K apply_monad(parser *p, item *v, K x)
{
	if (v->kind == IT_VERB) return placed(p, node1(N_MONAD, v->verb & 0xFF, x), v->pos);
	K f = item_value(v);
	return f ? placed(p, node2(N_APPLY1, 0, f, x), v->pos) : (cd(x), NULL);
}

/* The items of an expression, read up to the end of it, kept in the block
 * of an int vector so that a failure can release them. */
typedef struct run { K blk; item *it; int n, cap; } run;

static void run_free(run *r)
{
	if (!r->blk) return;
	for (int i = 0; i < r->n; i++) cd(r->it[i].x);
	cd(r->blk);
	r->blk = NULL;
}

/* Read the terms of an expression into r: 0 or -1. */
static int read_run(parser *p, run *r)
{
	r->cap = 8;
	r->blk = k_new(-1, ITEM_WORDS(r->cap));
	if (!r->blk) return -1;
	r->it = (item *)kI(r->blk);
	while (!is_end(peek(p)->type)) {
		if (r->n == r->cap) {   /* grow into a new block: on failure the
			                   items so far are still there to free */
			K b = k_new(-1, ITEM_WORDS(2 * r->cap));
			if (!b) return -1;
			memcpy(kI(b), r->it, r->n * sizeof(item));
			cd(r->blk);
			r->blk = b;
			r->it = (item *)kI(b);
			r->cap *= 2;
		}
		int t = parse_term(p, &r->it[r->n]);
		if (t < 0) return -1;
		r->n++;
		if (t == 1) break;
	}
	return 0;
}

enum { S_MONAD, S_DYAD, S_JUX };

/* The tail of a run from item lo: a lone item, or a noun and a verb, the
 * verb with its left argument fixed (1+). */
static K tail_node(item *it, int lo, int n)
{
	if (lo == n - 1) return item_value(&it[lo]);
	K f = item_value(&it[lo + 1]);
	K x = item_value(&it[lo]);
	K c[3] = { f, x, NULL };
	return (f && x) ? node(N_CALL, 0, 3, c) : (cd(f), cd(x), NULL);
}

/* One step of a composition (-+), (21>+/), (+/ *) put before res. */
static K compose_step(item *a, int kind, K res)
{
	K f = item_value(a);
	if (f && kind == S_DYAD) {
		K v = item_value(a + 1);
		K c[3] = { v, f, NULL };
		f = v ? node(N_CALL, 0, 3, c) : (cd(f), NULL);
	}
	return f ? node2(N_COMPOSE, 0, f, res) : (cd(res), NULL);
}

/* x v res for the step at item a (a noun) and a + 1 (a verb). */
static K dyad_step(parser *p, item *a, K res, int errpos)
{
	item *v = a + 1;
	K x = item_value(a);
	if (v->kind == IT_VERB && v->verb == V_COLON && is_node(x, N_CALL)) {
		/* x[i]:y with x not a name, as in (1 2)[0]:3; any other
		 * (x):y is the verb ':', which gives y, as in Kona */
		cd(x);
		cd(res);
		return fail_at(p, errpos);
	}
	if (v->kind == IT_VERB)
		return x ? placed(p, node2(N_DYAD, v->verb & 0xFF, x, res), v->pos) : (cd(res), NULL);
	K f = item_value(v);
	K c[3] = { f, x, res };
	return (f && x) ? placed(p, node(N_APPLY2, 0, 3, c), v->pos) : (cd(f), cd(x), cd(res), NULL);
}

/* The code of the run it[0..n-1].  Steps from the left: each step is a
 * monad (verb rest), a dyad (noun verb rest) or a juxtaposition (noun
 * rest); the tail is a lone item or a projection (noun verb).  Then fold
 * from the right. */
static K fold_run(parser *p, item *it, int n, int errpos)
{
	K steps = k_new(-1, 2 * (int64_t)n);
	if (!steps) return NULL;
	int64_t *step_at = kI(steps), *step_kind = step_at + n;
	int ns = 0, lo = 0;
	while (lo < n - 1) {
		step_at[ns] = lo;
		if (it[lo].kind != IT_NOUN) { step_kind[ns++] = S_MONAD; lo++; continue; }
		if (!dyadic(&it[lo + 1])) { step_kind[ns++] = S_JUX; lo++; continue; }
		if (lo + 2 == n) break;
		step_kind[ns++] = S_DYAD;
		lo += 2;
	}
	/* A run ending in a verb, with something before it, is a composition */
	int compose = ns > 0 && (lo == n - 1 ? it[lo].kind != IT_NOUN : 1);
	K res = tail_node(it, lo, n);
	for (int s = ns - 1; res && s >= 0; s--) {
		item *a = &it[step_at[s]];
		if (compose) res = compose_step(a, (int)step_kind[s], res);
		else if (step_kind[s] == S_MONAD) res = apply_monad(p, a, res);
		else if (step_kind[s] == S_DYAD) res = dyad_step(p, a, res, errpos);
		else {
			K f = item_value(a);
			res = f ? placed(p, node2(N_APPLY1, 0, f, res), a->pos) : (cd(res), NULL);
		}
	}
	cd(steps);
	return res;
}

static K parse_expr(parser *p)
{
	if (!k_stack_ok()) { kerr("stack"); return NULL; }
	ktok *first = peek(p);
	/* :x returns x */
	if (first->type == TK_VERB && first->id == V_COLON && !first->colon) {
		ktok *nx = &p->ts.t[p->i + 1];
		if (nx->type != TK_LB && !is_end(nx->type)) {
			p->i++;
			K e = parse_expr(p);
			return e ? node1(N_RETURN, 0, e) : NULL;
		}
	}
	run r = {0};
	K res = NULL;
	if (read_run(p, &r)) goto done;
	item *it = r.it;
	if (r.n == 0) { res = k_null(); goto done; }
	/* :: :5 (and :::5) gives :: a value, as x:y does a non-name: Kona
	 * says parse */
	if (r.n > 1 && it[0].kind == IT_VERB && it[0].verb == (V_COLON | 0x100)
	    && it[1].kind == IT_VERB && it[1].verb == V_COLON) {
		fail_at(p, it[1].pos);
		goto done;
	}
	/* 4::: and a _abs: end in a ':' that has no right argument and
	 * assigns nothing (a lone ':' is the verb itself): Kona says parse */
	if (r.n > 1 && it[r.n - 1].kind == IT_VERB && it[r.n - 1].verb == V_COLON) {
		fail_at(p, it[r.n - 1].pos);
		goto done;
	}
	res = fold_run(p, it, r.n, first->pos);
done:
	run_free(&r);
	return res;
}

int node_quiet(K s, int first)
{
	if (first && is_node(s, N_MONAD)) return 0;
	if (first && is_node(s, N_APPLY1)) {
		K f = kK(s)[0];
		if (!is_node(f, N_DERIVE) && !(f->t == KT_FUNC && f->a == FK_DERIVED)) return 0;
	}
	K set = spine_set(s);
	return set && !(set->u & SET_PAREN);
}

/* Index of the '}' matching the '{' at token i, or -1. */
static int matching_brace(parser *p, int i)
{
	int depth = 0;
	for (; p->ts.t[i].type != TK_END; i++) {
		int ty = p->ts.t[i].type;
		if (ty == TK_LC) depth++;
		else if (ty == TK_RC && --depth == 0) return i;
	}
	return -1;
}

/* The implicit valence of a body in tokens [from, to): 1, 2 or 3 when x,
 * y or z is used, also inside nested lambdas with explicit arguments that
 * do not name it (they see the enclosing x). */
static int implicit_valence(parser *p, int from, int to, ksym *params, int nparams)
{
	int v = 0;
	for (int i = from; i < to; i++) {
		ktok *t = &p->ts.t[i];
		if (t->type == TK_LC) {
			int end = matching_brace(p, i);
			if (end < 0) return v;
			if (p->ts.t[i + 1].type == TK_LB) {
				ksym inner[MAX_SLOTS];
				int ni = 0, j = i + 2;
				for (; j < end && p->ts.t[j].type != TK_RB; j++)
					if (p->ts.t[j].type == TK_NAME && ni < MAX_SLOTS) inner[ni++] = p->ts.t[j].s;
				int w = implicit_valence(p, j, end, inner, ni);
				if (w > v) v = w;
			}
			i = end;
			continue;
		}
		if (t->type == TK_NAME && !t->s[1] && t->s[0] >= 'x' && t->s[0] <= 'z') {
			int shadowed = 0;
			for (int k = 0; k < nparams; k++) shadowed |= params[k] == t->s;
			int w = t->s[0] - 'x' + 1;
			if (!shadowed && w > v) v = w;
		}
	}
	return v;
}

/* Kona creates a global, holding _n, for every local a niladic lambda
 * assigns, as it reads the lambda; scripts can see it ({a:1}; a is _n,
 * while after f:{a:x}, a is a value error). */
static int declare_globals(const scope *sc)
{
	for (int i = sc->valence; i < sc->n; i++)
		if (ktree_declare(sc->name[i])) return -1;
	return 0;
}

/* Collect the lambda's slots: arguments, then names assigned with ':'. */
static int collect_slots(parser *p, scope *sc, int from, int to, int explicit)
{
	if (!explicit) {
		int v = implicit_valence(p, from, to, NULL, 0);
		static const char *xyz[3] = { "x", "y", "z" };
		for (int i = 0; i < v; i++) sc->name[i] = sym_c(xyz[i]);
		sc->n = sc->valence = v;
	}
	for (int i = from; i < to; i++) {
		ktok *t = &p->ts.t[i];
		if (t->type == TK_LC) { i = matching_brace(p, i); continue; }
		if (t->type != TK_NAME || strchr(t->s, '.')) continue;
		ktok *nx = &p->ts.t[i + 1];
		if (nx->type != TK_VERB || nx->id != V_COLON || nx->colon) continue;
		int known = 0;
		for (int k = 0; k < sc->n; k++) known |= sc->name[k] == t->s;
		if (known) continue;
		if (sc->n == MAX_SLOTS) { kerr("limit"); return -1; }
		sc->name[sc->n++] = t->s;
	}
	return 0;
}

static K parse_lambda(parser *p)
{
	int open = p->i;
	int close = matching_brace(p, open);
	if (close < 0) return fail_at(p, p->ts.t[open].pos);
	scope sc = { .parent = p->sc };
	int body = open + 1, explicit = 0;
	if (p->ts.t[body].type == TK_LB) {     /* {[a;b] ..} */
		explicit = 1;
		int i = body + 1;
		while (p->ts.t[i].type != TK_RB) {
			ktok *t = &p->ts.t[i];
			if (t->type == TK_NAME && !strchr(t->s, '.') && sc.n < MAX_SLOTS) sc.name[sc.n++] = t->s;
			else if (t->type != TK_SEMI) return fail_at(p, t->pos);
			i++;
		}
		sc.valence = sc.n;
		body = i + 1;
	}
	if (collect_slots(p, &sc, body, close, explicit)) return NULL;
	if (!p->sc && !explicit && !sc.valence && declare_globals(&sc)) return NULL;
	scope *outer = p->sc;
	K outer_places = p->places;
	int outer_base = p->base;
	p->sc = &sc;
	p->places = NULL;
	p->base = p->ts.t[open].pos;
	p->i = body;
	kvec v = {0};       /* meta and names first, filled in below */
	K meta = NULL, names = NULL;
	int r = kvec_push(&v, NULL) || kvec_push(&v, NULL) ? -1 : parse_items(p, -1, &v);
	K places = p->places;
	p->sc = outer;
	p->places = outer_places;
	p->base = outer_base;
	if (r < 0 || p->i != close) {
		kvec_free(&v);
		cd(places);
		return r < 0 ? NULL : fail_at(p, peek(p)->pos);
	}
	p->i = close + 1;
	/* slots were added while parsing the body, for captured names */
	int64_t nplaces = places ? places->n : 0;
	names = k_new(-4, sc.n);
	meta = k_new(-1, 3 + sc.ncap + nplaces + 1);
	if (!names || !meta) { cd(names); cd(meta); cd(places); kvec_free(&v); return NULL; }
	for (int i = 0; i < sc.n; i++) kS(names)[i] = sc.name[i];
	kK(v.blk)[0] = meta;
	kK(v.blk)[1] = names;
	kI(meta)[0] = sc.valence;
	kI(meta)[1] = sc.n;
	kI(meta)[2] = sc.ncap;
	for (int i = 0; i < sc.ncap; i++) kI(meta)[3 + i] = sc.cap_slot[i];
	if (nplaces) memcpy(kI(meta) + 3 + sc.ncap, kI(places), nplaces * sizeof(int64_t));
	kI(meta)[meta->n - 1] = (int64_t)(intptr_t)KL->dir;     /* its globals live there */
	cd(places);
	K code = list_node(&v);
	if (!code) return NULL;
	code->a = N_LAMBDA;
	int from = p->ts.t[open].pos, to = p->ts.t[close].pos + 1;
	K src = k_str(p->src + from, to - from);
	K f = src ? fn_lambda(src, code, sc.valence) : (cd(code), NULL);
	if (!f) return NULL;
	if (!sc.ncap) return f;
	/* a closure: made anew, with the captured values, each time it runs */
	K outer_slots = k_new(-1, sc.ncap);
	if (!outer_slots) { cd(f); return NULL; }
	for (int i = 0; i < sc.ncap; i++) kI(outer_slots)[i] = sc.cap_from[i];
	return node2(N_CLOSURE, 0, f, outer_slots);
}

K parse(const char *src, int64_t n, int *errpos) { return parse_in(src, n, errpos, NULL, NULL); }

K parse_in(const char *src, int64_t n, int *errpos, K names, K *places)
{
	parser p = { .src = src };
	scope sc = {0};
	if (names) {         /* code run inside a suspended lambda sees its slots */
		sc.n = names->n < MAX_SLOTS ? (int)names->n : MAX_SLOTS;
		for (int i = 0; i < sc.n; i++) sc.name[i] = kS(names)[i];
		p.sc = &sc;
	}
	*errpos = -1;
	if (lex(src, n, &p.ts, errpos)) return NULL;
	kvec v = {0};
	K r = NULL;
	if (parse_items(&p, -1, &v) < 0) { kvec_free(&v); goto done; }
	if (peek(&p)->type != TK_END) { kvec_free(&v); fail_at(&p, peek(&p)->pos); goto done; }
	r = list_node(&v);
	if (r) r->a = N_SEQ;
done:
	if (!r) *errpos = p.errpos;
	lex_free(&p.ts);
	if (r && places) *places = p.places;
	else cd(p.places);
	return r;
}
