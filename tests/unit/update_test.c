/* update_test.c: every form of update is all or nothing (lang/update.c and
 * the evaluator's assignment).  Each statement below is run once as it is,
 * then again under each kind of fault at each place the statement reaches:
 * the Nth allocation failing, a break at the Nth poll, and an error in its
 * value.  After a failure the K-tree must be exactly as before; after a
 * success exactly as after the clean run; and each run's heap must be
 * empty at its close. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fixture.h"
#include "../../runtime/heap.h"
#include "../../lang/lang.h"

#define SETUP "a:!10; b:1.5 2.5; d:.((`x;1);(`y;2 3)); l:(1;\"ab\";`c);" \
              " m:(1 2;3 4); s:\"abc\"; e:!0; .e.v:1 2 3; n:(1 2;(3;4 5))"
#define STATE "5:(.k;.e)"

static const char *const updates[] = {
	"a:!5", "a,:10 11", "a,:1", "s,:\"de\"", "l,:1 2", "e,:1", "e,:\"xy\"",
	"a+:1", "b*:2", "a+:1.5", "a-:", "a[3]:99", "a[1 2]:7", "a[0 0]+:1",
	"a[2]:`x", "a[1 2]+:10 20", "b[1]-:1", "l[1]:5", "l[0]:2", "l[1 2]:(3;4)",
	"m[1;0]:9", "m[0;1]+:5", "n[1;1;0]:7", "d[`x]+:1", "d[`z]:5", "d[`y],:4",
	"d[`x`y]:(8;9)", "a..t:`s", ".[`a;,2;+;5]", "@[`a;1 2;*;3]", ".e.v[1]:0",
	".e.v,:4", "{a[x]:y}[3;30]", "{a,:x}[!3]", "d:.()", "a[]:0", "s[0]:\"z\"",
	"l[2],:`d", "a[3 4]:2#,\"q\"",
	/* run for their effect only (no value to give is made), in a lambda
	 * that then gives its argument, so that nothing can fail after them */
	"{do[1;a[3]:99];x}0", "{do[1;a[1 2]+:10 20];x}0", "{do[1;d[`x]+:1];x}0",
	"{do[1;d[`z]:5];x}0", "{do[1;a,:1];x}0", "{do[1;m[1;0]:9];x}0",
	"{do[1;l[1]:5];x}0", "{if[1;a[2]:`x];x}0", "{do[1;.e.v[1]:0];x}0",
	"{a[3]:99;x}0", "{a[3]:99;a[4]+:1;x}0",
};

/* updates whose value (or index) fails: the variable stays */
static const char *const failing[] = {
	"a,:1+`x", "a[1]+:`x", "a[20]:1", "d[`x]+:\"q\"", "m[5;0]:1",
	".[`a;,2;{x+`y}]", "@[`a;1;+;`z]", "a+:1 2", "{a[x]:y+`q}[1;2]",
	"b[0]:{x+`r}[1]", "l[0 9]:1", "{do[1;a[20]:1];x}0",
	"{do[1;d[`x]+:\"q\"];x}0",
};

/* Run src with a fault armed; *ok tells whether it succeeded.  The state's
 * 5: form (taken with no fault armed) into out. */
static void run(const char *src, void (*arm)(uint64_t), uint64_t n, int *ok, char *out, size_t cap)
{
	kerr_clear();
	if (arm) arm(n);
	K r = eval_string(src, (int64_t)strlen(src));
	if (arm) arm(0);
	*ok = r != NULL;
	const char *err = r ? NULL : kc->err;
	cd(r);
	if (err && arm) ck_assert_msg(!strcmp(err, arm == k_break_after ? "break" : "wsfull"),
	                              "%s: error %s at fault %llu", src, err, (unsigned long long)n);
	fx_run(STATE, out, cap);
}

static void fail_alloc(uint64_t n) { kp_fail_after(kc->heap, n); }

/* The state after src in a clean run. */
static void clean_run(const char *src, char *after, size_t cap, int *ok)
{
	char out[64];
	fx_open(1);
	fx_run(SETUP, out, sizeof out);
	run(src, NULL, 0, ok, after, cap);
	fx_close();
}

/* Each place of a fault in src, until src runs through. */
static void sweep(const char *src, void (*arm)(uint64_t))
{
	char before[4096], after[4096], now[4096], out[64];
	int ok;
	clean_run(src, after, sizeof after, &ok);
	ck_assert_msg(ok, "%s fails without a fault", src);
	for (uint64_t n = 1; n < 100000; n++) {
		fx_open(1);
		fx_run(SETUP, out, sizeof out);
		fx_run(STATE, before, sizeof before);
		run(src, arm, n, &ok, now, sizeof now);
		fx_close();
		ck_assert_msg(!strcmp(now, ok ? after : before),
		              "%s, fault at %llu (%s): state\n%s\nnot\n%s", src, (unsigned long long)n,
		              ok ? "ran" : "failed", now, ok ? after : before);
		if (ok) return;
	}
	ck_abort_msg("%s never ran through", src);
}

START_TEST(update_alloc_faults)
{
	sweep(updates[_i], fail_alloc);
}
END_TEST

START_TEST(update_break_faults)
{
	sweep(updates[_i], k_break_after);
}
END_TEST

START_TEST(update_errors_keep_the_value)
{
	char before[4096], now[4096], out[64];
	int ok;
	fx_open(1);
	fx_run(SETUP, out, sizeof out);
	fx_run(STATE, before, sizeof before);
	run(failing[_i], NULL, 0, &ok, now, sizeof now);
	ck_assert_msg(!ok, "%s ran", failing[_i]);
	ck_assert_str_eq(now, before);
	fx_close();
}
END_TEST

/* In place stays in place: a,:x grows the same block, a[i]:x writes into
 * it (no copy of a 10^6 vector per update). */
START_TEST(update_in_place_keeps_the_block)
{
	char out[64];
	fx_open(1);
	fx_run("a:!1000000; a[5]:0", out, sizeof out);
	uint64_t used = fx_in_use();
	for (int i = 0; i < 100; i++) fx_run("a[i]:i", out, sizeof out);
	fx_run("a,:1; a[0]+:1; a", out, sizeof out);
	ck_assert_uint_le(fx_in_use(), used + 4096);
	fx_close();
}
END_TEST

static Suite *update_suite(void)
{
	Suite *s = suite_create("update");
	TCase *t = tcase_create("faults");
	tcase_set_timeout(t, 600);
	int nu = (int)(sizeof updates / sizeof *updates);
	tcase_add_loop_test(t, update_alloc_faults, 0, nu);
	tcase_add_loop_test(t, update_break_faults, 0, nu);
	tcase_add_loop_test(t, update_errors_keep_the_value, 0, (int)(sizeof failing / sizeof *failing));
	tcase_add_test(t, update_in_place_keeps_the_block);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(update_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
