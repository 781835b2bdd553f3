/* memuse_test.c: heap memory by name (lang/memuse.c) at sizes K code
 * cannot build quickly: a directory of 10^6 names made directly, half of
 * them holding one shared vector, and a value nested 10^6 deep.  The walk
 * uses explicit stacks: neither may overflow the C stack, and a block held
 * by 500000 names is counted once in the directory's total. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include "../../runtime/heap.h"
#include "fixture.h"
#include "../../lang/lang.h"
#include "../../lang/ktree.h"
#include "../../lang/session.h"

#define NAMES 1000000

static void setup(void) { fx_open(1); }
static void teardown(void) { fx_close(); }

/* Set the global `name` to v (consumed). */
static void set(const char *name, K v)
{
	K *cell = ktree_cell(sym_c(name), 1);
	ck_assert_ptr_nonnull(cell);
	cd(*cell);
	*cell = v;
}

/* Row `name` of table t (_wn`vars or _wn`dirs): its alone and shared. */
static void row(K t, const char *name, int64_t *alone, int64_t *shared)
{
	K names = dict_get(t, sym_c("name")), a = dict_get(t, sym_c("alone"));
	K s = dict_get(t, sym_c("shared"));
	ksym want = sym_c(name);
	int64_t i = 0;
	while (i < names->n && kS(names)[i] != want) i++;
	ck_assert_int_lt(i, names->n);
	*alone = kI(a)[i];
	*shared = kI(s)[i];
	cd(names);
	cd(a);
	cd(s);
}

START_TEST(million_names)
{
	K shared = k_new(-KT_INT, 1000);          /* 8016 bytes: an 8192-byte block */
	ck_assert_ptr_nonnull(shared);
	for (int64_t i = 0; i < 1000; i++) kI(shared)[i] = i;
	K d = k_new(KT_DICT, NAMES);
	ck_assert_ptr_nonnull(d);
	char name[32];
	for (int64_t i = 0; i < NAMES; i++) {
		snprintf(name, sizeof name, "n%lld", (long long)i);
		K v = i % 2 ? ci(shared) : k_int(i);
		kK(d)[i] = dict_triple(sym_c(name), v);
		ck_assert_ptr_nonnull(kK(d)[i]);
	}
	cd(shared);
	set(".big", d);
	K w = memuse_dict(k_null());
	ck_assert_ptr_nonnull(w);
	K vars = dict_get(w, sym_c("vars")), dirs = dict_get(w, sym_c("dirs"));
	K names = dict_get(vars, sym_c("name"));
	ck_assert_int_eq(names->n, NAMES);
	int64_t alone, sh;
	row(vars, ".big.n1", &alone, &sh);
	ck_assert_int_eq(alone, 0);
	ck_assert_int_eq(sh, 8192);              /* the whole vector, for each holder */
	row(vars, ".big.n2", &alone, &sh);
	ck_assert_int_eq(alone, 64);
	ck_assert_int_eq(sh, 0);
	row(dirs, ".big", &alone, &sh);
	ck_assert_int_eq(sh, 8192);              /* once, not 500000 times */
	ck_assert_int_ge(alone, 64 * (NAMES / 2));
	cd(names);
	cd(vars);
	cd(dirs);
	cd(w);
}
END_TEST

START_TEST(deep_value)
{
	K x = k_int(1);
	for (int i = 0; i < 1000000 && x; i++) x = k_enlist(x);
	ck_assert_ptr_nonnull(x);
	set(".k.deep", x);
	K w = memuse_dict(k_null());
	ck_assert_ptr_nonnull(w);
	K vars = dict_get(w, sym_c("vars"));
	int64_t alone, sh;
	row(vars, ".k.deep", &alone, &sh);
	ck_assert_int_eq(alone, 64 * 1000000);     /* the atom became the 1-item vector */
	ck_assert_int_eq(sh, 0);
	cd(vars);
	cd(w);
}
END_TEST

START_TEST(counted_once_in_a_list)
{
	K v = k_new(-KT_FLOAT, 1000);
	ck_assert_ptr_nonnull(v);
	for (int i = 0; i < 1000; i++) kF(v)[i] = i;
	K l = k_list(3);
	ck_assert_ptr_nonnull(l);
	kK(l)[0] = ci(v);
	kK(l)[1] = ci(v);
	kK(l)[2] = v;                              /* v's count is 3: shared */
	set(".k.l", l);
	K w = memuse_dict(k_null());
	ck_assert_ptr_nonnull(w);
	K vars = dict_get(w, sym_c("vars"));
	int64_t alone, sh;
	row(vars, ".k.l", &alone, &sh);
	ck_assert_int_eq(alone, 64);               /* the list's own block */
	ck_assert_int_eq(sh, 8192);                /* v once */
	cd(vars);
	cd(w);
}
END_TEST

/* A list of 10^4 strings held by 10^5 names: its bytes are found once and
 * kept, not walked again for each name. */
START_TEST(shared_list_many_names)
{
	K l = k_list(10000);
	ck_assert_ptr_nonnull(l);
	for (int i = 0; i < 10000; i++) kK(l)[i] = k_str("ab", 2);   /* 64 bytes each */
	K d = k_new(KT_DICT, 100000);
	ck_assert_ptr_nonnull(d);
	char name[32];
	for (int i = 0; i < 100000; i++) {
		snprintf(name, sizeof name, "m%d", i);
		kK(d)[i] = dict_triple(sym_c(name), ci(l));
		ck_assert_ptr_nonnull(kK(d)[i]);
	}
	int64_t want = (int64_t)kp_size(l) + 64 * 10000;
	cd(l);
	set(".many", d);
	K w = memuse_dict(k_null());
	ck_assert_ptr_nonnull(w);
	K vars = dict_get(w, sym_c("vars")), dirs = dict_get(w, sym_c("dirs"));
	int64_t alone, sh;
	row(vars, ".many.m0", &alone, &sh);
	ck_assert_int_eq(alone, 0);
	ck_assert_int_eq(sh, want);
	row(vars, ".many.m99999", &alone, &sh);
	ck_assert_int_eq(sh, want);
	row(dirs, ".many", &alone, &sh);
	ck_assert_int_eq(sh, want);               /* once for the directory */
	row(dirs, ".", &alone, &sh);
	ck_assert_int_eq(sh, want);
	cd(vars);
	cd(dirs);
	cd(w);
}
END_TEST

/* A shared list that holds a shared vector: the vector once per name even
 * when the name reaches it twice, and once for the directory. */
START_TEST(nested_sharing)
{
	K v = k_new(-KT_INT, 1000);
	ck_assert_ptr_nonnull(v);
	for (int i = 0; i < 1000; i++) kI(v)[i] = i;
	K l = k_list(2);
	ck_assert_ptr_nonnull(l);
	kK(l)[0] = ci(v);
	kK(l)[1] = k_int(7);
	K pair = k_list(2);                        /* (l; v) */
	ck_assert_ptr_nonnull(pair);
	kK(pair)[0] = ci(l);
	kK(pair)[1] = ci(v);
	set(".k.a", l);
	set(".k.b", pair);
	set(".k.c", v);
	K w = memuse_dict(k_null());
	ck_assert_ptr_nonnull(w);
	K vars = dict_get(w, sym_c("vars")), dirs = dict_get(w, sym_c("dirs"));
	int64_t alone, sh;
	row(vars, ".k.b", &alone, &sh);
	ck_assert_int_eq(alone, 64);               /* pair itself */
	ck_assert_int_eq(sh, 64 + 64 + 8192);      /* l, the 7, v once */
	row(dirs, ".k", &alone, &sh);
	ck_assert_int_eq(sh, 64 + 64 + 8192);
	cd(vars);
	cd(dirs);
	cd(w);
}
END_TEST

static Suite *memuse_suite(void)
{
	Suite *s = suite_create("memuse");
	TCase *t = tcase_create("core");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 240);
	tcase_add_test(t, million_names);
	tcase_add_test(t, deep_value);
	tcase_add_test(t, counted_once_in_a_list);
	tcase_add_test(t, shared_list_many_names);
	tcase_add_test(t, nested_sharing);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(memuse_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
