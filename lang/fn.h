/* fn.h: function values (type 7), made and described in lang/fn.c.
 *
 * This module sits below both the parser, which builds function values
 * as it reads (verbs, derived verbs, lambdas), and the evaluator, which
 * runs them (projections, closures, compositions); neither reaches into
 * the other for them.  Ownership follows runtime/k.h: arguments are
 * consumed and results are new unless a prototype says "borrows".
 */
#ifndef KRT_FN_H
#define KRT_FN_H

#include "../runtime/k.h"

/* The kind lives in x->a; children in kK(x)[0 .. n-1]. */
enum {
	FK_VERB,     /* primitive verb; u = verb id; n = 0                    */
	FK_VERB1,    /* forced monadic primitive (+: as a value); u = verb id  */
	FK_DERIVED,  /* f adverb; u = adverb id; child 0 = f                   */
	FK_LAMBDA,   /* {..}; u = valence; child 0 = source text (char vector),
	                child 1 = compiled code (KT_NODE, lang/node.h); a
	                closure has child 2 = the captured values (a list)  */
	FK_PROJ,     /* projection; child 0 = f, children 1.. = arguments with
	                NULL for each elided one; u = valence left             */
	FK_COMP,     /* composition; children = functions applied right to left;
	                u = valence of the rightmost                            */
	FK_SYSFN,    /* system function _name; u = index in the sysfn table   */
	FK_CFUNC,    /* C function from the API; child 0 = int atom holding the
	                pointer, child 1 = symbol atom (name); u = valence      */
};

K fn_verb(int verb, int monadic);     /* a primitive verb as a value */
K fn_derived(K f, int adverb);        /* consumes f */
/* The lambda of source text src and compiled code (consumes both). */
K fn_lambda(K src, K code, int valence);
/* The closure of lambda lam (borrowed) over the captured values vals (a
 * list, consumed). */
K fn_closure(K lam, K vals);
/* The composition f g: g applied first, then f.  Consumes both. */
K fn_compose(K f, K g);
/* A projection of f with the n arguments a (NULL where elided) and room
 * for `missing` more at the end.  Borrows f, consumes a. */
K fn_project(K f, int n, K *a, int missing);

int fn_valence(K f);                  /* borrows f */
/* Is f data with ' / or \ (1 1 1/)?  Such an f given one argument in
 * brackets is a valence error in Kona, though f x works.  Borrows f. */
int fn_noun_derived(K f);

#endif
