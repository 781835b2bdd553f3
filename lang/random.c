/* random.c: the random number generator (see random.h) and the system
 * functions built on it: x _draw y (Kona's: y > 0 draws ints below y, y = 0
 * floats in [0,1), y < 0 deals distinct ints below -y; x is a count or a
 * shape) and x _deal y (x distinct ints below y, i.e. x _draw -y). */
#include <time.h>
#include "random.h"
#include "sysfn.h"
#include "verbs.h"

void rng_seed(int64_t seed)
{
	if (!seed) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (int64_t)ts.tv_sec * 1000000007 + ts.tv_nsec;
	}
	KL->seed = (uint64_t)seed;
	KL->seed_set = seed;
}

uint64_t rng_next(void)
{
	uint64_t z = (KL->seed += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int64_t rng_below(int64_t m)
{
	uint64_t um = (uint64_t)m, lim = UINT64_MAX - UINT64_MAX % um, v;
	do v = rng_next(); while (v >= lim);
	return (int64_t)(v % um);
}

double rng_unit(void) { return (double)(rng_next() >> 11) * 0x1.0p-53; }

/* A partial Fisher-Yates shuffle of 0..m-1 when m is small against n;
 * otherwise draws checked against an open-addressing set, so that 5
 * distinct of a billion cost 5 draws, not a billion-int table. */
K rng_deal(int64_t n, int64_t m)
{
	K r = k_new(-KT_INT, n);
	if (!r) return NULL;
	int64_t *o = kI(r);
	if (m <= 4 * n) {
		K all = k_new(-KT_INT, m);
		if (!all) { cd(r); return NULL; }
		int64_t *a = kI(all);
		for (int64_t i = 0; i < m; i++) a[i] = i;
		for (int64_t i = 0; i < n; i++) {
			if (!(i & (K_POLL_BLOCK - 1)) && k_broken()) { cd(all); cd(r); return NULL; }
			int64_t j = i + rng_below(m - i), t = a[i];
			a[i] = a[j];
			a[j] = t;
			o[i] = a[i];
		}
		cd(all);
		return r;
	}
	int64_t cap = 16;
	while (cap < 2 * n) cap <<= 1;
	K set = k_new(-KT_INT, cap);
	if (!set) { cd(r); return NULL; }
	int64_t *h = kI(set);
	uint64_t mask = (uint64_t)cap - 1;
	for (int64_t i = 0; i < cap; i++) h[i] = -1;
	for (int64_t i = 0, tries = 0; i < n; tries++) {
		if (!(tries & (K_POLL_BLOCK - 1)) && k_broken()) { cd(set); cd(r); return NULL; }
		int64_t v = rng_below(m);
		uint64_t s = ((uint64_t)v * 0x9e3779b97f4a7c15ULL) & mask;
		while (h[s] >= 0 && h[s] != v) s = (s + 1) & mask;
		if (h[s] == v) continue;
		h[s] = v;
		o[i++] = v;
	}
	cd(set);
	return r;
}

/* Counts beyond this are refused with wsfull before any allocation. */
#define DRAW_LIMIT ((int64_t)1 << 40)

K sys_draw(K x, K y)
{
	K r = NULL;
	if ((x->t != KT_INT && x->t != -KT_INT) || y->t != KT_INT) { kerr("int"); goto fail; }
	int64_t n = 1;
	for (int64_t i = 0; i < x->n; i++) {
		int64_t d = kI(x)[i];
		if (d < 0) { kerr("int"); goto fail; }
		if (d && n > DRAW_LIMIT / d) { kerr("wsfull"); goto fail; }
		n *= d;
	}
	int64_t c = kI(y)[0];
	if (c == KI_NULL) { kerr("int"); goto fail; }
	if (c < 0 && n > -c) { kerr("length"); goto fail; }
	if (c < 0) r = rng_deal(n, -c);
	else {
		r = k_new(c ? -KT_INT : -KT_FLOAT, n);
		if (!r) goto fail;
		K_BLOCKS(b, e, n) {
			if (k_broken()) { cd(r); r = NULL; break; }
			if (c) for (int64_t i = b; i < e; i++) kI(r)[i] = rng_below(c);
			else for (int64_t i = b; i < e; i++) kF(r)[i] = rng_unit();
		}
	}
	if (!r || x->t == KT_INT) goto fail;
	r = verb_take(x, r);       /* the shape x */
	x = NULL;
fail:
	cd(x);
	cd(y);
	return r;
}

K sys_deal(K x, K y)
{
	if (y->t != KT_INT) { cd(x); cd(y); return kerr("int"); }
	if (kI(y)[0] < 0) { cd(x); cd(y); return kerr("domain"); }
	K ny = k_int(-kI(y)[0]);
	cd(y);
	if (!ny) { cd(x); return NULL; }
	return sys_draw(x, ny);
}
