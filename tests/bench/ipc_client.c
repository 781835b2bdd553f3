#define _GNU_SOURCE
/* ipc_client.c: a load generator for a K server (krt -i or Kona -i),
 * speaking the message layout directly so that only the server is timed.
 *
 * usage: ipc_client PORT sync|async CLIENTS MESSAGES
 *        ipc_client -echo PORT      (the floor: see below)
 *
 * One process and one epoll set drive CLIENTS connections to
 * 127.0.0.1:PORT, each sending MESSAGES small messages (the int 42, which a
 * server without handlers answers with itself).  sync: each connection
 * sends one call, waits for its answer, and sends the next; a call's time
 * is from its send to its answer.  async: each connection sends batches of
 * up to 100 async messages closed by one sync one; each message's time is
 * its batch's time over the batch size.  With one connection the client
 * blocks in read(2) instead of epoll, so that it adds no more than a
 * ping-pong needs.  Prints "msgs_per_s=<f> p50_us=<f> p99_us=<f>" over all
 * connections, timed from the first send to the last answer.
 *
 * -echo PORT serves the same protocol with no interpreter at all (reads a
 * message, answers (0;value) at once, one connection, blocking I/O): the
 * round trip of the loopback and of two process wake-ups, which no server
 * can beat.  run-ipc.sh reports it as "server=floor".
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 100
#define MSG 32

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* The message of the int 42 with type `type` (0 async, 1 sync) at m. */
static void message(unsigned char *m, int type)
{
	int64_t n = 16, t = 1, v = 42;
	memset(m, 0, MSG);
	m[0] = 1;
	m[7] = (unsigned char)type;
	memcpy(m + 8, &n, 8);
	memcpy(m + 16, &t, 8);
	memcpy(m + 24, &v, 8);
}

typedef struct conn {
	int fd;
	int sent;            /* messages sent so far */
	int batch;           /* messages in the batch awaiting its answer */
	double t0;           /* when that batch was sent */
	unsigned char in[4096];
	size_t have;         /* bytes of the answer read so far */
	double *lat;         /* this connection's latencies */
} conn;

static unsigned char sync_m[MSG], batch_m[MSG * (BATCH + 1)];

static int connect_to(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a)) return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR) continue;
		if (w <= 0) return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Send c's next batch (a single call when sync). */
static int send_next(conn *c, int async, int count)
{
	int k = 1;
	if (async) k = count - c->sent < BATCH + 1 ? count - c->sent : BATCH + 1;
	c->batch = k;
	c->t0 = now_us();
	/* the batch's last message is the sync one */
	const unsigned char *p = k == 1 ? sync_m : batch_m + MSG * (BATCH + 1 - k);
	return write_all(c->fd, p, MSG * (size_t)k);
}

/* c got n more bytes: 1 when its answer is whole (then recorded and the
 * next batch sent, or 2 when c is done), 0 not yet, -1 bad. */
static int received(conn *c, size_t n, int async, int count)
{
	c->have += n;
	if (c->have < 16) return 0;
	int64_t len;
	memcpy(&len, c->in + 8, 8);
	if (len < 0 || (size_t)len + 16 > sizeof c->in) return -1;
	if (c->have < (size_t)len + 16) return 0;
	if (c->have > (size_t)len + 16) return -1;   /* one call at a time */
	c->have = 0;
	double d = (now_us() - c->t0) / c->batch;
	for (int j = 0; j < c->batch; j++) c->lat[c->sent + j] = d;
	c->sent += c->batch;
	if (c->sent == count) return 2;
	return send_next(c, async, count) ? -1 : 1;
}

/* One connection, blocking: the cheapest ping-pong. */
static int run_one(conn *c, int async, int count)
{
	if (send_next(c, async, count)) return -1;
	for (;;) {
		ssize_t r = read(c->fd, c->in + c->have, sizeof c->in - c->have);
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) return -1;
		int s = received(c, (size_t)r, async, count);
		if (s < 0) return -1;
		if (s == 2) return 0;
	}
}

/* Many connections on one epoll set. */
static int run_many(conn *cs, int n, int async, int count)
{
	int ep = epoll_create1(0), left = n;
	if (ep < 0) return -1;
	for (int i = 0; i < n; i++) {
		struct epoll_event e = { .events = EPOLLIN, .data.ptr = &cs[i] };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &e) || send_next(&cs[i], async, count)) return -1;
	}
	struct epoll_event ev[256];
	while (left) {
		int m = epoll_wait(ep, ev, 256, 10000);
		if (m < 0 && errno == EINTR) continue;
		if (m <= 0) return -1;                   /* an error, or 10 s of silence */
		for (int i = 0; i < m; i++) {
			conn *c = ev[i].data.ptr;
			ssize_t r = read(c->fd, c->in + c->have, sizeof c->in - c->have);
			if (r < 0 && errno == EINTR) continue;
			if (r <= 0) return -1;
			int s = received(c, (size_t)r, async, count);
			if (s < 0) return -1;
			if (s == 2) { epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); left--; }
		}
	}
	close(ep);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The floor: answer each message at once, one connection at a time. */
static int echo(int port)
{
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 128)) return 1;
	/* (0;42): a general list of the int 0 and the int 42 */
	static const unsigned char answer[] = {
		1, 0, 0, 0, 0, 0, 0, 2, 48, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0 };
	for (;;) {
		int fd = accept(l, NULL, NULL);
		if (fd < 0) continue;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		unsigned char m[MSG * (BATCH + 1)];
		size_t have = 0;
		ssize_t r;
		while ((r = read(fd, m + have, sizeof m - have)) > 0) {
			have += (size_t)r;
			size_t used = 0;
			while (have - used >= MSG) {
				if (m[used + 7] == 1 && write_all(fd, answer, sizeof answer)) break;
				used += MSG;
			}
			memmove(m, m + used, have - used);
			have -= used;
		}
		close(fd);
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "-echo")) return echo(atoi(argv[2]));
	if (argc != 5) {
		fputs("usage: ipc_client PORT sync|async CLIENTS MESSAGES | -echo PORT\n", stderr);
		return 2;
	}
	int port = atoi(argv[1]), async = !strcmp(argv[2], "async");
	int n = atoi(argv[3]), count = atoi(argv[4]);
	if (n < 1 || count < 1) return 2;
	size_t total = (size_t)n * (size_t)count;
	conn *cs = calloc((size_t)n, sizeof *cs);
	double *lat = malloc(total * sizeof *lat);
	if (!cs || !lat) return 1;
	message(sync_m, 1);
	for (int i = 0; i < BATCH; i++) message(batch_m + MSG * i, 0);
	message(batch_m + MSG * BATCH, 1);
	for (int i = 0; i < n; i++) {
		cs[i].lat = lat + (size_t)i * count;
		if ((cs[i].fd = connect_to(port)) < 0) { perror("ipc_client: connect"); return 1; }
	}
	double t0 = now_us();
	int bad = n == 1 ? run_one(cs, async, count) : run_many(cs, n, async, count);
	double secs = (now_us() - t0) / 1e6;
	if (bad) { fputs("ipc_client: a connection failed\n", stderr); return 1; }
	for (int i = 0; i < n; i++) close(cs[i].fd);
	qsort(lat, total, sizeof *lat, cmp);
	printf("msgs_per_s=%.1f p50_us=%.1f p99_us=%.1f\n", total / secs, lat[total / 2],
	       lat[(size_t)((double)total * 0.99)]);
	free(cs);
	free(lat);
	return 0;
}
