/* lex_test.c: the K lexer, lang/lex.re through its API in lang/lex.h.
 *
 * Most cases lex a source and compare the token stream, written compactly
 * (see render below), with what K reads there: numbers side by side make
 * one vector, '-' is a sign or minus by context, strings unescape, symbols
 * side by side make a vector, comments vanish, newlines separate.  Each
 * case is lexed twice and the second run must leave the heap where it
 * found it (the first interns the symbols, which live as long as the
 * context); the fault cases fail every allocation of a lex in turn. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include "../../runtime/heap.h"
#include "fixture.h"
#include "../../lang/lex.h"


static uint64_t heap_in_use(void)
{
	kpool_stats s;
	kp_stats(kc->heap, &s);
	return s.in_use;
}

static void setup(void) { fx_open(1); }
static void teardown(void) { fx_close(); }

/* ---- the token stream as text ----------------------------------------
 *   N<value as K prints it>   a literal          A<name>   a name
 *   V<verb>  (V+: with colon, V0: an I/O verb)    D<adverb>
 *   ( ) [ ] { }   brackets    ;   a ';'            NL   a newline
 * separated by one blank; TK_END is checked and not shown. */

static void append(char *buf, size_t cap, const char *s)
{
	size_t n = strlen(buf);
	snprintf(buf + n, cap - n, "%s%s", n ? " " : "", s);
}

static void render(const ktoks *ts, char *buf, size_t cap)
{
	buf[0] = 0;
	for (int i = 0; i < ts->n; i++) {
		const ktok *t = &ts->t[i];
		char one[512];
		switch (t->type) {
		case TK_END:
			ck_assert_int_eq(i, ts->n - 1);
			continue;
		case TK_NOUN: {
			K s = k_show(t->v);
			ck_assert_ptr_nonnull(s);
			snprintf(one, sizeof one, "N%.*s", (int)s->n, kC(s));
			cd(s);
			break;
		}
		case TK_NAME: snprintf(one, sizeof one, "A%s", t->s); break;
		case TK_VERB:
			if (t->id >= V_IO0) snprintf(one, sizeof one, "V%d:", t->id - V_IO0);
			else snprintf(one, sizeof one, "V%c%s", VERB_CHARS[t->id], t->colon ? ":" : "");
			break;
		case TK_ADVERB: snprintf(one, sizeof one, "D%s", adverb_names[t->id]); break;
		case TK_LP: strcpy(one, "("); break;
		case TK_RP: strcpy(one, ")"); break;
		case TK_LB: strcpy(one, "["); break;
		case TK_RB: strcpy(one, "]"); break;
		case TK_LC: strcpy(one, "{"); break;
		case TK_RC: strcpy(one, "}"); break;
		case TK_SEMI: strcpy(one, t->id == 1 ? "NL" : ";"); break;
		default: snprintf(one, sizeof one, "?%d", t->type);
		}
		append(buf, cap, one);
	}
	ck_assert_int_eq(ts->t[ts->n - 1].type, TK_END);
}

/* Lex src (its whole length, which may hold NULs before the end). */
static int lex_n(const char *src, size_t n, ktoks *ts, int *errpos)
{
	char *copy = malloc(n + 1);     /* lex wants src[n] == 0 */
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, src, n);
	copy[n] = 0;
	int r = lex(copy, (int64_t)n, ts, errpos);
	free(copy);        /* the tokens must not point into the source */
	return r;
}

#define toks(src, want) toks_n(src, strlen(src), want, __LINE__)
static void toks_n(const char *src, size_t n, const char *want, int line)
{
	ktoks ts;
	int pos = -7;
	ck_assert_msg(lex_n(src, n, &ts, &pos) == 0, "line %d: lex of [%s] failed: %s at %d",
	              line, src, kc->err ? kc->err : "?", pos);
	lex_free(&ts);
	uint64_t before = heap_in_use();
	ck_assert_int_eq(lex_n(src, n, &ts, &pos), 0);
	char buf[4096];
	render(&ts, buf, sizeof buf);
	lex_free(&ts);
	ck_assert_msg(!strcmp(buf, want), "line %d: [%s] lexed as [%s], want [%s]", line, src, buf, want);
	ck_assert_msg(heap_in_use() == before, "line %d: [%s] leaked", line, src);
	ck_assert_ptr_null(ts.store);
}

/* src must fail with a parse error at position `at` (-1: anywhere). */
#define bad(src, at) bad_n(src, strlen(src), at, __LINE__)
static void bad_n(const char *src, size_t n, int at, int line)
{
	ktoks ts;
	int pos = -7;
	uint64_t before = heap_in_use();
	kerr_clear();
	ck_assert_msg(lex_n(src, n, &ts, &pos) == -1, "line %d: [%s] lexed", line, src);
	ck_assert_msg(kc->err && !strcmp(kc->err, "parse"), "line %d: [%s] gave error %s",
	              line, src, kc->err ? kc->err : "none");
	if (at >= 0) ck_assert_msg(pos == at, "line %d: [%s] error at %d, want %d", line, src, pos, at);
	else ck_assert_msg(pos >= 0 && pos <= (int)n, "line %d: error position %d", line, pos);
	kerr_clear();
	ck_assert_msg(heap_in_use() == before, "line %d: [%s] leaked on error", line, src);
}

/* The single token of src (a literal), for checks on its value. */
static K lone_noun(const char *src)
{
	ktoks ts;
	int pos;
	ck_assert_int_eq(lex(src, (int64_t)strlen(src), &ts, &pos), 0);
	ck_assert_int_eq(ts.n, 2);
	ck_assert_int_eq(ts.t[0].type, TK_NOUN);
	K v = ci(ts.t[0].v);
	lex_free(&ts);
	return v;
}

/* ---- cases -------------------------------------------------------------- */

START_TEST(empty_and_blank)
{
	toks("", "");
	toks("   ", "");
	toks("\t \r", "");
	toks("\n", "");
	toks("\n\n\n", "");
	toks(" \n \n", "");
}
END_TEST

START_TEST(integers)
{
	toks("0", "N0");
	toks("42", "N42");
	toks("007", "N7");
	toks("1 2 3", "N1 2 3");
	toks("1   2\t3", "N1 2 3");
	toks("9223372036854775807", "N0I");
	toks("-9223372036854775807", "N-0I");
	K v = lone_noun("123456789012");
	ck_assert_int_eq(v->t, KT_INT);
	ck_assert_int_eq(kI(v)[0], 123456789012LL);
	cd(v);
	v = lone_noun("1 2 3");
	ck_assert_int_eq(v->t, -1);
	ck_assert_int_eq(v->n, 3);
	cd(v);
}
END_TEST

START_TEST(floats)
{
	toks("1.5", "N1.5");
	toks("1.0", "N1.0");
	toks("1.", "N1.0");
	toks(".5", "N0.5");
	toks("1e3", "N1000.0");
	toks("1E3", "N1000.0");
	toks("1.5e2", "N150.0");
	toks("2e-1", "N0.2");
	toks("1e+2", "N100.0");
	toks("1 2.5", "N1 2.5");
	toks("2.5 1", "N2.5 1.0");
	toks("1 2 3.0", "N1 2 3.0");
	K v = lone_noun("0.1");
	ck_assert_int_eq(v->t, KT_FLOAT);
	ck_assert(kF(v)[0] == 0.1);
	cd(v);
}
END_TEST

START_TEST(special_numbers)
{
	toks("0N", "N0N");
	toks("0I", "N0I");
	toks("-0I", "N-0I");
	toks("0n", "N0n");
	toks("0i", "N0i");
	toks("-0i", "N-0i");
	toks("1 0N 3", "N1 0N 3");
	toks("0n 1", "N0n 1.0");
	toks("0N 1.5", "N0n 1.5");
	toks("0I -0I", "N0I -0I");
	K v = lone_noun("0N");
	ck_assert_int_eq(v->t, KT_INT);
	ck_assert(kI(v)[0] == KI_NULL);
	cd(v);
	v = lone_noun("0n");
	ck_assert_int_eq(v->t, KT_FLOAT);
	ck_assert(kF(v)[0] != kF(v)[0]);
	cd(v);
	v = lone_noun("-0i");
	ck_assert(kF(v)[0] == -KF_INF);
	cd(v);
}
END_TEST

START_TEST(negative_numbers_and_minus)
{
	toks("-1", "N-1");
	toks("-1.5", "N-1.5");
	toks("-.5", "N-0.5");
	toks("-1 2", "N-1 2");
	toks("1 -2 3", "N1 -2 3");
	toks("1 -2", "N1 -2");
	toks("1-2", "N1 V- N2");
	toks("1 - 2", "N1 V- N2");
	toks("1- 2", "N1 V- N2");
	toks("a-1", "Aa V- N1");
	toks("a -1", "Aa N-1");       /* a applied to -1, as in Kona */
	toks("a - 1", "Aa V- N1");
	toks("x[0]-1", "Ax [ N0 ] V- N1");
	toks("(1)-1", "( N1 ) V- N1");
	toks("{x}-1", "{ Ax } V- N1");
	toks("- 1", "V- N1");
	toks("--1", "V- N-1");
	toks("- -1", "V- N-1");
	toks("+-1", "V+ N-1");
	toks("2*-1", "N2 V* N-1");
	toks("(-1)", "( N-1 )");
	toks("[-1]", "[ N-1 ]");
	toks(";-1", "; N-1");
	toks("-a", "V- Aa");
	toks("1 2-3", "N1 2 V- N3");
	toks("\"a\"-1", "N\"a\" V- N1");
	toks("`a-1", "N`a V- N1");
}
END_TEST

START_TEST(strings)
{
	toks("\"abc\"", "N\"abc\"");
	toks("\"a\"", "N\"a\"");
	toks("\"\"", "N\"\"");
	toks("\"a b\"", "N\"a b\"");
	toks("\"a\" \"b\"", "N\"a\" N\"b\"");
	toks("\"ab\",\"cd\"", "N\"ab\" V, N\"cd\"");
	toks("\"/ not a comment\"", "N\"/ not a comment\"");
	toks("\"(\"", "N\"(\"");
	K v = lone_noun("\"a\"");
	ck_assert_int_eq(v->t, KT_CHAR);
	ck_assert_int_eq(kC(v)[0], 'a');
	cd(v);
	v = lone_noun("\"\"");
	ck_assert_int_eq(v->t, -3);
	ck_assert_int_eq(v->n, 0);
	cd(v);
}
END_TEST

START_TEST(string_escapes)
{
	K v = lone_noun("\"a\\nb\\tc\\rd\\be\"");
	ck_assert_int_eq(v->t, -3);
	ck_assert_int_eq(v->n, 9);
	ck_assert(!memcmp(kC(v), "a\nb\tc\rd\be", 9));
	ck_assert_int_eq(kC(v)[9], 0);      /* NUL after a char vector */
	cd(v);
	v = lone_noun("\"q\\\"q\"");
	ck_assert_int_eq(v->n, 3);
	ck_assert(!memcmp(kC(v), "q\"q", 3));
	cd(v);
	v = lone_noun("\"\\\\\"");          /* one backslash: a char atom */
	ck_assert_int_eq(v->t, KT_CHAR);
	ck_assert_int_eq(kC(v)[0], '\\');
	cd(v);
	v = lone_noun("\"\\101\\1017\"");     /* octal: at most 3 digits */
	ck_assert_int_eq(v->n, 3);
	ck_assert(!memcmp(kC(v), "AA7", 3));
	cd(v);
	v = lone_noun("\"\\0\"");
	ck_assert_int_eq(v->t, KT_CHAR);
	ck_assert_int_eq(kC(v)[0], 0);
	cd(v);
	toks("\"a\\\"\"", "N\"a\\\"\"");
	toks("\"\\n\"", "N\"\\n\"");
}
END_TEST

START_TEST(symbols)
{
	toks("`a", "N`a");
	toks("`abc", "N`abc");
	toks("`", "N`");
	toks("`a`b`c", "N`a `b `c");
	toks("`a `b", "N`a `b");
	toks("`a.b", "N`a.b");
	toks("`.k.x", "N`.k.x");
	toks("`a_1", "N`a_1");
	toks("``a", "N` `a");
	toks("`\"a b\"", "N`\"a b\"");
	toks("`\"x\"`y", "N`x `y");
	toks("`a,`b", "N`a V, N`b");
	toks("`a 1", "N`a N1");
	K v = lone_noun("`a`b");
	ck_assert_int_eq(v->t, -4);
	ck_assert_int_eq(v->n, 2);
	ck_assert_ptr_eq(kS(v)[0], sym_c("a"));
	cd(v);
	v = lone_noun("`\"a\\nb\"");
	ck_assert_int_eq(v->t, KT_SYM);
	ck_assert_ptr_eq(kS(v)[0], sym_c("a\nb"));
	cd(v);
}
END_TEST

START_TEST(names)
{
	toks("a", "Aa");
	toks("abc1", "Aabc1");
	toks("a_b", "Aa_b");
	toks("a.b.c", "Aa.b.c");
	toks(".k", "A.k");
	toks(".k.x", "A.k.x");
	toks("_f", "A_f");
	toks("_ci", "A_ci");
	toks("a b", "Aa Ab");
	toks("a1 2", "Aa1 N2");
	toks("f[x;y]", "Af [ Ax ; Ay ]");
	toks("x.y[1]", "Ax.y [ N1 ]");
	ktoks ts;
	int pos;
	ck_assert_int_eq(lex("abc", 3, &ts, &pos), 0);
	ck_assert_ptr_eq(ts.t[0].s, sym_c("abc"));    /* interned */
	lex_free(&ts);
}
END_TEST

START_TEST(verbs)
{
	toks("+-*%|&^!<>=~@?#_,$.", "V+ V- V* V% V| V& V^ V! V< V> V= V~ V@ V? V# V_ V, V$ V.");
	toks(": .:", "V: V.:");
	toks("+:", "V+:");
	toks("a+:1", "Aa V+: N1");
	toks("a::1", "Aa V:: N1");
	toks("a:1", "Aa V: N1");
	toks("#:'x", "V#: D' Ax");
	toks("0:", "V0:");
	toks("6:", "V6:");
	toks("`f 1:x", "N`f V1: Ax");
	toks("4:x", "V4: Ax");
	toks("7:", "N7 V:");           /* only 0: .. 6: are I/O verbs */
	toks("1 2:3", "N1 2 V: N3");
	toks(":[1;2;3]", "V: [ N1 ; N2 ; N3 ]");
	toks("a _ b", "Aa V_ Ab");
	toks("1_x", "N1 A_x");         /* _x is a (reserved) name */
}
END_TEST

START_TEST(adverbs)
{
	toks("+/", "V+ D/");
	toks("+\\", "V+ D\\");
	toks("f'", "Af D'");
	toks(",/:", "V, D/:");
	toks(",\\:", "V, D\\:");
	toks("-':", "V- D':");
	toks("+/1 2", "V+ D/ N1 2");
	toks("1 2+/3", "N1 2 V+ D/ N3");
	toks("{x}'1 2", "{ Ax } D' N1 2");
	toks("+//", "V+ D/ D/");
	toks("'x", "D' Ax");
	toks("x/y", "Ax D/ Ay");
	toks("(+)/1", "( V+ ) D/ N1");
}
END_TEST

START_TEST(punctuation)
{
	toks("()", "( )");
	toks("(1;2)", "( N1 ; N2 )");
	toks("[;]", "[ ; ]");
	toks("{}", "{ }");
	toks("{[a;b] a}", "{ [ Aa ; Ab ] Aa }");
	toks(";;", "; ;");
	ktoks ts;
	int pos;
	/* the space flag: blank just before the token */
	ck_assert_int_eq(lex("a [1] b", 7, &ts, &pos), 0);
	ck_assert_int_eq(ts.t[0].space, 0);
	ck_assert_int_eq(ts.t[1].space, 1);
	ck_assert_int_eq(ts.t[2].space, 0);
	ck_assert_int_eq(ts.t[4].space, 1);
	lex_free(&ts);
}
END_TEST

START_TEST(comments)
{
	toks("/ a comment", "");
	toks("/a comment", "");
	toks("1 / comment", "N1");
	toks("1 /comment", "N1");
	toks("1\t/ tab", "N1");
	toks("+/1 2 / sum", "V+ D/ N1 2");
	toks("1/2", "N1 D/ N2");          /* no blank before: an adverb */
	toks("1\n/ c\n2", "N1 NL NL N2");       /* the comment's line ends too */
	toks("\"a / b\" / c", "N\"a / b\"");
	toks("a / c\nb", "Aa NL Ab");
	/* a line holding only '/' is a comment line (as Kona: no block) */
	toks("1\n/\n2", "N1 NL NL N2");
}
END_TEST

START_TEST(newlines)
{
	/* as Kona: a newline is a ';', dropped only at the ends and after {
	 * or {[args] */
	toks("1\n2", "N1 NL N2");
	toks("1\n\n2", "N1 NL NL N2");
	toks("1;\n2", "N1 ; NL N2");
	toks("1\n;2", "N1 NL ; N2");
	toks("\n1\n", "N1");
	toks("(1\n2)", "( N1 NL N2 )");
	toks("(\n1\n)", "( NL N1 NL )");
	toks("[\n1\n]", "[ NL N1 NL ]");
	toks("{\nx\n}", "{ Ax NL }");
	toks("{[a]\nx}", "{ [ Aa ] Ax }");
	toks("f[1\n2]", "Af [ N1 NL N2 ]");
	toks("1\r\n2", "N1 NL N2");
	toks("a:1\nb:2", "Aa V: N1 NL Ab V: N2");
}
END_TEST

START_TEST(positions)
{
	ktoks ts;
	int pos;
	const char *s = "ab+ 12 34 `c`d \"xy\"";
	ck_assert_int_eq(lex(s, (int64_t)strlen(s), &ts, &pos), 0);
	ck_assert_int_eq(ts.n, 6);
	int want[][2] = { {0, 2}, {2, 1}, {4, 5}, {10, 4}, {15, 4} };
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(ts.t[i].pos, want[i][0]);
		ck_assert_int_eq(ts.t[i].len, want[i][1]);
	}
	ck_assert_int_eq(ts.t[5].pos, (int)strlen(s));
	lex_free(&ts);
}
END_TEST

START_TEST(long_literals)
{
	/* more numbers than the lexer's first buffer holds */
	char src[2000] = "";
	for (int i = 0; i < 300; i++) snprintf(src + strlen(src), sizeof src - strlen(src), "%d ", i);
	K v = lone_noun(src);
	ck_assert_int_eq(v->t, -1);
	ck_assert_int_eq(v->n, 300);
	for (int i = 0; i < 300; i++) ck_assert_int_eq(kI(v)[i], i);
	cd(v);
	strcat(src, "0.5");
	v = lone_noun(src);
	ck_assert_int_eq(v->t, -2);
	ck_assert_int_eq(v->n, 301);
	ck_assert(kF(v)[299] == 299.0 && kF(v)[300] == 0.5);
	cd(v);
	char syms[1200] = "";
	for (int i = 0; i < 200; i++) snprintf(syms + strlen(syms), sizeof syms - strlen(syms), "`s%d", i);
	v = lone_noun(syms);
	ck_assert_int_eq(v->t, -4);
	ck_assert_int_eq(v->n, 200);
	ck_assert_ptr_eq(kS(v)[199], sym_c("s199"));
	cd(v);
	char str[3000];
	str[0] = '"';
	memset(str + 1, 'x', 2500);
	strcpy(str + 2501, "\"");
	v = lone_noun(str);
	ck_assert_int_eq(v->n, 2500);
	cd(v);
	/* many tokens */
	char many[4000] = "";
	for (int i = 0; i < 500; i++) strcat(many, "a+");
	strcat(many, "1");
	ktoks ts;
	int pos;
	ck_assert_int_eq(lex(many, (int64_t)strlen(many), &ts, &pos), 0);
	ck_assert_int_eq(ts.n, 1002);
	lex_free(&ts);
}
END_TEST

START_TEST(errors)
{
	bad("\"abc", 0);
	bad("1 \"abc", 2);
	bad("\"a\\\"", 0);            /* the escaped quote does not close */
	bad("`\"ab", 1);
	bad("1+\001", 2);
	bad("a\x80", 1);
	bad("1 2 \x7f", 4);
	bad_n("1\0002", 3, 1, __LINE__);   /* a NUL inside the source */
}
END_TEST

/* Every allocation of a lex fails in turn: -1, never a crash or a leak. */
static void all_failures(const char *src)
{
	ktoks ts;
	int pos;
	ck_assert_int_eq(lex(src, (int64_t)strlen(src), &ts, &pos), 0);   /* warm up */
	lex_free(&ts);
	uint64_t before = heap_in_use();
	for (uint64_t k = 1;; k++) {
		kp_fail_after(kc->heap, k);
		int r = lex(src, (int64_t)strlen(src), &ts, &pos);
		kp_fail_after(kc->heap, 0);
		if (r == 0) { lex_free(&ts); break; }
		ck_assert_msg(kc->err != NULL, "[%s]: failure %llu set no error", src, (unsigned long long)k);
		kerr_clear();
		ck_assert_msg(heap_in_use() == before, "[%s]: leak at failure %llu", src, (unsigned long long)k);
		ck_assert_msg(k < 100000, "no end");
	}
	ck_assert_uint_eq(heap_in_use(), before);
}

START_TEST(faults)
{
	all_failures("1 2 3+4");
	all_failures("a:\"str\\n\",`s`t;f[x]/'-1.5 2");
	all_failures("`a`b`c`d`e`f`g`h`i`j`k`l`m`n`o`p`q`r");
	all_failures("0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 2.5");
	all_failures("{x}\n/ c\n(1\n2)");
}
END_TEST

static Suite *lex_suite(void)
{
	Suite *s = suite_create("lex");
	TCase *tc = tcase_create("lex");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, empty_and_blank);
	tcase_add_test(tc, integers);
	tcase_add_test(tc, floats);
	tcase_add_test(tc, special_numbers);
	tcase_add_test(tc, negative_numbers_and_minus);
	tcase_add_test(tc, strings);
	tcase_add_test(tc, string_escapes);
	tcase_add_test(tc, symbols);
	tcase_add_test(tc, names);
	tcase_add_test(tc, verbs);
	tcase_add_test(tc, adverbs);
	tcase_add_test(tc, punctuation);
	tcase_add_test(tc, comments);
	tcase_add_test(tc, newlines);
	tcase_add_test(tc, positions);
	tcase_add_test(tc, long_literals);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, faults);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lex_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
