/* lang.h: what the parts of the K language share: verb and adverb ids,
 * function values, the language state, and the entry points each part
 * provides to the others.  Ownership follows runtime/k.h: arguments are
 * consumed and results are new unless a prototype says "borrows".
 */
#ifndef KRT_LANG_H
#define KRT_LANG_H

#include "../runtime/k.h"

/* ---- verbs ------------------------------------------------------------ */

/* Primitive verbs, in the order of VERB_CHARS; the I/O verbs 0: .. 6: follow. */
enum {
	V_PLUS, V_MINUS, V_TIMES, V_DIVIDE, V_MAX, V_MIN, V_POWER, V_BANG,
	V_LESS, V_MORE, V_EQUAL, V_MATCH, V_AT, V_FIND, V_TAKE, V_DROP,
	V_JOIN, V_FORM, V_DOT, V_COLON,
	V_IO0, V_IO1, V_IO2, V_IO3, V_IO4, V_IO5, V_IO6,
	V_COUNT_
};
#define VERB_CHARS "+-*%|&^!<>=~@?#_,$.:"

typedef K (*kmonad)(K x);
typedef K (*kdyad)(K x, K y);
extern const kmonad verb_monad[V_COUNT_];   /* lang/verb.c */
extern const kdyad verb_dyad[V_COUNT_];

/* ---- adverbs ---------------------------------------------------------- */
enum { AV_EACH, AV_OVER, AV_SCAN, AV_EACHRIGHT, AV_EACHLEFT, AV_EACHPRIOR, AV_COUNT_ };
/* the spelling of each: "'" "/" "\\" "/:" "\\:" "':" */
extern const char *const adverb_names[AV_COUNT_];

/* ---- function values (type 7): lang/fn.h ------------------------------ */
#include "fn.h"

/* Adverbs (lang/adverb.c): apply the derived verb `f adverb` to n args.
 * Borrows f, consumes a[0..n-1]. */
K adverb_apply(int adverb, K f, int n, K *a);
/* x f/ y (or f\ with scan) as a fold seeded with x, whatever f's valence:
 * the bracket form f/[x;y] of a verb derived from a dyad.  Borrows f,
 * consumes x and y. */
K adverb_fold(int scan, K f, K x, K y);

/* ---- indexing and amend (lang/index.c) -------------------------------- */
/* x@i: index x (a list, vector, dictionary) by i at the top level, with i
 * of any shape (the result takes i's shape); _n or an elided index takes
 * all.  Consumes x and i. */
K k_at(K x, K i);
/* x . path: index at depth, one level per item of the list `path`.
 * Consumes both. */
K k_dot(K x, K path);
/* @[x;i;f;y] (y NULL for @[x;i;f]) and .[x;path;f;y]: amend.  f is a
 * function, or NULL meaning "replace by y" (the `:` form).  Returns the
 * amended x; in place when x's count is 1.  Consumes x, i/path and y;
 * borrows f. */
K k_amend_at(K x, K i, K f, K y);
K k_amend_dot(K x, K path, K f, K y);
/* The 3- and 4-argument forms of @ and . as the evaluator meets them:
 * @[x;i;f] @[x;i;f;y] .[x;p;f] .[x;p;f;y] (f may be the verb `:` for plain
 * assignment), and the error traps @[f;x;:] and .[f;args;:], which give
 * (0;result) or (1;"error name").  Consume a[0..n-1]. */
K index_at_n(int n, K *a);
K index_dot_n(int n, K *a);

/* ---- updates in place (lang/update.c) --------------------------------- */
/* The update of a variable whose value *cell only it holds: at index i
 * (NULL: the whole; with depth 2, i is the path of x[i;j]) by op (NULL: a
 * plain store) with y, done in place when its shape is one update.c
 * knows.  All or nothing: 1 done, *cell the new value and *shown the
 * value the assignment gives (new; none is made when shown is NULL); -1
 * failed (error set), *cell exactly as it was; 0 not such a shape,
 * nothing done.  Borrows i, op and y. */
int update_in_place(K *cell, K i, int depth, K op, K y, K *shown);

/* ---- shared helpers (lang/util.c) ------------------------------------- */
/* Item i of x as a value (an atom out of a vector); borrows x. */
K k_item(K x, int64_t i);
/* A general list holding x's items (x itself if already general). */
K k_explode(K x);
/* A general list whose items are all atoms of one type becomes the simple
 * vector of that type; any other value is returned as is.  Consumes x. */
K k_squeeze(K x);
/* The atom type such a list would be squeezed to, or 0.  Borrows x. */
int k_squeeze_type(K x);
/* Deep equality (~): 1 or 0.  Borrows both. */
int k_match(K x, K y);
/* ---- dictionaries (lang/dict.c) ---------------------------------------- */
/* Position of key s in d, or -1; O(1) on average once d is indexed (the
 * index is a cache in d's block: building it does not change the value).
 * Borrows d. */
int64_t dict_find_indexed(K d, ksym s);
#define DICT_HASH_MIN 8         /* entries from which a dictionary is indexed */
static inline int64_t dict_find(K d, ksym s)
{
	if (d->n >= DICT_HASH_MIN) return dict_find_indexed(d, s);
	for (int64_t i = 0; i < d->n; i++)     /* a few entries: a scan is fastest */
		if (kS(kK(kK(d)[i])[0])[0] == s) return i;
	return -1;
}
/* Dictionary entry of key s: the 3-list, or NULL.  Borrows d. */
K dict_entry(K d, ksym s);
/* Value of key s in d (new reference), or _n if absent.  Borrows d. */
K dict_get(K d, ksym s);
/* d with key s set to v (consumes d, v), in place when d is unshared. */
K dict_set(K d, ksym s, K v);
/* Key s of the unshared dictionary *pd set to v, all or nothing: 0, or -1
 * (wsfull) with *pd as it was (its block may have moved).  Borrows v. */
int dict_put(K *pd, ksym s, K v);
/* The entry (s; v; _n) of a dictionary; consumes v. */
K dict_triple(ksym s, K v);
/* A new empty dictionary. */
K dict_new(void);
/* d with a new last entry (s; _n; _n): d itself when unshared with room,
 * else a new dictionary (entries shared) with room to grow; NULL + wsfull
 * leaves d as it was.  Borrows d. */
K dict_add_null(K d, ksym s);
/* A shallow copy of d (entries shared) with room for its hash index; NULL
 * + wsfull.  Borrows d. */
K dict_copy(K d);
/* Has d room for its hash index (or no need of one)?  Borrows d. */
int dict_has_room(K d);
/* d unshared and with room for its index: d itself, or a dict_copy of it.
 * Consumes d; NULL + wsfull (d released). */
K dict_own(K d);

/* ---- display (lang/format.c) ------------------------------------------ */
/* The console form of x as Kona prints it (no trailing newline), as a char
 * vector.  Borrows x. */
K k_show(K x);
/* The 5: form (a string that evaluates back to x).  Borrows x. */
K k_repr(K x);

/* ---- the language state ------------------------------------------------ */
#define KTREE_HINTS 64
#define KTREE_HINT_PARTS 4
typedef struct klang {
	K root;          /* the K-tree: a dictionary of the root directory `. */
	ksym dir;        /* current directory, e.g. `.k */
	K dirpath;       /* its components as a symbol vector (`k) */
	K walked[16];    /* dictionaries on the path of the last ktree_cell */
	int nwalked;
	/* names resolved lately, and when the tree last changed under paths of
	 * each length (lang/ktree.c) */
	struct ktree_hint {
		ksym name, dir;  /* the name, and the directory it was used in */
		uint64_t shape;  /* shape[n] when it was noted */
		int n;           /* the directories on its path */
		K *cell;         /* its value's cell */
		K dict[KTREE_HINT_PARTS], entry[KTREE_HINT_PARTS];   /* its path */
	} hint[KTREE_HINTS];
	uint64_t shape[KTREE_HINT_PARTS + 1];
	int precision;   /* \p: significant digits when printing floats */
	int depth;       /* current call depth, for the stack error */
	uint64_t seed;   /* random state for ? and _draw */
	/* Suspension: at an error inside a lambda, `suspend` (if set) is called
	 * with the frame pushed on `susp`; it returns the value to resume the
	 * failed call with, or NULL to let the error go on (then no outer
	 * lambda suspends again: `unwinding`). */
	K (*suspend)(void *ud);
	void *suspend_ud;
	void *susp[64];
	int nsusp;
	int unwinding;
	int errpos;      /* where the last error was in its source, or -1 */
	char *errsrc;    /* that source when it is a lambda's text (malloc'ed,
	                    so that it weighs nothing on the heap), else NULL:
	                    then it is the text given to lang_exec */
	void *errnode;   /* the innermost node that failed, during unwinding */
	uint32_t errnode_seq;   /* kc->errseq when errnode was set */
	K args;          /* the script's arguments, a list of strings: _a */
	int exit_status; /* of \\ (0) or _exit n */
	int errmode;     /* \e: 1 suspends at errors (when a hook is set), 0 not */
	int running;     /* statements running (nested: \l, eval_string...) */
	int64_t seed_set;   /* \r: the seed last set */
	int breakmode;   /* \b: 's' stop (suspend), 't' trace, 'n' neither */
	int stepping;    /* \s without a terminal: show each statement */
	/* 2: (lang/sys_dl.c): the libraries opened, closed with the state, and
	 * how the API makes a C function value of fn (a krt_cfunc) */
	void **dl;
	int ndl;
	K (*make_cfunc)(void *fn, const char *name, int valence);
	void *net;       /* sockets, handles and the timer (lang/net.h), or NULL */
} klang;
#define KL ((klang *)kc->lang)

/* ---- sessions (lang/session.c) ----------------------------------------- */
/* Open the language state in the current context (kc->lang); 0 or -1. */
int lang_open(void);
void lang_close(void);
/* Run source as the console or a script does: statements, or a \command.
 * On LX_OK *result is the value to show, or NULL when nothing is shown (an
 * assignment or _n).  LX_EXIT: \\ or _exit ended the session (status in
 * exit_status).  In a suspension, :x gives LX_RESUME with x in *result and
 * a lone \ gives LX_ABORT. */
enum { LX_OK, LX_ERROR, LX_EXIT, LX_RESUME, LX_ABORT };
int lang_exec(const char *src, int64_t n, K *result);
/* The error name that is not an error: _exit unwinding to the top.  No
 * trap catches it (nor a break, k_break_mark); compare by pointer. */
extern const char lang_exit_mark[];
/* Run the statements of a script file (lang/load.c); LX_OK, LX_EXIT or
 * LX_ERROR, with *line the line where the failing statement began and its
 * first line of text in text[0..cap).  With go_on, a statement that does
 * not parse or names nothing (as Kona) is reported on stderr and passed
 * over; else every error stops the script. */
int lang_load(const char *path, int *line, char *text, size_t cap, int go_on);
/* Is a bracket or a string of s[0..n) still open (the statement goes on)? */
int lang_open_text(const char *s, int64_t n);
/* Set the script arguments (_a); consumes args. */
void lang_set_args(K args);
/* The heap figures of \w and _w: in use, held, peak, trimmed. */
K lang_heap_figures(void);
/* Run a backslash command (src after the backslash): its value, or _n. */
K lang_command(const char *src, int64_t n);
/* \b t: print on stderr the lambda f that an error is leaving.  Borrows f. */
void lang_trace(K f);
/* Evaluate a string as top-level code; the value of the last statement. */
K eval_string(const char *s, int64_t n);

#endif
