/* io_text.c: the field forms of 0:, reading a text file into columns.
 *
 *   (types;widths) 0: f     fixed width: a row is a line of exactly
 *                           +/widths characters (other lines are skipped)
 *   (types;",") 0: f        delimited by the char ","
 *   (types;,",") 0: f       delimited, the first line naming the columns:
 *                           gives (names; columns) (as in Kona, any string
 *                           asks for this form; its first char delimits)
 * f is a name or (name;offset;length).  types has one letter a field:
 * I int, F float, C string, S symbol, and blank to skip the field.  The
 * result holds one column a non-blank letter (ints, floats, a list of
 * strings, symbols).  A field that does not read as a number is null; as
 * in Kona, S keeps the field's characters as they are (blanks too).
 *
 * Beyond Kona (where it leaves garbage or drops data): a last fixed-width
 * row without a newline is read; in delimited text, empty lines are
 * skipped, missing fields are null and extra fields ignored.
 */
#include <stdlib.h>
#include "io.h"

enum { FLD_SKIP, FLD_INT, FLD_FLOAT, FLD_STR, FLD_SYM };

/* Column type of each field kind; FLD_STR columns are general lists. */
static const int8_t field_type[] = { 0, -KT_INT, -KT_FLOAT, KT_LIST, -KT_SYM };

static int field_kind(char c)
{
	switch (c) {
	case ' ': return FLD_SKIP;
	case 'I': return FLD_INT;
	case 'F': return FLD_FLOAT;
	case 'C': return FLD_STR;
	case 'S': return FLD_SYM;
	default: return -1;
	}
}

/* The text of a number field, blanks trimmed, NUL-terminated into buf;
 * 0 when it cannot be a number (too long). */
static int number_text(const char *s, int64_t n, char *buf, size_t cap)
{
	while (n && (*s == ' ' || *s == '\t')) s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
	if ((size_t)n >= cap) return 0;
	memcpy(buf, s, (size_t)n);
	buf[n] = 0;
	return 1;
}

static int64_t parse_int(const char *s, int64_t n)
{
	char buf[64], *end;
	if (!number_text(s, n, buf, sizeof buf) || !*buf) return KI_NULL;
	if (!strcmp(buf, "0N")) return KI_NULL;
	if (!strcmp(buf, "0I")) return KI_INF;
	if (!strcmp(buf, "-0I")) return -KI_INF;
	long long v = strtoll(buf, &end, 10);
	if (*end) return KI_NULL;
	return v == KI_NULL ? -KI_INF : (int64_t)v;
}

static double parse_float(const char *s, int64_t n)
{
	char buf[64], *end;
	if (!number_text(s, n, buf, sizeof buf) || !*buf) return KF_NULL;
	if (!strcmp(buf, "0n") || !strcmp(buf, "0N")) return KF_NULL;
	if (!strcmp(buf, "0i") || !strcmp(buf, "0I")) return KF_INF;
	if (!strcmp(buf, "-0i") || !strcmp(buf, "-0I")) return -KF_INF;
	double v = strtod(buf, &end);
	return *end ? KF_NULL : v;
}

/* Store field text [s, s+n) as row `row` of column c, of kind k.  0, or
 * -1 with wsfull. */
static int store_field(K c, int k, int64_t row, const char *s, int64_t n)
{
	switch (k) {
	case FLD_INT: kI(c)[row] = parse_int(s, n); return 0;
	case FLD_FLOAT: kF(c)[row] = parse_float(s, n); return 0;
	case FLD_STR: return (kK(c)[row] = k_str(s, (size_t)n)) ? 0 : -1;
	case FLD_SYM: {
		ksym y = sym_intern(s, (size_t)n);
		kS(c)[row] = y;
		return y ? 0 : -1;
	}
	default: return 0;
	}
}

/* Columns for `rows` rows, one per non-blank letter of types (kinds in
 * kind[]).  String columns start with NULL items, so that a partly filled
 * result can be released; symbol columns with the empty symbol. */
static K new_columns(const int8_t *kind, int64_t nk, int64_t rows)
{
	int64_t nc = 0;
	for (int64_t i = 0; i < nk; i++) nc += kind[i] != FLD_SKIP;
	ksym empty = sym_c("");
	K r = empty ? k_list(nc) : NULL;
	if (!r) return NULL;
	for (int64_t i = 0, j = 0; i < nk; i++) {
		if (kind[i] == FLD_SKIP) continue;
		K c = kind[i] == FLD_STR ? k_list(rows) : k_new(field_type[kind[i]], rows);
		if (!c) { cd(r); return NULL; }
		if (kind[i] == FLD_SYM)
			for (int64_t q = 0; q < rows; q++) kS(c)[q] = empty;
		kK(r)[j++] = c;
	}
	return r;
}

/* ---- fixed width ------------------------------------------------------- */

static K read_fixed(const int8_t *kind, int64_t nk, K widths, K text)
{
	int64_t w = 0;
	for (int64_t i = 0; i < nk; i++) {
		int64_t fw = kI(widths)[i];
		if (fw < 0) return kerr("length");
		/* a row wider than the text matches no line; clamp so no sum wraps */
		w = w > text->n || fw > text->n ? text->n + 1 : w + fw;
	}
	const char *p = kC(text), *end = p + text->n;
	int64_t rows = 0;
	for (const char *s = p; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		rows += e - s == w;
		s = e + 1;
	}
	K r = new_columns(kind, nk, rows);
	if (!r) return NULL;
	int64_t row = 0;
	for (const char *s = p; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		if (e - s == w) {
			const char *f = s;
			for (int64_t i = 0, j = 0; i < nk; i++) {
				int64_t fw = kI(widths)[i];
				if (kind[i] != FLD_SKIP && store_field(kK(r)[j++], kind[i], row, f, fw)) { cd(r); return kerr("wsfull"); }
				f += fw;
			}
			row++;
		}
		s = e + 1;
	}
	return r;
}

/* ---- delimited --------------------------------------------------------- */

/* Split the line [s, e) at `delim` and store its fields as row `row` of
 * the columns r (names: as symbols into the -4 vector r instead). */
static int store_row(K r, const int8_t *kind, int64_t nk, const char *s, const char *e, char delim,
                     int64_t row, int names)
{
	const char *f = s;
	for (int64_t i = 0, j = 0; i < nk; i++) {
		const char *d = f <= e ? memchr(f, delim, (size_t)(e - f)) : NULL;
		const char *fe = d ? d : e;
		int64_t n = f <= e ? fe - f : 0;      /* past the last field: empty */
		if (kind[i] != FLD_SKIP) {
			if (names) {
				ksym y = sym_intern(f, (size_t)n);
				if (!y) return -1;
				kS(r)[j++] = y;
			} else if (store_field(kK(r)[j++], kind[i], row, f, n)) return -1;
		}
		f = fe + 1;
	}
	return 0;
}

static K read_delimited(const int8_t *kind, int64_t nk, char delim, int header, K text)
{
	const char *p = kC(text), *end = p + text->n;
	int64_t lines = 0;
	for (const char *s = p; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		lines += e > s;
		s = e + 1;
	}
	int64_t rows = header && lines ? lines - 1 : lines, nc = 0, row = 0;
	for (int64_t i = 0; i < nk; i++) nc += kind[i] != FLD_SKIP;
	K cols = new_columns(kind, nk, rows), names = NULL, r = NULL;
	if (!cols) return NULL;
	if (header) {
		ksym empty = sym_c("");
		if (!empty || !(names = k_new(-KT_SYM, nc))) goto fail;
		for (int64_t i = 0; i < nc; i++) kS(names)[i] = empty;
	}
	int first = header;
	for (const char *s = p; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		if (e > s) {
			if (store_row(first ? names : cols, kind, nk, s, e, delim, row, first)) { kerr("wsfull"); goto fail; }
			row += !first;
			first = 0;
		}
		s = e + 1;
	}
	if (!header) return cols;
	if (!(r = k_list(2))) goto fail;
	kK(r)[0] = names;
	kK(r)[1] = cols;
	return r;
fail:
	cd(names);
	cd(cols);
	return NULL;
}

/* ---- the verb ---------------------------------------------------------- */

K io_text_fields(K spec, K file)
{
	K r = NULL, text = NULL;
	int8_t *kind = NULL;
	char name[PATH_MAX];
	int64_t off, len;
	if (spec->n != 2) { kerr("length"); goto done; }
	K types = kK(spec)[0], how = kK(spec)[1];
	if (types->t != -KT_CHAR && types->t != KT_CHAR) { kerr("type"); goto done; }
	int delimited = how->t == KT_CHAR || how->t == -KT_CHAR;
	if (!delimited && how->t != KT_INT && how->t != -KT_INT) { kerr("type"); goto done; }
	int64_t nk = types->n;
	if (!delimited && (nk == 0 || nk != how->n)) { kerr("length"); goto done; }
	if (!(kind = malloc((size_t)nk + 1))) { kerr("wsfull"); goto done; }
	for (int64_t i = 0; i < nk; i++)
		if ((kind[i] = (int8_t)field_kind(kC(types)[i])) < 0) { kerr("type"); goto done; }
	if (!delimited)
		for (int64_t i = 0; i < nk; i++)
			if (kI(how)[i] <= 0) { kerr("length"); goto done; }
	if (io_spec(file, name, sizeof name, &off, &len)) goto done;
	if (!(text = io_read(name, off, len))) goto done;
	if (delimited) r = read_delimited(kind, nk, kC(how)[0], how->t == -KT_CHAR, text);
	else r = read_fixed(kind, nk, how, text);
done:
	free(kind);
	cd(text);
	cd(spec);
	cd(file);
	return r;
}
