/* sym_test.c: unit suite of runtime/sym.c: interning gives one stable,
 * NUL-terminated pointer per distinct string; "" is interned; strings live
 * in heap blocks (the leak check sees them) released when the context
 * closes; running out of memory is wsfull and leaves the table sound.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/heap.h"
#include "../../runtime/k.h"
#include "../../runtime/sym_priv.h"

static kpool_stats stats(void)
{
	kpool_stats s;
	kp_stats(kc->heap, &s);
	return s;
}

static void setup(void)
{
	kc = kctx_open();
	ck_assert_ptr_nonnull(kc);
}

static void teardown(void)
{
	kp_fail_after(kc->heap, 0);
	kpool *h = kc->heap;
	kctx_close(kc);
	ck_assert_uint_eq(kp_close(h, 1), 0);   /* the table freed everything */
}

START_TEST(intern_same_pointer)
{
	ksym a = sym_c("price"), b = sym_intern("prices", 5), c = sym_c("size");
	ck_assert_ptr_eq(a, b);
	ck_assert_ptr_ne(a, c);
	ck_assert_str_eq(a, "price");
	ck_assert_str_eq(c, "size");
	char buf[] = "price";
	ck_assert_ptr_eq(sym_c(buf), a);        /* not the caller's storage */
	ck_assert_ptr_ne((const char *)buf, a);
	buf[0] = 'x';
	ck_assert_str_eq(a, "price");
}
END_TEST

START_TEST(empty_symbol)
{
	size_t n = symtab_count(kc->syms);
	ck_assert_uint_ge(n, 1);                /* "" is there from the start */
	ksym e = sym_intern("", 0);
	ck_assert_str_eq(e, "");
	ck_assert_ptr_eq(sym_c(""), e);
	ck_assert_ptr_eq(sym_intern("abc", 0), e);
	ck_assert_uint_eq(symtab_count(kc->syms), n);
}
END_TEST

START_TEST(embedded_and_long)
{
	ksym a = sym_intern("a\0b", 3), b = sym_intern("a\0c", 3), c = sym_c("a");
	ck_assert_ptr_ne(a, b);
	ck_assert_ptr_ne(a, c);
	ck_assert_int_eq(memcmp(a, "a\0b", 4), 0);
	char *big = malloc(100001);
	memset(big, 'k', 100000);
	big[100000] = 0;
	ksym l = sym_c(big);
	ck_assert_uint_eq(strlen(l), 100000);
	big[99999] = 'j';
	ksym m = sym_c(big);
	ck_assert_ptr_ne(l, m);
	big[99999] = 'k';
	ck_assert_ptr_eq(sym_c(big), l);
	free(big);
}
END_TEST

START_TEST(many_stable)
{
	enum { N = 200000 };
	ksym *s = malloc(N * sizeof *s);
	char name[32];
	uint64_t before = stats().in_use;
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "sym%d", i);
		s[i] = sym_c(name);
		ck_assert_ptr_nonnull(s[i]);
	}
	ck_assert_uint_gt(stats().in_use, before + 200000 * 8); /* in the heap */
	for (int i = 0; i < N; i++) {           /* the table grew; pointers stay */
		snprintf(name, sizeof name, "sym%d", i);
		ck_assert_ptr_eq(sym_c(name), s[i]);
		ck_assert_str_eq(s[i], name);
	}
	ck_assert_uint_eq(symtab_count(kc->syms), N + 1);
	free(s);
}
END_TEST

START_TEST(wsfull_no_damage)
{
	ksym a = sym_c("before");
	int failures = 0;
	char name[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof name, "n%d", i);
		kp_fail_after(kc->heap, 1);
		kerr_clear();
		ksym s = sym_c(name);
		kp_fail_after(kc->heap, 0);
		if (!s) {
			failures++;
			ck_assert_str_eq(kc->err, "wsfull");
			s = sym_c(name);                /* works once memory is back */
		}
		ck_assert_str_eq(s, name);
	}
	ck_assert_int_gt(failures, 0);          /* arena and table growth failed */
	ck_assert_ptr_eq(sym_c("before"), a);
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof name, "n%d", i);
		ck_assert_str_eq(sym_c(name), name);
	}
	kerr_clear();
}
END_TEST

START_TEST(per_context)
{
	ksym a = sym_c("shared-name");
	kctx *mine = kc, *other = kctx_open();
	kc = other;
	ksym b = sym_c("shared-name");
	ck_assert_ptr_ne(a, b);                 /* each context has its own */
	ck_assert_ptr_eq(sym_c("shared-name"), b);
	kpool *h = other->heap;
	kctx_close(other);
	ck_assert_uint_eq(kp_close(h, 1), 0);
	kc = mine;
	ck_assert_ptr_eq(sym_c("shared-name"), a);
}
END_TEST

static Suite *sym_suite(void)
{
	Suite *s = suite_create("sym");
	TCase *t = tcase_create("sym");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, intern_same_pointer);
	tcase_add_test(t, empty_symbol);
	tcase_add_test(t, embedded_and_long);
	tcase_add_test(t, many_stable);
	tcase_add_test(t, wsfull_no_damage);
	tcase_add_test(t, per_context);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(sym_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
