/* random.c: the random number generator (see random.h), below the verbs
 * and system functions that draw from it: ? in lang/list.c, _draw and
 * _deal in lang/sys_random.c. */
#include <time.h>
#include "random.h"

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
