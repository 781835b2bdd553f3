/* sysfn.h: the system functions _name.  lang/sysfn.c holds the table that
 * maps each name to its valence and implementation; the implementations
 * live by concern in lang/sys_*.c (math, lists, strings, conversion,
 * binary form, time, environment, random numbers, _hash).
 *
 * Ownership follows runtime/k.h: every implementation consumes its
 * arguments and returns a new value, or NULL after kerr(). */
#ifndef KRT_SYSFN_H
#define KRT_SYSFN_H

#include "lang.h"

typedef struct sysfn {
	const char *name;     /* with its leading '_' */
	int valence;          /* 0: a niladic noun such as _t; 1; 2; 3 */
	kmonad monad;         /* for valence 0 and 1 (valence 0: called with _n) */
	kdyad dyad;           /* for valence 2 */
	K (*triad)(K x, K y, K z);   /* for valence 3 */
} sysfn;

extern const sysfn sysfn_table[];
extern const int sysfn_count;

int sysfn_find(ksym name);     /* index in sysfn_table, or -1 */
K sysfn_value(int id);         /* the function value of entry id */

/* ---- the binary form of _bd/_db and of 1: files (lang/sys_bin.c) ------
 * Kona's layout: each value is a header of 8-byte words (net form: type,
 * count; disk form: -3, 1, type, count) followed by its data padded to 8
 * bytes; an atom keeps its datum in the count word.  kbin_size is the
 * byte count of x's form, kbin_write fills dst (kbin_size bytes, zeroed
 * padding) and kbin_read decodes one value from [p, end), byte-swapping
 * when `swap` is set, and adds the bytes it used to *used.
 * All borrow x; kbin_read returns a new value or NULL with an error. */
int64_t kbin_size(K x, int disk);
void kbin_write(K x, unsigned char *dst, int disk);
K kbin_read(const unsigned char *p, const unsigned char *end, int disk, int swap, int64_t *used);

/* ---- _hash tables, for x?y (lang/sys_hash.c) ---------------------------
 * When h is a table made by _hash v, store in *at the index of y in v
 * (exact comparison, #v if absent) and return 1; return 0 when h is not
 * such a table (the caller then searches as usual).  Borrows all. */
int sysfn_hash_find(K v, K h, K y, int64_t *at);

/* ---- implementations --------------------------------------------------- */
/* lang/sys_math.c */
K sys_acos(K x);  K sys_asin(K x);  K sys_atan(K x);  K sys_cos(K x);
K sys_cosh(K x);  K sys_exp(K x);   K sys_log(K x);   K sys_sin(K x);
K sys_sinh(K x);  K sys_sqr(K x);   K sys_sqrt(K x);  K sys_tan(K x);
K sys_tanh(K x);  K sys_floor(K x); K sys_ceil(K x);
K sys_abs(K x);             /* keeps ints */
K sys_ceiling(K x);         /* tolerant, gives ints */
K sys_dot(K x, K y);
K sys_mul(K x, K y);
K sys_inv(K x);
K sys_lsq(K x, K y);

/* lang/sys_list.c */
K sys_bin(K x, K y);
K sys_binl(K x, K y);
K sys_in(K x, K y);
K sys_lin(K x, K y);
K sys_dv(K x, K y);
K sys_dvl(K x, K y);
K sys_di(K x, K y);
K sys_sv(K x, K y);
K sys_vs(K x, K y);
K sys_vsx(K x, K y);

/* lang/sys_hash.c */
K sys_hash(K x);

/* lang/sys_str.c */
K sys_sm(K x, K y);
K sys_ss(K x, K y);
K sys_ssr(K x, K y, K z);

/* lang/sys_conv.c */
K sys_ci(K x);
K sys_ic(K x);
K sys_bd(K x);              /* lang/sys_bin.c */
K sys_db(K x);              /* lang/sys_bin.c */

/* lang/sys_time.c */
K sys_jd(K x);
K sys_dj(K x);
K sys_gtime(K x);
K sys_ltime(K x);
K sys_lt(K x);
K sys_noun_t(K x);          /* _t */
K sys_noun_T(K x);          /* _T */

/* lang/sys_random.c */
K sys_draw(K x, K y);
K sys_deal(K x, K y);

/* lang/sys_env.c */
K sys_getenv(K x);
K sys_setenv(K x, K y);
K sys_host(K x);
K sys_size(K x);
K sys_exit(K x);
K sys_noun_a(K x);  K sys_noun_d(K x);  K sys_noun_h(K x);  K sys_noun_i(K x);
K sys_noun_k(K x);  K sys_noun_p(K x);  K sys_noun_s(K x);  K sys_noun_u(K x);
K sys_noun_v(K x);  K sys_noun_w(K x);  K sys_noun_c(K x);

#endif
