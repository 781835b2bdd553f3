/* net.h: interprocess messages and the event loop of a state.
 *
 * The pieces, one concern each:
 *   lang/net_wire.c  Kona's message layout: a 16-byte header (byte 0: 1 for
 *                    little-endian data; byte 7: the message type, 0 async,
 *                    1 sync, 2 response; bytes 8..15: the byte count of the
 *                    value that follows) and the value in the _bd form
 *   lang/net_conn.c  sockets: listening, connecting, and each connection's
 *                    non-blocking input and output buffers
 *   lang/net_loop.c  the poll(2) loop over listeners, connections, one
 *                    extra descriptor of the caller's (stdin) and the timer
 *   lang/net_msg.c   what a message does: handlers .m.s .m.g .m.c, _w, the
 *                    sync round trip, and the K verbs 3: and 4:
 *   lang/net_http.c  the HTTP/1.1 server of krt -h: requests to .m.h
 *   lang/net_fetch.c the text client (host;port) 4:"GET /..."
 *
 * A handle is the connection's file descriptor, as in Kona.  All state is
 * the language state's (KL->net), made on first use; nothing is global.
 * Buffers are malloc'ed, outside the K heap: only decoded values count
 * against the heap limit, and a message larger than the message limit is
 * refused before any of it is kept.
 */
#ifndef KRT_NET_H
#define KRT_NET_H

#include <stddef.h>
#include "lang.h"

enum { MSG_ASYNC = 0, MSG_SYNC = 1, MSG_RESPONSE = 2 };
enum { NC_IPC, NC_HTTP };
#define NET_HEADER 16
#define NET_MAX_LISTEN 8
#define NET_DEFAULT_LIMIT ((uint64_t)1 << 30)

typedef struct kbuf {
	unsigned char *p;
	size_t pos, len, cap;     /* data is p[pos .. len) */
} kbuf;

/* A sync call waiting for its response.  Calls on one connection nest
 * (a handler run while one waits may call again), and the peer answers
 * the innermost first, so the waiters form a stack on the C stack. */
typedef struct kwait {
	K reply;              /* the response, once it has arrived */
	struct kwait *outer;  /* the call this one is nested in */
} kwait;

typedef struct kconn {
	int fd, kind;
	kbuf in, out;
	int busy;          /* in use below: not freed until 0 */
	int serving;       /* messages of this connection being handled */
	int owed;          /* ... of which sync requests (the peer waits) */
	int dead;          /* closed: reaped (fd closed, freed) when not busy */
	int close_after;   /* HTTP: close once the output is written */
	kwait *wait;       /* the innermost sync call waiting here, or NULL */
	int stale;         /* responses still due to calls given up (break) */
	int64_t addr;      /* the peer's IPv4 address (_c), 0 if none */
} kconn;

typedef struct knet {
	int lfd[NET_MAX_LISTEN], lkind[NET_MAX_LISTEN], nlisten;
	int lport;                 /* the first listener's port: _p */
	kconn **conn;              /* by file descriptor */
	int cap;
	int nconn;
	int64_t who;               /* _w: the handle whose message is handled */
	int64_t timer_ms;          /* \t: 0 off */
	int64_t timer_next;        /* when it fires next (monotonic ms) */
	uint64_t limit;            /* largest message accepted */
	int exiting;               /* a message ran \\ or _exit */
	int closing;               /* the state is closing: no handlers */
	int64_t accept_pause;      /* out of descriptors: listeners rest until */
	int calls;                 /* sync calls waiting (the timer waits too) */
	int polling;               /* net_poll calls running (they nest) */
	struct pollfd *pfd;        /* the outermost net_poll's scratch */
	int pcap;
} knet;

/* The state's network part, made on first use; NULL + wsfull. */
knet *net_state(void);
/* Close every socket (flushing what is queued for a short while), free
 * all; at lang_close. */
void net_close_all(void);

/* ---- wire (net_wire.c) -------------------------------------------------- */
/* Append the message of x with type `type` to b.  Borrows x.  0, or -1
 * with an error (nonce for a function, wsfull). */
int wire_put(kbuf *b, K x, int type);
/* Is there a whole message at b's start?  1 (its type in *type, its total
 * size in *size), 0 not yet, -1 malformed or past `limit` (reason in *why). */
int wire_peek(const kbuf *b, uint64_t limit, int *type, size_t *size, const char **why);
/* Decode the whole message at p (size bytes).  A new K or NULL. */
K wire_get(const unsigned char *p, size_t size);

/* ---- buffers and sockets (net_conn.c) ------------------------------------ */
int buf_reserve(kbuf *b, size_t more);       /* 0, or -1 (no memory) */
void buf_free(kbuf *b);
/* Listen on spec: "PORT", "HOST:PORT", "[V6]:PORT" (no host: 127.0.0.1).
 * The listening fd, or -1 with an error. */
int net_listen(const char *spec, int kind);
/* A blocking socket connected to host (NULL or "": 127.0.0.1) at service
 * (a port number when numeric, else also a name such as "http"); -1 with
 * the error host or conn. */
int net_dial(const char *host, const char *service, int numeric);
/* Connect to host:port (host "" or NULL: 127.0.0.1); the handle or -1. */
int net_connect(const char *host, int64_t port);
/* The open connection of handle h, or NULL with the error "handle". */
kconn *net_conn(int64_t h);
/* Close handle h here (no .m.c).  0 or -1 ("handle"). */
int net_disconnect(int64_t h);
/* The peer is gone or misbehaved: say why on stderr (why may be NULL),
 * run .m.c, and close. */
void net_drop(kconn *c, const char *why);
/* Write what c's output buffer holds without blocking; -1 if the peer is
 * gone (c is then dropped). */
int conn_flush(kconn *c);
/* Read what is there without blocking; 1 read, 0 nothing, -1 end or
 * error (c is then dropped).  Reads at most `want` more bytes when non-0. */
int conn_fill(kconn *c, size_t want);
/* Free connections that are closed and idle. */
void net_reap(void);
/* Accept on a listener. */
void net_accept(int lfd, int kind);

/* ---- the loop (net_loop.c) ----------------------------------------------- */
/* One round: wait up to timeout_ms (-1: no limit) for any socket, the timer
 * or `extra` (an fd of the caller's, -1 none) and handle what is ready.
 * It nests: a handler it runs may wait in a sync call, which runs it again
 * (without the timer, which waits until no call does).
 * 1 when extra is readable, 0 otherwise, -1 interrupted (EINTR), -2 when a
 * message asked to exit. */
int net_poll(int timeout_ms, int extra);
/* Anything to wait for: listeners, connections or the timer? */
int net_active(void);
/* Read what c has and handle its whole messages. */
void net_serve(kconn *c);
/* Monotonic milliseconds. */
int64_t net_now(void);
/* \t N: the timer (0 stops it); \t: its interval. */
void net_set_timer(int64_t ms);
/* The descriptors and events the loop waits on, into fd[]/ev[] (up to
 * cap); the count there is in all. */
int net_fds(int *fd, short *ev, int cap);
/* Milliseconds until the timer fires, -1 if none. */
int64_t net_timeout(void);

/* ---- messages (net_msg.c) ------------------------------------------------ */
/* Handle what c's input holds (whole messages only). */
void msg_process(kconn *c);
/* Send x on handle h: async (returns _n) or sync (returns the answer, or
 * the far side's error).  Consumes x. */
K msg_send(int64_t h, K x, int sync);
/* 3:x: open a handle from (host;port), close one from an int.  Consumes x. */
K msg_handle(K x);
/* Run .m.c for the closing handle h. */
void msg_closed(int64_t h);
/* Run .m.ts (the timer). */
void msg_timer(void);
/* Run a handler with the sender h as _w, suspension off and any earlier
 * Ctrl-C forgotten: f[x] when f is a function, else .x.  Consumes x,
 * borrows f (may be NULL). */
K msg_run(int64_t h, K f, K x);
/* The same with argc arguments.  Borrows f (not NULL), consumes
 * x[0..argc-1]. */
K msg_call(int64_t h, K f, int argc, K *x);
/* The global `name` (absolute) as a new K, or NULL (no error) when it is
 * not set or _n. */
K msg_global(const char *name);

/* (host;port) 4:"request" or `host`service 4:"request": send the text to
 * that server and give what it sends back until it closes (net_fetch.c).
 * Consumes x and y. */
K net_fetch(K x, K y);
/* _c: the IPv4 address (an int) of the sender of the message being
 * handled, or of this host outside a handler; 0 when it has none. */
int64_t net_client(void);

/* ---- HTTP (net_http.c) --------------------------------------------------- */
/* Answer the whole requests c's input holds. */
void http_process(kconn *c);

#endif
