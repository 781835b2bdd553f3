/* io.c: the I/O verbs 0: .. 6:.  So far: 0: text (lines read from a file,
 * lines written to a file or, for the empty symbol, to standard output),
 * 4: type and 5: the display form that evaluates back. */
#include <stdio.h>
#include "verbs.h"

/* The file name of a symbol or string x (borrowed); "" for the console. */
static const char *file_name(K x)
{
	if (x->t == KT_SYM) return kS(x)[0];
	if (x->t == -3) return kC(x);
	return NULL;
}

/* Write y (a string, or a list of strings, one a line) to f. */
static int write_text(FILE *f, K y)
{
	if (y->t == -3 || y->t == KT_CHAR) return fwrite(kC(y), 1, y->n, f) == (size_t)y->n ? 0 : -1;
	if (y->t != KT_LIST) return 1;
	for (int64_t i = 0; i < y->n; i++) {
		K s = kK(y)[i];
		if (s->t != -3 && s->t != KT_CHAR) return 1;
		if (fwrite(kC(s), 1, s->n, f) != (size_t)s->n || fputc('\n', f) == EOF) return -1;
	}
	return 0;
}

static K read_lines(const char *name)
{
	FILE *f = fopen(name, "rb");
	if (!f) return kerr("domain");
	K r = k_list(0);
	K line = k_new(-3, 0);
	int c;
	while (r && line && (c = fgetc(f)) != EOF) {
		if (c == '\n') {
			r = k_resize(r, r->n + 1);
			if (!r) break;
			kK(r)[r->n - 1] = line;
			line = k_new(-3, 0);
			continue;
		}
		line = k_resize(line, line->n + 1);
		if (line) { kC(line)[line->n - 1] = (char)c; kC(line)[line->n] = 0; }
	}
	fclose(f);
	if (r && line && line->n) {
		r = k_resize(r, r->n + 1);
		if (r) { kK(r)[r->n - 1] = line; line = NULL; }
	}
	cd(line);
	return r;
}

K verb_io_monad(int which, K x)
{
	K r;
	if (which == 4) { r = k_int(x->t); cd(x); return r; }      /* 4:x type */
	if (which == 5) { r = k_repr(x); cd(x); return r; }        /* 5:x repr */
	const char *name = file_name(x);
	if (which == 0 && name) r = read_lines(name);
	else r = kerr(name ? "nonce" : "type");
	cd(x);
	return r;
}

K verb_io_dyad(int which, K x, K y)
{
	K r = NULL;
	const char *name = file_name(x);
	if (which != 0) r = kerr("nonce");
	else if (!name) r = kerr("type");
	else {
		FILE *f = *name ? fopen(name, "wb") : stdout;
		int e = f ? write_text(f, y) : -1;
		if (f && f != stdout) fclose(f);
		else if (f) fflush(f);
		r = e > 0 ? kerr("type") : e < 0 ? kerr("domain") : k_null();
	}
	cd(x);
	cd(y);
	return r;
}
