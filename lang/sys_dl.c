#define _GNU_SOURCE
/* sys_dl.c: `lib 2:(`name;n), C functions from shared libraries.
 *
 * The library is opened with dlopen (".so" added to its name when it has
 * none; a name without a slash is searched for as dlopen searches) and
 * `name` looked up in it.  The function must have the signature of one
 * registered through krt.h, K name(krt *k, int n, K *args) (krt_cfunc), so
 * that one C function serves both ways; the API turns it into a K
 * function value (KL->make_cfunc, set by krt_open) of valence n, 0 .. 8.
 * Each library stays open for the life of the state: the function values
 * may live as long as it does.  Errors: "type" for arguments of the wrong
 * kind, "valence" for n out of range, and dlerror's own text, which names
 * the library or the symbol, when either is missing.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include "session.h"

/* The error of dlopen or dlsym, as a K error of its own text. */
static K dl_error(void)
{
	const char *e = dlerror();
	if (!e) e = "dlopen";
	return kerr_text(e, strlen(e) < 200 ? strlen(e) : 200);
}

/* Keep h open with the state; a library opened again is counted once. */
static int keep(void *h)
{
	for (int i = 0; i < KL->ndl; i++)
		if (KL->dl[i] == h) { dlclose(h); return 0; }   /* dlopen counted it twice */
	void **grown = realloc(KL->dl, (size_t)(KL->ndl + 1) * sizeof *grown);
	if (!grown) { dlclose(h); kerr("wsfull"); return -1; }
	KL->dl = grown;
	KL->dl[KL->ndl++] = h;
	return 0;
}

void dl_close_all(void)
{
	for (int i = 0; i < KL->ndl; i++) dlclose(KL->dl[i]);
	free(KL->dl);
	KL->dl = NULL;
	KL->ndl = 0;
}

/* The library's file name from x (a symbol or a string). */
static int lib_name(K x, char *buf, size_t cap)
{
	const char *s;
	size_t n;
	if (x->t == KT_SYM) { s = kS(x)[0]; n = strlen(s); }
	else if (x->t == -KT_CHAR) { s = kC(x); n = (size_t)x->n; }
	else { kerr("type"); return -1; }
	if (!n || memchr(s, 0, n)) { kerr("domain"); return -1; }
	int has_so = n >= 3 && !memcmp(s + n - 3, ".so", 3);
	has_so = has_so || memmem(s, n, ".so.", 4);
	if ((size_t)snprintf(buf, cap, "%.*s%s", (int)n, s, has_so ? "" : ".so") >= cap) {
		kerr("limit");
		return -1;
	}
	return 0;
}

/* (`name;n) or `name,n: the symbol and the valence. */
static int fn_spec(K y, ksym *name, int64_t *valence)
{
	if (y->t != KT_LIST || y->n != 2) { kerr("type"); return -1; }
	K s = kK(y)[0], v = kK(y)[1];
	if (s->t != KT_SYM || v->t != KT_INT) { kerr("type"); return -1; }
	if (!*kS(s)[0]) { kerr("domain"); return -1; }
	*name = kS(s)[0];
	*valence = kI(v)[0];
	return 0;
}

K dl_function(K x, K y)
{
	K r = NULL;
	char path[PATH_MAX];
	ksym name;
	int64_t valence;
	if (lib_name(x, path, sizeof path) || fn_spec(y, &name, &valence)) goto done;
	if (valence < 0 || valence > 8) { kerr("valence"); goto done; }
	if (!KL->make_cfunc) { kerr("nonce"); goto done; }    /* the language without the API */
	dlerror();
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) { dl_error(); goto done; }
	dlerror();
	void *fn = dlsym(h, name);
	if (!fn) {
		dl_error();
		dlclose(h);
		goto done;
	}
	if (keep(h)) goto done;
	r = KL->make_cfunc(fn, name, (int)valence);
done:
	cd(x);
	cd(y);
	return r;
}
