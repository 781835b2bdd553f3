/* list_test.c: the structural verbs of lang/list.c and lang/grade.c.
 * Values are written as K literals and read by the small reader below
 * (numbers, "chars", `syms, (a;b) lists, ,x, !0, _n), so that each case
 * reads like the Kona session it was checked against.  Every test runs in a
 * fresh context and must leave the heap at its baseline, errors included. */
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <time.h>
#include "../../runtime/heap.h"
#include "../../lang/verbs.h"

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
	lang.seed = 12345;
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

/* ---- a reader for K literals ---- */

static const char *src;

static void skip_blanks(void) { while (*src == ' ') src++; }

static int starts_number(const char *p)
{
	return (*p >= '0' && *p <= '9') || (*p == '-' && ((p[1] >= '0' && p[1] <= '9') || p[1] == '.'))
	       || (*p == '.' && p[1] >= '0' && p[1] <= '9');
}

static K read_item(void);

static K read_numbers(void)
{
	double f[64];
	int64_t iv[64];
	int n = 0, isf = 0;
	while (starts_number(src)) {
		char *end;
		if (!strncmp(src, "0N", 2)) { iv[n] = KI_NULL; f[n] = KF_NULL; end = (char *)src + 2; }
		else if (!strncmp(src, "0I", 2)) { iv[n] = KI_INF; f[n] = KF_INF; end = (char *)src + 2; }
		else if (!strncmp(src, "-0I", 3)) { iv[n] = -KI_INF; f[n] = -KF_INF; end = (char *)src + 3; }
		else if (!strncmp(src, "0n", 2)) { isf = 1; f[n] = KF_NULL; end = (char *)src + 2; }
		else if (!strncmp(src, "0i", 2)) { isf = 1; f[n] = KF_INF; end = (char *)src + 2; }
		else if (!strncmp(src, "-0i", 3)) { isf = 1; f[n] = -KF_INF; end = (char *)src + 3; }
		else {
			size_t len = strspn(src, "-0123456789.e");
			if (memchr(src, '.', len) || memchr(src, 'e', len)) isf = 1;
			f[n] = strtod(src, &end);
			iv[n] = strtoll(src, NULL, 10);
		}
		src = end;
		n++;
		if (*src == ' ' && starts_number(src + 1)) src++;
		else break;
	}
	K x;
	if (isf) {
		x = n == 1 ? k_float(f[0]) : k_new(-KT_FLOAT, n);
		if (n > 1) for (int i = 0; i < n; i++) kF(x)[i] = f[i];
	} else {
		x = n == 1 ? k_int(iv[0]) : k_new(-KT_INT, n);
		if (n > 1) for (int i = 0; i < n; i++) kI(x)[i] = iv[i];
	}
	return x;
}

static K read_item(void)
{
	skip_blanks();
	if (*src == ',') { src++; return k_enlist(read_item()); }
	if (*src == '!') {
		char *end;
		int64_t n = strtoll(src + 1, &end, 10);
		src = end;
		K x = k_new(-KT_INT, n);
		for (int64_t i = 0; i < n; i++) kI(x)[i] = i;
		return x;
	}
	if (!strncmp(src, "0#0.0", 5)) { src += 5; return k_new(-KT_FLOAT, 0); }
	if (!strncmp(src, "0#`", 3)) { src += 3; return k_new(-KT_SYM, 0); }
	if (!strncmp(src, "_n", 2)) { src += 2; return k_null(); }
	if (starts_number(src)) return read_numbers();
	if (*src == '"') {
		const char *e = strchr(src + 1, '"');
		K x = (e - src - 1 == 1) ? k_char(src[1]) : k_str(src + 1, (size_t)(e - src - 1));
		src = e + 1;
		return x;
	}
	if (*src == '`') {
		ksym s[64];
		int n = 0;
		while (*src == '`') {
			src++;
			size_t len = strspn(src, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.");
			s[n++] = sym_intern(src, len);
			src += len;
		}
		K x = n == 1 ? k_symv(s[0]) : k_new(-KT_SYM, n);
		if (n > 1) for (int i = 0; i < n; i++) kS(x)[i] = s[i];
		return x;
	}
	if (*src == '(') {
		src++;
		K items[64];
		int n = 0;
		skip_blanks();
		if (*src == ')') { src++; return k_list(0); }
		for (;;) {
			skip_blanks();
			items[n++] = (*src == ';' || *src == ')') ? k_null() : read_item();
			skip_blanks();
			if (*src == ';') { src++; continue; }
			src++;   /* ')' */
			break;
		}
		if (n == 1 && src[-1] == ')' && !strchr(";", src[-2])) {
			/* (x) without a ';' is x itself, as in K */
			return items[0];
		}
		K x = k_list(n);
		for (int i = 0; i < n; i++) kK(x)[i] = items[i];
		return k_squeeze(x);
	}
	ck_abort_msg("unreadable literal at: %s", src);
	return NULL;
}

/* The value of a literal. */
static K rd(const char *s)
{
	src = s;
	K x = read_item();
	skip_blanks();
	ck_assert_msg(*src == 0, "trailing text in literal: %s", src);
	return x;
}

/* got (consumed) must be exactly the value of the literal: same type, ~ */
#define EQ(expr, lit) do { \
	K got_ = (expr); \
	ck_assert_msg(got_ != NULL, "%s: error %s", #expr, kc->err ? kc->err : "?"); \
	K want_ = rd(lit); \
	ck_assert_msg(got_->t == want_->t && k_match(got_, want_), \
		"%s: not %s (type %d vs %d, n %ld)", #expr, lit, got_->t, want_->t, (long)got_->n); \
	cd(got_); cd(want_); \
} while (0)

/* the verb must fail with the named error */
#define ERR(expr, name) do { \
	K got_ = (expr); \
	ck_assert_msg(got_ == NULL, "%s: expected error %s", #expr, name); \
	ck_assert_str_eq(kc->err, name); \
	kerr_clear(); \
} while (0)

#define M1(verb, a) verb(rd(a))
#define M2(verb, a, b) verb(rd(a), rd(b))

/* ---- monadic ---- */

START_TEST(count_atom_enlist)
{
	EQ(M1(verb_count, "1 2 3"), "3");
	EQ(M1(verb_count, "5"), "1");
	EQ(M1(verb_count, "\"hello\""), "5");
	EQ(M1(verb_count, "()"), "0");
	EQ(M1(verb_count, "(8 1 6;3 7;4 9 2)"), "3");
	EQ(M1(verb_count, "_n"), "1");
	K d = dict_set(dict_set(dict_new(), sym_c("a"), k_int(1)), sym_c("b"), k_int(2));
	EQ(verb_count(d), "1");                      /* a dictionary is one item */

	EQ(M1(verb_atom, "1"), "1");
	EQ(M1(verb_atom, "2 3"), "0");
	EQ(M1(verb_atom, "\"\""), "0");
	EQ(M1(verb_atom, "`symbol"), "1");
	EQ(M1(verb_atom, "_n"), "1");
	EQ(M1(verb_atom, "!0"), "0");

	EQ(M1(verb_enlist, "5"), ",5");
	EQ(M1(verb_enlist, "1 2"), ",1 2");
	EQ(M1(verb_enlist, "\"a\""), ",\"a\"");
	K e = verb_enlist(k_int(1));
	ck_assert(e->t == -KT_INT && e->n == 1);
	cd(e);
}
END_TEST

START_TEST(first)
{
	EQ(M1(verb_first, "(\"abc\";\"defg\";\"hijkl\")"), "\"abc\"");
	EQ(M1(verb_first, "`pqr"), "`pqr");
	EQ(M1(verb_first, "3 4"), "3");
	EQ(M1(verb_first, "!0"), "0");
	EQ(M1(verb_first, "0#0.0"), "0.0");
	EQ(M1(verb_first, "\"\""), "\" \"");
	EQ(M1(verb_first, "()"), "_n");
	EQ(M1(verb_first, ",,`pqr"), ",`pqr");
	K s = verb_first(k_new(-KT_SYM, 0));
	ck_assert(s->t == KT_SYM && kS(s)[0] == sym_c(""));
	cd(s);
}
END_TEST

START_TEST(reverse)
{
	EQ(M1(verb_reverse, "3 1 4 2"), "2 4 1 3");
	EQ(M1(verb_reverse, "\"a\""), "\"a\"");
	EQ(M1(verb_reverse, "!0"), "!0");
	EQ(M1(verb_reverse, "(8 1 6;3 5 7;4 9 2)"), "(4 9 2;3 5 7;8 1 6)");
	EQ(M1(verb_reverse, "`one`two`three"), "`three`two`one");
	EQ(M1(verb_reverse, "\"abcde\""), "\"edcba\"");
	/* a shared argument is copied, not changed */
	K v = rd("1 2 3"), keep = ci(v);
	EQ(verb_reverse(v), "3 2 1");
	EQ(keep, "1 2 3");
	/* an unshared one is reversed in place */
	v = rd("1.5 2.5 3.5");
	K r = verb_reverse(v);
	ck_assert_ptr_eq(r, v);
	EQ(r, "3.5 2.5 1.5");
}
END_TEST

START_TEST(where)
{
	EQ(M1(verb_where, "3 0 4"), "0 0 0 2 2 2 2");
	EQ(M1(verb_where, "3"), "0 0 0");
	EQ(M1(verb_where, "1 0 1 0"), "0 2");
	EQ(M1(verb_where, "!0"), "!0");
	EQ(M1(verb_where, "()"), "!0");
	EQ(M1(verb_where, "1 -1 2"), "0 2 2");       /* negatives skipped */
	EQ(M1(verb_where, "-1"), "!0");
	ERR(M1(verb_where, "2.0"), "int");
	ERR(M1(verb_where, "\"a\""), "int");
	EQ(M1(verb_where, "1 0N 2"), "0 2 2");
	ERR(M1(verb_where, "1 0I"), "int");
	ERR(M1(verb_where, "1 2.0"), "int");
	ERR(verb_where(k_int(KI_INF - 1)), "wsfull");
	ERR(M2(verb_rotate, "`a`b", "1 2"), "int");
}
END_TEST

START_TEST(shape)
{
	EQ(M1(verb_shape, "5"), "!0");
	EQ(M1(verb_shape, "1 2 3"), ",3");
	EQ(M1(verb_shape, "()"), ",0");
	EQ(M1(verb_shape, "(();())"), "2 0");
	EQ(M1(verb_shape, "(1 2;3)"), ",2");
	EQ(M1(verb_shape, "(1 2;3 4 5)"), ",2");
	EQ(M1(verb_shape, "(1 2 3;\"abc\";`x`y`z;5.4 1.2 -3.56)"), "4 3");
	EQ(M1(verb_shape, "((1 2;`a`b;\"AB\");(\"CD\";3 4;`c`d))"), "2 3 2");
	EQ(M1(verb_shape, "((0 1 2;`a;\"AB\");(\"CD\";3 4;`c`d))"), "2 3");
	EQ(M1(verb_shape, "(\"aby\";\"cd\")"), ",2");
	EQ(M1(verb_shape, "3.14"), "!0");
	EQ(M1(verb_shape, ",1 2 3"), "1 3");
}
END_TEST

START_TEST(flip)
{
	EQ(M1(verb_flip, "(0 4 8;1 5 9;2 6 10;3 7 11)"), "(0 1 2 3;4 5 6 7;8 9 10 11)");
	EQ(M1(verb_flip, "(1 2 3;\"C\";`x`y`z)"), "((1;\"C\";`x);(2;\"C\";`y);(3;\"C\";`z))");
	EQ(M1(verb_flip, "(1 2 3;\"CCC\";`x`y`z)"), "((1;\"C\";`x);(2;\"C\";`y);(3;\"C\";`z))");
	EQ(M1(verb_flip, "((0 1 2;3);(4 5;6 7 8 9);(10 11;12))"), "((0 1 2;4 5;10 11);(3;6 7 8 9;12))");
	EQ(M1(verb_flip, "`abc"), "`abc");
	EQ(M1(verb_flip, "67"), "67");
	EQ(M1(verb_flip, "`a`b`c"), "`a`b`c");
	EQ(M1(verb_flip, "()"), "()");
	EQ(M1(verb_flip, "(1 2;3)"), "(1 3;2 3)");
	EQ(M1(verb_flip, "(1 2;3.5 4)"), "((1;3.5);(2;4.0))");
	EQ(M1(verb_flip, "(\"ab\";\"cd\")"), "(\"ac\";\"bd\")");
	ERR(M1(verb_flip, "(1 2;3 4 5)"), "length");
}
END_TEST

START_TEST(enumerate)
{
	EQ(M1(verb_enumerate, "3"), "0 1 2");
	EQ(M1(verb_enumerate, "0"), "!0");
	EQ(M1(verb_enumerate, "2.5"), "0 1");
	EQ(M1(verb_enumerate, "2 2"), "(0 0;0 1;1 0;1 1)");
	EQ(M1(verb_enumerate, "2 3"), "(0 0;0 1;0 2;1 0;1 1;1 2)");
	EQ(M1(verb_enumerate, "0 2"), "()");
	EQ(M1(verb_enumerate, "_n"), "0#`");
	ERR(M1(verb_enumerate, "-3"), "domain");
	ERR(M1(verb_enumerate, "2 -3"), "int");
	ERR(M1(verb_enumerate, "0I"), "wsfull");
	ERR(M1(verb_enumerate, "()"), "domain");
	K d = dict_set(dict_set(dict_new(), sym_c("a"), k_int(1)), sym_c("b"), k_int(2));
	EQ(verb_enumerate(d), "`a`b");
}
END_TEST

/* ---- grades ---- */

START_TEST(grade_simple)
{
	EQ(M1(verb_gradeup, "3 1 2 1"), "1 3 2 0");
	EQ(M1(verb_gradedown, "3 1 2 1"), "0 2 1 3");
	EQ(M1(verb_gradeup, "3 1 4 2"), "1 3 0 2");
	EQ(M1(verb_gradeup, "`b`a`c"), "1 0 2");
	EQ(M1(verb_gradeup, "`bb`b`a`ba"), "2 1 3 0");
	EQ(M1(verb_gradedown, "`bb`b`a`ba"), "0 3 1 2");
	EQ(M1(verb_gradeup, "\"taped\""), "1 4 3 2 0");
	EQ(M1(verb_gradedown, "\"dozen\""), "2 1 4 3 0");
	EQ(M1(verb_gradeup, "1.5 0n -0i 2"), "1 2 0 3");
	EQ(M1(verb_gradeup, "0. 0i -0i 0n"), "3 2 0 1");
	EQ(M1(verb_gradeup, "-5 0N 0I -0I 7"), "1 3 0 4 2");
	EQ(M1(verb_gradedown, "-5 0N 0I -0I 7"), "2 4 0 3 1");
	EQ(M1(verb_gradeup, "!0"), "!0");
	EQ(M1(verb_gradeup, "()"), "!0");
	EQ(M1(verb_gradeup, ",5"), ",0");
	EQ(M1(verb_gradedown, "2 2 2"), "0 1 2");
	EQ(M1(verb_gradeup, "-0.0 0.0 -1.0"), "2 0 1");
	ERR(M1(verb_gradeup, "5"), "rank");
	ERR(M1(verb_gradedown, "`a"), "rank");
}
END_TEST

START_TEST(grade_lists)
{
	EQ(M1(verb_gradeup, "(\"aaa\";\"bb\";,\"c\";\"d\")"), "0 1 2 3");
	EQ(M1(verb_gradeup, "(\"aaa\";\"bb\";\"c\";,\"d\")"), "0 1 3 2");
	EQ(M1(verb_gradeup, "(\"abd\";\"ad\")"), "0 1");
	EQ(M1(verb_gradeup, "(\"ad\";\"abd\")"), "1 0");
	EQ(M1(verb_gradedown, "(\"ab\";,\"a\";\"aba\";\"a\")"), "3 2 0 1");
	EQ(M1(verb_gradeup, "(1 2;1;`a;\"a\";1.0)"), "0 1 4 3 2");
	EQ(M1(verb_gradeup, "(1 2;1 1 1;,3;2)"), "2 0 1 3");
	EQ(M1(verb_gradedown, "(1;2.5;0)"), "1 0 2");
	EQ(M1(verb_gradeup, "(`b;`a)"), "1 0");
	EQ(M1(verb_gradeup, "(1;1.0)"), "0 1");
	EQ(M1(verb_gradeup, "((1;2);(1;`a);(0;5))"), "2 0 1");
}
END_TEST

/* radix and counting paths agree with a plain stable sort */
static int64_t *cmp_base;
static int cmp_idx(const void *a, const void *b)
{
	int64_t i = *(const int64_t *)a, j = *(const int64_t *)b;
	if (cmp_base[i] != cmp_base[j]) return cmp_base[i] < cmp_base[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

START_TEST(grade_large_ints)
{
	int64_t n = 200000;
	uint64_t seed = 7;
	for (int round = 0; round < 3; round++) {
		K x = k_new(-KT_INT, n);
		for (int64_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			int64_t v = (int64_t)(seed >> 11);
			kI(x)[i] = round == 0 ? v % 1000 : round == 1 ? v - (INT64_C(1) << 52) : (v & 1) ? KI_NULL : v % 70000;
		}
		K want = k_new(-KT_INT, n);
		for (int64_t i = 0; i < n; i++) kI(want)[i] = i;
		cmp_base = kI(x);
		qsort(kI(want), (size_t)n, sizeof(int64_t), cmp_idx);
		K g = verb_gradeup(ci(x));
		ck_assert(k_match(g, want));
		cd(g);
		/* grade down: descending, ties in original order */
		K d = verb_gradedown(ci(x));
		for (int64_t i = 1; i < n; i++) {
			int64_t a = kI(x)[kI(d)[i - 1]], b = kI(x)[kI(d)[i]];
			ck_assert(a > b || (a == b && kI(d)[i - 1] < kI(d)[i]));
		}
		cd(d);
		cd(want);
		cd(x);
	}
}
END_TEST

START_TEST(grade_and_group_speed)
{
	int64_t n = 1000000;
	K x = k_new(-KT_INT, n);
	uint64_t seed = 1;
	for (int64_t i = 0; i < n; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		kI(x)[i] = (int64_t)(seed >> 33);
	}
	clock_t t0 = clock();
	K g = verb_gradeup(ci(x));
	K u = verb_group(ci(x));
	K q = verb_unique(ci(x));
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_nonnull(q);
	ck_assert_msg(secs < 2.0, "grade+group+unique of 1e6 ints took %.2fs", secs);
	cd(g);
	cd(u);
	cd(q);
	cd(x);
}
END_TEST

/* ---- group and unique ---- */

START_TEST(group)
{
	EQ(M1(verb_group, "2 1 2 2 1 1"), "(0 2 3;1 4 5)");
	EQ(M1(verb_group, "1 2"), "(,0;,1)");
	EQ(M1(verb_group, "0 0 0"), ",0 1 2");
	EQ(M1(verb_group, "\"arthur\""), "(,0;1 5;,2;,3;,4)");
	EQ(M1(verb_group, "``a`b`c```a"), "(0 4 5;1 6;,2;,3)");
	EQ(M1(verb_group, "(1 2;3;1 2)"), "(0 2;,1)");
	EQ(M1(verb_group, "2. 1.9999999999999"), "(,0;,1)");
	EQ(M1(verb_group, "!0"), "()");
	EQ(M1(verb_group, "()"), "()");
	EQ(M1(verb_group, "1 2 1.0"), "(0 2;,1)");
	EQ(M1(verb_group, "5 -3 1000000000000 5 -3"), "(0 3;1 4;,2)");
	EQ(M1(verb_group, "0n 1 0n"), "(0 2;,1)");
	ERR(M1(verb_group, "5"), "rank");
}
END_TEST

START_TEST(unique)
{
	EQ(M1(verb_unique, "1 2 1 3"), "1 2 3");
	EQ(M1(verb_unique, "\"strange\""), "\"strange\"");
	EQ(M1(verb_unique, "\"mississippi\""), "\"misp\"");
	EQ(M1(verb_unique, "(9 2 3;4 5;9 2 3;6 7 8;4 5;9 2 3)"), "(9 2 3;4 5;6 7 8)");
	EQ(M1(verb_unique, "1.0 1 2"), "1 2.0");
	EQ(M1(verb_unique, "(1;1.0;1)"), "(1;1.0)");
	EQ(M1(verb_unique, "2. 1.9999999999999"), "2 1.9999999999999");
	EQ(M1(verb_unique, ",0"), ",0");
	EQ(M1(verb_unique, "()"), "()");
	EQ(M1(verb_unique, "!0"), "!0");
	EQ(M1(verb_unique, "`b`a`b"), "`b`a");
	EQ(M1(verb_unique, "7 -2 99999999999 7"), "7 -2 99999999999");
	ERR(M1(verb_unique, "5"), "rank");
}
END_TEST

/* ---- dyadic ---- */

START_TEST(match)
{
	EQ(M2(verb_match, "2 3", "2 3"), "1");
	EQ(M2(verb_match, "()", "!0"), "0");
	EQ(M2(verb_match, "\"a\"", ",\"a\""), "0");
	EQ(M2(verb_match, "1", "1.0"), "0");
	EQ(M2(verb_match, "(1;\"ab\")", "(1;\"ab\")"), "1");
}
END_TEST

START_TEST(rotate_and_mod)
{
	EQ(M2(verb_rotate, "21", "\"abcdefgh\""), "\"fghabcde\"");
	EQ(M2(verb_rotate, "-5", "\"abcdefgh\""), "\"defghabc\"");
	EQ(M2(verb_rotate, "-21", "\"abcdefgh\""), "\"defghabc\"");
	EQ(M2(verb_rotate, "1", "1 2 3"), "2 3 1");
	EQ(M2(verb_rotate, "1", "(1 2;`a;\"c\")"), "(`a;\"c\";1 2)");
	EQ(M2(verb_rotate, "3", "!0"), "!0");
	EQ(M2(verb_rotate, "2.0", "1.0"), "0.0");
	EQ(M2(verb_rotate, "5.0", "3"), "2.0");
	EQ(M2(verb_rotate, "5", "-3"), "-1");
	EQ(M2(verb_rotate, "5.0", "-3.0"), "-1.0");
	EQ(M2(verb_rotate, "-3.0 4 -17", "-4"), "-3 0 -1.0");
	EQ(M2(verb_rotate, "-7 7 0", "3"), "2 1 0");
	EQ(M2(verb_rotate, "7", "0"), "7");
	EQ(M2(verb_rotate, "(1 2;3)", "2"), "(1 0;1)");
	ERR(M2(verb_rotate, "1", "`a"), "type");
	ERR(M2(verb_rotate, "1.5", "1 2"), "int");
	ERR(M2(verb_rotate, "1 2", "1 2"), "int");
	ERR(M2(verb_rotate, "`a", "2"), "type");
	K d = verb_rotate(rd("`a`b"), rd("(1;\"x\")"));
	K v = dict_get(d, sym_c("b"));
	EQ(v, "\"x\"");
	cd(d);
}
END_TEST

START_TEST(take)
{
	EQ(M2(verb_take, "3", "4 5 6 7 8 9"), "4 5 6");
	EQ(M2(verb_take, "-13", "4 5 6 7 8 9"), "9 4 5 6 7 8 9 4 5 6 7 8 9");
	EQ(M2(verb_take, "3", "1"), "1 1 1");
	EQ(M2(verb_take, "0", "1"), "!0");
	EQ(M2(verb_take, "-3", "1 2"), "2 1 2");
	EQ(M2(verb_take, "5", "1 2"), "1 2 1 2 1");
	EQ(M2(verb_take, "-5", "1 2"), "2 1 2 1 2");
	EQ(M2(verb_take, "3", "!0"), "0 0 0");
	EQ(M2(verb_take, "2", "\"\""), "\"  \"");
	EQ(M2(verb_take, "3", "()"), "(;;)");
	EQ(M2(verb_take, "2", "`a"), "`a`a");
	EQ(M2(verb_take, "2", "(1;\"a\";2)"), "(1;\"a\")");
	EQ(M2(verb_take, "2", "(1;\"a\";2)"), "(1;\"a\")");
	EQ(M2(verb_take, "-2", "(1;\"a\";2)"), "(\"a\";2)");
	EQ(M2(verb_take, "2 3", "!4"), "(0 1 2;3 0 1)");
	EQ(M2(verb_take, "2 3", "\"ab\""), "(\"aba\";\"bab\")");
	EQ(M2(verb_take, "2 3", "()"), "((;;);(;;))");
	EQ(M2(verb_take, "0 3", "1"), "!0");
	EQ(M2(verb_take, "2 -1", "\"abcd\""), "(\"ab\";\"cd\")");
	EQ(M2(verb_take, "2 -1 3", "\"abcdef\""), "(,\"abc\";,\"def\")");
	EQ(M2(verb_take, "2 -1 3", "\"abcdefghijkl\""), "((\"abc\";\"def\");(\"ghi\";\"jkl\"))");
	EQ(M2(verb_take, "0N 2", "!6"), "(0 1;2 3;4 5)");
	EQ(M2(verb_take, "2 0N", "!6"), "(0 1 2;3 4 5)");
	EQ(M2(verb_take, "3 3", "0"), "(0 0 0;0 0 0;0 0 0)");
	EQ(M2(verb_take, "(1;2)", "!5"), ",0 1");
	EQ(M2(verb_take, "!0", "4 5"), "4");
	ERR(M2(verb_take, "2.0", "1 2 3"), "int");
	ERR(M2(verb_take, "`a", "1 2"), "int");
	ERR(M2(verb_take, "-1 -1", "!4"), "domain");
	ERR(M2(verb_take, "3 -1", "!4"), "length");
	ERR(M2(verb_take, "0I", "1 2"), "wsfull");
	K d = dict_set(dict_new(), sym_c("a"), k_int(1));
	K r = verb_take(k_int(3), ci(d));
	ck_assert(r->t == KT_LIST && r->n == 3 && kK(r)[2] == d);
	cd(r);
	cd(d);
	/* taking a prefix of an unshared list happens in place */
	K l = rd("(1;\"a\";`b;2 3)");
	K p = verb_take(k_int(2), l);
	ck_assert_ptr_eq(p, l);
	EQ(p, "(1;\"a\")");
}
END_TEST

START_TEST(drop_and_cut)
{
	EQ(M2(verb_drop, "1", "\"stares\""), "\"tares\"");
	EQ(M2(verb_drop, "-2", "\"stares\""), "\"star\"");
	EQ(M2(verb_drop, "0", "7"), "7");
	EQ(M2(verb_drop, "88", "\"\""), "\"\"");
	EQ(M2(verb_drop, "9", "!6"), "!0");
	EQ(M2(verb_drop, "-9", "!6"), "!0");
	EQ(M2(verb_drop, "1", "(\"a\";1;2)"), "1 2");
	EQ(M2(verb_drop, "-1", "(1;2;\"a\")"), "1 2");
	EQ(M2(verb_drop, "0 3", "0 1 2 3 4 5"), "(0 1 2;3 4 5)");
	EQ(M2(verb_drop, "0 4", "\"seashells\""), "(\"seas\";\"hells\")");
	EQ(M2(verb_drop, "1 1 3", "!6"), "(!0;1 2;3 4 5)");
	EQ(M2(verb_drop, "0 2", "(1;2;`a;\"b\")"), "(1 2;(`a;\"b\"))");
	EQ(M2(verb_drop, "!0", "1 2"), "()");
	ERR(M2(verb_drop, "2 1", "!6"), "domain");
	ERR(M2(verb_drop, "-1 2", "!6"), "domain");
	ERR(M2(verb_drop, "0 7", "!6"), "length");
	ERR(M2(verb_drop, "1.0", "1 2"), "int");
	ERR(M2(verb_drop, "0 1", "5"), "int");
	ERR(M2(verb_drop, "()", "1 2"), "int");
	/* dropping from the back of an unshared vector reuses it */
	K v = rd("1 2 3 4"), r = verb_drop(k_int(-2), v);
	ck_assert_ptr_eq(r, v);
	EQ(r, "1 2");
}
END_TEST

START_TEST(join)
{
	EQ(M2(verb_join, "1", "4 5 6 7"), "1 4 5 6 7");
	EQ(M2(verb_join, "1 2 3", "4 5 6 7"), "1 2 3 4 5 6 7");
	EQ(M2(verb_join, "1", "1"), "1 1");
	EQ(M2(verb_join, "1", "`a"), "(1;`a)");
	EQ(M2(verb_join, "1 2", "3.0"), "(1;2;3.0)");
	EQ(M2(verb_join, "(1;2)", "3"), "1 2 3");
	EQ(M2(verb_join, "\"ab\"", "`c"), "(\"a\";\"b\";`c)");
	EQ(M2(verb_join, "()", "1"), ",1");
	EQ(M2(verb_join, "()", "()"), "()");
	EQ(M2(verb_join, "1", "()"), ",1");
	EQ(M2(verb_join, "\"\"", "()"), "()");
	EQ(M2(verb_join, "\"a\"", "\"b\""), "\"ab\"");
	EQ(M2(verb_join, "_n", "1"), "(_n;1)");
	EQ(M2(verb_join, "1", "_n"), "(1;_n)");
	EQ(M2(verb_join, "!0", "0#0.0"), "0#0.0");
	EQ(M2(verb_join, "(1 2;3)", "(4;5 6)"), "(1 2;3;4;5 6)");
	EQ(M2(verb_join, "1 2", "(3;\"a\")"), "(1;2;3;\"a\")");
	K d = dict_set(dict_new(), sym_c("a"), k_int(1));
	K r = verb_join(ci(d), ci(d));
	ck_assert(r->t == KT_LIST && r->n == 2 && kK(r)[0] == d && kK(r)[1] == d);
	cd(r);
	cd(d);
	/* the left side is not changed when shared */
	K x = rd("1 2"), keep = ci(x);
	EQ(verb_join(x, rd("3")), "1 2 3");
	EQ(keep, "1 2");
}
END_TEST

START_TEST(join_amortised)
{
	/* a,:1 repeated: linear time, one block reused */
	K a = k_new(-KT_INT, 0);
	clock_t t0 = clock();
	for (int64_t i = 0; i < 1000000; i++) a = verb_join(a, k_int(i));
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	ck_assert_int_eq(a->n, 1000000);
	ck_assert_int_eq(kI(a)[999999], 999999);
	ck_assert_msg(secs < 1.0, "10^6 joins took %.2fs", secs);
	cd(a);
	K l = k_list(0);
	for (int64_t i = 0; i < 100000; i++) l = verb_join(l, k_enlist(k_cstr("ab")));
	ck_assert_int_eq(l->n, 100000);
	ck_assert_int_eq(l->t, KT_LIST);
	cd(l);
	K s = k_new(-KT_CHAR, 0);
	for (int i = 0; i < 1000; i++) s = verb_join(s, k_char('x'));
	ck_assert_int_eq((int)strlen(kC(s)), 1000);
	cd(s);
}
END_TEST

START_TEST(find)
{
	EQ(M2(verb_find, "1 2 3", "2"), "1");
	EQ(M2(verb_find, "1 2 3", "4"), "3");
	EQ(M2(verb_find, "1 2 3", "2.0"), "1");
	EQ(M2(verb_find, "1.0 2", "2"), "1");
	EQ(M2(verb_find, "\"abc\"", "\"b\""), "1");
	EQ(M2(verb_find, "\"abc\"", "\"bc\""), "3");
	EQ(M2(verb_find, "(1 2;3)", "3"), "1");
	EQ(M2(verb_find, "(1 2;3)", ",3"), "2");
	EQ(M2(verb_find, "(1 2;3)", "1 2"), "0");
	EQ(M2(verb_find, "`a`b", "`b"), "1");
	EQ(M2(verb_find, "1 2 3", "1 2"), "3");
	EQ(M2(verb_find, "1 7 2 4 6 10 3", "4"), "3");
	EQ(M2(verb_find, "1.9999999999999 2.", "2"), "0");
	EQ(M2(verb_find, "!0", "1"), "0");
	ERR(M2(verb_find, "2.5", "1"), "domain");
	ERR(M2(verb_find, "`a", "1"), "domain");
}
END_TEST

START_TEST(draw_and_deal)
{
	K r = M2(verb_find, "10", "5");
	ck_assert(r->t == -KT_INT && r->n == 10);
	for (int i = 0; i < 10; i++) ck_assert(kI(r)[i] >= 0 && kI(r)[i] < 5);
	cd(r);
	r = M2(verb_find, "-5", "5");
	ck_assert(r->t == -KT_INT && r->n == 5);
	for (int i = 0; i < 5; i++) ck_assert(kI(r)[i] >= 0 && kI(r)[i] < 5);
	EQ(verb_count(verb_unique(r)), "5");
}
END_TEST

START_TEST(draw_more)
{
	K r = M2(verb_find, "-1000", "1000000000");
	K u = verb_unique(ci(r));
	ck_assert_int_eq(u->n, 1000);
	cd(u);
	cd(r);
	r = M2(verb_find, "4", "1.0");
	ck_assert(r->t == -KT_FLOAT && r->n == 4);
	for (int i = 0; i < 4; i++) ck_assert(kF(r)[i] >= 0 && kF(r)[i] < 1);
	cd(r);
	r = M2(verb_find, "3", "`a`b`c");
	ck_assert(r->t == -KT_SYM && r->n == 3);
	cd(r);
	r = M2(verb_find, "-3", "\"abc\"");
	ck_assert_int_eq(r->t, -KT_CHAR);
	EQ(verb_count(verb_unique(r)), "3");
	ERR(M2(verb_find, "-6", "5"), "length");
	ERR(M2(verb_find, "3", "-2"), "domain");
	ERR(M2(verb_find, "3", "`a"), "int");
	ERR(M2(verb_find, "-4", "\"abc\""), "length");
	/* the same seed gives the same draw */
	lang.seed = 99;
	K a = M2(verb_find, "5", "100");
	lang.seed = 99;
	K b = M2(verb_find, "5", "100");
	ck_assert(k_match(a, b));
	cd(a);
	cd(b);
}
END_TEST

/* every allocation failing in turn: no crash, no leak */
START_TEST(out_of_memory_everywhere)
{
	static const char *const args[][2] = {
		{ "2 3", "!4" }, { "(1 2;3)", "(4;5 6)" }, { "-3", "1 2" }, { "0 2", "(1;2;`a;\"b\")" },
		{ "1", "(1 2;`a;\"c\")" }, { "(1 2;`a)", "3" }, { "1 2 1", "(1;1.0;1)" },
	};
	static const kdyad dyads[] = { verb_take, verb_join, verb_drop, verb_rotate, verb_find, verb_match };
	static const kmonad monads[] = { verb_flip, verb_first, verb_reverse, verb_where, verb_shape,
		verb_enumerate, verb_gradeup, verb_gradedown, verb_group, verb_unique, verb_count, verb_enlist };
	static const char *const margs[] = { "(1 2;3 4)", "(1 2;3)", "2 3", "`b`a`b", "(\"ab\";1;\"ab\")", "3 1 2 1" };
	for (size_t v = 0; v < sizeof dyads / sizeof *dyads; v++)
		for (size_t a = 0; a < sizeof args / sizeof *args; a++)
			for (uint64_t n = 1; n < 40; n++) {
				K x = rd(args[a][0]), y = rd(args[a][1]);
				kp_fail_after(kc->heap, n);
				K r = dyads[v](x, y);
				kp_fail_after(kc->heap, 0);
				cd(r);
				kerr_clear();
				ck_assert_uint_eq(heap_in_use(), baseline);
			}
	for (size_t v = 0; v < sizeof monads / sizeof *monads; v++)
		for (size_t a = 0; a < sizeof margs / sizeof *margs; a++)
			for (uint64_t n = 1; n < 40; n++) {
				K x = rd(margs[a]);
				kp_fail_after(kc->heap, n);
				K r = monads[v](x);
				kp_fail_after(kc->heap, 0);
				cd(r);
				kerr_clear();
				ck_assert_uint_eq(heap_in_use(), baseline);
			}
}
END_TEST

static Suite *list_suite(void)
{
	Suite *s = suite_create("list");
	TCase *tc = tcase_create("list");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, count_atom_enlist);
	tcase_add_test(tc, first);
	tcase_add_test(tc, reverse);
	tcase_add_test(tc, where);
	tcase_add_test(tc, shape);
	tcase_add_test(tc, flip);
	tcase_add_test(tc, enumerate);
	tcase_add_test(tc, grade_simple);
	tcase_add_test(tc, grade_lists);
	tcase_add_test(tc, grade_large_ints);
	tcase_add_test(tc, grade_and_group_speed);
	tcase_add_test(tc, group);
	tcase_add_test(tc, unique);
	tcase_add_test(tc, match);
	tcase_add_test(tc, rotate_and_mod);
	tcase_add_test(tc, take);
	tcase_add_test(tc, drop_and_cut);
	tcase_add_test(tc, join);
	tcase_add_test(tc, join_amortised);
	tcase_add_test(tc, find);
	tcase_add_test(tc, draw_and_deal);
	tcase_add_test(tc, draw_more);
	tcase_add_test(tc, out_of_memory_everywhere);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(list_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
