#define _GNU_SOURCE
/* memuse.c: heap memory by name: \w . and _wn.
 *
 * The K-tree's values are walked (never the heap), so this costs nothing
 * until it is asked for.  A directory is a dictionary in the tree held by
 * its entry alone; every other entry is a variable.  For each variable:
 *   alone   bytes of the blocks only it holds: reached from it through
 *           blocks whose reference count is 1;
 *   shared  bytes of the blocks it holds with other references: a block
 *           whose count is above 1, and what hangs below one; each counted
 *           once for the variable however often it reaches it.
 * For each directory the same, over everything under it, with each shared
 * block counted once for the directory: a vector held by two names of a
 * directory adds its bytes to the directory's total once.  Block sizes are
 * the heap's (kp_size: header and rounding included).
 *
 * How shared blocks are counted once without a set per name: every walk (a
 * variable, or a directory's own blocks) gets the next number of a counter,
 * in depth-first order, and a table keeps for each shared block the number
 * of the last walk that counted it.  A directory still open was entered
 * before that walk and encloses it, so the open directories numbered
 * above the block's mark are exactly those that have not counted it yet.
 * Blocks of count 1 below a shared block are reached only through it and
 * inherit its mark.  Walks and directories use explicit stacks (malloc'ed,
 * outside the K heap), never the C stack: 10^6 names and values nested
 * 10^6 deep are fine.  A shared block under which every block has count 1
 * (a list of strings held by many names) is walked once, its bytes then
 * kept with its mark; one that holds shared blocks itself is walked again
 * for each name that reaches it.
 */
#include <stdio.h>
#include <stdlib.h>
#include "session.h"
#include "ktree.h"
#include "../runtime/heap.h"

/* ---- the marks of shared blocks: pointer -> number of the last walk ---- */
/* walk: the last walk that counted the block; below: the bytes of the
 * blocks under it when all of them have count 1 (so that only it leads
 * to them), -1 when some is shared, -2 not known yet. */
typedef struct mark { K x; int64_t walk, below; } mark;
typedef struct marks { mark *m; size_t cap, n; } marks;

static size_t hash_ptr(K x, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)x * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 20) & (cap - 1);
}

/* The slot of x, added (walk 0) when absent; NULL when memory runs out. */
static mark *mark_of(marks *t, K x)
{
	if (2 * (t->n + 1) > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 1024;
		mark *m = calloc(cap, sizeof *m);
		if (!m) return NULL;
		for (size_t i = 0; i < t->cap; i++)
			if (t->m[i].x) {
				size_t j = hash_ptr(t->m[i].x, cap);
				while (m[j].x) j = (j + 1) & (cap - 1);
				m[j] = t->m[i];
			}
		free(t->m);
		t->m = m;
		t->cap = cap;
	}
	size_t j = hash_ptr(x, t->cap);
	while (t->m[j].x && t->m[j].x != x) j = (j + 1) & (t->cap - 1);
	if (!t->m[j].x) { t->m[j] = (mark){ x, 0, -2 }; t->n++; }
	return &t->m[j];
}

/* ---- records ------------------------------------------------------------- */
typedef struct dirrec {
	int64_t parent;      /* index of the enclosing directory, -1 for the root */
	ksym name;           /* its key in the parent ("" for the root) */
	int64_t walk;        /* its number, for the marks */
	int64_t alone, shared, vars;
} dirrec;
typedef struct varrec { int64_t dir; ksym name; int64_t alone, shared; } varrec;

typedef struct open_dir { K d; int64_t next; int64_t rec; } open_dir;
typedef struct item { K x; int64_t mark; } item;   /* mark -1: held alone */

typedef struct census {
	marks marks;
	dirrec *dirs; int64_t ndirs, capdirs;
	varrec *vars; int64_t nvars, capvars;
	open_dir *open; int64_t nopen, capopen;
	item *todo; int64_t ntodo, captodo;
	K *sub; int64_t nsub, capsub;
	int64_t walks;
} census;

/* Grow an array of elements of size es to hold one more; 0 or -1. */
static int room(void **a, int64_t n, int64_t *cap, size_t es)
{
	if (n < *cap) return 0;
	int64_t c = *cap ? 2 * *cap : 64;
	void *g = realloc(*a, (size_t)c * es);
	if (!g) return -1;
	*a = g;
	*cap = c;
	return 0;
}
#define ROOM(c, arr, n, cap) room((void **)&(c)->arr, (c)->n, &(c)->cap, sizeof *(c)->arr)

/* Count size bytes of a shared block for the open directories numbered
 * above `after`. */
static void count_open(census *c, int64_t after, int64_t size)
{
	for (int64_t i = c->nopen - 1; i >= 0; i--) {
		dirrec *d = &c->dirs[c->open[i].rec];
		if (d->walk <= after) break;       /* it and those outside counted it */
		d->shared += size;
	}
}

/* The bytes of the blocks under b (borrowed) when all have count 1, or -1
 * when some block under it is shared; c->sub is the stack.  -2: no memory. */
static int64_t below_alone(census *c, K b)
{
	int64_t bytes = 0;
	c->nsub = 0;
	for (K x = b;;) {
		for (int64_t i = 0; k_nested(x->t) && i < x->n; i++) {
			K kid = kK(x)[i];
			if (!kid) continue;
			if (kid->rc > 1) return -1;
			if (ROOM(c, sub, nsub, capsub)) return -2;
			c->sub[c->nsub++] = kid;
		}
		if (!c->nsub) return bytes;
		x = c->sub[--c->nsub];
		bytes += (int64_t)kp_size(x);
	}
}

/* Walk the value x (borrowed) as walk number c->walks, adding its bytes to
 * *alone and *shared and the shared ones to the open directories; the
 * innermost open directory gets the alone ones when the caller adds them.
 * A shared block whose blocks below all have count 1 is reached only
 * through it: their bytes are known after the first walk below it, and
 * later walks take them without going down again.
 * 0, or -1 when memory runs out. */
static int walk_value(census *c, K x, int64_t *alone, int64_t *shared)
{
	int64_t w = c->walks;
	c->ntodo = 0;
	if (ROOM(c, todo, ntodo, captodo)) return -1;
	c->todo[c->ntodo++] = (item){ x, -1 };
	while (c->ntodo) {
		item it = c->todo[--c->ntodo];
		K b = it.x;
		int64_t size = (int64_t)kp_size(b), next = it.mark;
		if (b->rc > 1) {
			mark *m = mark_of(&c->marks, b);
			if (!m) return -1;
			if (m->walk >= w) continue;        /* this walk counted it already */
			if (m->below == -2 && k_nested(b->t)) {
				int64_t below = below_alone(c, b);
				if (below == -2) return -1;
				m = mark_of(&c->marks, b);     /* the table did not grow: same slot */
				m->below = below;
			}
			next = m->walk;
			m->walk = w;
			if (m->below >= 0) size += m->below;   /* and do not go down */
			*shared += size;
			count_open(c, next, size);
			if (m->below >= 0) continue;
		} else if (it.mark >= 0) {
			*shared += size;
			count_open(c, it.mark, size);
		} else *alone += size;
		if (!k_nested(b->t)) continue;
		for (int64_t i = 0; i < b->n; i++) {
			K kid = kK(b)[i];
			if (!kid) continue;
			if (ROOM(c, todo, ntodo, captodo)) return -1;
			c->todo[c->ntodo++] = (item){ kid, next };
		}
	}
	return 0;
}

static int open_dir_push(census *c, K d, int64_t parent, ksym name)
{
	if (ROOM(c, dirs, ndirs, capdirs) || ROOM(c, open, nopen, capopen)) return -1;
	c->dirs[c->ndirs] = (dirrec){ parent, name, ++c->walks, 0, 0, 0 };
	c->open[c->nopen++] = (open_dir){ d, 0, c->ndirs++ };
	/* the dictionary block itself is the directory's own */
	c->dirs[c->ndirs - 1].alone += (int64_t)kp_size(d);
	return 0;
}

/* One entry (key; value; attributes) of the innermost open directory. */
static int census_entry(census *c, K e)
{
	int64_t at = c->open[c->nopen - 1].rec;
	K v = e->n > 1 ? kK(e)[1] : NULL;
	int64_t alone = 0, shared = 0;
	/* the entry's block, key and attributes belong to the directory */
	c->walks++;
	c->dirs[at].alone += (int64_t)kp_size(e);
	if (e->n > 0 && kK(e)[0] && walk_value(c, kK(e)[0], &alone, &shared)) return -1;
	if (e->n > 2 && kK(e)[2] && walk_value(c, kK(e)[2], &alone, &shared)) return -1;
	c->dirs[at].alone += alone;
	if (!v) return 0;
	ksym name = kK(e)[0] && kK(e)[0]->t == KT_SYM ? kS(kK(e)[0])[0] : "";
	if (v->t == KT_DICT && v->rc == 1 && e->rc == 1)
		return open_dir_push(c, v, at, name);
	if (ROOM(c, vars, nvars, capvars)) return -1;
	c->walks++;
	alone = shared = 0;
	if (walk_value(c, v, &alone, &shared)) return -1;
	c->vars[c->nvars++] = (varrec){ at, name, alone, shared };
	c->dirs[at].alone += alone;
	c->dirs[at].vars++;
	return 0;
}

static void census_free(census *c)
{
	free(c->marks.m);
	free(c->dirs);
	free(c->vars);
	free(c->open);
	free(c->todo);
	free(c->sub);
}

/* Walk the directory d (borrowed) and everything under it. */
static int census_run(census *c, K d)
{
	memset(c, 0, sizeof *c);
	if (open_dir_push(c, d, -1, "")) goto fail;
	while (c->nopen) {
		open_dir *o = &c->open[c->nopen - 1];
		if (o->next == o->d->n) {             /* done: its bytes go up */
			dirrec *r = &c->dirs[o->rec];
			c->nopen--;
			if (r->parent >= 0) {
				c->dirs[r->parent].alone += r->alone;
				c->dirs[r->parent].vars += r->vars;
			}
			continue;
		}
		K e = kK(o->d)[o->next++];
		if (e && census_entry(c, e)) goto fail;
	}
	return 0;
fail:
	census_free(c);
	kerr("wsfull");
	return -1;
}

/* ---- results -------------------------------------------------------------- */

static int by_size(const void *a, const void *b)
{
	const varrec *x = a, *y = b;
	int64_t sx = x->alone + x->shared, sy = y->alone + y->shared;
	return sx < sy ? 1 : sx > sy ? -1 : strcmp(x->name, y->name);
}

/* The full name of directory i (and of name in it when name is not NULL)
 * into buf; its length. */
static size_t path_of(const census *c, const char *base, int64_t i, ksym name, char *buf, size_t cap)
{
	const char *parts[64];
	int n = 0;
	for (int64_t d = i; d > 0 && n < 64; d = c->dirs[d].parent) parts[n++] = c->dirs[d].name;
	size_t len = (size_t)snprintf(buf, cap, "%s", base);
	while (n-- > 0 && len < cap)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", len && buf[len - 1] == '.' ? "" : ".", parts[n]);
	if (name && len < cap)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", len && buf[len - 1] == '.' ? "" : ".", name);
	return len < cap ? len : cap - 1;
}

/* The directory to look at: "." or empty the root, else a path. */
static K target(const char *a, int64_t n, ksym *base)
{
	if (!n || (n == 1 && *a == '.')) { *base = "."; return ci(KL->root); }
	ksym s = sym_intern(a, (size_t)n);
	if (!s) return NULL;
	K d = ktree_get(s);
	if (d && d->t != KT_DICT) { cd(d); return kerr("type"); }
	*base = s;
	return d;
}

#define SHOWN 20

int memuse_print(const char *a, int64_t n)
{
	ksym base = ".";
	K d = target(a, n, &base);
	if (!d) return -1;
	census c;
	int e = census_run(&c, d);
	cd(d);
	if (e) return -1;
	if (c.nvars) qsort(c.vars, (size_t)c.nvars, sizeof *c.vars, by_size);
	char name[512];
	printf("%12s %12s  %s\n", "alone", "shared", "variable");
	for (int64_t i = 0; i < c.nvars && i < SHOWN; i++) {
		path_of(&c, base, c.vars[i].dir, c.vars[i].name, name, sizeof name);
		printf("%12lld %12lld  %s\n", (long long)c.vars[i].alone, (long long)c.vars[i].shared, name);
	}
	if (c.nvars > SHOWN) printf("%25s  ... %lld more (_wn lists all)\n", "", (long long)(c.nvars - SHOWN));
	printf("%12s %12s  %s\n", "alone", "shared", "directory (shared bytes counted once)");
	for (int64_t i = 0; i < c.ndirs; i++) {
		path_of(&c, base, i, NULL, name, sizeof name);
		printf("%12lld %12lld  %s  (%lld variables)\n", (long long)c.dirs[i].alone,
		       (long long)c.dirs[i].shared, name, (long long)c.dirs[i].vars);
	}
	fflush(stdout);
	census_free(&c);
	return 0;
}

/* A dictionary (`name`alone`shared) of n rows: the names as symbols. */
static K table(const census *c, int vars)
{
	int64_t n = vars ? c->nvars : c->ndirs;
	K names = k_new(-KT_SYM, n), alone = k_new(-KT_INT, n), shared = k_new(-KT_INT, n);
	K r = NULL;
	char buf[512];
	if (!names || !alone || !shared) goto fail;
	for (int64_t i = 0; i < n; i++) {
		const varrec *v = vars ? &c->vars[i] : NULL;
		size_t len = path_of(c, ".", v ? v->dir : i, v ? v->name : NULL, buf, sizeof buf);
		if (!(kS(names)[i] = sym_intern(buf, len))) goto fail;
		kI(alone)[i] = v ? v->alone : c->dirs[i].alone;
		kI(shared)[i] = v ? v->shared : c->dirs[i].shared;
	}
	r = dict_new();
	r = r ? dict_set(r, sym_c("name"), names) : (cd(names), NULL);
	r = r ? dict_set(r, sym_c("alone"), alone) : (cd(alone), NULL);
	return r ? dict_set(r, sym_c("shared"), shared) : (cd(shared), NULL);
fail:
	cd(names);
	cd(alone);
	cd(shared);
	return NULL;
}

K memuse_dict(K x)
{
	cd(x);
	census c;
	K d = ci(KL->root);
	int e = census_run(&c, d);
	cd(d);
	if (e) return NULL;
	if (c.nvars) qsort(c.vars, (size_t)c.nvars, sizeof *c.vars, by_size);
	K vars = table(&c, 1), dirs = vars ? table(&c, 0) : NULL;
	census_free(&c);
	K r = dirs ? dict_new() : NULL;
	r = r ? dict_set(r, sym_c("vars"), vars) : (cd(vars), NULL);
	r = r ? dict_set(r, sym_c("dirs"), dirs) : (cd(dirs), NULL);
	return r;
}
