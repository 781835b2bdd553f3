/* sys_random.c: the system functions of random numbers, built on the
 * generator of lang/random.c: x _draw y (Kona's: y > 0 draws ints below
 * y, y = 0 floats in [0,1), y < 0 deals distinct ints below -y; x is a
 * count or a shape) and x _deal y (x distinct ints below y, i.e.
 * x _draw -y). */
#include "random.h"
#include "sysfn.h"
#include "verbs.h"

/* Counts beyond this are refused with wsfull before any allocation. */
#define DRAW_LIMIT ((int64_t)1 << 40)

K sys_draw(K x, K y)
{
	K r = NULL;
	if ((x->t != KT_INT && x->t != -KT_INT) || y->t != KT_INT) { kerr("int"); goto fail; }
	int64_t n = 1;
	for (int64_t i = 0; i < x->n; i++) {
		int64_t d = kI(x)[i];
		if (d < 0) { kerr("int"); goto fail; }
		if (d && n > DRAW_LIMIT / d) { kerr("wsfull"); goto fail; }
		n *= d;
	}
	int64_t c = kI(y)[0];
	if (c == KI_NULL) { kerr("int"); goto fail; }
	if (c < 0 && n > -c) { kerr("length"); goto fail; }
	if (c < 0) r = rng_deal(n, -c);
	else {
		r = k_new(c ? -KT_INT : -KT_FLOAT, n);
		if (!r) goto fail;
		K_BLOCKS(b, e, n) {
			if (k_broken()) { cd(r); r = NULL; break; }
			if (c) for (int64_t i = b; i < e; i++) kI(r)[i] = rng_below(c);
			else for (int64_t i = b; i < e; i++) kF(r)[i] = rng_unit();
		}
	}
	if (!r || x->t == KT_INT) goto fail;
	r = verb_take(x, r);       /* the shape x */
	x = NULL;
fail:
	cd(x);
	cd(y);
	return r;
}

K sys_deal(K x, K y)
{
	if (y->t != KT_INT) { cd(x); cd(y); return kerr("int"); }
	if (kI(y)[0] < 0) { cd(x); cd(y); return kerr("domain"); }
	K ny = k_int(-kI(y)[0]);
	cd(y);
	if (!ny) { cd(x); return NULL; }
	return sys_draw(x, ny);
}
