/* sys_str.c: the string system functions.  x _sm y matches text against a
 * shell pattern (* ? [set] [^set] [a-z], no escapes: fnmatch as Kona uses
 * it); x _ss y finds the non-overlapping places of a pattern of literal
 * characters, ? and [set] (a symbol pattern matches whole words only);
 * _ssr[x;y;z] replaces each match by z (a string, an atom shown as $z, or
 * a function of the matched text).  Either side of _sm and _ss may be a
 * list, taken item by item. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include "sysfn.h"
#include "verbs.h"
#include "apply.h"

/* The text of a char vector, char atom or symbol, as a C string in a fresh
 * heap block (freed with cd); NULL with "type" for anything else. */
static K text_of(K x)
{
	const char *s;
	size_t n;
	if (x->t == -KT_CHAR || x->t == KT_CHAR) { s = kC(x); n = (size_t)x->n; }
	else if (x->t == KT_SYM) { s = kS(x)[0]; n = strlen(s); }
	else return kerr("type");
	K r = k_new(-KT_CHAR, (int64_t)n);
	if (!r) return NULL;
	memcpy(kC(r), s, n);
	kC(r)[n] = 0;
	return r;
}

static int stringish(K x) { return x->t == KT_LIST || x->t == KT_CHAR || x->t == -KT_CHAR || x->t == KT_SYM || x->t == -KT_SYM; }
/* Does x stand for several texts (a general list or a symbol vector)? */
static int several(K x) { return x->t == KT_LIST || x->t == -KT_SYM; }

/* f over the items of x and/or y when either is a list of texts (both:
 * pairwise, counts must agree).  Returns 0 when neither is. */
static int pairwise(K x, K y, kdyad f, K *out)
{
	if (!k_stack_ok()) { *out = NULL; kerr("stack"); return 1; }
	int sx = several(x), sy = several(y);
	if (!sx && !sy) return 0;
	*out = NULL;
	if (sx && sy && x->n != y->n) { kerr("length"); return 1; }
	int64_t n = sx ? x->n : y->n;
	K r = k_list(n);
	if (!r) return 1;
	for (int64_t i = 0; i < n; i++) {
		K a = sx ? k_item(x, i) : ci(x);
		K b = sy ? k_item(y, i) : ci(y);
		K v = a && b ? f(a, b) : (cd(a), cd(b), NULL);
		if (!v) { r->n = i; cd(r); return 1; }
		kK(r)[i] = v;
	}
	*out = k_squeeze(r);
	return 1;
}

/* x _sm y: 1 when text x matches pattern y. */
K sys_sm(K x, K y)
{
	K r = NULL, tx = NULL, ty = NULL;
	if (!stringish(x) || !stringish(y)) { kerr("type"); goto fail; }
	if (pairwise(x, y, sys_sm, &r)) goto fail;
	tx = text_of(x);
	ty = tx ? text_of(y) : NULL;
	if (!ty) goto fail;
	r = k_int(fnmatch(kC(ty), kC(tx), FNM_NOESCAPE) == 0);
fail:
	cd(tx);
	cd(ty);
	cd(x);
	cd(y);
	return r;
}

/* ---- patterns of _ss ------------------------------------------------------ */

/* A compiled pattern: m units, each the set of bytes it accepts. */
typedef struct { uint8_t set[32]; } unit;
static void set_add(unit *u, unsigned c) { u->set[c >> 3] |= (uint8_t)(1u << (c & 7)); }
static int set_has(const unit *u, unsigned char c) { return u->set[c >> 3] >> (c & 7) & 1; }

/* [set] starting after the '[' at p: fill u, return the char after ']', or
 * NULL when the set is not closed. */
static const char *parse_set(const char *p, unit *u)
{
	unit s;
	memset(&s, 0, sizeof s);
	int negate = *p == '^';
	if (negate) p++;
	if (*p == ']') { set_add(&s, ']'); p++; }
	for (;;) {
		unsigned char c = (unsigned char)*p++;
		if (!c) return NULL;
		if (c == ']') break;
		if (*p == '-' && p[1] && p[1] != ']') {
			unsigned char d = (unsigned char)p[1];
			p += 2;
			for (unsigned k = c; k <= d; k++) set_add(&s, k);
		} else set_add(&s, c);
	}
	if (negate) for (int i = 0; i < 32; i++) s.set[i] = (uint8_t)~s.set[i];
	*u = s;
	return p;
}

/* Compile the pattern text p (n chars) into units, a char vector used as
 * a buffer of n units at most; *m gets the count.  NULL with "domain" for
 * an unclosed [set]. */
static K compile(const char *p, int64_t *m)
{
	int64_t n = (int64_t)strlen(p);
	K buf = k_new(-KT_CHAR, n * (int64_t)sizeof(unit));
	if (!buf) return NULL;
	unit *u = (unit *)kC(buf);
	int64_t k = 0;
	while (*p) {
		if (*p == '?') { memset(&u[k], 0xFF, sizeof(unit)); p++; }
		else if (*p == '[') {
			p = parse_set(p + 1, &u[k]);
			if (!p) { cd(buf); return kerr("domain"); }
		} else { memset(&u[k], 0, sizeof(unit)); set_add(&u[k], (unsigned char)*p++); }
		k++;
	}
	*m = k;
	return buf;
}

static int word_char(char c) { return isalnum((unsigned char)c) != 0; }

/* Places of the pattern in text t (n chars), left to right, not
 * overlapping; `words`: only where no letter or digit touches the match. */
static K find_all(const char *t, int64_t n, const unit *u, int64_t m, int words)
{
	K r = k_new(-KT_INT, 0);
	if (!r) return NULL;
	int64_t count = 0;
	for (int64_t i = 0; i + m <= n;) {
		int64_t j = 0;
		if (!words || ((i == 0 || !word_char(t[i - 1])) && (i + m == n || !word_char(t[i + m]))))
			while (j < m && set_has(&u[j], (unsigned char)t[i + j])) j++;
		if (j < m) { i++; continue; }
		if (count == k_cap(r)) {
			r = k_resize(r, count ? 2 * count : 8);
			if (!r) return NULL;
		}
		r->n = count + 1;
		kI(r)[count++] = i;
		i += m;
	}
	r->n = count;
	return r;
}

/* The places of pattern y in text x, and the unit count of y in *m. */
static K search(K x, K y, int64_t *m)
{
	K r = NULL, tx = NULL, ty = NULL, units = NULL;
	tx = text_of(x);
	ty = tx ? text_of(y) : NULL;
	if (!ty) goto fail;
	if (!tx->n || !ty->n) { kerr("length"); goto fail; }
	units = compile(kC(ty), m);
	if (!units) goto fail;
	r = find_all(kC(tx), tx->n, (unit *)kC(units), *m, y->t == KT_SYM);
fail:
	cd(units);
	cd(tx);
	cd(ty);
	return r;
}

/* x _ss y: where pattern y occurs in text x. */
K sys_ss(K x, K y)
{
	K r = NULL;
	if (!stringish(x) || !stringish(y)) { kerr("type"); goto fail; }
	if (pairwise(x, y, sys_ss, &r)) goto fail;
	int64_t m;
	r = search(x, y, &m);
fail:
	cd(x);
	cd(y);
	return r;
}

/* A replacement text: a string or char as it is, another atom as $v. */
static K as_text(K v)
{
	if (v->t == -KT_CHAR || v->t == KT_CHAR) return v;
	if (v->t > 0 && v->t != KT_DICT && v->t != KT_FUNC) return verb_format(v);
	cd(v);
	return kerr("type");
}

/* The replacement for match k of `count`, whose text is `piece` (consumed):
 * z applied to it when z is a function; z when z is a string or an atom;
 * item k of z when z is a list of one replacement per match (a 1-item
 * list serves every match).  A new char vector or char atom. */
static K replacement(K z, K piece, int64_t k, int64_t count)
{
	if (z->t == KT_FUNC) {
		K v = k_call1(z, piece);
		if (v && v->t != -KT_CHAR && v->t != KT_CHAR && !(v->t == KT_LIST && !v->n)) { cd(v); return kerr("type"); }
		return v;
	}
	cd(piece);
	if (z->t == -KT_CHAR || z->t > 0) return as_text(ci(z));
	if (z->n != 1 && z->n != count) return kerr("length");
	K v = k_item(z, z->n == 1 ? 0 : k);
	return v ? as_text(v) : NULL;
}

/* _ssr[x;y;z]: text x with each match of pattern y replaced by z. */
K sys_ssr(K x, K y, K z)
{
	K r = NULL, at = NULL;
	if (x->t == KT_NULL) { r = x; x = NULL; goto fail; }
	if (x->t != -KT_CHAR && x->t != KT_CHAR) { kerr("type"); goto fail; }
	if (!stringish(y) || several(y)) { kerr("type"); goto fail; }
	int64_t m;
	at = search(x, y, &m);
	if (!at) goto fail;
	r = k_new(-KT_CHAR, 0);
	if (!r) goto fail;
	int64_t from = 0;
	for (int64_t i = 0; i <= at->n; i++) {
		int64_t to = i < at->n ? kI(at)[i] : x->n;
		K parts[2] = { k_str(kC(x) + from, (size_t)(to - from)), NULL };
		if (!parts[0]) goto fail_r;
		if (i < at->n) {
			K piece = k_str(kC(x) + to, (size_t)m);
			parts[1] = piece ? replacement(z, piece, i, at->n) : NULL;
			if (!parts[1]) { cd(parts[0]); goto fail_r; }
			from = to + m;
		}
		for (int p = 0; p < 2 && parts[p]; p++) {
			K s = parts[p];
			int64_t len = s->t == KT_CHAR ? 1 : s->n, old = r->n;
			r = k_resize(r, old + len);
			if (!r) { cd(parts[0]); cd(parts[1]); goto fail; }
			memcpy(kC(r) + old, kC(s), (size_t)len);
			kC(r)[old + len] = 0;
		}
		cd(parts[0]);
		cd(parts[1]);
	}
	goto fail;
fail_r:
	cd(r);
	r = NULL;
fail:
	cd(at);
	cd(x);
	cd(y);
	cd(z);
	return r;
}
