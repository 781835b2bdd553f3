/* arith_test.c: the scalar verbs of lang/arith.c (+ - * % | & ^ < > =
 * dyadic, - % _ ~ monadic) on every type pair and shape, their special
 * values and errors, in-place reuse of unshared arguments, and the heap:
 * every test ends with the heap back at its baseline (checked in the
 * fixture's teardown), error paths and failed allocations included.
 * Expected values are Kona's (its binary was run on each).
 */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "../../runtime/heap.h"
#include "../../lang/verbs.h"

static uint64_t baseline;

#define heap_in_use fx_in_use

static void setup(void)
{
	fx_open(0);
	fx_baseline();
	baseline = fx_in_use();
}

static void teardown(void) { fx_close(); }

/* ---- building values (each returns a new value) ------------------------ */

static K iv(int n, ...)         /* int vector */
{
	K x = k_new(-KT_INT, n);
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) kI(x)[i] = va_arg(ap, int64_t);
	va_end(ap);
	return x;
}

static K fv(int n, ...)         /* float vector */
{
	K x = k_new(-KT_FLOAT, n);
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) kF(x)[i] = va_arg(ap, double);
	va_end(ap);
	return x;
}

static K sv(int n, ...)         /* symbol vector from C strings */
{
	K x = k_new(-KT_SYM, n);
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) kS(x)[i] = sym_c(va_arg(ap, const char *));
	va_end(ap);
	return x;
}

static K cv(const char *s) { return k_cstr(s); }
static K sa(const char *s) { return k_symv(sym_c(s)); }

static K list(int n, ...)       /* general list; consumes the items */
{
	K x = k_list(n);
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) kK(x)[i] = va_arg(ap, K);
	va_end(ap);
	return x;
}

static K dict1(void)            /* .,(`a;1) built by hand */
{
	K e = list(3, sa("a"), k_int(1), k_null());
	K d = k_new(KT_DICT, 1);
	kK(d)[0] = e;
	return d;
}

static K fn_value(void)         /* the verb + as a value, built by hand */
{
	K f = k_new(KT_FUNC, 0);
	f->a = FK_VERB;
	f->u = V_PLUS;
	return f;
}

/* ---- checking values (each consumes r) --------------------------------- */

#define I64(v) ((int64_t)(v))

static void want_i(K r, int t, int n, ...)   /* int atom (t 1) or vector (-1) */
{
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->t, t);
	ck_assert_int_eq(r->n, n);
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		int64_t e = va_arg(ap, int64_t);
		ck_assert_msg(kI(r)[i] == e, "item %d: %lld, expected %lld", i,
		              (long long)kI(r)[i], (long long)e);
	}
	va_end(ap);
	cd(r);
}

/* same float: NaN matches NaN, infinities and signs exactly, else 1e-12 */
static int same_float(double a, double b)
{
	if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
	if (isinf(a) || isinf(b)) return a == b;
	return fabs(a - b) <= 1e-12 * fmax(1.0, fabs(b));
}

static void want_f(K r, int t, int n, ...)   /* float atom (2) or vector (-2) */
{
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->t, t);
	ck_assert_int_eq(r->n, n);
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		double e = va_arg(ap, double);
		ck_assert_msg(same_float(kF(r)[i], e), "item %d: %.17g, expected %.17g", i, kF(r)[i], e);
	}
	va_end(ap);
	cd(r);
}

static void want_err(K r, const char *name)
{
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(kc->err);
	ck_assert_str_eq(kc->err, name);
	kerr_clear();
}

static void want_bool(K r, int e) { want_i(r, KT_INT, 1, I64(e)); }

#define NaN KF_NULL
#define INF KF_INF

/* ---- + - * ------------------------------------------------------------- */

START_TEST(add_shapes)
{
	want_i(verb_add(k_int(2), k_int(3)), KT_INT, 1, I64(5));
	want_i(verb_add(iv(3, I64(1), I64(2), I64(3)), k_int(10)), -KT_INT, 3, I64(11), I64(12), I64(13));
	want_i(verb_add(k_int(10), iv(2, I64(1), I64(2))), -KT_INT, 2, I64(11), I64(12));
	want_i(verb_add(iv(2, I64(1), I64(2)), iv(2, I64(10), I64(20))), -KT_INT, 2, I64(11), I64(22));
	want_i(verb_add(k_int(1), iv(1, I64(2))), -KT_INT, 1, I64(3));   /* 1+,2 is ,3 */
	want_i(verb_add(iv(0), iv(0)), -KT_INT, 0);
	want_f(verb_add(iv(0), k_float(1)), -KT_FLOAT, 0);
}
END_TEST

START_TEST(add_types)
{
	want_f(verb_add(k_int(1), k_float(0.5)), KT_FLOAT, 1, 1.5);
	want_f(verb_add(k_float(0.5), k_int(1)), KT_FLOAT, 1, 1.5);
	want_f(verb_add(k_float(0.25), k_float(0.5)), KT_FLOAT, 1, 0.75);
	want_f(verb_add(iv(2, I64(1), I64(2)), k_float(0.5)), -KT_FLOAT, 2, 1.5, 2.5);
	want_f(verb_add(k_float(0.5), iv(2, I64(1), I64(2))), -KT_FLOAT, 2, 1.5, 2.5);
	want_f(verb_add(fv(2, 1.0, 2.0), iv(2, I64(1), I64(2))), -KT_FLOAT, 2, 2.0, 4.0);
	want_f(verb_add(iv(2, I64(1), I64(2)), fv(2, 1.0, 2.0)), -KT_FLOAT, 2, 2.0, 4.0);
	want_f(verb_add(fv(2, 1.0, 2.0), fv(2, 0.5, 0.25)), -KT_FLOAT, 2, 1.5, 2.25);
	want_f(verb_add(k_float(1), k_float(NaN)), KT_FLOAT, 1, NaN);
	want_f(verb_add(k_float(INF), k_float(-INF)), KT_FLOAT, 1, NaN);
}
END_TEST

START_TEST(int_wraps)
{
	want_i(verb_add(k_int(KI_INF), k_int(1)), KT_INT, 1, KI_NULL);        /* 0I+1 is 0N */
	want_i(verb_add(k_int(KI_NULL), k_int(1)), KT_INT, 1, -KI_INF);       /* 0N+1 is -0I */
	want_i(verb_add(k_int(KI_INF), k_int(KI_INF)), KT_INT, 1, I64(-2));
	want_i(verb_mul(k_int(KI_NULL), k_int(2)), KT_INT, 1, I64(0));
	want_i(verb_mul(k_int(KI_INF), k_int(2)), KT_INT, 1, I64(-2));
	want_i(verb_sub(k_int(KI_NULL), k_int(1)), KT_INT, 1, KI_INF);
	/* a special int meeting a float is cast plainly, as Kona does */
	want_f(verb_add(k_float(1.5), k_int(KI_NULL)), KT_FLOAT, 1, -9223372036854775808.0 + 1.5);
	want_f(verb_add(k_int(KI_INF), k_float(1.5)), KT_FLOAT, 1, 9223372036854775807.0 + 1.5);
}
END_TEST

START_TEST(sub_mul)
{
	want_i(verb_sub(k_int(2), iv(3, I64(1), I64(2), I64(3))), -KT_INT, 3, I64(1), I64(0), I64(-1));
	want_i(verb_sub(iv(2, I64(1), I64(2)), k_int(5)), -KT_INT, 2, I64(-4), I64(-3));
	want_f(verb_sub(k_float(1), iv(2, I64(1), I64(2))), -KT_FLOAT, 2, 0.0, -1.0);
	want_f(verb_sub(fv(2, 1.0, 2.0), fv(2, 0.5, 0.5)), -KT_FLOAT, 2, 0.5, 1.5);
	want_i(verb_mul(iv(2, I64(3), I64(4)), iv(2, I64(5), I64(-6))), -KT_INT, 2, I64(15), I64(-24));
	want_f(verb_mul(fv(2, 1.0, 2.5), k_int(2)), -KT_FLOAT, 2, 2.0, 5.0);
	want_f(verb_mul(k_int(2), k_float(1.25)), KT_FLOAT, 1, 2.5);
	want_f(verb_mul(k_float(INF), k_int(0)), KT_FLOAT, 1, NaN);
}
END_TEST

/* ---- % ----------------------------------------------------------------- */

START_TEST(divide_ints)
{
	/* Kona's int%int is an int, truncated */
	want_i(verb_div(k_int(7), k_int(2)), KT_INT, 1, I64(3));
	want_i(verb_div(k_int(-7), k_int(2)), KT_INT, 1, I64(-3));
	want_i(verb_div(k_int(7), k_int(-2)), KT_INT, 1, I64(-3));
	want_i(verb_div(k_int(6), k_int(3)), KT_INT, 1, I64(2));
	want_i(verb_div(iv(3, I64(1), I64(-1), I64(0)), k_int(0)), -KT_INT, 3, KI_INF, -KI_INF, KI_NULL);
	want_i(verb_div(k_int(KI_NULL), k_int(-1)), KT_INT, 1, KI_NULL);   /* no trap */
	want_i(verb_div(k_int(9999), iv(2, I64(2), I64(10000))), -KT_INT, 2, I64(4999), I64(0));
}
END_TEST

START_TEST(divide_floats)
{
	want_f(verb_div(k_float(7), k_int(2)), KT_FLOAT, 1, 3.5);
	want_f(verb_div(k_int(7), k_float(2)), KT_FLOAT, 1, 3.5);
	want_f(verb_div(k_float(1), k_int(0)), KT_FLOAT, 1, INF);
	want_f(verb_div(k_float(-1), k_float(0)), KT_FLOAT, 1, -INF);
	want_f(verb_div(k_float(0), k_int(0)), KT_FLOAT, 1, NaN);
	want_f(verb_div(k_int(1), k_float(-0.0)), KT_FLOAT, 1, INF);       /* Kona: 0i */
	want_f(verb_div(k_float(NaN), k_int(0)), KT_FLOAT, 1, -INF);       /* Kona: -0i */
	want_f(verb_div(fv(2, 1.0, 3.0), fv(2, 4.0, 0.0)), -KT_FLOAT, 2, 0.25, INF);
}
END_TEST

/* ---- | & --------------------------------------------------------------- */

START_TEST(max_min)
{
	want_i(verb_max(k_int(3), k_int(-8)), KT_INT, 1, I64(3));
	want_i(verb_min(k_int(3), k_int(-8)), KT_INT, 1, I64(-8));
	want_i(verb_max(iv(4, I64(0), I64(0), I64(1), I64(1)), iv(4, I64(0), I64(1), I64(0), I64(1))),
	       -KT_INT, 4, I64(0), I64(1), I64(1), I64(1));
	want_i(verb_min(iv(4, I64(0), I64(0), I64(1), I64(1)), iv(4, I64(0), I64(1), I64(0), I64(1))),
	       -KT_INT, 4, I64(0), I64(0), I64(0), I64(1));
	want_i(verb_max(iv(3, I64(1), I64(2), I64(3)), k_int(2)), -KT_INT, 3, I64(2), I64(2), I64(3));
	want_f(verb_max(k_float(123.45), k_float(987.65)), KT_FLOAT, 1, 987.65);
	want_f(verb_min(k_float(123.45), k_float(-987.65)), KT_FLOAT, 1, -987.65);
	want_f(verb_max(k_int(2), k_float(1.5)), KT_FLOAT, 1, 2.0);
	want_f(verb_min(fv(2, 1.0, 5.0), k_int(2)), -KT_FLOAT, 2, 1.0, 2.0);
	want_i(verb_max(k_int(KI_NULL), k_int(0)), KT_INT, 1, I64(0));
	/* x>y?x:y, as Kona: the NaN wins only on the right */
	want_f(verb_max(k_float(NaN), k_int(1)), KT_FLOAT, 1, 1.0);
	want_f(verb_max(k_int(1), k_float(NaN)), KT_FLOAT, 1, NaN);
	want_f(verb_min(k_float(NaN), k_int(1)), KT_FLOAT, 1, 1.0);
	want_f(verb_min(k_int(1), k_float(NaN)), KT_FLOAT, 1, NaN);
}
END_TEST

/* ---- ^ ----------------------------------------------------------------- */

START_TEST(power)
{
	want_f(verb_power(k_int(2), k_int(3)), KT_FLOAT, 1, 8.0);
	want_f(verb_power(k_int(2), k_int(10)), KT_FLOAT, 1, 1024.0);
	want_f(verb_power(k_int(2), k_float(0.5)), KT_FLOAT, 1, sqrt(2.0));
	want_f(verb_power(k_float(-8), k_float(0.5)), KT_FLOAT, 1, NaN);
	want_f(verb_power(k_int(-2), k_int(3)), KT_FLOAT, 1, -8.0);
	want_f(verb_power(k_int(0), k_int(0)), KT_FLOAT, 1, 1.0);
	want_f(verb_power(k_int(0), k_int(-1)), KT_FLOAT, 1, 0.0);
	want_f(verb_power(k_float(INF), k_int(0)), KT_FLOAT, 1, 1.0);
	want_f(verb_power(k_int(2), k_float(NaN)), KT_FLOAT, 1, NaN);
	want_f(verb_power(k_int(2), k_int(-1)), KT_FLOAT, 1, 0.5);
	want_f(verb_power(k_int(2), iv(3, I64(1), I64(2), I64(3))), -KT_FLOAT, 3, 2.0, 4.0, 8.0);
	want_f(verb_power(fv(2, 2.0, 3.0), k_int(2)), -KT_FLOAT, 2, 4.0, 9.0);
	want_err(verb_power(iv(2, I64(2), I64(3)), iv(3, I64(1), I64(2), I64(3))), "length");
	want_err(verb_power(cv("a"), k_int(2)), "type");
}
END_TEST

/* ---- < > = ------------------------------------------------------------- */

START_TEST(less_more_numbers)
{
	want_i(verb_less(k_int(1), iv(4, I64(-1), I64(0), I64(1), I64(2))), -KT_INT, 4, I64(0), I64(0), I64(0), I64(1));
	want_i(verb_less(k_int(1), fv(4, -1.0, 0.0, 1.0, 2.0)), -KT_INT, 4, I64(0), I64(0), I64(0), I64(1));
	want_i(verb_less(k_float(1), iv(4, I64(-1), I64(0), I64(1), I64(2))), -KT_INT, 4, I64(0), I64(0), I64(0), I64(1));
	want_i(verb_more(k_float(1), fv(4, -1.0, 0.0, 1.0, 2.0)), -KT_INT, 4, I64(1), I64(1), I64(0), I64(0));
	want_i(verb_more(iv(3, I64(4), I64(5), I64(6)), k_int(5)), -KT_INT, 3, I64(0), I64(0), I64(1));
	want_i(verb_less(iv(3, I64(4), I64(5), I64(6)), k_int(5)), -KT_INT, 3, I64(1), I64(0), I64(0));
	want_i(verb_less(iv(2, I64(1), I64(5)), iv(2, I64(2), I64(5))), -KT_INT, 2, I64(1), I64(0));
	want_bool(verb_less(k_float(-20), k_float(10)), 1);
	want_bool(verb_less(k_float(-10), k_int(20)), 1);
	/* tolerance */
	want_bool(verb_less(k_int(1), k_float(1.000000000001)), 1);
	want_bool(verb_less(k_int(1), k_float(1.0000000000000000001)), 0);
	want_bool(verb_less(k_float(0.999999999999), k_int(1)), 1);
	want_bool(verb_less(k_float(0.999999999999999999), k_int(1)), 0);
	want_bool(verb_more(k_float(2.0), k_float(-2.0)), 1);
}
END_TEST

START_TEST(compare_specials)
{
	want_bool(verb_less(k_float(NaN), k_int(0)), 1);
	want_bool(verb_more(k_float(NaN), k_int(0)), 0);
	want_bool(verb_less(k_float(NaN), k_float(INF)), 1);
	want_bool(verb_less(k_float(NaN), k_float(-INF)), 1);
	want_bool(verb_less(k_float(NaN), k_int(-KI_INF)), 1);
	want_bool(verb_less(k_float(NaN), k_float(NaN)), 0);
	want_bool(verb_less(k_int(KI_NULL), k_int(0)), 1);
	want_bool(verb_more(k_int(KI_NULL), k_int(0)), 0);
	want_bool(verb_less(k_int(KI_NULL), k_float(INF)), 1);
	want_bool(verb_less(k_int(KI_NULL), k_int(KI_INF)), 1);
	want_bool(verb_less(k_int(KI_NULL), k_int(-KI_INF)), 1);
	want_bool(verb_equal(k_float(-INF), k_int(-KI_INF)), 1);
	want_bool(verb_equal(k_float(INF), k_int(KI_INF)), 1);
	want_bool(verb_equal(k_float(INF), k_float(-INF)), 0);
	want_bool(verb_equal(k_float(NaN), k_float(NaN)), 1);
	want_bool(verb_equal(k_int(KI_NULL), k_float(NaN)), 1);
	want_bool(verb_more(k_float(INF), k_float(NaN)), 1);
}
END_TEST

START_TEST(equal_numbers)
{
	want_bool(verb_equal(k_int(3), k_int(-3)), 0);
	want_bool(verb_equal(k_int(2), k_float(1.9999999999999)), 1);
	want_bool(verb_equal(k_int(1), k_float(1.001)), 0);
	want_bool(verb_equal(k_int(1), k_float(1.00000000000000000001)), 1);
	want_bool(verb_equal(k_float(3.0), k_float(3.1)), 0);
	want_bool(verb_equal(k_float(3.0), k_float(3.0001)), 0);
	want_bool(verb_equal(k_float(0.1 + 0.2), k_float(0.3)), 1);
	want_bool(verb_equal(k_float(-0.0), k_float(0.0)), 1);
	want_bool(verb_equal(k_float(2.0), k_float(-2.0)), 0);     /* Kona says 1: overflow */
	/* subnormals compare exactly */
	want_bool(verb_equal(k_float(4.9406564584124654e-324), k_float(-4.9406564584124654e-324)), 0);
	want_bool(verb_equal(k_float(1e-320), k_float(2e-320)), 0);
	want_i(verb_equal(fv(2, 2.0, 1.0), iv(2, I64(2), I64(2))), -KT_INT, 2, I64(1), I64(0));
	want_i(verb_equal(iv(3, I64(1), I64(2), I64(3)), k_int(2)), -KT_INT, 3, I64(0), I64(1), I64(0));
}
END_TEST

START_TEST(compare_chars_syms)
{
	want_i(verb_less(k_char('c'), cv("abcd")), -KT_INT, 4, I64(0), I64(0), I64(0), I64(1));
	want_i(verb_more(k_char('c'), cv("abcd")), -KT_INT, 4, I64(1), I64(1), I64(0), I64(0));
	want_bool(verb_more(k_char('a'), k_char('z')), 0);
	want_i(verb_more(cv("aA"), k_char('Z')), -KT_INT, 2, I64(1), I64(0));
	want_i(verb_less(cv("aA"), k_char('Z')), -KT_INT, 2, I64(0), I64(1));
	want_bool(verb_less(k_char('\377'), k_char('a')), 1);       /* signed, as Kona */
	want_i(verb_equal(cv("cat"), cv("rat")), -KT_INT, 3, I64(0), I64(1), I64(1));
	want_i(verb_less(sa("c"), sv(4, "a", "b", "c", "d")), -KT_INT, 4, I64(0), I64(0), I64(0), I64(1));
	want_i(verb_more(sv(2, "b", "B"), sa("a")), -KT_INT, 2, I64(1), I64(0));
	want_bool(verb_less(sa("a.b"), sa("a")), 0);
	want_bool(verb_equal(sa("abc"), sa("abcdefg")), 0);
	want_i(verb_equal(sa("a"), sv(2, "a", "b")), -KT_INT, 2, I64(1), I64(0));
	want_i(verb_equal(sv(2, "a", "b"), sv(2, "a", "c")), -KT_INT, 2, I64(1), I64(0));
}
END_TEST

START_TEST(compare_errors)
{
	want_err(verb_equal(k_int(1), k_char('a')), "type");
	want_err(verb_less(k_char('a'), k_int(1)), "type");
	want_err(verb_less(sa("a"), k_int(1)), "type");
	want_err(verb_equal(sa("a"), cv("ab")), "type");
	want_err(verb_more(k_float(1), sa("a")), "type");
	want_err(verb_equal(k_null(), k_int(1)), "type");
	want_err(verb_equal(dict1(), dict1()), "type");
	want_err(verb_less(dict1(), k_int(2)), "type");
	want_err(verb_equal(iv(2, I64(1), I64(2)), iv(3, I64(1), I64(2), I64(3))), "length");
	want_err(verb_less(cv("ab"), k_list(3)), "length");
	want_err(verb_less(fn_value(), k_int(1)), "type");
}
END_TEST

START_TEST(arith_type_errors)
{
	kdyad arith[] = { verb_add, verb_sub, verb_mul, verb_div, verb_max, verb_min, verb_power };
	for (size_t i = 0; i < sizeof arith / sizeof *arith; i++) {
		want_err(arith[i](cv("a"), k_int(1)), "type");
		want_err(arith[i](k_int(1), k_char('a')), "type");
		want_err(arith[i](cv("ab"), cv("cd")), "type");
		want_err(arith[i](sa("a"), k_int(1)), "type");
		want_err(arith[i](k_float(1), sv(2, "a", "b")), "type");
		want_err(arith[i](k_null(), k_int(1)), "type");
		want_err(arith[i](k_int(1), k_null()), "type");
		want_err(arith[i](dict1(), k_int(1)), "type");
		want_err(arith[i](k_int(1), dict1()), "type");
		want_err(arith[i](fn_value(), k_int(1)), "type");
		/* the type is checked before descending: even into an empty list */
		want_err(arith[i](k_list(0), k_char('a')), "type");
		/* length comes first */
		want_err(arith[i](cv("ab"), iv(3, I64(1), I64(2), I64(3))), "length");
		want_err(arith[i](iv(2, I64(1), I64(2)), iv(3, I64(1), I64(2), I64(3))), "length");
	}
}
END_TEST

/* ---- every verb on every type pair and shape ---------------------------- */

/* An atom of element type t (1 int .. 4 symbol), or a 2-vector of it. */
static K of_type(int t, int vector)
{
	switch (t) {
	case KT_INT: return vector ? iv(2, I64(3), I64(-4)) : k_int(3);
	case KT_FLOAT: return vector ? fv(2, 2.5, -0.5) : k_float(2.5);
	case KT_CHAR: return vector ? cv("bc") : k_char('b');
	default: return vector ? sv(2, "b", "c") : sa("b");
	}
}

START_TEST(type_pairs_and_shapes)
{
	/* result atom type by x's and y's type (int float char sym); 0: type */
	static const int8_t arith[4][4] = { { 1, 2 }, { 2, 2 } };
	static const int8_t floats[4][4] = { { 2, 2 }, { 2, 2 } };
	static const int8_t compare[4][4] = { { 1, 1 }, { 1, 1 }, { [2] = 1 }, { [3] = 1 } };
	static const struct { kdyad f; const int8_t (*rt)[4]; } verbs[] = {
		{ verb_add, arith }, { verb_sub, arith }, { verb_mul, arith },
		{ verb_div, arith }, { verb_max, arith }, { verb_min, arith },
		{ verb_power, floats },
		{ verb_less, compare }, { verb_more, compare }, { verb_equal, compare },
	};
	for (size_t v = 0; v < sizeof verbs / sizeof *verbs; v++)
		for (int xt = 1; xt <= 4; xt++)
			for (int yt = 1; yt <= 4; yt++)
				for (int shape = 0; shape < 4; shape++) {   /* aa av va vv */
					int xv = shape & 2, yv = shape & 1;
					K r = verbs[v].f(of_type(xt, xv), of_type(yt, yv));
					int rt = verbs[v].rt[xt - 1][yt - 1];
					if (!rt) { want_err(r, "type"); continue; }
					ck_assert_msg(r != NULL, "verb %zu types %d %d shape %d: %s", v, xt, yt, shape, kc->err);
					ck_assert_int_eq(r->t, xv || yv ? -rt : rt);
					ck_assert_int_eq(r->n, xv || yv ? 2 : 1);
					cd(r);
				}
	/* monadic: result atom type by the argument's type; 0: type */
	static const struct { kmonad f; int8_t rt[4]; } monads[] = {
		{ verb_negate, { 1, 2 } }, { verb_reciprocal, { 2, 2 } },
		{ verb_floor, { 1, 1 } }, { verb_not, { 1, 1, 0, 4 } },
	};
	for (size_t v = 0; v < sizeof monads / sizeof *monads; v++)
		for (int t = 1; t <= 4; t++)
			for (int vector = 0; vector < 2; vector++) {
				K r = monads[v].f(of_type(t, vector));
				int rt = monads[v].rt[t - 1];
				if (!rt) { want_err(r, "type"); continue; }
				ck_assert_ptr_nonnull(r);
				ck_assert_int_eq(r->t, vector ? -rt : rt);
				ck_assert_int_eq(r->n, vector ? 2 : 1);
				cd(r);
			}
}
END_TEST

/* ---- general lists ----------------------------------------------------- */

/* Item i of list r, checked as an int/float atom (borrowed). */
static void item_i(K r, int i, int64_t e)
{
	K a = kK(r)[i];
	ck_assert_int_eq(a->t, KT_INT);
	ck_assert_int_eq(kI(a)[0], e);
}

static void item_f(K r, int i, double e)
{
	K a = kK(r)[i];
	ck_assert_int_eq(a->t, KT_FLOAT);
	ck_assert(same_float(kF(a)[0], e));
}

START_TEST(list_atom)
{
	/* (1;2.5)+1 is (2;3.5), a general list */
	K r = verb_add(list(2, k_int(1), k_float(2.5)), k_int(1));
	ck_assert_int_eq(r->t, KT_LIST);
	ck_assert_int_eq(r->n, 2);
	item_i(r, 0, 2);
	item_f(r, 1, 3.5);
	cd(r);
	/* 10*(1;2.5) */
	r = verb_mul(k_int(10), list(2, k_int(1), k_float(2.5)));
	item_i(r, 0, 10);
	item_f(r, 1, 25.0);
	cd(r);
	/* Kona does not squeeze: (1;2.0)+(1.0;2) stays a list of floats */
	r = verb_add(list(2, k_int(1), k_float(2)), list(2, k_float(1), k_int(2)));
	ck_assert_int_eq(r->t, KT_LIST);
	item_f(r, 0, 2.0);
	item_f(r, 1, 4.0);
	cd(r);
}
END_TEST

START_TEST(list_nested)
{
	/* (1;1 2)+10 is (11;11 12) */
	K r = verb_add(list(2, k_int(1), iv(2, I64(1), I64(2))), k_int(10));
	ck_assert_int_eq(r->t, KT_LIST);
	item_i(r, 0, 11);
	want_i(ci(kK(r)[1]), -KT_INT, 2, I64(11), I64(12));
	cd(r);
	/* (1 2;3 4)+(10;20 30) is (11 12;23 34) */
	r = verb_add(list(2, iv(2, I64(1), I64(2)), iv(2, I64(3), I64(4))),
	             list(2, k_int(10), iv(2, I64(20), I64(30))));
	want_i(ci(kK(r)[0]), -KT_INT, 2, I64(11), I64(12));
	want_i(ci(kK(r)[1]), -KT_INT, 2, I64(23), I64(34));
	cd(r);
	/* list against vector: (1;2.0)-10 20 */
	r = verb_sub(list(2, k_int(1), k_float(2)), iv(2, I64(10), I64(20)));
	item_i(r, 0, -9);
	item_f(r, 1, -18.0);
	cd(r);
	/* vector against list: 1 2 < (0 5;1) */
	r = verb_less(iv(2, I64(1), I64(2)), list(2, iv(2, I64(0), I64(5)), k_int(1)));
	want_i(ci(kK(r)[0]), -KT_INT, 2, I64(0), I64(1));
	item_i(r, 1, 0);
	cd(r);
	/* lists of lists: ((1;2.0);(3;(4;5.0)))*2 */
	r = verb_mul(list(2, list(2, k_int(1), k_float(2)), list(2, k_int(3), list(2, k_int(4), k_float(5)))), k_int(2));
	K a = kK(r)[0], b = kK(r)[1];
	item_i(a, 0, 2);
	item_f(a, 1, 4.0);
	item_i(b, 0, 6);
	item_i(kK(b)[1], 0, 8);
	item_f(kK(b)[1], 1, 10.0);
	cd(r);
	/* ("a";"b")=("a";"c") on lists of chars */
	r = verb_equal(list(2, k_char('a'), k_char('b')), list(2, k_char('a'), k_char('c')));
	item_i(r, 0, 1);
	item_i(r, 1, 0);
	cd(r);
}
END_TEST

START_TEST(list_empty)
{
	K r = verb_add(k_list(0), k_int(1));              /* ()+1 is () */
	ck_assert_int_eq(r->t, KT_LIST);
	ck_assert_int_eq(r->n, 0);
	cd(r);
	r = verb_add(k_list(0), iv(0));                   /* ()+!0 is () */
	ck_assert_int_eq(r->t, KT_LIST);
	ck_assert_int_eq(r->n, 0);
	cd(r);
	r = verb_add(iv(0), k_list(0));
	ck_assert_int_eq(r->t, KT_LIST);
	cd(r);
	r = verb_equal(k_list(0), cv(""));                /* ()="" is () */
	ck_assert_int_eq(r->t, KT_LIST);
	cd(r);
	r = verb_less(k_list(0), sa("a"));                /* ()<`a is () */
	ck_assert_int_eq(r->t, KT_LIST);
	cd(r);
	want_err(verb_add(iv(2, I64(1), I64(2)), k_list(0)), "length");
}
END_TEST

START_TEST(list_errors)
{
	/* an error deep inside keeps its name (Kona reports "type") */
	want_err(verb_add(list(2, iv(2, I64(1), I64(2)), k_int(3)),
	                  list(2, iv(3, I64(1), I64(2), I64(3)), k_int(4))), "length");
	want_err(verb_less(list(2, k_int(1), k_char('a')), k_int(1)), "type");
	want_err(verb_equal(list(2, k_int(1), k_char('a')), k_int(1)), "type");
	want_err(verb_add(list(2, k_int(1), dict1()), k_int(1)), "type");
	want_err(verb_add(list(3, k_int(1), k_int(2), k_null()), list(3, k_float(1), k_int(2), k_int(3))), "type");
	/* failing after some items were written in place */
	K x = list(3, k_int(1), iv(2, I64(1), I64(2)), cv("x"));
	want_err(verb_add(x, k_int(1)), "type");
	x = list(3, k_int(1), iv(2, I64(1), I64(2)), cv("x"));
	want_err(verb_add(k_int(1), x), "type");
	/* the same, shared */
	x = list(3, k_int(1), iv(2, I64(1), I64(2)), cv("x"));
	want_err(verb_add(ci(x), ci(x)), "type");
	cd(x);
}
END_TEST

/* ---- monadic ----------------------------------------------------------- */

START_TEST(negate)
{
	want_i(verb_negate(iv(2, I64(1), I64(-2))), -KT_INT, 2, I64(-1), I64(2));
	want_f(verb_negate(k_float(1.5)), KT_FLOAT, 1, -1.5);
	want_i(verb_negate(k_int(KI_NULL)), KT_INT, 1, KI_NULL);
	want_i(verb_negate(k_int(-KI_INF)), KT_INT, 1, KI_INF);
	want_f(verb_negate(k_float(NaN)), KT_FLOAT, 1, NaN);
	want_f(verb_negate(k_float(-INF)), KT_FLOAT, 1, INF);
	K r = verb_negate(k_float(0.0));               /* 0-x: no -0.0 */
	ck_assert(!signbit(kF(r)[0]));
	cd(r);
	r = verb_negate(list(3, k_int(1), k_float(2.5), list(2, k_int(3), k_int(4))));
	item_i(r, 0, -1);
	item_f(r, 1, -2.5);
	item_i(kK(r)[2], 1, -4);
	cd(r);
	r = verb_negate(k_list(0));
	ck_assert_int_eq(r->t, KT_LIST);
	cd(r);
	want_err(verb_negate(k_char('a')), "type");
	want_err(verb_negate(sa("a")), "type");
	want_err(verb_negate(k_null()), "type");
	want_err(verb_negate(dict1()), "type");
	want_err(verb_negate(list(2, k_int(1), cv("ab"))), "type");
}
END_TEST

START_TEST(reciprocal)
{
	want_f(verb_reciprocal(k_int(2)), KT_FLOAT, 1, 0.5);
	want_f(verb_reciprocal(k_int(0)), KT_FLOAT, 1, INF);
	want_f(verb_reciprocal(k_float(0)), KT_FLOAT, 1, INF);
	want_f(verb_reciprocal(k_float(INF)), KT_FLOAT, 1, 0.0);
	want_f(verb_reciprocal(iv(3, I64(1), I64(2), I64(4))), -KT_FLOAT, 3, 1.0, 0.5, 0.25);
	want_f(verb_reciprocal(verb_reciprocal(k_int(2))), KT_FLOAT, 1, 2.0);
	K r = verb_reciprocal(list(2, k_int(1), k_float(4)));
	item_f(r, 0, 1.0);
	item_f(r, 1, 0.25);
	cd(r);
	want_err(verb_reciprocal(k_char('a')), "type");
	want_err(verb_reciprocal(sv(1, "a")), "type");
}
END_TEST

START_TEST(floor_)
{
	want_i(verb_floor(k_float(4.6)), KT_INT, 1, I64(4));
	want_i(verb_floor(k_float(-4.6)), KT_INT, 1, I64(-5));
	want_i(verb_floor(fv(2, 1.5, -1.5)), -KT_INT, 2, I64(1), I64(-2));
	want_i(verb_floor(k_float(1.999)), KT_INT, 1, I64(1));
	want_i(verb_floor(k_float(1.999999999999)), KT_INT, 1, I64(1));
	want_i(verb_floor(k_float(2.9999999999999)), KT_INT, 1, I64(3));   /* tolerance */
	want_i(verb_floor(k_float(1.999999999999999999)), KT_INT, 1, I64(2));
	want_i(verb_floor(k_float(-2.0000000000001)), KT_INT, 1, I64(-3));
	want_i(verb_floor(k_float(NaN)), KT_INT, 1, KI_NULL);
	want_i(verb_floor(k_float(INF)), KT_INT, 1, KI_INF);
	want_i(verb_floor(k_float(-INF)), KT_INT, 1, -KI_INF);
	want_i(verb_floor(k_float(1e30)), KT_INT, 1, KI_INF);
	want_i(verb_floor(k_float(-1e30)), KT_INT, 1, -KI_INF);
	want_i(verb_floor(k_float(-9223372036854775808.0)), KT_INT, 1, -KI_INF);
	want_i(verb_floor(k_float(2147483648.0)), KT_INT, 1, I64(2147483648));
	/* ints are left as they are: the very same value */
	K x = iv(2, I64(1), I64(2));
	K r = verb_floor(ci(x));
	ck_assert_ptr_eq(r, x);
	cd(r);
	want_i(x, -KT_INT, 2, I64(1), I64(2));
	r = verb_floor(list(2, k_float(1.5), k_int(2)));
	ck_assert_int_eq(r->t, KT_LIST);
	item_i(r, 0, 1);
	item_i(r, 1, 2);
	cd(r);
	r = verb_floor(k_list(0));                     /* Kona crashes here */
	ck_assert_int_eq(r->t, KT_LIST);
	ck_assert_int_eq(r->n, 0);
	cd(r);
	want_err(verb_floor(cv("ab")), "type");
	want_err(verb_floor(sa("a")), "type");
	want_err(verb_floor(fn_value()), "type");
	want_err(verb_floor(list(2, k_int(1), fn_value())), "type");
}
END_TEST

START_TEST(not_)
{
	want_i(verb_not(iv(3, I64(1), I64(0), I64(2))), -KT_INT, 3, I64(0), I64(1), I64(0));
	want_i(verb_not(fv(2, 0.0, 1.5)), -KT_INT, 2, I64(1), I64(0));
	want_i(verb_not(k_float(-0.0)), KT_INT, 1, I64(1));
	want_i(verb_not(k_float(1e-300)), KT_INT, 1, I64(0));
	want_i(verb_not(k_float(NaN)), KT_INT, 1, I64(0));
	want_i(verb_not(k_int(KI_NULL)), KT_INT, 1, I64(0));
	K r = verb_not(sa("a"));                       /* ~`a is `a. */
	ck_assert_int_eq(r->t, KT_SYM);
	ck_assert_ptr_eq(kS(r)[0], sym_c("a."));
	cd(r);
	r = verb_not(sv(2, "a.", "bc"));
	ck_assert_int_eq(r->t, -KT_SYM);
	ck_assert_ptr_eq(kS(r)[0], sym_c("a.."));
	ck_assert_ptr_eq(kS(r)[1], sym_c("bc."));
	cd(r);
	char longname[300];
	memset(longname, 'q', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	r = verb_not(sa(longname));
	ck_assert_uint_eq(strlen(kS(r)[0]), sizeof longname);
	cd(r);
	r = verb_not(list(2, k_int(1), k_float(0)));
	item_i(r, 0, 0);
	item_i(r, 1, 1);
	cd(r);
	want_err(verb_not(k_char('a')), "type");
	want_err(verb_not(k_null()), "type");
	want_err(verb_not(dict1()), "type");
	want_err(verb_not(fn_value()), "type");
}
END_TEST

/* ---- in place ---------------------------------------------------------- */

START_TEST(in_place)
{
	K x = iv(3, I64(1), I64(2), I64(3));
	K r = verb_add(x, k_int(1));                   /* unshared: reused */
	ck_assert_ptr_eq(r, x);
	want_i(r, -KT_INT, 3, I64(2), I64(3), I64(4));

	K y = iv(2, I64(1), I64(2));
	r = verb_sub(k_int(10), y);                    /* the right one too */
	ck_assert_ptr_eq(r, y);
	want_i(r, -KT_INT, 2, I64(9), I64(8));

	x = iv(2, I64(1), I64(2));
	r = verb_add(x, k_float(0.5));                 /* int vector becomes float */
	ck_assert_ptr_eq(r, x);
	want_f(r, -KT_FLOAT, 2, 1.5, 2.5);

	x = fv(2, 1.0, 3.0);
	r = verb_less(x, k_int(2));                    /* float vector becomes int */
	ck_assert_ptr_eq(r, x);
	want_i(r, -KT_INT, 2, I64(1), I64(0));

	x = k_int(5);
	r = verb_mul(x, k_int(2));                     /* atoms too */
	ck_assert_ptr_eq(r, x);
	want_i(r, KT_INT, 1, I64(10));

	x = iv(2, I64(1), I64(2));
	r = verb_add(ci(x), k_int(1));                 /* shared: copied */
	ck_assert_ptr_ne(r, x);
	want_i(r, -KT_INT, 2, I64(2), I64(3));
	want_i(x, -KT_INT, 2, I64(1), I64(2));

	x = iv(2, I64(1), I64(2));
	r = verb_add(ci(x), ci(x));                    /* x+x: both references */
	ck_assert_ptr_ne(r, x);
	want_i(r, -KT_INT, 2, I64(2), I64(4));
	want_i(x, -KT_INT, 2, I64(1), I64(2));

	x = cv("ab");
	r = verb_equal(x, k_char('a'));                /* 1-byte chars: no */
	ck_assert_ptr_ne(r, x);
	want_i(r, -KT_INT, 2, I64(1), I64(0));

	x = list(2, iv(2, I64(1), I64(2)), k_float(1));
	K c = kK(x)[0];
	r = verb_mul(x, k_int(3));                     /* lists, deeply */
	ck_assert_ptr_eq(r, x);
	ck_assert_ptr_eq(kK(r)[0], c);
	want_i(ci(kK(r)[0]), -KT_INT, 2, I64(3), I64(6));
	item_f(r, 1, 3.0);
	cd(r);

	x = fv(2, 1.5, 2.5);
	r = verb_floor(x);
	ck_assert_ptr_eq(r, x);
	want_i(r, -KT_INT, 2, I64(1), I64(2));

	x = iv(2, I64(1), I64(2));
	r = verb_reciprocal(x);
	ck_assert_ptr_eq(r, x);
	want_f(r, -KT_FLOAT, 2, 1.0, 0.5);

	x = iv(2, I64(0), I64(2));
	r = verb_not(ci(x));                           /* shared monadic: copied */
	ck_assert_ptr_ne(r, x);
	want_i(r, -KT_INT, 2, I64(1), I64(0));
	want_i(x, -KT_INT, 2, I64(0), I64(2));

	x = list(2, k_int(1), k_float(2));
	r = verb_negate(x);
	ck_assert_ptr_eq(r, x);
	item_i(r, 0, -1);
	cd(r);
}
END_TEST

/* ---- running out of memory --------------------------------------------- */

/* Each case builds its arguments, then makes the nth allocation from
 * there on fail (arm) and runs the verb. */
typedef K (*case_fn)(uint64_t nth);

static void arm(uint64_t nth) { kp_fail_after(kc->heap, nth); }

static K oom_dyad_list(uint64_t nth)
{
	K x = list(3, k_int(1), iv(2, I64(1), I64(2)), k_float(2)), y = iv(3, I64(1), I64(2), I64(3));
	arm(nth);
	return verb_add(x, y);
}

static K oom_shared_list(uint64_t nth)
{
	K x = list(2, list(2, k_int(1), k_float(2)), iv(2, I64(1), I64(2))), y = k_float(1.5);
	arm(nth);
	K r = verb_less(ci(x), y);
	cd(x);
	return r;
}

static K oom_not_syms(uint64_t nth)
{
	K x = sv(2, "a", "b");
	arm(nth);
	K r = verb_not(ci(x));
	cd(x);
	return r;
}

static K oom_monad_list(uint64_t nth)
{
	K x = list(2, iv(2, I64(1), I64(2)), k_float(2));
	arm(nth);
	K r = verb_reciprocal(ci(x));
	cd(x);
	return r;
}

static K oom_vector(uint64_t nth)
{
	K x = iv(2, I64(1), I64(2));
	arm(nth);
	K r = verb_mul(ci(x), ci(x));
	cd(x);
	return r;
}

/* Fail the 1st, 2nd, ... allocation of each case until one runs through:
 * every failure must be wsfull and leave the heap as it found it. */
START_TEST(out_of_memory)
{
	case_fn cases[] = { oom_dyad_list, oom_shared_list, oom_not_syms, oom_monad_list, oom_vector };
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		for (uint64_t nth = 1;; nth++) {
			uint64_t before = heap_in_use();
			K r = cases[c](nth);
			kp_fail_after(kc->heap, 0);
			if (r) { cd(r); ck_assert_uint_eq(heap_in_use(), before); break; }
			ck_assert_str_eq(kc->err, "wsfull");
			kerr_clear();
			ck_assert_uint_eq(heap_in_use(), before);
			ck_assert_uint_lt(nth, 100);
		}
	}
}
END_TEST

/* ---- a long vector: every shape through the vectorised loops ----------- */

START_TEST(long_vectors)
{
	enum { N = 1000 };
	K x = k_new(-KT_INT, N), y = k_new(-KT_INT, N);
	for (int i = 0; i < N; i++) { kI(x)[i] = i; kI(y)[i] = 2 * i; }
	K r = verb_add(ci(x), ci(y));
	for (int i = 0; i < N; i++) ck_assert_int_eq(kI(r)[i], 3 * i);
	cd(r);
	r = verb_sub(ci(y), k_int(1));
	for (int i = 0; i < N; i++) ck_assert_int_eq(kI(r)[i], 2 * i - 1);
	cd(r);
	r = verb_mul(k_float(0.5), ci(y));
	ck_assert_int_eq(r->t, -KT_FLOAT);
	for (int i = 0; i < N; i++) ck_assert(kF(r)[i] == i);
	cd(r);
	r = verb_less(ci(x), k_int(N / 2));
	for (int i = 0; i < N; i++) ck_assert_int_eq(kI(r)[i], i < N / 2);
	cd(r);
	cd(x);
	cd(y);
}
END_TEST

static Suite *arith_suite(void)
{
	Suite *s = suite_create("arith");
	TCase *t = tcase_create("verbs");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, add_shapes);
	tcase_add_test(t, add_types);
	tcase_add_test(t, int_wraps);
	tcase_add_test(t, sub_mul);
	tcase_add_test(t, divide_ints);
	tcase_add_test(t, divide_floats);
	tcase_add_test(t, max_min);
	tcase_add_test(t, power);
	tcase_add_test(t, less_more_numbers);
	tcase_add_test(t, compare_specials);
	tcase_add_test(t, equal_numbers);
	tcase_add_test(t, compare_chars_syms);
	tcase_add_test(t, compare_errors);
	tcase_add_test(t, arith_type_errors);
	tcase_add_test(t, type_pairs_and_shapes);
	tcase_add_test(t, list_atom);
	tcase_add_test(t, list_nested);
	tcase_add_test(t, list_empty);
	tcase_add_test(t, list_errors);
	tcase_add_test(t, negate);
	tcase_add_test(t, reciprocal);
	tcase_add_test(t, floor_);
	tcase_add_test(t, not_);
	tcase_add_test(t, in_place);
	tcase_add_test(t, out_of_memory);
	tcase_add_test(t, long_vectors);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(arith_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
