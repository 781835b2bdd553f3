#define _POSIX_C_SOURCE 200809L
/* api_test.c: libkrt's public API (src/krt.h), through krt.h alone: every
 * call, on success and on its errors; values refused by a state that did
 * not make them; C functions called from K; fault injection; two states in
 * two threads at once.  Each test opens a fresh state, and must leave its
 * heap where it found it: the test's own values are released (in_use back
 * at the baseline taken after warming the state up) and closing the state
 * finds no live block. */
#include <check.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../src/krt.h"

static krt *k;
static uint64_t baseline;

static uint64_t in_use(krt *s)
{
	krt_stats st;
	krt_heap_stats(s, &st);
	return st.in_use;
}

/* Intern the symbols the tests use and give the K-tree the globals they
 * set, each its own block (a:0;b:0, not a:b:0, which shares one), so that
 * neither moves the heap's baseline later. */
static void warm_up(krt *s)
{
	static const char *const names[] = { "a", "b", "c", "x", "y", "f", "g", "t", "sq", "csum",
		"cdiv", "cnil", "cecho", "crec", "cfail", "keep", "scale", "zz", "abc", "plus", "v" };
	char src[512] = "";
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		snprintf(src + strlen(src), sizeof src - strlen(src), "%s:0;", names[i]);
	K r = krt_eval(s, src);
	ck_assert_ptr_nonnull(r);
	krt_release(s, r);
	ck_assert_int_eq(krt_set_args(s, 0, NULL), 0);    /* _a holds a list */
}

static void setup(void)
{
	k = krt_open();
	ck_assert_ptr_nonnull(k);
	warm_up(k);
	baseline = in_use(k);
}

static void teardown(void)
{
	ck_assert_uint_eq(in_use(k), baseline);
	ck_assert_uint_eq(krt_close(k, 1), 0);
	k = NULL;
}

/* Evaluate src and check that it shows as `shown`. */
static void check_shows(const char *src, const char *shown)
{
	K r = krt_eval(k, src);
	ck_assert_msg(r != NULL, "%s: %s error", src, krt_error(k));
	K s = krt_show(k, r);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(krt_type(k, s), -KRT_CHAR);
	ck_assert_str_eq((const char *)krt_data(k, s), shown);
	krt_release(k, s);
	krt_release(k, r);
}

/* ---- states, running, errors ---------------------------------------- */

START_TEST(open_close_version)
{
	ck_assert_str_eq(krt_version(), KRT_VERSION);
	krt *other = krt_open();
	ck_assert_ptr_nonnull(other);
	ck_assert_uint_eq(krt_close(other, 0), 0);
	ck_assert_uint_eq(krt_close(NULL, 0), 0);
	int here;
	krt_set_userdata(k, &here);
	ck_assert_ptr_eq(krt_userdata(k), &here);
}
END_TEST

START_TEST(eval_values_and_errors)
{
	int64_t i = 0;
	K r = krt_eval(k, "1+2");
	ck_assert_int_eq(krt_get_int(k, r, &i), 0);
	ck_assert_int_eq(i, 3);
	krt_release(k, r);
	check_shows("1 2 3*2", "2 4 6");
	check_shows("x:5; x*x", "25");

	ck_assert_ptr_null(krt_eval(k, "1+`a"));
	ck_assert_str_eq(krt_error(k), "type");
	ck_assert_str_eq(krt_error_message(k), "type error");
	ck_assert_ptr_null(krt_eval(k, "1 2+3 4 5"));
	ck_assert_str_eq(krt_error(k), "length");
	ck_assert_ptr_null(krt_eval(k, "(1"));
	ck_assert_str_eq(krt_error(k), "parse");
	ck_assert_ptr_null(krt_eval(k, "nosuchname"));
	ck_assert_str_eq(krt_error(k), "value");
	krt_clear_error(k);
	ck_assert_str_eq(krt_error(k), "");
	ck_assert_str_eq(krt_error_message(k), "");
	/* a signal's text is the error */
	ck_assert_ptr_null(krt_eval(k, "{'\"oops\"}[]"));
	ck_assert_str_eq(krt_error(k), "oops");
	/* the state goes on after errors */
	check_shows("+/!10", "45");
}
END_TEST

START_TEST(exec_outcomes)
{
	K r = (K)1;
	ck_assert_int_eq(krt_exec(k, "a:3", 3, &r), KRT_OK);
	ck_assert_ptr_null(r);          /* an assignment shows nothing */
	ck_assert_int_eq(krt_exec(k, "a*2", 3, &r), KRT_OK);
	K s = krt_show(k, r);
	ck_assert_str_eq((const char *)krt_data(k, s), "6");
	krt_release(k, s);
	krt_release(k, r);
	ck_assert_int_eq(krt_exec(k, "a+`b", 4, &r), KRT_ERROR);
	ck_assert_ptr_null(r);
	ck_assert_str_eq(krt_error(k), "type");
	ck_assert_int_eq(krt_exec(k, "\\\\", 2, &r), KRT_EXIT);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(krt_exit_status(k), 0);
	/* only n bytes are read */
	ck_assert_int_eq(krt_exec(k, "1+1 junk", 3, &r), KRT_OK);
	int64_t i;
	ck_assert_int_eq(krt_get_int(k, r, &i), 0);
	ck_assert_int_eq(i, 2);
	krt_release(k, r);
}
END_TEST

START_TEST(signal_from_c)
{
	ck_assert_ptr_null(krt_signal(k, "mine"));
	ck_assert_str_eq(krt_error(k), "mine");
	ck_assert_str_eq(krt_error_message(k), "mine error");
}
END_TEST

/* ---- building and reading values ------------------------------------ */

START_TEST(atoms)
{
	int64_t i;
	double f;
	char c;
	K x = krt_int(k, -7), y = krt_float(k, 2.5), z = krt_char(k, 'q');
	K s = krt_sym(k, "abc"), n = krt_null(k);
	ck_assert_int_eq(krt_type(k, x), KRT_INT);
	ck_assert_int_eq(krt_type(k, y), KRT_FLOAT);
	ck_assert_int_eq(krt_type(k, z), KRT_CHAR);
	ck_assert_int_eq(krt_type(k, s), KRT_SYM);
	ck_assert_int_eq(krt_type(k, n), KRT_NULL);
	ck_assert_int_eq(krt_count(k, x), 1);
	ck_assert_int_eq(krt_get_int(k, x, &i), 0);
	ck_assert_int_eq(i, -7);
	ck_assert_int_eq(krt_get_float(k, y, &f), 0);
	ck_assert(f == 2.5);
	ck_assert_int_eq(krt_get_float(k, x, &f), 0);    /* an int reads as a float */
	ck_assert(f == -7.0);
	ck_assert_int_eq(krt_get_char(k, z, &c), 0);
	ck_assert_int_eq(c, 'q');
	ck_assert_str_eq(krt_get_sym(k, s), "abc");
	/* the symbol is the one K code interns */
	K t = krt_eval(k, "`abc");
	ck_assert_ptr_eq(krt_get_sym(k, t), krt_get_sym(k, s));
	krt_release(k, t);
	/* wrong types */
	ck_assert_int_eq(krt_get_int(k, y, &i), -1);
	ck_assert_str_eq(krt_error(k), "type");
	ck_assert_int_eq(krt_get_float(k, z, &f), -1);
	ck_assert_int_eq(krt_get_char(k, x, &c), -1);
	ck_assert_ptr_null(krt_get_sym(k, x));
	ck_assert_ptr_null(krt_data(k, n));
	ck_assert_str_eq(krt_error(k), "type");
	/* an atom's datum through krt_data and krt_item */
	ck_assert_int_eq(*(const int64_t *)krt_data(k, x), -7);
	K x0 = krt_item(k, x, 0);
	ck_assert_ptr_eq(x0, x);
	krt_release(k, x0);
	ck_assert_ptr_null(krt_item(k, x, 1));
	ck_assert_str_eq(krt_error(k), "index");
	K r = krt_retain(k, x);
	ck_assert_ptr_eq(r, x);
	krt_release(k, r);
	krt_release(k, x); krt_release(k, y); krt_release(k, z);
	krt_release(k, s); krt_release(k, n);
	krt_release(k, NULL);
}
END_TEST

START_TEST(vectors)
{
	int64_t iv[] = { 1, 2, 3 };
	double fv[] = { 0.5, 1.5 };
	const char *names[] = { "a", "b", "zz" };
	K i = krt_ints(k, iv, 3), f = krt_floats(k, fv, 2), c = krt_chars(k, "hello", 4);
	K s = krt_string(k, "hi"), y = krt_syms(k, names, 3), e = krt_ints(k, NULL, 0);
	ck_assert_int_eq(krt_type(k, i), -KRT_INT);
	ck_assert_int_eq(krt_type(k, f), -KRT_FLOAT);
	ck_assert_int_eq(krt_type(k, c), -KRT_CHAR);
	ck_assert_int_eq(krt_type(k, y), -KRT_SYM);
	ck_assert_int_eq(krt_count(k, i), 3);
	ck_assert_int_eq(krt_count(k, c), 4);
	ck_assert_int_eq(krt_count(k, e), 0);
	ck_assert_str_eq((const char *)krt_data(k, c), "hell");
	ck_assert_str_eq((const char *)krt_data(k, s), "hi");
	ck_assert_int_eq(((const int64_t *)krt_data(k, i))[2], 3);
	ck_assert(((const double *)krt_data(k, f))[1] == 1.5);
	ck_assert_str_eq(((const char *const *)krt_data(k, y))[2], "zz");
	int64_t v;
	K i1 = krt_item(k, i, 1);
	ck_assert_int_eq(krt_type(k, i1), KRT_INT);
	ck_assert_int_eq(krt_get_int(k, i1, &v), 0);
	ck_assert_int_eq(v, 2);
	K y2 = krt_item(k, y, 2);
	ck_assert_str_eq(krt_get_sym(k, y2), "zz");
	ck_assert_ptr_null(krt_item(k, i, 3));
	ck_assert_ptr_null(krt_item(k, i, -1));
	ck_assert_str_eq(krt_error(k), "index");
	K sh = krt_show(k, y);
	ck_assert_str_eq((const char *)krt_data(k, sh), "`a `b `zz");   /* as Kona shows it */
	K list[] = { i1, y2, sh, i, f, c, s, y, e };
	for (size_t j = 0; j < sizeof list / sizeof *list; j++) krt_release(k, list[j]);
}
END_TEST

START_TEST(lists)
{
	/* all ints: a vector, as (1;2;3) is in K */
	K items[3] = { krt_int(k, 1), krt_int(k, 2), krt_int(k, 3) };
	K v = krt_list(k, 3, items);
	ck_assert_int_eq(krt_type(k, v), -KRT_INT);
	ck_assert_int_eq(krt_count(k, v), 3);
	/* mixed: a general list */
	K mixed[3] = { krt_int(k, 1), krt_string(k, "ab"), krt_retain(k, v) };
	K l = krt_list(k, 3, mixed);
	ck_assert_int_eq(krt_type(k, l), KRT_LIST);
	K it = krt_item(k, l, 2);
	ck_assert_ptr_eq(it, v);
	krt_release(k, it);
	K sh = krt_show(k, l);
	ck_assert_str_eq((const char *)krt_data(k, sh), "(1\n \"ab\"\n 1 2 3)");
	ck_assert_ptr_null(krt_data(k, l));
	krt_release(k, sh);
	K empty = krt_list(k, 0, NULL);
	ck_assert_int_eq(krt_count(k, empty), 0);
	krt_release(k, empty);
	krt_release(k, l);
	krt_release(k, v);
}
END_TEST

START_TEST(dicts)
{
	K d = krt_dict(k);
	ck_assert_int_eq(krt_type(k, d), KRT_DICT);
	ck_assert_int_eq(krt_count(k, d), 0);
	d = krt_dict_set(k, d, "a", krt_int(k, 1));
	d = krt_dict_set(k, d, "b", krt_string(k, "bee"));
	d = krt_dict_set(k, d, "a", krt_int(k, 10));    /* replaces */
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(krt_count(k, d), 2);
	K keys = krt_dict_keys(k, d);
	ck_assert_int_eq(krt_type(k, keys), -KRT_SYM);
	ck_assert_str_eq(((const char *const *)krt_data(k, keys))[0], "a");
	ck_assert_str_eq(((const char *const *)krt_data(k, keys))[1], "b");
	int64_t i;
	K a = krt_dict_get(k, d, "a");
	ck_assert_int_eq(krt_get_int(k, a, &i), 0);
	ck_assert_int_eq(i, 10);
	K b = krt_item(k, d, 1);
	ck_assert_str_eq((const char *)krt_data(k, b), "bee");
	ck_assert_ptr_null(krt_dict_get(k, d, "zz"));
	ck_assert_str_eq(krt_error(k), "index");
	ck_assert_ptr_null(krt_dict_keys(k, a));
	ck_assert_str_eq(krt_error(k), "type");
	/* setting a key of a non-dictionary consumes both and fails */
	ck_assert_ptr_null(krt_dict_set(k, krt_int(k, 1), "a", krt_int(k, 2)));
	ck_assert_str_eq(krt_error(k), "type");
	/* a dictionary shared with a global is copied, not changed */
	ck_assert_int_eq(krt_set(k, "t", krt_retain(k, d)), 0);
	K d2 = krt_dict_set(k, krt_retain(k, d), "c", krt_null(k));
	ck_assert_int_eq(krt_count(k, d), 2);
	ck_assert_int_eq(krt_count(k, d2), 3);
	check_shows("t`a", "10");
	/* a dictionary stored into itself: the old one goes into a copy */
	d2 = krt_dict_set(k, d2, "self", krt_retain(k, d2));
	ck_assert_int_eq(krt_count(k, d2), 4);
	K self = krt_dict_get(k, d2, "self");
	ck_assert_int_eq(krt_count(k, self), 3);
	krt_release(k, self);
	krt_release(k, d2);
	/* and the K side sees the same structure */
	K e = krt_eval(k, ".((`a;10);(`b;\"bee\"))");
	K t = krt_get(k, "t");
	K m = krt_eval(k, "~");
	K args[2] = { e, t };
	K same = krt_call(k, m, 2, args);
	ck_assert_int_eq(krt_get_int(k, same, &i), 0);
	ck_assert_int_eq(i, 1);
	ck_assert_int_eq(krt_set(k, "t", krt_int(k, 0)), 0);
	K rel[] = { same, m, keys, a, b, d };
	for (size_t j = 0; j < sizeof rel / sizeof *rel; j++) krt_release(k, rel[j]);
}
END_TEST

/* ---- globals and calls ------------------------------------------------ */

START_TEST(globals)
{
	ck_assert_int_eq(krt_set(k, "x", krt_int(k, 42)), 0);
	check_shows("x+1", "43");
	K x = krt_get(k, "x");
	int64_t i;
	ck_assert_int_eq(krt_get_int(k, x, &i), 0);
	ck_assert_int_eq(i, 42);
	krt_release(k, x);
	K abs = krt_get(k, ".k.x");
	ck_assert_int_eq(krt_get_int(k, abs, &i), 0);
	ck_assert_int_eq(i, 42);
	krt_release(k, abs);
	ck_assert_ptr_null(krt_get(k, "nosuch"));
	ck_assert_str_eq(krt_error(k), "value");
	/* a value taken out keeps its contents when K changes the global */
	krt_release(k, krt_eval(k, "y:1 2 3"));
	K y = krt_get(k, "y");
	krt_release(k, krt_eval(k, "y[0]:99"));
	check_shows("y", "99 2 3");
	K ys = krt_show(k, y);
	ck_assert_str_eq((const char *)krt_data(k, ys), "1 2 3");
	krt_release(k, ys);
	krt_release(k, y);
	/* storing the K-tree into itself stores a copy of it (values are
	 * values: the directory is copied before it changes) */
	K root = krt_get(k, ".k");
	ck_assert_int_eq(krt_set(k, "keep", root), 0);
	check_shows("keep`x", "42");
	ck_assert_int_eq(krt_set(k, "keep", krt_int(k, 0)), 0);
	ck_assert_int_eq(krt_set(k, "x", krt_int(k, 0)), 0);
	ck_assert_int_eq(krt_set(k, "y", krt_int(k, 0)), 0);
}
END_TEST

START_TEST(calls)
{
	K f = krt_eval(k, "{x+y}");
	ck_assert_int_eq(krt_type(k, f), KRT_FUNC);
	K args[2] = { krt_int(k, 3), krt_int(k, 4) };
	K r = krt_call(k, f, 2, args);
	int64_t i;
	ck_assert_int_eq(krt_get_int(k, r, &i), 0);
	ck_assert_int_eq(i, 7);
	krt_release(k, r);
	/* an error inside the call */
	K bad[2] = { krt_int(k, 3), krt_sym(k, "a") };
	ck_assert_ptr_null(krt_call(k, f, 2, bad));
	ck_assert_str_eq(krt_error(k), "type");
	/* too many arguments */
	K many[3] = { krt_int(k, 1), krt_int(k, 2), krt_int(k, 3) };
	ck_assert_ptr_null(krt_call(k, f, 3, many));
	ck_assert_str_eq(krt_error(k), "valence");
	/* one argument of two: a projection */
	K one[1] = { krt_int(k, 10) };
	K p = krt_call(k, f, 1, one);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(krt_type(k, p), KRT_FUNC);
	K more[1] = { krt_int(k, 5) };
	r = krt_call(k, p, 1, more);
	ck_assert_int_eq(krt_get_int(k, r, &i), 0);
	ck_assert_int_eq(i, 15);
	krt_release(k, r);
	krt_release(k, p);
	/* data is indexed */
	int64_t iv[] = { 10, 20, 30 };
	K v = krt_ints(k, iv, 3);
	K at[1] = { krt_int(k, 2) };
	r = krt_call(k, v, 1, at);
	ck_assert_int_eq(krt_get_int(k, r, &i), 0);
	ck_assert_int_eq(i, 30);
	krt_release(k, r);
	krt_release(k, v);
	/* a primitive verb */
	K plus = krt_eval(k, "+");
	K pa[2] = { krt_int(k, 1), krt_float(k, 0.5) };
	r = krt_call(k, plus, 2, pa);
	double d;
	ck_assert_int_eq(krt_get_float(k, r, &d), 0);
	ck_assert(d == 1.5);
	krt_release(k, r);
	krt_release(k, plus);
	ck_assert_ptr_null(krt_call(k, f, 0, NULL));
	ck_assert_str_eq(krt_error(k), "valence");
	krt_release(k, f);
}
END_TEST

/* ---- C functions ------------------------------------------------------- */

static K c_sum(krt *s, int n, K *a)
{
	ck_assert_int_eq(n, 2);
	int64_t x, y;
	int ok = krt_get_int(s, a[0], &x) == 0 && krt_get_int(s, a[1], &y) == 0;
	krt_release(s, a[0]);
	krt_release(s, a[1]);
	return ok ? krt_int(s, x + y) : NULL;     /* krt_get_int set "type" */
}

static K c_div(krt *s, int n, K *a)
{
	(void)n;
	double x, y;
	int ok = krt_get_float(s, a[0], &x) == 0 && krt_get_float(s, a[1], &y) == 0;
	krt_release(s, a[0]);
	krt_release(s, a[1]);
	if (!ok) return NULL;
	if (y == 0) return krt_signal(s, "domain");
	return krt_float(s, x / y);
}

static int nil_calls;
static K c_nil(krt *s, int n, K *a)
{
	(void)a;
	ck_assert_int_eq(n, 0);
	nil_calls++;
	return krt_string(s, "nil");
}

static K c_echo(krt *s, int n, K *a)
{
	(void)s; (void)n;
	return a[0];          /* consumes its argument by returning it */
}

/* calls back into K, re-entrantly */
static K c_rec(krt *s, int n, K *a)
{
	(void)n;
	K sq = krt_get(s, "sq");
	if (!sq) { krt_release(s, a[0]); return NULL; }
	K r = krt_call(s, sq, 1, a);
	krt_release(s, sq);
	return r;
}

static K c_fail_quietly(krt *s, int n, K *a)
{
	for (int i = 0; i < n; i++) krt_release(s, a[i]);
	return NULL;          /* no error recorded: the library says "domain" */
}

START_TEST(c_functions)
{
	ck_assert_int_eq(krt_register(k, "csum", c_sum, 2), 0);
	ck_assert_int_eq(krt_register(k, "cdiv", c_div, 2), 0);
	ck_assert_int_eq(krt_register(k, "cnil", c_nil, 0), 0);
	ck_assert_int_eq(krt_register(k, "cecho", c_echo, 1), 0);
	ck_assert_int_eq(krt_register(k, "crec", c_rec, 1), 0);
	ck_assert_int_eq(krt_register(k, "cfail", c_fail_quietly, 1), 0);
	check_shows("csum[3;4]", "7");
	check_shows("csum[3;csum[10;20]]", "33");
	check_shows("csum'[1 2 3;10 20 30]", "11 22 33");
	check_shows("csum/1 2 3 4", "10");
	check_shows("3 csum/1 2", "6");
	check_shows("cdiv[1;4]", "0.25");
	check_shows("cecho \"abc\"", "\"abc\"");
	check_shows("cecho 1 2 3", "1 2 3");
	nil_calls = 0;
	check_shows("cnil[]", "\"nil\"");
	ck_assert_int_eq(nil_calls, 1);
	check_shows("csum", "csum");
	krt_release(k, krt_eval(k, "sq:{x*x}"));
	check_shows("crec 12", "144");
	check_shows("crec'1 2 3", "1 4 9");
	/* errors raised by C functions */
	ck_assert_ptr_null(krt_eval(k, "cdiv[1;0]"));
	ck_assert_str_eq(krt_error(k), "domain");
	ck_assert_ptr_null(krt_eval(k, "csum[1;`a]"));
	ck_assert_str_eq(krt_error(k), "type");
	ck_assert_ptr_null(krt_eval(k, "cfail 1"));
	ck_assert_str_eq(krt_error(k), "domain");
	ck_assert_ptr_null(krt_eval(k, "csum[1;2;3]"));
	ck_assert_str_eq(krt_error(k), "valence");
	check_shows("@[cdiv[1;];0;:]", "(1\n \"domain\")");
	/* the function value, called from C */
	K f = krt_get(k, "csum");
	ck_assert_int_eq(krt_type(k, f), KRT_FUNC);
	K args[2] = { krt_int(k, 5), krt_int(k, 6) };
	K r = krt_call(k, f, 2, args);
	int64_t i;
	ck_assert_int_eq(krt_get_int(k, r, &i), 0);
	ck_assert_int_eq(i, 11);
	krt_release(k, r);
	krt_release(k, f);
	/* an unnamed one, kept in a local */
	K g = krt_cfunction(k, "plus", c_sum, 2);
	ck_assert_int_eq(krt_set(k, "g", g), 0);
	check_shows("{g[x;1]}'1 2", "2 3");
	/* bad valences */
	ck_assert_ptr_null(krt_cfunction(k, "v", c_sum, -1));
	ck_assert_str_eq(krt_error(k), "valence");
	ck_assert_ptr_null(krt_cfunction(k, "v", c_sum, 9));
	ck_assert_ptr_null(krt_cfunction(k, "v", NULL, 1));
	ck_assert_int_eq(krt_register(k, "v", NULL, 1), -1);
	krt_release(k, krt_eval(k, "csum:0;cdiv:0;cnil:0;cecho:0;crec:0;cfail:0;g:0;sq:0"));
}
END_TEST

/* ---- ownership --------------------------------------------------------- */

START_TEST(foreign_values_refused)
{
	krt *o = krt_open();
	ck_assert_ptr_nonnull(o);
	warm_up(o);
	uint64_t obase = in_use(o);
	K x = krt_int(o, 5);
	K v = krt_eval(o, "1 2 3");
	int64_t i;
	ck_assert_int_eq(krt_type(k, x), KRT_BAD);
	ck_assert_str_eq(krt_error(k), "owner");
	ck_assert_int_eq(krt_count(k, x), -1);
	ck_assert_int_eq(krt_get_int(k, x, &i), -1);
	ck_assert_str_eq(krt_error(k), "owner");
	ck_assert_ptr_null(krt_item(k, v, 0));
	ck_assert_ptr_null(krt_data(k, v));
	ck_assert_ptr_null(krt_show(k, v));
	ck_assert_ptr_null(krt_retain(k, v));
	ck_assert_int_eq(krt_print(k, v, stdout), -1);
	krt_release(k, x);            /* refused, not freed */
	ck_assert_str_eq(krt_error(k), "owner");
	ck_assert_int_eq(krt_set(k, "x", x), -1);
	ck_assert_str_eq(krt_error(k), "owner");
	ck_assert_ptr_null(krt_dict_set(k, krt_dict(k), "a", x));
	/* a list with one stranger: our items are consumed, it is left alone */
	K items[3] = { krt_int(k, 1), v, krt_int(k, 2) };
	ck_assert_ptr_null(krt_list(k, 3, items));
	ck_assert_str_eq(krt_error(k), "owner");
	/* calls: a foreign function, a foreign argument */
	K f = krt_eval(k, "{x}");
	K a1[1] = { x };
	ck_assert_ptr_null(krt_call(k, f, 1, a1));
	ck_assert_str_eq(krt_error(k), "owner");
	K a2[1] = { krt_int(k, 1) };
	ck_assert_ptr_null(krt_call(o, f, 1, a2));   /* f is k's; a2[0] too */
	ck_assert_str_eq(krt_error(o), "owner");
	krt_release(k, a2[0]);       /* a2[0] was not o's, so still ours */
	krt_release(k, f);
	/* the values are intact in their own state */
	ck_assert_int_eq(krt_get_int(o, x, &i), 0);
	ck_assert_int_eq(i, 5);
	ck_assert_int_eq(krt_count(o, v), 3);
	/* a released value is no longer the caller's */
	K y = krt_int(k, 9);
	krt_release(k, y);
	krt_release(k, y);
	ck_assert_str_eq(krt_error(k), "owner");
	krt_release(o, x);
	krt_release(o, v);
	ck_assert_uint_eq(in_use(o), obase);
	ck_assert_uint_eq(krt_close(o, 1), 0);
}
END_TEST

START_TEST(copy_between_states)
{
	krt *o = krt_open();
	ck_assert_ptr_nonnull(o);
	K x = krt_eval(o, "(1;2.5;\"str\";`sym`other;.((`a;1 2);(`b;\"c\")))");
	ck_assert_ptr_nonnull(x);
	K y = krt_copy(k, o, x);
	ck_assert_ptr_nonnull(y);
	ck_assert_ptr_ne(x, y);
	krt_release(o, x);
	ck_assert_uint_eq(krt_close(o, 1), 0);   /* the copy outlives its source */
	ck_assert_int_eq(krt_set(k, "x", y), 0);
	check_shows("x[4]`a", "1 2");
	check_shows("x[3]~`sym`other", "1");
	check_shows("x[2],\"!\"", "\"str!\"");
	/* functions do not cross */
	o = krt_open();
	K f = krt_eval(o, "{x+1}");
	ck_assert_ptr_null(krt_copy(k, o, f));
	ck_assert_str_eq(krt_error(k), "type");
	/* a value of `to` (not `from`) is refused */
	K z = krt_int(k, 1);
	ck_assert_ptr_null(krt_copy(k, o, z));
	ck_assert_str_eq(krt_error(k), "owner");
	krt_release(k, z);
	krt_release(o, f);
	ck_assert_uint_eq(krt_close(o, 1), 0);
	ck_assert_int_eq(krt_set(k, "x", krt_int(k, 0)), 0);
}
END_TEST

/* ---- scripts --------------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(load_scripts)
{
	char path[] = "/tmp/krt-api-test-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	write_file(path,
	           "/ a comment line\n"
	           "a:1 2 3   / a trailing comment\n"
	           "/\n"                       /* a lone slash: a comment line */
	           "f:{[x]\n"
	           "  x*2}\n"
	           "b:f a\n"
	           "c:\"a string / with a slash\"\n"
	           "a+b\n"
	           "\\\n"                      /* a lone backslash ends the script */
	           "b:this is not run\n");
	ck_assert_int_eq(krt_load(k, path), KRT_OK);
	check_shows("b", "2 4 6");
	check_shows("c", "\"a string / with a slash\"");

	write_file(path, "a:1\n\nb:a+`x\nc:3\n");
	ck_assert_int_eq(krt_load(k, path), KRT_ERROR);
	ck_assert_str_eq(krt_error(k), "type");
	char want[256];
	snprintf(want, sizeof want, "%s:3: type error: b:a+`x", path);
	ck_assert_str_eq(krt_error_message(k), want);

	write_file(path, "a:2\n\\\\\na:3\n");
	ck_assert_int_eq(krt_load(k, path), KRT_EXIT);
	check_shows("a", "2");

	write_file(path, "a:(1\n");
	ck_assert_int_eq(krt_load(k, path), KRT_ERROR);
	ck_assert_str_eq(krt_error(k), "parse");

	unlink(path);
	ck_assert_int_eq(krt_load(k, path), KRT_ERROR);
	ck_assert_str_eq(krt_error(k), "file");
	krt_release(k, krt_eval(k, "a:0;b:0;c:0;f:0"));
}
END_TEST

/* ---- the heap -------------------------------------------------------------- */

START_TEST(heap_stats_and_limit)
{
	krt_stats st;
	krt_heap_stats(k, &st);
	ck_assert_uint_gt(st.in_use, 0);
	ck_assert_uint_ge(st.held, st.in_use);
	ck_assert_uint_ge(st.peak, st.in_use);
	K big = krt_eval(k, "!1000000");
	ck_assert_ptr_nonnull(big);
	krt_heap_stats(k, &st);
	ck_assert_uint_ge(st.in_use, baseline + 8000000);
	krt_release(k, big);
	krt_heap_stats(k, &st);
	ck_assert_uint_eq(st.in_use, baseline);
	ck_assert_uint_ge(st.peak, baseline + 8000000);
	FILE *out = tmpfile();
	krt_heap_report(k, out);
	ck_assert_int_gt(ftell(out), 0);
	fclose(out);
	krt_trim(k);
	/* past the limit: wsfull, and the state goes on */
	krt_set_heap_limit(k, st.held + (4u << 20));
	ck_assert_ptr_null(krt_eval(k, "!100000000"));
	ck_assert_str_eq(krt_error(k), "wsfull");
	check_shows("+/!100", "4950");
	krt_set_heap_limit(k, 0);
	big = krt_eval(k, "!1000000");
	ck_assert_ptr_nonnull(big);
	krt_release(k, big);
}
END_TEST

/* Walk every allocation of a few calls: each failure is an error (wsfull)
 * that leaves nothing behind, and the state carries on. */
START_TEST(fault_injection)
{
	const char *srcs[] = { "+/1 2 3,4 5", "{x,y}[`a`b;(1;\"c\")]", "t:.((`a;1);(`b;2)); t`b",
	                       "csum'[1 2;3 4]", "crec 3" };
	ck_assert_int_eq(krt_register(k, "csum", c_sum, 2), 0);
	ck_assert_int_eq(krt_register(k, "crec", c_rec, 1), 0);
	krt_release(k, krt_eval(k, "sq:{x*x}"));
	uint64_t base = in_use(k);
	for (size_t s = 0; s < sizeof srcs / sizeof *srcs; s++) {
		int done = 0;
		for (uint64_t n = 1; n < 1000 && !done; n++) {
			krt_fail_alloc(k, n);
			K r = krt_eval(k, srcs[s]);
			krt_fail_alloc(k, 0);
			if (r) { done = 1; krt_release(k, r); }
			else ck_assert_msg(!strcmp(krt_error(k), "wsfull"), "%s, allocation %llu: %s error",
			                   srcs[s], (unsigned long long)n, krt_error(k));
			krt_release(k, krt_eval(k, "t:0"));
			ck_assert_msg(in_use(k) == base, "%s: allocation %llu failing leaks %lld bytes",
			              srcs[s], (unsigned long long)n, (long long)(in_use(k) - base));
		}
		ck_assert_msg(done, "%s never succeeded", srcs[s]);
	}
	/* the API's own calls */
	for (uint64_t n = 1; n < 10; n++) {
		krt_fail_alloc(k, n);
		K items[2] = { krt_int(k, 1), krt_string(k, "x") };
		K l = krt_list(k, 2, items);
		K d = krt_dict_set(k, krt_dict(k), "a", krt_int(k, 2));
		krt_fail_alloc(k, 0);
		krt_release(k, l);
		krt_release(k, d);
		ck_assert_uint_eq(in_use(k), base);
	}
	krt_release(k, krt_eval(k, "csum:0;crec:0;sq:0"));
}
END_TEST

START_TEST(print_and_show)
{
	FILE *out = tmpfile();
	K x = krt_eval(k, "`a`b!1 2");
	if (!x) x = krt_eval(k, "(1;`a;\"b\")");
	ck_assert_int_eq(krt_print(k, x, out), 0);
	K s = krt_show(k, x);
	long n = ftell(out);
	ck_assert_int_eq(n, krt_count(k, s) + 1);
	rewind(out);
	char buf[256] = { 0 };
	ck_assert_int_eq(fread(buf, 1, (size_t)n, out), n);
	ck_assert_int_eq(memcmp(buf, krt_data(k, s), (size_t)n - 1), 0);
	ck_assert_int_eq(buf[n - 1], '\n');
	fclose(out);
	krt_release(k, s);
	krt_release(k, x);
}
END_TEST

/* ---- sessions: what a console needs (src/api_session.c) ------------------ */

START_TEST(script_args)
{
	const char *args[] = { "one", "two words" };
	ck_assert_int_eq(krt_set_args(k, 2, args), 0);
	check_shows("_a", "(\"one\"\n \"two words\")");
	ck_assert_int_eq(krt_set_args(k, 0, NULL), 0);
	check_shows("#_a", "0");
}
END_TEST

static K c_interrupt(krt *s, int n, K *a)
{
	for (int i = 0; i < n; i++) krt_release(s, a[i]);
	krt_interrupt(s);
	return krt_int(s, 1);
}

START_TEST(interrupt)
{
	ck_assert_int_eq(krt_register(k, "cfail", c_interrupt, 1), 0);
	ck_assert_ptr_null(krt_eval(k, "{x+1}'cfail 0"));
	ck_assert_str_eq(krt_error(k), "break");
	check_shows("{x+1}'1 2", "2 3");       /* the request was used up */
	krt_release(k, krt_eval(k, "cfail:0"));
}
END_TEST

START_TEST(parse_error_position)
{
	K r = NULL;
	ck_assert_int_eq(krt_exec(k, "1+(2*3", 6, &r), KRT_ERROR);
	ck_assert_str_eq(krt_error(k), "parse");
	ck_assert_int_ge(krt_error_pos(k), 0);
	ck_assert_int_le(krt_error_pos(k), 6);
	/* a run-time error is placed at its verb, in the text given ... */
	ck_assert_int_eq(krt_exec(k, "1+`a", 4, &r), KRT_ERROR);
	ck_assert_int_eq(krt_error_pos(k), 1);
	ck_assert_ptr_null(krt_error_source(k));
	/* ... or in the lambda it happened in */
	ck_assert_int_eq(krt_exec(k, "{x*2+`a}3", 9, &r), KRT_ERROR);
	ck_assert_str_eq(krt_error_source(k), "{x*2+`a}");
	ck_assert_int_eq(krt_error_pos(k), 4);
	/* an error with no place, and after it, no stale place */
	ck_assert_int_eq(krt_exec(k, "'\"no\"", 5, &r), KRT_ERROR);
	ck_assert_int_eq(krt_error_pos(k), -1);
	ck_assert_ptr_null(krt_error_source(k));
}
END_TEST

static int hook_calls;
static int64_t hook_saw;

/* At the error: read the failed lambda's local x, then resume with 99. */
static K resume_hook(krt *s, void *ud)
{
	ck_assert_ptr_eq(ud, &hook_calls);
	hook_calls++;
	K v = NULL;
	ck_assert_int_eq(krt_exec(s, "x", 1, &v), KRT_OK);
	ck_assert_int_eq(krt_get_int(s, v, &hook_saw), 0);
	krt_release(s, v);
	ck_assert_int_eq(krt_exec(s, ":99", 3, &v), KRT_RESUME);
	return v;
}

static K abort_hook(krt *s, void *ud)
{
	(void)ud;
	hook_calls++;
	K v = (K)1;
	ck_assert_int_eq(krt_exec(s, "\\", 1, &v), KRT_ABORT);
	return NULL;
}

START_TEST(suspension)
{
	krt_release(k, krt_eval(k, "f:{[x] x+`a}"));
	hook_calls = 0;
	krt_set_suspend(k, resume_hook, &hook_calls);
	check_shows("1+f 5", "100");
	ck_assert_int_eq(hook_calls, 1);
	ck_assert_int_eq(hook_saw, 5);
	krt_set_suspend(k, abort_hook, NULL);
	ck_assert_ptr_null(krt_eval(k, "g:{f x}; g 5"));
	ck_assert_str_eq(krt_error(k), "type");
	ck_assert_int_eq(hook_calls, 2);      /* only the innermost lambda suspends */
	ck_assert(krt_error_reported(k));
	krt_set_suspend(k, NULL, NULL);
	ck_assert_ptr_null(krt_eval(k, "f 5"));
	ck_assert_int_eq(hook_calls, 2);
	krt_release(k, krt_eval(k, "f:0;g:0"));
}
END_TEST

/* ---- two states in two threads ------------------------------------------- */

typedef struct job {
	int id;
	int64_t result;
	int ok;
	uint64_t leaks;
} job;

static K c_scale(krt *s, int n, K *a)
{
	(void)n;
	int64_t x;
	int64_t *factor = krt_userdata(s);
	int ok = krt_get_int(s, a[0], &x) == 0;
	krt_release(s, a[0]);
	return ok ? krt_int(s, x * *factor) : NULL;
}

static void *run_job(void *p)
{
	job *j = p;
	krt *s = krt_open();
	if (!s) return NULL;
	int64_t factor = j->id + 2;
	krt_set_userdata(s, &factor);
	j->ok = krt_register(s, "scale", c_scale, 1) == 0;
	int64_t total = 0;
	for (int round = 0; round < 200 && j->ok; round++) {
		/* each state's own globals, symbols and C function */
		char src[128];
		snprintf(src, sizeof src, "v%d:!%d; +/scale'v%d,`s%d`t%d~`s%d`t%d",
		         round % 7, 1000 + j->id, round % 7, round, j->id, round, j->id);
		K r = krt_eval(s, src);
		int64_t i = 0;
		if (!r || krt_get_int(s, r, &i)) { j->ok = 0; break; }
		krt_release(s, r);
		total += i;
	}
	j->result = total;
	j->leaks = krt_close(s, 1);
	return NULL;
}

START_TEST(two_states_two_threads)
{
	job jobs[2] = { { .id = 0 }, { .id = 1 } };
	pthread_t t[2];
	for (int i = 0; i < 2; i++) ck_assert_int_eq(pthread_create(&t[i], NULL, run_job, &jobs[i]), 0);
	/* and the main thread's own state works meanwhile */
	for (int round = 0; round < 100; round++) check_shows("+/!1000", "499500");
	for (int i = 0; i < 2; i++) ck_assert_int_eq(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < 2; i++) {
		ck_assert_msg(jobs[i].ok, "thread %d failed", i);
		int64_t n = 1000 + i, factor = i + 2;
		/* factor * (sum of 0..n-1, plus the match 1), 200 rounds */
		ck_assert_int_eq(jobs[i].result, 200 * factor * (n * (n - 1) / 2 + 1));
		ck_assert_uint_eq(jobs[i].leaks, 0);
	}
}
END_TEST

static Suite *api_suite(void)
{
	Suite *s = suite_create("api");
	TCase *c = tcase_create("state");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, open_close_version);
	tcase_add_test(c, eval_values_and_errors);
	tcase_add_test(c, exec_outcomes);
	tcase_add_test(c, signal_from_c);
	suite_add_tcase(s, c);
	c = tcase_create("values");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, atoms);
	tcase_add_test(c, vectors);
	tcase_add_test(c, lists);
	tcase_add_test(c, dicts);
	tcase_add_test(c, print_and_show);
	suite_add_tcase(s, c);
	c = tcase_create("calls");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, globals);
	tcase_add_test(c, calls);
	tcase_add_test(c, c_functions);
	tcase_add_test(c, load_scripts);
	suite_add_tcase(s, c);
	c = tcase_create("ownership");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, foreign_values_refused);
	tcase_add_test(c, copy_between_states);
	suite_add_tcase(s, c);
	c = tcase_create("heap");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, heap_stats_and_limit);
	tcase_add_test(c, fault_injection);
	suite_add_tcase(s, c);
	c = tcase_create("session");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, script_args);
	tcase_add_test(c, interrupt);
	tcase_add_test(c, parse_error_position);
	tcase_add_test(c, suspension);
	suite_add_tcase(s, c);
	c = tcase_create("threads");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, two_states_two_threads);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(api_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
