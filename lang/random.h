/* random.h: the one random number generator of krt (lang/random.c), shared
 * by ? (lang/list.c: n?m, -n?m, n?list) and _draw/_deal
 * (lang/sys_random.c), the files above it.  Its whole state is KL->seed
 * (lang.h), so each state has its own stream and a seed replays it.  The
 * generator is splitmix64: each step adds a constant to the state and
 * mixes the sum. */
#ifndef KRT_RANDOM_H
#define KRT_RANDOM_H

#include "lang.h"

void rng_seed(int64_t seed);         /* restart the stream (0: from the clock) */
uint64_t rng_next(void);             /* 64 random bits */
int64_t rng_below(int64_t m);        /* uniform in [0, m), m > 0, no modulo bias */
double rng_unit(void);               /* uniform in [0, 1) with 53 bits */
/* n distinct ints below m (n <= m), in random order: a new int vector. */
K rng_deal(int64_t n, int64_t m);

#endif
