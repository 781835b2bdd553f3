/* break_test.c: a break (Ctrl-C) reaches into every long primitive.  Each
 * statement below runs on 2^20 items or more (g holds them in 1024 lists:
 * the fuzzer's `=` hashed 3 * 10^9 nested ints without a poll), first
 * counting the polls it makes (through the test hook of k_break_after): a
 * primitive that polls once per block of work makes about one poll per
 * K_POLL_BLOCK items, so a loop that forgot to poll shows as too few.  Then it is broken at its
 * first, middle and last polls: each must fail with "break", leave the
 * heap where it was, and the next statement must run. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fixture.h"
#include "../../lang/lang.h"

#define N "1048576"          /* 16 blocks of K_POLL_BLOCK */

static const char *const setup =
	"x:" N " _draw 1000000000; y:" N " _draw 1000; f:" N " _draw 0; s:" N "#`a`b`c;"
	" l:" N "#(1;`a); t:" N "#\"abc\"; g:1024#(!1024;1+!1024)";

static const struct { const char *src; int polls; } cases[] = {
	{ "!" N, 16 }, { N "#1 2", 16 }, { N "#1", 16 }, { "<x", 16 }, { ">x", 16 },
	{ "<y", 16 }, { "<f", 16 }, { "<s", 1 }, { "<l", 16 }, { "=x", 16 },
	{ "=y", 16 }, { "?x", 16 }, { "$x", 16 }, { "$f", 16 }, { "x,x", 16 },
	{ "x,y", 16 }, { N " _draw 10", 16 }, { N " _draw 0", 16 },
	{ N " _draw -" N, 16 }, { N "?10", 16 }, { "&" N "#1", 16 },
	{ "&,2*" N, 16 }, { "x+x", 15 }, { "x<y", 15 }, { "-x", 15 }, { "|x", 16 },
	{ "|l", 16 }, { "5:x", 16 }, { "4 _ x", 16 }, { "x[!" N "]", 0 },
	{ "t,t", 4 }, { "=g", 16 }, { "?g", 16 },
	{ "!8 7 7451", 16 }, { "1!l", 16 }, { "=11!!8 7 7451", 16 },
};

/* Run src with the hook armed at n (0: counting only, and src must run
 * through); the polls made, and whether it failed with "break". */
static uint64_t run(const char *src, uint64_t n, int *broke)
{
	uint64_t start = n ? n : UINT64_MAX / 2;
	k_break_after(start);
	kerr_clear();
	K r = eval_string(src, (int64_t)strlen(src));
	uint64_t left = kc->break_countdown;
	*broke = !r && kc->err == k_break_mark;
	ck_assert_msg(r || n, "%s: %s error", src, kc->err);
	k_break_after(0);
	cd(r);
	kerr_clear();
	return start - left;
}

START_TEST(breaks_reach_into_primitives)
{
	const char *src = cases[_i].src;
	char out[64];
	fx_open(1);
	fx_run(setup, out, sizeof out);
	fx_baseline();
	int broke;
	uint64_t polls = run(src, 0, &broke);
	ck_assert_msg(!broke, "%s broke with no break", src);
	ck_assert_msg(polls >= (uint64_t)cases[_i].polls, "%s: %llu polls", src, (unsigned long long)polls);
	ck_assert_uint_eq(fx_in_use(), fx_in_base());
	uint64_t at[] = { 1, polls / 2, polls };
	for (int k = 0; k < 3; k++) {
		if (!at[k]) continue;
		run(src, at[k], &broke);
		ck_assert_msg(broke, "%s: no break at poll %llu of %llu", src,
		              (unsigned long long)at[k], (unsigned long long)polls);
		ck_assert_uint_eq(fx_in_use(), fx_in_base());
		fx_run("{x+1}1", out, sizeof out);
		ck_assert_str_eq(out, "2");
	}
	fx_close();
}
END_TEST

/* Loops that never end by themselves (the program asked for them) still
 * poll: a break ends each, and nothing leaks.  An index walk that cycles
 * without meeting its start hung the fuzzer before it polled. */
START_TEST(breaks_endless_loops)
{
	static const char *const loops[] = {
		"1 2 0 0/3", "{1+x}/0", "while[1;]", "do[0I;]",
		"{1}{x+1}/0", "0I{x+1}/0",
	};
	char out[64];
	fx_open(1);
	fx_baseline();
	for (size_t i = 0; i < sizeof loops / sizeof *loops; i++) {
		int broke;
		run(loops[i], 100000, &broke);
		ck_assert_msg(broke, "%s: not broken", loops[i]);
		ck_assert_uint_eq(fx_in_use(), fx_in_base());
	}
	/* 6.8 * 10^11 shared items: the text of 5: breaks at its third poll,
	 * and the rest of the value is not walked (the fuzzer's hang) */
	int broke;
	fx_run("a:10404#130 1010 8#130 1010 8#1806; 0", out, sizeof out);
	fx_baseline();
	run("5:a", 3, &broke);
	ck_assert(broke);
	ck_assert_uint_eq(fx_in_use(), fx_in_base());
	fx_run("{x+1}1", out, sizeof out);
	ck_assert_str_eq(out, "2");
	fx_close();
}
END_TEST

/* A break that came while nothing ran is dropped when a statement starts;
 * one that comes between two statements of a script stops it. */
START_TEST(breaks_between_statements)
{
	K r = NULL;
	fx_open(1);
	kc->interrupt = 1;
	ck_assert_int_eq(lang_exec("1+1", 3, &r), LX_OK);
	ck_assert_int_eq(kI(r)[0], 2);
	cd(r);
	FILE *f = fopen("break_test.k", "w");
	ck_assert_ptr_nonnull(f);
	fputs("a:1\nb:2\n", f);
	fclose(f);
	int line;
	k_break_after(2);                /* the poll before the second statement */
	ck_assert_int_eq(lang_load("break_test.k", &line, NULL, 0, 0), LX_ERROR);
	ck_assert_ptr_eq(kc->err, k_break_mark);
	k_break_after(0);
	remove("break_test.k");
	char out[64];
	fx_run("a", out, sizeof out);
	ck_assert_str_eq(out, "1");
	fx_run("b", out, sizeof out);
	ck_assert_str_eq(out, "!value");
	fx_close();
}
END_TEST

static Suite *break_suite(void)
{
	Suite *s = suite_create("break");
	TCase *t = tcase_create("polls");
	tcase_add_test(t, breaks_endless_loops);
	tcase_set_timeout(t, 600);
	tcase_add_loop_test(t, breaks_reach_into_primitives, 0, (int)(sizeof cases / sizeof *cases));
	tcase_add_test(t, breaks_between_statements);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(break_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
