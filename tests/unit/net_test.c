/* net_test.c: the network through libkrt's API alone (lang/net_*.c,
 * src/api_net.c), as an embedder uses it: two states over 127.0.0.1
 * driven by the embedder's own poll (krt_fds + krt_poll), the timer,
 * handle errors, and fault injection over a sync round trip on both sides
 * (the server in a child process), each ending with no leak.
 */
#define _GNU_SOURCE
#include <check.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/krt.h"

static int64_t int_of(krt *k, const char *expr)
{
	K v = krt_eval(k, expr);
	int64_t i = -999;
	if (v) krt_get_int(k, v, &i);
	krt_release(k, v);
	return i;
}

/* Run a's loop through the embedder's own poll until `expr` is 1 there. */
static int serve_until(krt *a, const char *expr)
{
	for (int round = 0; round < 500; round++) {
		if (int_of(a, expr) == 1) return 1;
		struct pollfd fds[64];
		int t, n = krt_fds(a, fds, 64, &t);
		ck_assert_int_le(n, 64);
		poll(fds, (nfds_t)n, 10);
		ck_assert_int_eq(krt_poll(a, 0), KRT_OK);
	}
	return 0;
}

START_TEST(embedder_loop)
{
	krt *a = krt_open(), *b = krt_open();
	ck_assert_int_eq(krt_listen(a, "0", 0), 0);
	int port = krt_port(a);
	ck_assert_int_gt(port, 0);
	ck_assert_int_eq(krt_net_active(b), 0);
	int h = krt_connect(b, NULL, port);
	ck_assert_int_gt(h, 0);
	ck_assert_int_eq(krt_net_active(b), 1);
	ck_assert_int_eq(krt_send(b, h, krt_string(b, "x:6*7")), 0);
	ck_assert(serve_until(a, "42~@[.:;\"x\";:][1]"));
	K v = krt_eval(a, ".m.s:{got::x}");                     /* a handler gets all */
	krt_release(a, v);
	ck_assert_int_eq(krt_send(b, h, krt_floats(b, (double[]){ 1.5, 2.5 }, 2)), 0);
	ck_assert(serve_until(a, "(1.5 2.5)~@[.:;\"got\";:][1]"));
	ck_assert_int_eq(krt_disconnect(b, h), 0);
	ck_assert_int_eq(krt_disconnect(b, h), -1);
	ck_assert_str_eq(krt_error(b), "handle");
	ck_assert_int_eq(krt_send(b, h, krt_int(b, 1)), -1);  /* consumed all the same */
	ck_assert_ptr_null(krt_request(b, 9999, krt_int(b, 1)));
	ck_assert_str_eq(krt_error(b), "handle");
	ck_assert_int_eq(krt_connect(b, "127.0.0.1", 1), -1);
	ck_assert_str_eq(krt_error(b), "conn");
	ck_assert_int_eq(krt_listen(b, "nonsense", 0), -1);
	ck_assert_str_eq(krt_error(b), "domain");
	ck_assert_uint_eq(krt_close(b, 1), 0);
	ck_assert_uint_eq(krt_close(a, 1), 0);
}
END_TEST

START_TEST(timer)
{
	krt *a = krt_open();
	K v = krt_eval(a, "n:0; .m.ts:{n+:1}");
	krt_release(a, v);
	ck_assert_int_eq(krt_set_timer(a, 10), 0);
	ck_assert_int_eq(krt_net_active(a), 1);
	ck_assert_int_eq(krt_run(a, 200), KRT_OK);
	int64_t n = int_of(a, "n");
	ck_assert_int_ge(n, 5);
	ck_assert_int_le(n, 21);
	ck_assert_int_eq(krt_set_timer(a, 0), 0);
	ck_assert_int_eq(krt_run(a, 50), KRT_OK);
	ck_assert_int_eq(int_of(a, "n"), n);
	ck_assert_int_eq(krt_set_timer(a, -1), -1);
	ck_assert_uint_eq(krt_close(a, 1), 0);
}
END_TEST

/* A server in a child process: listens, tells its port, fails its
 * fail_at-th allocation from then on (0: none), serves until told to
 * exit; its exit status is 0 when it closed with no leak. */
static pid_t server(uint64_t fail_at, int *port)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		close(p[0]);
		krt *a = krt_open();
		K v = krt_eval(a, ".m.g:{(x;!x)}");
		krt_release(a, v);
		if (!a || krt_listen(a, "0", 0)) _exit(5);
		int pt = krt_port(a);
		if (write(p[1], &pt, sizeof pt) != sizeof pt) _exit(5);
		close(p[1]);
		krt_fail_alloc(a, fail_at);
		int e = krt_run(a, 10000);
		krt_fail_alloc(a, 0);
		_exit(e != KRT_EXIT ? 4 : krt_close(a, 1) ? 3 : 0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], port, sizeof *port), sizeof *port);
	close(p[0]);
	return pid;
}

/* Tell the server to leave (again, when the injected fault met the
 * message that said so); its exit status. */
static int stop(krt *b, int port, pid_t pid)
{
	int st;
	for (int i = 0; i < 5; i++) {
		int h = krt_connect(b, NULL, port);
		if (h > 0) {
			krt_send(b, h, krt_string(b, "\\\\"));
			krt_disconnect(b, h);
		}
		for (int t = 0; t < 100; t++) {
			if (waitpid(pid, &st, WNOHANG) == pid)
				return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
			usleep(10000);
		}
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* One round trip: the right answer, or a clean error. */
static void round_trip(krt *b, int port, int *answered)
{
	int h = krt_connect(b, NULL, port);
	if (h < 0) return;
	K r = krt_request(b, h, krt_int(b, 3));
	if (r) {
		K shown = krt_show(b, r);
		if (shown) {            /* showing may meet the injected fault too */
			ck_assert_str_eq(krt_data(b, shown), "(3\n 0 1 2)");
			++*answered;
		}
		krt_release(b, shown);
		krt_release(b, r);
	} else ck_assert_str_ne(krt_error(b), "");
	krt_disconnect(b, h);
}

/* A state calls its own port: the request waits in the loop, which
 * accepts the connection and answers it; with every allocation of that
 * failing in turn, it answers or fails cleanly and nothing leaks. */
START_TEST(self_request)
{
	int answered = 0;
	for (uint64_t n = 0; n <= 120; n++) {
		krt *a = krt_open();
		ck_assert_int_eq(krt_listen(a, "0", 0), 0);
		krt_fail_alloc(a, n);
		int h = krt_connect(a, NULL, krt_port(a));
		K r = h < 0 ? NULL : krt_request(a, h, krt_string(a, "1+2"));
		int64_t i = 0;
		if (r && krt_get_int(a, r, &i) == 0 && i == 3) answered++;
		else if (!r) ck_assert_str_ne(krt_error(a), "");
		krt_release(a, r);
		krt_fail_alloc(a, 0);
		ck_assert_uint_eq(krt_close(a, 1), 0);
	}
	ck_assert_int_gt(answered, 1);
}
END_TEST

START_TEST(faults_in_the_server)
{
	int answered = 0;
	for (uint64_t n = 1; n <= 40; n++) {
		int port;
		pid_t pid = server(n, &port);
		krt *b = krt_open();
		round_trip(b, port, &answered);
		ck_assert_int_eq(stop(b, port, pid), 0);
		ck_assert_uint_eq(krt_close(b, 1), 0);
	}
	ck_assert_int_gt(answered, 0);
}
END_TEST

START_TEST(faults_in_the_client)
{
	int port, answered = 0;
	pid_t pid = server(0, &port);
	for (uint64_t n = 1; n <= 40; n++) {
		krt *b = krt_open();
		krt_fail_alloc(b, n);
		round_trip(b, port, &answered);
		krt_fail_alloc(b, 0);
		ck_assert_uint_eq(krt_close(b, 1), 0);
	}
	ck_assert_int_gt(answered, 0);
	krt *b = krt_open();
	ck_assert_int_eq(stop(b, port, pid), 0);
	ck_assert_uint_eq(krt_close(b, 1), 0);
}
END_TEST

int main(void)
{
	signal(SIGPIPE, SIG_DFL);            /* a write to a dead peer must not need this ignored */
	Suite *s = suite_create("net");
	TCase *t = tcase_create("net");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, embedder_loop);
	tcase_add_test(t, timer);
	tcase_add_test(t, self_request);
	tcase_add_test(t, faults_in_the_server);
	tcase_add_test(t, faults_in_the_client);
	suite_add_tcase(s, t);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
