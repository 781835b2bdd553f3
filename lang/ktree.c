/* ktree.c: the K-tree.  The root is a dictionary; directories are
 * dictionaries inside it (.k is where a session starts).  A global is an
 * entry of a directory; changing one makes the dictionaries on its path
 * unshared first (copy on write), so that values taken from the tree
 * earlier keep their old contents.
 *
 * Hints.  Resolving a name splits it into parts (.k, t, x) and looks each
 * up in its directory; a loop doing d[k]+:1 would pay that (a scan of the
 * name for dots, a hash probe per level) at every access.  So each name
 * resolved leaves a hint, kept per name and current directory: its parts
 * and the position of each in its directory.  A hint is never trusted: it
 * is checked as it is used, level by level from the root, by comparing the
 * key at the remembered position with the part (interned symbols, so a
 * pointer compare).  Only live values reachable from the root are read,
 * so a tree changed in any way since (entries deleted, directories
 * replaced, copied or grown) can only make a hint miss, never mislead, and
 * no stamp has to be kept right by every writer.  For ktree_cell every
 * dictionary and entry on the way must also be unshared already, as the
 * full walk leaves them; else the full walk runs and unshares them.
 */
#include "ktree.h"

#define MAX_PARTS 16

static struct ktree_hint *hint_of(ksym name)
{
	uint64_t h = ((uint64_t)(uintptr_t)name ^ ((uint64_t)(uintptr_t)KL->dir >> 4)) * 0x9E3779B97F4A7C15ull;
	return &KL->hint[h >> 58];
}

/* The entry the hint for name leads to, or NULL if it has none or it
 * misses.  With own, only along unshared dictionaries and entries; their
 * dictionaries are then noted in KL->walked, as ktree_cell does. */
static K hint_entry(ksym name, int own)
{
	struct ktree_hint *h = hint_of(name);
	if (h->name != name || h->dir != KL->dir) return NULL;
	K d = KL->root, e = NULL;
	for (int i = 0; i < h->n; i++) {
		if (d->t != KT_DICT || h->at[i] >= d->n) return NULL;
		e = kK(d)[h->at[i]];
		if (kS(kK(e)[0])[0] != h->part[i]) return NULL;
		if (own) {
			if (d->rc != 1 || e->rc != 1 || !dict_has_room(d)) return NULL;
			KL->walked[i] = d;
		}
		d = kK(e)[1];
	}
	if (own) KL->nwalked = h->n;
	return e;
}

/* Leave a hint for name, whose n parts were found at positions at. */
static void hint_note(ksym name, int n, const ksym *part, const int64_t *at)
{
	if (n < 1 || n > KTREE_HINT_PARTS) return;
	for (int i = 0; i < n; i++)
		if (!part[i] || at[i] > INT32_MAX) return;   /* x..a: not hinted */
	struct ktree_hint *h = hint_of(name);
	h->name = name;
	h->dir = KL->dir;
	h->n = n;
	for (int i = 0; i < n; i++) {
		h->part[i] = part[i];
		h->at[i] = (int32_t)at[i];
	}
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
	K t = hint_entry(name, 0);      /* t: the entry d came from */
	if (t) return ci(kK(t)[1]);
	ksym part[MAX_PARTS];
	int64_t at[MAX_PARTS];
	int n = components(name, part);
	if (n < 0) return NULL;
	K d = KL->root;
	for (int i = 0; i < n; i++) {
		if (!part[i]) {               /* x..a: into x's attributes */
			if (!t) return kerr("value");
			d = kK(t)[2];
			continue;
		}
		if (d->t != KT_DICT) return kerr("value");
		at[i] = dict_find(d, part[i]);
		if (at[i] < 0) return kerr("value");
		t = kK(d)[at[i]];
		d = kK(t)[1];
	}
	hint_note(name, n, part, at);
	return ci(d);
}

/* Replace *cell by an unshared copy of itself (a dictionary: one with
 * room for its hash index).  On failure the tree is left exactly as it was
 * (k_mut would have released the original). */
static int unshare(K *cell)
{
	if ((*cell)->rc == 1 && ((*cell)->t != KT_DICT || dict_has_room(*cell))) return 0;
	K c = (*cell)->t == KT_DICT ? dict_copy(*cell) : k_copy(*cell);
	if (!c) return -1;
	cd(*cell);
	*cell = c;
	return 0;
}

/* The value cell of key s in the unshared dictionary *dp, made unshared
 * itself; created holding _n when missing and create is set.  On failure
 * the dictionary is left as it was. */
static K *dict_cell(K *dp, ksym s, int create, K *entry_out, int64_t *at)
{
	K d = *dp;
	int64_t e = dict_find(d, s);
	if (e < 0) {
		if (!create) { kerr("value"); return NULL; }
		K g = dict_add_null(d, s);
		if (!g) return NULL;
		if (g != d) {
			cd(d);
			*dp = d = g;
		}
		e = d->n - 1;
	}
	if (unshare(&kK(d)[e])) return NULL;
	*entry_out = kK(d)[e];
	*at = e;
	return &kK(kK(d)[e])[1];
}

K *ktree_cell(ksym name, int create)
{
	K hinted = hint_entry(name, 1);
	if (hinted) return &kK(hinted)[1];
	ksym part[MAX_PARTS];
	int64_t at[MAX_PARTS];
	int n = components(name, part);
	if (n < 0) return NULL;
	if (n == 0) { kerr("value"); return NULL; }
	KL->nwalked = 0;
	K *cell = &KL->root, t = NULL;     /* t: the entry cell is in */
	K *made = NULL, was = NULL;        /* the first _n made a dictionary */
	for (int i = 0; i < n; i++) {
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
		}
		if (d->t != KT_DICT) { kerr("type"); goto fail; }
		if (unshare(cell)) goto fail;
		d = *cell;
		K *parent = cell;
		cell = dict_cell(parent, part[i], create, &t, &at[i]);
		if (!cell) goto fail;
		KL->walked[KL->nwalked++] = *parent;   /* dict_cell may have moved it */
	}
	cd(was);
	hint_note(name, n, part, at);
	return cell;
fail:                  /* what became a dictionary is _n again */
	if (made) { cd(*made); *made = was; }
	return NULL;
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
	cd(KL->root);
	cd(KL->dirpath);
	KL->root = KL->dirpath = NULL;
	KL->nwalked = 0;
}
