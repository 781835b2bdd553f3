/* verbs.h: every primitive verb, monadic and dyadic, by name; lang/verb.c
 * puts them in the dispatch tables.  Each consumes its arguments and returns
 * a new value or NULL with an error recorded (runtime/k.h).
 *
 * Where each lives:
 *   lang/arith.c     the scalar verbs: + - * % | & ^ < > = (dyadic) and
 *                    - % _ ~ (monadic), one generic loop per shape
 *   lang/list.c      the structural verbs
 *   lang/format.c    $ monadic and dyadic
 *   lang/index.c     @ and . dyadic (index, apply)
 *   lang/eval.c      . monadic (value), : (identity, right)
 *   lang/io.c        0: .. 6:
 */
#ifndef KRT_VERBS_H
#define KRT_VERBS_H

#include "lang.h"

/* lang/arith.c */
K verb_add(K x, K y);      /* x+y */
K verb_sub(K x, K y);      /* x-y */
K verb_mul(K x, K y);      /* x*y */
K verb_div(K x, K y);      /* x%y (always float) */
K verb_max(K x, K y);      /* x|y (max, or) */
K verb_min(K x, K y);      /* x&y (min, and) */
K verb_power(K x, K y);    /* x^y */
K verb_less(K x, K y);     /* x<y */
K verb_more(K x, K y);     /* x>y */
K verb_equal(K x, K y);    /* x=y */
K verb_negate(K x);        /* -x */
K verb_reciprocal(K x);    /* %x */
K verb_floor(K x);         /* _x */
K verb_not(K x);           /* ~x */

/* x op: y and x[i] op: y for an unshared int or float atom or vector x
 * whose type the result keeps (op a scalar verb, V_PLUS ..; y an int or
 * float atom, or a vector of x's count, or of i's count at i): written into
 * x, which cannot fail.  1 done; 0 not this shape (x untouched, i out of
 * range included).  Borrow all. */
int arith_into(int verb, K x, K y);
int arith_into_at(int verb, K x, K i, K y);

/* lang/list.c */
K verb_flip(K x);          /* +x  transpose */
K verb_first(K x);         /* *x */
K verb_reverse(K x);       /* |x */
K verb_where(K x);         /* &x */
K verb_shape(K x);         /* ^x */
K verb_enumerate(K x);     /* !x  (int: til; dict: keys) */
K verb_gradeup(K x);       /* <x */
K verb_gradedown(K x);     /* >x */
K verb_group(K x);         /* =x */
K verb_atom(K x);          /* @x */
K verb_unique(K x);        /* ?x  (range) */
K verb_count(K x);         /* #x */
K verb_enlist(K x);        /* ,x */
K verb_rotate(K x, K y);   /* x!y (rotate, mod) */
K verb_match(K x, K y);    /* x~y */
K verb_find(K x, K y);     /* x?y (find; draw/deal when x is int) */
K verb_find_from(K f, K y, K x0);   /* ?[f;y;x0]: solve f[x]=y from x0 */
K verb_take(K x, K y);     /* x#y (take, reshape) */
K verb_drop(K x, K y);     /* x_y (drop, cut) */
K verb_join(K x, K y);     /* x,y */
/* x,y into the unshared *px itself when its block can take y's items: 1
 * done; 0 not this shape (nothing done); -1 failed (wsfull) with *px as it
 * was (the block may have moved).  Borrows y. */
int join_into(K *px, K y);

/* lang/format.c */
K verb_format(K x);        /* $x */
K verb_form(K x, K y);     /* x$y (pad, cast, parse) */

/* lang/index.c */
K verb_at(K x, K y);       /* x@y (index, or apply monadic) */
K verb_dot(K x, K y);      /* x . y (index at depth, or apply) */

/* lang/eval.c */
K verb_value(K x);         /* .x (evaluate a string, dict <-> list) */
K verb_identity(K x);      /* :x */
K verb_right(K x, K y);    /* x:y as a verb value: y */

/* lang/io.c */
K verb_io_monad(int which, K x);      /* 0:x .. 6:x */
K verb_io_dyad(int which, K x, K y);  /* x 0:y .. x 6:y */

#endif
