/* lex.re: the K lexer, compiled by re2c into the build tree.
 *
 * re2c recognises one lexeme at a time (scan_one); the C around it adds
 * K's context rules: a '-' begins a negative number only where a number
 * may begin (not right after a noun unless whitespace came between);
 * numbers, and symbols, written side by side make one vector; '/' after
 * whitespace or at the start of a line starts a comment; a line holding
 * just '/' opens a comment block that a line holding just '\' closes;
 * newlines separate statements like ';' except next to brackets.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include "lex.h"
#include "sysfn.h"

enum { L_NUM, L_NAME, L_SYM, L_STR, L_VERB, L_ADVERB, L_PUNCT, L_BAD };

/* One lexeme at p (NUL-terminated); its class in *cls, its end returned. */
static const char *scan_one(const char *p, int *cls)
{
	const char *YYMARKER = p;
	const char *start = p;
	(void)start;
	/*!re2c
	re2c:define:YYCTYPE = "unsigned char";
	re2c:define:YYCURSOR = p;
	re2c:yyfill:enable = 0;
	re2c:indent:top = 1;

	dig = [0-9];
	exp = [eE] [+-]? dig+;
	num = dig+ | dig+ "." dig* exp? | "." dig+ exp? | dig+ exp | "0" [NIni];
	ident = [a-zA-Z] [a-zA-Z0-9_]*;
	path = "."? ident ("." "."? ident)*;    /* a.b, .k.a, and x..a (attribute) */
	sysname = "_" [a-zA-Z] [a-zA-Z0-9]* ("." [a-zA-Z0-9_.]*)?;
	str = "\"" ([^"\\\x00] | "\\" [^\x00])* "\"";
	symname = [._]* [a-zA-Z] [a-zA-Z0-9_]* ("."+ [a-zA-Z_] [a-zA-Z0-9_]*)* "."*;

	num          { *cls = L_NUM; return p; }
	path         { *cls = L_NAME; return p; }
	sysname      { *cls = L_NAME; return p; }
	"`" str      { *cls = L_SYM; return p; }
	"`" (symname | "."+)?  { *cls = L_SYM; return p; }
	str          { *cls = L_STR; return p; }
	[+\-*%|&^!<>=~@?#_,$.:] { *cls = L_VERB; return p; }
	['/\\] ":"?  { *cls = L_ADVERB; return p; }
	[()[\]{};]   { *cls = L_PUNCT; return p; }
	*            { *cls = L_BAD; return p; }
	*/
}

/* Append a token; 0 or -1 (wsfull).  The list grows into a new block, so
 * that a failure leaves the tokens so far (and their literals) in place
 * for lex_free. */
static int push(ktoks *ts, ktok t)
{
	if (ts->n == ts->cap) {
		int cap = ts->cap ? 2 * ts->cap : 32;
		K s = k_new(-1, ((int64_t)cap * (int64_t)sizeof(ktok) + 7) / 8);
		if (!s) return -1;
		if (ts->n) memcpy(kI(s), ts->t, ts->n * sizeof(ktok));
		cd(ts->store);
		ts->store = s;
		ts->t = (ktok *)kI(s);
		ts->cap = cap;
	}
	ts->t[ts->n++] = t;
	return 0;
}

void lex_free(ktoks *ts)
{
	for (int i = 0; i < ts->n; i++)
		if (ts->t[i].type == TK_NOUN) cd(ts->t[i].v);
	cd(ts->store);
	ts->t = NULL;
	ts->store = NULL;
	ts->n = ts->cap = 0;
}

/* The value of one number lexeme [p, e), negated if neg.  Sets *isf when
 * it is a float. */
static void number(const char *p, const char *e, int neg, int64_t *i, double *f, int *isf)
{
	if (e - p == 2 && p[0] == '0' && strchr("NIni", p[1])) {
		switch (p[1]) {
		case 'N': *isf = 0; *i = KI_NULL; break;
		case 'I': *isf = 0; *i = neg ? -KI_INF : KI_INF; break;
		case 'n': *isf = 1; *f = KF_NULL; break;
		default: *isf = 1; *f = neg ? -KF_INF : KF_INF; break;
		}
		return;
	}
	*isf = 0;
	for (const char *q = p; q < e; q++)
		if (*q == '.' || *q == 'e' || *q == 'E') *isf = 1;
	char buf[64];
	int len = (int)(e - p) < 62 ? (int)(e - p) : 62;
	buf[0] = '-';
	memcpy(buf + 1, p, len);
	buf[len + 1] = 0;
	const char *s = neg ? buf : buf + 1;
	if (*isf) { *f = strtod(s, NULL); return; }
	errno = 0;
	long long v = strtoll(s, NULL, 10);
	if (errno == ERANGE) { *i = neg ? -KI_INF : KI_INF; return; }   /* as Kona: 0I */
	*i = v;
}

/* Does a number start at p, given that a '-' may be taken as its sign? */
static int number_at(const char *p)
{
	if (*p >= '0' && *p <= '9') return 1;
	return *p == '.' && p[1] >= '0' && p[1] <= '9';
}

/* Numbers side by side: scan them all from p into one noun. */
static const char *numbers(const char *p, const char *end, K *out)
{
	int64_t ints[16];
	double flts[16];
	int64_t n = 0, cap = 16;
	int64_t *iv = ints;
	double *fv = flts;
	int anyf = 0;
	K store_i = NULL, store_f = NULL;
	const char *q = p, *last = p;
	for (;;) {
		int neg = 0;
		const char *s = q;
		if (*s == '-') { neg = 1; s++; }
		int cls;
		const char *e = scan_one(s, &cls);
		if (cls != L_NUM) break;
		if (n == cap) {
			cap *= 2;
			K ni = store_i ? k_resize(store_i, cap) : k_new(-1, cap);
			if (!ni) { cd(store_f); *out = NULL; return NULL; }
			if (!store_i) memcpy(kI(ni), ints, sizeof ints);
			store_i = ni;
			K nf = store_f ? k_resize(store_f, cap) : k_new(-2, cap);
			if (!nf) { cd(store_i); *out = NULL; return NULL; }
			if (!store_f) memcpy(kF(nf), flts, sizeof flts);
			store_f = nf;
			iv = kI(store_i);
			fv = kF(store_f);
		}
		int isf;
		int64_t i = 0;
		double f = 0;
		number(s, e, neg, &i, &f, &isf);
		iv[n] = i;
		fv[n] = isf ? f : (i == KI_NULL ? KF_NULL : i == KI_INF ? KF_INF : i == -KI_INF ? -KF_INF : (double)i);
		anyf |= isf;
		n++;
		last = e;
		/* another number after blanks? */
		q = e;
		while (q < end && (*q == ' ' || *q == '\t')) q++;
		if (q == e) break;
		if (!(number_at(q) || (*q == '-' && number_at(q + 1)))) break;
		/* "1 2/" : a number right before an adverb still belongs */
	}
	K r = n == 1 ? (anyf ? k_float(fv[0]) : k_int(iv[0])) : k_new(anyf ? -2 : -1, n);
	if (r && n > 1) memcpy(r->d, anyf ? (void *)fv : (void *)iv, n * 8);
	cd(store_i);
	cd(store_f);
	*out = r;
	return r ? last : NULL;
}

/* The characters of a string lexeme [p, e) (quotes included), unescaped. */
static K string(const char *p, const char *e)
{
	K s = k_new(-3, e - p);
	if (!s) return NULL;
	char *o = kC(s);
	int64_t n = 0;
	for (const char *q = p + 1; q < e - 1; q++) {
		if (*q != '\\') { o[n++] = *q; continue; }
		q++;
		switch (*q) {
		case 'n': o[n++] = '\n'; break;
		case 't': o[n++] = '\t'; break;
		case 'r': o[n++] = '\r'; break;
		case 'b': o[n++] = '\b'; break;
		default:
			if (*q >= '0' && *q <= '7') {
				int v = 0, k = 0;
				while (k < 3 && *q >= '0' && *q <= '7') { v = v * 8 + (*q - '0'); q++; k++; }
				q--;
				o[n++] = (char)v;
			} else
				o[n++] = *q;
		}
	}
	s->n = n;
	o[n] = 0;
	return s;
}

/* Symbols side by side from p: one atom or a symbol vector. */
static const char *symbols(const char *p, const char *end, K *out)
{
	K v = k_new(-4, 0);
	const char *q = p, *last = p;
	while (v) {
		int cls;
		const char *e = scan_one(q, &cls);
		if (cls != L_SYM) break;
		ksym s;
		if (q[1] == '"') {
			K str = string(q + 1, e);
			if (!str) { cd(v); v = NULL; break; }
			s = sym_intern(kC(str), str->n);
			cd(str);
		} else
			s = sym_intern(q + 1, e - q - 1);
		if (!s) { cd(v); v = NULL; break; }
		v = k_resize(v, v->n + 1);
		if (!v) break;
		kS(v)[v->n - 1] = s;
		last = e;
		q = e;
		while (q < end && (*q == ' ' || *q == '\t')) q++;
		if (*q != '`') break;
	}
	if (v && v->n == 1) {
		K a = k_symv(kS(v)[0]);
		cd(v);
		v = a;
	}
	*out = v;
	return v ? last : NULL;
}

/* Can the token just pushed end a noun (so a '-' after it is minus)? */
static int ends_noun(const ktoks *ts)
{
	if (!ts->n) return 0;
	const ktok *t = &ts->t[ts->n - 1];
	return t->type == TK_NOUN || t->type == TK_NAME || t->type == TK_RP || t->type == TK_RB || t->type == TK_RC;
}

static const char *next_line(const char *p, const char *end)
{
	while (p < end && *p != '\n') p++;
	return p;
}

/* Is the name at p (a '_') a reserved function (_db_bd is _db _bd; Kona
 * reads _vs_a and _n_ as parse errors)? */
static int sysfn_follows(const char *p)
{
	int cls;
	const char *e = scan_one(p, &cls);
	if (cls != L_NAME) return 0;
	ksym s = sym_intern(p, e - p);
	int id = s ? sysfn_find(s) : -1;
	return id >= 0 && sysfn_table[id].valence > 0;
}

/* A newline separates statements as ';' does (so that {a:x
 * }[1] ends in an empty statement and gives _n, and (1;
 * 2) has three items, as in Kona), except at the start or the end, and
 * right after a '{' or a lambda's argument list {[x;y]: there it is
 * dropped. */
static void drop_newlines(ktoks *ts)
{
	int w = 0, header_end = -1, last = -1;   /* last: where ts->t[w - 1] was */
	for (int r = 0; r < ts->n; r++) {
		ktok *t = &ts->t[r];
		if (t->type == TK_LC && ts->t[r + 1].type == TK_LB)      /* {[args] */
			for (int j = r + 2; j < ts->n && header_end < r; j++)
				if (ts->t[j].type == TK_RB) header_end = j;
		if (t->type == TK_SEMI && t->id == 1) {
			int prev = w ? ts->t[w - 1].type : TK_LC;
			if (prev == TK_LC || ts->t[r + 1].type == TK_END || (prev == TK_RB && last == header_end))
				continue;
		}
		last = r;
		ts->t[w++] = *t;
	}
	ts->n = w;
}

int lex(const char *src, int64_t n, ktoks *out, int *errpos)
{
	const char *p = src, *end = src + n;
	ktoks ts = {0};
	int space = 0, bol = 1;
	while (p < end) {
		char c = *p;
		if (c == '/' && (space || bol)) { p = next_line(p, end); continue; }
		bol = 0;
		if (c == ' ' || c == '\t' || c == '\r') { space = 1; p++; continue; }
		ktok t = { .space = space, .pos = (int)(p - src) };
		space = 0;
		if (c == '\n') {
			p++;
			bol = 1;
			space = 1;
			t.type = TK_SEMI;
			t.len = 1;
			t.id = 1;      /* a newline */
			if (push(&ts, t)) goto fail;
			continue;
		}
		int cls;
		const char *e;
		if ((c == '-' && number_at(p + 1) && (!ends_noun(&ts) || t.space)) || number_at(p)) {
			/* an I/O verb 0: .. 6: */
			if (c >= '0' && c <= '6' && p[1] == ':' && !(p + 2 < end && p[2] == ':')) {
				t.type = TK_VERB;
				t.id = V_IO0 + (c - '0');
				t.len = 2;
				p += 2;
				if (push(&ts, t)) goto fail;
				continue;
			}
			K v;
			e = numbers(p, end, &v);
			if (!e) goto fail;
			t.type = TK_NOUN;
			t.v = v;
			t.len = (int)(e - p);
			p = e;
			if (push(&ts, t)) { cd(v); goto fail; }
			continue;
		}
		e = scan_one(p, &cls);
		t.len = (int)(e - p);
		switch (cls) {
		case L_NUM:     /* 0I etc. are caught above; unreachable */
		case L_NAME:
			if (*p == '_' && (memchr(p, '.', e - p) || (*e == '_' && !sysfn_follows(e)))) {   /* _vs.a, _vs_a */
				*errpos = t.pos;
				lex_free(&ts);
				kerr("parse");
				return -1;
			}
			t.type = TK_NAME;
			t.s = sym_intern(p, e - p);
			if (!t.s) goto fail;
			break;
		case L_SYM: {
			K v;
			e = symbols(p, end, &v);
			if (!e) goto fail;
			t.type = TK_NOUN;
			t.v = v;
			t.len = (int)(e - p);
			p = e;
			if (push(&ts, t)) { cd(v); goto fail; }
			continue;
		}
		case L_STR: {
			K s = string(p, e);
			if (!s) goto fail;
			if (s->n == 1) { K a = k_char(kC(s)[0]); cd(s); s = a; if (!s) goto fail; }
			t.type = TK_NOUN;
			t.v = s;
			p = e;
			if (push(&ts, t)) { cd(s); goto fail; }
			continue;
		}
		case L_VERB:
			t.type = TK_VERB;
			t.id = (int)(strchr(VERB_CHARS, c) - VERB_CHARS);
			/* +: or a::, but in ,:[c;t;f] the ':' begins a conditional */
			if (*e == ':' && e[1] != '[') { t.colon = 1; e++; t.len++; }
			break;
		case L_ADVERB:
			t.type = TK_ADVERB;
			t.id = c == '\'' ? (t.len == 2 ? AV_EACHPRIOR : AV_EACH)
			     : c == '/' ? (t.len == 2 ? AV_EACHRIGHT : AV_OVER)
			     : (t.len == 2 ? AV_EACHLEFT : AV_SCAN);
			break;
		case L_PUNCT:
			t.type = c == '(' ? TK_LP : c == ')' ? TK_RP : c == '[' ? TK_LB
			       : c == ']' ? TK_RB : c == '{' ? TK_LC : c == '}' ? TK_RC : TK_SEMI;
			break;
		default:
			*errpos = t.pos;
			lex_free(&ts);
			kerr("parse");
			return -1;
		}
		p = e;
		if (push(&ts, t)) goto fail;
	}
	ktok t = { .type = TK_END, .pos = (int)n };
	if (push(&ts, t)) goto fail;
	drop_newlines(&ts);
	*out = ts;
	return 0;
fail:
	*errpos = (int)(p - src);
	lex_free(&ts);
	if (!kc->err) kerr("wsfull");
	return -1;
}
