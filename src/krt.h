/* krt.h: the public API of libkrt, an embeddable K3 interpreter.
 *
 * A krt state holds a whole interpreter: its heap, symbols, K-tree (global
 * names), error and settings.  Every call takes the state it works on, as
 * Lua's and QuickJS's do.  Two states may be used from two threads at once;
 * one state must not be used by two threads at the same time.
 *
 * A K is a value living in one state's heap.  Ownership is explicit:
 *   "returns a new K"  the caller gets one reference and gives it back with
 *                      krt_release (or passes it to a call that consumes it);
 *   "consumes x"       the call takes the caller's reference, on success and
 *                      on failure alike;
 *   "borrows x"        the caller keeps its reference.
 * A K may only be given to the state that made it: the state keeps count of
 * the references it handed out, and a value it did not hand out (one from
 * another state, or one already released) is refused with the error "owner"
 * instead of crashing.  Values cross between states only by krt_copy.
 *
 * Errors: a call that fails returns NULL (or -1, or KRT_ERROR) and records
 * the error in the state, where krt_error and krt_error_message read it
 * until another call fails.  Running out of memory, or passing the heap
 * limit, is the error "wsfull".  No call of the library exits the process.
 *
 * Arguments: a NULL pointer where a call needs one (a text, a value, an
 * output, an array) is refused with the error "null"; only the state
 * itself must never be NULL (a programming error, as in Lua).  A state is
 * closed by krt_close only when no K runs on it: from inside a C function
 * that K called, krt_close refuses ("busy") and returns UINT64_MAX.  A
 * debug build (-DKRT_DEBUG) also detects a call on a state already closed
 * and aborts with a message, where a release build has undefined behaviour.
 *
 * C stack: K runs recursively on the C stack of the calling thread, whose
 * real bounds each thread measures once (the main thread's follow ulimit
 * -s).  Going deeper than the stack allows is the error "stack", never a
 * crash; a quarter of the stack (64 KiB to 256 KiB) is kept in reserve.
 * A level of lambda call takes about 300 bytes (more through adverbs,
 * error traps or . of a string); a level of a nested value takes about
 * 100 bytes to show, to format ($), to write with 5: or _bd, to match.
 * So, in a release build, a thread with 256 KiB reaches about 600 levels
 * of calls and 1700 of display; 1 MiB about 2500 and 7000; 8 MiB (the
 * usual main thread) about 26000 and 70000; calls stop at 100000 levels
 * whatever the stack.  256 KiB is the least krt supports; debug and
 * sanitizer builds need about three times as much.
 */
#ifndef KRT_H
#define KRT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KRT_VERSION "0.1.0"

typedef struct krt krt;
typedef struct kval *K;

/* ---- states ----------------------------------------------------------- */

/* A new state, or NULL when memory runs out. */
krt *krt_open(void);
/* Close a state, releasing its K-tree, symbols and heap.  Returns the number
 * of heap blocks that were still live (a leak: a reference the caller never
 * released counts too); with report non-zero they are listed on stderr.
 * Refused while K runs on the state (called from a C function that K
 * called, or from a suspension hook): UINT64_MAX, error "busy", nothing
 * closed.  krt_close(NULL, ...) is 0. */
uint64_t krt_close(krt *k, int report);
/* The library's version, "major.minor.patch". */
const char *krt_version(void);
/* A pointer of the caller's own, kept with the state (for C functions). */
void krt_set_userdata(krt *k, void *data);
void *krt_userdata(krt *k);

/* ---- running K -------------------------------------------------------- */

/* Outcomes of krt_exec and krt_load. */
enum { KRT_OK = 0, KRT_ERROR = 1, KRT_EXIT = 2, KRT_RESUME = 3, KRT_ABORT = 4 };

/* Run K source as one console line or script statement (statements or a
 * \command).  KRT_OK: *result is a new K, or NULL when the console shows
 * nothing (an assignment, _n).  KRT_ERROR: *result is NULL, see krt_error.
 * KRT_EXIT: the source asked to exit (\\); *result is NULL and the status
 * is krt_exit_status(k).  The process is never exited.
 * Inside a suspension (see krt_set_suspend) the source may also end it:
 * KRT_RESUME (":x"): *result is the new K x to resume the failed call
 * with; KRT_ABORT (a lone "\"): let the error go on. */
int krt_exec(krt *k, const char *src, size_t n, K *result);
int krt_exit_status(krt *k);

/* Evaluate a NUL-terminated string of K; returns a new K (the value of the
 * last statement; _n for nothing), or NULL on error. */
K krt_eval(krt *k, const char *src);

/* Run a script file's statements in order (a statement may span lines
 * while a bracket or string is open; "/" comment lines and blocks are
 * skipped); values are not printed.  Returns KRT_OK, KRT_ERROR at the first
 * failing statement (the message names file and line) or KRT_EXIT. */
int krt_load(krt *k, const char *path);

/* ---- errors ----------------------------------------------------------- */

/* The name of the last error ("type", "length", "value", "owner", the
 * text of a signal ...), or "" if none was recorded. */
const char *krt_error(krt *k);
/* A line about the last error, e.g. "type error" or "script.k:3: value
 * error: f 2"; "" if none. */
const char *krt_error_message(krt *k);
/* Forget the last error. */
void krt_clear_error(krt *k);
/* Record an error (copied; a K program sees it as it sees '"text"); returns
 * NULL, so that a C function can `return krt_signal(k, "domain");`. */
K krt_signal(krt *k, const char *name);

/* ---- reference counting ---------------------------------------------- */

/* Give back a reference.  Consumes x; NULL is ignored.  A value that is not
 * this state's is refused ("owner") and left alone. */
void krt_release(krt *k, K x);
/* A second reference to x.  Borrows x; returns x as a new K (NULL if x is
 * not this state's). */
K krt_retain(krt *k, K x);
/* A copy of x, made by the state `from`, in the state `to` (a deep copy;
 * symbols are interned anew).  Borrows x.  Functions cannot be copied
 * ("type").  Neither state may be in use by another thread meanwhile. */
K krt_copy(krt *to, krt *from, K x);

/* ---- building values (each returns a new K, NULL + "wsfull") ---------- */

K krt_int(krt *k, int64_t i);
K krt_float(krt *k, double f);
K krt_char(krt *k, char c);
K krt_sym(krt *k, const char *name);            /* `name */
K krt_null(krt *k);                             /* _n */
/* v may be NULL only when n is 0 (an empty vector). */
K krt_ints(krt *k, const int64_t *v, size_t n); /* int vector, v copied */
K krt_floats(krt *k, const double *v, size_t n);
K krt_chars(krt *k, const char *s, size_t n);   /* char vector (string) */
K krt_string(krt *k, const char *s);            /* of a C string */
K krt_syms(krt *k, const char *const *names, size_t n);
/* The list (items[0]; ...; items[n-1]), as K makes it: a simple vector when
 * every item is an atom of one type.  Consumes items[0..n-1] (every one,
 * also on failure). */
K krt_list(krt *k, size_t n, K *items);
/* An empty dictionary. */
K krt_dict(krt *k);
/* d with key `key` set to v (the dictionary is changed in place when the
 * caller holds its only reference).  Consumes d and v. */
K krt_dict_set(krt *k, K d, const char *key, K v);

/* ---- reading values (x is borrowed by all of them) -------------------- */

/* Types, numbered as K's 4: numbers them; vectors are the negated atom
 * types (-1 int vector ... -4 symbol vector). */
enum {
	KRT_LIST = 0, KRT_INT = 1, KRT_FLOAT = 2, KRT_CHAR = 3, KRT_SYM = 4,
	KRT_DICT = 5, KRT_NULL = 6, KRT_FUNC = 7,
	KRT_BAD = -128                  /* not a value of this state */
};
int krt_type(krt *k, K x);
/* Count of items (1 for an atom, the entries of a dictionary); -1 if x is
 * not this state's. */
int64_t krt_count(krt *k, K x);
/* Item i of x as a new K: an atom out of a vector, an item of a list, the
 * value of the i-th entry of a dictionary.  NULL + "index" out of range. */
K krt_item(krt *k, K x, int64_t i);
/* An atom's datum: 0, or -1 + "type" when x is not such an atom.
 * krt_get_float takes an int atom too. */
int krt_get_int(krt *k, K x, int64_t *out);
int krt_get_float(krt *k, K x, double *out);
int krt_get_char(krt *k, K x, char *out);
/* The name of a symbol atom, valid as long as the state; NULL + "type". */
const char *krt_get_sym(krt *k, K x);
/* The elements of an atom or simple vector, valid while x is held and not
 * passed to a call that consumes it: int64_t (int), double (float), char
 * (char; NUL-terminated for a vector), const char * (symbol).  NULL +
 * "type" for lists, dictionaries, functions, _n. */
const void *krt_data(krt *k, K x);
/* The keys of a dictionary as a new symbol vector. */
K krt_dict_keys(krt *k, K d);
/* The value of key `key` in d (a new K); NULL + "index" when absent. */
K krt_dict_get(krt *k, K d, const char *key);
/* The console form of x (what krt_print writes) as a new char vector. */
K krt_show(krt *k, K x);
/* Print x as the console shows it, with a newline; 0 or -1 (a write that
 * failed is the error "domain", and errno is the stream's). */
int krt_print(krt *k, K x, FILE *out);

/* ---- globals and calls ------------------------------------------------ */

/* The value of a global (relative to the current directory, or absolute:
 * "a", "d.a", ".k.a") as a new K; NULL + "value" when it is not set. */
K krt_get(krt *k, const char *name);
/* Set a global to v.  Consumes v.  0, or -1 with an error. */
int krt_set(krt *k, const char *name, K v);
/* Apply f to n arguments (f[a0;...]; also indexing when f is data).
 * Borrows f, consumes args[0..n-1]; n >= 1 (a function of no argument is
 * called with one _n, as f[] does).  A new K, or NULL on error. */
K krt_call(krt *k, K f, int n, K *args);

/* A C function callable from K.  It receives its n arguments (n equals the
 * valence it was registered with) and CONSUMES them: it must release or
 * return each one.  It returns a new K, or NULL after krt_signal (or after a
 * call of the API that failed).  It may call the API on k, and on other
 * states. */
typedef K (*krt_cfunc)(krt *k, int n, K *args);
/* A K function value that calls fn with `valence` arguments (0 .. 8; a
 * function of valence 0 is called as f[]).  `name` is how K displays it.
 * K code may apply it under adverbs and project it with elided arguments
 * (f[1;]); fn itself is only called with all of them.
 * A new K, or NULL ("limit" past KRT_MAX_CFUNCS distinct functions in one
 * state, "valence" for a bad valence). */
#define KRT_MAX_CFUNCS 256
K krt_cfunction(krt *k, const char *name, krt_cfunc fn, int valence);
/* krt_cfunction, then the global `name` set to it.  0, or -1. */
int krt_register(krt *k, const char *name, krt_cfunc fn, int valence);

/* ---- the heap --------------------------------------------------------- */

/* With s or out NULL, these record the error "null" and do nothing. */
typedef struct krt_stats {
	uint64_t in_use;     /* bytes of live blocks */
	uint64_t held;       /* bytes mapped from the OS */
	uint64_t peak;       /* highest in_use */
	uint64_t trimmed;    /* bytes given back to the OS so far */
} krt_stats;
void krt_heap_stats(krt *k, krt_stats *s);
/* Print the full statistics, per lane, to out. */
void krt_heap_report(krt *k, FILE *out);
/* Limit the bytes held from the OS (0: no limit); past it, "wsfull". */
void krt_set_heap_limit(krt *k, uint64_t bytes);
/* Fault injection: make the nth allocation from now fail (1: the next;
 * 0: off), so that a test can walk every allocation of a call. */
void krt_fail_alloc(krt *k, uint64_t n);
/* Give idle memory back to the OS now; the bytes released. */
uint64_t krt_trim(krt *k);

/* ---- sessions: what an interactive front end needs (api_session.c) ---- */

/* Ask the running evaluation to stop with the error "break".  Safe to call
 * from a signal handler. */
void krt_interrupt(krt *k);
/* Where the last error of krt_exec happened, as a byte offset in its
 * source (see krt_error_source), or -1 when that is not known. */
int krt_error_pos(krt *k);
/* The source that krt_error_pos counts in: the text of the lambda the
 * error happened in, or NULL for the text given to krt_exec itself.  Valid
 * until the next call on k. */
const char *krt_error_source(krt *k);
/* Was the last error already shown by a suspension hook (see below)? */
int krt_error_reported(krt *k);
/* Suspension.  With a hook set, an error inside a lambda calls
 * hook(k, ud) before the lambda returns: code given to krt_exec meanwhile
 * runs in that lambda, seeing its locals; krt_exec returns KRT_RESUME for
 * ":x" (*result is x) and KRT_ABORT for a lone "\".  The hook returns the
 * value the failed lambda call returns instead (consumed), or NULL to let
 * the error go on.  NULL hook: errors are not suspended. */
typedef K (*krt_suspend_fn)(krt *k, void *ud);
void krt_set_suspend(krt *k, krt_suspend_fn hook, void *ud);
/* Does the text leave a bracket or a string open, so that a front end
 * should read another line before running it?  (A '/' after a blank or
 * at a line start comments the rest of the line out.)  NULL src: 0. */
int krt_incomplete(const char *src, size_t n);
/* Set the script arguments, seen by K as _a.  Borrows args.  0 or -1. */
int krt_set_args(krt *k, int n, const char *const *args);

/* ---- the network (api_net.c) ------------------------------------------
 * A state has one event loop (poll(2), no threads) over its listening
 * sockets, its connections and its timer (\t N calls .m.ts).  Messages use
 * Kona's layout, so krt and Kona processes talk to each other.  Nothing
 * happens on a socket unless the loop runs: through krt_poll, krt_run or
 * krt_wait_fd, through an embedder's own poll with krt_fds + krt_poll(k, 0),
 * or while a sync call (h 4:x, krt_request) waits for its answer.
 * A handle is an int > 0 (the socket's descriptor, as in Kona). */

/* Listen on addr: "PORT" (on 127.0.0.1 only), "HOST:PORT", "[V6]:PORT",
 * e.g. "0.0.0.0:5000" or "[::]:5000"; port 0 picks a free port (see
 * krt_port).  http 0: K messages (krt -i); http 1: HTTP/1.1 requests given
 * to .m.h (krt -h).  0, or -1 with an error ("domain" bad address, "host",
 * "listen" port taken, "limit" past 8 listeners). */
int krt_listen(krt *k, const char *addr, int http);
/* The port of the first listener (K's _p), or 0. */
int krt_port(krt *k);
/* Open a handle to a K process at host:port (host NULL or "": 127.0.0.1).
 * The handle, or -1 ("host" unknown, "conn" refused, "domain" bad port). */
int krt_connect(krt *k, const char *host, int port);
/* Close a handle (the far side's .m.c runs).  0, or -1 ("handle"). */
int krt_disconnect(krt *k, int h);
/* Send x on handle h without waiting (as h 3:x).  Consumes x.  0, or -1
 * ("handle", "closed", "nonce" for a function). */
int krt_send(krt *k, int h, K x);
/* Send x on handle h and wait for the answer (as h 4:x): a new K, or NULL
 * with the far side's error name, or "closed", "break" (krt_interrupt). 
 * Consumes x. */
K krt_request(krt *k, int h, K x);
/* One round of the loop: wait up to timeout_ms (0: not at all, -1: until
 * something happens) and handle what is ready (accept, read, write, whole
 * messages, the timer).  KRT_OK, KRT_EXIT (a message ran \\ or _exit; see
 * krt_exit_status), or KRT_ERROR. */
int krt_poll(krt *k, int timeout_ms);
/* Run the loop for ms milliseconds (-1: while there is anything to wait
 * for).  KRT_OK, KRT_EXIT, or KRT_ERROR (interrupted by a signal: "break"). */
int krt_run(krt *k, int ms);
/* Run the loop until fd (an embedder's own, e.g. stdin) is readable:
 * 1 ready, 0 a signal interrupted the wait, -1 error, -2 a message asked
 * to exit (KRT_EXIT's case). */
int krt_wait_fd(krt *k, int fd);
/* For an embedder's own event loop: the descriptors and events the loop
 * waits on, written into fds[0 .. cap-1] as struct pollfd entries (POLLIN,
 * POLLOUT); returns how many there are (more than cap: call again with
 * room).  *timeout_ms (may be NULL) gets the ms until the timer, or -1.
 * When any is ready, call krt_poll(k, 0). */
struct pollfd;
int krt_fds(krt *k, struct pollfd *fds, int cap, int *timeout_ms);
/* The timer: call .m.ts every ms milliseconds (0 stops it), as \t ms. */
int krt_set_timer(krt *k, int64_t ms);
/* The largest message a connection may send (default 1 GiB); larger ones
 * close the connection. */
void krt_set_message_limit(krt *k, uint64_t bytes);
/* Is there anything for the loop to wait on (listeners, connections, a
 * timer)? */
int krt_net_active(krt *k);

#ifdef __cplusplus
}
#endif

#endif
