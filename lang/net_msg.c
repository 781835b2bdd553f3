#define _GNU_SOURCE
/* net_msg.c: what messages do, as in Kona.
 *
 * A message that arrives is given to .m.g (sync) or .m.s (async) when that
 * is defined; otherwise a string or a symbol is executed (.x), a list is
 * given to . and any other value is its own result.  A sync message is
 * answered with (0;result) or (1;"error name"); an error in an async one is
 * shown on stderr.  While a handler runs, _w is the sender's handle.
 * .m.c (a string executed, or a function given the handle) runs when the
 * peer of a connection leaves; .m.ts (niladic) runs at each timer tick.
 * Handlers never suspend at errors and never stop the server; Ctrl-C breaks
 * the one running.
 *
 * h 4:x waits for its answer in the state's loop: while it waits, what
 * arrives on any connection is handled and new connections are accepted,
 * so a handler may call back the caller (or a third process that calls
 * back) and a process may call its own port; only the timer waits.
 */
#include <stdio.h>
#include <stdlib.h>
#include "net.h"
#include "ktree.h"
#include "apply.h"
#include "verbs.h"

/* (see net.h) */
K msg_global(const char *name)
{
	ksym s = sym_c(name);
	K v = s ? ktree_get(s) : NULL;
	if (!v) { kerr_clear(); return NULL; }
	if (v->t == KT_NULL) { cd(v); return NULL; }
	return v;
}

/* Kona's execution of a message without a handler.  Consumes x. */
static K execute(K x)
{
	if (x->t == -KT_CHAR || x->t == KT_CHAR || x->t == KT_SYM || (x->t == KT_LIST && x->n > 0))
		return verb_value(x);
	return x;
}

K msg_run(int64_t h, K f, K x)
{
	return msg_call(h, f, 1, &x);
}

K msg_call(int64_t h, K f, int argc, K *x)
{
	knet *n = KL->net;
	int64_t was = n->who;
	K (*susp)(void *) = KL->suspend;
	n->who = h;
	KL->suspend = NULL;
	if (!KL->running) k_break_drop();   /* a Ctrl-C that came while idle */
	KL->running++;
	K r = f ? k_call(f, argc, x) : execute(x[0]);
	KL->running--;
	KL->suspend = susp;
	n->who = was;
	fflush(stdout);                   /* what a handler printed is seen now */
	if (!r && kc->err == lang_exit_mark) n->exiting = 1;
	return r;
}

/* Show a handler's error on stderr. */
static void complain(const char *what, int64_t h)
{
	if (((knet *)KL->net)->exiting) return;
	fprintf(stderr, "krt: %s (handle %lld): %s error\n", what, (long long)h,
	        kc->err ? kc->err : "wsfull");
	kerr_clear();
}

/* Answer a sync message with (0;r) or (1;"error"); r consumed (NULL: the
 * pending error).  A connection that cannot be answered is closed. */
static void answer(kconn *c, K r)
{
	K a = k_list(2);
	if (a) {
		kK(a)[0] = k_int(r ? 0 : 1);
		kK(a)[1] = r ? r : k_cstr(kc->err ? kc->err : "wsfull");
		r = NULL;
		if (!kK(a)[0] || !kK(a)[1]) { cd(a); a = NULL; }
	}
	cd(r);
	kerr_clear();
	if (a && wire_put(&c->out, a, MSG_RESPONSE)) {      /* e.g. a function */
		cd(a);
		a = k_list(2);
		if (a) { kK(a)[0] = k_int(1); kK(a)[1] = k_cstr(kc->err ? kc->err : "wsfull"); }
		if (a && (!kK(a)[0] || !kK(a)[1])) { cd(a); a = NULL; }
		kerr_clear();
		if (a && wire_put(&c->out, a, MSG_RESPONSE)) { cd(a); a = NULL; }
	}
	if (!a) { kerr_clear(); net_drop(c, "cannot answer a message (out of memory)"); return; }
	cd(a);
	conn_flush(c);
}

/* A response arrived.  The peer answers calls given up (break) before
 * the calls still waiting, and nested calls innermost first: it is the
 * first given-up call's, or the innermost waiting call's that has none
 * yet; one nobody waits for is dropped.  Consumes x. */
static void deliver(kconn *c, K x)
{
	kwait *w = c->wait;
	while (w && w->reply) w = w->outer;
	if (c->stale || !w) {
		if (c->stale) c->stale--;
		cd(x);
	} else w->reply = x;
}

void msg_process(kconn *c)
{
	knet *n = KL->net;
	while (!c->dead && !n->exiting) {
		int type;
		size_t size;
		const char *why = NULL;
		int w = wire_peek(&c->in, n->limit, &type, &size, &why);
		if (w < 0) { net_drop(c, why); return; }
		if (!w) return;
		K x = wire_get(c->in.p + c->in.pos, size);
		c->in.pos += size;
		if (!x) {
			char text[300];
			snprintf(text, sizeof text, "bad message (%s)", kc->err ? kc->err : "?");
			kerr_clear();
			net_drop(c, text);
			return;
		}
		if (type == MSG_RESPONSE) { deliver(c, x); continue; }
		K f = msg_global(type == MSG_SYNC ? ".m.g" : ".m.s");
		c->owed += type == MSG_SYNC;
		K r = msg_run(c->fd, f, x);
		c->owed -= type == MSG_SYNC;
		cd(f);
		if (n->exiting) { cd(r); return; }
		if (type == MSG_SYNC) { if (!c->dead) answer(c, r); else { cd(r); kerr_clear(); } }
		else if (!r) complain("message", c->fd);
		else cd(r);
	}
}

void msg_closed(int64_t h)
{
	knet *n = KL->net;
	if (n->closing || n->exiting) return;
	K f = msg_global(".m.c");
	if (!f) return;
	K r = f->t == KT_FUNC ? msg_run(h, f, k_int(h)) : msg_run(h, NULL, ci(f));
	cd(f);
	if (!r) complain(".m.c", h);
	cd(r);
}

void msg_timer(void)
{
	K f = msg_global(".m.ts");
	if (!f) return;
	K x = k_null();
	K r = x ? msg_run(0, f, x) : NULL;
	cd(f);
	if (!r) complain(".m.ts", 0);
	cd(r);
}

/* The answer of a sync call: (0;x) gives x, (1;"name") the error name.
 * Consumes a. */
static K unpack(K a)
{
	K r = NULL;
	if (a->t != KT_LIST || a->n != 2 || kK(a)[0]->t != KT_INT) kerr("message");
	else if (!kI(kK(a)[0])[0]) r = ci(kK(a)[1]);
	else if (kK(a)[1]->t == -KT_CHAR) kerr_text(kC(kK(a)[1]), (size_t)kK(a)[1]->n);
	else kerr("message");
	cd(a);
	return r;
}

/* Wait for the answer to the call just queued on c, running the loop. */
static K wait_reply(kconn *c)
{
	knet *n = KL->net;
	const char *err = NULL;
	kwait w = { NULL, c->wait };
	c->wait = &w;
	c->busy++;
	n->calls++;
	while (!w.reply) {
		if (c->dead) { err = "closed"; break; }
		if (n->exiting) { err = lang_exit_mark; break; }
		int r = net_poll(-1, -1);
		if (r == -2) { err = lang_exit_mark; break; }
		if (r == -1 && kc->err) break;                  /* poll failed */
		if (r == -1 && kc->interrupt > 0) { k_break_drop(); c->stale++; err = k_break_mark; break; }
	}
	n->calls--;
	c->wait = w.outer;
	c->busy--;
	K a = w.reply;
	net_reap();
	if (!a) return err ? kerr(err) : NULL;
	return unpack(a);
}

K msg_send(int64_t h, K x, int sync)
{
	kconn *c = net_conn(h);
	if (c && c->kind != NC_IPC) { kerr("handle"); c = NULL; }
	int e = c ? wire_put(&c->out, x, sync ? MSG_SYNC : MSG_ASYNC) : -1;
	cd(x);
	if (e) return NULL;
	if (!sync) {
		c->busy++;
		int f = conn_flush(c);
		int dead = c->dead;
		c->busy--;
		net_reap();
		return f || dead ? kerr("closed") : k_null();
	}
	c->busy++;
	int f = conn_flush(c);
	c->busy--;
	if (f || c->dead) { net_reap(); return kerr("closed"); }
	return wait_reply(c);
}

K msg_handle(K x)
{
	K r = NULL;
	if (x->t == KT_INT) {
		if (!net_disconnect(kI(x)[0])) r = k_null();
	} else if (x->t == KT_LIST && x->n == 2 && kK(x)[1]->t == KT_INT
	           && (kK(x)[0]->t == KT_SYM || kK(x)[0]->t == -KT_CHAR)) {
		char host[256];
		K hk = kK(x)[0];
		const char *s = hk->t == KT_SYM ? kS(hk)[0] : kC(hk);
		size_t len = hk->t == KT_SYM ? strlen(s) : (size_t)hk->n;
		if (len >= sizeof host) kerr("host");
		else {
			memcpy(host, s, len);
			host[len] = 0;
			int fd = net_connect(host, kI(kK(x)[1])[0]);
			if (fd >= 0) r = k_int(fd);
		}
	} else kerr("type");
	cd(x);
	return r;
}
