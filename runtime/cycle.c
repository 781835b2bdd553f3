/* cycle.c: the cycle guard.  k_reaches(v, c) tells whether storing v into
 * the container c would make c reachable from itself: v is c, or c sits
 * inside v at some depth.
 *
 * The walk is iterative: an explicit stack of (node, next child) frames,
 * 64 on the C stack and more in heap blocks when a value nests deeper.
 * Only nested children with items are pushed, so a flat v costs one scan
 * of its items.  A value can be shared by many parents; to keep the walk
 * linear in the number of distinct nodes, nodes whose count is above 1 (the
 * only ones that can be met twice) are remembered in a hash set, made on
 * first need.  If the heap refuses memory for the walk there is no
 * answer: -1 with the error wsfull, so that a store refused for want of
 * memory is not reported as a cycle.
 */
#include "k.h"
#include "heap.h"

struct frame {
	K x;
	int64_t i;
};

struct walk {
	kpool *heap;
	struct frame local[64];
	struct frame *st;       /* local, or the data of a heap block */
	size_t cap, top;
	K *seen;                /* hash set of shared nodes, or NULL */
	size_t seen_cap, seen_n;
};

static void *block(kpool *h, size_t bytes)
{
	struct kval *b = kp_alloc(h, sizeof(struct kval) + bytes);
	if (!b)
		return NULL;
	b->rc = 1;
	b->t = -KT_INT;
	b->a = b->u = 0;
	b->n = (int64_t)(bytes / 8);
	return b->d;
}

static void unblock(kpool *h, void *d)
{
	if (d)
		kp_free(h, (char *)d - sizeof(struct kval));
}

static inline size_t ptr_hash(K x, size_t cap)
{
	return (size_t)(((uintptr_t)x * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
}

/* Add x to the seen set; 1 if it was new, 0 if seen before, -1 if no
 * memory. */
static int see(struct walk *w, K x)
{
	if ((w->seen_n + 1) * 2 > w->seen_cap) {
		size_t cap = w->seen_cap ? 2 * w->seen_cap : 256;
		K *s = block(w->heap, cap * sizeof(K));
		if (!s)
			return -1;
		memset(s, 0, cap * sizeof(K));
		for (size_t i = 0; i < w->seen_cap; i++)
			if (w->seen[i]) {
				size_t j = ptr_hash(w->seen[i], cap);
				while (s[j])
					j = (j + 1) & (cap - 1);
				s[j] = w->seen[i];
			}
		unblock(w->heap, w->seen);
		w->seen = s;
		w->seen_cap = cap;
	}
	size_t j = ptr_hash(x, w->seen_cap);
	for (; w->seen[j]; j = (j + 1) & (w->seen_cap - 1))
		if (w->seen[j] == x)
			return 0;
	w->seen[j] = x;
	w->seen_n++;
	return 1;
}

static int push(struct walk *w, K x)
{
	if (w->top == w->cap) {
		size_t cap = 2 * w->cap;
		struct frame *s = block(w->heap, cap * sizeof *s);
		if (!s)
			return -1;
		memcpy(s, w->st, w->top * sizeof *s);
		if (w->st != w->local)
			unblock(w->heap, w->st);
		w->st = s;
		w->cap = cap;
	}
	w->st[w->top++] = (struct frame){ x, 0 };
	return 0;
}

int k_reaches(K v, K c)
{
	if (!v || !c)
		return 0;
	if (v == c)
		return 1;
	if (!k_nested(v->t) || v->n == 0)
		return 0;
	struct walk w = { .heap = kc->heap, .cap = 64 };
	w.st = w.local;
	int found = 0;
	push(&w, v);                  /* the first push fits in w.local */
	while (w.top && !found) {
		struct frame *f = &w.st[w.top - 1];
		K x = f->x;
		if (f->i == x->n) {
			w.top--;
			continue;
		}
		K y = kK(x)[f->i++];
		if (!y)
			continue;
		if (y == c) {
			found = 1;
			break;
		}
		if (!k_nested(y->t) || y->n == 0)
			continue;
		if (y->rc > 1) {
			int fresh = see(&w, y);
			if (fresh == 0)
				continue;
			if (fresh < 0) {
				found = -1;
				break;
			}
		}
		if (push(&w, y) != 0) {
			found = -1;
			break;
		}
	}
	if (w.st != w.local)
		unblock(w.heap, w.st);
	unblock(w.heap, w.seen);
	if (found < 0)
		kerr("wsfull");
	return found;
}

int k_store_check(K v, K c)
{
	int r = k_nested(v->t) ? k_reaches(v, c) : 0;
	if (r > 0)
		kerr("cycle");
	return r ? -1 : 0;
}
