/* ktree.c: the K-tree.  The root is a dictionary; directories are
 * dictionaries inside it (.k is where a session starts).  A global is an
 * entry of a directory; changing one makes the dictionaries on its path
 * unshared first (copy on write), so that values taken from the tree
 * earlier keep their old contents.
 *
 * Hints.  Resolving a name splits it into parts (.k, t, x) and looks each
 * up in its directory; a loop doing d[k]+:1 would pay that (a scan of the
 * name for dots, a hash probe per level, and the cache misses of walking
 * the tree) at every access.  So each name resolved leaves a hint, kept
 * per name and current directory: its value's cell and its path (the
 * directories and entries it went through).  A hint is good while nothing
 * that could free or move what it points to has happened since; shape[n]
 * counts those events for paths of n directories, and a hint holds the
 * count it was noted at.  The events, all inside this file:
 *  - the full walk of ktree_cell changed the tree (made a directory or an
 *    entry, or unshared one by a copy): every count moves;
 *  - ktree_cell gave a cell that holds a dictionary, which its caller may
 *    replace or grow: that dictionary can only be on paths longer than
 *    the cell's, so the counts of those move, and names beside it keep
 *    their hints (d[k]+:1 on a dictionary d does not undo the hints of
 *    the other globals).
 * Values leave the tree only by reference (ktree_get, ci on a cell), and
 * the tree itself changes only through cells ktree_cell gives, so nothing
 * else can free or move a directory or an entry.  A hint used to change a
 * value must also find its path unshared, as the full walk leaves it: a
 * reader may have taken a reference since; then the full walk runs and
 * copies.
 */
#include "ktree.h"

#define MAX_PARTS 16

/* The hints of a name are two ways of one set, by name and directory. */
static struct ktree_hint *hint_set(ksym name)
{
	uint64_t h = ((uint64_t)(uintptr_t)name ^ ((uint64_t)(uintptr_t)KL->dir >> 4)) * 0x9E3779B97F4A7C15ull;
	return &KL->hint[(h >> 40) & (KTREE_HINTS - 2)];
}

static int hint_good(const struct ktree_hint *h, ksym name)
{
	return h->name == name && h->dir == KL->dir && h->shape == KL->shape[h->n];
}

/* The tree may have changed under paths longer than n directories. */
static void reshape(int n)
{
	for (int i = n + 1; i <= KTREE_HINT_PARTS; i++) KL->shape[i]++;
}

/* The cell a good hint for name gives, or NULL.  With own, only along
 * unshared dictionaries and entries, which are then noted in KL->walked as
 * ktree_cell does. */
static K *hint_cell(ksym name, int own)
{
	struct ktree_hint *h = hint_set(name);
	if (!hint_good(h, name) && !hint_good(++h, name)) return NULL;
	if (own) {
		for (int i = 0; i < h->n; i++) {
			if (h->dict[i]->rc != 1 || h->entry[i]->rc != 1) return NULL;
			KL->walked[i] = h->dict[i];
		}
		KL->nwalked = h->n;
	}
	return h->cell;
}

/* Leave a hint for name, found through n dictionaries and entries (none
 * of them NULL: a path into attributes, x..a, is not hinted).  The newest
 * goes first in its set. */
static void hint_note(ksym name, int n, K *dict, K *entry)
{
	if (n < 1 || n > KTREE_HINT_PARTS) return;
	for (int i = 0; i < n; i++)
		if (!dict[i] || !entry[i]) return;
	struct ktree_hint *h = hint_set(name);
	if (h->name != name || h->dir != KL->dir) h[1] = h[0];
	h->name = name;
	h->dir = KL->dir;
	h->shape = KL->shape[n];
	h->n = n;
	h->cell = &kK(entry[n - 1])[1];
	memcpy(h->dict, dict, (size_t)n * sizeof(K));
	memcpy(h->entry, entry, (size_t)n * sizeof(K));
}

/* Split a name into symbols: relative names get the current directory's
 * components first.  An empty part (x..a) is NULL: what follows names an
 * attribute of the entry before it.  Returns the count, or -1 (error set). */
static int components(ksym name, ksym *out)
{
	int n = 0;
	const char *p = name;
	if (!*p) return 0;                      /* ` names the root, as `. does */
	if (*p == '.') p++;
	else {
		K d = KL->dirpath;
		for (int64_t i = 0; i < d->n && n < MAX_PARTS; i++) out[n++] = kS(d)[i];
	}
	if (!*p) return n;
	if (p == name && !strchr(p, '.')) {     /* a plain name: interned already */
		if (n == MAX_PARTS) { kerr("limit"); return -1; }
		out[n++] = name;
		return n;
	}
	for (;;) {
		const char *e = strchr(p, '.');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (n == MAX_PARTS) { kerr("limit"); return -1; }
		out[n] = len ? sym_intern(p, len) : NULL;
		if (len && !out[n]) return -1;
		if (!len && (!n || !out[n - 1])) { kerr("parse"); return -1; }   /* .. first, ... */
		n++;
		if (!e) break;
		p = e + 1;
	}
	return n;
}

K ktree_get(ksym name)
{
	K *cell = hint_cell(name, 0);
	if (cell) return ci(*cell);
	ksym part[MAX_PARTS];
	K dict[MAX_PARTS], entry[MAX_PARTS];
	int n = components(name, part);
	if (n < 0) return NULL;
	K d = KL->root, t = NULL;       /* t: the entry d came from */
	for (int i = 0; i < n; i++) {
		dict[i] = entry[i] = NULL;
		if (!part[i]) {               /* x..a: into x's attributes */
			if (!t) return kerr("value");
			d = kK(t)[2];
			continue;
		}
		if (d->t != KT_DICT) return kerr("value");
		int64_t e = dict_find(d, part[i]);
		if (e < 0) return kerr("value");
		dict[i] = d;
		entry[i] = t = kK(d)[e];
		d = kK(t)[1];
	}
	hint_note(name, n, dict, entry);
	return ci(d);
}

/* Replace *cell by an unshared copy of itself (a dictionary: one with
 * room for its hash index).  0 if it was already, 1 if copied, -1 on
 * failure, the tree then left exactly as it was (k_mut would have
 * released the original). */
static int unshare(K *cell)
{
	if ((*cell)->rc == 1 && ((*cell)->t != KT_DICT || dict_has_room(*cell))) return 0;
	K c = (*cell)->t == KT_DICT ? dict_copy(*cell) : k_copy(*cell);
	if (!c) return -1;
	cd(*cell);
	*cell = c;
	return 1;
}

/* The entry of key s in the unshared dictionary *dp, made unshared
 * itself; created holding _n when missing and create is set.  Sets
 * *changed if the tree changed.  On failure the dictionary is left as it
 * was. */
static K dict_entry_own(K *dp, ksym s, int create, int *changed)
{
	K d = *dp;
	int64_t e = dict_find(d, s);
	if (e < 0) {
		if (!create) { kerr("value"); return NULL; }
		K g = dict_add_null(d, s);
		if (!g) return NULL;
		*changed = 1;
		if (g != d) {
			cd(d);
			*dp = d = g;
		}
		e = d->n - 1;
	}
	int u = unshare(&kK(d)[e]);
	if (u < 0) return NULL;
	*changed |= u;
	return kK(d)[e];
}

/* A walk of ktree_cell: the directories and entries it went through
 * (NULL for a step into attributes), and whether it changed the tree. */
typedef struct walk { K dict[MAX_PARTS], entry[MAX_PARTS]; int changed; } walk;

/* The cell of the n parts of a name: ktree_cell without hints. */
static K *walk_to(const ksym *part, int n, int create, walk *w)
{
	KL->nwalked = 0;
	K *cell = &KL->root, t = NULL;     /* t: the entry cell is in */
	K *made = NULL, was = NULL;        /* the first _n made a dictionary */
	for (int i = 0; i < n; i++) {
		w->dict[i] = w->entry[i] = NULL;
		if (!part[i]) {                 /* x..a: into x's attributes */
			if (!t) { kerr("value"); goto fail; }
			cell = &kK(t)[2];
			continue;
		}
		K d = *cell;
		if (d->t == KT_NULL && create) {
			K nd = dict_new();
			if (!nd) goto fail;
			if (!made) { made = cell; was = d; }
			else cd(d);
			*cell = d = nd;
			w->changed = 1;
		}
		if (d->t != KT_DICT) { kerr("type"); goto fail; }
		int u = unshare(cell);
		if (u < 0) goto fail;
		w->changed |= u;
		t = dict_entry_own(cell, part[i], create, &w->changed);
		if (!t) goto fail;
		/* dict_entry_own may have moved the dictionary */
		KL->walked[KL->nwalked++] = w->dict[i] = *cell;
		w->entry[i] = t;
		cell = &kK(t)[1];
	}
	cd(was);
	return cell;
fail:                  /* what became a dictionary is _n again */
	if (made) { cd(*made); *made = was; }
	return NULL;
}

/* A cell given out holding a dictionary may see it replaced or grown: the
 * paths through it (n directories and more) are then to be walked again. */
static K *given(K *cell, int n)
{
	if (*cell && (*cell)->t == KT_DICT) reshape(n);
	return cell;
}

K *ktree_cell(ksym name, int create)
{
	K *cell = hint_cell(name, 1);
	if (cell) return given(cell, KL->nwalked);
	ksym part[MAX_PARTS];
	int n = components(name, part);
	if (n < 0) return NULL;
	if (n == 0) { kerr("value"); return NULL; }
	walk w = { .changed = 0 };
	cell = walk_to(part, n, create, &w);
	if (w.changed) reshape(0);
	if (!cell) return NULL;
	hint_note(name, n, w.dict, w.entry);
	return given(cell, KL->nwalked == n ? n : 0);    /* x..a: all paths */
}

/* The path (.k, .k.a ...) of the directory d, found by identity in the
 * tree, or NULL.  Borrows d. */
static ksym path_in(K dir, K d, char *buf, size_t len, size_t cap)
{
	if (dir == d) return sym_intern(buf, len);
	if (!k_stack_ok()) return NULL;
	for (int64_t i = 0; i < dir->n; i++) {
		K t = kK(dir)[i], v = kK(t)[1];
		if (v->t != KT_DICT) continue;
		ksym key = kS(kK(t)[0])[0];
		size_t kl = strlen(key);
		if (len + 1 + kl >= cap) continue;
		buf[len] = '.';
		memcpy(buf + len + 1, key, kl);
		ksym r = path_in(v, d, buf, len + 1 + kl, cap);
		if (r) return r;
	}
	return NULL;
}

ksym ktree_path_of(K d)
{
	char buf[256];
	return d->t == KT_DICT && d != KL->root ? path_in(KL->root, d, buf, 0, sizeof buf) : NULL;
}

int ktree_declare(ksym name)
{
	K d = KL->root;
	for (int64_t i = 0; i < KL->dirpath->n && d->t == KT_DICT; i++) {
		int64_t e = dict_find(d, kS(KL->dirpath)[i]);
		if (e < 0) break;
		d = kK(kK(d)[e])[1];
	}
	if (d->t == KT_DICT && dict_find(d, name) >= 0) return 0;
	return ktree_cell(name, 1) ? 0 : -1;
}

int ktree_store_check(K v)
{
	if (!k_nested(v->t)) return 0;
	/* ktree_cell made each dictionary on the path unshared: one that still
	 * has a single reference (its parent's) cannot be inside v, so only a
	 * shared one needs the walk through v */
	for (int i = 0; i < KL->nwalked; i++) {
		K d = KL->walked[i];
		if ((v == d || d->rc > 1) && k_store_check(v, d)) return -1;
	}
	return 0;
}

static K path_of(ksym dir)
{
	ksym part[MAX_PARTS];
	const char *p = dir;
	int n = 0;
	if (*p != '.') { kerr("domain"); return NULL; }
	p++;
	while (*p) {
		const char *e = strchr(p, '.');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (n == MAX_PARTS) { kerr("limit"); return NULL; }
		part[n] = sym_intern(p, len);
		if (!part[n]) return NULL;
		n++;
		if (!e) break;
		p = e + 1;
	}
	K v = k_new(-4, n);
	if (v) memcpy(kS(v), part, n * sizeof(ksym));
	return v;
}

int ktree_chdir(ksym dir)
{
	K path = path_of(dir);
	if (!path) return -1;
	cd(KL->dirpath);
	KL->dirpath = path;
	KL->dir = dir;
	return 0;
}

int ktree_enter(ksym dir, ktree_place *was)
{
	was->path = NULL;
	if (dir == KL->dir) return 0;
	was->dir = KL->dir;
	was->path = ci(KL->dirpath);
	if (!ktree_chdir(dir)) return 0;
	cd(was->path);
	was->path = NULL;
	return -1;
}

void ktree_leave(ktree_place *was)
{
	if (!was->path) return;
	cd(KL->dirpath);
	KL->dirpath = was->path;
	KL->dir = was->dir;
	was->path = NULL;
}

int ktree_open(void)
{
	KL->root = dict_new();
	if (!KL->root) return -1;
	K k = dict_new();
	if (!k) return -1;
	KL->root = dict_set(KL->root, sym_c("k"), k);
	if (!KL->root) return -1;
	ksym dir = sym_c(".k");
	return dir ? ktree_chdir(dir) : -1;
}

void ktree_close(void)
{
	memset(KL->hint, 0, sizeof KL->hint);
	cd(KL->root);
	cd(KL->dirpath);
	KL->root = KL->dirpath = NULL;
	KL->nwalked = 0;
}
