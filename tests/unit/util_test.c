/* util_test.c: the shared helpers of lang/util.c: k_item, k_explode,
 * k_squeeze, k_match and the dictionary functions.  Every test runs in a
 * fresh context and must leave the heap where it found it. */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include "../../runtime/heap.h"
#include "../../lang/lang.h"

static kctx *ctx;
static klang lang;
static uint64_t baseline;

static uint64_t heap_in_use(void)
{
	kpool_stats s;
	kp_stats(kc->heap, &s);
	return s.in_use;
}

static void setup(void)
{
	ctx = kctx_open();
	ck_assert_ptr_nonnull(ctx);
	kc = ctx;
	memset(&lang, 0, sizeof lang);
	lang.seed = 42;
	kc->lang = &lang;
	baseline = heap_in_use();
}

static void teardown(void)
{
	ck_assert_uint_eq(heap_in_use(), baseline);
	kc->lang = NULL;
	kctx_close(ctx);
	kc = NULL;
}

/* int vector of n items */
static K ivec(int n, ...)
{
	va_list ap;
	va_start(ap, n);
	K x = k_new(-KT_INT, n);
	for (int i = 0; i < n; i++) kI(x)[i] = va_arg(ap, int64_t);
	va_end(ap);
	return x;
}

static K fvec(int n, ...)
{
	va_list ap;
	va_start(ap, n);
	K x = k_new(-KT_FLOAT, n);
	for (int i = 0; i < n; i++) kF(x)[i] = va_arg(ap, double);
	va_end(ap);
	return x;
}

/* general list of n items, consumed */
static K lst(int n, ...)
{
	va_list ap;
	va_start(ap, n);
	K x = k_list(n);
	for (int i = 0; i < n; i++) kK(x)[i] = va_arg(ap, K);
	va_end(ap);
	return x;
}

/* ---- k_item ---- */

START_TEST(item_of_each_type)
{
	K v = ivec(3, (int64_t)4, (int64_t)5, (int64_t)6);
	K a = k_item(v, 1);
	ck_assert_int_eq(a->t, KT_INT);
	ck_assert_int_eq(kI(a)[0], 5);
	cd(a);
	cd(v);

	v = k_cstr("abc");
	a = k_item(v, 2);
	ck_assert_int_eq(a->t, KT_CHAR);
	ck_assert_int_eq(kC(a)[0], 'c');
	cd(a);
	cd(v);

	v = fvec(2, 1.5, 2.5);
	a = k_item(v, 0);
	ck_assert(a->t == KT_FLOAT && kF(a)[0] == 1.5);
	cd(a);
	cd(v);

	K s = k_new(-KT_SYM, 2);
	kS(s)[0] = sym_c("x");
	kS(s)[1] = sym_c("y");
	a = k_item(s, 1);
	ck_assert(a->t == KT_SYM && kS(a)[0] == sym_c("y"));
	cd(a);
	cd(s);

	K l = lst(2, k_int(1), k_cstr("ab"));
	a = k_item(l, 1);
	ck_assert_ptr_eq(a, kK(l)[1]);
	ck_assert_int_eq(a->rc, 2);
	cd(a);
	cd(l);

	K at = k_int(7);
	a = k_item(at, 0);
	ck_assert_ptr_eq(a, at);
	cd(a);
	cd(at);
}
END_TEST

/* ---- k_explode / k_squeeze ---- */

START_TEST(explode_and_squeeze_round_trip)
{
	K v = ivec(3, (int64_t)1, (int64_t)2, (int64_t)3);
	K l = k_explode(v);
	ck_assert_int_eq(l->t, KT_LIST);
	ck_assert_int_eq(l->n, 3);
	ck_assert_int_eq(kK(l)[2]->t, KT_INT);
	K back = k_squeeze(l);
	ck_assert_int_eq(back->t, -KT_INT);
	ck_assert_int_eq(kI(back)[2], 3);
	cd(back);

	K s = k_explode(k_cstr("hi"));
	ck_assert_int_eq(s->n, 2);
	s = k_squeeze(s);
	ck_assert_int_eq(s->t, -KT_CHAR);
	ck_assert_str_eq(kC(s), "hi");
	cd(s);

	/* an atom explodes to a 1-item list; a list is itself */
	K a = k_explode(k_int(9));
	ck_assert(a->t == KT_LIST && a->n == 1 && kI(kK(a)[0])[0] == 9);
	K same = k_explode(a);
	ck_assert_ptr_eq(same, a);
	cd(same);
}
END_TEST

START_TEST(squeeze_leaves_mixed_and_empty)
{
	K m = lst(2, k_int(1), k_float(2.0));
	K r = k_squeeze(m);
	ck_assert_ptr_eq(r, m);
	ck_assert_int_eq(r->t, KT_LIST);
	cd(r);

	K e = k_list(0);
	r = k_squeeze(e);
	ck_assert(r == e && r->t == KT_LIST);
	cd(r);

	K nested = lst(2, ivec(1, (int64_t)1), k_int(2));
	r = k_squeeze(nested);
	ck_assert_int_eq(r->t, KT_LIST);
	cd(r);

	K one = lst(1, k_symv(sym_c("a")));
	r = k_squeeze(one);
	ck_assert(r->t == -KT_SYM && r->n == 1);
	cd(r);

	K fl = lst(2, k_float(1.0), k_float(0.5));
	r = k_squeeze(fl);
	ck_assert(r->t == -KT_FLOAT && kF(r)[1] == 0.5);
	cd(r);
}
END_TEST

/* ---- k_match ---- */

START_TEST(match_is_type_sensitive)
{
	K a = k_int(1), b = k_float(1.0);
	ck_assert_int_eq(k_match(a, b), 0);
	ck_assert_int_eq(k_match(a, a), 1);
	cd(a);
	cd(b);

	K e1 = k_new(-KT_INT, 0), e2 = k_new(-KT_FLOAT, 0), e3 = k_list(0);
	ck_assert_int_eq(k_match(e1, e2), 0);
	ck_assert_int_eq(k_match(e1, e3), 0);
	cd(e1);
	cd(e2);
	cd(e3);

	K c = k_char('a'), s = k_cstr("a");
	ck_assert_int_eq(k_match(c, s), 0);
	cd(c);
	cd(s);
}
END_TEST

START_TEST(match_deep_and_tolerant)
{
	K x = lst(3, k_int(1), k_cstr("ab"), lst(2, k_symv(sym_c("c")), fvec(2, 0.1, 0.2)));
	K y = lst(3, k_int(1), k_cstr("ab"), lst(2, k_symv(sym_c("c")), fvec(2, 0.1, 0.2)));
	ck_assert_int_eq(k_match(x, y), 1);
	kF(kK(kK(y)[2])[1])[1] = 0.2000001;
	ck_assert_int_eq(k_match(x, y), 0);
	cd(x);
	cd(y);

	K f1 = k_float(0.1 + 0.2), f2 = k_float(0.3);
	ck_assert_int_eq(k_match(f1, f2), 1);       /* within the tolerance */
	cd(f1);
	cd(f2);
	f1 = k_float(1.0);
	f2 = k_float(1.0 + 1e-10);
	ck_assert_int_eq(k_match(f1, f2), 0);       /* beyond it (Kona: 0) */
	cd(f1);
	cd(f2);
	f1 = k_float(KF_NULL);
	f2 = k_float(KF_NULL);
	ck_assert_int_eq(k_match(f1, f2), 1);       /* 0n~0n */
	cd(f1);
	cd(f2);
	f1 = k_float(KF_INF);
	f2 = k_float(-KF_INF);
	ck_assert_int_eq(k_match(f1, f2), 0);
	cd(f1);
	cd(f2);

	/* a list of ints that was never squeezed matches the vector */
	K l = lst(2, k_int(1), k_int(2)), v = ivec(2, (int64_t)1, (int64_t)2);
	ck_assert_int_eq(k_match(l, v), 1);
	ck_assert_int_eq(k_match(v, l), 1);
	cd(l);
	cd(v);

	K n1 = k_null(), n2 = k_null();
	ck_assert_int_eq(k_match(n1, n2), 1);
	cd(n1);
	cd(n2);
}
END_TEST

/* ---- dictionaries ---- */

START_TEST(dict_set_get_order)
{
	K d = dict_new();
	ck_assert_int_eq(d->t, KT_DICT);
	ck_assert_int_eq(d->n, 0);
	d = dict_set(d, sym_c("b"), k_int(2));
	d = dict_set(d, sym_c("a"), k_cstr("one"));
	ck_assert_int_eq(d->n, 2);
	K e = dict_entry(d, sym_c("a"));
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->n, 3);
	ck_assert_int_eq(kK(e)[2]->t, KT_NULL);
	ck_assert_ptr_null(dict_entry(d, sym_c("zz")));

	K v = dict_get(d, sym_c("b"));
	ck_assert_int_eq(kI(v)[0], 2);
	cd(v);
	v = dict_get(d, sym_c("nope"));
	ck_assert_int_eq(v->t, KT_NULL);
	cd(v);

	/* replacing keeps the place; first key stays first */
	d = dict_set(d, sym_c("b"), k_int(20));
	ck_assert_int_eq(d->n, 2);
	ck_assert_ptr_eq(kS(kK(kK(d)[0])[0])[0], sym_c("b"));
	v = dict_get(d, sym_c("b"));
	ck_assert_int_eq(kI(v)[0], 20);
	cd(v);
	cd(d);
}
END_TEST

START_TEST(dict_set_copies_when_shared)
{
	K d = dict_set(dict_new(), sym_c("a"), k_int(1));
	K keep = ci(d);
	K d2 = dict_set(d, sym_c("a"), k_int(5));
	ck_assert_ptr_ne(d2, keep);
	K v = dict_get(keep, sym_c("a"));
	ck_assert_int_eq(kI(v)[0], 1);        /* the shared original is unchanged */
	cd(v);
	v = dict_get(d2, sym_c("a"));
	ck_assert_int_eq(kI(v)[0], 5);
	cd(v);
	ck_assert_int_eq(k_match(keep, d2), 0);
	cd(keep);
	cd(d2);
}
END_TEST

START_TEST(dict_match)
{
	K a = dict_set(dict_set(dict_new(), sym_c("x"), k_int(1)), sym_c("y"), k_cstr("s"));
	K b = dict_set(dict_set(dict_new(), sym_c("x"), k_int(1)), sym_c("y"), k_cstr("s"));
	ck_assert_int_eq(k_match(a, b), 1);
	b = dict_set(b, sym_c("y"), k_cstr("t"));
	ck_assert_int_eq(k_match(a, b), 0);
	cd(a);
	cd(b);
}
END_TEST

/* every allocation of dict_set failing in turn leaks nothing */
START_TEST(dict_set_out_of_memory)
{
	for (uint64_t n = 1; n < 12; n++) {
		K d = dict_set(dict_new(), sym_c("a"), k_int(1));
		K v = k_cstr("two");
		ksym b = sym_c("b");
		kp_fail_after(kc->heap, n);
		K r = dict_set(d, b, v);
		kp_fail_after(kc->heap, 0);
		if (r) cd(r);
		else kerr_clear();
		ck_assert_uint_eq(heap_in_use(), baseline);
	}
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, item_of_each_type);
	tcase_add_test(tc, explode_and_squeeze_round_trip);
	tcase_add_test(tc, squeeze_leaves_mixed_and_empty);
	tcase_add_test(tc, match_is_type_sensitive);
	tcase_add_test(tc, match_deep_and_tolerant);
	tcase_add_test(tc, dict_set_get_order);
	tcase_add_test(tc, dict_set_copies_when_shared);
	tcase_add_test(tc, dict_match);
	tcase_add_test(tc, dict_set_out_of_memory);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(util_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
