/* apply.h: applying a function, the one interface through which verbs,
 * adverbs, the API and I/O run K functions.  It is declared here, below
 * them, and implemented by the evaluator (lang/eval.c), so that nothing
 * but the session needs the evaluator's internals.
 */
#ifndef KRT_APPLY_H
#define KRT_APPLY_H

#include "../runtime/k.h"

/* Apply f to n arguments (n >= 1; a[i] may be NULL only for elision, which
 * makes a projection).  Borrows f, consumes a[0..n-1].  Handles every kind of
 * function, and non-functions too (indexing, as x[i] does). */
K k_call(K f, int n, K *a);
/* Shorthands over k_call. Borrow f, consume x (and y). */
K k_call1(K f, K x);
K k_call2(K f, K x, K y);
/* f[a;..]: as k_call, but a dyadic verb given one argument is projected
 * (+[1]) rather than applied.  Borrows f, consumes a. */
K k_call_brackets(K f, int n, K *a);

#endif
