/* sysfn.c: the system functions _name.  The table maps each name to its
 * valence and implementation; lang/parse.c looks names up here. */
#include "sysfn.h"

/* Apply a per-atom conversion over a list, keeping its shape. */
static K each_item(K x, kmonad f)
{
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

/* _ci: integers to characters. */
static K sys_ci(K x)
{
	if (x->t == KT_LIST) return each_item(x, sys_ci);
	if (x->t != KT_INT && x->t != -1) { cd(x); return kerr("type"); }
	K r = x->t == KT_INT ? k_char(0) : k_new(-3, x->n);
	if (!r) { cd(x); return NULL; }
	for (int64_t i = 0; i < x->n; i++) kC(r)[i] = (char)kI(x)[i];
	cd(x);
	return r;
}

/* _ic: characters to integers. */
static K sys_ic(K x)
{
	if (x->t == KT_LIST) return each_item(x, sys_ic);
	if (x->t != KT_CHAR && x->t != -3) { cd(x); return kerr("type"); }
	K r = x->t == KT_CHAR ? k_int(0) : k_new(-1, x->n);
	if (!r) { cd(x); return NULL; }
	for (int64_t i = 0; i < x->n; i++) kI(r)[i] = (unsigned char)kC(x)[i];
	cd(x);
	return r;
}

const sysfn sysfn_table[] = {
	{ "_ci", 1, sys_ci, NULL, NULL },
	{ "_ic", 1, sys_ic, NULL, NULL },
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
