/* thread_test.c: two heaps in two threads at once, no locks: each thread
 * opens its own pool (and then its own context, with the thread-local kc)
 * and runs an allocation workload; the results and statistics of each are
 * exact and independent, and both close with no live block.
 */
#define _GNU_SOURCE
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/heap.h"
#include "../../runtime/k.h"

struct job {
	int seed;
	int ok;
	char why[128];
};

#define FAIL(j, ...) do { snprintf((j)->why, sizeof (j)->why, __VA_ARGS__); return NULL; } while (0)

/* The heap alone: kp_* on a pool of the thread's own. */
static void *heap_worker(void *arg)
{
	struct job *j = arg;
	kpool *p = kp_open();
	if (!p)
		FAIL(j, "kp_open");
	enum { SLOTS = 1024, STEPS = 2000000 };
	void *slot[SLOTS] = { 0 };
	size_t size[SLOTS] = { 0 };
	uint64_t in_use = 0, x = (uint64_t)j->seed * 2654435761u + 1;
	for (int s = 0; s < STEPS; s++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		size_t i = x % SLOTS;
		if (slot[i]) {
			unsigned char *b = slot[i];
			for (size_t k = 16; k < size[i]; k += 97)   /* still ours */
				if (b[k] != (unsigned char)(j->seed + i))
					FAIL(j, "block %zu overwritten", i);
			in_use -= (uint64_t)1 << kp_lane(size[i]);
			kp_free(p, slot[i]);
			slot[i] = NULL;
		} else {
			size[i] = 16 + (x >> 20) % 2000;
			slot[i] = kp_alloc(p, size[i]);
			if (!slot[i])
				FAIL(j, "kp_alloc");
			memset((char *)slot[i] + 16, j->seed + (int)i, size[i] - 16);
			in_use += (uint64_t)1 << kp_lane(size[i]);
		}
		if (s % 4096 == 0) {
			kpool_stats st;
			kp_stats(p, &st);
			if (st.in_use != in_use)
				FAIL(j, "in_use %llu, expected %llu", (unsigned long long)st.in_use,
				     (unsigned long long)in_use);
		}
	}
	for (int i = 0; i < SLOTS; i++)
		if (slot[i])
			kp_free(p, slot[i]);
	if (kp_verify(p) != 0)
		FAIL(j, "kp_verify");
	if (kp_close(p, 1) != 0)
		FAIL(j, "leaks");
	j->ok = 1;
	return NULL;
}

/* Contexts: each thread sets its own kc and builds values and symbols. */
static void *ctx_worker(void *arg)
{
	struct job *j = arg;
	kc = kctx_open();
	if (!kc)
		FAIL(j, "kctx_open");
	ksym mine = sym_c(j->seed == 1 ? "one" : "two");
	for (int round = 0; round < 200; round++) {
		K l = k_list(1000);
		for (int i = 0; i < 1000; i++)
			kK(l)[i] = i % 2 ? k_int(i * j->seed) : k_symv(sym_c(i % 4 ? "even" : "four"));
		for (int i = 1; i < 1000; i += 2)
			if (kI(kK(l)[i])[0] != i * j->seed)
				FAIL(j, "value changed");
		cd(l);
	}
	if (sym_c(j->seed == 1 ? "one" : "two") != mine)
		FAIL(j, "symbol moved");
	kpool *h = kc->heap;
	kctx_close(kc);
	if (kc != NULL)
		FAIL(j, "kc not cleared");
	if (kp_close(h, 1) != 0)
		FAIL(j, "leaks");
	j->ok = 1;
	return NULL;
}

static void run_two(void *(*fn)(void *))
{
	pthread_t t[2];
	struct job j[2] = { { .seed = 1 }, { .seed = 2 } };
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, fn, &j[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 2; i++)
		ck_assert_msg(j[i].ok, "thread %d: %s", i, j[i].why);
}

START_TEST(two_heaps_two_threads) { run_two(heap_worker); }
END_TEST

START_TEST(two_contexts_two_threads) { run_two(ctx_worker); }
END_TEST

static Suite *thread_suite(void)
{
	Suite *s = suite_create("thread");
	TCase *t = tcase_create("thread");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, two_heaps_two_threads);
	tcase_add_test(t, two_contexts_two_threads);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(thread_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
