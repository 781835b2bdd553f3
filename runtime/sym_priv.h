/* sym_priv.h: the symbol table's life cycle, for ctx.c (private to runtime/). */
#ifndef KRT_SYM_PRIV_H
#define KRT_SYM_PRIV_H

#include "k.h"
#include "heap.h"

/* A new, empty table whose blocks live in `heap` ("" is interned at once);
 * NULL if the heap refuses. */
ksymtab *symtab_open(kpool *heap);
/* Release the table and every string it holds. */
void symtab_close(ksymtab *t);
/* Number of symbols interned. */
size_t symtab_count(const ksymtab *t);

#endif
