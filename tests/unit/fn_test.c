/* fn_test.c: function values as lang/fn.c makes and describes them:
 * verbs, derived verbs, lambdas, closures, compositions, projections, and
 * their valence.  Every test runs in a fresh context and must leave the
 * heap where it found it; the fault tests fail each allocation of a maker
 * in turn and require NULL with wsfull and nothing leaked. */
#include <check.h>
#include <stdlib.h>
#include "fixture.h"
#include "../../runtime/heap.h"
#include "../../lang/lang.h"
#include "../../lang/sysfn.h"

static void setup(void)
{
	fx_open(1);
	fx_baseline();
}

static void teardown(void) { fx_close(); }

static K lambda(const char *s)
{
	K f = eval_string(s, (int64_t)strlen(s));
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->t, KT_FUNC);
	ck_assert_int_eq(f->a, FK_LAMBDA);
	return f;
}

START_TEST(verbs_and_derived)
{
	K plus = fn_verb(V_PLUS, 0), neg = fn_verb(V_MINUS, 1);
	ck_assert_int_eq(plus->a, FK_VERB);
	ck_assert_int_eq(plus->u, V_PLUS);
	ck_assert_int_eq(fn_valence(plus), 2);
	ck_assert_int_eq(neg->a, FK_VERB1);
	ck_assert_int_eq(fn_valence(neg), 1);
	K over = fn_derived(ci(plus), AV_OVER), each = fn_derived(ci(plus), AV_EACH);
	ck_assert_int_eq(over->a, FK_DERIVED);
	ck_assert_ptr_eq(kK(over)[0], plus);
	ck_assert_int_eq(fn_valence(over), 2);     /* +/ folds, seeded or not */
	ck_assert_int_eq(fn_valence(each), 2);     /* +' keeps +'s valence */
	K neg_over = fn_derived(ci(neg), AV_OVER);
	ck_assert_int_eq(fn_valence(neg_over), 1);
	ck_assert_int_eq(fn_noun_derived(over), 0);
	K data = fn_derived(k_int(1), AV_OVER);     /* 1/ : data with an adverb */
	ck_assert_int_eq(fn_noun_derived(data), 1);
	K data_each_right = fn_derived(k_int(1), AV_EACHRIGHT);
	ck_assert_int_eq(fn_noun_derived(data_each_right), 0);
	K one = k_int(0);
	ck_assert_int_eq(fn_valence(one), 1);      /* data: indexed by one */
	cd(one);
	cd(data_each_right); cd(data); cd(neg_over); cd(each); cd(over); cd(neg); cd(plus);
}
END_TEST

START_TEST(lambdas_closures_compositions)
{
	K f = lambda("{x+y}");
	ck_assert_int_eq(fn_valence(f), 2);
	K vals = k_list(1);
	kK(vals)[0] = k_int(7);
	K c = fn_closure(f, vals);
	ck_assert_int_eq(c->a, FK_LAMBDA);
	ck_assert_int_eq(c->n, 3);
	ck_assert_ptr_eq(kK(c)[1], kK(f)[1]);      /* the code is shared */
	ck_assert_int_eq(fn_valence(c), 2);
	K comp = fn_compose(fn_verb(V_MINUS, 1), ci(f));
	ck_assert_int_eq(comp->a, FK_COMP);
	ck_assert_int_eq(fn_valence(comp), 2);      /* the rightmost's */
	cd(comp); cd(c); cd(f);
}
END_TEST

START_TEST(projections)
{
	K f = lambda("{x+y+z}");
	K a[2] = { k_int(1), NULL };
	K p = fn_project(f, 2, a, 1);      /* f[1;] with z still to come */
	ck_assert_int_eq(p->a, FK_PROJ);
	ck_assert_int_eq(p->n, 4);
	ck_assert_ptr_eq(kK(p)[0], f);
	ck_assert_int_eq(p->u, 2);                  /* y and z */
	ck_assert_int_eq(fn_valence(p), 2);
	cd(p);
	ck_assert_int_eq(f->rc, 1);
	cd(f);
	K s = sysfn_value(sysfn_find(sym_c("_draw")));
	ck_assert_int_eq(fn_valence(s), 2);
	cd(s);
}
END_TEST

/* Each maker with its own allocation failing: NULL and wsfull, what it
 * consumes released, nothing leaked. */
static void expect_wsfull(K r)
{
	kp_fail_after(kc->heap, 0);
	ck_assert_ptr_null(r);
	ck_assert_str_eq(kc->err, "wsfull");
	kerr_clear();
}

START_TEST(faults)
{
	K f = lambda("{x+y}");
	uint64_t base = fx_in_use();
	kp_fail_after(kc->heap, 1);
	expect_wsfull(fn_verb(V_PLUS, 0));
	K v = fn_verb(V_PLUS, 0);
	kp_fail_after(kc->heap, 1);
	expect_wsfull(fn_derived(v, AV_EACH));
	K vals = k_list(1);
	kK(vals)[0] = k_int(1);
	kp_fail_after(kc->heap, 1);
	expect_wsfull(fn_closure(f, vals));
	K a[2] = { k_int(1), k_int(2) };
	kp_fail_after(kc->heap, 1);
	expect_wsfull(fn_project(f, 2, a, 1));
	K neg = fn_verb(V_MINUS, 1);
	kp_fail_after(kc->heap, 1);
	expect_wsfull(fn_compose(neg, ci(f)));
	K src = k_str("{x}", 3), code = k_list(0);
	kp_fail_after(kc->heap, 1);
	expect_wsfull(fn_lambda(src, code, 1));
	ck_assert_uint_eq(fx_in_use(), base);
	cd(f);
}
END_TEST

static Suite *fn_suite(void)
{
	Suite *s = suite_create("fn");
	TCase *tc = tcase_create("fn");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, verbs_and_derived);
	tcase_add_test(tc, lambdas_closures_compositions);
	tcase_add_test(tc, projections);
	tcase_add_test(tc, faults);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fn_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
