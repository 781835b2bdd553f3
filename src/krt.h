/* krt.h: the public API of libkrt, a K3 interpreter.
 *
 * A krt state holds a whole interpreter: its heap, symbols, K-tree and
 * settings.  Every call takes the state it works on; two states may be used
 * from two threads at once.  A K is a value living in one state's heap.
 *
 * Ownership: a call that "returns a new K" gives the caller one reference,
 * to be given back with krt_release; "consumes x" takes the caller's
 * reference; "borrows x" leaves it with the caller.  No call exits the
 * process.
 */
#ifndef KRT_H
#define KRT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KRT_VERSION "0.1.0"

typedef struct krt krt;
typedef struct kval *K;

/* Outcomes of krt_exec. */
enum { KRT_OK = 0, KRT_ERROR = 1, KRT_EXIT = 2 };

/* A new state, or NULL when memory runs out. */
krt *krt_open(void);
/* Close a state, releasing everything it owns.  Returns the number of heap
 * blocks still live afterwards (leaks); with report non-zero they are
 * listed on stderr. */
uint64_t krt_close(krt *k, int report);

const char *krt_version(void);

/* Evaluate K source (statements or a \command, as a script line).  On
 * KRT_OK, *result is a new K, or NULL when the console shows nothing (an
 * assignment, _n).  KRT_ERROR: see krt_error.  KRT_EXIT: the source asked
 * to exit (\\), with the status in *result == NULL and krt_exit_status. */
int krt_exec(krt *k, const char *src, size_t n, K *result);
int krt_exit_status(krt *k);

/* Evaluate an expression; a new K, or NULL on error. */
K krt_eval(krt *k, const char *src);

/* The name of the last error ("type", "length", a signalled text ...). */
const char *krt_error(krt *k);

/* Print x as the console shows it, with a newline.  Borrows x. */
int krt_print(krt *k, K x, FILE *out);
/* Release a reference. */
void krt_release(krt *k, K x);

/* Heap statistics. */
typedef struct krt_stats {
	uint64_t in_use;     /* bytes of live blocks */
	uint64_t held;       /* bytes mapped from the OS */
	uint64_t peak;       /* highest in_use */
	uint64_t trimmed;    /* bytes given back to the OS so far */
} krt_stats;
void krt_heap_stats(krt *k, krt_stats *s);
/* Print the full statistics, per lane, to out. */
void krt_heap_report(krt *k, FILE *out);
/* Limit the bytes held from the OS (0: no limit). */
void krt_set_heap_limit(krt *k, uint64_t bytes);
/* Make the nth allocation from now fail (0: off). */
void krt_fail_alloc(krt *k, uint64_t n);
/* Give idle memory back to the OS now; the bytes released. */
uint64_t krt_trim(krt *k);

#endif
