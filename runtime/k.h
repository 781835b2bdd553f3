/* k.h: the value model of krt, shared by every layer.
 *
 * A value is one heap block: a 16-byte header followed by its data, which is
 * 16-byte aligned.  Types follow Kona's numbering so that 4:x agrees:
 *
 *    0 general list (data: K[n])      -1 int vector   (int64_t[n])
 *    1 int atom      (int64_t)        -2 float vector (double[n])
 *    2 float atom    (double)         -3 char vector  (char[n], NUL after)
 *    3 char atom     (char)           -4 symbol vector (ksym[n])
 *    4 symbol atom   (ksym)
 *    5 dictionary    (data: K[n], each a 3-list (symbol; value; attributes))
 *    6 null (_n)     (no data)
 *    7 function      (data: K[n] children; kind in a, detail in u)
 *    8 internal: a compiled code node (never seen by K programs)
 *
 * Atoms have n == 1 and keep their datum where a vector keeps element 0, so
 * kI(x)[0] reads an int atom and an int vector alike.
 *
 * OWNERSHIP CONVENTION (the one rule of the whole code base):
 *   A function that takes K arguments CONSUMES them (it owns one reference
 *   to each, and must release or pass on every one, on success and on
 *   error alike) and RETURNS A NEW reference, or NULL after recording an
 *   error with kerr().  An exception is written on the prototype as
 *   "borrows x": then the caller keeps its reference.  Consuming lets a verb
 *   reuse an argument whose count is 1 as its result.
 *
 * The current context (heap, symbols, error) is one thread-local pointer,
 * kc, set by the public API on entry; runtime and language code reach the
 * heap through it, so two states in two threads never share anything.
 */
#ifndef KRT_K_H
#define KRT_K_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef const char *ksym;   /* an interned symbol: compare by pointer */

typedef struct kval *K;
struct kval {
	int32_t rc;     /* references; the block is freed when it falls to 0 */
	uint8_t lane;   /* heap bookkeeping: log2 of block size, or KP_DIRECT */
	int8_t t;       /* type, see above */
	uint8_t a;      /* attribute bits / function kind / node kind */
	uint8_t u;      /* per-type detail (verb id, valence ...) */
	int64_t n;      /* count of elements */
	_Alignas(16) unsigned char d[];
};

enum {
	KT_LIST = 0, KT_INT = 1, KT_FLOAT = 2, KT_CHAR = 3, KT_SYM = 4,
	KT_DICT = 5, KT_NULL = 6, KT_FUNC = 7, KT_NODE = 8,
};

#define kI(x) ((int64_t *)(x)->d)
#define kF(x) ((double *)(x)->d)
#define kC(x) ((char *)(x)->d)
#define kS(x) ((ksym *)(x)->d)
#define kK(x) ((K *)(x)->d)

/* Special numbers. */
#define KI_NULL INT64_MIN          /* 0N */
#define KI_INF INT64_MAX           /* 0I, and -0I is -KI_INF */
#define KF_NULL (__builtin_nan(""))
#define KF_INF (__builtin_inf())

/* True when the type holds K children (lists, dicts, functions, nodes). */
static inline int k_nested(int t) { return t == KT_LIST || t == KT_DICT || t == KT_FUNC || t == KT_NODE; }

/* Bytes of one element of a value of type t (atoms: their datum). */
size_t k_esize(int t);

/* ---- the context ---------------------------------------------------- */

typedef struct kpool kpool;
typedef struct ksymtab ksymtab;

typedef struct kctx {
	kpool *heap;
	ksymtab *syms;
	const char *err;        /* name of the pending error, NULL if none */
	char errbuf[256];       /* text of a signalled error ('"msg") */
	void *lang;             /* the language layer's own state */
	volatile int interrupt; /* set (from a signal handler) to break a run;
	                           negative: the test hook of k_break_after */
	uint64_t break_countdown;
	uint32_t errseq;        /* bumped by kerr_clear: errors since are new */
} kctx;

extern _Thread_local kctx *kc __attribute__((tls_model("initial-exec")));

/* Open/close a context: a heap and a symbol table.  kctx_close releases the
 * symbol table; the heap's leak report is the caller's (see heap.h). */
kctx *kctx_open(void);
void kctx_close(kctx *c);

/* ---- errors --------------------------------------------------------- */

/* Record the error `name` (a string with static lifetime, e.g. "type") and
 * return NULL, so that `return kerr("type");` both fails and reports. */
K kerr(const char *name);
/* Record an error whose text is copied (a signal '"text"). */
K kerr_text(const char *s, size_t n);
/* Forget the pending error. */
void kerr_clear(void);

/* ---- breaks (Ctrl-C) ------------------------------------------------ */

/* The error name of a break, compared by pointer: no trap catches it. */
extern const char k_break_mark[];
/* Items of work between two polls in a long loop: polling once per block
 * keeps the kernels as fast as without, and a block takes well under the
 * 100 ms within which a break is acted on. */
#define K_POLL_BLOCK ((int64_t)1 << 16)
int k_break_now(void);
/* Has a break arrived?  Then the error "break" is recorded and 1 returned,
 * and the caller fails as for any error.  A poll point of a long loop. */
static inline int k_broken(void)
{
	return __builtin_expect(kc->interrupt != 0, 0) && k_break_now();
}
/* [0, n) in blocks [b, e) of K_POLL_BLOCK items, for a loop that polls
 * once per block:
 *     K_BLOCKS(b, e, n) {
 *             if (k_broken()) goto fail;
 *             for (int64_t i = b; i < e; i++) ...
 *     }                                                                  */
#define K_BLOCKS(b, e, n)                                                     \
	for (int64_t b = 0, e = K_POLL_BLOCK < (n) ? K_POLL_BLOCK : (n); b < (n); \
	     b = e, e = e + K_POLL_BLOCK < (n) ? e + K_POLL_BLOCK : (n))
/* for (int64_t i = 0; i < n; i++) BODY, polling once per block; at a
 * break `broke` is set and the loop ends (the caller checks it):
 *     int broke = 0;
 *     K_FOR_POLLED(i, n, broke) kI(r)[i] = i;
 *     if (broke) goto fail;                                              */
#define K_FOR_POLLED(i, n, broke)                                              \
	for (int64_t i = 0, i##_poll = 0; i < (n); i++)                          \
		if (i == i##_poll && (i##_poll += K_POLL_BLOCK, ((broke) = k_broken()))) \
			break;                                                   \
		else
/* For loops whose items differ in work: count `work` done since the last
 * poll in *since, and poll once a block's worth is done. */
static inline int k_broken_after(int64_t *since, int64_t work)
{
	if ((*since += work) < K_POLL_BLOCK) return 0;
	*since = 0;
	return k_broken();
}
/* memset for big blocks, polling between 4 MiB pieces (a fresh mapping
 * faults in its pages as it is written): 0, or -1 at a break. */
int k_memset(void *p, int c, size_t n);
/* The test hook: the nth poll from now breaks (0: off). */
void k_break_after(uint64_t n);
/* Forget a break that arrived while no K was running. */
void k_break_drop(void);

/* ---- allocation and reference counting ------------------------------ */

/* A fresh value of type t and count n, data uninitialised (for nested types
 * the children must be filled before the value is released), rc 1.
 * Returns NULL with "wsfull" when memory (or the heap limit) runs out. */
K k_new(int t, int64_t n);
/* Release the block of a value whose count reached 0, children first. */
void k_free(K x);

static inline K ci(K x) { if (x) x->rc++; return x; }
static inline void cd(K x) { if (x && --x->rc == 0) k_free(x); }

/* Room in the block of x, in elements. */
int64_t k_cap(K x);                 /* borrows x */
/* x with room for at least n elements and count n (data beyond the old
 * count uninitialised); in place when x is unshared and its block has room
 * or can grow, else a copy.  Consumes x; NULL + wsfull on failure (x freed). */
K k_resize(K x, int64_t n);
/* The unshared *px given count n in place (room made by growing its block,
 * which may move it; items past a smaller n released), all or nothing:
 * 0, or -1 with wsfull and *px exactly as it was.  Borrows *px. */
int k_grow(K *px, int64_t n);
/* A version of x that the caller may mutate: x itself when its count is 1,
 * else a shallow copy (children shared, their counts raised).  Consumes x. */
K k_mut(K x);
/* A shallow copy of x with count 1.  Borrows x. */
K k_copy(K x);

/* ---- constructors (all return new values, NULL + wsfull on failure) -- */
K k_int(int64_t i);
K k_float(double f);
K k_char(char c);
K k_symv(ksym s);                   /* symbol atom */
K k_null(void);                     /* _n */
K k_str(const char *s, size_t n);   /* char vector */
K k_cstr(const char *s);            /* char vector of a C string */
K k_list(int64_t n);                /* general list, children all NULL (NULL:
                                       wsfull, or a break while zeroing) */
K k_enlist(K x);                    /* ,x (1-item list/vector); consumes x */

/* ---- symbols -------------------------------------------------------- */
ksym sym_intern(const char *s, size_t n);   /* NULL + wsfull on failure */
ksym sym_c(const char *s);                  /* of a C string */

/* ---- recursion ------------------------------------------------------ */
/* Is there C stack left to go deeper?  Recursive code checks this and
 * fails with kerr("stack") when it is not. */
int k_stack_ok(void);

/* ---- cycle guard ---------------------------------------------------- */
/* Would storing v into container c make c reachable from itself?  1 or
 * 0; -1 with the error wsfull when the walk cannot get memory.  Borrows
 * both. */
int k_reaches(K v, K c);
/* May v be stored into c?  0, or -1 with the error set: cycle, or wsfull
 * when that could not be decided.  Borrows both. */
int k_store_check(K v, K c);

#endif
