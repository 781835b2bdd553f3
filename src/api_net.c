#define _GNU_SOURCE
/* api_net.c: the network part of libkrt: listening, handles, sending, and
 * running the state's event loop (lang/net_*.c) for a front end or an
 * embedder.  Every call enters the state as the others do. */
#include <poll.h>
#include "api_priv.h"
#include "../lang/net.h"

/* After the loop asked to exit: the status, as krt_exec keeps it. */
static int loop_result(krt *k, int r)
{
	if (r == -2) {
		k->exit_status = KL->exit_status;
		if (KL->net) ((knet *)KL->net)->exiting = 0;
		kerr_clear();
		return KRT_EXIT;
	}
	return r;
}

int krt_listen(krt *k, const char *addr, int http)
{
	API_ENTER(k);
	kerr_clear();
	int fd = addr ? net_listen(addr, http ? NC_HTTP : NC_IPC) : (kerr("domain"), -1);
	if (fd < 0) api_failed(k);
	API_LEAVE();
	return fd < 0 ? -1 : 0;
}

int krt_port(krt *k)
{
	knet *n = k->ctx->lang ? ((klang *)k->ctx->lang)->net : NULL;
	return n ? n->lport : 0;
}

int krt_connect(krt *k, const char *host, int port)
{
	API_ENTER(k);
	kerr_clear();
	int h = net_connect(host, port);
	if (h < 0) api_failed(k);
	API_LEAVE();
	return h;
}

int krt_disconnect(krt *k, int h)
{
	API_ENTER(k);
	kerr_clear();
	int r = net_disconnect(h);
	if (r) api_failed(k);
	API_LEAVE();
	return r;
}

int krt_send(krt *k, int h, K x)
{
	API_ENTER(k);
	kerr_clear();
	K r = api_take(k, x) ? msg_send(h, x, 0) : NULL;
	if (!r) api_failed(k);
	cd(r);
	API_LEAVE();
	return r ? 0 : -1;
}

K krt_request(krt *k, int h, K x)
{
	API_ENTER(k);
	kerr_clear();
	K r = api_take(k, x) ? msg_send(h, x, 1) : NULL;
	if (r) r = api_give(k, r);
	if (!r) api_failed(k);
	API_LEAVE();
	return r;
}

int krt_poll(krt *k, int timeout_ms)
{
	API_ENTER(k);
	kerr_clear();
	int r = net_poll(timeout_ms, -1);
	int out = r == -2 ? loop_result(k, r) : KRT_OK;
	if (r == -1 && kc->err) { api_failed(k); out = KRT_ERROR; }
	API_LEAVE();
	return out;
}

int krt_run(krt *k, int ms)
{
	API_ENTER(k);
	kerr_clear();
	int out = KRT_OK;
	int64_t until = ms < 0 ? 0 : net_now() + ms;
	while (ms < 0 ? net_active() : net_now() < until) {
		int64_t left = ms < 0 ? -1 : until - net_now();
		int r = net_poll((int)(left > 1000000000 ? 1000000000 : left), -1);
		if (r == -2) { out = loop_result(k, r); break; }
		if (r == -1) {
			k_break_drop();
			if (!kc->err) kerr(k_break_mark);
			api_failed(k);
			out = KRT_ERROR;
			break;
		}
	}
	API_LEAVE();
	return out;
}

int krt_wait_fd(krt *k, int fd)
{
	API_ENTER(k);
	kerr_clear();
	int r;
	if (!net_active()) r = 1;             /* nothing else to wait for */
	else
		do r = net_poll(-1, fd); while (r == 0);
	if (r == -2) { loop_result(k, r); kerr_clear(); }
	else if (r == -1) {
		if (kc->err) { api_failed(k); r = -1; }
		else r = 0;
		k_break_drop();                  /* it ended the wait, nothing else */
	}
	API_LEAVE();
	return r;
}

int krt_fds(krt *k, struct pollfd *fds, int cap, int *timeout_ms)
{
	API_ENTER(k);
	int m = net_fds(NULL, NULL, 0);
	int fd[m > 0 ? m : 1];
	short ev[m > 0 ? m : 1];
	m = net_fds(fd, ev, m);
	for (int i = 0; i < m && i < cap; i++) fds[i] = (struct pollfd){ fd[i], ev[i], 0 };
	if (timeout_ms) *timeout_ms = (int)net_timeout();
	API_LEAVE();
	return m;
}

int krt_set_timer(krt *k, int64_t ms)
{
	API_ENTER(k);
	kerr_clear();
	int r = 0;
	if (ms < 0) { kerr("domain"); r = -1; }
	else if (!net_state()) r = -1;
	else net_set_timer(ms);
	if (r) api_failed(k);
	API_LEAVE();
	return r;
}

void krt_set_message_limit(krt *k, uint64_t bytes)
{
	API_ENTER(k);
	knet *n = net_state();
	if (n) n->limit = bytes ? bytes : NET_DEFAULT_LIMIT;
	API_LEAVE();
}

int krt_net_active(krt *k)
{
	API_ENTER(k);
	int r = net_active();
	API_LEAVE();
	return r;
}
