#define _GNU_SOURCE
/* ipc_client.c: a load generator for a K server (krt -i or Kona -i),
 * speaking the message layout directly so that only the server is timed.
 *
 * usage: ipc_client PORT sync|async CLIENTS MESSAGES
 *
 * Forks CLIENTS processes, each connecting to 127.0.0.1:PORT and sending
 * MESSAGES small messages (the int 42, which a server without handlers
 * answers with itself).  sync: each call waits for its answer and is timed
 * alone.  async: messages go in batches of 100 async ones closed by a sync
 * one; each message's time is its batch's time over the batch size.
 * Prints "msgs_per_s=<f> p50_us=<f> p99_us=<f>" over all clients.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH 100

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void message(unsigned char *m, int type)
{
	int64_t n = 16, t = 1, v = 42;
	memset(m, 0, 32);
	m[0] = 1;
	m[7] = (unsigned char)type;
	memcpy(m + 8, &n, 8);
	memcpy(m + 16, &t, 8);
	memcpy(m + 24, &v, 8);
}

static int read_reply(int fd)
{
	unsigned char h[16];
	size_t got = 0;
	while (got < 16) {
		ssize_t r = read(fd, h + got, 16 - got);
		if (r <= 0) return -1;
		got += (size_t)r;
	}
	int64_t n;
	memcpy(&n, h + 8, 8);
	char buf[4096];
	while (n > 0) {
		ssize_t r = read(fd, buf, n > (int64_t)sizeof buf ? sizeof buf : (size_t)n);
		if (r <= 0) return -1;
		n -= r;
	}
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One client: its latencies (us) into lat[0..count). */
static int run_client(int port, int async, int count, double *lat)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof a)) return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	unsigned char sync_m[32], async_m[32 * BATCH];
	message(sync_m, 1);
	for (int i = 0; i < BATCH; i++) message(async_m + 32 * i, 0);
	for (int i = 0; i < count;) {
		double t0 = now_us();
		int k = 1;
		if (async) {
			k = count - i < BATCH + 1 ? count - i : BATCH + 1;
			if (k > 1 && write(fd, async_m, 32 * (size_t)(k - 1)) != 32 * (k - 1)) return -1;
		}
		if (write(fd, sync_m, 32) != 32 || read_reply(fd)) return -1;
		double d = (now_us() - t0) / k;
		for (int j = 0; j < k; j++) lat[i + j] = d;
		i += k;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 5) { fputs("usage: ipc_client PORT sync|async CLIENTS MESSAGES\n", stderr); return 2; }
	int port = atoi(argv[1]), async = !strcmp(argv[2], "async");
	int clients = atoi(argv[3]), count = atoi(argv[4]);
	size_t total = (size_t)clients * (size_t)count;
	int (*pipes)[2] = calloc((size_t)clients, sizeof *pipes);
	double *lat = malloc(total * sizeof *lat);
	if (!pipes || !lat) return 1;
	double t0 = now_us();
	for (int c = 0; c < clients; c++) {
		if (pipe(pipes[c])) return 1;
		pid_t p = fork();
		if (p < 0) return 1;
		if (!p) {
			close(pipes[c][0]);
			double *mine = malloc((size_t)count * sizeof *mine);
			if (!mine || run_client(port, async, count, mine)) _exit(1);
			size_t left = (size_t)count * sizeof *mine;
			char *b = (char *)mine;
			while (left) {
				ssize_t w = write(pipes[c][1], b, left);
				if (w <= 0) _exit(1);
				b += w;
				left -= (size_t)w;
			}
			_exit(0);
		}
		close(pipes[c][1]);
	}
	int bad = 0;
	for (int c = 0; c < clients; c++) {
		size_t left = (size_t)count * sizeof *lat;
		char *b = (char *)(lat + (size_t)c * count);
		while (left) {
			ssize_t r = read(pipes[c][0], b, left);
			if (r <= 0) { bad = 1; break; }
			b += r;
			left -= (size_t)r;
		}
		close(pipes[c][0]);
	}
	for (int c = 0; c < clients; c++) {
		int st;
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) bad = 1;
	}
	double secs = (now_us() - t0) / 1e6;
	if (bad) { fputs("ipc_client: a client failed\n", stderr); return 1; }
	qsort(lat, total, sizeof *lat, cmp);
	printf("msgs_per_s=%.1f p50_us=%.1f p99_us=%.1f\n", total / secs, lat[total / 2],
	       lat[(size_t)(total * 0.99)]);
	return 0;
}
