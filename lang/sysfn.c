/* sysfn.c: the table of system functions _name: each name with its valence
 * and implementation (lang/sys_*.c); lang/parse.c looks names up here,
 * lang/eval.c applies them, lang/format.c shows their names.
 * A dyadic entry is used infix (2 _vs 11), a monadic one prefix (_ci 65),
 * a niladic one (valence 0) is a noun evaluated on each access (_t).
 * _n and _f are the parser's own and are not listed. */
#include "sysfn.h"
#include "session.h"

#define NOUN(s, f)   { s, 0, f, NULL, NULL }
#define MONAD(s, f)  { s, 1, f, NULL, NULL }
#define DYAD(s, f)   { s, 2, NULL, f, NULL }
#define TRIAD(s, f)  { s, 3, NULL, NULL, f }

const sysfn sysfn_table[] = {
	/* nouns */
	NOUN("_a", sys_noun_a), NOUN("_c", sys_noun_c), NOUN("_d", sys_noun_d), NOUN("_h", sys_noun_h),
	NOUN("_i", sys_noun_i), NOUN("_k", sys_noun_k), NOUN("_p", sys_noun_p),
	NOUN("_s", sys_noun_s), NOUN("_t", sys_noun_t), NOUN("_T", sys_noun_T),
	NOUN("_u", sys_noun_u), NOUN("_v", sys_noun_v), NOUN("_w", sys_noun_w),
	NOUN("_wn", memuse_dict),
	/* math, atomic */
	MONAD("_acos", sys_acos), MONAD("_asin", sys_asin), MONAD("_atan", sys_atan),
	MONAD("_ceil", sys_ceil), MONAD("_cos", sys_cos), MONAD("_cosh", sys_cosh),
	MONAD("_exp", sys_exp), MONAD("_floor", sys_floor), MONAD("_log", sys_log),
	MONAD("_sin", sys_sin), MONAD("_sinh", sys_sinh), MONAD("_sqr", sys_sqr),
	MONAD("_sqrt", sys_sqrt), MONAD("_tan", sys_tan), MONAD("_tanh", sys_tanh),
	MONAD("_abs", sys_abs), MONAD("_ceiling", sys_ceiling),
	/* other monads */
	MONAD("_bd", sys_bd), MONAD("_ci", sys_ci), MONAD("_db", sys_db),
	MONAD("_dj", sys_dj), MONAD("_exit", sys_exit), MONAD("_getenv", sys_getenv),
	MONAD("_gtime", sys_gtime), MONAD("_hash", sys_hash), MONAD("_host", sys_host),
	MONAD("_ic", sys_ic), MONAD("_inv", sys_inv), MONAD("_jd", sys_jd),
	MONAD("_lt", sys_lt), MONAD("_ltime", sys_ltime), MONAD("_size", sys_size),
	/* dyads */
	DYAD("_bin", sys_bin), DYAD("_binl", sys_binl), DYAD("_deal", sys_deal),
	DYAD("_di", sys_di), DYAD("_dot", sys_dot), DYAD("_draw", sys_draw),
	DYAD("_dv", sys_dv), DYAD("_dvl", sys_dvl), DYAD("_in", sys_in),
	DYAD("_lin", sys_lin), DYAD("_lsq", sys_lsq), DYAD("_mul", sys_mul),
	DYAD("_setenv", sys_setenv), DYAD("_sm", sys_sm), DYAD("_ss", sys_ss),
	DYAD("_sv", sys_sv), DYAD("_vs", sys_vs), DYAD("_vsx", sys_vsx),
	/* triads */
	TRIAD("_ssr", sys_ssr),
};
const int sysfn_count = sizeof sysfn_table / sizeof sysfn_table[0];

int sysfn_find(ksym name)
{
	for (int i = 0; i < sysfn_count; i++)
		if (!strcmp(sysfn_table[i].name, name)) return i;
	return -1;
}

K sysfn_value(int id)
{
	K f = k_new(KT_FUNC, 0);
	if (!f) return NULL;
	f->a = FK_SYSFN;
	f->u = (uint8_t)id;
	return f;
}
