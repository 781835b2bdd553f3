/* adverb_test.c: the adverbs of lang/adverb.c, called directly through
 * adverb_apply with arguments made by evaluating K literals (and lambdas).
 * Every test runs in a fresh context and must leave the heap where it
 * found it; the fault-injection tests fail every allocation of a call in
 * turn and require no crash and no leak. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "fixture.h"
#include "../../runtime/heap.h"
#include "../../lang/lang.h"

static uint64_t baseline;

#define heap_in_use fx_in_use

static void setup(void)
{
	fx_open(1);
	/* names the literals below use, interned once so that the symbol
	 * table does not grow inside a test */
	const char *names[] = { "a", "b", "c", "x", "y", "z", "f", "g", "ab" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) sym_c(names[i]);
	fx_baseline();
	baseline = fx_in_use();
}

static void teardown(void) { fx_close(); }

/* The value of K source s (a literal or a lambda). */
static K ev(const char *s)
{
	K r = eval_string(s, (int64_t)strlen(s));
	ck_assert_msg(r != NULL, "eval of %s failed: %s", s, kc->err ? kc->err : "?");
	return r;
}

/* r must match the value of `want`; releases r. */
static void expect(K r, const char *want)
{
	ck_assert_msg(r != NULL, "expected %s, got error %s", want, kc->err ? kc->err : "?");
	K w = ev(want);
	K shown = k_show(r);
	ck_assert_msg(k_match(r, w), "expected %s, got %.*s", want,
	              shown ? (int)shown->n : 1, shown ? kC(shown) : "?");
	cd(shown);
	cd(w);
	cd(r);
}

/* r must have failed with the error `name`. */
static void expect_err(K r, const char *name)
{
	ck_assert_msg(r == NULL, "expected error %s", name);
	ck_assert_str_eq(kc->err, name);
	kerr_clear();
}

/* adverb applied to f (given as K source, or a verb) and n arguments given
 * as K source. */
static K run(int adverb, K f, int n, ...)
{
	K a[8];
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) a[i] = ev(va_arg(ap, const char *));
	va_end(ap);
	K r = adverb_apply(adverb, f, n, a);
	cd(f);
	return r;
}
static K verb(int v) { return fn_verb(v, 0); }

/* ---- over and scan with dyadic f ---------------------------------------- */

START_TEST(fold_verbs)
{
	expect(run(AV_OVER, verb(V_PLUS), 1, "1 2 3 4"), "10");
	expect(run(AV_OVER, verb(V_TIMES), 1, "1 2 3 4"), "24");
	expect(run(AV_OVER, verb(V_MAX), 1, "1 4 -6 9 1 3"), "9");
	expect(run(AV_OVER, verb(V_MIN), 1, "1.5 -2.5 3.0"), "-2.5");
	expect(run(AV_OVER, verb(V_PLUS), 1, "1 2.5"), "3.5");
	expect(run(AV_OVER, verb(V_PLUS), 1, "(1 2;3 4)"), "4 6");
	expect(run(AV_OVER, verb(V_MINUS), 1, "10 1 2"), "7");
	expect(run(AV_OVER, verb(V_PLUS), 2, "16", "1 2 3 4"), "26");
	expect(run(AV_OVER, verb(V_PLUS), 2, "2", "3"), "5");
	expect(run(AV_OVER, verb(V_PLUS), 1, "5"), "5");
	expect(run(AV_OVER, verb(V_PLUS), 1, ",5"), "5");
	/* ints wrap, as in Kona; max/min compare plainly */
	expect(run(AV_OVER, verb(V_PLUS), 1, "0I 1"), "0N");
	expect(run(AV_OVER, verb(V_MAX), 1, "0N 1"), "1");
	expect(run(AV_OVER, verb(V_MIN), 1, "0N 1"), "0N");
	K r = run(AV_OVER, verb(V_MAX), 1, "1.0 0n");
	ck_assert(kF(r)[0] != kF(r)[0]);
	cd(r);
}
END_TEST

START_TEST(fold_empty)
{
	K r = run(AV_OVER, verb(V_PLUS), 1, "!0");
	ck_assert_int_eq(r->t, KT_INT);
	expect(r, "0");
	expect(run(AV_OVER, verb(V_TIMES), 1, "!0"), "1");
	expect(run(AV_OVER, verb(V_MAX), 1, "!0"), "0");
	expect(run(AV_OVER, verb(V_MIN), 1, "()"), "1");
	expect(run(AV_OVER, verb(V_PLUS), 1, "0#0.0"), "0.0");
	expect(run(AV_OVER, verb(V_MAX), 1, "0#0.0"), "-0i");
	expect(run(AV_OVER, verb(V_MIN), 1, "0#0.0"), "0i");
	expect(run(AV_OVER, verb(V_EQUAL), 1, "!0"), "1");
	expect(run(AV_OVER, verb(V_JOIN), 1, "!0"), "()");
	expect_err(run(AV_OVER, verb(V_MINUS), 1, "!0"), "length");
	expect_err(run(AV_OVER, verb(V_PLUS), 1, "\"\""), "length");
	expect(run(AV_OVER, ev("{x+y}"), 1, "!0"), "_n");
	expect(run(AV_OVER, verb(V_PLUS), 2, "7", "!0"), "7");
	expect(run(AV_SCAN, verb(V_PLUS), 1, "!0"), "!0");
	expect(run(AV_SCAN, verb(V_PLUS), 2, "1", "!0"), "1");
}
END_TEST

START_TEST(scan_verbs)
{
	K r = run(AV_SCAN, verb(V_PLUS), 1, "1 2 3");
	ck_assert_int_eq(r->t, -KT_INT);
	expect(r, "1 3 6");
	expect(run(AV_SCAN, verb(V_TIMES), 1, "1 2 3 4"), "1 2 6 24");
	expect(run(AV_SCAN, verb(V_MAX), 1, "3 1 4 1 5"), "3 3 4 4 5");
	expect(run(AV_SCAN, verb(V_MIN), 1, "3 1 4 1 5"), "3 1 1 1 1");
	expect(run(AV_SCAN, verb(V_PLUS), 1, "1.5 2.5"), "1.5 4.0");
	expect(run(AV_SCAN, verb(V_PLUS), 2, "1", "1 2 3"), "1 2 4 7");
	expect(run(AV_SCAN, verb(V_PLUS), 2, "1.0", "1 2"), "1 2 4.0");
	expect(run(AV_SCAN, verb(V_PLUS), 2, "11", "1"), "12");
	expect(run(AV_SCAN, verb(V_JOIN), 1, "(1 2;3 4)"), "(1 2;1 2 3 4)");
	expect(run(AV_SCAN, verb(V_PLUS), 1, "(1;2.5;3)"), "(1;3.5;6.5)");
	expect(run(AV_SCAN, verb(V_PLUS), 2, "1", "1.0 2.0"), "1 2 4.0");
	/* the scan of an unshared vector reuses it */
	K y = ev("1 2 3");
	K a[1] = { y };
	K f = verb(V_PLUS);
	r = adverb_apply(AV_SCAN, f, 1, a);
	ck_assert_ptr_eq(r, y);
	cd(f);
	expect(r, "1 3 6");
}
END_TEST

START_TEST(fold_big_is_fast)
{
	int64_t n = 10000000;
	K y = k_new(-KT_INT, n);
	for (int64_t i = 0; i < n; i++) kI(y)[i] = i;
	K f = verb(V_PLUS);
	clock_t t0 = clock();
	K r = adverb_apply(AV_OVER, f, 1, &y);
	double ms = 1000.0 * (double)(clock() - t0) / CLOCKS_PER_SEC;
	ck_assert_int_eq(kI(r)[0], n * (n - 1) / 2);
	ck_assert_msg(ms < 200, "+/ of 10^7 ints took %.1f ms", ms);
	cd(r);
	cd(f);
}
END_TEST

START_TEST(join_over)
{
	K r = run(AV_OVER, verb(V_JOIN), 1, "(1 2;3 4;,5)");
	ck_assert_int_eq(r->t, -KT_INT);
	expect(r, "1 2 3 4 5");
	r = run(AV_OVER, verb(V_JOIN), 1, "(,\"a\";\"bc\")");
	ck_assert_int_eq(r->t, -KT_CHAR);
	ck_assert_int_eq(kC(r)[r->n], 0);
	expect(r, "\"abc\"");
	expect(run(AV_OVER, verb(V_JOIN), 1, "(1 2;\"ab\")"), "(1;2;\"a\";\"b\")");
	expect(run(AV_OVER, verb(V_JOIN), 1, "(1;2)"), "1 2");
	expect(run(AV_OVER, verb(V_JOIN), 1, ",1"), "1");
	expect(run(AV_OVER, verb(V_JOIN), 1, "(!0;\"ab\")"), "\"ab\"");
	expect(run(AV_OVER, verb(V_JOIN), 1, "(`a;`b`c)"), "`a`b`c");
	expect(run(AV_OVER, verb(V_JOIN), 1, "((1 2);(3;`a);5)"), "(1;2;3;`a;5)");
	expect(run(AV_OVER, verb(V_JOIN), 2, "1", "2 3"), "1 2 3");
	expect(run(AV_OVER, verb(V_JOIN), 2, "1 2", "(3;4 5)"), "1 2 3 4 5");
	/* ,// flattens: a derived verb as f is monadic, so this converges */
	K f = fn_derived(verb(V_JOIN), AV_OVER);
	expect(run(AV_OVER, f, 1, "(\"a\";(1 2;`b;(\"xyz\";2.5)))"),
	       "(\"a\";1;2;`b;\"x\";\"y\";\"z\";2.5)");
}
END_TEST

START_TEST(join_over_long_is_linear)
{
	int64_t n = 200000;
	K y = k_list(n);
	for (int64_t i = 0; i < n; i++) { kK(y)[i] = k_new(-KT_INT, 2); kI(kK(y)[i])[0] = i; kI(kK(y)[i])[1] = -i; }
	K f = verb(V_JOIN);
	clock_t t0 = clock();
	K r = adverb_apply(AV_OVER, f, 1, &y);
	double ms = 1000.0 * (double)(clock() - t0) / CLOCKS_PER_SEC;
	ck_assert_int_eq(r->t, -KT_INT);
	ck_assert_int_eq(r->n, 2 * n);
	ck_assert_int_eq(kI(r)[2 * n - 2], n - 1);
	ck_assert_msg(ms < 200, ",/ of 2e5 vectors took %.1f ms", ms);
	cd(r);
	cd(f);
}
END_TEST

/* ---- over and scan with monadic f ---------------------------------------- */

START_TEST(converge)
{
	expect(run(AV_OVER, ev("{_ x%2}"), 1, "100"), "0");
	expect(run(AV_SCAN, ev("{_ x%2}"), 1, "100"), "100 50 25 12 6 3 1 0");
	expect(run(AV_OVER, fn_verb(V_MINUS, 1), 1, "1"), "-1");     /* back to x: stop */
	expect(run(AV_OVER, ev("{1}"), 1, "5"), "1");
	expect(run(AV_OVER, ev("{x}"), 1, "5"), "5");
	expect(run(AV_SCAN, ev("{x}"), 1, "5"), ",5");
	expect_err(run(AV_OVER, ev("{x+`a}"), 1, "5"), "type");
}
END_TEST

START_TEST(do_and_while)
{
	expect(run(AV_OVER, ev("{x+1}"), 2, "3", "0"), "3");
	expect(run(AV_SCAN, ev("{x+1}"), 2, "3", "0"), "0 1 2 3");
	expect(run(AV_SCAN, ev("{x+1}"), 2, "0", "0"), ",0");
	expect(run(AV_OVER, ev("{x+1}"), 2, "0", "7"), "7");
	expect_err(run(AV_OVER, ev("{x+1}"), 2, "-1", "0"), "int");
	expect_err(run(AV_OVER, ev("{x+1}"), 2, "2.5", "0"), "type");
	expect(run(AV_OVER, ev("{x+1}"), 2, "{x<10}", "0"), "10");
	expect(run(AV_SCAN, ev("{x+1}"), 2, "{x<3}", "0"), "0 1 2 3");
	expect(run(AV_SCAN, ev("{x+1}"), 2, "{x<0}", "5"), ",5");
	expect(run(AV_OVER, ev("{x, 1+*/x}"), 2, "5", "2"), "2 3 7 43 1807 3263443");
	expect(run(AV_OVER, ev("{x+1}"), 2, "{`a}", "0"), "0");
}
END_TEST

START_TEST(multi_over)
{
	expect(run(AV_OVER, ev("{x+y+z}"), 3, "1", "2", "3"), "6");
	expect(run(AV_OVER, ev("{x+y+z}"), 3, "1 2", "2 3 4", "3"), "19 20");
	expect(run(AV_SCAN, ev("{x+y+z}"), 3, "1", "2", "3 4"), "1 6 12");
	expect(run(AV_SCAN, ev("{x+y+z}"), 3, "1 1", "1 1", "1 1"), "(1 1;3 3;5 5)");
	expect(run(AV_OVER, ev("{x,y,z}"), 3, "()", "1 2 3", "4 5 6"), "1 4 2 5 3 6");
	expect(run(AV_OVER, ev("{x+y+z}"), 3, "1", "()", "3 4"), "1");
	expect(run(AV_SCAN, ev("{x+y+z}"), 3, "1", "!0", "3"), "1");
	expect_err(run(AV_OVER, ev("{x+y+z}"), 3, "1", "1 2", "1 2 3"), "length");
	expect(run(AV_OVER, verb(V_AT), 4, ",1", "0 0 0", "+", "1 2 3"), ",7");
	expect_err(run(AV_OVER, ev("{x}"), 3, "1", "2", "3"), "valence");
	expect(run(AV_SCAN, ev("{[a;b;c;d]a+b+c+d}"), 4, "1 1", "2 2", "3 3", "4 4"), "(1 1;10 10;19 19)");
}
END_TEST

START_TEST(data_forms)
{
	expect(run(AV_OVER, ev("\",\""), 1, "(\"ab\";\"cd\")"), "\"ab,cd\"");
	expect(run(AV_OVER, ev("\",\""), 1, "()"), "\"\"");
	expect(run(AV_OVER, ev("\",\""), 1, "\"abc\""), "\"abc\"");
	expect_err(run(AV_OVER, ev("\",\""), 1, "(\"ab\";\"c\")"), "type");
	expect(run(AV_SCAN, ev("\",\""), 1, "\"ab,cd\""), "(\"ab\";\"cd\")");
	expect(run(AV_SCAN, ev("\",\""), 1, "\",a,\""), "(\"\";,\"a\";\"\")");
	expect(run(AV_SCAN, ev("\",\""), 1, "\"\""), "()");
	expect_err(run(AV_SCAN, ev("\",\""), 1, "1 2"), "type");
	expect(run(AV_OVER, ev("1 2 0"), 1, "0"), "0");
	expect(run(AV_SCAN, ev("1 2 3 0"), 1, "0"), "0 1 2 3");
	expect(run(AV_OVER, ev("(\"abcd\";\"efgh\")"), 1, "1 2"), "\"g\"");
	expect(run(AV_OVER, ev("(\"abcd\";\"efgh\")"), 1, "0"), "\"abcd\"");
	expect(run(AV_SCAN, ev("3 4#!12"), 2, "1", "2"), "6");
	expect(run(AV_SCAN, ev("3 4#!12"), 1, "2"), "2");
}
END_TEST

/* ---- each and its relatives ----------------------------------------------- */

START_TEST(each)
{
	K r = run(AV_EACH, ev("{x*2}"), 1, "1 2 3");
	ck_assert_int_eq(r->t, -KT_INT);
	expect(r, "2 4 6");
	expect(run(AV_EACH, ev("{x,x}"), 1, "5"), "5 5");
	expect(run(AV_EACH, ev("{x,x}"), 1, "1 2"), "(1 1;2 2)");
	r = run(AV_EACH, ev("{1}"), 1, "!0");
	ck_assert_int_eq(r->t, KT_LIST);
	expect(r, "()");
	expect(run(AV_EACH, ev("{x}"), 1, "(1;2.5)"), "(1;2.5)");
	expect(run(AV_EACH, fn_verb(V_TAKE, 1), 1, ",0"), ",1");
	expect(run(AV_EACH, verb(V_PLUS), 2, "1 2", "3 4"), "4 6");
	expect(run(AV_EACH, verb(V_JOIN), 2, "1 2", "3"), "(1 3;2 3)");
	expect(run(AV_EACH, verb(V_PLUS), 2, "1", "!0"), "()");
	expect_err(run(AV_EACH, verb(V_PLUS), 2, "1 2", "3 4 5"), "length");
	expect(run(AV_EACH, ev("{x+y+z}"), 3, "1", "4 5 6", "7 8 9"), "12 14 16");
	expect(run(AV_EACH, ev("{x+y+z}"), 3, "1", "2", "3"), "6");
	expect(run(AV_EACH, ev("{x+y+z}"), 3, "()", "2", "3"), "()");
	expect_err(run(AV_EACH, ev("{x+`a}"), 1, "1 2"), "type");
	/* nested derived verbs: +/' and ,'' */
	expect(run(AV_EACH, fn_derived(verb(V_PLUS), AV_OVER), 1, "(1 2;3 4 5)"), "3 12");
	expect(run(AV_EACH, fn_derived(verb(V_PLUS), AV_SCAN), 2, "10", "(2 3;4 5)"), "(10 12 15;10 14 19)");
	expect(run(AV_EACH, fn_derived(verb(V_JOIN), AV_EACH), 2, "(1 2;3 4)", "(5 6;7 8)"),
	       "((1 5;2 6);(3 7;4 8))");
}
END_TEST

START_TEST(each_right_left)
{
	expect(run(AV_EACHRIGHT, verb(V_JOIN), 2, "1 2", "3 4"), "(1 2 3;1 2 4)");
	expect(run(AV_EACHLEFT, verb(V_JOIN), 2, "1 2", "3 4"), "(1 3 4;2 3 4)");
	expect(run(AV_EACHRIGHT, verb(V_JOIN), 2, "1 2", "3"), "1 2 3");
	expect(run(AV_EACHLEFT, verb(V_JOIN), 2, "1", "!0"), ",1");
	expect(run(AV_EACHRIGHT, verb(V_JOIN), 2, "1", "!0"), "()");
	expect(run(AV_EACHRIGHT, verb(V_FIND), 2, "1 7 2 4 6 10 3", "4 3"), "3 6");
	expect_err(run(AV_EACHRIGHT, ev("{x+y+z}"), 3, "1", "2", "3"), "valence");
	K f = fn_derived(verb(V_JOIN), AV_EACHRIGHT);
	expect(run(AV_EACHLEFT, f, 2, "1 2 3", "4 5"), "((1 4;1 5);(2 4;2 5);(3 4;3 5))");
}
END_TEST

START_TEST(each_prior)
{
	expect(run(AV_EACHPRIOR, verb(V_MINUS), 1, "1 4 9 14 25 36"), "3 5 5 11 11");
	expect(run(AV_EACHPRIOR, verb(V_PLUS), 1, "2"), "4");
	expect(run(AV_EACHPRIOR, verb(V_PLUS), 1, "2.5"), "5.0");
	expect(run(AV_EACHPRIOR, verb(V_MINUS), 1, ",5"), "()");
	expect_err(run(AV_EACHPRIOR, verb(V_MINUS), 1, "!0"), "length");
	expect(run(AV_EACHPRIOR, verb(V_PLUS), 2, "10", "2 3"), "10 5");
	expect(run(AV_EACHPRIOR, verb(V_PLUS), 2, "10", "2"), "10");
	expect(run(AV_EACHPRIOR, verb(V_MINUS), 2, "1", "!0"), "()");
	expect(run(AV_EACHPRIOR, verb(V_JOIN), 2, "1 2", "3 4 5"), "(1 2;4 3;5 4)");
	expect_err(run(AV_EACHPRIOR, ev("{x}"), 1, "1 2 3"), "valence");
}
END_TEST

START_TEST(bad_calls)
{
	K f = verb(V_PLUS);
	K a[1] = { NULL };
	expect_err(adverb_apply(AV_OVER, f, 0, a), "valence");
	a[0] = k_int(1);
	expect_err(adverb_apply(AV_COUNT_, f, 1, a), "valence");
	cd(f);
}
END_TEST

/* ---- failure injection: every allocation of a call fails in turn ---------- */

static void all_failures(int adverb, const char *f, int n, const char **args)
{
	for (uint64_t k = 1;; k++) {
		K fn = ev(f);
		K a[8];
		for (int i = 0; i < n; i++) a[i] = ev(args[i]);
		kp_fail_after(kc->heap, k);
		K r = adverb_apply(adverb, fn, n, a);
		kp_fail_after(kc->heap, 0);
		cd(fn);
		if (r) { cd(r); break; }
		kerr_clear();
		ck_assert_uint_eq(heap_in_use(), baseline);
		ck_assert_msg(k < 100000, "no end");
	}
	ck_assert_uint_eq(heap_in_use(), baseline);
}

START_TEST(faults)
{
	all_failures(AV_EACH, "{x,x}", 1, (const char *[]){ "1 2 3" });
	all_failures(AV_EACH, "{x+y}", 2, (const char *[]){ "1 2 3", "(4;5 6;7)" });
	all_failures(AV_SCAN, "{x+y}", 1, (const char *[]){ "(1;2.5;3)" });
	all_failures(AV_SCAN, "{x+y}", 2, (const char *[]){ "1", "1 2 3" });
	all_failures(AV_OVER, "{x,y}", 1, (const char *[]){ "(1 2;`a;\"bc\")" });
	all_failures(AV_OVER, ",", 1, (const char *[]){ "(1 2;`a;\"bc\")" });
	all_failures(AV_OVER, ",", 1, (const char *[]){ "(1 2;3 4)" });
	all_failures(AV_SCAN, "{_ x%2}", 1, (const char *[]){ "100" });
	all_failures(AV_SCAN, "{x+1}", 2, (const char *[]){ "{x<5}", "0" });
	all_failures(AV_SCAN, "{x+1}", 2, (const char *[]){ "4", "0" });
	all_failures(AV_SCAN, "{x+y+z}", 3, (const char *[]){ "1", "1 2", "3 4" });
	all_failures(AV_EACHPRIOR, ",", 2, (const char *[]){ "1 2", "3 4 5" });
	all_failures(AV_EACHRIGHT, ",", 2, (const char *[]){ "1 2", "3 4 5" });
	all_failures(AV_SCAN, "\",\"", 1, (const char *[]){ "\"ab,cd,\"" });
	all_failures(AV_OVER, "\",\"", 1, (const char *[]){ "(\"ab\";\"cd\")" });
}
END_TEST

static Suite *adverb_suite(void)
{
	Suite *s = suite_create("adverb");
	TCase *tc = tcase_create("adverb");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, fold_verbs);
	tcase_add_test(tc, fold_empty);
	tcase_add_test(tc, scan_verbs);
	tcase_add_test(tc, fold_big_is_fast);
	tcase_add_test(tc, join_over);
	tcase_add_test(tc, join_over_long_is_linear);
	tcase_add_test(tc, converge);
	tcase_add_test(tc, do_and_while);
	tcase_add_test(tc, multi_over);
	tcase_add_test(tc, data_forms);
	tcase_add_test(tc, each);
	tcase_add_test(tc, each_right_left);
	tcase_add_test(tc, each_prior);
	tcase_add_test(tc, bad_calls);
	tcase_add_test(tc, faults);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(adverb_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
