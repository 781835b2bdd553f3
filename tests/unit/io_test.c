/* io_test.c: the I/O verbs 0: 1: 2: 5: 6: (lang/io.c, lang/io_text.c,
 * lang/io_bin.c), run as K source in a fresh language state inside a fresh
 * temporary directory; binary files are read, never mapped.
 *
 * Besides the values, every test checks that nothing is left behind: the
 * heap back at its baseline, no file descriptor left open (the entries of
 * /proc/self/fd), and no mapping of a file of the temporary directory
 * (the lines of /proc/self/maps naming it).  Expected texts are Kona's
 * display of the same expression, except where a comment says otherwise. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fixture.h"
#include "../../runtime/heap.h"
#include "../../runtime/heap_priv.h"
#include "../../lang/lang.h"

static kctx *ctx;
static uint64_t baseline;
static char dir[64];
static char home[4096];
static int fds0;

static uint64_t heap_in_use(void)
{
	kpool_stats s;
	kp_stats(kc->heap, &s);
	return s.in_use;
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	ck_assert_ptr_nonnull(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));) n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;                    /* the directory stream's own */
}

/* Mappings of files in the temporary directory. */
static int dir_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	ck_assert_ptr_nonnull(f);
	char line[4096];
	int n = 0;
	while (fgets(line, sizeof line, f)) n += strstr(line, dir) != NULL;
	fclose(f);
	return n;
}

static void setup(void)
{
	ctx = kctx_open();
	ck_assert_ptr_nonnull(ctx);
	kc = ctx;
	ck_assert_int_eq(lang_open(), 0);
	ck_assert_ptr_nonnull(getcwd(home, sizeof home));
	strcpy(dir, "/tmp/krt-io-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
	fds0 = open_fds();
	baseline = heap_in_use();
}

static int remove_entry(const char *p, const struct stat *s, int flag, struct FTW *w)
{
	(void)s; (void)flag; (void)w;
	return remove(p);
}

static void teardown(void)
{
	kerr_clear();
	ck_assert_int_eq(open_fds(), fds0);
	ck_assert_int_eq(dir_maps(), 0);
	lang_close();
	kpool *h = ctx->heap;
	kctx_close(ctx);
	ck_assert_uint_eq(kp_close(h, 1), 0);
	kc = NULL;
	ck_assert_int_eq(chdir(home), 0);
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

#define run fx_run

typedef struct { const char *src, *want; } kcase;

/* Each case runs twice: the second run must leave the heap, the open files
 * and the mappings where it found them (the first may intern symbols). */
static void check_cases(const kcase *c, size_t n)
{
	char got[4096];
	for (size_t i = 0; i < n; i++) {
		run(c[i].src, got, sizeof got);
		ck_assert_msg(!strcmp(got, c[i].want), "%s: expected %s, got %s", c[i].src, c[i].want, got);
		uint64_t before = heap_in_use();
		run(c[i].src, got, sizeof got);
		ck_assert_msg(!strcmp(got, c[i].want), "%s (again): expected %s, got %s", c[i].src, c[i].want, got);
		ck_assert_msg(heap_in_use() == before, "%s leaks %lld bytes", c[i].src,
		              (long long)(heap_in_use() - before));
		ck_assert_msg(open_fds() == fds0, "%s leaves a file open", c[i].src);
		ck_assert_msg(dir_maps() == 0, "%s leaves a file mapped", c[i].src);
	}
}
#define CHECK(cases) check_cases(cases, sizeof cases / sizeof cases[0])

/* Write bytes given in hex to a file. */
static void put_hex(const char *path, const char *hex)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	int used;
	for (unsigned v; sscanf(hex, " %2x%n", &v, &used) == 1; hex += used) fputc((int)v, f);
	fclose(f);
}

static void put_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	fclose(f);
}

static size_t get_bytes(const char *path, void *p, size_t cap)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(p, 1, cap, f);
	fclose(f);
	return n;
}

/* ---- 0: and 6: ------------------------------------------------------------ */

START_TEST(text_lines)
{
	static const kcase c[] = {
		{ "`t 0: (\"ab\";\"cde\")", "" },
		{ "0:`t", "(\"ab\"\n \"cde\")" },
		{ "0:\"t\"", "(\"ab\"\n \"cde\")" },
		{ "6:`t", "\"ab\\ncde\\n\"" },
		{ "`t 0: \"xyz\"; 0:`t", ",\"xyz\"" },
		{ "`t 0: ,\"x\"; 0:`t", ",,\"x\"" },
		{ "`t 0: (\"a\";\"\";!0;\"b\"); 0:`t", "(,\"a\"\n \"\"\n \"\"\n ,\"b\")" },
		{ "`t 0: (); 0:`t", "()" },             /* Kona: Invalid argument */
		{ "`t 6: \"a\\nb\"; 0:`t", "(,\"a\"\n ,\"b\")" },
		{ "`t 6: \"a\\n\\n\"; 0:`t", "(,\"a\"\n \"\")" },
	};
	CHECK(c);
}
END_TEST

START_TEST(bytes)
{
	static const kcase c[] = {
		{ "`t 6: \"hello\"; 6:`t", "\"hello\"" },
		{ "`t 6: \"a\\000b\"; 6:`t", "\"a\\000b\"" },
		{ "`t 6: \"x\"; 6:`t", ",\"x\"" },
		{ "`t 6: \"x\"; 4: 6:`t", "-3" },
		{ "`t 6: \"\"; 6:`t", "\"\"" },
		/* (,f) 6: appends: Kona means to but leaves the file alone */
		{ "`tt 6: \"hello\"; (,`tt) 6: \" world\"; 6:`tt", "\"hello world\"" },
		{ "`tt 6: \"hello\"; (,\"tt\") 6: \"!\"; 6:`tt", "\"hello!\"" },
		{ "`new 6: \"\"; (,`new) 6: \"abc\"; 6:`new", "\"abc\"" },
		{ "`t 6: \"abcdefgh\"; \"c\" 1: `t", "\"abcdefgh\"" },
		{ "`t 6: \"abcdefgh\"; \"i\" 1: `t", ",7523094288207667809" },
		{ "`t 6: \"abcdefghi\"; \"i\" 1: `t", "7523094288207667809 105" },
		{ "`t 1: 1.5 2.5; 4 _ \"d\" 1: `t.K", "1.5 2.5" },
	};
	CHECK(c);
}
END_TEST

/* ` 0: and ` 6: write to standard output, in order with stdio. */
START_TEST(console)
{
	fflush(stdout);
	int saved = dup(1);
	int fd = open("out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	dup2(fd, 1);
	close(fd);
	char got[256];
	printf("<");
	run("` 0: (\"hello\";\"world\")", got, sizeof got);
	ck_assert_str_eq(got, "");
	run("` 6: \"raw\"", got, sizeof got);
	run("\"\" 0: \"!\"", got, sizeof got);
	printf(">");
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	char buf[256] = { 0 };
	get_bytes("out", buf, sizeof buf - 1);
	ck_assert_str_eq(buf, "<hello\nworld\nraw!>");
}
END_TEST

/* ---- 0: fields -------------------------------------------------------------- */

START_TEST(text_fields)
{
	put_bytes("fw", "abc 12 3.5\nde  34 4.25\nxyz 5x 1e3\n", 35);
	put_bytes("csv", "a,1,2.5,xx\nbb,22,3,y\n", 21);
	put_bytes("hcsv", "name,num,val\na,1,2.5\n\nbb,22,3\n", 30);
	put_bytes("nonl", "a,1\nbb,2", 8);
	put_bytes("short", "a\nbb,2,3,4\n", 11);
	static const kcase c[] = {
		{ "(\"SIF\";4 3 4)0:`fw", "(,`\"de  \"\n ,34\n ,4.25)" },
		{ "(\"CIF\";4 3 4)0:`fw", "(,\"de  \"\n ,34\n ,4.25)" },
		{ "(\"S F\";4 3 4)0:`fw", "(,`\"de  \"\n ,4.25)" },
		{ "(\"SIF\";3 3 4)0:`fw", "(`abc `xyz\n 12 0N\n 3.5 1000.0)" },
		{ "(\"SIF\";4 3 4)0:`csv", "(0#`;!0;0#0.0)" },
		{ "(\"SIF\";3 3 4)0:(`fw;11;22)", "(,`xyz\n ,0N\n ,1000.0)" },   /* Kona: Invalid argument */
		{ "(\"SIF\";3 3 4)0:(`fw;0;11)", "(,`abc\n ,12\n ,3.5)" },      /* Kona drops the row without its newline */
		{ "(\"SIFC\";\",\")0:`csv", "(`a `bb\n 1 22\n 2.5 3.0\n (\"xx\"\n  ,\"y\"))" },
		{ "(\"S FC\";\",\")0:`csv", "(`a `bb\n 2.5 3.0\n (\"xx\"\n  ,\"y\"))" },
		{ "(\"SIF\";,\",\")0:`hcsv", "(`name `num `val\n (`a `bb\n  1 22\n  2.5 3.0))" },
		{ "(\"SI\";\",\")0:`nonl", "(`a `bb\n 1 2)" },
		{ "(\"SI\";\",\")0:\"nonl\"", "(`a `bb\n 1 2)" },
		/* missing fields: null (Kona leaves garbage); extra ones ignored */
		{ "(\"SIF\";\",\")0:`short", "(`a `bb\n 0N 2\n 0n 3.0)" },
		{ "(\"S\";\"  \")0:`csv", "(,`\"a,1,2.5,xx\"\n ,,`\"bb,22,3,y\")" },
		{ "(,\"I\";\",\")0:`csv", ",0N 0N" },
		{ "(\"SIX\";4 3 4)0:`fw", "!type" },
		{ "(\"SI\";4 3 4)0:`fw", "!length" },
		{ "(\"SIF\";4 3 0)0:`fw", "!length" },
		{ "(\"SI\";`a)0:`fw", "!type" },
		{ "(`a;4)0:`fw", "!type" },
		{ "(\"SIF\";4 3 4;1)0:`fw", "!length" },
		{ "(\"SIF\";\",\")0:`nofile", "!domain" },
		{ "(\"SIF\";\",\")0:(`csv;0)", "!length" },
		{ "(\"SIF\";\",\")0:(`csv;`a;1)", "!type" },
	};
	CHECK(c);
}
END_TEST

START_TEST(records)
{
	put_bytes("t", "abcd\n\nx\n", 8);
	static const kcase c[] = {
		{ "(\"cc\";1 1)1:`t", "(\"ac\\nx\"\n \"bd\\n\\n\")" },
		{ "(\"cC\";1 2)1:`t", "(\"ad\"\n (\"bc\"\n  \"\\n\\n\"))" },
		{ "(\"ccc\";1 1 1)1:(`t;1;4)", "(,\"b\"\n ,\"c\"\n ,\"d\")" },
		{ "(\"S\";4)1:`t", ",`abcd `\"\n\nx\n\"" },
		{ "(\"i\";4)1:`t", ",1684234849 175639050" },
		{ "(\"s\";2)1:`t", ",25185 25699 2570 2680" },
		{ "(\"b c\";1 2 1)1:`t", "(97 10\n \"d\\n\")" },
		{ "(\"i\";2)1:`t", "!length" },
		{ "(\"I\";4)1:`t", "!nonce" },          /* Kona: garbage */
		{ "(\"x\";4)1:`t", "!type" },
		{ "`t 1: 1.5 -2.0; (\"d\";8)1:(`t.K;32;16)", ",1.5 -2.0" },
	};
	CHECK(c);
}
END_TEST

/* ---- 1: 2: 5: ----------------------------------------------------------------- */

START_TEST(binary)
{
	static const kcase c[] = {
		{ "`t 1: 1 2 3; 1:`t", "1 2 3" },
		{ "`t 1: 1 2 3; 2:`t", "1 2 3" },
		{ "`t 1: 1 2 3; 1:`t.K", "1 2 3" },
		{ "`t.K 1: 1 2 3; 1:\"t\"", "1 2 3" },
		{ "`t 1: 1 2 3; 6:`t.K", "\"\\375\\377\\377\\377\\377\\377\\377\\377\\001\\000\\000\\000\\000\\000\\000\\000"
		  "\\377\\377\\377\\377\\377\\377\\377\\377\\003\\000\\000\\000\\000\\000\\000\\000\\001\\000\\000\\000\\000\\000"
		  "\\000\\000\\002\\000\\000\\000\\000\\000\\000\\000\\003\\000\\000\\000\\000\\000\\000\\000\"" },
		{ "`t 1: (1;`a;\"abc\";2.5;`a`bc;_n;\"x\";`abcdefghijk;!0;0#`); 1:`t",
		  "(1\n `a\n \"abc\"\n 2.5\n `a `bc\n \n \"x\"\n `abcdefghijk\n !0\n 0#`)" },
		{ "`t 1: .((`a;1);(`b;2 3)); 1:`t", ".((`a;1;)\n  (`b\n   2 3\n   ))" },
		{ "`t 1: 42; 1:`t", "42" },
		{ "`t 1: \"\"; 1:`t", "\"\"" },
		{ "`t 1: (); 1:`t", "()" },
		{ "`t 1: 1 2; `t 1: 3; 1:`t", "3" },
		{ "`t 1: {x}", "!nonce" },
		{ "`t 1: (1;{x})", "!nonce" },
		{ "`u 1: (1;{x})", "!nonce" },
		{ "1:`u", "!domain" },                  /* nothing written */
		/* 5: appends */
		{ "`t 1: 1 2; `t 5: 3 4", "4" },
		{ "`t 1: 1 2; `t 5: 3 4; 1:`t", "1 2 3 4" },
		{ "`t 1: 1 2; `t 5: !0; 1:`t", "1 2" },
		{ "`t 1: \"abc\"; `t 5: \"de\"; 1:`t", "\"abcde\"" },            /* Kona: "abc\000\000" */
		{ "`t 1: \"abcdefg\"; `t 5: ,\"h\"; `t 5: \"ijklmnopq\"; 1:`t", "\"abcdefghijklmnopq\"" },
		{ "`t 1: `a`bc; `t 5: `def`g; 1:`t", "`a `bc `def `g" },         /* Kona: `a `bc ` ` */
		{ "`t 1: (1;`a); `t 5: (\"x\";2 3); 1:`t", "(1\n `a\n \"x\"\n 2 3)" },
		{ "`t 1: .,(`a;1); `t 5: .,(`b;2); 1:`t", ".((`a;1;)\n  (`b;2;))" },
		{ "`t 1: 1 2; `t 3: 3", "!type" },
		{ "`t 1: 1 2; `t 3: ,3; 1:`t", "1 2 3" },
		{ "`t 1: 1 2; `t 5: 3", "!type" },
		{ "`t 1: 1 2; `t 5: 1.5 2", "!type" },
		{ "`t 1: 1 2; `t 5: 3 4; `t 5: ,3.5; 1:`t", "!type" },
		{ "`t 1: (1;2.5); `t 5: ,{x}", "!nonce" },
		/* not supported */
		{ "`t 2: (`f;1)", "!nonce" },
		/* handles (lang/net_*.c; end to end in tests/e2e/net_test.py) */
		{ "3: 1", "!handle" },
		{ "x:1; x 4: \"x\"", "!handle" },
		{ "x:1; x 3: \"x\"", "!handle" },
		{ "3: \"x\"", "!type" },
		{ "3: (`\"127.0.0.1\";70000)", "!domain" },
	};
	CHECK(c);
	char got[256];
	run("`new 5: 1 2", got, sizeof got);     /* no file yet: written as by 1: */
	ck_assert_str_eq(got, "");                  /* _n shows as nothing */
	run("`new 5: 3; 1:`new", got, sizeof got);
	ck_assert_str_eq(got, "!type");
	run("`new 3: ,3; 1:`new", got, sizeof got);
	ck_assert_str_eq(got, "1 2 3");
}
END_TEST

/* Files that Kona wrote (bytes taken from Kona: `a 1: 1 2 3 and
 * `b 1: (1;`ab;"xyz";2.5 3.5)) read in krt, and krt writes them the same. */
START_TEST(kona_files)
{
	static const char a[] =
		"fd ff ff ff ff ff ff ff 01 00 00 00 00 00 00 00 ff ff ff ff ff ff ff ff 03 00 00 00 00 00 00 00 "
		"01 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 03 00 00 00 00 00 00 00";
	static const char b[] =
		"fd ff ff ff ff ff ff ff 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00 "
		"fd ff ff ff ff ff ff ff 01 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 "
		"fd ff ff ff ff ff ff ff 01 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00 61 62 00 00 00 00 00 00 "
		"fd ff ff ff ff ff ff ff 01 00 00 00 00 00 00 00 fd ff ff ff ff ff ff ff 03 00 00 00 00 00 00 00 "
		"78 79 7a 00 00 00 00 00 fd ff ff ff ff ff ff ff 01 00 00 00 00 00 00 00 fe ff ff ff ff ff ff ff "
		"02 00 00 00 00 00 00 00 00 00 00 00 00 00 04 40 00 00 00 00 00 00 0c 40";
	put_hex("a.K", a);
	put_hex("b.K", b);
	static const kcase c[] = {
		{ "1:`a", "1 2 3" },
		{ "1:`b", "(1\n `ab\n \"xyz\"\n 2.5 3.5)" },
		{ "`a2 1: 1:`a; `b2 1: 1:`b; (6:`a.K; 6:`b.K) ~ (6:`a2.K; 6:`b2.K)", "1" },
	};
	CHECK(c);
}
END_TEST

/* 1: reads a private copy of the file into the heap, never a mapping:
 * the value's bytes are counted in use, no file of the directory is
 * mapped while it lives, and once read the value stays as it was when the
 * file is truncated, extended or rewritten in place behind krt's back.  A
 * file cut short before 1: reads it is an error, not a crash. */
START_TEST(read_private)
{
	char got[4096];
	run("`big 1: !100000; `bigf 1: 0.5*!100000; `bigc 1: 100000#\"abcdefg\"", got, sizeof got);
	ck_assert_str_eq(got, "");
	static const kcase c[] = {
		{ "+/1:`big", "4999950000" },
		{ "(1:`bigf)~0.5*!100000", "1" },
		{ "(1:`bigc)~100000#\"abcdefg\"", "1" },
		{ "4:1:`bigc", "-3" },
		{ "{b:1:`big; b[0]:10; 3#b}[]", "10 1 2" },           /* a private copy */
		{ "{b:1:`big; b[0]:10; 3#1:`big}[]", "0 1 2" },      /* the file unchanged */
		{ "{b:1:`big; b,:7; (#b; -2#b)}[]", "(100001\n 99999 7)" },
		{ "{b:1:`big; `big 1: !5; (3#b; 1:`big)}[]", "(0 1 2\n 0 1 2 3 4)" },
		{ "{`big 1: !100000; b:1:`big; `big 5: 1 2; (#b; #1:`big)}[]", "100000 100002" },
	};
	CHECK(c);
	run("`big 1: !100000", got, sizeof got);
	uint64_t used = heap_in_use();
	K x = eval_string("1:`big", 6);
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_gt(heap_in_use(), used + 800000);     /* the data are the heap's */
	ck_assert_int_eq(dir_maps(), 0);
	/* behind krt's back: truncated, extended, rewritten in place */
	ck_assert_int_eq(truncate("big.K", 100), 0);
	ck_assert_int_eq(kI(x)[99999], 99999);
	ck_assert_int_eq(truncate("big.K", 2000000), 0);
	int fd = open("big.K", O_WRONLY);
	ck_assert_int_ge(fd, 0);
	char junk[4096];
	memset(junk, 0x55, sizeof junk);
	ck_assert_int_eq(pwrite(fd, junk, sizeof junk, 0), (ssize_t)sizeof junk);
	close(fd);
	int64_t sum = 0;
	for (int64_t i = 0; i < x->n; i++) sum += kI(x)[i];
	ck_assert_int_eq(sum, 4999950000);
	cd(x);
	ck_assert_uint_eq(heap_in_use(), used);
	/* a file cut short, or its header gone: errors */
	run("`big 1: !100000", got, sizeof got);
	ck_assert_int_eq(truncate("big.K", 4000), 0);
	run("1:`big", got, sizeof got);
	ck_assert_str_eq(got, "!length");
	ck_assert_int_eq(truncate("big.K", 0), 0);
	run("1:`big", got, sizeof got);
	ck_assert_str_eq(got, "!length");
	ck_assert_int_eq(truncate("big.K", 100000), 0);
	run("2:`big", got, sizeof got);
	ck_assert_str_eq(got, "!type");
}
END_TEST

/* ---- what goes wrong -------------------------------------------------------------- */

START_TEST(errors)
{
	ck_assert_int_eq(mkdir("d", 0755), 0);
	ck_assert_int_eq(mkdir("d.K", 0755), 0);
	put_bytes("short.K", "abc", 3);
	put_bytes("junk.K", "abcdefghabcdefghabcdefghabcdefgh", 32);
	static const kcase c[] = {
		{ "0:`nofile", "!domain" },
		{ "0:\"nofile\"", "!domain" },
		{ "1:`nofile", "!domain" },
		{ "2:`nofile", "!domain" },
		{ "6:`nofile", "!domain" },
		{ "\"c\" 1: `nofile", "!domain" },
		{ "0:`d", "!domain" },
		{ "6:`d", "!domain" },
		{ "1:`d", "!domain" },
		{ "2:`d", "!domain" },
		{ "`d 0: (\"a\";\"b\")", "!domain" },
		{ "`d 6: \"x\"", "!domain" },
		{ "`d 1: 1 2", "!domain" },
		{ "`d 5: 1 2", "!domain" },
		{ "(,`d) 6: \"x\"", "!domain" },
		{ "\"nodir/x\" 0: ,\"a\"", "!domain" },
		{ "\"nodir/x\" 1: 1", "!domain" },
		{ "\"nodir/x\" 6: \"a\"", "!domain" },
		{ "\"nodir/x\" 5: 1 2", "!domain" },
		{ "1:`short", "!length" },
		{ "2:`short", "!length" },
		{ "`short 5: 1 2", "!length" },
		{ "1:`junk", "!type" },
		{ "`junk 5: 1 2", "!type" },
		{ "`t 0: 1 2", "!type" },
		{ "`t 6: 1 2", "!type" },
		{ "`t 6: `a", "!type" },
		{ "`t 0: (1;\"a\")", "!type" },
		{ "x:1; x 0: \"a\"", "!type" },
		{ "0:1", "!type" },
		{ "1:1", "!type" },
		{ "2:1.5", "!type" },
		{ "6:1", "!type" },
		{ "\"q\" 1: `t", "!nonce" },
	};
	CHECK(c);
	char got[256];
	run("`nofile 5: 1 2 3; 1:`nofile", got, sizeof got);   /* 5: makes the file */
	ck_assert_str_eq(got, "1 2 3");
}
END_TEST

/* A binary file cut at every length, and with damaged header words: an
 * error each time (or a value, where the cut leaves a whole one), never a
 * crash, nothing left open or mapped. */
START_TEST(damaged)
{
	char got[4096];
	run("`src 1: (1;`abc;\"hello\";2.5 3.5;.((`a;1);(`b;`x`yz)))", got, sizeof got);
	ck_assert_str_eq(got, "");
	run("`vec 1: !100000", got, sizeof got);
	unsigned char file[2048];
	size_t n = get_bytes("src.K", file, sizeof file);
	ck_assert_uint_gt(n, 100);
	for (size_t cut = 0; cut < n; cut++) {
		put_bytes("cut.K", file, cut);
		run("1:`cut", got, sizeof got);
		ck_assert_msg(got[0] == '!', "cut at %zu gave %s", cut, got);
		run("2:`cut", got, sizeof got);
		ck_assert_msg(got[0] == '!', "cut at %zu gave %s", cut, got);
		run("`cut 5: ,1", got, sizeof got);
		ck_assert_msg(open_fds() == fds0 && dir_maps() == 0, "cut at %zu leaves something", cut);
	}
	/* each word damaged in turn: huge counts, bad types */
	static const int64_t bad[] = { -1, INT64_MAX, INT64_MIN, 1000000, 99, -5 };
	for (size_t w = 0; w + 8 <= n; w += 8)
		for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
			unsigned char f2[2048];
			memcpy(f2, file, n);
			memcpy(f2 + w, &bad[b], 8);
			put_bytes("bad.K", f2, n);
			run("1:`bad", got, sizeof got);
			run("`bad 5: ,1", got, sizeof got);
			ck_assert_msg(open_fds() == fds0 && dir_maps() == 0, "word %zu leaves something", w);
		}
	/* a mappable vector whose count says more than the file holds */
	unsigned char v[64];
	get_bytes("vec.K", v, sizeof v);
	int64_t big = 200000;
	memcpy(v + 24, &big, 8);
	put_bytes("lying.K", v, sizeof v);
	run("1:`lying", got, sizeof got);
	ck_assert_str_eq(got, "!length");
}
END_TEST

/* Reading and writing where the user has no permission (only meaningful
 * when not running as root, who may do anything). */
START_TEST(permissions)
{
	if (geteuid() == 0) return;
	put_bytes("locked", "abc", 3);
	ck_assert_int_eq(chmod("locked", 0), 0);
	ck_assert_int_eq(mkdir("ro", 0555), 0);
	static const kcase c[] = {
		{ "0:`locked", "!domain" },
		{ "6:`locked", "!domain" },
		{ "1:`locked", "!domain" },
		{ "`locked 6: \"x\"", "!domain" },
		{ "\"ro/x\" 0: ,\"a\"", "!domain" },
		{ "\"ro/x\" 1: 1", "!domain" },
	};
	CHECK(c);
}
END_TEST

/* Every allocation of each verb fails in turn: an error each time until
 * the expression gets through, and never a leak, an open file or a map. */
START_TEST(fault_injection)
{
	char got[4096];
	run("`lines 0: (\"ab\";\"cde\";\"f\"); `csv 0: (\"a,1,2.5,xx\";\"bb,22,3,y\"); "
	    "`fw 0: (\"abc 12 3.5\";\"de  34 4.2\"); `bin 1: (1;`abc;\"hello\";2.5 3.5;.((`a;1);(`b;2))); "
	    "`big 1: !100000", got, sizeof got);
	ck_assert_str_eq(got, "");
	static const char *srcs[] = {
		"0:`lines", "`out 0: (\"ab\";\"cd\")", "6:`lines", "`out 6: \"bytes\"", "(,`out) 6: \"more\"",
		"(\"SIFC\";\",\")0:`csv", "(\"SIF\";,\",\")0:`csv", "(\"SIF\";3 3 4)0:`fw", "(\"cC\";1 2)1:`lines",
		"1:`bin", "2:`bin", "`out 1: (1;`abc;\"x\")", "`bin2 1: 1:`bin; `bin2 5: (2;`b)", "1:`big",
		"{b:1:`big; b,:1}[]", "`big2 1: 1 2; `big2 5: 3 4", "\"i\" 1: `lines",
	};
	for (size_t i = 0; i < sizeof srcs / sizeof *srcs; i++) {
		run(srcs[i], got, sizeof got);         /* warm up: symbols */
		ck_assert_msg(got[0] != '!', "%s: %s", srcs[i], got);
		uint64_t before = heap_in_use();
		for (uint64_t n = 1; n < 400; n++) {
			kp_fail_after(kc->heap, n);
			run(srcs[i], got, sizeof got);
			kp_fail_after(kc->heap, 0);
			ck_assert_msg(heap_in_use() == before, "%s leaks when allocation %llu fails",
			              srcs[i], (unsigned long long)n);
			ck_assert_msg(open_fds() == fds0, "%s leaves a file open when allocation %llu fails",
			              srcs[i], (unsigned long long)n);
			ck_assert_msg(dir_maps() == 0, "%s leaves a file mapped when allocation %llu fails",
			              srcs[i], (unsigned long long)n);
			if (got[0] != '!') break;
		}
	}
}
END_TEST

static Suite *io_suite(void)
{
	Suite *s = suite_create("io");
	TCase *t = tcase_create("core");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, text_lines);
	tcase_add_test(t, bytes);
	tcase_add_test(t, console);
	tcase_add_test(t, text_fields);
	tcase_add_test(t, records);
	tcase_add_test(t, binary);
	tcase_add_test(t, kona_files);
	tcase_add_test(t, read_private);
	tcase_add_test(t, errors);
	tcase_add_test(t, damaged);
	tcase_add_test(t, permissions);
	tcase_add_test(t, fault_injection);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(io_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
