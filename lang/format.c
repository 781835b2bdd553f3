/* format.c: values as text.
 *
 * Owns the console display of every value (k_show, char for char as Kona
 * prints it), the 5: form (k_repr: Kona's 5: is its display text), and the
 * verb $: monadic format (a value to strings) and dyadic form (pad or
 * truncate to a width, fixed or exponent decimals, parse a string into an
 * int, a float or a symbol).
 *
 * The display rules, Kona's:
 *  - an atom shows as written; a 1-item list or vector as ,item; an empty
 *    vector by the phrase that makes it: !0 0#0.0 "" 0#` and ();
 *  - a general list goes on one line, (a;b;c), unless an item is a
 *    non-empty list or vector, a string (even "") or a dictionary: then it
 *    takes one item a line, every line after the first indented by the
 *    depth of its item;
 *  - a dictionary is "." followed by the list of its (key;value;attr)
 *    triples, one level deeper;
 *  - floats show \p significant digits (%g); the last float of a vector
 *    gets ".0" when its text would otherwise read as an int;
 *  - functions show as written: a lambda its source, a verb its glyph, a
 *    monadic verb with ":", a derived verb its verb and adverb, a
 *    projection f[a;] or (for a verb with its left argument) 1+, a
 *    composition its parts in a row; a lambda, a projection or a
 *    composition inside a derived verb or a composition is parenthesised.
 *
 * Text is built in one char vector that doubles as it fills, so showing
 * a large vector allocates O(log n) times, not once per item.
 */
#include "sysfn.h"
#include "verbs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- a growing text ---------------------------------------------------- */

/* s->n is the room; len the text so far.  s is NULL once growing failed
 * (k_resize released it and recorded wsfull); every writer then does
 * nothing, and text_done reports the failure.  A value nested deeper than
 * the C stack of the running thread can show is refused ("stack", see
 * runtime/stack.c), not allowed to crash the process. */
typedef struct text {
	K s;
	int64_t len;
	int64_t polled;      /* len when a break was last polled for */
} text;

static void text_open(text *b, int64_t room)
{
	b->len = b->polled = 0;
	b->s = k_new(-KT_CHAR, room < 32 ? 32 : room);
}

/* May the walk go one level deeper?  Not once the text has failed (a
 * break, wsfull: the rest of a value of 10^9 shared items is not walked
 * for nothing), nor without C stack left, which fails the text. */
static int text_deeper(text *b)
{
	if (!b->s) return 0;
	if (k_stack_ok()) return 1;
	if (b->s) { cd(b->s); b->s = NULL; kerr("stack"); }
	return 0;
}

/* Room for `more` bytes plus the NUL kept after every char vector. */
static int text_room(text *b, int64_t more)
{
	if (!b->s) return 0;
	if (b->len - b->polled > K_POLL_BLOCK) {   /* showing 10^8 numbers takes long */
		b->polled = b->len;
		if (k_broken()) { cd(b->s); b->s = NULL; return 0; }
	}
	int64_t need = b->len + more + 1;
	if (need <= b->s->n) return 1;
	int64_t room = b->s->n * 2;
	b->s = k_resize(b->s, room < need ? need : room);
	return b->s != NULL;
}

static void text_put(text *b, const char *p, int64_t n)
{
	if (!text_room(b, n)) return;
	memcpy(kC(b->s) + b->len, p, (size_t)n);
	b->len += n;
}

static void text_putc(text *b, char c)
{
	if (!text_room(b, 1)) return;
	kC(b->s)[b->len++] = c;
}

static void text_fill(text *b, char c, int64_t n)
{
	if (n <= 0 || !text_room(b, n)) return;
	memset(kC(b->s) + b->len, c, (size_t)n);
	b->len += n;
}

static void text_puts(text *b, const char *s) { text_put(b, s, (int64_t)strlen(s)); }

/* The text as a char vector (new), or NULL with wsfull. */
static K text_done(text *b)
{
	if (!text_room(b, 0)) return NULL;
	K s = k_resize(b->s, b->len);
	b->s = NULL;
	if (s) kC(s)[s->n] = 0;
	return s;
}

/* ---- numbers and names ------------------------------------------------- */

#define NUM_TEXT 48   /* room for any int_text or float_text */

/* Decimal text of an int, with 0N 0I -0I; returns its length. */
static int int_text(char *p, int64_t v)
{
	if (v == KI_NULL) { memcpy(p, "0N", 2); return 2; }
	if (v == KI_INF) { memcpy(p, "0I", 2); return 2; }
	if (v == -KI_INF) { memcpy(p, "-0I", 3); return 3; }
	/* two digits a step, from the right, through a table of "00".."99" */
	static const char pairs[201] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char digits[24], *q = digits + sizeof digits;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	while (u >= 100) {
		q -= 2;
		memcpy(q, pairs + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) { q -= 2; memcpy(q, pairs + 2 * u, 2); }
	else *--q = (char)('0' + u);
	int len = 0;
	if (v < 0) p[len++] = '-';
	int nd = (int)(digits + sizeof digits - q);
	memcpy(p + len, q, (size_t)nd);
	return len + nd;
}

/* Significant digits for floats: \p, where 0 means the most (19). */
static int float_digits(void)
{
	int p = kc && kc->lang ? KL->precision : 7;
	return p <= 0 || p > 19 ? 19 : p;
}

/* Text of a float in printf style `conv` ('g', 'f' or 'e') with `prec`
 * digits, or 0n 0i -0i; returns its length. */
static int float_text(char *p, double f, char conv, int prec)
{
	if (isnan(f)) { memcpy(p, "0n", 2); return 2; }
	if (isinf(f)) {
		if (f > 0) { memcpy(p, "0i", 2); return 2; }
		memcpy(p, "-0i", 3);
		return 3;
	}
	/* A whole number with fewer digits than `prec` is its int's digits under
	 * %g: skip printf, the slow part of showing a float vector. */
	static const double pow10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
		1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18 };
	if (conv == 'g' && prec > 0 && prec <= 18 && fabs(f) < pow10[prec] && f == floor(f)
		&& !(f == 0 && signbit(f)))
		return int_text(p, (int64_t)f);
	char fmt[] = "%.*g";
	fmt[3] = conv;
	int n = snprintf(p, NUM_TEXT, fmt, prec, f);
	return n < NUM_TEXT ? n : NUM_TEXT - 1;
}

/* Would this float's %g text read back as an int (no '.', no exponent)? */
static int float_looks_int(const char *p, int n, double f)
{
	if (isnan(f) || isinf(f)) return 0;
	return !memchr(p, '.', (size_t)n) && !memchr(p, 'e', (size_t)n);
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_name_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
}

/* Can symbol s be written `s, or does it need quotes `"s"?  Kona quotes
 * whatever its lexer would not read back as one name. */
static int sym_plain(const char *s)
{
	size_t n = strlen(s);
	if (n && is_digit(s[0])) return 0;
	if (n == 1 && s[0] == '.') return 0;
	if (n > 1 && s[n - 1] == '.' && s[n - 2] == '.') return 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_name_char(s[i])) return 0;
		if (s[i] == '.' && i + 1 < n && is_digit(s[i + 1])) return 0;
		if (i + 2 < n && s[i] == '.' && s[i + 1] == '.' && s[i + 2] == '.') return 0;
	}
	return 1;
}

/* ---- display of atoms and vectors -------------------------------------- */

/* Each shows the items of an atom (1 item) or a vector, space separated,
 * or the empty phrase; the ",": prefix of a 1-item vector is the caller's. */
typedef void (*show_items_fn)(text *b, K x);

static void show_ints(text *b, K x)
{
	if (x->n == 0) { text_puts(b, "!0"); return; }
	for (int64_t i = 0; i < x->n; i++) {
		if (!text_room(b, 24)) return;
		char *p = kC(b->s) + b->len;
		if (i) *p++ = ' ';
		b->len += (i > 0) + int_text(p, kI(x)[i]);
	}
}

static void show_floats(text *b, K x)
{
	if (x->n == 0) { text_puts(b, "0#0.0"); return; }
	int digits = float_digits();
	char num[NUM_TEXT];
	for (int64_t i = 0; i < x->n && b->s; i++) {
		double f = kF(x)[i];
		int n = float_text(num, f, 'g', digits);
		if (i) text_putc(b, ' ');
		text_put(b, num, n);
		if (i == x->n - 1 && float_looks_int(num, n, f)) text_puts(b, ".0");
	}
}

/* A char and the escape Kona writes for it, or 0 when it stands as is. */
static char char_escape(unsigned char c)
{
	switch (c) {
	case '"': return '"';
	case '\\': return '\\';
	case '\b': return 'b';
	case '\n': return 'n';
	case '\r': return 'r';
	case '\t': return 't';
	default: return 0;
	}
}

static void show_chars(text *b, K x)
{
	text_putc(b, '"');
	for (int64_t i = 0; i < x->n && b->s; i++) {
		unsigned char c = (unsigned char)kC(x)[i];
		char e = char_escape(c);
		if (e) {
			char two[2] = { '\\', e };
			text_put(b, two, 2);
		} else if (c >= 32 && c < 127) {
			text_putc(b, (char)c);
		} else {
			char oct[5];
			snprintf(oct, sizeof oct, "\\%03o", c);
			text_put(b, oct, 4);
		}
	}
	text_putc(b, '"');
}

/* `name, or `"name" with the name as is (Kona escapes nothing in it). */
static void show_sym(text *b, ksym s)
{
	text_putc(b, '`');
	if (sym_plain(s)) {
		text_puts(b, s);
		return;
	}
	text_putc(b, '"');
	text_puts(b, s);
	text_putc(b, '"');
}

static void show_syms(text *b, K x)
{
	if (x->n == 0) { text_puts(b, "0#`"); return; }
	for (int64_t i = 0; i < x->n && b->s; i++) {
		if (i) text_putc(b, ' ');
		show_sym(b, kS(x)[i]);
	}
}

static const show_items_fn show_items[KT_SYM + 1] = {
	[KT_INT] = show_ints, [KT_FLOAT] = show_floats,
	[KT_CHAR] = show_chars, [KT_SYM] = show_syms,
};

/* ---- display of lists, dictionaries, functions -------------------------- */

static void show_value(text *b, K x, int64_t d, int indent, int chain);
static void show_fn(text *b, K f, int64_t d, int chain, int fmt);

/* Does a list go one item a line?  When an item is a non-empty list or
 * vector, any string, or a dictionary.  Borrows x. */
static int list_is_tall(K x)
{
	for (int64_t i = 0; i < x->n; i++) {
		K s = kK(x)[i];
		if (!s) continue;
		if (s->t == KT_DICT) return 1;
		if (s->t <= 0 && (s->n || s->t == -KT_CHAR)) return 1;
	}
	return 0;
}

static void show_list(text *b, K x, int64_t d)
{
	int tall = list_is_tall(x);
	int enclose = x->n != 1;
	if (enclose) text_putc(b, '(');
	for (int64_t i = 0; i < x->n && b->s; i++) {
		show_value(b, kK(x)[i], d + 1, tall && i > 0, 0);
		if (i < x->n - 1) text_putc(b, tall ? '\n' : ';');
	}
	if (enclose) text_putc(b, ')');
}

/* x at depth d: `indent` starts it with d spaces (an item on a new line);
 * `chain` says x sits inside a derived verb or composition, where a lambda,
 * projection or composition needs parentheses. */
static void show_value(text *b, K x, int64_t d, int indent, int chain)
{
	if (!x || !text_deeper(b)) return;   /* NULL: an elided argument */
	if (indent) text_fill(b, ' ', d);
	int t = x->t;
	if (t == KT_FUNC) { show_fn(b, x, d, chain, 0); return; }
	if (t == KT_DICT) { text_putc(b, '.'); d++; }
	if (t <= 0 && x->n == 1) text_putc(b, ',');
	else if (t == KT_DICT && x->n == 1) text_putc(b, ',');
	if (t == KT_LIST || t == KT_DICT) show_list(b, x, d);
	else if (t >= -KT_SYM && t <= KT_SYM) show_items[t < 0 ? -t : t](b, x);
	/* _n and code nodes show nothing */
}

static int fn_kind(K f) { return f && f->t == KT_FUNC ? f->a : -1; }

/* A projection of a primitive verb with its left argument only: (1+). */
static int left_section(K f)
{
	return fn_kind(f) == FK_PROJ && f->n == 3 && fn_kind(kK(f)[0]) == FK_VERB
		&& kK(f)[1] && !kK(f)[2];
}

static void show_verb(text *b, int verb, int monadic)
{
	if (verb < V_IO0) {
		text_putc(b, VERB_CHARS[verb]);
	} else {
		char io[2] = { (char)('0' + verb - V_IO0), ':' };
		text_put(b, io, 2);
	}
	if (monadic) text_putc(b, ':');
}

static void show_projection(text *b, K f, int64_t d, int fmt)
{
	if (left_section(f)) {
		show_value(b, kK(f)[1], d + 1, 0, 1);
		show_verb(b, kK(f)[0]->u, 0);
		return;
	}
	show_fn(b, kK(f)[0], d, 0, fmt);
	text_putc(b, '[');
	for (int64_t i = 1; i < f->n; i++) {
		show_value(b, kK(f)[i], d + 2, 0, 0);
		if (i < f->n - 1) text_putc(b, ';');
	}
	text_putc(b, ']');
}

/* The parts in a row, each verb but the last applied monadically, so
 * written with ":" (Kona's $ leaves that ":" out but after the last). */
static void show_composition(text *b, K f, int64_t d, int fmt)
{
	for (int64_t i = 0; i < f->n; i++) {
		K g = kK(f)[i];
		int last = i == f->n - 1;
		int kind = fn_kind(g);
		if (kind == FK_VERB) show_verb(b, g->u, !last && !fmt);
		else if (kind == FK_VERB1) show_verb(b, g->u, last || !fmt);
		else if (left_section(g)) show_projection(b, g, d, fmt);
		else if (kind >= 0) show_fn(b, g, d + 1, 1, fmt);
		else show_value(b, g, d + 1, 0, 1);
	}
}

/* `fmt` is the $ form: it differs from the display only in compositions. */
static void show_fn(text *b, K f, int64_t d, int chain, int fmt)
{
	if (!text_deeper(b)) return;
	int kind = f->a;
	int wrap = chain && (kind == FK_LAMBDA || kind == FK_PROJ || kind == FK_COMP);
	if (wrap) text_putc(b, '(');
	switch (kind) {
	case FK_VERB: show_verb(b, f->u, 0); break;
	case FK_VERB1: show_verb(b, f->u, 1); break;
	case FK_DERIVED: {
		K g = kK(f)[0];
		if (fn_kind(g) >= 0) show_fn(b, g, d + 1, 1, fmt);
		else show_value(b, g, d + 1, 0, 1);
		text_puts(b, adverb_names[f->u]);
		break;
	}
	case FK_LAMBDA: {
		K src = kK(f)[0];
		if (src && src->t == -KT_CHAR) text_put(b, kC(src), src->n);
		break;
	}
	case FK_PROJ: show_projection(b, f, d, fmt); break;
	case FK_COMP: show_composition(b, f, d, fmt); break;
	case FK_SYSFN: text_puts(b, sysfn_table[f->u].name); break;
	case FK_CFUNC:
		if (f->n > 1 && kK(f)[1] && kK(f)[1]->t == KT_SYM) text_puts(b, kS(kK(f)[1])[0]);
		break;
	}
	if (wrap) text_putc(b, ')');
}

K k_show(K x)
{
	text b;
	text_open(&b, 64);
	show_value(&b, x, 0, 0, 0);
	return text_done(&b);
}

K k_repr(K x)
{
	return k_show(x);
}

/* ---- $x: format ---------------------------------------------------------- */

/* Text of item i of a simple value (atom: i = 0) of type |t| 1, 2 or 4:
 * into buf (NUM_TEXT bytes) for numbers; *p points at the text. */
static int64_t item_text(K x, int64_t i, char *buf, const char **p)
{
	*p = buf;
	switch (x->t < 0 ? -x->t : x->t) {
	case KT_INT: return int_text(buf, kI(x)[i]);
	case KT_FLOAT: return float_text(buf, kF(x)[i], 'g', float_digits());
	default: *p = kS(x)[i]; return (int64_t)strlen(*p);
	}
}

K verb_format(K x)
{
	if (!k_stack_ok()) { cd(x); return kerr("stack"); }
	K r = NULL;
	char buf[NUM_TEXT];
	const char *p;
	switch (x->t) {
	case -KT_CHAR:
		return x;
	case KT_CHAR:
		r = k_str(kC(x), 1);
		break;
	case KT_INT: case KT_FLOAT: case KT_SYM: {
		int64_t n = item_text(x, 0, buf, &p);
		r = k_str(p, (size_t)n);
		break;
	}
	case KT_NULL:
		r = k_str("", 0);
		break;
	case KT_DICT:
		r = k_cstr(".(..)");     /* Kona's text for any dictionary */
		break;
	case KT_FUNC: {
		text b;
		text_open(&b, 32);
		show_fn(&b, x, 0, 0, 1);
		r = text_done(&b);
		break;
	}
	case KT_LIST:
		r = k_list(x->n);
		for (int64_t i = 0; r && i < x->n; i++) {
			K s = verb_format(ci(kK(x)[i]));
			if (!s) { cd(r); r = NULL; break; }
			kK(r)[i] = s;
		}
		break;
	case -KT_INT: case -KT_FLOAT: case -KT_SYM:
		r = k_list(x->n);
		for (int64_t i = 0; r && i < x->n; i++) {
			if (!(i & (K_POLL_BLOCK - 1)) && k_broken()) { cd(r); r = NULL; break; }
			int64_t n = item_text(x, i, buf, &p);
			K s = k_str(p, (size_t)n);
			if (!s) { cd(r); r = NULL; break; }
			kK(r)[i] = s;
		}
		break;
	default:
		r = kerr("type");
	}
	cd(x);
	return r;
}

/* ---- x$y: form ------------------------------------------------------------ */

/* A list or vector other than a string: x$y goes item by item over it. */
static int form_spreads(K x) { return x->t <= 0 && x->t != -KT_CHAR; }

/* s in a field of width |w|: right-justified for w > 0, left for w < 0,
 * all '*' when it does not fit; w == 0 leaves s as it is; a width of 0N
 * (which has no magnitude) gives "", as in Kona.  Consumes s. */
static K pad_text(K s, int64_t w)
{
	if (!s || w == 0) return s;
	if (w == KI_NULL) { cd(s); return k_str("", 0); }
	int64_t width = w < 0 ? -w : w;
	K r = k_new(-KT_CHAR, width);
	if (!r) goto fail;
	if (s->n > width) {
		memset(kC(r), '*', (size_t)width);
	} else {
		int64_t at = w > 0 ? width - s->n : 0;
		memset(kC(r), ' ', (size_t)width);
		memcpy(kC(r) + at, kC(s), (size_t)s->n);
	}
	kC(r)[width] = 0;
fail:
	cd(s);
	return r;
}

/* Blanks (space, tab) that may surround a number being parsed. */
static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* The string y, blanks trimmed, as a C string in buf: 1, or 0 when too
 * long.  Kona reads a string up to a NUL; an empty one is a null, and one of
 * blanks only is 0 (*blank set). */
static int parse_prepare(K y, char *buf, size_t room, int *blank)
{
	const char *s = kC(y);
	int64_t a = 0, e = y->n;
	const char *nul = memchr(s, 0, (size_t)e);   /* Kona reads up to a NUL */
	if (nul) e = nul - s;
	*blank = e > 0;
	while (a < e && is_blank(s[a])) a++;
	while (e > a && is_blank(s[e - 1])) e--;
	if (a < e) *blank = 0;
	if ((size_t)(e - a) >= room) return 0;
	memcpy(buf, s + a, (size_t)(e - a));
	buf[e - a] = 0;
	return 1;
}

/* The special numbers as text: 0 if s is none of them, else its index
 * 1..6 in 0N -0I 0I 0n -0i 0i. */
static int special_number(const char *s)
{
	static const char *const names[] = { "0N", "-0I", "0I", "0n", "-0i", "0i" };
	for (int i = 0; i < 6; i++)
		if (!strcmp(s, names[i])) return i + 1;
	return 0;
}

/* 0$"12": an int from a string ("" is 0N); what follows the number after
 * a blank is ignored, as Kona does.  Consumes y. */
static K parse_int(K y)
{
	static const int64_t specials[] = { 0, KI_NULL, -KI_INF, KI_INF, KI_NULL, -KI_INF, KI_INF };
	char buf[128], *end;
	int blank;
	K r = NULL;
	if (!parse_prepare(y, buf, sizeof buf, &blank)) { r = kerr("domain"); goto done; }
	int sp = buf[0] || blank ? special_number(buf) : 1;
	if (sp) { r = k_int(specials[sp]); goto done; }
	long long v = strtoll(buf, &end, 10);
	if (*end && !is_blank(*end)) { r = kerr("domain"); goto done; }
	r = k_int(v == KI_NULL ? -KI_INF : v);   /* below -0I is -0I */
done:
	cd(y);
	return r;
}

/* 0.0$"1.5": a float from a string; "" is 0n.  Consumes y. */
static K parse_float(K y)
{
	static const double specials[] = { 0, KF_NULL, -KF_INF, KF_INF, KF_NULL, -KF_INF, KF_INF };
	char buf[512], *end;
	int blank;
	K r = NULL;
	if (!parse_prepare(y, buf, sizeof buf, &blank)) { r = kerr("domain"); goto done; }
	int sp = buf[0] || blank ? special_number(buf) : 1;
	if (sp) { r = k_float(specials[sp]); goto done; }
	double v = strtod(buf, &end);
	if (*end && !is_blank(*end)) { r = kerr("domain"); goto done; }
	r = k_float(v);
done:
	cd(y);
	return r;
}

/* `$"abc": the symbol of a string.  Consumes y. */
static K parse_sym(K y)
{
	const char *nul = memchr(kC(y), 0, (size_t)y->n);
	size_t n = nul ? (size_t)(nul - kC(y)) : (size_t)y->n;
	ksym s = sym_intern(kC(y), n);
	cd(y);
	return s ? k_symv(s) : NULL;
}

/* x$y item by item over whichever of x and y is a list or vector; an
 * all-atom result is squeezed to a vector.  Consumes x and y. */
static K form_each(K x, K y)
{
	if (!k_stack_ok()) { cd(x); cd(y); return kerr("stack"); }
	int xs = form_spreads(x), ys = form_spreads(y);
	K r = NULL;
	if (xs && ys && x->n != y->n) { kerr("length"); goto fail; }
	int64_t n = xs ? x->n : y->n;
	r = k_list(n);
	if (!r) goto fail;
	for (int64_t i = 0; i < n; i++) {
		K a = xs ? k_item(x, i) : ci(x);
		K c = ys ? k_item(y, i) : ci(y);
		if (!a || !c) { cd(a); cd(c); goto fail; }
		if (!(kK(r)[i] = verb_form(a, c))) goto fail;
	}
	cd(x);
	cd(y);
	return k_squeeze(r);
fail:
	cd(r);
	cd(x);
	cd(y);
	return NULL;
}

/* w.d$y for a number y: d decimals (the first digit after the point of x,
 * rounded), fixed notation for x > 0 and exponent notation for x < 0, in a
 * field of the int part of x.  Consumes y. */
static K form_fixed(double x, K y)
{
	/* a width no int holds: 0n is int, as 0N$y; 0i and the like are a
	 * field too wide for memory, as 0I$y (converting them is undefined) */
	if (x != x || fabs(x) >= 0x1p62) { cd(y); return kerr(x != x ? "int" : "wsfull"); }
	double v = y->t == KT_FLOAT ? kF(y)[0] : (double)kI(y)[0];
	if (y->t == KT_INT && kI(y)[0] == KI_NULL) v = KF_NULL;
	else if (y->t == KT_INT && kI(y)[0] == KI_INF) v = KF_INF;
	else if (y->t == KT_INT && kI(y)[0] == -KI_INF) v = -KF_INF;
	cd(y);
	int decimals = (int)(llround(fabs(x) * 10) % 10);
	char buf[NUM_TEXT];
	int n = float_text(buf, v, signbit(x) ? 'e' : 'f', decimals);
	return pad_text(k_str(buf, (size_t)n), (int64_t)x);
}

K verb_form(K x, K y)
{
	if (form_spreads(x) || form_spreads(y)) return form_each(x, y);
	int xt = x->t, yt = y->t;
	if (xt == KT_INT && kI(x)[0] != 0) {            /* n$y: pad */
		int64_t w = kI(x)[0];
		cd(x);
		return pad_text(verb_format(y), w);
	}
	if (xt == KT_FLOAT && (yt == KT_INT || yt == KT_FLOAT)) {
		double f = kF(x)[0];
		cd(x);
		return form_fixed(f, y);
	}
	if (yt == KT_CHAR || yt == -KT_CHAR) {          /* form: parse y */
		if (yt == KT_CHAR && !(y = verb_format(y))) goto fail;
		if (xt == KT_INT) { cd(x); return parse_int(y); }
		if (xt == KT_FLOAT) { cd(x); return parse_float(y); }
		if (xt == KT_SYM && !kS(x)[0][0]) { cd(x); return parse_sym(y); }
		if (xt == KT_CHAR || xt == -KT_CHAR) { cd(x); return y; }
	}
	kerr("type");
fail:
	cd(x);
	cd(y);
	return NULL;
}
