/* sys_hash.c: _hash v, a table that makes (v;_hash v)?y a hash lookup,
 * and that lookup for x?y (lang/list.c).  It sits below the verbs: it
 * needs only ~ (k_match).  Semantics are Kona's. */
#include "sysfn.h"

/* A _hash table is an int vector whose count is a power of two at least
 * twice #v, holding at each slot an index into v or -1 (open addressing,
 * linear probing, first occurrence kept); `u` marks it.  Lookups compare
 * exactly (floats by bits), as Kona's hashed find does. */
#define HASH_MARK 0xB5

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Hash of item i of v (a vector or list), or of the whole value v when
 * i < 0. */
static uint64_t item_hash(K v, int64_t i)
{
	if (!k_stack_ok()) { kerr("stack"); return 0; }
	if (i >= 0 && v->t == KT_LIST) return item_hash(kK(v)[i], -1);
	if (i >= 0 || v->t > 0) {
		int64_t j = i < 0 ? 0 : i;
		uint64_t h;
		switch (v->t < 0 ? -v->t : v->t) {
		case KT_INT: return mix((uint64_t)kI(v)[j]);
		case KT_FLOAT: memcpy(&h, &kF(v)[j], 8); return mix(h);
		case KT_CHAR: return mix((unsigned char)kC(v)[j]);
		case KT_SYM: return mix((uint64_t)(uintptr_t)kS(v)[j]);
		default: return mix((uint64_t)v->t);    /* dicts, _n, functions */
		}
	}
	/* a whole vector or list: its type, count and items */
	uint64_t h = mix((uint64_t)(int64_t)v->t ^ ((uint64_t)v->n << 8));
	for (int64_t k = 0; k < v->n; k++) h = mix(h ^ item_hash(v, k));
	return h;
}

/* Is item i of v exactly y?  Borrows both. */
static int item_is(K v, int64_t i, K y)
{
	switch (v->t) {
	case -KT_INT: return kI(v)[i] == kI(y)[0];
	case -KT_FLOAT: return !memcmp(&kF(v)[i], kF(y), 8);
	case -KT_CHAR: return kC(v)[i] == kC(y)[0];
	case -KT_SYM: return kS(v)[i] == kS(y)[0];
	default: return k_match(kK(v)[i], y);
	}
}

/* Are items i and j of v the same (for building: first occurrence wins)? */
static int items_same(K v, int64_t i, int64_t j)
{
	switch (v->t) {
	case -KT_INT: return kI(v)[i] == kI(v)[j];
	case -KT_FLOAT: return !memcmp(&kF(v)[i], &kF(v)[j], 8);
	case -KT_CHAR: return kC(v)[i] == kC(v)[j];
	case -KT_SYM: return kS(v)[i] == kS(v)[j];
	default: return k_match(kK(v)[i], kK(v)[j]);
	}
}

K sys_hash(K x)
{
	if (x->t > 0) { cd(x); return kerr("rank"); }
	int64_t cap = 8;
	while (cap < 2 * x->n) cap <<= 1;
	K h = k_new(-KT_INT, cap);
	if (!h) { cd(x); return NULL; }
	int64_t *slot = kI(h);
	uint64_t mask = (uint64_t)cap - 1;
	for (int64_t i = 0; i < cap; i++) slot[i] = -1;
	for (int64_t i = 0; i < x->n; i++) {
		uint64_t s = item_hash(x, i) & mask;
		while (slot[s] >= 0 && !items_same(x, slot[s], i)) s = (s + 1) & mask;
		if (slot[s] < 0) slot[s] = i;
	}
	h->u = HASH_MARK;
	cd(x);
	return h;
}

int sysfn_hash_find(K v, K h, K y, int64_t *at)
{
	if (h->t != -KT_INT || h->u != HASH_MARK || v->t > 0) return 0;
	int64_t cap = h->n;
	if (cap < 8 || (cap & (cap - 1)) || cap < 2 * v->n) return 0;
	*at = v->n;
	if (v->t < 0 && y->t != -v->t) return 1;     /* types differ: absent */
	uint64_t mask = (uint64_t)cap - 1, s = item_hash(y, v->t < 0 ? 0 : -1) & mask;
	for (int64_t probes = 0; probes < cap; probes++, s = (s + 1) & mask) {
		int64_t i = kI(h)[s];
		if (i < 0) return 1;
		if (i < v->n && item_is(v, i, y)) { *at = i; return 1; }
	}
	return 1;
}
