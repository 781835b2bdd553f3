/* api_priv.h: what the files of libkrt's public API (src/api*.c) share: the
 * state struct, entering and leaving a state, and the ledger of references
 * held by the caller.  Nothing outside src/api*.c includes this.
 *
 * Entering a state.  Runtime and language code reach their state through
 * the thread-local context `kc`; each API call makes its state's context
 * current for its duration and restores the previous one on the way out,
 * so that a C function called from K may itself call into another state.
 * Alongside kc the API keeps its own thread-local `api_current`, the krt
 * whose context is current: a C function called from K (through a
 * trampoline, see api_call.c) finds its state there.
 *
 * The ledger.  A K is only a pointer, and a block's header has no room for
 * its owner, so the state counts the references it has handed to the
 * caller (every K an API call returns, and the arguments a C function
 * receives) in a small hash table: pointer -> count.  A call taking a K
 * looks it up first; a K that is not there did not come from this state
 * (or was released already) and is refused with the error "owner",
 * without touching it.  The table lives in malloc'ed memory, outside the
 * state's heap, so that heap statistics count K values only.
 *
 * Arguments.  Every pointer but the state is checked: NULL is the error
 * "null" (api_null), a NULL K too (api_check, api_take).  `running` counts
 * the calls that run K on the state (krt_exec, krt_eval, krt_load,
 * krt_call), so that krt_close refuses to pull the state from under them.
 * A debug build keeps a closed state's struct as a tombstone whose `magic`
 * says so, and every entry point aborts with a message on one (API_LIVE).
 */
#ifndef KRT_API_PRIV_H
#define KRT_API_PRIV_H

#include "krt.h"
#include "../runtime/k.h"
#include "../lang/lang.h"
#include "../lang/apply.h"

/* One C function registered in a state: the trampoline of slot i calls
 * cfuncs[i].fn (see api_call.c). */
typedef struct api_cfunc {
	krt_cfunc fn;
	int valence;
} api_cfunc;

typedef struct api_ledger {
	struct api_held *slot;     /* open addressing, linear probing */
	size_t cap, n;             /* cap: 0 or a power of two */
} api_ledger;

struct krt {
	uint32_t magic;            /* API_MAGIC while open (checked in debug builds) */
	int running;               /* calls running K on this state just now */
	kctx *ctx;
	int exit_status;
	void *userdata;
	api_ledger held;
	int ncfuncs;
	api_cfunc cfuncs[KRT_MAX_CFUNCS];
	char err[256];             /* name of the last error ("" if none) */
	char msg[512];             /* its message line */
};

extern _Thread_local krt *api_current __attribute__((tls_model("initial-exec")));

#define API_MAGIC 0x6b727421u          /* "krt!" */
#ifdef KRT_DEBUG
/* Abort with a message naming `call` when k is not an open state. */
void api_assert_live(const krt *k, const char *call);
#define API_LIVE(k) api_assert_live((k), __func__)
#else
#define API_LIVE(k) ((void)0)
#endif

#define API_ENTER(k) API_LIVE(k); kctx *saved_ctx_ = kc; krt *saved_api_ = api_current; \
	kc = (k)->ctx; api_current = (k)
#define API_LEAVE() (kc = saved_ctx_, api_current = saved_api_)

/* ---- errors (api.c) --------------------------------------------------- */
/* Record the context's pending error (kc->err) as the state's last error,
 * with the message "<name> error"; call inside API_ENTER. */
void api_failed(krt *k);
/* The same with a message of one's own (printf format). */
void api_failed_msg(krt *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Refuse a NULL argument: the error "null", with a message naming the
 * call and the argument; returns 0.  Call inside API_ENTER. */
int api_null(krt *k, const char *call, const char *arg);

/* ---- C functions (api_call.c) ------------------------------------------ */
/* A K function calling the krt_cfunc fn with `valence` arguments, for 2:
 * (klang's make_cfunc): a new K, or NULL with an error. */
K api_make_cfunc(void *fn, const char *name, int valence);

/* ---- the ledger (api_held.c); call these inside API_ENTER -------------- */
/* Hand x to the caller: count one reference in the ledger and return x.
 * Consumes x.  NULL x is passed through; if the ledger cannot grow, x is
 * released and NULL returned with "wsfull". */
K api_give(krt *k, K x);
/* Does the caller hold x?  1, or 0 with the error "owner".  Borrows x. */
int api_check(krt *k, K x);
/* Take the caller's reference of x back (x now belongs to the code that
 * will consume it).  1, or 0 with the error "owner" and x left alone. */
int api_take(krt *k, K x);
/* Take items[0..n-1] for a call that consumes them all: when one is not
 * the caller's, the others are released and 0 returned with "owner". */
int api_take_all(krt *k, int64_t n, K *items);
/* Forget the ledger (at close). */
void api_ledger_free(api_ledger *l);
/* References the caller holds. */
uint64_t api_ledger_count(const api_ledger *l);

#endif
