/* heap_test.c: unit suite of runtime/heap.c (KPOOL) used directly through
 * kp_*: lane selection, free-list order, refill, direct maps and mremap
 * growth, exact statistics, the heap limit, fault injection, trim and its
 * hysteresis, the fit lanes (cells by touched extent, slack given back,
 * kp_purge), free-list verification, and the leak listing of kp_close.
 * Every test opens its own pool and checks it closes with no live block.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../runtime/heap.h"
#include "../../runtime/heap_priv.h"
#include "../../runtime/k.h"

static kpool *P;

static void setup(void)
{
	P = kp_open();
	ck_assert_ptr_nonnull(P);
}

static void teardown(void)
{
	ck_assert_int_eq(kp_verify(P), 0);
	uint64_t leaks = kp_close(P, 1);
	P = NULL;
	ck_assert_uint_eq(leaks, 0);
}

static kpool_stats stats(void)
{
	kpool_stats s;
	kp_stats(P, &s);
	return s;
}

static int lane_byte(void *b) { return ((struct kval *)b)->lane; }

/* ---- lanes ------------------------------------------------------------ */

START_TEST(lane_boundaries)
{
	ck_assert_int_eq(kp_lane(0), 6);
	ck_assert_int_eq(kp_lane(1), 6);
	ck_assert_int_eq(kp_lane(63), 6);
	ck_assert_int_eq(kp_lane(64), 6);
	ck_assert_int_eq(kp_lane(65), 7);
	ck_assert_int_eq(kp_lane(128), 7);
	ck_assert_int_eq(kp_lane(129), 8);
	ck_assert_int_eq(kp_lane(4096), 12);
	ck_assert_int_eq(kp_lane(4097), 13);
	ck_assert_int_eq(kp_lane(((size_t)1 << 25) - 1), 25);
	ck_assert_int_eq(kp_lane((size_t)1 << 25), 25);
	ck_assert_int_gt(kp_lane(((size_t)1 << 25) + 1), KP_MAX);
	for (int r = 7; r <= 40; r++) {
		ck_assert_int_eq(kp_lane(((size_t)1 << r) - 1), r);
		ck_assert_int_eq(kp_lane((size_t)1 << r), r);
		ck_assert_int_eq(kp_lane(((size_t)1 << r) + 1), r + 1);
	}
}
END_TEST

START_TEST(alloc_at_boundaries)
{
	static const size_t sizes[] = { 1, 63, 64, 65, 4095, 4096, 4097,
		((size_t)1 << 25) - 1, (size_t)1 << 25, ((size_t)1 << 25) + 1 };
	static const int lanes[] = { 6, 6, 6, 7, 12, 12, 13, 25, 25, KP_DIRECT };
	void *b[10];
	for (int i = 0; i < 10; i++) {
		b[i] = kp_alloc(P, sizes[i]);
		ck_assert_ptr_nonnull(b[i]);
		ck_assert_int_eq(lane_byte(b[i]), lanes[i]);
		ck_assert_uint_ge(kp_size(b[i]), sizes[i]);
		ck_assert_uint_eq((uintptr_t)b[i] % 16, 0);
		memset(b[i], 0x5A, sizes[i]);           /* the whole block is ours */
		((struct kval *)b[i])->lane = (uint8_t)lanes[i];
	}
	ck_assert_uint_eq(kp_size(b[3]), 128);
	ck_assert_uint_eq(kp_size(b[8]), (size_t)1 << 25);
	for (int i = 0; i < 10; i++)
		kp_free(P, b[i]);
	ck_assert_uint_eq(stats().in_use, 0);
}
END_TEST

/* ---- free lists --------------------------------------------------------- */

START_TEST(pop_push_order)
{
	void *a = kp_alloc(P, 64), *b = kp_alloc(P, 64), *c = kp_alloc(P, 64);
	ck_assert_ptr_ne(a, b);
	ck_assert_ptr_ne(b, c);
	kp_free(P, a);
	void *d = kp_alloc(P, 50);
	ck_assert_ptr_eq(d, a);                 /* the cell just freed comes back */
	kp_free(P, b);
	kp_free(P, d);
	kp_free(P, c);
	ck_assert_ptr_eq(kp_alloc(P, 64), c);   /* last in, first out */
	ck_assert_ptr_eq(kp_alloc(P, 64), d);
	ck_assert_ptr_eq(kp_alloc(P, 64), b);
	/* other lanes are separate */
	void *e = kp_alloc(P, 100);
	ck_assert_int_eq(lane_byte(e), 7);
	ck_assert_ptr_ne(e, a);
	kp_free(P, a);
	kp_free(P, b);
	kp_free(P, c);
	kp_free(P, e);
	ck_assert_uint_eq(stats().live[6], 0);
}
END_TEST

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(uintptr_t *)a, y = *(uintptr_t *)b;
	return x < y ? -1 : x > y;
}

START_TEST(refill_many)
{
	/* 3 chunks' worth of 64-byte cells: refills carve chunk after chunk,
	 * cells never overlap, and every cell comes back for reuse */
	enum { N = 3 * 16384 + 17 };
	void **v = malloc(N * sizeof *v);
	for (int i = 0; i < N; i++) {
		v[i] = kp_alloc(P, 64);
		ck_assert_ptr_nonnull(v[i]);
		((uint64_t *)v[i])[2] = (uint64_t)i;
	}
	kpool_stats s = stats();
	ck_assert_uint_eq(s.live[6], N);
	ck_assert_uint_eq(s.in_use, (uint64_t)N * 64);
	ck_assert_uint_eq(s.held, 4u << 20);    /* four 1 MiB chunks */
	ck_assert_uint_eq(s.live[6] + s.free[6], 4 * 16384);
	for (int i = 0; i < N; i++)
		ck_assert_uint_eq(((uint64_t *)v[i])[2], (uint64_t)i);
	qsort(v, N, sizeof *v, cmp_ptr);
	for (int i = 1; i < N; i++)
		ck_assert_uint_ge((uintptr_t)v[i] - (uintptr_t)v[i - 1], 64);
	for (int i = 0; i < N; i++)
		kp_free(P, v[i]);
	ck_assert_int_eq(kp_verify(P), 0);
	/* reuse: allocating again maps nothing new */
	kpool_os o0, o1;
	kp_os_counters(P, &o0);
	for (int i = 0; i < N; i++)
		v[i] = kp_alloc(P, 64);
	kp_os_counters(P, &o1);
	ck_assert_uint_eq(o1.maps, o0.maps);
	for (int i = 0; i < N; i++)
		kp_free(P, v[i]);
	free(v);
}
END_TEST

START_TEST(large_lanes)
{
	/* lanes of 1 MiB and more map each cell on its own */
	void *a = kp_alloc(P, (1 << 20) + 1), *b = kp_alloc(P, 3 << 20);
	ck_assert_int_eq(lane_byte(a), 21);
	ck_assert_int_eq(lane_byte(b), 22);
	kpool_stats s = stats();
	ck_assert_uint_eq(s.held, (2u << 20) + (4u << 20));
	kp_free(P, a);
	void *c = kp_alloc(P, 2 << 20);
	ck_assert_ptr_eq(a, c);
	kp_free(P, c);
	kp_free(P, b);
}
END_TEST

/* ---- direct maps ------------------------------------------------------ */

START_TEST(direct_blocks)
{
	size_t size = ((size_t)1 << 25) + 1;
	kpool_stats s0 = stats();
	char *b = kp_alloc(P, size);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(lane_byte(b), KP_DIRECT);
	uint64_t bytes = kp_block_bytes(size);
	ck_assert_uint_ge(bytes, size);
	ck_assert_uint_eq(bytes % 4096, 0);
	kpool_stats s = stats();
	ck_assert_uint_eq(s.held_direct, bytes);
	ck_assert_uint_eq(s.held, s0.held + bytes);
	ck_assert_uint_eq(s.in_use, bytes);
	ck_assert_uint_eq(s.direct_live, 1);
	b[size - 1] = 7;
	char *c = kp_alloc(P, (size_t)100 << 20);
	ck_assert_uint_eq(stats().direct_live, 2);
	kp_free(P, b);
	s = stats();
	ck_assert_uint_eq(s.direct_live, 1);
	ck_assert_uint_eq(s.direct_cached, bytes);      /* kept for reuse */
	ck_assert_uint_eq(s.held_direct - s.direct_cached, kp_block_bytes((size_t)100 << 20));
	kp_free(P, c);
	s = stats();
	ck_assert_uint_eq(s.direct_live, 0);
	ck_assert_uint_eq(s.held_direct, s.direct_cached);
	ck_assert_uint_eq(s.in_use, 0);
	kp_trim(P);
	s = stats();
	ck_assert_uint_eq(s.held_direct, 0);
	ck_assert_uint_eq(s.direct_cached, 0);
	ck_assert_uint_eq(s.held, s0.held);     /* all munmap'ed by the trim */
}
END_TEST

/* A freed direct mapping is reused: no map, its pages still there; a
 * smaller request cuts it, a larger one grows it; idle, it goes back. */
START_TEST(direct_cache)
{
	size_t size = (size_t)80 << 20;
	kpool_os o0, o1;
	char *b = kp_alloc(P, size);
	memset(b + 4096, 0x5A, size - 4096);
	kp_free(P, b);
	kp_os_counters(P, &o0);
	char *c = kp_alloc(P, size);
	kp_os_counters(P, &o1);
	ck_assert_ptr_eq(c, b);
	ck_assert_uint_eq(o1.maps, o0.maps);
	ck_assert_uint_eq(o1.unmaps, o0.unmaps);
	ck_assert_int_eq(c[size - 1], 0x5A);            /* the same pages */
	kpool_stats s = stats();
	ck_assert_uint_eq(s.direct_cached, 0);
	ck_assert_uint_eq(s.in_use, kp_block_bytes(size));
	kp_free(P, c);
	c = kp_alloc(P, (size_t)50 << 20);              /* cut */
	ck_assert_ptr_eq(c, b);
	ck_assert_uint_eq(stats().held_direct, kp_block_bytes((size_t)50 << 20));
	kp_free(P, c);
	c = kp_alloc(P, (size_t)120 << 20);             /* grown */
	ck_assert_int_eq(c[((size_t)50 << 20) - 1], 0x5A);
	s = stats();
	ck_assert_uint_eq(s.held_direct, kp_block_bytes((size_t)120 << 20));
	ck_assert_uint_eq(s.in_use, s.held_direct);
	kp_free(P, c);
	ck_assert_uint_eq(stats().direct_cached, kp_block_bytes((size_t)120 << 20));
	/* small frees run the automatic trim's looks: the idle mapping goes */
	kp_os_counters(P, &o0);
	for (int i = 0; i < 40000; i++)
		kp_free(P, kp_alloc(P, 4000));
	s = stats();
	ck_assert_uint_eq(s.direct_cached, 0);
	ck_assert_uint_eq(s.held_direct, 0);
	kp_os_counters(P, &o1);
	ck_assert_uint_eq(o1.unmaps, o0.unmaps + 1);
}
END_TEST

/* Under a heap limit the cached mappings count, and give way to a request. */
START_TEST(direct_cache_limit)
{
	kp_set_limit(P, (uint64_t)100 << 20);
	char *b = kp_alloc(P, (size_t)60 << 20);
	ck_assert_ptr_nonnull(b);
	kp_free(P, b);
	ck_assert_uint_gt(stats().direct_cached, 0);
	char *c = kp_alloc(P, (size_t)30 << 20);        /* pooled lane 25 */
	ck_assert_ptr_nonnull(c);
	char *d = kp_alloc(P, (size_t)40 << 20);        /* the cached one, cut */
	ck_assert_ptr_nonnull(d);
	kp_free(P, c);
	kp_free(P, d);
	ck_assert_uint_le(stats().held, (uint64_t)100 << 20);
	b = kp_alloc(P, (size_t)90 << 20);              /* only after a trim */
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_le(stats().held, (uint64_t)100 << 20);
	kp_free(P, b);
	kp_set_limit(P, 0);
}
END_TEST

START_TEST(realloc_growth)
{
	/* pooled: in place while the lane fits, else moved with `keep` bytes */
	struct kval *x = kp_alloc(P, 40);
	x->t = -1;
	x->n = 3;
	ck_assert_ptr_eq(kp_realloc(P, x, 64, 40), x);
	strcpy((char *)x->d, "abcdefghijklmnopqrstuvwxyz");
	struct kval *y = kp_realloc(P, x, 5000, 16 + 27);
	ck_assert_ptr_nonnull(y);
	ck_assert_int_eq(y->lane, 13);
	ck_assert_int_eq(y->t, -1);
	ck_assert_str_eq((char *)y->d, "abcdefghijklmnopqrstuvwxyz");
	ck_assert_uint_eq(stats().live[6], 0);
	/* into a direct block, then grown by mremap */
	struct kval *z = kp_realloc(P, y, (size_t)40 << 20, 16 + 27);
	ck_assert_int_eq(z->lane, KP_DIRECT);
	ck_assert_str_eq((char *)z->d, "abcdefghijklmnopqrstuvwxyz");
	memset((char *)z + ((size_t)40 << 20) - 100, 0x77, 100);
	kpool_os o0, o1;
	kp_os_counters(P, &o0);
	struct kval *w = kp_realloc(P, z, (size_t)90 << 20, (size_t)40 << 20);
	kp_os_counters(P, &o1);
	ck_assert_uint_eq(o1.maps, o0.maps + 1);          /* one mremap */
	ck_assert_int_eq(w->lane, KP_DIRECT);
	ck_assert_str_eq((char *)w->d, "abcdefghijklmnopqrstuvwxyz");
	ck_assert_int_eq(((unsigned char *)w)[((size_t)40 << 20) - 1], 0x77);
	ck_assert_uint_ge(kp_size(w), (size_t)90 << 20);
	kpool_stats s = stats();
	ck_assert_uint_eq(s.held_direct, kp_block_bytes((size_t)90 << 20));
	ck_assert_uint_eq(s.in_use, s.held_direct);
	ck_assert_uint_eq(s.direct_live, 1);
	/* a smaller size stays in place */
	ck_assert_ptr_eq(kp_realloc(P, w, 1000, 100), w);
	kp_free(P, w);
	ck_assert_uint_eq(stats().held_direct, stats().direct_cached);
}
END_TEST

/* ---- statistics ------------------------------------------------------- */

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

START_TEST(stats_exact)
{
	enum { SLOTS = 4096, STEPS = 200000 };
	void **slot = calloc(SLOTS, sizeof *slot);
	uint64_t in_use = 0, peak = 0, live[KP_MAX + 1] = { 0 }, direct = 0, direct_bytes = 0;
	for (int step = 0; step < STEPS; step++) {
		size_t i = next_rand() % SLOTS;
		if (slot[i]) {
			int r = lane_byte(slot[i]);
			if (r == KP_DIRECT) {
				direct--;
				direct_bytes -= kp_size(slot[i]) + 32;
				in_use -= kp_size(slot[i]) + 32;
			} else {
				live[r]--;
				in_use -= (uint64_t)1 << r;
			}
			kp_free(P, slot[i]);
			slot[i] = NULL;
		} else {
			uint64_t k = next_rand();
			size_t size = k % 97 == 0 ? ((size_t)1 << 25) + k % 5000000
			            : k % 13 == 0 ? 1 + k % 300000 : 1 + k % 700;
			slot[i] = kp_alloc(P, size);
			ck_assert_ptr_nonnull(slot[i]);
			uint64_t bytes = kp_block_bytes(size);
			int r = lane_byte(slot[i]);
			if (r == KP_DIRECT) {
				direct++;
				direct_bytes += bytes;
			} else {
				/* a fit lane's block may get a cell one lane up */
				if (r != kp_lane(size)) {
					ck_assert_int_ge(kp_lane(size), 16);
					ck_assert_int_eq(r, kp_lane(size) + 1);
					bytes = (uint64_t)1 << r;
				}
				live[r]++;
			}
			in_use += bytes;
			if (in_use > peak)
				peak = in_use;
		}
		if (step % 1000 == 0 || step == STEPS - 1) {
			kpool_stats s = stats();
			ck_assert_uint_eq(s.in_use, in_use);
			ck_assert_uint_eq(s.peak, peak);
			ck_assert_uint_eq(s.direct_live, direct);
			ck_assert_uint_eq(s.held_direct - s.direct_cached, direct_bytes);
			uint64_t pooled = 0;
			for (int r = KP_MIN; r <= KP_MAX; r++) {
				ck_assert_uint_eq(s.live[r], live[r]);
				pooled += (s.live[r] + s.free[r]) << r;
			}
			ck_assert_uint_eq(pooled, s.held - s.held_direct);
		}
	}
	for (int i = 0; i < SLOTS; i++)
		if (slot[i])
			kp_free(P, slot[i]);
	free(slot);
	kpool_stats s = stats();
	ck_assert_uint_eq(s.in_use, 0);
	ck_assert_uint_eq(s.peak, peak);
	for (int r = KP_MIN; r <= KP_MAX; r++)
		ck_assert_uint_eq(s.live[r], 0);
}
END_TEST

/* ---- limit and fault injection ---------------------------------------- */

START_TEST(limit_wsfull)
{
	kp_set_limit(P, 8u << 20);
	void **v = malloc(400000 * sizeof *v);
	int n = 0;
	while (n < 400000 && (v[n] = kp_alloc(P, 100)) != NULL)
		n++;
	ck_assert_int_lt(n, 400000);
	ck_assert_int_ge(n, 50000);                /* about 8 MiB of 128-byte cells */
	kpool_stats s = stats();
	ck_assert_uint_le(s.held, (8u << 20) + KP_RESERVE_SMALL);   /* small lanes' reserve */
	ck_assert_ptr_null(kp_alloc(P, (size_t)64 << 20)); /* direct too */
	ck_assert_uint_eq(stats().held_direct, 0);
	for (int i = 0; i < n; i++)
		kp_free(P, v[i]);
	/* with the limit reached, a new lane can still get memory by trimming */
	void *big = kp_alloc(P, 3 << 20);
	ck_assert_ptr_nonnull(big);
	ck_assert_uint_le(stats().held, 8u << 20);
	kp_free(P, big);
	kp_set_limit(P, 0);
	ck_assert_ptr_nonnull(v[0] = kp_alloc(P, (size_t)64 << 20));
	kp_free(P, v[0]);
	free(v);
	ck_assert_uint_eq(stats().in_use, 0);
}
END_TEST

START_TEST(fault_injection)
{
	void *a = kp_alloc(P, 64);
	kp_free(P, a);                           /* a now sits on the free list */
	kp_fail_after(P, 3);
	void *b1 = kp_alloc(P, 64), *b2 = kp_alloc(P, 200);
	ck_assert_ptr_nonnull(b1);
	ck_assert_ptr_nonnull(b2);
	ck_assert_ptr_null(kp_alloc(P, 64));      /* the third fails, even from a list */
	void *b4 = kp_alloc(P, 64);                /* and only the third */
	ck_assert_ptr_nonnull(b4);
	kp_fail_after(P, 1);
	ck_assert_ptr_null(kp_alloc(P, (size_t)50 << 20));
	kp_fail_after(P, 2);
	kp_fail_after(P, 0);                       /* turned off */
	void *b5 = kp_alloc(P, 64), *b6 = kp_alloc(P, 64);
	ck_assert_ptr_nonnull(b5);
	ck_assert_ptr_nonnull(b6);
	kp_free(P, b1);
	kp_free(P, b2);
	kp_free(P, b4);
	kp_free(P, b5);
	kp_free(P, b6);
	ck_assert_uint_eq(stats().in_use, 0);
}
END_TEST

/* ---- trim --------------------------------------------------------------- */

START_TEST(trim_whole_chunks)
{
	enum { N = 100000 };
	void **v = malloc(N * sizeof *v);
	kpool_stats s0 = stats();
	for (int i = 0; i < N; i++)
		v[i] = kp_alloc(P, 128);
	kpool_stats s1 = stats();
	ck_assert_uint_ge(s1.held, s0.held + (uint64_t)N * 128);
	/* keep one cell of the first chunk: that chunk must stay */
	for (int i = 1; i < N; i++)
		kp_free(P, v[i]);
	uint64_t got = kp_trim(P);
	kpool_stats s2 = stats();
	ck_assert_uint_gt(got, 0);
	ck_assert_uint_eq(s2.held, s1.held - got);
	ck_assert_uint_eq(s2.trimmed, s1.trimmed + got);
	ck_assert_uint_eq(s2.held, 1u << 20);   /* just the chunk holding v[0] */
	ck_assert_uint_eq(s2.live[7], 1);
	ck_assert_uint_eq(s2.live[7] + s2.free[7], (1u << 20) / 128);
	ck_assert_int_eq(kp_verify(P), 0);
	/* what is left still works */
	for (int i = 1; i < N; i++)
		v[i] = kp_alloc(P, 128);
	ck_assert_int_eq(kp_verify(P), 0);
	for (int i = 0; i < N; i++)
		kp_free(P, v[i]);
	uint64_t held = stats().held;
	ck_assert_uint_eq(kp_trim(P), held);
	ck_assert_uint_eq(stats().held, 0);
	ck_assert_uint_eq(kp_trim(P), 0);
	free(v);
}
END_TEST

/* 10^7 100-byte blocks (about 1.3 GB held) built and dropped: the automatic
 * trim brings what the pool holds back near its baseline by itself. */
START_TEST(auto_trim_1gb)
{
	enum { N = 10000000 };
	void **v = malloc((size_t)N * sizeof *v);
	kpool_stats s0 = stats();
	for (int i = 0; i < N; i++) {
		v[i] = kp_alloc(P, 100);
		((uint64_t *)v[i])[1] = 1;
	}
	kpool_stats s1 = stats();
	ck_assert_uint_ge(s1.held, (uint64_t)N * 128);
	for (int i = 0; i < N; i++)
		kp_free(P, v[i]);
	kpool_stats s2 = stats();
	kpool_os o;
	kp_os_counters(P, &o);
	ck_assert_uint_eq(s2.in_use, 0);
	ck_assert_uint_gt(o.auto_trims, 0);
	/* held back near the baseline: what stays is at most the free memory
	 * the automatic trim retains (64 MiB) and a chunk per lane */
	ck_assert_uint_le(s2.held, s0.held + (80u << 20));
	ck_assert_uint_ge(s2.trimmed, s1.held - s2.held);
	ck_assert_uint_le(o.retain, 64u << 20);
	kp_trim(P);                              /* and all of it on request */
	ck_assert_uint_eq(stats().held, 0);
	free(v);
}
END_TEST

/* Waves: build and drop 200 MB of small blocks 8 times.  The first drop
 * trims, the second wave maps again and so teaches the pool to retain a
 * wave; after that no wave maps, unmaps or trims anything. */
START_TEST(trim_hysteresis)
{
	enum { N = 1600000, WAVES = 8 };
	void **v = malloc((size_t)N * sizeof *v);
	kpool_os o[WAVES + 1];
	kp_os_counters(P, &o[0]);
	for (int w = 0; w < WAVES; w++) {
		for (int i = 0; i < N; i++)
			v[i] = kp_alloc(P, 120);
		for (int i = 0; i < N; i++)
			kp_free(P, v[i]);
		kp_os_counters(P, &o[w + 1]);
		if (getenv("KRT_TEST_VERBOSE"))
			fprintf(stderr, "wave %d: maps %llu unmaps %llu trims %llu retain %llu MiB held %llu MiB\n", w,
			        (unsigned long long)o[w + 1].maps, (unsigned long long)o[w + 1].unmaps,
			        (unsigned long long)o[w + 1].auto_trims, (unsigned long long)o[w + 1].retain >> 20,
			        (unsigned long long)stats().held >> 20);
	}
	/* the first drop trims; the second wave maps again, which raises what
	 * is retained; from then on nothing is mapped, unmapped or trimmed */
	ck_assert_uint_gt(o[1].auto_trims, 0);
	for (int w = 2; w < WAVES; w++) {
		ck_assert_uint_eq(o[w + 1].maps, o[w].maps);
		ck_assert_uint_eq(o[w + 1].unmaps, o[w].unmaps);
	}
	ck_assert_uint_eq(o[WAVES].auto_trims, o[1].auto_trims);
	/* small waves below the retained amount never trim at all */
	kp_trim(P);
	kpool_os a, b;
	kp_os_counters(P, &a);
	for (int w = 0; w < 50; w++) {
		for (int i = 0; i < 50000; i++)
			v[i] = kp_alloc(P, 120);
		for (int i = 0; i < 50000; i++)
			kp_free(P, v[i]);
	}
	kp_os_counters(P, &b);
	ck_assert_uint_eq(b.auto_trims, a.auto_trims);
	ck_assert_uint_le(b.maps - a.maps, 8);
	free(v);
}
END_TEST

/* ---- fit lanes: cells by extent, purge -------------------------------- */

/* Where a freed cell's old data is left as it was: past the link in
 * release builds, past the poisoned first 64 KiB in debug builds. */
#ifdef KRT_DEBUG
#define KEPT_FROM 65536
#else
#define KEPT_FROM 4096
#endif

/* Resident 4 KiB pages of [b, b + len) (len a multiple of the page). */
static size_t resident_pages(const void *b, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), n = 0;
	unsigned char *vec = malloc(len / page + 1);
	ck_assert_int_eq(mincore((void *)b, len, vec), 0);
	for (size_t i = 0; i < len / page; i++)
		n += vec[i] & 1;
	free(vec);
	return n * (page / 4096);
}

/* Fill, or check, one byte in 512 of [from, to): those at multiples of 512. */
static void fill(void *b, size_t from, size_t to, unsigned char v)
{
	for (size_t i = (from + 511) / 512 * 512; i < to; i += 512)
		((unsigned char *)b)[i] = v;
}

static int filled(const void *b, size_t from, size_t to, unsigned char v)
{
	for (size_t i = (from + 511) / 512 * 512; i < to; i += 512)
		if (((const unsigned char *)b)[i] != v)
			return 0;
	return 1;
}

/* A free cell whose touched pages cover a request is reused for it, in its
 * own lane or, for a block of the lane below, as a block of the lane above. */
START_TEST(fit_reuse_by_extent)
{
	char *a = kp_alloc(P, 1 << 20);             /* lane 20, all touched */
	ck_assert_int_eq(lane_byte(a), 20);
	fill(a, 64, 1 << 20, 0x11);
	char *small = kp_alloc(P, 100 << 10);       /* lane 17, 100 KiB touched */
	fill(small, 64, 100 << 10, 0x22);
	kp_free(P, a);
	kp_free(P, small);
	/* 300 KiB is a lane-19 request; lane 19 has no cell, lane 20 has a
	 * touched one: that cell, as a lane-20 block */
	char *b = kp_alloc(P, 300 << 10);
	ck_assert_ptr_eq(b, a);
	ck_assert_int_eq(lane_byte(b), 20);
	ck_assert_uint_eq(kp_size(b), 1 << 20);
	ck_assert_uint_eq(stats().live[20], 1);
	ck_assert_uint_eq(stats().in_use, 1 << 20);
	ck_assert(filled(b, KEPT_FROM, 1 << 20, 0x11));  /* nothing given back */
	/* 90 KiB (lane 17) takes the lane-17 cell whose 100 KiB cover it */
	char *c = kp_alloc(P, 90 << 10);
	ck_assert_ptr_eq(c, small);
	ck_assert_int_eq(lane_byte(c), 17);
	ck_assert_int_eq(kp_verify(P), 0);
	kp_free(P, b);
	kp_free(P, c);
	ck_assert_int_eq(kp_verify(P), 0);
}
END_TEST

#if !defined(KP_SLACK) || KP_SLACK > 0
/* Past the budget (the most live fit blocks asked for, plus 1/16), a cell
 * reused for less than it has touched gives the rest of its pages back;
 * live blocks keep their data, the reused block keeps what it asked for. */
START_TEST(fit_slack_given_back)
{
	size_t mb = (size_t)1 << 20;
	char *x = kp_alloc(P, 32 * mb);             /* lane 25, all touched */
	fill(x, 64, 32 * mb, 0x33);
	kp_free(P, x);
	char *d = kp_alloc(P, 17 * mb);             /* reuses x's cell */
	ck_assert_ptr_eq(d, x);
	char *e = kp_alloc(P, 32 * mb);             /* a new cell, all touched */
	fill(e, 64, 32 * mb, 0x44);
	char *live = kp_alloc(P, 2 * mb);           /* lane 21: must stay intact */
	fill(live, 64, 2 * mb, 0x55);
	/* asked for at most 17 + 32 + 2 MiB at once; touched 32 + 32 + 2 */
	kp_free(P, d);
	kp_free(P, e);
	kpool_os o0, o1;
	kp_os_counters(P, &o0);
	kpool_stats s0 = stats();
	char *f = kp_alloc(P, 17 * mb);             /* a touched 32 MiB cell */
	ck_assert(f == x || f == e);
	kp_os_counters(P, &o1);
	ck_assert_uint_eq(o1.purges, o0.purges + 1);
	ck_assert_uint_ge(o1.purged - o0.purged, 14 * mb);
	ck_assert_uint_eq(stats().held, s0.held);   /* the mapping stays */
	/* what f asked for is there; the rest of the cell is given back */
	unsigned char v = f == x ? 0x33 : 0x44;
	ck_assert(filled(f, KEPT_FROM, 17 * mb, v));
	ck_assert_uint_eq(resident_pages(f + 18 * mb, 14 * mb), 0);
	ck_assert(filled(f, 18 * mb, 32 * mb, 0));
	ck_assert(filled(live, 64, 2 * mb, 0x55));
	ck_assert_int_eq(kp_verify(P), 0);
	/* the cell grows again when asked for all of it */
	kp_free(P, f);
	char *g = kp_alloc(P, 32 * mb);
	fill(g, 64, 32 * mb, 0x66);
	ck_assert(filled(g, 64, 32 * mb, 0x66));
	kp_free(P, g);
	kp_free(P, live);
	ck_assert_int_eq(kp_verify(P), 0);
}
END_TEST
#endif

/* kp_purge gives back every free fit cell's pages but the first; the cells
 * stay free, counted and reusable, and read as zeros past the first page. */
START_TEST(purge_free_cells)
{
	enum { N = 6 };
	size_t sz = 200 << 10;                      /* lane 18 */
	char *v[N], *keep = kp_alloc(P, 150 << 10);  /* lane 18, live throughout */
	fill(keep, 64, 150 << 10, 0x77);
	for (int i = 0; i < N; i++) {
		v[i] = kp_alloc(P, sz);
		fill(v[i], 64, sz, (unsigned char)(0xA0 + i));
	}
	for (int i = 0; i < N; i++)
		kp_free(P, v[i]);
	kpool_stats s0 = stats();
	uint64_t got = kp_purge(P);
	ck_assert_uint_ge(got, (uint64_t)N * (sz - 4096) - N * 4096);
	kpool_stats s1 = stats();
	ck_assert_uint_eq(s1.held, s0.held);
	ck_assert_uint_eq(s1.free[18], s0.free[18]);
	ck_assert_uint_eq(s1.live[18], 1);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	for (int i = 0; i < N; i++)
		ck_assert_uint_eq(resident_pages(v[i] + page, (256 << 10) - page), 0);
	ck_assert(filled(keep, 64, 150 << 10, 0x77));
	ck_assert_int_eq(kp_verify(P), 0);
	ck_assert_uint_eq(kp_purge(P), 0);          /* nothing left to give */
	/* reusable: the same cells come back, zero past their first page */
	char *w[N];
	for (int i = 0; i < N; i++) {
		w[i] = kp_alloc(P, sz);
		ck_assert_int_eq(lane_byte(w[i]), 18);
		ck_assert(filled(w[i], page, sz, 0));
		fill(w[i], 64, sz, (unsigned char)(0xB0 + i));
	}
	for (int i = 0; i < N; i++) {
		int found = 0;
		for (int j = 0; j < N; j++)
			found |= w[i] == v[j];
		ck_assert(found);
		ck_assert(filled(w[i], 64, sz, (unsigned char)(0xB0 + i)));
	}
	for (int i = 0; i < N; i++)
		kp_free(P, w[i]);
	kp_free(P, keep);
	/* kp_trim unmaps the chunks now wholly free */
	kp_trim(P);
	ck_assert_uint_eq(stats().held, 0);
}
END_TEST

/* ---- checks and reports ----------------------------------------------- */

START_TEST(verify_detects_bad_list)
{
	void *a = kp_alloc(P, 64), *b = kp_alloc(P, 64), *c = kp_alloc(P, 1000);
	kp_free(P, a);
	ck_assert_int_eq(kp_verify(P), 0);
	/* point a's link at a live cell of another lane */
#ifdef KRT_DEBUG
	int off = 16;
#else
	int off = 0;
#endif
	void *saved = *(void **)((char *)a + off);
	*(void **)((char *)a + off) = c;
	FILE *old = stderr;
	stderr = fopen("/dev/null", "w");
	int bad = kp_verify(P);
	fclose(stderr);
	stderr = old;
	ck_assert_int_ne(bad, 0);
	*(void **)((char *)a + off) = saved;
	ck_assert_int_eq(kp_verify(P), 0);
	kp_free(P, b);
	kp_free(P, c);
}
END_TEST

/* Run fn in a child with stderr in a pipe; return its output and status. */
static int in_child(void (*fn)(void), char *out, size_t cap, int *status)
{
	int fd[2];
	if (pipe(fd) != 0)
		return -1;
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 2);
		close(fd[0]);
		fn();
		_exit(0);
	}
	close(fd[1]);
	size_t n = 0;
	ssize_t r;
	while (n + 1 < cap && (r = read(fd[0], out + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = 0;
	close(fd[0]);
	waitpid(pid, status, 0);
	return 0;
}

static void leaky(void)
{
	kpool *p = kp_open();
	struct kval *x = kp_alloc(p, 64), *y = kp_alloc(p, 3000), *z = kp_alloc(p, (size_t)40 << 20);
	x->t = -1;
	x->n = 5;
	y->t = 0;
	y->n = 300;
	z->t = -3;
	z->n = 7;
	void *gone = kp_alloc(p, 64);
	kp_free(p, gone);
	fprintf(stderr, "live=%llu\n", (unsigned long long)kp_close(p, 1));
	_exit(0);
}

START_TEST(close_lists_leaks)
{
	char out[4096];
	int status;
	ck_assert_int_eq(in_child(leaky, out, sizeof out, &status), 0);
	ck_assert(strstr(out, "lane 6 type -1 count 5"));
	ck_assert(strstr(out, "lane 12 type 0 count 300"));
	ck_assert(strstr(out, "lane direct"));
	ck_assert(strstr(out, "type -3 count 7"));
	ck_assert(strstr(out, "live=3"));
	/* exactly three blocks listed */
	int lines = 0;
	for (char *s = out; (s = strstr(s, "krt: leak:")); s++)
		lines++;
	ck_assert_int_eq(lines, 3);
}
END_TEST

#ifdef KRT_DEBUG
static void double_release(void)
{
	kpool *p = kp_open();
	struct kval *x = kp_alloc(p, 64);
	x->t = -2;
	x->n = 1;
	kp_free(p, x);
	kp_free(p, x);
}

START_TEST(debug_double_release)
{
	char out[4096];
	int status;
	ck_assert_int_eq(in_child(double_release, out, sizeof out, &status), 0);
	ck_assert(WIFSIGNALED(status));
	ck_assert(strstr(out, "double release of block 0x"));
	ck_assert(strstr(out, "type -2"));
}
END_TEST

START_TEST(debug_poison)
{
	struct kval *x = kp_alloc(P, 128);
	memset(x->d, 0x11, 100);
	kp_free(P, x);
	ck_assert_int_eq(((unsigned char *)x)[100], 0xDB);
	ck_assert_int_eq(x->rc, 1);
}
END_TEST
#endif

static Suite *heap_suite(void)
{
	Suite *s = suite_create("heap");
	TCase *t = tcase_create("kpool");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, lane_boundaries);
	tcase_add_test(t, alloc_at_boundaries);
	tcase_add_test(t, pop_push_order);
	tcase_add_test(t, refill_many);
	tcase_add_test(t, large_lanes);
	tcase_add_test(t, direct_blocks);
	tcase_add_test(t, direct_cache);
	tcase_add_test(t, direct_cache_limit);
	tcase_add_test(t, realloc_growth);
	tcase_add_test(t, stats_exact);
	tcase_add_test(t, limit_wsfull);
	tcase_add_test(t, fault_injection);
	tcase_add_test(t, trim_whole_chunks);
	tcase_add_test(t, auto_trim_1gb);
	tcase_add_test(t, trim_hysteresis);
	tcase_add_test(t, fit_reuse_by_extent);
#if !defined(KP_SLACK) || KP_SLACK > 0      /* built to give slack back */
	tcase_add_test(t, fit_slack_given_back);
#endif
	tcase_add_test(t, purge_free_cells);
	tcase_add_test(t, verify_detects_bad_list);
	tcase_add_test(t, close_lists_leaks);
#ifdef KRT_DEBUG
	tcase_add_test(t, debug_double_release);
	tcase_add_test(t, debug_poison);
#endif
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(heap_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
