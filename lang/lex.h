/* lex.h: tokens of K source, produced by lang/lex.re. */
#ifndef KRT_LEX_H
#define KRT_LEX_H

#include "lang.h"

enum {
	TK_END,     /* end of the source */
	TK_NOUN,    /* a literal: number(s), string, symbol(s); v holds it */
	TK_NAME,    /* a name, maybe dotted (a, a.b, .k.a, _f); s holds it */
	TK_VERB,    /* id = verb id; colon = followed by ':' (+: or a::) */
	TK_ADVERB,  /* id = adverb id */
	TK_LP, TK_RP, TK_LB, TK_RB, TK_LC, TK_RC,
	TK_SEMI,    /* ';' or a newline */
};

typedef struct ktok {
	int type;
	int id;          /* verb or adverb id */
	int colon;       /* a verb written with a trailing ':' */
	int space;       /* whitespace came just before this token */
	int pos, len;    /* where in the source */
	ksym s;          /* TK_NAME */
	K v;             /* TK_NOUN: the literal (owned by the token list) */
} ktok;

typedef struct ktoks {
	ktok *t;
	int n, cap;
	K store;         /* the block holding t */
} ktoks;

/* Tokenise src[0..n) (src[n] must be NUL).  On success returns 0 and fills
 * *out (release with lex_free); on error returns -1 with kerr set ("parse")
 * and *errpos at the offending character. */
int lex(const char *src, int64_t n, ktoks *out, int *errpos);
void lex_free(ktoks *ts);

#endif
