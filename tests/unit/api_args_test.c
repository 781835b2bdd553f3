#define _POSIX_C_SOURCE 200809L
/* api_args_test.c: libkrt refuses what it cannot use (src/krt.h,
 * "Arguments").  Every entry point is called with each of its pointer
 * arguments NULL in turn: it must return its error value with the error
 * "null" (a message naming the call), never crash, and still consume what
 * it promises to consume (the heap is back at its baseline after each
 * test).  krt_close from inside a C function that K is running is refused
 * with "busy"; a debug build aborts on a call with a closed state. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "../../src/krt.h"

static krt *k;
static uint64_t baseline;

static uint64_t in_use(void)
{
	krt_stats st;
	krt_heap_stats(k, &st);
	return st.in_use;
}

static void setup(void)
{
	k = krt_open();
	ck_assert_ptr_nonnull(k);
	K r = krt_eval(k, "a:0; f:{x+1}; d:.,(`a;1)");     /* globals and symbols up front */
	ck_assert_ptr_nonnull(r);
	krt_release(k, r);
	baseline = in_use();
}

static void teardown(void)
{
	ck_assert_uint_eq(in_use(), baseline);
	ck_assert_uint_eq(krt_close(k, 1), 0);
	k = NULL;
}

/* The last call failed with "null", its message names `call`. */
static void refused(const char *call)
{
	ck_assert_msg(strcmp(krt_error(k), "null") == 0, "%s: error \"%s\"", call, krt_error(k));
	const char *m = krt_error_message(k);
	ck_assert_msg(strstr(m, "null error") == m, "%s: message \"%s\"", call, m);
	krt_clear_error(k);
}

static K one(void) { return krt_int(k, 1); }

static K c_id(krt *s, int n, K *a) { (void)s; (void)n; return a[0]; }

START_TEST(running_k)
{
	K r = (K)1;
	ck_assert_int_eq(krt_exec(k, NULL, 3, &r), KRT_ERROR);
	ck_assert_ptr_null(r);
	refused("krt_exec src");
	ck_assert_int_eq(krt_exec(k, "1+1", 3, NULL), KRT_ERROR);
	refused("krt_exec result");
	ck_assert_ptr_null(krt_eval(k, NULL));
	refused("krt_eval");
	ck_assert_int_eq(krt_load(k, NULL), KRT_ERROR);
	refused("krt_load");
	ck_assert_ptr_null(krt_signal(k, NULL));
	refused("krt_signal");
	ck_assert_int_eq(krt_incomplete(NULL, 3), 0);
	ck_assert_int_eq(krt_set_args(k, 2, NULL), -1);
	refused("krt_set_args args");
	const char *args[] = { "one", NULL };
	ck_assert_int_eq(krt_set_args(k, 2, args), -1);
	refused("krt_set_args item");
}
END_TEST

START_TEST(references)
{
	krt_release(k, NULL);                       /* documented: ignored */
	ck_assert_str_eq(krt_error(k), "");
	ck_assert_ptr_null(krt_retain(k, NULL));
	refused("krt_retain");
	krt *other = krt_open();
	ck_assert_ptr_nonnull(other);
	ck_assert_ptr_null(krt_copy(other, k, NULL));
	ck_assert_str_eq(krt_error(other), "null");
	krt_clear_error(k);
	ck_assert_uint_eq(krt_close(other, 1), 0);
}
END_TEST

START_TEST(building)
{
	ck_assert_ptr_null(krt_sym(k, NULL));
	refused("krt_sym");
	ck_assert_ptr_null(krt_string(k, NULL));
	refused("krt_string");
	ck_assert_ptr_null(krt_ints(k, NULL, 2));
	refused("krt_ints");
	ck_assert_ptr_null(krt_floats(k, NULL, 2));
	refused("krt_floats");
	ck_assert_ptr_null(krt_chars(k, NULL, 2));
	refused("krt_chars");
	K e = krt_ints(k, NULL, 0);                 /* no data needed: empty */
	ck_assert_int_eq(krt_count(k, e), 0);
	krt_release(k, e);
	ck_assert_ptr_null(krt_syms(k, NULL, 2));
	refused("krt_syms names");
	const char *names[] = { "a", NULL };
	ck_assert_ptr_null(krt_syms(k, names, 2));
	refused("krt_syms name");
	ck_assert_ptr_null(krt_list(k, 2, NULL));
	refused("krt_list items");
	K items[] = { one(), NULL };               /* the first is consumed */
	ck_assert_ptr_null(krt_list(k, 2, items));
	refused("krt_list item");
	ck_assert_ptr_null(krt_dict_set(k, NULL, "a", one()));
	refused("krt_dict_set d");
	ck_assert_ptr_null(krt_dict_set(k, krt_dict(k), NULL, one()));
	refused("krt_dict_set key");
	ck_assert_ptr_null(krt_dict_set(k, krt_dict(k), "a", NULL));
	refused("krt_dict_set v");
}
END_TEST

START_TEST(reading)
{
	K x = one(), d = krt_get(k, "d");
	ck_assert_ptr_nonnull(d);
	int64_t i;
	double f;
	char c;
	ck_assert_int_eq(krt_type(k, NULL), KRT_BAD);
	refused("krt_type");
	ck_assert_int_eq(krt_count(k, NULL), -1);
	refused("krt_count");
	ck_assert_ptr_null(krt_item(k, NULL, 0));
	refused("krt_item");
	ck_assert_int_eq(krt_get_int(k, NULL, &i), -1);
	refused("krt_get_int x");
	ck_assert_int_eq(krt_get_int(k, x, NULL), -1);
	refused("krt_get_int out");
	ck_assert_int_eq(krt_get_float(k, NULL, &f), -1);
	refused("krt_get_float x");
	ck_assert_int_eq(krt_get_float(k, x, NULL), -1);
	refused("krt_get_float out");
	ck_assert_int_eq(krt_get_char(k, NULL, &c), -1);
	refused("krt_get_char x");
	ck_assert_int_eq(krt_get_char(k, x, NULL), -1);
	refused("krt_get_char out");
	ck_assert_ptr_null(krt_get_sym(k, NULL));
	refused("krt_get_sym");
	ck_assert_ptr_null(krt_data(k, NULL));
	refused("krt_data");
	ck_assert_ptr_null(krt_dict_keys(k, NULL));
	refused("krt_dict_keys");
	ck_assert_ptr_null(krt_dict_get(k, NULL, "a"));
	refused("krt_dict_get d");
	ck_assert_ptr_null(krt_dict_get(k, d, NULL));
	refused("krt_dict_get key");
	ck_assert_ptr_null(krt_show(k, NULL));
	refused("krt_show");
	ck_assert_int_eq(krt_print(k, NULL, stdout), -1);
	refused("krt_print x");
	ck_assert_int_eq(krt_print(k, x, NULL), -1);
	refused("krt_print out");
	krt_heap_stats(k, NULL);
	refused("krt_heap_stats");
	krt_heap_report(k, NULL);
	refused("krt_heap_report");
	krt_release(k, x);
	krt_release(k, d);
}
END_TEST

START_TEST(globals_and_calls)
{
	ck_assert_ptr_null(krt_get(k, NULL));
	refused("krt_get");
	ck_assert_int_eq(krt_set(k, NULL, one()), -1);   /* the value is consumed */
	refused("krt_set name");
	ck_assert_int_eq(krt_set(k, "a", NULL), -1);
	refused("krt_set v");
	K f = krt_get(k, "f");
	ck_assert_ptr_nonnull(f);
	K args[] = { one(), NULL };
	ck_assert_ptr_null(krt_call(k, NULL, 1, args));   /* args[0] is consumed */
	refused("krt_call f");
	ck_assert_ptr_null(krt_call(k, f, 1, NULL));
	refused("krt_call args");
	args[0] = one();
	ck_assert_ptr_null(krt_call(k, f, 2, args));
	refused("krt_call item");
	krt_release(k, f);
	ck_assert_ptr_null(krt_cfunction(k, NULL, c_id, 1));
	refused("krt_cfunction name");
	ck_assert_ptr_null(krt_cfunction(k, "cid", NULL, 1));
	refused("krt_cfunction fn");
	ck_assert_int_eq(krt_register(k, NULL, c_id, 1), -1);
	refused("krt_register name");
	ck_assert_int_eq(krt_register(k, "cid", NULL, 1), -1);
	refused("krt_register fn");
}
END_TEST

/* krt_close from inside a C function: refused, and K goes on. */
static int close_refused;
static K c_close(krt *s, int n, K *a)
{
	(void)n; (void)a;
	close_refused = krt_close(s, 0) == UINT64_MAX && strcmp(krt_error(s), "busy") == 0;
	krt_clear_error(s);
	return krt_int(s, 7);
}

START_TEST(close_while_running)
{
	ck_assert_int_eq(krt_register(k, "f", c_close, 0), 0);
	K r = krt_eval(k, "1+f[]");
	ck_assert_ptr_nonnull(r);
	ck_assert(close_refused);
	int64_t i;
	ck_assert_int_eq(krt_get_int(k, r, &i), 0);
	ck_assert_int_eq(i, 8);
	krt_release(k, r);
	/* through krt_call and krt_exec too */
	close_refused = 0;
	K f = krt_get(k, "f"), arg = krt_null(k);
	r = krt_call(k, f, 1, &arg);
	ck_assert(close_refused);
	krt_release(k, r);
	krt_release(k, f);
	close_refused = 0;
	ck_assert_int_eq(krt_exec(k, "f[]", 3, &r), KRT_OK);
	ck_assert(close_refused);
	krt_release(k, r);
	r = krt_eval(k, "f:{x+1}");                 /* back as the fixture had it */
	krt_release(k, r);
}
END_TEST

#ifdef KRT_DEBUG
/* A debug build catches a call on a closed state: it aborts, saying so. */
START_TEST(use_after_close)
{
	krt *s = krt_open();
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(krt_close(s, 0), 0);
	krt_eval(s, "1");
}
END_TEST
#endif

static Suite *args_suite(void)
{
	Suite *s = suite_create("api_args");
	TCase *c = tcase_create("null");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, running_k);
	tcase_add_test(c, references);
	tcase_add_test(c, building);
	tcase_add_test(c, reading);
	tcase_add_test(c, globals_and_calls);
	tcase_add_test(c, close_while_running);
	suite_add_tcase(s, c);
#ifdef KRT_DEBUG
	c = tcase_create("closed");
	tcase_add_test_raise_signal(c, use_after_close, SIGABRT);
	suite_add_tcase(s, c);
#endif
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(args_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
