/* api_held.c: the ledger of references a state has handed to the caller of
 * the API (see api_priv.h): a hash table from K to a count, with linear
 * probing and backward-shift deletion (no tombstones), kept in malloc'ed
 * memory so that it never shows in the state's heap statistics. */
#include <stdlib.h>
#include "api_priv.h"

struct api_held {
	K x;               /* NULL: an empty slot */
	uint64_t count;    /* references of x the caller holds */
};

static size_t slot_of(K x, size_t cap)
{
	return (size_t)(((uintptr_t)x >> 4) * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
}

/* The slot holding x, or the empty slot where it would go. */
static struct api_held *find(const api_ledger *l, K x)
{
	size_t i = slot_of(x, l->cap);
	while (l->slot[i].x && l->slot[i].x != x) i = (i + 1) & (l->cap - 1);
	return &l->slot[i];
}

static int grow(api_ledger *l)
{
	size_t cap = l->cap ? 2 * l->cap : 64;
	struct api_held *old = l->slot, *s = calloc(cap, sizeof *s);
	if (!s) return -1;
	size_t oldcap = l->cap;
	l->slot = s;
	l->cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].x) *find(l, old[i].x) = old[i];
	free(old);
	return 0;
}

K api_give(krt *k, K x)
{
	api_ledger *l = &k->held;
	if (!x) return NULL;
	if ((l->n + 1) * 4 > l->cap * 3 && grow(l)) {
		cd(x);
		return kerr("wsfull");
	}
	struct api_held *h = find(l, x);
	if (!h->x) { h->x = x; h->count = 0; l->n++; }
	h->count++;
	return x;
}

int api_check(krt *k, K x)
{
	api_ledger *l = &k->held;
	if (x && l->cap && find(l, x)->x) return 1;
	kerr(x ? "owner" : "null");
	return 0;
}

/* Empty slot i and move later members of its run back over the hole, so
 * that every key stays reachable from its home slot. */
static void remove_at(api_ledger *l, size_t i)
{
	size_t mask = l->cap - 1;
	for (size_t j = (i + 1) & mask; l->slot[j].x; j = (j + 1) & mask) {
		size_t home = slot_of(l->slot[j].x, l->cap);
		/* j's entry may fill the hole at i unless its home lies in (i, j] */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			l->slot[i] = l->slot[j];
			i = j;
		}
	}
	l->slot[i].x = NULL;
	l->slot[i].count = 0;
	l->n--;
}

int api_take(krt *k, K x)
{
	api_ledger *l = &k->held;
	if (!x || !l->cap) goto fail;
	struct api_held *h = find(l, x);
	if (!h->x) goto fail;
	if (--h->count == 0) remove_at(l, (size_t)(h - l->slot));
	return 1;
fail:
	kerr(x ? "owner" : "null");
	return 0;
}

int api_take_all(krt *k, int64_t n, K *items)
{
	int64_t i = 0;
	while (i < n && api_take(k, items[i])) i++;
	if (i == n) return 1;
	/* consume what is ours, leave the stranger(s) alone */
	for (int64_t j = 0; j < i; j++) cd(items[j]);
	for (int64_t j = i + 1; j < n; j++)
		if (api_take(k, items[j])) cd(items[j]);
	kerr(items[i] ? "owner" : "null");
	return 0;
}

void api_ledger_free(api_ledger *l)
{
	free(l->slot);
	l->slot = NULL;
	l->cap = l->n = 0;
}

uint64_t api_ledger_count(const api_ledger *l)
{
	uint64_t c = 0;
	for (size_t i = 0; i < l->cap; i++) c += l->slot[i].count;
	return c;
}
