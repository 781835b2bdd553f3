/* ktree.h: the K-tree, where global names live (lang/ktree.c).
 * A name is relative to the current directory (a, a.b) or absolute (.k.a). */
#ifndef KRT_KTREE_H
#define KRT_KTREE_H

#include "lang.h"

int ktree_open(void);          /* root with the directory .k; 0 or -1 */
void ktree_close(void);
/* The value of a global (new reference), or NULL with "value". */
K ktree_get(ksym name);
/* The cell holding a global, made unshared along its path so that it may be
 * changed in place; with create, missing entries (and directories on the
 * way) are made, holding _n.  NULL with an error.  Valid until the K-tree
 * is next changed. */
K *ktree_cell(ksym name, int create);
/* Make the global `name` (a plain name in the current directory) exist,
 * holding _n if it is new.  0 or -1. */
int ktree_declare(ksym name);
/* May v be stored at the cell last returned by ktree_cell?  0, or -1 with
 * the error set (cycle, or wsfull if that could not be decided).  Borrows
 * v. */
int ktree_store_check(K v);
/* The absolute name of directory d if it is in the tree (by identity), or
 * NULL.  Borrows d. */
ksym ktree_path_of(K d);
/* Running in another directory for a while (a lambda defined elsewhere,
 * d["expr"]): ktree_enter switches to dir and remembers where it was,
 * ktree_leave goes back.  0, or -1 with an error and nothing changed. */
typedef struct ktree_place { ksym dir; K path; } ktree_place;
int ktree_enter(ksym dir, ktree_place *was);
void ktree_leave(ktree_place *was);
/* Change the current directory (\d); consumes nothing. */
int ktree_chdir(ksym dir);

#endif
