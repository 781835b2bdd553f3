#define _GNU_SOURCE
/* net_fetch.c: Kona's text client, (host;port) 4:"request".
 *
 * x names a server: (`host;port) with an int port, or `host`service with a
 * service name (`http) or number (`80).  The request text is sent with
 * "\r\n\r\n" after it (so "GET / HTTP/1.0" is a whole HTTP request), and
 * everything the server sends until it closes the connection is the
 * result: a string, a char atom when it is one byte long, _n when empty
 * (as Kona).  While it waits the state's loop runs, as in h 4:x, so a
 * process may fetch from its own krt -h; Ctrl-C stops it with break, and
 * an answer larger than the message limit is the error limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include "net.h"

/* Host and service of x into host[] and service[]; 1 when the service is
 * a number.  0 ok, -1 with an error. */
static int server_of(K x, char *host, size_t hcap, char *service, size_t scap, int *numeric)
{
	const char *h;
	size_t hn;
	if (x->t == -KT_SYM && x->n == 2) {
		h = kS(x)[0];
		hn = strlen(h);
		if (strlen(kS(x)[1]) >= scap) { kerr("domain"); return -1; }
		strcpy(service, kS(x)[1]);
		*numeric = 0;
	} else if (x->t == KT_LIST && x->n == 2 && kK(x)[1]->t == KT_INT
	           && (kK(x)[0]->t == KT_SYM || kK(x)[0]->t == -KT_CHAR)) {
		K hk = kK(x)[0];
		h = hk->t == KT_SYM ? kS(hk)[0] : kC(hk);
		hn = hk->t == KT_SYM ? strlen(h) : (size_t)hk->n;
		int64_t port = kI(kK(x)[1])[0];
		if (port < 0 || port > 65535) { kerr("domain"); return -1; }
		snprintf(service, scap, "%lld", (long long)port);
		*numeric = 1;
	} else {
		kerr("type");
		return -1;
	}
	if (hn >= hcap) { kerr("host"); return -1; }
	memcpy(host, h, hn);
	host[hn] = 0;
	return 0;
}

/* Let the loop run while fd is not ready (the loop waits for fd's input
 * when `in`, else for a while, since it does not watch output of fd).
 * 0, or -1 with an error (break, a message that ran \\, poll). */
static int wait_ready(int fd, int in)
{
	int r = net_poll(in ? -1 : 10, in ? fd : -1);
	if (r == -2) { kerr(lang_exit_mark); return -1; }
	if (r == -1 && !kc->err && kc->interrupt > 0) { k_break_drop(); kerr(k_break_mark); }
	return r == -1 && kc->err ? -1 : 0;
}

/* Write all of p[0..n) to fd.  0, or -1 with an error. */
static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w > 0) { p += w; n -= (size_t)w; continue; }
		if (w < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_ready(fd, 0)) return -1;
			continue;
		}
		kerr("closed");
		return -1;
	}
	return 0;
}

/* Read fd until the peer closes it, into b.  0, or -1 with an error. */
static int read_all(int fd, kbuf *b, uint64_t limit)
{
	for (;;) {
		if (buf_reserve(b, 65536)) { kerr("wsfull"); return -1; }
		ssize_t r = recv(fd, b->p + b->len, b->cap - b->len, 0);
		if (r == 0) return 0;
		if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_ready(fd, 1)) return -1;
			continue;
		}
		if (r < 0) { kerr("closed"); return -1; }
		b->len += (size_t)r;
		if (b->len > limit) { kerr("limit"); return -1; }
	}
}

/* The text of b as Kona gives it: _n, a char atom or a string. */
static K text_of(const kbuf *b)
{
	if (!b->len) return k_null();
	if (b->len == 1) return k_char((char)b->p[0]);
	K r = k_new(-KT_CHAR, (int64_t)b->len);
	if (r) memcpy(kC(r), b->p, b->len);
	return r;
}

K net_fetch(K x, K y)
{
	char host[256], service[64];
	int numeric, fd = -1;
	kbuf in = { 0 };
	K r = NULL;
	if (y->t != -KT_CHAR && y->t != KT_CHAR) { kerr("type"); goto done; }
	if (server_of(x, host, sizeof host, service, sizeof service, &numeric)) goto done;
	knet *n = net_state();
	if (!n || (fd = net_dial(host, service, numeric)) < 0) goto done;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)) { kerr("conn"); goto done; }
	size_t len = y->t == KT_CHAR ? 1 : (size_t)y->n;
	n->calls++;                                  /* the timer waits */
	if (!send_all(fd, kC(y), len) && !send_all(fd, "\r\n\r\n", 4) && !read_all(fd, &in, n->limit))
		r = text_of(&in);
	n->calls--;
done:
	if (fd >= 0) close(fd);
	buf_free(&in);
	cd(x);
	cd(y);
	return r;
}
