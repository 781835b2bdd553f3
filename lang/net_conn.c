#define _GNU_SOURCE
/* net_conn.c: sockets and their buffers.  Every socket is non-blocking;
 * reads gather into the connection's input buffer until a message is
 * whole, writes leave what the peer cannot take yet in its output buffer
 * for the loop to finish.  A connection closed while one of its messages
 * is being handled is only marked dead (its fd kept, so that the number
 * is not reused under the handler) and freed by net_reap.
 * Writes use MSG_NOSIGNAL: a dead peer is an error, never a SIGPIPE.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include "net.h"

/* ---- buffers ---------------------------------------------------------- */

int buf_reserve(kbuf *b, size_t more)
{
	if (b->pos && b->pos == b->len) b->pos = b->len = 0;
	if (b->len + more <= b->cap) return 0;
	if (b->pos) {                        /* slide the unread part down */
		memmove(b->p, b->p + b->pos, b->len - b->pos);
		b->len -= b->pos;
		b->pos = 0;
		if (b->len + more <= b->cap) return 0;
	}
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more) cap = cap > SIZE_MAX / 2 ? b->len + more : cap * 2;
	unsigned char *p = realloc(b->p, cap);
	if (!p) return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

void buf_free(kbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* ---- the table of connections ------------------------------------------ */

knet *net_state(void)
{
	if (KL->net) return KL->net;
	knet *n = calloc(1, sizeof *n);
	if (!n) { kerr("wsfull"); return NULL; }
	n->limit = NET_DEFAULT_LIMIT;
	KL->net = n;
	return n;
}

static int nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ? -1 : 0;
}

/* The IPv4 address (host order) of fd's peer, v4-mapped v6 included; 0
 * for another family. */
static int64_t peer_v4(int fd)
{
	struct sockaddr_storage sa;
	socklen_t sl = sizeof sa;
	if (getpeername(fd, (struct sockaddr *)&sa, &sl)) return 0;
	if (sa.ss_family == AF_INET) return ntohl(((struct sockaddr_in *)&sa)->sin_addr.s_addr);
	const struct in6_addr *a = &((struct sockaddr_in6 *)&sa)->sin6_addr;
	if (sa.ss_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(a)) return 0;
	uint32_t v;
	memcpy(&v, a->s6_addr + 12, 4);
	return ntohl(v);
}

/* A connection for fd, in the table; NULL (fd closed) on failure. */
static kconn *conn_add(int fd, int kind)
{
	knet *n = net_state();
	kconn *c = n ? calloc(1, sizeof *c) : NULL;
	if (c && fd >= n->cap) {
		int cap = n->cap ? n->cap : 64;
		while (cap <= fd) cap *= 2;
		kconn **t = realloc(n->conn, (size_t)cap * sizeof *t);
		if (!t) { free(c); c = NULL; }
		else {
			memset(t + n->cap, 0, (size_t)(cap - n->cap) * sizeof *t);
			n->conn = t;
			n->cap = cap;
		}
	}
	if (!c || nonblocking(fd)) {
		free(c);
		close(fd);
		kerr("wsfull");
		return NULL;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	c->fd = fd;
	c->kind = kind;
	c->addr = peer_v4(fd);
	n->conn[fd] = c;
	n->nconn++;
	return c;
}

kconn *net_conn(int64_t h)
{
	knet *n = KL->net;
	if (!n || h < 0 || h >= n->cap || !n->conn[h] || n->conn[h]->dead) {
		kerr("handle");
		return NULL;
	}
	return n->conn[h];
}

static void conn_free(kconn *c)
{
	knet *n = KL->net;
	n->conn[c->fd] = NULL;
	n->nconn--;
	close(c->fd);
	buf_free(&c->in);
	buf_free(&c->out);
	free(c);
}

void net_reap(void)
{
	knet *n = KL->net;
	if (!n) return;
	for (int i = 0; i < n->cap; i++)
		if (n->conn[i] && n->conn[i]->dead && !n->conn[i]->busy) conn_free(n->conn[i]);
}

int net_disconnect(int64_t h)
{
	kconn *c = net_conn(h);
	if (!c) return -1;
	conn_flush(c);
	c->dead = 1;
	shutdown(c->fd, SHUT_RDWR);
	if (!c->busy) conn_free(c);
	return 0;
}

void net_drop(kconn *c, const char *why)
{
	if (c->dead) return;
	if (why) fprintf(stderr, "krt: closing connection %d: %s\n", c->fd, why);
	c->dead = 1;
	shutdown(c->fd, SHUT_RDWR);
	c->busy++;                  /* .m.c may look at _w, not reuse the fd */
	if (c->kind == NC_IPC) msg_closed(c->fd);
	c->busy--;
	if (!c->busy) conn_free(c);
}

/* ---- reading and writing ----------------------------------------------- */

int conn_flush(kconn *c)
{
	kbuf *b = &c->out;
	while (b->pos < b->len) {
		ssize_t w = send(c->fd, b->p + b->pos, b->len - b->pos, MSG_NOSIGNAL);
		if (w > 0) { b->pos += (size_t)w; continue; }
		if (w < 0 && errno == EINTR) continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
		net_drop(c, NULL);
		return -1;
	}
	b->pos = b->len = 0;
	if (b->cap > (1 << 20)) buf_free(b);     /* do not hold a big message's room */
	if (c->close_after) { net_drop(c, NULL); return -1; }
	return 0;
}

int conn_fill(kconn *c, size_t want)
{
	size_t chunk = want > 65536 ? want : 65536;
	if (buf_reserve(&c->in, chunk)) { net_drop(c, "out of memory for a message"); return -1; }
	for (;;) {
		ssize_t r = recv(c->fd, c->in.p + c->in.len, c->in.cap - c->in.len, 0);
		if (r > 0) { c->in.len += (size_t)r; return 1; }
		if (r < 0 && errno == EINTR) continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
		net_drop(c, c->in.len > c->in.pos ? "the peer left in the middle of a message" : NULL);
		return -1;
	}
}

/* ---- listening and connecting ------------------------------------------- */

/* Split "PORT", "HOST:PORT" or "[HOST]:PORT" into host and port. */
static int split_spec(const char *spec, char *host, size_t cap, char *port, size_t pcap)
{
	const char *colon = strrchr(spec, ':'), *h = spec, *p = spec;
	size_t hn = 0;
	if (colon) {
		p = colon + 1;
		hn = (size_t)(colon - spec);
		if (hn >= 2 && spec[0] == '[' && spec[hn - 1] == ']') { h = spec + 1; hn -= 2; }
	}
	if (hn >= cap || strlen(p) >= pcap || !*p || strspn(p, "0123456789") != strlen(p)) return -1;
	memcpy(host, h, hn);
	host[hn] = 0;
	strcpy(port, p);
	return 0;
}

int net_listen(const char *spec, int kind)
{
	knet *n = net_state();
	if (!n) return -1;
	if (n->nlisten == NET_MAX_LISTEN) { kerr("limit"); return -1; }
	char host[256], port[16];
	if (split_spec(spec, host, sizeof host, port, sizeof port)) { kerr("domain"); return -1; }
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                          .ai_flags = AI_PASSIVE | AI_NUMERICSERV }, *ai;
	if (getaddrinfo(*host ? host : "127.0.0.1", port, &hints, &ai)) { kerr("host"); return -1; }
	int fd = -1;
	for (struct addrinfo *p = ai; p && fd < 0; p = p->ai_next) {
		fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, p->ai_protocol);
		if (fd < 0) continue;
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, p->ai_addr, p->ai_addrlen) || listen(fd, 128) || nonblocking(fd)) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(ai);
	if (fd < 0) { kerr("listen"); return -1; }
	struct sockaddr_storage sa;
	socklen_t sl = sizeof sa;
	if (!n->nlisten && !getsockname(fd, (struct sockaddr *)&sa, &sl))
		n->lport = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
		                                           : ((struct sockaddr_in *)&sa)->sin_port);
	n->lfd[n->nlisten] = fd;
	n->lkind[n->nlisten++] = kind;
	return fd;
}

void net_accept(int lfd, int kind)
{
	for (int i = 0; i < 64; i++) {          /* a burst, not forever */
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0 && (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)) {
			/* the peer waits in the backlog; polling the listener now
			 * would only wake at once, again and again */
			((knet *)KL->net)->accept_pause = net_now() + 100;
			return;
		}
		if (fd < 0) return;
		if (!conn_add(fd, kind)) kerr_clear();
	}
}

int net_dial(const char *host, const char *service, int numeric)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                          .ai_flags = numeric ? AI_NUMERICSERV : 0 }, *ai;
	if (getaddrinfo(host && *host ? host : "127.0.0.1", service, &hints, &ai)) { kerr("host"); return -1; }
	int fd = -1;
	for (struct addrinfo *p = ai; p && fd < 0; p = p->ai_next) {
		fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, p->ai_protocol);
		if (fd < 0) continue;
		int r;
		do r = connect(fd, p->ai_addr, p->ai_addrlen); while (r && errno == EINTR);
		if (r) { close(fd); fd = -1; }
	}
	freeaddrinfo(ai);
	if (fd < 0) kerr("conn");
	return fd;
}

int net_connect(const char *host, int64_t port)
{
	if (port < 0 || port > 65535) { kerr("domain"); return -1; }
	char ps[16];
	snprintf(ps, sizeof ps, "%lld", (long long)port);
	int fd = net_dial(host, ps, 1);
	if (fd < 0) return -1;
	return conn_add(fd, NC_IPC) ? fd : -1;
}

int64_t net_client(void)
{
	knet *n = KL->net;
	if (n && n->who > 0 && n->who < n->cap && n->conn[n->who]) return n->conn[n->who]->addr;
	char name[256];
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;
	if (gethostname(name, sizeof name)) return 0;
	name[sizeof name - 1] = 0;
	if (getaddrinfo(name, NULL, &hints, &ai)) return 0;
	int64_t a = ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr);
	freeaddrinfo(ai);
	return a;
}

/* ---- closing the state ------------------------------------------------- */

/* Give queued output up to a second to leave, then close everything. */
void net_close_all(void)
{
	knet *n = KL->net;
	if (!n) return;
	n->closing = 1;
	int64_t until = net_now() + 1000;
	for (int i = 0; i < n->cap; i++) {
		kconn *c = n->conn[i];
		while (c && !c->dead && c->out.pos < c->out.len && net_now() < until) {
			struct pollfd p = { c->fd, POLLOUT, 0 };
			if (poll(&p, 1, 100) < 0 && errno != EINTR) break;
			if (conn_flush(c)) c = n->conn[i];
		}
		if (n->conn[i]) { n->conn[i]->busy = 0; conn_free(n->conn[i]); }
	}
	for (int i = 0; i < n->nlisten; i++) close(n->lfd[i]);
	free(n->conn);
	free(n->pfd);
	free(n);
	KL->net = NULL;
}
