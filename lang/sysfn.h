/* sysfn.h: the system functions _name (lang/sysfn.c holds the table). */
#ifndef KRT_SYSFN_H
#define KRT_SYSFN_H

#include "lang.h"

typedef struct sysfn {
	const char *name;     /* with its leading '_' */
	int valence;          /* 0: a niladic noun such as _t; 1; 2; 3 */
	kmonad monad;         /* for valence 0 and 1 (valence 0: called with _n) */
	kdyad dyad;           /* for valence 2 */
	K (*triad)(K x, K y, K z);   /* for valence 3 */
} sysfn;

extern const sysfn sysfn_table[];
extern const int sysfn_count;

int sysfn_find(ksym name);     /* index in sysfn_table, or -1 */
K sysfn_value(int id);         /* the function value of entry id */

#endif
