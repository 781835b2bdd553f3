/* sym.c: the symbol table of a context: interning strings so that symbols
 * compare by pointer.
 *
 * An open-addressing hash table (linear probing, at most 3/4 full) of
 * (string, hash, length) entries.  The strings are packed, NUL-terminated,
 * into 16 KiB arena blocks of the context's heap (a string over 1 KiB gets a
 * block of its own), so interned strings never move and the heap's leak
 * check sees them; the arenas, the entry array and the table itself are
 * heap blocks typed as vectors, released by symtab_close.  Symbols live as
 * long as their context: they are not reference counted.
 */
#include "sym_priv.h"
#include "heap_priv.h"

#define HDR sizeof(struct kval)
#define ARENA_BYTES ((size_t)16384)     /* a lane-14 block */
#define LONG_SYM 1024                   /* longer strings get their own block */

struct sym_ent {
	const char *s;
	uint32_t hash;
	uint32_t len;
};

struct ksymtab {
	kpool *heap;
	struct sym_ent *ent;    /* cap entries, in the data of a heap block */
	size_t cap, count;
	char *pos, *end;        /* free room in the current arena */
	void *arenas;           /* heap blocks holding strings, linked */
};

/* A heap block dressed as a K vector of type t and count n (so that a leak
 * listing reads sensibly); its data area holds `bytes`.  NULL if refused. */
static void *raw_block(kpool *h, int t, size_t bytes, int64_t n)
{
	struct kval *x = kp_alloc(h, HDR + bytes);
	if (!x)
		return NULL;
	x->rc = 1;
	x->t = (int8_t)t;
	x->a = x->u = 0;
	x->n = n;
	return x;
}

static uint32_t sym_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return (uint32_t)(h ^ (h >> 32));
}

static ksym intern(ksymtab *t, const char *s, size_t n);

static struct sym_ent *ent_alloc(kpool *h, size_t cap)
{
	struct kval *b = raw_block(h, -KT_INT, cap * sizeof(struct sym_ent), (int64_t)(cap * 2));
	if (!b)
		return NULL;
	memset(b->d, 0, cap * sizeof(struct sym_ent));
	return (struct sym_ent *)b->d;
}

static void ent_free(kpool *h, struct sym_ent *e)
{
	kp_free(h, (char *)e - HDR);
}

ksymtab *symtab_open(kpool *heap)
{
	struct kval *b = raw_block(heap, -KT_INT, sizeof(ksymtab), sizeof(ksymtab) / 8);
	if (!b)
		return NULL;
	ksymtab *t = (ksymtab *)b->d;
	memset(t, 0, sizeof *t);
	t->heap = heap;
	t->cap = 256;
	t->ent = ent_alloc(heap, t->cap);
	if (!t->ent || !intern(t, "", 0)) {
		symtab_close(t);
		return NULL;
	}
	return t;
}

void symtab_close(ksymtab *t)
{
	if (!t)
		return;
	kpool *h = t->heap;
	if (t->ent)
		ent_free(h, t->ent);
	for (void *a = t->arenas, *next; a; a = next) {
		next = *(void **)((struct kval *)a)->d;
		kp_free(h, a);
	}
	kp_free(h, (char *)t - HDR);
}

size_t symtab_count(const ksymtab *t) { return t->count; }

/* Room for n bytes of string (plus NUL) that never moves. */
static char *arena_take(ksymtab *t, size_t n)
{
	size_t need = n + 1;
	if (need > LONG_SYM) {
		struct kval *b = raw_block(t->heap, -KT_CHAR, sizeof(void *) + need, (int64_t)need);
		if (!b)
			return NULL;
		*(void **)b->d = t->arenas;
		t->arenas = b;
		return (char *)b->d + sizeof(void *);
	}
	if ((size_t)(t->end - t->pos) < need) {
		size_t room = ARENA_BYTES - HDR - sizeof(void *);
		struct kval *b = raw_block(t->heap, -KT_CHAR, sizeof(void *) + room, (int64_t)room);
		if (!b)
			return NULL;
		*(void **)b->d = t->arenas;
		t->arenas = b;
		t->pos = (char *)b->d + sizeof(void *);
		t->end = t->pos + room;
	}
	char *s = t->pos;
	t->pos += need;
	return s;
}

static int grow(ksymtab *t)
{
	size_t cap = t->cap * 2;
	struct sym_ent *e = ent_alloc(t->heap, cap);
	if (!e)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->ent[i].s)
			continue;
		size_t j = t->ent[i].hash & (cap - 1);
		while (e[j].s)
			j = (j + 1) & (cap - 1);
		e[j] = t->ent[i];
	}
	ent_free(t->heap, t->ent);
	t->ent = e;
	t->cap = cap;
	return 0;
}

/* The interned copy of s[0..n-1]; NULL if the heap refuses. */
static ksym intern(ksymtab *t, const char *s, size_t n)
{
	if (n > UINT32_MAX - 1)
		return NULL;
	uint32_t h = sym_hash(s, n);
	size_t mask = t->cap - 1, i = h & mask;
	for (; t->ent[i].s; i = (i + 1) & mask)
		if (t->ent[i].hash == h && t->ent[i].len == n && memcmp(t->ent[i].s, s, n) == 0)
			return t->ent[i].s;
	if ((t->count + 1) * 4 > t->cap * 3) {
		if (grow(t) != 0)
			return NULL;
		mask = t->cap - 1;
		for (i = h & mask; t->ent[i].s; i = (i + 1) & mask)
			;
	}
	char *c = arena_take(t, n);
	if (!c)
		return NULL;
	memcpy(c, s, n);
	c[n] = 0;
	t->ent[i] = (struct sym_ent){ c, h, (uint32_t)n };
	t->count++;
	return c;
}

ksym sym_intern(const char *s, size_t n)
{
	ksym r = intern(kc->syms, s, n);
	if (!r)
		kerr("wsfull");
	return r;
}

ksym sym_c(const char *s)
{
	return sym_intern(s, strlen(s));
}
