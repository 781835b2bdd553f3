#define _POSIX_C_SOURCE 200809L
/* stack_test.c: the recursion guards of runtime/stack.c measure the stack
 * of the thread they run on.  Every deep case (deep recursion, and showing,
 * 5:, _bd, matching, sorting, parsing and releasing deeply nested values)
 * runs in threads with 256 KiB, 1 MiB and 8 MiB stacks, through krt.h
 * alone: each must end with a value or the error "stack", never a crash
 * (Check runs each test in a process of its own, so a SIGSEGV fails it),
 * with nothing leaked.  The main thread under `ulimit -s 512` is tested by
 * tests/e2e/stack_test.sh. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../src/krt.h"

/* A deep value, built by a loop (no recursion), under the name a. */
#define DEEP "a:{,x}/[100000;0]; "

static const char *const cases[] = {
	"{_f x+1}0",
	"f:{.\"f[]\"}; f[]",
	"f:{@[f;x;:]}; f 0",
	"{:[x>0;_f'(,x-1);0]}1000000",
	DEEP "a",
	DEEP "`0:$a",
	DEEP "5:a",
	DEEP "#_bd a",
	DEEP "a~{,x}/[100000;0]",
	DEEP "a:0; 1",
	DEEP "-a",
	DEEP "a+a",
	DEEP "a=a",
	DEEP "=a",
	DEEP "a?a",
	DEEP "^a",
	DEEP "0$a",
	DEEP "$a",
	DEEP "a!1",
	DEEP "_ci a",
	DEEP "a _ss a",
	DEEP "<(a;a)",
	DEEP "`deep 1: a",
	DEEP "a . 1000#0",
	DEEP "a,a",
	DEEP "|a",
	DEEP "_hash a",
	DEEP "a _bin a",
	DEEP "a _dv 0",
	"d:{.,(`a;x)}/[100000;1]; #_bd d",
	/* _db of the disk form of 100000 lists, one in another, around ,0 */
	"n:100000; d:(_ci 1 0 0 0 0 0 0 0),(_ci |(8#256)_vs 24+16*n),"
	"(,/n#,_ci 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0),_ci 255 255 255 255 255 255 255 255 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0;"
	"#_db d",
	".((100000#\"(\"),\"1\",100000#\")\")",
	".((100000#\"{\"),\"1\",100000#\"}\")",
};
#define NCASES (sizeof cases / sizeof *cases)

struct job {
	const char *src;
	int ok;                 /* 1: a value; 0: the error "stack" */
	char error[64];         /* any other error */
	uint64_t leaked;
};

/* Run one case on a fresh state, and show its value (display recurses
 * too): a value, or an error, written into the job. */
static void *run_case(void *arg)
{
	struct job *j = arg;
	krt *k = krt_open();
	if (!k) { snprintf(j->error, sizeof j->error, "no state"); return NULL; }
	K r = krt_eval(k, j->src), s = NULL;
	if (r) s = krt_show(k, r);
	j->ok = r && s;
	if (!j->ok && strcmp(krt_error(k), "stack") != 0)
		snprintf(j->error, sizeof j->error, "%s", krt_error(k));
	krt_release(k, s);
	krt_release(k, r);
	j->leaked = krt_close(k, 1);
	return NULL;
}

static int run_in_thread(size_t stack, struct job *j)
{
	pthread_attr_t a;
	pthread_t t;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, stack);
	int e = pthread_create(&t, &a, run_case, j);
	pthread_attr_destroy(&a);
	if (e == 0) pthread_join(t, NULL);
	return e;
}

static void check_all(size_t stack)
{
	int values = 0;
	for (size_t i = 0; i < NCASES; i++) {
		struct job j = { .src = cases[i] };
		ck_assert_int_eq(run_in_thread(stack, &j), 0);
		ck_assert_msg(j.error[0] == 0, "%zu KiB: %s: error %s", stack >> 10, cases[i], j.error);
		ck_assert_msg(j.leaked == 0, "%zu KiB: %s: leaked", stack >> 10, cases[i]);
		values += j.ok;
	}
	/* the small stacks really meet the limit: most cases fail there */
	if (stack <= (1 << 20)) ck_assert_int_lt(values, (int)NCASES / 2);
}

START_TEST(stack_256k) { check_all(256 << 10); }
END_TEST

START_TEST(stack_1m) { check_all(1 << 20); }
END_TEST

START_TEST(stack_8m) { check_all(8 << 20); }
END_TEST

/* The depth a stack allows grows with it: what krt.h promises per size
 * (lambda calls: 256 KiB at least 200 levels, 1 MiB 1000, 8 MiB 10000),
 * a quarter of that in debug and sanitizer builds (bigger frames). */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIG_FRAMES 1
#endif
#endif
#if defined(KRT_DEBUG) || defined(__SANITIZE_ADDRESS__)
#define BIG_FRAMES 1
#endif
#ifdef BIG_FRAMES
#define LEVELS(n) ((n) / 4)
#else
#define LEVELS(n) (n)
#endif

static int depth_ok(size_t stack, int levels)
{
	char src[80];
	snprintf(src, sizeof src, "{:[x<%d;_f x+1;x]}0", levels);
	struct job j = { .src = src };
	ck_assert_int_eq(run_in_thread(stack, &j), 0);
	ck_assert_msg(j.error[0] == 0, "%s: %s", src, j.error);
	return j.ok;
}

START_TEST(depth_per_size)
{
	ck_assert(depth_ok(256 << 10, LEVELS(200)));
	ck_assert(depth_ok(1 << 20, LEVELS(1000)));
	ck_assert(depth_ok(8 << 20, LEVELS(10000)));
	ck_assert(!depth_ok(256 << 10, 100000));
}
END_TEST

static Suite *stack_suite(void)
{
	Suite *s = suite_create("stack");
	TCase *c = tcase_create("threads");
	tcase_set_timeout(c, 300);
	tcase_add_test(c, stack_256k);
	tcase_add_test(c, stack_1m);
	tcase_add_test(c, stack_8m);
	tcase_add_test(c, depth_per_size);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	char dir[] = "/tmp/krt-stack-XXXXXX";     /* for the file 1: writes */
	if (!mkdtemp(dir) || chdir(dir) != 0) return 1;
	SRunner *r = srunner_create(stack_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	unlink("deep.K");
	if (chdir("/") != 0 || rmdir(dir) != 0) failed++;
	return failed ? 1 : 0;
}
