/* format_test.c: the Check suite of lang/format.c: k_show, k_repr, $x and
 * x$y, compared against the text Kona prints for the same values.
 *
 * Each EXPECT builds a value in C, runs it through the code under test and
 * compares the console text with Kona's (the first argument is the K
 * expression it was taken from: printf 'expr\n\\\\\n' | kona), then checks
 * that the heap is back where it was before the value was built.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../../runtime/heap.h"
#include "../../lang/sysfn.h"
#include "../../lang/verbs.h"

static klang test_lang;       /* used when the context brings no language state */
static int own_lang;

/* Symbols the cases use, interned before the baseline is taken (a symbol
 * table may live in the heap, and it only grows). */
static const char *const case_syms[] = { "a", "b", "c", "d", "", "a b", "1a", "a.b", ".a", "a_b1", "b c", "abc", "ab", "cf" };

static void setup(void)
{
	kc = kctx_open();
	ck_assert_ptr_nonnull(kc);
	if (!kc->lang) {
		memset(&test_lang, 0, sizeof test_lang);
		kc->lang = &test_lang;
		own_lang = 1;
	}
	KL->precision = 7;
	for (size_t i = 0; i < sizeof case_syms / sizeof *case_syms; i++) sym_c(case_syms[i]);
}

static void teardown(void)
{
	if (own_lang) kc->lang = NULL;
	kctx_close(kc);
	kc = NULL;
}

static uint64_t heap_in_use(void)
{
	kpool_stats s;
	kp_stats(kc->heap, &s);
	return s.in_use;
}

/* ---- building values -------------------------------------------------- */

static K I(int64_t v) { return k_int(v); }
static K F(double v) { return k_float(v); }
static K CH(char c) { return k_char(c); }
static K S(const char *s) { return k_symv(sym_c(s)); }
static K N(void) { return k_null(); }
static K STR(const char *s) { return k_cstr(s); }
static K STRN(const char *s, size_t n) { return k_str(s, n); }

/* IV(n, ints...) and FV(n, floats...): vectors; the items go through an
 * array so that plain literals need no casts. */
static K ivec(int n, const int64_t *v)
{
	K x = k_new(-KT_INT, n);
	if (n) memcpy(kI(x), v, (size_t)n * sizeof *v);
	return x;
}
static K fvec(int n, const double *v)
{
	K x = k_new(-KT_FLOAT, n);
	if (n) memcpy(kF(x), v, (size_t)n * sizeof *v);
	return x;
}
#define IV(n, ...) ivec(n, (const int64_t[]){ 0, __VA_ARGS__ } + 1)
#define FV(n, ...) fvec(n, (const double[]){ 0, __VA_ARGS__ } + 1)

static K SV(int n, ...)
{
	va_list ap;
	K x = k_new(-KT_SYM, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++) kS(x)[i] = sym_c(va_arg(ap, const char *));
	va_end(ap);
	return x;
}

static K L(int n, ...)
{
	va_list ap;
	K x = k_list(n);
	va_start(ap, n);
	for (int i = 0; i < n; i++) kK(x)[i] = va_arg(ap, K);
	va_end(ap);
	return x;
}

/* D(n, "key", value, ...): a dictionary of (key;value;_n) triples. */
static K D(int n, ...)
{
	va_list ap;
	K x = k_new(KT_DICT, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		const char *key = va_arg(ap, const char *);
		K v = va_arg(ap, K);
		kK(x)[i] = L(3, S(key), v, N());
	}
	va_end(ap);
	return x;
}

static K fn(int kind, int u, int n)
{
	K f = k_new(KT_FUNC, n);
	f->a = (uint8_t)kind;
	f->u = (uint8_t)u;
	return f;
}
static int verb_id(char c) { return (int)(strchr(VERB_CHARS, c) - VERB_CHARS); }
static K VERB(char c) { return fn(FK_VERB, verb_id(c), 0); }
static K VERB1(char c) { return fn(FK_VERB1, verb_id(c), 0); }
static K IOV(int i) { return fn(FK_VERB, V_IO0 + i, 0); }
static K IOV1(int i) { return fn(FK_VERB1, V_IO0 + i, 0); }
static K DER(K g, int adverb) { K f = fn(FK_DERIVED, adverb, 1); kK(f)[0] = g; return f; }
static K LAM(const char *src)
{
	K f = fn(FK_LAMBDA, 1, 2);
	kK(f)[0] = STR(src);
	kK(f)[1] = N();      /* stands in for the compiled code */
	return f;
}
/* PROJ(f, n, args...): f with its n arguments, NULL for an elided one. */
static K PROJ(K g, int n, ...)
{
	va_list ap;
	K f = fn(FK_PROJ, 0, n + 1);
	kK(f)[0] = g;
	va_start(ap, n);
	for (int i = 1; i <= n; i++) kK(f)[i] = va_arg(ap, K);
	va_end(ap);
	return f;
}
static K COMP(int n, ...)
{
	va_list ap;
	K f = fn(FK_COMP, 2, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++) kK(f)[i] = va_arg(ap, K);
	va_end(ap);
	return f;
}
static K CFN(const char *name)
{
	K f = fn(FK_CFUNC, 1, 2);
	kK(f)[0] = I(0);
	kK(f)[1] = S(name);
	return f;
}
static K FMT(K x) { return verb_format(x); }
static K FORM(K x, K y) { return verb_form(x, y); }

/* ---- checking ---------------------------------------------------------- */

/* The console text of r (consumed) against `want`, or the error of a NULL
 * r against `err`; then the heap must be back at `base`. */
static void check_case(const char *kexpr, uint64_t base, K r, const char *want, const char *err)
{
	if (err) {
		ck_assert_msg(r == NULL, "%s: expected error %s", kexpr, err);
		ck_assert_msg(kc->err && !strcmp(kc->err, err), "%s: error %s, expected %s",
			kexpr, kc->err ? kc->err : "(none)", err);
		kerr_clear();
	} else {
		ck_assert_msg(r != NULL, "%s: error %s", kexpr, kc->err ? kc->err : "(none)");
		K s = k_show(r);
		ck_assert_ptr_nonnull(s);
		ck_assert_int_eq(s->t, -KT_CHAR);
		ck_assert_msg((size_t)s->n == strlen(want) && !memcmp(kC(s), want, s->n),
			"%s: shows\n%.*s\nKona shows\n%s", kexpr, (int)s->n, kC(s), want);
		ck_assert_int_eq(kC(s)[s->n], 0);
		K t = k_repr(r);
		ck_assert_msg(t && t->n == s->n && !memcmp(kC(t), kC(s), s->n), "%s: 5: differs", kexpr);
		cd(t);
		cd(s);
		cd(r);
	}
	ck_assert_msg(heap_in_use() == base, "%s: heap %llu, baseline %llu", kexpr,
		(unsigned long long)heap_in_use(), (unsigned long long)base);
}

#define EXPECT(kexpr, build, want) do { uint64_t base_ = heap_in_use(); \
	check_case(kexpr, base_, (build), want, NULL); } while (0)
#define EXPECT_ERR(kexpr, build, err) do { uint64_t base_ = heap_in_use(); \
	check_case(kexpr, base_, (build), NULL, err); } while (0)

/* ---- cases taken from Kona ----------------------------------------------- */

START_TEST(kona_atoms)
{
	EXPECT("1", I(1), "1");
	EXPECT("-42", I(-42), "-42");
	EXPECT("0N", I(KI_NULL), "0N");
	EXPECT("0I", I(KI_INF), "0I");
	EXPECT("-0I", I(-KI_INF), "-0I");
	EXPECT("1 2 3", IV(3, 1, 2, 3), "1 2 3");
	EXPECT("0N 0I -0I 5", IV(4, KI_NULL, KI_INF, -KI_INF, 5), "0N 0I -0I 5");
	EXPECT(",1", IV(1, 1), ",1");
	EXPECT("!0", IV(0), "!0");
	EXPECT("-9223372036854775807 1", IV(2, -9223372036854775807LL, 1), "-0I 1");
	EXPECT("1.5", F(1.5), "1.5");
	EXPECT("1.0", F(1.0), "1.0");
	EXPECT("-0.0", F(-0.0), "-0.0");
	EXPECT("0.1", F(0.1), "0.1");
	EXPECT("1e10", F(1e10), "1e+10");
	EXPECT("1e100", F(1e100), "1e+100");
	EXPECT("1.5e-10", F(1.5e-10), "1.5e-10");
	EXPECT("100000000.0", F(1e8), "1e+08");
	EXPECT("1234567.0", F(1234567.0), "1234567.0");
	EXPECT("12345678.0", F(12345678.0), "1.234568e+07");
	EXPECT("3.14159265358", F(3.14159265358), "3.141593");
	EXPECT("1e-5", F(1e-5), "1e-05");
	EXPECT("0.0001", F(0.0001), "0.0001");
	EXPECT("0n", F(KF_NULL), "0n");
	EXPECT("0i", F(KF_INF), "0i");
	EXPECT("-0i", F(-KF_INF), "-0i");
	EXPECT("1 2 3.5", FV(3, 1.0, 2.0, 3.5), "1 2 3.5");
	EXPECT("1 2 3.0", FV(3, 1.0, 2.0, 3.0), "1 2 3.0");
	EXPECT("1.5 2", FV(2, 1.5, 2.0), "1.5 2.0");
	EXPECT("2 1.5", FV(2, 2.0, 1.5), "2 1.5");
	EXPECT("1 0n", FV(2, 1.0, KF_NULL), "1 0n");
	EXPECT("0n 0i -0i", FV(3, KF_NULL, KF_INF, -KF_INF), "0n 0i -0i");
	EXPECT(",2.5", FV(1, 2.5), ",2.5");
	EXPECT(",2.0", FV(1, 2.0), ",2.0");
	EXPECT("0#0.0", FV(0), "0#0.0");
	EXPECT("0.5 -0.0", FV(2, 0.5, -0.0), "0.5 -0.0");
	EXPECT("\"a\"", CH('a'), "\"a\"");
	EXPECT("\"\\n\"", CH('\n'), "\"\\n\"");
	EXPECT("\"abc\"", STR("abc"), "\"abc\"");
	EXPECT(",\"a\"", STR("a"), ",\"a\"");
	EXPECT("\"\"", STR(""), "\"\"");
	EXPECT("\"a\\nb\\tc\\\"\\\\\"", STR("a\nb\tc\"\\"), "\"a\\nb\\tc\\\"\\\\\"");
	EXPECT("\"\\b\\r\"", STR("\b\r"), "\"\\b\\r\"");
	EXPECT("\"\\001\\377\"", STR("\001\377"), "\"\\001\\377\"");
	EXPECT("\"\\177\"", CH('\177'), "\"\\177\"");
	EXPECT("\"a\\000b\"", STRN("a\0b", 3), "\"a\\000b\"");
	EXPECT("`a", S("a"), "`a");
	EXPECT("`", S(""), "`");
	EXPECT("`\"a b\"", S("a b"), "`\"a b\"");
	EXPECT("`\"1a\"", S("1a"), "`\"1a\"");
	EXPECT("`a.b", S("a.b"), "`a.b");
	EXPECT("`.a", S(".a"), "`.a");
	EXPECT("`a_b1", S("a_b1"), "`a_b1");
	EXPECT("`a `b", SV(2, "a", "b"), "`a `b");
	EXPECT("`a `\"b c\" `d", SV(3, "a", "b c", "d"), "`a `\"b c\" `d");
	EXPECT(",`a", SV(1, "a"), ",`a");
	EXPECT("0#`", SV(0), "0#`");
	EXPECT("_n", N(), "");
}
END_TEST

START_TEST(kona_lists)
{
	EXPECT("(_n;1)", L(2, N(), I(1)), "(;1)");
	EXPECT("(1;`a;\"c\")", L(3, I(1), S("a"), CH('c')), "(1;`a;\"c\")");
	EXPECT("(1;\"ab\";`c)", L(3, I(1), STR("ab"), S("c")), "(1\n \"ab\"\n `c)");
	EXPECT("(1 2;3 4)", L(2, IV(2, 1, 2), IV(2, 3, 4)), "(1 2\n 3 4)");
	EXPECT("()", L(0), "()");
	EXPECT(",(1 2)", L(1, IV(2, 1, 2)), ",1 2");
	EXPECT(",,1", L(1, IV(1, 1)), ",,1");
	EXPECT("(,1;,2)", L(2, IV(1, 1), IV(1, 2)), "(,1\n ,2)");
	EXPECT("(1;())", L(2, I(1), L(0)), "(1;())");
	EXPECT("(();())", L(2, L(0), L(0)), "(();())");
	EXPECT("(1 2;())", L(2, IV(2, 1, 2), L(0)), "(1 2\n ())");
	EXPECT("(1;\"\")", L(2, I(1), STR("")), "(1\n \"\")");
	EXPECT("(1;!0)", L(2, I(1), IV(0)), "(1;!0)");
	EXPECT("(1;2.5)", L(2, I(1), F(2.5)), "(1;2.5)");
	EXPECT("(1;(2;3 4))", L(2, I(1), L(2, I(2), IV(2, 3, 4))), "(1\n (2\n  3 4))");
	EXPECT("((1 2;3 4);5)", L(2, L(2, IV(2, 1, 2), IV(2, 3, 4)), I(5)), "((1 2\n  3 4)\n 5)");
	EXPECT("(1;(`a;2))", L(2, I(1), L(2, S("a"), I(2))), "(1\n (`a;2))");
	EXPECT(",(1;2 3)", L(1, L(2, I(1), IV(2, 2, 3))), ",(1\n  2 3)");
	EXPECT("((1;`a);3)", L(2, L(2, I(1), S("a")), I(3)), "((1;`a)\n 3)");
	EXPECT("(,\"a\";\"b\")", L(2, STR("a"), CH('b')), "(,\"a\"\n \"b\")");
	EXPECT("(\"ab\";\"cd\")", L(2, STR("ab"), STR("cd")), "(\"ab\"\n \"cd\")");
	EXPECT("(`a`b;1)", L(2, SV(2, "a", "b"), I(1)), "(`a `b\n 1)");
	EXPECT("((`a;1);(`b;2))", L(2, L(2, S("a"), I(1)), L(2, S("b"), I(2))), "((`a;1)\n (`b;2))");
	EXPECT("(((1 2;3);4);5)", L(2, L(2, L(2, IV(2, 1, 2), I(3)), I(4)), I(5)), "(((1 2\n   3)\n  4)\n 5)");
	EXPECT(".((`a;1);(`b;2))", D(2, "a", I(1), "b", I(2)), ".((`a;1;)\n  (`b;2;))");
	EXPECT(".,(`a;1)", D(1, "a", I(1)), ".,(`a;1;)");
	EXPECT(".()", D(0), ".()");
	EXPECT(".((`a;1 2);(`b;(3;4)))", D(2, "a", IV(2, 1, 2), "b", IV(2, 3, 4)), ".((`a\n   1 2\n   )\n  (`b\n   3 4\n   ))");
	EXPECT("((`a;1;);2)", L(2, L(3, S("a"), I(1), N()), I(2)), "((`a;1;)\n 2)");
	EXPECT("(1;.((`a;1);(`b;2)))", L(2, I(1), D(2, "a", I(1), "b", I(2))), "(1\n .((`a;1;)\n   (`b;2;)))");
}
END_TEST

START_TEST(kona_functions)
{
	EXPECT("+", VERB('+'), "+");
	EXPECT("+:", VERB1('+'), "+:");
	EXPECT("!", VERB('!'), "!");
	EXPECT("0:", IOV(0), "0:");
	EXPECT("0::", IOV1(0), "0::");
	EXPECT("+/", DER(VERB('+'), AV_OVER), "+/");
	EXPECT("+\\", DER(VERB('+'), AV_SCAN), "+\\");
	EXPECT("+'", DER(VERB('+'), AV_EACH), "+'");
	EXPECT("+/:", DER(VERB('+'), AV_EACHRIGHT), "+/:");
	EXPECT("+\\:", DER(VERB('+'), AV_EACHLEFT), "+\\:");
	EXPECT("+':", DER(VERB('+'), AV_EACHPRIOR), "+':");
	EXPECT("+:/", DER(VERB1('+'), AV_OVER), "+:/");
	EXPECT("+/\\", DER(DER(VERB('+'), AV_OVER), AV_SCAN), "+/\\");
	EXPECT("{x}/", DER(LAM("{x}"), AV_OVER), "({x})/");
	EXPECT("(2+)/", DER(PROJ(VERB('+'), 2, I(2), NULL), AV_OVER), "(2+)/");
	EXPECT("{x+y}", LAM("{x+y}"), "{x+y}");
	EXPECT("{[a;b] a+b}", LAM("{[a;b] a+b}"), "{[a;b] a+b}");
	EXPECT("{x+y}[1]", PROJ(LAM("{x+y}"), 2, I(1), NULL), "{x+y}[1;]");
	EXPECT("{x+y+z}[;2]", PROJ(LAM("{x+y+z}"), 3, NULL, I(2), NULL), "{x+y+z}[;2;]");
	EXPECT("{x+y+z}[1;;3]", PROJ(LAM("{x+y+z}"), 3, I(1), NULL, I(3)), "{x+y+z}[1;;3]");
	EXPECT("{x+y}[1 2]", PROJ(LAM("{x+y}"), 2, IV(2, 1, 2), NULL), "{x+y}[1 2;]");
	EXPECT("{x+y}[(1 2;3 4)]", PROJ(LAM("{x+y}"), 2, L(2, IV(2, 1, 2), IV(2, 3, 4)), NULL), "{x+y}[(1 2\n   3 4);]");
	EXPECT("{x+y}[\"ab\"]", PROJ(LAM("{x+y}"), 2, STR("ab"), NULL), "{x+y}[\"ab\";]");
	EXPECT("+[;1]", PROJ(VERB('+'), 2, NULL, I(1)), "+[;1]");
	EXPECT("+/[1]", PROJ(DER(VERB('+'), AV_OVER), 2, I(1), NULL), "+/[1;]");
	EXPECT("(1+)", PROJ(VERB('+'), 2, I(1), NULL), "1+");
	EXPECT("(1 2+)", PROJ(VERB('+'), 2, IV(2, 1, 2), NULL), "1 2+");
	EXPECT("((1 2;3 4)+)", PROJ(VERB('+'), 2, L(2, IV(2, 1, 2), IV(2, 3, 4)), NULL), "(1 2\n  3 4)+");
	EXPECT("(-+)", COMP(2, VERB1('-'), VERB('+')), "-:+");
	EXPECT("(|-:)", COMP(2, VERB1('|'), VERB1('-')), "|:-:");
	EXPECT("(1+2*)", COMP(2, PROJ(VERB('+'), 2, I(1), NULL), PROJ(VERB('*'), 2, I(2), NULL)), "1+2*");
	EXPECT("({x}-)", COMP(2, LAM("{x}"), VERB('-')), "({x})-");
	EXPECT("(+/-)", COMP(2, DER(VERB('+'), AV_OVER), VERB('-')), "+/-");
	EXPECT("(-+/)", COMP(2, VERB1('-'), DER(VERB('+'), AV_OVER)), "-:+/");
	EXPECT("((-+)/)", DER(COMP(2, VERB1('-'), VERB('+')), AV_OVER), "(-:+)/");
	EXPECT("(-+)[1]", PROJ(COMP(2, VERB1('-'), VERB('+')), 2, I(1), NULL), "-:+[1;]");
	EXPECT("(1;{x})", L(2, I(1), LAM("{x}")), "(1;{x})");
	EXPECT("(+;-)", L(2, VERB('+'), VERB('-')), "(+;-)");
	EXPECT("(+/;{x})", L(2, DER(VERB('+'), AV_OVER), LAM("{x}")), "(+/;{x})");
}
END_TEST

START_TEST(kona_format)
{
	EXPECT("$1", FMT(I(1)), ",\"1\"");
	EXPECT("$-1", FMT(I(-1)), "\"-1\"");
	EXPECT("$ 0 9", FMT(IV(2, 0, 9)), "(,\"0\"\n ,\"9\")");
	EXPECT("$\"123\"", FMT(STR("123")), "\"123\"");
	EXPECT("$\"a\"", FMT(CH('a')), ",\"a\"");
	EXPECT("$`abc", FMT(S("abc")), "\"abc\"");
	EXPECT("$`\"a b\"", FMT(S("a b")), "\"a b\"");
	EXPECT("$`a`b", FMT(SV(2, "a", "b")), "(,\"a\"\n ,\"b\")");
	EXPECT("$1.0", FMT(F(1.0)), ",\"1\"");
	EXPECT("$1.5 2", FMT(FV(2, 1.5, 2.0)), "(\"1.5\"\n ,\"2\")");
	EXPECT("$1e20", FMT(F(1e20)), "\"1e+20\"");
	EXPECT("$1.2e-34", FMT(F(1.2e-34)), "\"1.2e-34\"");
	EXPECT("$_n", FMT(N()), "\"\"");
	EXPECT("$()", FMT(L(0)), "()");
	EXPECT("$!0", FMT(IV(0)), "()");
	EXPECT("$0#0.0", FMT(FV(0)), "()");
	EXPECT("$0#`", FMT(SV(0)), "()");
	EXPECT("$(!0;\"\")", FMT(L(2, IV(0), STR(""))), "(()\n \"\")");
	EXPECT("$(1;\"a\";`b;2.5;(3;\"cd\"))", FMT(L(5, I(1), CH('a'), S("b"), F(2.5), L(2, I(3), STR("cd")))), "(,\"1\"\n ,\"a\"\n ,\"b\"\n \"2.5\"\n (,\"3\"\n  \"cd\"))");
	EXPECT("$.((`a;1);(`b;2))", FMT(D(2, "a", I(1), "b", I(2))), "\".(..)\"");
	EXPECT("${x}", FMT(LAM("{x}")), "\"{x}\"");
	EXPECT("$(+/)", FMT(DER(VERB('+'), AV_OVER)), "\"+/\"");
	EXPECT("$(+/:)", FMT(DER(VERB('+'), AV_EACHRIGHT)), "\"+/:\"");
	EXPECT("$(+*)", FMT(COMP(2, VERB1('+'), VERB('*'))), "\"+*\"");
	EXPECT("$(-+)", FMT(COMP(2, VERB1('-'), VERB('+'))), "\"-+\"");
	EXPECT("$(|-:)", FMT(COMP(2, VERB1('|'), VERB1('-'))), "\"|-:\"");
	EXPECT("$(-:)", FMT(VERB1('-')), "\"-:\"");
	EXPECT("$(*)", FMT(VERB('*')), ",\"*\"");
}
END_TEST

START_TEST(kona_form)
{
	EXPECT("5$1", FORM(I(5), I(1)), "\"    1\"");
	EXPECT("-5$1", FORM(I(-5), I(1)), "\"1    \"");
	EXPECT("5$\"ab\"", FORM(I(5), STR("ab")), "\"   ab\"");
	EXPECT("5$`ab", FORM(I(5), S("ab")), "\"   ab\"");
	EXPECT("2$\"abc\"", FORM(I(2), STR("abc")), "\"**\"");
	EXPECT("-3$\"abcdef\"", FORM(I(-3), STR("abcdef")), "\"***\"");
	EXPECT("3$\"a\"", FORM(I(3), CH('a')), "\"  a\"");
	EXPECT("5$1.5", FORM(I(5), F(1.5)), "\"  1.5\"");
	EXPECT("5$1 2", FORM(I(5), IV(2, 1, 2)), "(\"    1\"\n \"    2\")");
	EXPECT("5$(1;\"ab\")", FORM(I(5), L(2, I(1), STR("ab"))), "(\"    1\"\n \"   ab\")");
	EXPECT("1 2$3", FORM(IV(2, 1, 2), I(3)), "(,\"3\"\n \" 3\")");
	EXPECT_ERR("1 2$3 4 5", FORM(IV(2, 1, 2), IV(3, 3, 4, 5)), "length");
	EXPECT("5$_n", FORM(I(5), N()), "\"     \"");
	EXPECT("5${x}", FORM(I(5), LAM("{x}")), "\"  {x}\"");
	EXPECT("2$2.345", FORM(I(2), F(2.345)), "\"**\"");
	EXPECT("7.2 $ 714", FORM(F(7.2), I(714)), "\" 714.00\"");
	EXPECT("-9.2 $ 714", FORM(F(-9.2), I(714)), "\"7.14e+02 \"");
	EXPECT("-2.3$3.14159", FORM(F(-2.3), F(3.14159)), "\"**\"");
	EXPECT("10.3$-3.14159", FORM(F(10.3), F(-3.14159)), "\"    -3.142\"");
	EXPECT("10.3$1 2", FORM(F(10.3), IV(2, 1, 2)), "(\"     1.000\"\n \"     2.000\")");
	EXPECT("5.0$1", FORM(F(5.0), I(1)), "\"    1\"");
	EXPECT("1.0$5", FORM(F(1.0), I(5)), ",\"5\"");
	EXPECT("0$\"27\"", FORM(I(0), STR("27")), "27");
	EXPECT("0$\"  12\"", FORM(I(0), STR("  12")), "12");
	EXPECT("0$\"12  \"", FORM(I(0), STR("12  ")), "12");
	EXPECT("0$\"-0I\"", FORM(I(0), STR("-0I")), "-0I");
	EXPECT("0$\"0N\"", FORM(I(0), STR("0N")), "0N");
	EXPECT("0$\"0I\"", FORM(I(0), STR("0I")), "0I");
	EXPECT("0$\"\"", FORM(I(0), STR("")), "0N");
	EXPECT("0$\" \"", FORM(I(0), STR(" ")), "0");
	EXPECT("0$\"7\"", FORM(I(0), CH('7')), "7");
	EXPECT("0$\"99999999999999999999\"", FORM(I(0), STR("99999999999999999999")), "0I");
	EXPECT("0.0$\"3.4\"", FORM(F(0.0), STR("3.4")), "3.4");
	EXPECT("0.0$\"1e5\"", FORM(F(0.0), STR("1e5")), "100000.0");
	EXPECT("0.0$\"0n\"", FORM(F(0.0), STR("0n")), "0n");
	EXPECT("0.0$\"0i\"", FORM(F(0.0), STR("0i")), "0i");
	EXPECT("0.0$\"\"", FORM(F(0.0), STR("")), "0n");
	EXPECT("`$\"abc\"", FORM(S(""), STR("abc")), "`abc");
	EXPECT("`$\"a b\"", FORM(S(""), STR("a b")), "`\"a b\"");
	EXPECT("`$\"\"", FORM(S(""), STR("")), "`");
	EXPECT("\" \"$\"ab\"", FORM(CH(' '), STR("ab")), "\"ab\"");
	EXPECT("\"ab\"$\"x\"", FORM(STR("ab"), CH('x')), ",\"x\"");
	EXPECT("0$(\"1\";\"22\")", FORM(I(0), L(2, STR("1"), STR("22"))), "1 22");
	EXPECT("(0;(0.0;`)) $ (\"23\";(\"23.4\";\"abc\"))", FORM(L(2, I(0), L(2, F(0.0), S(""))), L(2, STR("23"), L(2, STR("23.4"), STR("abc")))), "(23\n (23.4;`abc))");
	EXPECT("0 0$(\"1\";\"2 \")", FORM(IV(2, 0, 0), L(2, STR("1"), STR("2 "))), "1 2");
	EXPECT("(0;`)$(\"1\";\"ab\")", FORM(L(2, I(0), S("")), L(2, STR("1"), STR("ab"))), "(1;`ab)");
	EXPECT_ERR("0$0", FORM(I(0), I(0)), "type");
	EXPECT_ERR("0$`a", FORM(I(0), S("a")), "type");
	EXPECT_ERR("\"a\"$5", FORM(CH('a'), I(5)), "type");
	EXPECT_ERR("`$`a", FORM(S(""), S("a")), "type");
	EXPECT_ERR("0$1.5", FORM(I(0), F(1.5)), "type");
	EXPECT_ERR("0$(\"1\";2)", FORM(I(0), L(2, STR("1"), I(2))), "type");
	EXPECT("0.0$\" \"", FORM(F(0.0), STR(" ")), "0.0");
	EXPECT("0$\"+5\"", FORM(I(0), STR("+5")), "5");
	EXPECT("0$\"1 2\"", FORM(I(0), STR("1 2")), "1");
	EXPECT("0.0$\"  1.5  \"", FORM(F(0.0), STR("  1.5  ")), "1.5");
	EXPECT("0.0$\"inf\"", FORM(F(0.0), STR("inf")), "0i");
}
END_TEST

/* ---- beyond the table ------------------------------------------------------ */

/* \p: Kona's `\p 3` then `3.14159 2` and `1000.0`; `\p 0` is 19 digits. */
START_TEST(precision)
{
	KL->precision = 3;
	EXPECT("\\p 3; 3.14159 2", FV(2, 3.14159, 2.0), "3.14 2.0");
	EXPECT("\\p 3; 1000.0", F(1000.0), "1e+03");
	EXPECT("\\p 3; $3.14159", FMT(F(3.14159)), "\"3.14\"");
	KL->precision = 0;
	EXPECT("\\p 0; 1.123456789", F(1.123456789), "1.123456789000000011");
	KL->precision = 7;
}
END_TEST

/* Where krt departs from Kona on purpose: Kona's $ leaks C's text for the
 * special numbers ("nan", "-9223372036854775808"), prints nothing for a
 * C function, and gives no error when a string does not parse. */
START_TEST(beyond_kona)
{
	EXPECT("$0N", FMT(I(KI_NULL)), "\"0N\"");
	EXPECT("$-0I", FMT(I(-KI_INF)), "\"-0I\"");
	EXPECT("$0n", FMT(F(KF_NULL)), "\"0n\"");
	EXPECT("$-0i", FMT(F(-KF_INF)), "\"-0i\"");
	EXPECT("10.3$0n", FORM(F(10.3), F(KF_NULL)), "\"        0n\"");
	EXPECT("0.2$3.14159", FORM(F(0.2), F(3.14159)), "\"3.14\"");
	EXPECT_ERR("0$\"abc\"", FORM(I(0), STR("abc")), "domain");
	EXPECT_ERR("0$\"1.5\"", FORM(I(0), STR("1.5")), "domain");
	EXPECT_ERR("0.0$\"1.5x\"", FORM(F(0.0), STR("1.5x")), "domain");
	EXPECT_ERR("`a$\"x\"", FORM(S("a"), STR("x")), "type");
	EXPECT_ERR("0$_n", FORM(I(0), N()), "type");
	EXPECT(",`a$\"ab\"", FORM(L(1, S("")), STR("ab")), ",`ab");
	/* a C function shows its name */
	EXPECT("cfunc", CFN("cf"), "cf");
	/* an elided item shows as nothing */
	EXPECT("(;1)", L(2, NULL, I(1)), "(;1)");
}
END_TEST

START_TEST(system_function)
{
	uint64_t base = heap_in_use();
	K f = fn(FK_SYSFN, 0, 0);
	K s = k_show(f);
	ck_assert_ptr_nonnull(s);
	const char *name = sysfn_table[0].name;
	ck_assert_int_eq(s->n, (int64_t)strlen(name));
	ck_assert(!memcmp(kC(s), name, s->n));
	cd(s);
	cd(f);
	ck_assert_int_eq(heap_in_use(), base);
}
END_TEST

/* ,/$!100000 and the display of a long vector: fast, and exact. */
START_TEST(large)
{
	uint64_t base = heap_in_use();
	int64_t n = 100000;
	K x = k_new(-KT_INT, n);
	for (int64_t i = 0; i < n; i++) kI(x)[i] = i;
	clock_t t0 = clock();
	K s = k_show(x);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->n, 588889);     /* digits of 0..99999, plus spaces */
	ck_assert(!memcmp(kC(s) + s->n - 11, "99998 99999", 11));
	cd(s);
	K f = verb_format(ci(x));
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->t, KT_LIST);
	ck_assert_int_eq(f->n, n);
	ck_assert(kK(f)[12345]->n == 5 && !memcmp(kC(kK(f)[12345]), "12345", 5));
	cd(f);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	ck_assert_msg(secs < 0.5, "too slow: %g s", secs);
	cd(x);
	ck_assert_int_eq(heap_in_use(), base);
}
END_TEST

/* A value nested too deep for the C stack is refused, not a crash. */
START_TEST(too_deep)
{
	uint64_t base = heap_in_use();
	K x = I(1);
	for (int i = 0; i < 1000000; i++) x = L(1, x);
	K s = k_show(x);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(kc->err, "stack");
	kerr_clear();
	cd(x);
	x = I(1);
	for (int i = 0; i < 1000; i++) x = L(1, x);
	s = k_show(x);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->n, 1001);
	cd(s);
	cd(x);
	ck_assert_int_eq(heap_in_use(), base);
}
END_TEST

/* Every allocation of a display and of $ may fail: the result is NULL with
 * wsfull, and nothing leaks. */
START_TEST(out_of_memory)
{
	uint64_t base = heap_in_use();
	for (int which = 0; which < 3; which++) {
		int done = 0;
		for (uint64_t k = 1; !done && k < 1000; k++) {
			K x = L(3, IV(3, 1, 2, 3), STR("abc"), D(1, "a", FV(2, 1.5, 2.0)));
			K y = which == 2 ? IV(3, 5, -5, 2) : NULL;
			kp_fail_after(kc->heap, k);
			K r = which == 0 ? k_show(x) : which == 1 ? verb_format(ci(x)) : verb_form(y, ci(x));
			kp_fail_after(kc->heap, 0);
			if (r) done = 1;
			else ck_assert_str_eq(kc->err, "wsfull");
			kerr_clear();
			cd(r);
			cd(x);
			ck_assert_int_eq(heap_in_use(), base);
		}
		ck_assert(done);
	}
}
END_TEST

static Suite *format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("format");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, kona_atoms);
	tcase_add_test(tc, kona_lists);
	tcase_add_test(tc, kona_functions);
	tcase_add_test(tc, kona_format);
	tcase_add_test(tc, kona_form);
	tcase_add_test(tc, precision);
	tcase_add_test(tc, beyond_kona);
	tcase_add_test(tc, system_function);
	tcase_add_test(tc, large);
	tcase_add_test(tc, too_deep);
	tcase_add_test(tc, out_of_memory);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(format_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
