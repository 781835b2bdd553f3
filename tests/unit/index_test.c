/* index_test.c: indexing and amend (lang/index.c): k_at, k_dot, k_amend_at,
 * k_amend_dot, the n-ary forms index_at_n/index_dot_n with the error trap
 * and symbol handles, and the verbs @ and . .  Arguments are made by
 * evaluating K literals.  Every test runs in a fresh context and must leave
 * the heap where it found it; the fault-injection test fails every
 * allocation of a call in turn and requires no crash and no leak. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "fixture.h"
#include "../../runtime/heap.h"
#include "../../lang/lang.h"
#include "../../lang/verbs.h"
#include "../../lang/ktree.h"
#include "../../lang/apply.h"

static uint64_t baseline;

#define heap_in_use fx_in_use

static void setup(void)
{
	fx_open(1);
	const char *names[] = { "a", "b", "c", "d", "x", "y", "z", "g" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) sym_c(names[i]);
	/* the global g exists (as _n) before the baseline: handle tests
	 * change it and put _n back */
	K *cell = ktree_cell(sym_c("g"), 1);
	ck_assert_ptr_nonnull(cell);
	fx_baseline();
	baseline = fx_in_use();
}

static void teardown(void) { fx_close(); }

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

static void expect_err(K r, const char *name)
{
	ck_assert_msg(r == NULL, "expected error %s", name);
	ck_assert_str_eq(kc->err, name);
	kerr_clear();
}

static K at(const char *x, const char *i) { return k_at(ev(x), ev(i)); }
static K dot(const char *x, const char *p) { return k_dot(ev(x), ev(p)); }
/* @[x;i;f;y] / .[x;p;f;y] with f a K source ("" for replace) and y NULL
 * for the monadic form */
static K amend(int isdot, const char *x, const char *i, const char *f, const char *y)
{
	K fn = *f ? ev(f) : NULL;
	K xv = ev(x), iv = ev(i), yv = y ? ev(y) : NULL;
	K r = isdot ? k_amend_dot(xv, iv, fn, yv) : k_amend_at(xv, iv, fn, yv);
	cd(fn);
	return r;
}
/* index_at_n / index_dot_n with arguments as K sources */
static K nary(int isdot, int n, ...)
{
	K a[4];
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) a[i] = ev(va_arg(ap, const char *));
	va_end(ap);
	return isdot ? index_dot_n(n, a) : index_at_n(n, a);
}

/* ---- x@i ---------------------------------------------------------------- */

START_TEST(at_vectors)
{
	expect(at("1 2 3", "1"), "2");
	expect(at("1.5 2.5", "0"), "1.5");
	expect(at("\"abcdefg\"", "5 0 3 4 3"), "\"faded\"");
	expect(at("`a`b`c", "2 0"), "`c`a");
	expect(at("1 2 3", "(0 1;2)"), "(1 2;3)");
	expect(at("1 2 3", "_n"), "1 2 3");
	K r = at("1 2 3", "!0");
	ck_assert_int_eq(r->t, -KT_INT);
	expect(r, "!0");
	r = at("\"abc\"", "!0");
	ck_assert_int_eq(r->t, -KT_CHAR);
	expect(r, "\"\"");
	expect_err(at("1 2 3", "3"), "index");
	expect_err(at("1 2 3", "-1"), "index");
	expect_err(at("1 2 3", "0 5"), "index");
	expect_err(at("!0", "0"), "index");
	expect_err(at("1 2 3", "1.0"), "type");
	expect_err(at("1 2 3", "`a"), "type");
	expect_err(at("5", "0"), "rank");        /* an atom, as Kona */
}
END_TEST

START_TEST(at_lists)
{
	expect(at("(1;`a;\"c\")", "0 2"), "(1;\"c\")");
	K r = at("(1;`a;2)", "0 2");      /* atoms of one type are squeezed */
	ck_assert_int_eq(r->t, -KT_INT);
	expect(r, "1 2");
	expect(at("(8 1 6;3 5;7 4 9 2)", "(2 1;1 2 0)"), "((7 4 9 2;3 5);(3 5;7 4 9 2;8 1 6))");
	expect(at("2 4 -23 8 7", "(0 4;2)"), "(2 7;-23)");
	expect_err(at("(1 2;3 4)", "2"), "index");
	expect(at("_n", "1 2"), "1 2");
}
END_TEST

START_TEST(at_dicts)
{
	const char *d = ".((`a;2 3 4);(`b;\"abcdefg\"))";
	expect(at(d, "`a"), "2 3 4");
	expect(at(d, "`b`a"), "(\"abcdefg\";2 3 4)");
	expect(at(d, "\"a\""), "2 3 4");
	expect(at(d, "`c"), "_n");
	expect(at(".((`a;1);(`b;2))", "_n"), "1 2");
	expect(at(".((`a;1);(`b;2))", "(`a;`b`a)"), "(1;2 1)");
	expect_err(at(d, "1"), "type");
}
END_TEST

START_TEST(at_functions)
{
	expect(at("{x^2}", "3"), "9.0");
	expect(at("{x+1}", "1 2"), "2 3");
	expect(verb_at(ev("-:"), ev("1 2")), "-1 -2");
	/* (-)@1 2 is -[1 2], a projection, as in Kona */
	K p = verb_at(ev("-"), ev("1 2"));
	ck_assert_ptr_nonnull(p);
	expect(k_call1(p, ev("1")), "0 1");
	cd(p);
	expect_err(at("{x+1}", "`a"), "type");
}
END_TEST

/* ---- x . path ------------------------------------------------------------- */

START_TEST(dot_paths)
{
	const char *d = "((1 2 3;4 5 6 7);(8 9;10;11 12);(13 14;15 16 17 18;19 20))";
	expect(dot(d, "(2 0;0 1)"), "((13 14;15 16 17 18);(1 2 3;4 5 6 7))");
	expect(dot(d, "(_n;0)"), "(1 2 3;8 9;13 14)");
	expect(dot(d, "(0 2;_n;1 0)"), "((2 1;5 4);(14 13;16 15;20 19))");
	expect(dot("(1 2;3 4)", "1 0"), "3");
	expect(dot("(1 2;3 4)", "1"), "3 4");
	expect(dot("(1 2;3 4)", ",0 1"), "(1 2;3 4)");
	expect(dot("(1 2;3 4)", "(0 1;(0 1;1))"), "((1 2;2);(3 4;4))");
	expect(dot("1 2 3", ",,0"), ",1");
	expect(dot("1 2 3", "()"), "1 2 3");
	expect(dot("10", "()"), "10");
	expect(dot("1 2", "0"), "1");
	expect(dot("(1;.((`a;2 3 4);(`b;10 20 30 40)))", "(1;`b;2)"), "30");
	expect(dot(".((`a;1 2);(`b;3 4))", "(_n;1)"), "2 4");
	expect_err(dot("(1 2;3 4)", "(1;0;0)"), "rank");
	expect_err(dot("(1 2;3 4)", "(2;0)"), "index");
	expect_err(dot("_n", "1 2"), "type");
}
END_TEST

START_TEST(dot_apply)
{
	expect(dot("{x+y}", "(1;2)"), "3");
	expect(dot("{x+y}", "1 2"), "3");
	expect(dot("{x}", "\"2+2\""), "\"2+2\"");      /* a string is one argument */
	expect(dot("{x}", "1"), "1");
	expect(dot("{x}", ",_n"), "_n");
	expect_err(dot("{x}", "1 2"), "valence");
	expect_err(dot("+", "(1;`b)"), "type");
	expect(verb_dot(ev("*"), ev("3 4")), "12");
}
END_TEST

/* ---- amend ----------------------------------------------------------------- */

START_TEST(amend_at)
{
	expect(amend(0, "1 2 3", "1", "", "9"), "1 9 3");
	expect(amend(0, "1 2 3", "1", "", "9.5"), "(1;9.5;3)");
	expect(amend(0, "1 2 3", "1 1", "+", "10 20"), "1 32 3");
	expect(amend(0, "1 2 3", "1", "+", "10 20"), "(1;12 22;3)");
	expect(amend(0, "1 2 3", "1 2", "+", "10"), "1 12 13");
	expect(amend(0, "1 2 3", "1", "-:", NULL), "1 -2 3");
	expect(amend(0, "1 2 3", "(0 1;2)", "", "(7 8;9)"), "7 8 9");
	expect(amend(0, "1 2 3", "(0 1;2)", "", "9"), "9 9 9");
	expect(amend(0, "1 2 3", "1", ",", "4"), "(1;2 4;3)");
	expect(amend(0, "(1 2;3 4)", "1", ",", "4"), "(1 2;3 4 4)");
	expect(amend(0, "1 2 3", "_n", "+", "4"), "5 6 7");
	expect(amend(0, "1 2 3", "!0", "+", "4"), "1 2 3");
	expect(amend(0, "9 8 7 6 5 4 3 2 1 0", "2 7 1 8 2 8", "", "50 30 60 20 70 40"),
	       "9 60 70 6 5 4 3 30 40 0");
	expect(amend(0, "1.5 2.5", "0", "+", "1"), "2.5 2.5");
	expect(amend(0, "\"abc\"", "0", "", "\"x\""), "\"xbc\"");
	expect(amend(0, "\"abc\"", "0", "", "\"xy\""), "(\"xy\";\"b\";\"c\")");
	K r = amend(0, "(1;`a;3)", "1", "", "2");     /* squeezed back */
	ck_assert_int_eq(r->t, -KT_INT);
	expect(r, "1 2 3");
	expect_err(amend(0, "1 2 3", "5", "", "1"), "index");
	expect_err(amend(0, "1 2 3", "1 2", "+", "10 20 30"), "length");
	expect_err(amend(0, "1 2 3", "0 1", "", "4 5 6"), "length");
	expect_err(amend(0, "1 2 3", "1.0", "", "3"), "type");
	expect_err(amend(0, "5", "0", "", "3"), "rank");
	expect_err(amend(0, "1 2 3", "1", "+", "`a"), "type");
}
END_TEST

START_TEST(amend_dicts)
{
	expect(amend(0, ".((`a;1);(`b;2))", "`c", "", "3"), ".((`a;1);(`b;2);(`c;3))");
	expect(amend(0, ".((`a;1);(`b;2))", "`a", "+", "3"), ".((`a;4);(`b;2))");
	expect(amend(0, ".()", "`a", "", "3"), ".,(`a;3)");
	expect(amend(0, "_n", "`a", "", "3"), ".,(`a;3)");
	expect(amend(0, ".()", "`a`b", "", "1 2"), ".((`a;1);(`b;2))");
	expect(amend(1, ".((`a;1 2);(`b;2))", "(`a;0)", "", "9"), ".((`a;9 2);(`b;2))");
	expect_err(amend(0, ".((`a;1);(`b;2))", "`a`c", "+", "3"), "type");
	expect_err(amend(0, ".((`a;1);(`b;2))", "1", "", "3"), "type");
	expect_err(amend(1, ".((`a;1 2);(`b;2))", "(`c;0)", "", "9"), "type");
}
END_TEST

START_TEST(amend_dot)
{
	expect(amend(1, "(1 2;3 4)", "1 0", "", "9"), "(1 2;9 4)");
	expect(amend(1, "(1 2;3 4)", "(1;0)", "+", "9"), "(1 2;12 4)");
	expect(amend(1, "(1 2;3 4)", "(_n;0)", "", "8 9"), "(8 2;9 4)");
	expect(amend(1, "(1 2;3 4)", "(0 1;0 1)", "", "(5 6;7 8)"), "(5 6;7 8)");
	expect(amend(1, "(1 2;3 4)", "(0 1;0 1)", "+", "1"), "(2 3;4 5)");
	expect(amend(1, "(1 2;3 4)", "()", "", "9"), "9");
	expect(amend(1, "(1 2;3 4)", "_n", "", "9"), "9 9");
	expect(amend(1, "(1 2;3 4)", ",1", "", "9"), "(1 2;9)");
	expect(amend(1, "(1 2;3 4)", "1", "", "9"), "(1 2;9)");
	expect(amend(1, "5", "()", "-:", NULL), "-5");
	expect(amend(1, "(1 2;3 4)", "(0 1;0)", ",", "9"), "((1 9;2);(3 9;4))");
	expect(amend(1, "(1 2;3 4)", "(1 1;0 0)", "+", "1"), "(1 2;7 4)");
	expect(amend(1, "(5 2.14;\"abc\")", "1 2", ",", "\"xyz\""), "(5 2.14;(\"a\";\"b\";\"cxyz\"))");
	expect(amend(1, "((1 2 3;4 5 6 7);(8 9;10;11 12);(13 14;15 16 17 18;19 20))",
	             "(2 0;0 1 0)", ",", "(100 200 300;400 500 600)"),
	       "((1 2 3 400 600;4 5 6 7 500);(8 9;10;11 12);(13 14 100 300;15 16 17 18 200;19 20))");
	expect(amend(1, "2 3", "()", ",", "4 5 6"), "2 3 4 5 6");
	expect_err(amend(1, "(1 2;3 4)", "(1;0;0)", "", "9"), "rank");
	expect_err(amend(1, "(1 2;3 4)", "(0 1;0)", "", "9 8 7"), "length");
	expect_err(amend(1, "1 2 3", "(1;0)", "", "9"), "rank");
}
END_TEST

START_TEST(amend_in_place)
{
	/* an unshared vector is written where it is */
	K x = ev("1 2 3");
	K r = k_amend_at(x, k_int(1), NULL, k_int(9));
	ck_assert_ptr_eq(r, x);
	expect(r, "1 9 3");
	/* nested: the inner vector of an unshared list too */
	x = ev("(1 2;3 4)");
	K inner = kK(x)[1];
	r = k_amend_dot(x, ev("1 0"), NULL, k_int(9));
	ck_assert_ptr_eq(r, x);
	ck_assert_ptr_eq(kK(r)[1], inner);
	expect(r, "(1 2;9 4)");
	/* a shared value is copied and the other reference keeps its value */
	x = ev("1 2 3");
	K keep = ci(x);
	r = k_amend_at(x, ev("0 2"), NULL, ev("7 8"));
	ck_assert_ptr_ne(r, keep);
	expect(r, "7 2 8");
	expect(keep, "1 2 3");
	/* a dictionary whose entries are shared with a copy */
	K d = ev(".((`a;1 2);(`b;3))");
	K d2 = ci(d);
	r = k_amend_dot(d, ev("(`a;0)"), NULL, k_int(5));
	expect(r, ".((`a;5 2);(`b;3))");
	expect(d2, ".((`a;1 2);(`b;3))");
}
END_TEST

START_TEST(amend_cycle)
{
	/* A container that a stored value reaches is refused.  With sound
	 * counts this needs a borrowed reference (as the K-tree has); here v
	 * holds x without counting it. */
	K x = ev("(1;2;3)");
	x = k_explode(x);
	ck_assert_int_eq(x->t, KT_LIST);
	K v = k_list(1);
	kK(v)[0] = x;                 /* uncounted */
	ci(v);                        /* keep v for the clean-up below */
	K r = k_amend_at(x, k_int(0), NULL, v);
	expect_err(r, "cycle");
	kK(v)[0] = k_int(0);          /* x is gone; drop the dangling pointer */
	cd(v);
}
END_TEST

/* ---- the n-ary forms, traps and handles ------------------------------------ */

START_TEST(nary_forms)
{
	expect(nary(0, 4, "1 2 3", "1", ":", "9"), "1 9 3");
	expect(nary(0, 4, "1 2 3", "1", "+", "9"), "1 11 3");
	expect(nary(0, 3, "1 2 3", "1", "-:"), "1 -2 3");
	expect(nary(1, 4, "(1 2;3 4)", "1 0", ":", "9"), "(1 2;9 4)");
	expect(nary(1, 3, "5", "()", "-:"), "-5");
	expect(nary(1, 4, "3 3#0", "(1 2;0 1)", "{x;y}", "1"), "3 3#0 0 0 1 1 0 1 1 0");
	expect_err(index_at_n(2, (K[]){ k_int(1), k_int(2) }), "valence");
}
END_TEST

START_TEST(traps)
{
	expect(nary(0, 3, "{x+1}", "1", ":"), "(0;2)");
	expect(nary(0, 3, "{x+1}", "`a", ":"), "(1;\"type\")");
	ck_assert_ptr_null(kc->err);
	expect(nary(1, 3, "{x+y}", "(1;2)", ":"), "(0;3)");
	expect(nary(1, 3, "+", "(1;`b)", ":"), "(1;\"type\")");
	expect(nary(1, 3, "{x}", "1 2", ":"), "(1;\"valence\")");
	expect(nary(1, 3, "{x}", "\"2+2\"", ":"), "(0;\"2+2\")");
	expect(nary(0, 3, "1 2 3", "5", ":"), "(1;\"index\")");
	expect(nary(0, 3, "1 2 3", "1", ":"), "(0;2)");
	expect(nary(0, 3, ".:", "\"1+1\"", ":"), "(0;2)");
	expect(nary(0, 3, "{'\"oops\"}", "1", ":"), "(1;\"oops\")");
}
END_TEST

START_TEST(handles)
{
	expect(nary(1, 4, "`g", "()", ":", "1 2 3"), "`g");
	expect(ktree_get(sym_c("g")), "1 2 3");
	expect(nary(0, 4, "`g", "1", "+", "10"), "`g");
	expect(ktree_get(sym_c("g")), "1 12 3");
	expect(verb_at(ev("`g"), ev("1 2")), "12 3");
	expect(verb_dot(ev("`g"), ev(",0")), "1");
	/* a failed amend leaves the global as it was */
	expect_err(nary(0, 4, "`g", "7", ":", "0"), "index");
	expect(ktree_get(sym_c("g")), "1 12 3");
	expect(nary(1, 3, "`g", "()", "-:"), "`g");
	expect(ktree_get(sym_c("g")), "-1 -12 -3");
	expect(nary(1, 4, "`g", "()", ":", "_n"), "`g");
	/* an undefined name reads as _n, and _n@i is i */
	expect(verb_at(ev("`zz"), ev("1 2")), "1 2");
	ck_assert_ptr_null(kc->err);
}
END_TEST

/* ---- failure injection ------------------------------------------------------ */

static void all_failures(int isdot, int n, const char **src)
{
	for (uint64_t k = 1;; k++) {
		K a[4];
		for (int i = 0; i < n; i++) a[i] = ev(src[i]);
		kp_fail_after(kc->heap, k);
		K r = isdot ? index_dot_n(n, a) : index_at_n(n, a);
		kp_fail_after(kc->heap, 0);
		if (r && !(r->t == KT_LIST && r->n == 2 && kK(r)[0]->t == KT_INT && kI(kK(r)[0])[0] == 1)) {
			cd(r);
			break;
		}
		cd(r);
		kerr_clear();
		ck_assert_uint_eq(heap_in_use(), baseline);
		ck_assert_msg(k < 100000, "no end: %s", src[0]);
	}
	ck_assert_uint_eq(heap_in_use(), baseline);
}

START_TEST(faults)
{
	all_failures(0, 4, (const char *[]){ "(1;`a;3)", "(0 1;2)", ",", "(4 5;6)" });
	all_failures(0, 4, (const char *[]){ "1 2 3", "1", ":", "`x" });
	all_failures(1, 4, (const char *[]){ "(1 2;3 4)", "(0 1;0)", ",", "9" });
	all_failures(1, 4, (const char *[]){ ".((`a;1 2);(`b;2))", "(`a;_n)", ":", "9" });
	all_failures(0, 4, (const char *[]){ ".((`a;1 2);(`b;2))", "`c`d", ":", "9" });
	all_failures(1, 3, (const char *[]){ "{x+y}", "(1;2)", ":" });
	all_failures(1, 4, (const char *[]){ "`g", "()", ":", "1 2" });
	all_failures(1, 4, (const char *[]){ "`g", "()", ":", "_n" });
	for (uint64_t k = 1;; k++) {
		K x = ev("((1 2 3;4 5 6 7);(8 9;10;11 12);(13 14;15 16 17 18;19 20))"), p = ev("(0 2;_n;1 0)");
		kp_fail_after(kc->heap, k);
		K r = k_dot(x, p);
		kp_fail_after(kc->heap, 0);
		if (r) { cd(r); break; }
		kerr_clear();
		ck_assert_uint_eq(heap_in_use(), baseline);
	}
}
END_TEST

static Suite *index_suite(void)
{
	Suite *s = suite_create("index");
	TCase *tc = tcase_create("index");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, at_vectors);
	tcase_add_test(tc, at_lists);
	tcase_add_test(tc, at_dicts);
	tcase_add_test(tc, at_functions);
	tcase_add_test(tc, dot_paths);
	tcase_add_test(tc, dot_apply);
	tcase_add_test(tc, amend_at);
	tcase_add_test(tc, amend_dicts);
	tcase_add_test(tc, amend_dot);
	tcase_add_test(tc, amend_in_place);
	tcase_add_test(tc, amend_cycle);
	tcase_add_test(tc, nary_forms);
	tcase_add_test(tc, traps);
	tcase_add_test(tc, handles);
	tcase_add_test(tc, faults);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(index_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
