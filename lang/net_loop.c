#define _GNU_SOURCE
/* net_loop.c: the event loop of a state.  One poll(2) waits at once on the
 * listening sockets, every connection (for input, and for output while some
 * is queued), an extra descriptor of the caller's (the CLI's stdin) and the
 * timer's deadline; nothing spins.  Each round handles what is ready:
 * accepts, writes queued output, reads what arrived and handles the whole
 * messages, fires the timer when due.  The CLI and embedders drive it
 * through krt.h (krt_poll, krt_run, krt_wait_fd, krt_fds).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>
#include "net.h"

int64_t net_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int net_active(void)
{
	knet *n = KL->net;
	return n && (n->nlisten || n->nconn || n->timer_ms);
}

void net_set_timer(int64_t ms)
{
	knet *n = net_state();
	if (!n) return;
	n->timer_ms = ms > 0 ? ms : 0;
	n->timer_next = net_now() + n->timer_ms;
}

int64_t net_timeout(void)
{
	knet *n = KL->net;
	if (!n) return -1;
	int timer = n->timer_ms && !n->calls;     /* no tick inside a sync call */
	int64_t now = net_now(), t = timer ? n->timer_next - now : -1;
	if (n->accept_pause > now && (t < 0 || n->accept_pause - now < t)) t = n->accept_pause - now;
	return t < 0 && (timer || n->accept_pause > now) ? 0 : t;
}

int net_fds(int *fd, short *ev, int cap)
{
	knet *n = KL->net;
	int k = 0;
	if (!n) return 0;
	int resting = n->accept_pause > net_now();
	for (int i = 0; i < n->nlisten && !resting; i++, k++)
		if (k < cap) { fd[k] = n->lfd[i]; ev[k] = POLLIN; }
	for (int i = 0; i < n->cap; i++) {
		kconn *c = n->conn[i];
		/* A connection whose message is being handled by a handler that
		 * waits in a sync call rests, so that its messages are handled in
		 * order (and HTTP answers go out in order) -- unless the peer
		 * waits on us (its sync request is being handled, or our call
		 * waits on it): what it sends then is nested in that call. */
		if (!c || c->dead || (c->serving && !c->owed && !c->wait)) continue;
		if (k < cap) {
			fd[k] = c->fd;
			ev[k] = POLLIN | (c->out.pos < c->out.len ? POLLOUT : 0);
		}
		k++;
	}
	return k;
}

/* How much of the message being received is still missing (0: unknown). */
static size_t missing(kconn *c)
{
	const unsigned char *h = c->in.p + c->in.pos;
	if (c->kind != NC_IPC || c->in.len - c->in.pos < NET_HEADER) return 0;
	uint64_t n;
	memcpy(&n, h + 8, 8);
	if (h[0] != 1) n = __builtin_bswap64(n);
	uint64_t have = c->in.len - c->in.pos;
	if (n > ((knet *)KL->net)->limit || NET_HEADER + n <= have) return 0;
	return (size_t)(NET_HEADER + n - have);
}

/* Read what c has (a few reads at most, so that others get their turn)
 * and handle its whole messages. */
void net_serve(kconn *c)
{
	for (int i = 0; i < 16; i++) {
		int r = conn_fill(c, missing(c));
		if (r < 0) return;              /* c is gone */
		if (!r) break;
		if (!missing(c)) break;
	}
	c->busy++;
	c->serving++;
	if (c->kind == NC_IPC) msg_process(c);
	else http_process(c);
	c->serving--;
	c->busy--;
	if (!c->dead && c->in.pos == c->in.len && c->in.cap > (1 << 20))
		buf_free(&c->in);             /* do not keep a big message's room */
}

/* Room for `need` pollfds: the state's scratch for the outermost call,
 * a block of its own (freed by the caller) for a nested one, whose
 * handlers would otherwise overwrite the array the outer call walks. */
static struct pollfd *poll_room(knet *n, int need)
{
	if (n->polling > 1) return malloc((size_t)need * sizeof(struct pollfd));
	if (need > n->pcap) {
		int c = n->pcap ? n->pcap : 64;
		while (c < need) c *= 2;
		struct pollfd *q = realloc(n->pfd, (size_t)c * sizeof *q);
		if (!q) return NULL;
		n->pfd = q;
		n->pcap = c;
	}
	return n->pfd;
}

/* Handle what poll found ready in pfd[0..k). */
static void handle_ready(knet *n, struct pollfd *pfd, int k)
{
	for (int i = 0; i < k; i++) {
		if (!pfd[i].revents) continue;
		int fd = pfd[i].fd, l = 0;
		while (l < n->nlisten && n->lfd[l] != fd) l++;
		if (l < n->nlisten) { net_accept(fd, n->lkind[l]); continue; }
		kconn *c = fd < n->cap ? n->conn[fd] : NULL;
		if (!c || c->dead) continue;
		if ((pfd[i].revents & POLLOUT) && conn_flush(c)) continue;
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) net_serve(c);
	}
}

static void fire_timer(knet *n)
{
	if (!n->timer_ms || n->calls || net_now() < n->timer_next) return;
	n->timer_next += n->timer_ms;
	if (n->timer_next <= net_now()) n->timer_next = net_now() + n->timer_ms;
	msg_timer();
}

int net_poll(int timeout_ms, int extra)
{
	knet *n = net_state();
	if (!n) return -1;
	int total = n->nlisten + n->nconn + 1;
	n->polling++;
	struct pollfd *pfd = poll_room(n, total);
	if (!pfd) { n->polling--; kerr("wsfull"); return -1; }
	int k = 0;
	if (extra >= 0) pfd[k++] = (struct pollfd){ extra, POLLIN, 0 };
	int first = k;
	{
		int fds[total];
		short ev[total];
		int m = net_fds(fds, ev, total);
		for (int i = 0; i < m && i < total; i++) pfd[k++] = (struct pollfd){ fds[i], ev[i], 0 };
	}
	int64_t t = net_timeout();
	if (t >= 0 && (timeout_ms < 0 || t < timeout_ms)) timeout_ms = (int)t;
	int r = poll(pfd, (nfds_t)k, timeout_ms);
	if (r < 0 && errno != EINTR) kerr("poll");
	int ready = r > 0 && extra >= 0 && pfd[0].revents;
	if (r > 0) handle_ready(n, pfd + first, k - first);
	if (pfd != n->pfd) free(pfd);
	n->polling--;
	if (r < 0) return -1;
	fire_timer(n);
	net_reap();
	if (n->exiting) return -2;
	return ready;
}
