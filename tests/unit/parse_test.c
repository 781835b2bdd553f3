/* parse_test.c: the parser (lang/parse.c) through lang/node.h: parse()
 * and eval_top().
 *
 * Three kinds of case: the shape of the code a source compiles to, written
 * as an s-expression (see render below); the value of parse then eval_top,
 * compared with the value of a K literal; and parse errors with their
 * position.  Each case runs twice and the second run must leave the heap
 * where it found it (the first interns symbols and creates the globals a
 * lambda mentions, which live as long as the state); the fault cases fail
 * every allocation of a parse in turn. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include "../../runtime/heap.h"
#include "fixture.h"
#include "../../lang/node.h"


static uint64_t heap_in_use(void)
{
	kpool_stats s;
	kp_stats(kc->heap, &s);
	return s.in_use;
}

static void setup(void) { fx_open(1); }
static void teardown(void) { fx_close(); }

/* ---- code as text --------------------------------------------------------
 * A node is "(kind:u child ...)": u is shown as the verb for monad, dyad and
 * set's verb child, as the adverb for derive, as a number otherwise (and
 * left out when 0); a NULL child is "_"; a constant is shown as K prints it,
 * except a lambda, shown as (fn {source} code). */

static const char *const kind_name[] = {
	"local", "global", "monad", "dyad", "call", "apply1", "apply2", "derive",
	"list", "seq", "set", "cond", "if", "do", "while", "return", "self",
	"signal", "lambda", "closure", "compose",
};

static void put(char *buf, size_t cap, const char *s)
{
	size_t n = strlen(buf);
	snprintf(buf + n, cap - n, "%s", s);
}

static void render(K x, char *buf, size_t cap)
{
	char one[256];
	if (!x) { put(buf, cap, "_"); return; }
	if (x->t == KT_FUNC && x->a == FK_LAMBDA) {
		snprintf(one, sizeof one, "(fn %.*s ", (int)kK(x)[0]->n, kC(kK(x)[0]));
		put(buf, cap, one);
		render(kK(x)[1], buf, cap);
		put(buf, cap, ")");
		return;
	}
	if (x->t == KT_NULL) { put(buf, cap, "_n"); return; }
	if (x->t != KT_NODE) {
		K s = k_show(x);
		ck_assert_ptr_nonnull(s);
		snprintf(one, sizeof one, "%.*s", (int)s->n, kC(s));
		cd(s);
		put(buf, cap, one);
		return;
	}
	ck_assert_int_lt(x->a, sizeof kind_name / sizeof *kind_name);
	put(buf, cap, "(");
	put(buf, cap, kind_name[x->a]);
	if ((x->a == N_MONAD || x->a == N_DYAD) && x->u >= V_IO0)
		snprintf(one, sizeof one, ":%d:", x->u - V_IO0);
	else if (x->a == N_MONAD || x->a == N_DYAD)
		snprintf(one, sizeof one, ":%c", VERB_CHARS[x->u]);
	else if (x->a == N_DERIVE)
		snprintf(one, sizeof one, ":%s", adverb_names[x->u]);
	else if (x->u)
		snprintf(one, sizeof one, ":%d", x->u);
	else
		one[0] = 0;
	put(buf, cap, one);
	for (int64_t i = 0; i < x->n; i++) {
		put(buf, cap, " ");
		K c = kK(x)[i];
		if (x->a == N_LAMBDA && i == 0) {
			/* valence, slots, captures and their slots; not the places of
			 * the nodes (addresses) that follow */
			int64_t m = 3 + kI(c)[2];
			for (int64_t j = 0; j < m; j++) {
				snprintf(one, sizeof one, j ? " %lld" : "%lld", (long long)kI(c)[j]);
				put(buf, cap, one);
			}
			continue;
		}
		render(c, buf, cap);
	}
	put(buf, cap, ")");
}

/* The code of src must render as want (the top-level N_SEQ included). */
#define shape(src, want) shape_at(src, want, __LINE__)
static void shape_at(const char *src, const char *want, int line)
{
	int pos;
	K code = parse(src, (int64_t)strlen(src), &pos);
	ck_assert_msg(code != NULL, "line %d: parse of [%s] failed: %s at %d", line, src,
	              kc->err ? kc->err : "?", pos);
	cd(code);
	uint64_t before = heap_in_use();
	code = parse(src, (int64_t)strlen(src), &pos);
	ck_assert_ptr_nonnull(code);
	ck_assert_int_eq(code->t, KT_NODE);
	ck_assert_int_eq(code->a, N_SEQ);
	char buf[4096] = "";
	render(code, buf, sizeof buf);
	cd(code);
	ck_assert_msg(!strcmp(buf, want), "line %d: [%s] compiled to\n  %s\nwant\n  %s", line, src, buf, want);
	ck_assert_msg(heap_in_use() == before, "line %d: parse of [%s] leaked", line, src);
}

/* parse then eval_top; NULL on error (with kc->err). */
static K run(const char *src, int *assigned)
{
	int pos;
	K code = parse(src, (int64_t)strlen(src), &pos);
	if (!code) return NULL;
	K r = eval_top(code, assigned);
	cd(code);
	return r;
}

/* The value of src must match the value of the K source `want`. */
#define value(src, want) value_at(src, want, -1, __LINE__)
#define value_set(src, want, assigned) value_at(src, want, assigned, __LINE__)
static void value_at(const char *src, const char *want, int assigned, int line)
{
	int as = -1;
	K r = run(src, &as);
	ck_assert_msg(r != NULL, "line %d: [%s] failed: %s", line, src, kc->err ? kc->err : "?");
	cd(r);
	uint64_t before = heap_in_use();
	r = run(src, &as);
	ck_assert_ptr_nonnull(r);
	int was;
	K w = run(want, &was);
	ck_assert_msg(w != NULL, "line %d: the expected [%s] failed", line, want);
	int same = k_match(r, w);
	K rs = k_show(r), ws = k_show(w);
	ck_assert_msg(same, "line %d: [%s] gave %.*s, want %.*s", line, src, (int)rs->n, kC(rs),
	              (int)ws->n, kC(ws));
	cd(rs);
	cd(ws);
	cd(r);
	cd(w);
	if (assigned >= 0) ck_assert_msg(as == assigned, "line %d: [%s] assigned=%d", line, src, as);
	ck_assert_msg(heap_in_use() == before, "line %d: [%s] leaked", line, src);
}

/* src must fail to parse with error `err` at position at (-1: any). */
#define parse_error(src, err, at) parse_error_at(src, err, at, __LINE__)
static void parse_error_at(const char *src, const char *err, int at, int line)
{
	int pos = -7;
	kerr_clear();
	K code = parse(src, (int64_t)strlen(src), &pos);
	ck_assert_msg(code == NULL, "line %d: [%s] parsed", line, src);
	kerr_clear();
	uint64_t before = heap_in_use();
	code = parse(src, (int64_t)strlen(src), &pos);
	ck_assert_ptr_null(code);
	ck_assert_msg(kc->err && !strcmp(kc->err, err), "line %d: [%s] gave %s, want %s", line, src,
	              kc->err ? kc->err : "no error", err);
	if (at >= 0) ck_assert_msg(pos == at, "line %d: [%s] error at %d, want %d", line, src, pos, at);
	else ck_assert_msg(pos >= 0 && pos <= (int)strlen(src), "line %d: position %d", line, pos);
	kerr_clear();
	ck_assert_msg(heap_in_use() == before, "line %d: [%s] leaked on error", line, src);
}

/* src parses but running it fails with err. */
#define run_error(src, err) run_error_at(src, err, __LINE__)
static void run_error_at(const char *src, const char *err, int line)
{
	int as;
	kerr_clear();
	K r = run(src, &as);
	ck_assert_msg(r == NULL, "line %d: [%s] ran", line, src);
	kerr_clear();
	uint64_t before = heap_in_use();
	r = run(src, &as);
	ck_assert_ptr_null(r);
	ck_assert_msg(kc->err && !strcmp(kc->err, err), "line %d: [%s] gave %s, want %s", line, src,
	              kc->err ? kc->err : "no error", err);
	kerr_clear();
	ck_assert_msg(heap_in_use() == before, "line %d: [%s] leaked on error", line, src);
}

/* ---- shapes ----------------------------------------------------------- */

START_TEST(shape_literals_and_names)
{
	shape("1", "(seq 1)");
	shape("1 2 3", "(seq 1 2 3)");
	shape("-1", "(seq -1)");
	shape("\"ab\"", "(seq \"ab\")");
	shape("`a`b", "(seq `a `b)");
	shape("a", "(seq (global `a))");
	shape("a.b", "(seq (global `a.b))");
	shape("_n", "(seq _n)");
	shape("()", "(seq ())");
	shape("", "(seq _)");
	shape("1;2", "(seq 1 2)");
	shape("1;", "(seq 1 _)");
	shape("(1)", "(seq 1)");
	shape("((a))", "(seq (global `a))");
}
END_TEST

START_TEST(shape_verbs)
{
	shape("1+2", "(seq (dyad:+ 1 2))");
	shape("-a", "(seq (monad:- (global `a)))");
	shape("- 1", "(seq (monad:- 1))");
	shape("1-2", "(seq (dyad:- 1 2))");
	shape("a-1", "(seq (dyad:- (global `a) 1))");
	shape("1+2*3", "(seq (dyad:+ 1 (dyad:* 2 3)))");      /* right to left */
	shape("#!3", "(seq (monad:# (monad:! 3)))");
	shape("a,b,c", "(seq (dyad:, (global `a) (dyad:, (global `b) (global `c))))");
	shape("-:a", "(seq (monad:- (global `a)))");
	shape("-:", "(seq -:)");
	shape("+", "(seq +)");
	shape("(+)", "(seq +)");
	shape("1+", "(seq (call + 1 _))");                      /* a projection */
	shape("(-+)", "(seq (compose - +))");
	shape("0:a", "(seq (monad:0: (global `a)))");
	shape("`f 1:a", "(seq (dyad:1: `f (global `a)))");
}
END_TEST

START_TEST(shape_application)
{
	shape("f x", "(seq (apply1 (global `f) (global `x)))");
	shape("f g x", "(seq (apply1 (global `f) (apply1 (global `g) (global `x))))");
	shape("f[1]", "(seq (call (global `f) 1))");
	shape("f[1;2]", "(seq (call (global `f) 1 2))");
	shape("f[;2]", "(seq (call (global `f) _ 2))");
	shape("f[]", "(seq (call (global `f) _))");
	shape("f[1][2]", "(seq (call (call (global `f) 1) 2))");
	shape("a[1]+2", "(seq (dyad:+ (call (global `a) 1) 2))");
	shape("+[1;2]", "(seq (call + 1 2))");
	shape("(1;a)", "(seq (list 1 (global `a)))");
	shape("(1;)", "(seq (list 1 _))");
	shape("f@1", "(seq (dyad:@ (global `f) 1))");
}
END_TEST

START_TEST(shape_adverbs)
{
	shape("+/", "(seq +/)");
	shape("+/a", "(seq (apply1 +/ (global `a)))");
	shape("a+/b", "(seq (apply2 +/ (global `a) (global `b)))");
	shape("f'a", "(seq (apply1 (derive:' (global `f)) (global `a)))");
	shape(",/:", "(seq ,/:)");
	shape("+//", "(seq +//)");
	shape("a f/b", "(seq (apply2 (derive:/ (global `f)) (global `a) (global `b)))");
}
END_TEST

START_TEST(shape_assignment)
{
	shape("a:1", "(seq (set `a _n _ _ 1))");
	shape("a::1", "(seq (set `a _n _ _ 1))");
	shape("a[1]:2", "(seq (set:2 `a _n (list 1) _ 2))");
	shape("a+:1", "(seq (set:4 `a _n _ + 1))");
	shape("a[1;2],:3", "(seq (set:6 `a _n (list 1 2) , 3))");
	shape("a:b:1", "(seq (set `a _n _ _ (set `b _n _ _ 1)))");
	shape("a.b:1", "(seq (set `a.b _n _ _ 1))");
}
END_TEST

START_TEST(shape_control)
{
	shape(":[a;1;2]", "(seq (cond (global `a) 1 2))");
	shape("if[a;b]", "(seq (if (global `a) (global `b)))");
	shape("do[3;a;b]", "(seq (do 3 (global `a) (global `b)))");
	shape("while[a;b]", "(seq (while (global `a) (global `b)))");
	shape("'`e", "(seq (signal `e))");
}
END_TEST

START_TEST(shape_lambdas)
{
	shape("{x}", "(seq (fn {x} (lambda 1 1 0 ,`x (local `x))))");
	shape("{x+y}", "(seq (fn {x+y} (lambda 2 2 0 `x `y (dyad:+ (local `x) (local:1 `y)))))");
	shape("{z}", "(seq (fn {z} (lambda 3 3 0 `x `y `z (local:2 `z))))");
	shape("{1}", "(seq (fn {1} (lambda 0 0 0 0#` 1)))");
	shape("{[a;b] b}", "(seq (fn {[a;b] b} (lambda 2 2 0 `a `b (local:1 `b))))");
	shape("{a:x;a}", "(seq (fn {a:x;a} (lambda 1 2 0 `x `a (set `a 1 _ _ (local `x)) (local:1 `a))))");
	shape("{g}", "(seq (fn {g} (lambda 0 0 0 0#` (global `g))))");
	shape("{:x}", "(seq (fn {:x} (lambda 1 1 0 ,`x (return (local `x)))))");
	shape("{_f x}", "(seq (fn {_f x} (lambda 1 1 0 ,`x (apply1 (self) (local `x)))))");
	shape("{a::x}", "(seq (fn {a::x} (lambda 1 1 0 ,`x (set `a _n _ _ (local `x)))))");
	/* the x y of a nested lambda are its own: the outer one is niladic */
	shape("{{x+y}}", "(seq (fn {{x+y}} (lambda 0 0 0 0#` (fn {x+y} (lambda 2 2 0 `x `y (dyad:+ (local `x) (local:1 `y)))))))");
	/* a nested lambda that uses an enclosing local is a closure, made when
	 * the outer one runs, capturing the outer slot 0 */
	shape("{a:1;{a}}", "(seq (fn {a:1;{a}} (lambda 0 1 0 ,`a (set `a 0 _ _ 1) "
	                   "(closure (fn {a} (lambda 0 1 1 0 ,`a (local `a))) ,0))))");
}
END_TEST

/* ---- values ----------------------------------------------------------- */

START_TEST(values)
{
	value("1+2", "3");
	value("2*3+4", "14");
	value("-1 2", "-1 2");
	value("1 -2", "1 -2");
	value("1-2", "-1");
	value("1 - -2", "3");
	value("(1;2)", "1 2");
	value("(1;`a)", "(1;`a)");
	value("()", "()");
	value("(1 2;3)", "(1 2;3)");
	value("+/1 2 3", "6");
	value("1 2+/3 4", "1 2+3+4");
	value("{x*y}[3;4]", "12");
	value("{x}'1 2", "1 2");
	value("(1+) 2", "3");
	value("(-+)[1;2]", "-3");
	value("f:{x+1};f 2", "3");
	value("f:{x+1};f f 2", "4");
	value("a:1 2 3;a[1]", "2");
	value("a:1 2 3;a[1]:9;a", "1 9 3");
	value("a:1;a+:2;a", "3");
	value(":[0;1;2]", "2");
	value("a:0;do[4;a+:1];a", "4");
	value("a:1;while[a<50;a*:3];a", "81");
	value("a:0;if[1;a:7];a", "7");
	value("{:x+1;99} 1", "2");
	value("{a:x;{a+x}'1 2} 10", "11 12");
	value("{:[x<2;1;x*_f x-1]} 5", "120");
	value("1;2;3", "3");
	value("\"a\",\"b\"", "\"ab\"");
	value("`a`b", "`a`b");
	value("_n", "_n");
	value("q.r:5;q.r", "5");
	value("x:1\ny:2\nx+y", "3");
	value("(1\n2)", "1 2");
	value("f:{[a;b]\na*b}\nf[6;7]", "42");
}
END_TEST

START_TEST(assigned_flag)
{
	value_set("s1:1", "1", 1);
	value_set("s2:1;s2", "1", 0);
	value_set("1+1", "2", 0);
	value_set("s3:!3;s3[0]:5", "5", 1);
	value_set("s4:2;s4+:1", "3", 1);
}
END_TEST

START_TEST(errors_at_parse)
{
	parse_error("1+)", "parse", 2);
	parse_error(")", "parse", 0);
	parse_error("(1", "parse", -1);
	parse_error("(1;2", "parse", -1);
	parse_error("f[1;2", "parse", -1);
	parse_error("]", "parse", 0);
	parse_error("{x", "parse", 0);
	parse_error("}", "parse", 0);
	parse_error("1 2)", "parse", 3);
	parse_error("\"abc", "parse", 0);
	parse_error("{[a;1] a}", "parse", 4);
	parse_error("_zz 1", "reserved", 0);
	parse_error("_zz:1", "parse", 0);
	parse_error("1\x01", "parse", 1);
}
END_TEST

START_TEST(errors_at_run)
{
	run_error("1+`a", "type");
	run_error("1 2+1 2 3", "length");
	run_error("undefined_thing", "value");
	run_error("{x+y}[1;2;3]", "valence");
	run_error("a:1 2 3;a[5]:1", "index");
	run_error("'`boom", "boom");
	run_error("{x+`a}'1 2", "type");
	run_error("f:{x+`a};f 1", "type");
}
END_TEST

START_TEST(deep_and_long)
{
	/* a long chain evaluated right to left: 2000 links work in any build;
	 * 20000 work in Kona and in an optimised krt, and may end in a clean
	 * stack error where frames are big (-O0, sanitizers) */
	int as;
	K r;
	char *s;
	size_t n;
	for (int big = 0; big < 2; big++) {
		n = big ? 20000 : 2000;
		s = malloc(2 * n + 2);
		ck_assert_ptr_nonnull(s);
		for (size_t i = 0; i < n; i++) { s[2 * i] = '1'; s[2 * i + 1] = '+'; }
		s[2 * n] = '1';
		s[2 * n + 1] = 0;
		kerr_clear();
		r = run(s, &as);
		if (big && !r) {
			ck_assert_str_eq(kc->err, "stack");
			kerr_clear();
		} else {
			ck_assert_msg(r != NULL, "long chain of %zu: %s", n, kc->err ? kc->err : "?");
			ck_assert_int_eq(r->t, KT_INT);
			ck_assert_int_eq(kI(r)[0], (int64_t)n + 1);
			cd(r);
		}
		free(s);
	}
	/* deep nesting fails cleanly (or works), never crashes */
	uint64_t before = heap_in_use();
	n = 200000;
	s = malloc(2 * n + 2);
	ck_assert_ptr_nonnull(s);
	memset(s, '(', n);
	s[n] = '1';
	memset(s + n + 1, ')', n);
	s[2 * n + 1] = 0;
	kerr_clear();
	r = run(s, &as);
	if (r) { ck_assert_int_eq(kI(r)[0], 1); cd(r); }
	else ck_assert_ptr_nonnull(kc->err);
	kerr_clear();
	memset(s, '{', n);
	memset(s + n + 1, '}', n);
	r = run(s, &as);
	cd(r);
	kerr_clear();
	free(s);
	ck_assert_uint_eq(heap_in_use(), before);
	/* many statements */
	n = 5000;
	s = malloc(4 * n + 2);
	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < n; i++) memcpy(s + 4 * i, "a:1;", 4);
	strcpy(s + 4 * n, "a");
	r = run(s, &as);
	ck_assert_ptr_nonnull(r);
	cd(r);
	free(s);
}
END_TEST

/* Every allocation of a parse fails in turn: NULL, never a crash or leak. */
static void all_failures(const char *src)
{
	int pos;
	K code = parse(src, (int64_t)strlen(src), &pos);   /* warm up */
	ck_assert_ptr_nonnull(code);
	cd(code);
	uint64_t before = heap_in_use();
	for (uint64_t k = 1;; k++) {
		kp_fail_after(kc->heap, k);
		code = parse(src, (int64_t)strlen(src), &pos);
		kp_fail_after(kc->heap, 0);
		if (code) { cd(code); break; }
		ck_assert_msg(kc->err != NULL, "[%s]: failure %llu set no error", src, (unsigned long long)k);
		kerr_clear();
		ck_assert_msg(heap_in_use() == before, "[%s]: leak at failure %llu", src, (unsigned long long)k);
		ck_assert_msg(k < 100000, "no end");
	}
	ck_assert_uint_eq(heap_in_use(), before);
}

/* The same for parse and run together; src must change no global, so that
 * a run that fails half way leaves the state as the warm-up left it. */
static void all_failures_run(const char *src)
{
	int as;
	K r = run(src, &as);      /* warm up */
	ck_assert_ptr_nonnull(r);
	cd(r);
	uint64_t before = heap_in_use();
	for (uint64_t k = 1;; k++) {
		kp_fail_after(kc->heap, k);
		r = run(src, &as);
		kp_fail_after(kc->heap, 0);
		if (r) { cd(r); break; }
		kerr_clear();
		ck_assert_msg(heap_in_use() == before, "[%s]: leak at failure %llu", src, (unsigned long long)k);
		ck_assert_msg(k < 100000, "no end");
	}
	ck_assert_uint_eq(heap_in_use(), before);
}

START_TEST(faults)
{
	all_failures("1+2*3");
	all_failures("f[1;;`a]:{[p;q] r:p,q;:r}[1 2;\"ab\"]");
	all_failures("{a:x;{a+y}'[1 2;3 4]}/1 2 3");
	all_failures(":[a;b;c];if[1;2];do[3;a+:1];while[0;1]");
	all_failures("(1;(2;(3;(4;(5;6)))));+/,/'x");
	all_failures_run("{x*x}'1 2 3");
	all_failures_run("{a:!10;a[2]:`x;a}[]");     /* no global changes: a failed */
	all_failures_run("@[!3;0;:;1.5]");            /* run leaves the state as it was */
	all_failures_run("{a:x;{a+x}'1 2} 10");
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("parse");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, shape_literals_and_names);
	tcase_add_test(tc, shape_verbs);
	tcase_add_test(tc, shape_application);
	tcase_add_test(tc, shape_adverbs);
	tcase_add_test(tc, shape_assignment);
	tcase_add_test(tc, shape_control);
	tcase_add_test(tc, shape_lambdas);
	tcase_add_test(tc, values);
	tcase_add_test(tc, assigned_flag);
	tcase_add_test(tc, errors_at_parse);
	tcase_add_test(tc, errors_at_run);
	tcase_add_test(tc, deep_and_long);
	tcase_add_test(tc, faults);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
