/* dict.c: dictionaries, and the hash index that makes their lookup O(1).
 *
 * A dictionary is a type-5 value whose items are 3-item general lists
 * (symbol atom; value; attributes), the attributes being _n or a
 * dictionary.  Keys keep their insertion order, which is part of the value
 * (!d lists them in the order they were made); display, match and every
 * other reader see only the entries.
 *
 * The index.  A dictionary of DICT_HASH_MIN entries or more may carry a
 * hash table in the spare room at the end of its own block, so the index
 * goes wherever the value goes and costs no allocation of its own:
 *
 *   header | entry 0 .. entry n-1 | (room) | self | nb | slot[0 .. m-1]
 *
 * slot[h] is 0 (empty) or 1 + the position of an entry whose key hashes
 * to h (linear probing; m a power of two, 2^u, u kept in the header's u
 * byte); the first nb entries are in it.  `self` is the block's own
 * address: a block moved or copied elsewhere (k_resize, k_copy) carries a
 * stale trailer that no longer names it, and entries that grow into the
 * room overwrite `self` first (it is the lowest word of the trailer), so
 * either way the index is seen to be gone and is rebuilt (O(n), once per
 * move, and blocks double as they move).  Entries appended past nb are
 * added to the table by the next lookup; a dictionary that shrank below
 * nb is rebuilt.  Hits are checked against the entry's key, so a stale
 * slot can never give a wrong entry.
 *
 * Lookup is a linear scan below DICT_HASH_MIN entries (comparing interned
 * symbol pointers is as fast as hashing there), and a hash probe above.
 * dict_set, the K-tree and amend (which own the dictionary) give it room
 * for the index as it grows; a dictionary made elsewhere without room is
 * scanned until one of them next grows or copies it.  Measured on `make
 * bench`'s dict (10^5 d[k]+:1 on 1,000 keys): 290 ms linear, now a few ms.
 */
#include "lang.h"

#define SLOTS_MIN 16

struct dict_trailer { K self; int64_t nb; };

static inline ksym key_at(K d, int64_t i) { return kS(kK(kK(d)[i])[0])[0]; }

static inline uint64_t hash_sym(ksym s)
{
	return ((uint64_t)(uintptr_t)s * 0x9E3779B97F4A7C15ull) >> 17;
}

/* Slots of the index for n entries: a power of two at least twice n. */
static int slot_bits(int64_t n)
{
	int u = 4;
	while (((int64_t)1 << u) < 2 * n)
		u++;
	return u;
}

/* Elements (8 bytes) a block needs for n entries and their index. */
static int64_t room_for(int64_t n)
{
	return n + (int64_t)(sizeof(struct dict_trailer) / sizeof(K)) + ((int64_t)1 << slot_bits(n)) / 2;
}

static inline int32_t *slots_of(K d, int u)
{
	return (int32_t *)(kK(d) + k_cap(d)) - ((size_t)1 << u);
}

static inline struct dict_trailer *trailer_of(K d, int u)
{
	return (struct dict_trailer *)slots_of(d, u) - 1;
}

/* The index of d if it is valid (its slots; u and its trailer out), else
 * NULL.  The block's capacity is asked for once: a lookup's cost is
 * mostly here. */
static int32_t *index_of(K d, int *u, struct dict_trailer **tp)
{
	if (!d->u || d->u >= 31)
		return NULL;
	int64_t cap = k_cap(d), m = (int64_t)1 << d->u;
	if (d->n + 2 + m / 2 > cap)     /* entries grew into the trailer */
		return NULL;
	int32_t *slot = (int32_t *)(kK(d) + cap) - m;
	struct dict_trailer *t = (struct dict_trailer *)slot - 1;
	if (t->self != d || t->nb > d->n || t->nb < 0)
		return NULL;
	*u = d->u;
	*tp = t;
	return slot;
}

static void slot_put(int32_t *slot, int u, ksym s, int64_t i)
{
	uint64_t mask = ((uint64_t)1 << u) - 1, h = hash_sym(s) & mask;
	while (slot[h])
		h = (h + 1) & mask;
	slot[h] = (int32_t)(i + 1);
}

/* Build the index of d in its room if the room is enough; 0 or -1.  The
 * index is a cache: building it leaves the value unchanged. */
static int index_build(K d)
{
	if (d->n < DICT_HASH_MIN || d->n >= INT32_MAX / 4 || k_cap(d) < room_for(d->n)) {
		d->u = 0;
		return -1;
	}
	int u = slot_bits(d->n);
	int32_t *slot = slots_of(d, u);
	memset(slot, 0, sizeof(int32_t) << u);
	for (int64_t i = 0; i < d->n; i++)
		slot_put(slot, u, key_at(d, i), i);
	struct dict_trailer *t = trailer_of(d, u);
	t->self = d;
	t->nb = d->n;
	d->u = (uint8_t)u;
	return 0;
}

int64_t dict_find_indexed(K d, ksym s)
{
	int64_t n = d->n, i;
	int u;
	struct dict_trailer *t;
	int32_t *slot = index_of(d, &u, &t);
	if (!slot || 2 * n > ((int64_t)1 << u)) {       /* none, or too full */
		if (index_build(d))
			goto scan_all;
		slot = index_of(d, &u, &t);
	}
	for (; t->nb < n; t->nb++)      /* entries appended since: into the table */
		slot_put(slot, u, key_at(d, t->nb), t->nb);
	uint64_t mask = ((uint64_t)1 << u) - 1;
	for (uint64_t h = hash_sym(s) & mask; slot[h]; h = (h + 1) & mask) {
		i = slot[h] - 1;
		if (i < n && key_at(d, i) == s)
			return i;
	}
	return -1;
scan_all:
	for (i = 0; i < n; i++)
		if (key_at(d, i) == s)
			return i;
	return -1;
}

K dict_new(void)
{
	return k_new(KT_DICT, 0);
}

/* The entry triple of key s, or NULL.  Borrows d; the result is borrowed
 * from d too. */
K dict_entry(K d, ksym s)
{
	int64_t i = dict_find(d, s);
	return i < 0 ? NULL : kK(d)[i];
}

/* Value of s in d, or _n.  Borrows d; new reference. */
K dict_get(K d, ksym s)
{
	K e = dict_entry(d, s);
	return e ? ci(kK(e)[1]) : k_null();
}

K dict_triple(ksym s, K v)
{
	K e = k_list(3);
	if (!e) goto fail;
	kK(e)[1] = v;
	v = NULL;
	kK(e)[0] = k_symv(s);
	kK(e)[2] = k_null();
	if (!kK(e)[0] || !kK(e)[2]) goto fail;
	return e;
fail:
	cd(e);  /* k_list children start NULL, so a partial triple frees */
	cd(v);
	return NULL;
}

int dict_put(K *pd, ksym s, K v)
{
	K d = *pd;
	int64_t i = dict_find(d, s), n = d->n;
	if (i >= 0) {
		K e = kK(d)[i];
		if (e->rc > 1) {                 /* a new entry before any change */
			K c = k_copy(e);
			if (!c) return -1;
			cd(e);
			kK(d)[i] = e = c;
		}
		cd(kK(e)[1]);
		kK(e)[1] = ci(v);
		return 0;
	}
	K e = dict_triple(s, ci(v));
	if (!e) return -1;
	/* room for the index of what d then holds, doubling, so that appends
	 * stay amortised O(1); k_grow leaves d as it was when it fails */
	int64_t want = n + 1 >= DICT_HASH_MIN && k_cap(d) < room_for(n + 1) ? room_for(2 * (n + 1)) : n + 1;
	if (k_grow(pd, want)) { cd(e); return -1; }
	kK(*pd)[n] = e;
	(*pd)->n = n + 1;
	return 0;
}

/* d with s set to v; the entry keeps its attributes and its place, a new
 * key goes last.  Consumes d and v; in place when d (and the entry) are
 * unshared and d has room for its index. */
K dict_set(K d, ksym s, K v)
{
	d = dict_own(d);
	if (d && dict_put(&d, s, v)) { cd(d); d = NULL; }
	cd(v);
	return d;
}

K dict_add_null(K d, ksym s)
{
	K nul = k_null();
	K t = nul ? dict_triple(s, nul) : NULL;
	if (!t) return NULL;
	int64_t n = d->n;
	if (d->rc == 1 && k_cap(d) >= (n + 1 >= DICT_HASH_MIN ? room_for(n + 1) : n + 1)) {
		kK(d)[n] = t;           /* room already: nothing can fail now */
		d->n = n + 1;
		return d;
	}
	K r = k_new(KT_DICT, n + 1 >= DICT_HASH_MIN ? room_for(2 * (n + 1)) : n + 1);
	if (!r) { cd(t); return NULL; }
	for (int64_t i = 0; i < n; i++) kK(r)[i] = ci(kK(d)[i]);
	kK(r)[n] = t;
	r->n = n + 1;
	return r;
}

K dict_copy(K d)
{
	int64_t n = d->n;
	K r = k_new(KT_DICT, n >= DICT_HASH_MIN ? room_for(n) : n);   /* appends double it */
	if (!r) return NULL;
	for (int64_t i = 0; i < n; i++) kK(r)[i] = ci(kK(d)[i]);
	r->n = n;
	return r;
}

int dict_has_room(K d)
{
	return d->n < DICT_HASH_MIN || k_cap(d) >= room_for(d->n);
}

K dict_own(K d)
{
	if (!d || (d->rc == 1 && dict_has_room(d)))
		return d;
	K r = dict_copy(d);
	cd(d);
	return r;
}
