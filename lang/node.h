/* node.h: compiled code, as the parser builds it and the evaluator runs it.
 *
 * Code is a tree of KT_NODE values: the kind in a, a small operand in u,
 * children in kK(x).  Any child that is not a KT_NODE is a constant and
 * evaluates to itself, so literals cost nothing to evaluate.  A NULL child
 * is an elided argument (f[;1]) or an empty statement.
 */
#ifndef KRT_NODE_H
#define KRT_NODE_H

#include "lang.h"

enum {
	N_LOCAL,    /* u = slot; child 0 = name (symbol atom), for errors */
	N_GLOBAL,   /* child 0 = name (symbol atom) */
	N_MONAD,    /* u = verb; child 0 = x: a primitive verb applied to x */
	N_DYAD,     /* u = verb; children x, y */
	N_CALL,     /* child 0 = f; children 1.. = arguments: f[a;b;..] */
	N_APPLY1,   /* children f, x: f x by juxtaposition, or a derived verb */
	N_APPLY2,   /* children f, x, y: x f y for a derived verb or _sysfn */
	N_DERIVE,   /* u = adverb; child 0 = f: makes the derived verb */
	N_LIST,     /* children: the items of (a;b;c) */
	N_SEQ,      /* children: statements; the last gives the value */
	N_SET,      /* assignment, see below */
	N_COND,     /* :[c;t;c;t;..;f] */
	N_IF,       /* if[c;body..] */
	N_DO,       /* do[n;body..] */
	N_WHILE,    /* while[c;body..] */
	N_RETURN,   /* :x inside a lambda */
	N_SELF,     /* _f */
	N_SIGNAL,   /* 'x */
	N_LAMBDA,   /* a lambda's code: child 0 = int vector (valence, slots,
	               captures, the slot of each capture, pairs of a node and
	               its place in the lambda's text, and last the directory
	               it was defined in, a ksym), child 1 = symbol vector of
	               slot names, children 2.. = statements */
	N_CLOSURE,  /* child 0 = a lambda, child 1 = int vector: the enclosing
	               slots it captures; makes the lambda with their values */
	N_COMPOSE,  /* children f, g: the composition f g (g first) */
};

/* N_SET: u holds flags; children: 0 target name (symbol atom), 1 slot (int
 * atom, or _n for a global), 2 index (N_LIST of the bracket's arguments, or
 * NULL), 3 verb (function, or NULL for plain ':'), 4 value.  SET_PAREN: the
 * assignment was written in parentheses, (x:1), so the console shows it. */
enum { SET_INDEXED = 2, SET_OP = 4, SET_PAREN = 8 };

/* Compile source into code.  Top-level code (not in a lambda) gives an
 * N_SEQ whose names are all global.  Returns NULL with "parse" on error and
 * the position in *errpos.  Borrows nothing: src is a C buffer. */
K parse(const char *src, int64_t n, int *errpos);
/* The same, for code that runs in a lambda's frame (a suspension): its
 * names that are the lambda's slots (the symbol vector names, borrowed)
 * are locals. */
K parse_in(const char *src, int64_t n, int *errpos, K names, K *places);
/* The place in its source of node x per a table of (node, place) pairs as
 * parse_in gives in *places and a lambda keeps in its code; -1 if none.
 * Borrows both. */
int node_place(K places, int64_t from, void *x);

/* Does the console keep quiet about the value of top-level statement s?
 * It does, as Kona does, when that value comes from an assignment not in
 * parentheses: x:1, and 1+x:1 or x@<x:.. where the assignment is the right
 * argument of a dyad, under any monads there.  The first statement of a
 * line is shown when it starts with a one-token monad (-x:5, f x:1), not
 * with a derived verb (+/x:1 2); a later one is not (1;f x:1).  Borrows s. */
int node_quiet(K s, int first);
/* Run compiled top-level code; the value of its last statement.  Sets
 * *assigned when node_quiet holds for that statement.  Borrows code. */
K eval_top(K code, int *assigned);
/* Run top-level code in the frame of the innermost suspended lambda, if
 * any.  A :x return there gives x with *resumed set. */
K eval_suspended(K code, int *assigned, int *resumed);
/* The slot names of the innermost suspended lambda, or NULL. */
K suspended_names(void);

#endif
