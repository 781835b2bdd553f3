/* sys_conv.c: conversions between chars and their codes: _ci (int to char,
 * modulo 256) and _ic (char to int, 0..255), atomic over lists.  (_bd and
 * _db are in lang/sys_bin.c, the date and time conversions in
 * lang/sys_time.c.) */
#include "sysfn.h"

/* f over the items of the general list x; atoms come back as a vector. */
static K each_item(K x, kmonad f)
{
	if (!k_stack_ok()) { cd(x); return kerr("stack"); }
	K r = k_list(x->n);
	if (!r) { cd(x); return NULL; }
	for (int64_t i = 0; i < x->n; i++) {
		K v = f(ci(kK(x)[i]));
		if (!v) { r->n = i; cd(r); cd(x); return NULL; }
		kK(r)[i] = v;
	}
	cd(x);
	return k_squeeze(r);
}

K sys_ci(K x)
{
	if (x->t == KT_LIST) return each_item(x, sys_ci);
	if (x->t != KT_INT && x->t != -KT_INT) { cd(x); return kerr("type"); }
	K r = x->t == KT_INT ? k_char(0) : k_new(-KT_CHAR, x->n);
	if (!r) { cd(x); return NULL; }
	for (int64_t i = 0; i < x->n; i++) kC(r)[i] = (char)(unsigned char)((uint64_t)kI(x)[i] & 0xFF);
	cd(x);
	return r;
}

K sys_ic(K x)
{
	if (x->t == KT_LIST) return each_item(x, sys_ic);
	if (x->t != KT_CHAR && x->t != -KT_CHAR) { cd(x); return kerr("type"); }
	K r = x->t == KT_CHAR ? k_int(0) : k_new(-KT_INT, x->n);
	if (!r) { cd(x); return NULL; }
	for (int64_t i = 0; i < x->n; i++) kI(r)[i] = (unsigned char)kC(x)[i];
	cd(x);
	return r;
}
