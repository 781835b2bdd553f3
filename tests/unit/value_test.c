/* value_test.c: unit suite of runtime/value.c, cycle.c and ctx.c: k_new
 * and the constructors, release of nested values (deep and wide, without
 * recursion), copy on write, k_resize and its amortised growth, the cycle
 * guard, wsfull under a heap limit, fault injection of every allocation of
 * a sequence of constructors, and errors.  Each test runs in a fresh
 * context and must leave its heap at the baseline with no leaked block.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../runtime/heap.h"
#include "../../runtime/heap_priv.h"
#include "../../runtime/k.h"

static uint64_t baseline;

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
	baseline = stats().in_use;
}

static void teardown(void)
{
	kp_fail_after(kc->heap, 0);
	kp_set_limit(kc->heap, 0);
	ck_assert_uint_eq(stats().in_use, baseline);
	kpool *h = kc->heap;
	kctx_close(kc);
	ck_assert_ptr_null(kc);
	ck_assert_int_eq(kp_verify(h), 0);
	ck_assert_uint_eq(kp_close(h, 1), 0);
}

/* ---- allocation and constructors -------------------------------------- */

START_TEST(new_and_sizes)
{
	ck_assert_uint_eq(k_esize(-4), sizeof(ksym));
	ck_assert_uint_eq(k_esize(-3), 1);
	ck_assert_uint_eq(k_esize(-2), 8);
	ck_assert_uint_eq(k_esize(-1), 8);
	ck_assert_uint_eq(k_esize(0), sizeof(K));
	ck_assert_uint_eq(k_esize(3), 1);
	ck_assert_uint_eq(k_esize(5), sizeof(K));
	ck_assert_uint_eq(k_esize(6), 0);
	ck_assert_uint_eq(k_esize(7), sizeof(K));
	ck_assert_uint_eq(k_esize(8), sizeof(K));
	K x = k_new(-1, 6);                     /* 16 + 48 = 64 */
	ck_assert_int_eq(x->lane, 6);
	ck_assert_int_eq(x->rc, 1);
	ck_assert_int_eq(x->t, -1);
	ck_assert_int_eq(x->n, 6);
	ck_assert_int_eq(k_cap(x), 6);
	ck_assert_uint_eq((uintptr_t)x->d % 16, 0);
	K c = k_new(-3, 48);                    /* 16 + 48 + NUL = 65 */
	ck_assert_int_eq(c->lane, 7);
	ck_assert_int_eq(kC(c)[48], 0);
	ck_assert_int_eq(k_cap(c), 128 - 16 - 1);
	K d = k_new(-3, 47);
	ck_assert_int_eq(d->lane, 6);
	ck_assert_int_eq(k_cap(d), 47);
	cd(x);
	cd(c);
	cd(d);
	ck_assert_ptr_null(k_new(-1, -1));
	ck_assert_str_eq(kc->err, "wsfull");
	ck_assert_ptr_null(k_new(-1, INT64_MAX / 2));
	ck_assert_str_eq(kc->err, "wsfull");
	kerr_clear();
	ck_assert_ptr_null(kc->err);
}
END_TEST

START_TEST(constructors)
{
	K i = k_int(-7), f = k_float(2.5), c = k_char('q'), n = k_null();
	ck_assert_int_eq(i->t, 1);
	ck_assert_int_eq(i->n, 1);
	ck_assert_int_eq(kI(i)[0], -7);
	ck_assert_int_eq(f->t, 2);
	ck_assert(kF(f)[0] == 2.5);
	ck_assert_int_eq(c->t, 3);
	ck_assert_int_eq(kC(c)[0], 'q');
	ck_assert_int_eq(n->t, 6);
	ck_assert_int_eq(n->n, 1);
	ksym s = sym_c("abc");
	K y = k_symv(s);
	ck_assert_int_eq(y->t, 4);
	ck_assert_ptr_eq(kS(y)[0], s);
	K str = k_str("hello world", 5), cs = k_cstr("xyz"), e = k_cstr("");
	ck_assert_int_eq(str->t, -3);
	ck_assert_int_eq(str->n, 5);
	ck_assert_str_eq(kC(str), "hello");
	ck_assert_str_eq(kC(cs), "xyz");
	ck_assert_int_eq(e->n, 0);
	ck_assert_int_eq(kC(e)[0], 0);
	K l = k_list(4);
	ck_assert_int_eq(l->t, 0);
	for (int j = 0; j < 4; j++)
		ck_assert_ptr_null(kK(l)[j]);
	kK(l)[0] = i;                   /* NULL children are skipped on release */
	kK(l)[2] = str;
	cd(l);
	/* enlist: atoms become 1-item vectors, anything else a 1-item list */
	K v = k_enlist(f);
	ck_assert_int_eq(v->t, -2);
	ck_assert_int_eq(v->n, 1);
	ck_assert(kF(v)[0] == 2.5);
	K w = k_enlist(c);
	ck_assert_int_eq(w->t, -3);
	ck_assert_str_eq(kC(w), "q");
	K z = k_enlist(y);
	ck_assert_int_eq(z->t, -4);
	ck_assert_ptr_eq(kS(z)[0], s);
	K m = k_enlist(cs);
	ck_assert_int_eq(m->t, 0);
	ck_assert_ptr_eq(kK(m)[0], cs);
	K o = k_enlist(n);
	ck_assert_int_eq(o->t, 0);
	ck_assert_ptr_null(k_enlist(NULL));
	cd(v);
	cd(w);
	cd(z);
	cd(m);
	cd(o);
	cd(e);
}
END_TEST

/* ---- release ---------------------------------------------------------- */

START_TEST(release_deep)
{
	/* a list nested 10^6 deep: released in a loop, not by recursion */
	K x = k_int(42);
	for (int i = 0; i < 1000000; i++) {
		K y = k_list(i % 3 ? 1 : 2);
		kK(y)[0] = x;
		if (y->n == 2)
			kK(y)[1] = k_cstr("leaf");
		x = y;
	}
	ck_assert_uint_gt(stats().in_use, baseline + 64000000);
	cd(x);
	ck_assert_uint_eq(stats().in_use, baseline);
	/* deep on the last child too, and through dictionaries and functions */
	x = NULL;
	for (int i = 0; i < 1000000; i++) {
		K y = k_new(i % 2 ? KT_DICT : KT_FUNC, 3);
		kK(y)[0] = k_int(i);
		kK(y)[1] = NULL;
		kK(y)[2] = x;
		x = y;
	}
	cd(x);
}
END_TEST

START_TEST(release_wide)
{
	/* a list of 10^7 small lists */
	enum { N = 10000000 };
	K x = k_list(N);
	for (int64_t i = 0; i < N; i++) {
		K y = k_list(1);
		kK(y)[0] = NULL;
		kK(x)[i] = y;
	}
	for (int64_t i = 0; i < N; i += 1000)
		kK(kK(x)[i])[0] = k_int(i);
	cd(x);
}
END_TEST

START_TEST(release_shared)
{
	/* children shared with another holder survive the parent */
	K a = k_cstr("shared"), l = k_list(3);
	kK(l)[0] = ci(a);
	kK(l)[1] = ci(a);
	kK(l)[2] = k_int(1);
	ck_assert_int_eq(a->rc, 3);
	cd(l);
	ck_assert_int_eq(a->rc, 1);
	ck_assert_str_eq(kC(a), "shared");
	/* a shared subtree deep in a value: released when the last goes */
	K deep = k_list(1);
	kK(deep)[0] = a;
	K p = k_list(2), q = k_list(1);
	kK(p)[0] = ci(deep);
	kK(p)[1] = deep;
	kK(q)[0] = p;
	cd(q);
}
END_TEST

/* 10^7 100-byte char vectors (1.3 GB) in one list, built and dropped: the
 * automatic trim hands the memory back to the OS near the baseline. */
START_TEST(build_drop_1gb)
{
	enum { N = 10000000 };
	uint64_t held0 = stats().held;
	K x = k_list(N);
	for (int64_t i = 0; i < N; i++)
		kK(x)[i] = k_new(-3, 100);
	kpool_stats s1 = stats();
	ck_assert_uint_ge(s1.held, held0 + (uint64_t)N * 128);
	cd(x);
	kpool_stats s2 = stats();
	ck_assert_uint_eq(s2.in_use, baseline);
	/* retain + chunks, and the list's own 80 MB mapping, kept for reuse
	 * (freed last, it is fresh; kp_trim gives it back) */
	ck_assert_uint_le(s2.held - s2.direct_cached, held0 + (80u << 20));
	ck_assert_uint_le(s2.direct_cached, kp_block_bytes((size_t)N * 8 + 16));
	kp_trim(kc->heap);
	ck_assert_uint_le(stats().held, held0 + (1u << 20));
}
END_TEST

/* ---- copy on write and growth ----------------------------------------- */

START_TEST(copy_on_write)
{
	K x = k_list(2);
	kK(x)[0] = k_int(1);
	kK(x)[1] = k_cstr("ab");
	ck_assert_ptr_eq(k_mut(x), x);          /* unshared: itself */
	K y = ci(x);
	K z = k_mut(y);                         /* shared: a shallow copy */
	ck_assert_ptr_ne(z, x);
	ck_assert_int_eq(x->rc, 1);
	ck_assert_int_eq(z->rc, 1);
	ck_assert_ptr_eq(kK(z)[0], kK(x)[0]);
	ck_assert_int_eq(kK(x)[0]->rc, 2);
	ck_assert_int_eq(kK(x)[1]->rc, 2);
	cd(kK(z)[0]);
	kK(z)[0] = k_int(9);                    /* changing z leaves x alone */
	ck_assert_int_eq(kI(kK(x)[0])[0], 1);
	cd(z);
	ck_assert_int_eq(kK(x)[1]->rc, 1);
	/* flat vectors and attributes */
	K v = k_new(-1, 3);
	kI(v)[0] = 1;
	kI(v)[1] = 2;
	kI(v)[2] = 3;
	v->a = 5;
	v->u = 6;
	K w = k_copy(v);
	ck_assert_int_eq(w->a, 5);
	ck_assert_int_eq(w->u, 6);
	ck_assert_int_eq(v->rc, 1);
	ck_assert_mem_eq(kI(w), kI(v), 24);
	cd(v);
	cd(w);
	cd(x);
	ck_assert_ptr_null(k_mut(NULL));
}
END_TEST

START_TEST(resize_amortised)
{
	/* appending one item at a time moves the block about log2(n) times,
	 * through the lanes and then as a direct block grown by mremap */
	K v = k_new(-1, 0);
	K last = v;
	int moves = 0;
	for (int64_t i = 0; i < 8000000; i++) {
		v = k_resize(v, i + 1);
		if (!v)    /* not ck_assert: Check writes to a pipe on each one */
			ck_abort_msg("k_resize failed at %lld", (long long)i);
		kI(v)[i] = i;
		if (v != last) {
			moves++;
			last = v;
		}
	}
	ck_assert_int_le(moves, 40);
	ck_assert_int_eq(v->lane, KP_DIRECT);
	for (int64_t i = 0; i < 8000000; i += 99991)
		ck_assert_int_eq(kI(v)[i], i);
	ck_assert_int_ge(k_cap(v), 8000000);
	/* shrinking stays in place */
	K s = k_resize(v, 10);
	ck_assert_ptr_eq(s, v);
	ck_assert_int_eq(s->n, 10);
	cd(s);
	/* strings keep their NUL */
	K c = k_cstr("abc");
	c = k_resize(c, 200);
	ck_assert_int_eq(kC(c)[200], 0);
	ck_assert_int_eq(memcmp(kC(c), "abc", 3), 0);
	c = k_resize(c, 2);
	ck_assert_str_eq(kC(c), "ab");
	cd(c);
}
END_TEST

START_TEST(resize_shared_and_nested)
{
	K x = k_list(3);
	for (int i = 0; i < 3; i++)
		kK(x)[i] = k_int(i);
	K keep = ci(x);
	K y = k_resize(x, 5);                   /* shared: a copy */
	ck_assert_ptr_ne(y, keep);
	ck_assert_int_eq(keep->rc, 1);
	ck_assert_int_eq(keep->n, 3);
	ck_assert_int_eq(kK(keep)[2]->rc, 2);
	kK(y)[3] = k_int(3);
	kK(y)[4] = NULL;
	K z = k_resize(y, 1);                   /* unshared shrink drops the tail */
	ck_assert_ptr_eq(z, y);
	ck_assert_int_eq(kK(keep)[1]->rc, 1);
	ck_assert_int_eq(kK(keep)[0]->rc, 2);
	cd(z);
	K w = k_resize(ci(keep), 2);            /* shared shrink: a shorter copy */
	ck_assert_int_eq(w->n, 2);
	ck_assert_int_eq(keep->n, 3);
	ck_assert_int_eq(kK(keep)[1]->rc, 2);
	cd(w);
	cd(keep);
	ck_assert_ptr_null(k_resize(NULL, 3));
}
END_TEST

/* ---- cycle guard ------------------------------------------------------ */

START_TEST(cycle_guard)
{
	K a = k_list(2), b = k_list(1), c = k_list(2);
	kK(a)[0] = k_int(1);
	kK(a)[1] = NULL;
	kK(b)[0] = ci(a);
	kK(c)[0] = b;
	kK(c)[1] = k_cstr("x");
	ck_assert_int_eq(k_reaches(a, a), 1);
	ck_assert_int_eq(k_reaches(c, a), 1);   /* a inside c at depth 2 */
	ck_assert_int_eq(k_reaches(b, a), 1);
	ck_assert_int_eq(k_reaches(a, c), 0);
	ck_assert_int_eq(k_reaches(kK(c)[1], c), 0);
	ck_assert_int_eq(k_reaches(NULL, c), 0);
	K i = k_int(3);
	ck_assert_int_eq(k_reaches(i, a), 0);   /* atoms reach nothing */
	cd(i);
	cd(c);
	cd(a);
	/* deep: 10^6 levels, found at the bottom without recursion */
	K bottom = k_list(1);
	kK(bottom)[0] = NULL;
	K x = ci(bottom);
	for (int j = 0; j < 1000000; j++) {
		K y = k_list(2);
		kK(y)[0] = k_int(j);
		kK(y)[1] = x;
		x = y;
	}
	ck_assert_int_eq(k_reaches(x, bottom), 1);
	K other = k_list(0);
	ck_assert_int_eq(k_reaches(x, other), 0);
	/* no memory for the walk's stack: no answer, and wsfull, not cycle */
	kerr_clear();
	kp_fail_after(kc->heap, 1);
	ck_assert_int_eq(k_reaches(x, other), -1);
	ck_assert_str_eq(kc->err, "wsfull");
	kerr_clear();
	kp_fail_after(kc->heap, 1);
	ck_assert_int_eq(k_store_check(x, other), -1);
	ck_assert_str_eq(kc->err, "wsfull");
	kp_fail_after(kc->heap, 0);
	kerr_clear();
	ck_assert_int_eq(k_store_check(x, bottom), -1);
	ck_assert_str_eq(kc->err, "cycle");
	kerr_clear();
	ck_assert_int_eq(k_store_check(x, other), 0);
	ck_assert_ptr_null(kc->err);
	cd(other);
	cd(x);
	cd(bottom);
	/* shared: 60 levels each holding its child twice (2^60 paths) */
	K d = k_list(1);
	kK(d)[0] = k_int(0);
	for (int j = 0; j < 60; j++) {
		K y = k_list(2);
		kK(y)[0] = ci(d);
		kK(y)[1] = d;
		d = y;
	}
	K target = k_list(0);
	ck_assert_int_eq(k_reaches(d, target), 0);
	cd(target);
	cd(d);
}
END_TEST

/* ---- limits, fault injection, errors ---------------------------------- */

START_TEST(wsfull_under_limit)
{
	kp_set_limit(kc->heap, 64u << 20);
	K x = k_list(0);
	int64_t n = 0;
	for (;;) {            /* the list (a big lane) meets the limit first */
		K item = k_new(-1, 100);
		if (!item)
			break;
		if (k_grow(&x, n + 1)) {
			cd(item);
			break;
		}
		kK(x)[n++] = item;
	}
	ck_assert_str_eq(kc->err, "wsfull");
	ck_assert_uint_le(stats().held, (64u << 20) + KP_RESERVE_SMALL);
	ck_assert_int_gt(n, 10000);
	/* a copy that cannot be made leaves nothing behind */
	uint64_t before = stats().in_use;
	kerr_clear();
	K big = k_new(-1, 20000000);
	ck_assert_ptr_null(big);
	ck_assert_str_eq(kc->err, "wsfull");
	ck_assert_uint_eq(stats().in_use, before);
	cd(x);
	kerr_clear();
	/* with room again, a copy fails only through the limit */
	kp_set_limit(kc->heap, 0);
	K v = k_new(-1, 3000000);
	kp_trim(kc->heap);                      /* no free 32 MiB cell to reuse */
	kp_set_limit(kc->heap, stats().held + (1u << 20));
	before = stats().in_use;
	ck_assert_ptr_null(k_copy(v));
	ck_assert_uint_eq(stats().in_use, before);
	cd(v);
}
END_TEST

/* A value built with many constructors; NULL (everything released) if an
 * allocation fails.  Follows the ownership rules: one fail path. */
static K build(void)
{
	K l = NULL, s = NULL, e = NULL, c = NULL;
	l = k_list(4);
	if (!l)
		goto fail;
	memset(kK(l), 0, 4 * sizeof(K));
	if (!(kK(l)[0] = k_int(1)) || !(kK(l)[1] = k_cstr("two")))
		goto fail;
	s = k_str("three", 5);
	if (!s)
		goto fail;
	s = k_resize(s, 300);                   /* moves to a bigger lane */
	if (!s)
		goto fail;
	kK(l)[2] = s;
	s = NULL;
	e = k_enlist(k_float(4.5));
	if (!e)
		goto fail;
	kK(l)[3] = e;
	e = NULL;
	c = k_mut(ci(l));                       /* a copy */
	if (!c)
		goto fail;
	cd(l);
	l = NULL;
	if (!sym_c("a-symbol-made-in-build") || !sym_intern("xyz", 2))
		goto fail;
	K v = k_enlist(c);
	c = NULL;
	return v;
fail:
	cd(l);
	cd(s);
	cd(e);
	cd(c);
	return NULL;
}

START_TEST(fault_every_allocation)
{
	/* each allocation of build() fails in turn: no crash, no leak, wsfull */
	int failures = 0;
	for (uint64_t n = 1;; n++) {
		uint64_t before = stats().in_use;
		kerr_clear();
		kp_fail_after(kc->heap, n);
		K x = build();
		kp_fail_after(kc->heap, 0);
		if (x) {
			cd(x);
			break;
		}
		failures++;
		ck_assert_str_eq(kc->err, "wsfull");
		/* symbols interned by earlier runs stay (they live with the context) */
		ck_assert_uint_le(stats().in_use, before + 16384);
	}
	ck_assert_int_ge(failures, 8);
	/* after all that, the allocation walk is leak free: build once more
	 * and compare */
	uint64_t before = stats().in_use;
	K x = build();
	cd(x);
	ck_assert_uint_eq(stats().in_use, before);
	kerr_clear();
}
END_TEST

START_TEST(fault_env)
{
	/* KRT_FAIL_ALLOC=N arms fault injection in a context as it opens */
	setenv("KRT_FAIL_ALLOC", "2", 1);
	kctx *saved = kc, *c = kctx_open();
	unsetenv("KRT_FAIL_ALLOC");
	ck_assert_ptr_nonnull(c);
	kc = c;
	K a = k_int(1);
	K b = k_int(2);
	K d = k_int(3);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_null(b);
	ck_assert_str_eq(c->err, "wsfull");
	ck_assert_ptr_nonnull(d);
	cd(a);
	cd(d);
	kpool *h = c->heap;
	kctx_close(c);
	ck_assert_uint_eq(kp_close(h, 1), 0);
	kc = saved;
}
END_TEST

START_TEST(errors)
{
	ck_assert_ptr_null(kerr("type"));
	ck_assert_str_eq(kc->err, "type");
	char msg[400];
	memset(msg, 'm', sizeof msg);
	ck_assert_ptr_null(kerr_text("oops", 4));
	ck_assert_str_eq(kc->err, "oops");
	ck_assert_ptr_eq(kc->err, kc->errbuf);
	ck_assert_ptr_null(kerr_text(msg, sizeof msg));      /* truncated */
	ck_assert_uint_eq(strlen(kc->err), sizeof kc->errbuf - 1);
	kerr_clear();
	ck_assert_ptr_null(kc->err);
}
END_TEST

#ifdef KRT_DEBUG
/* Debug builds: a second cd of a released value is caught and reported
 * with the block's address and type (in a child: it aborts). */
START_TEST(debug_double_cd)
{
	int fd[2];
	ck_assert_int_eq(pipe(fd), 0);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 2);
		K x = k_list(1);
		kK(x)[0] = k_cstr("child");
		K y = kK(x)[0];
		cd(x);
		cd(y);          /* y went with x */
		_exit(0);
	}
	close(fd[1]);
	char out[1024];
	ssize_t n = read(fd[0], out, sizeof out - 1);
	out[n > 0 ? n : 0] = 0;
	close(fd[0]);
	int status;
	waitpid(pid, &status, 0);
	ck_assert(WIFSIGNALED(status));
	ck_assert_msg(strstr(out, "double release of block 0x") && strstr(out, "type -3"), "%s", out);
}
END_TEST
#endif

static Suite *value_suite(void)
{
	Suite *s = suite_create("value");
	TCase *t = tcase_create("value");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, new_and_sizes);
	tcase_add_test(t, constructors);
	tcase_add_test(t, release_deep);
	tcase_add_test(t, release_wide);
	tcase_add_test(t, release_shared);
	tcase_add_test(t, build_drop_1gb);
	tcase_add_test(t, copy_on_write);
	tcase_add_test(t, resize_amortised);
	tcase_add_test(t, resize_shared_and_nested);
	tcase_add_test(t, cycle_guard);
	tcase_add_test(t, wsfull_under_limit);
	tcase_add_test(t, fault_every_allocation);
	tcase_add_test(t, fault_env);
	tcase_add_test(t, errors);
#ifdef KRT_DEBUG
	tcase_add_test(t, debug_double_cd);
#endif
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(value_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
