/* fuzz_eval.c: a libFuzzer target over the public API (krt.h).
 *
 * Each input is K source, run as the REPL runs it: line by line, a line
 * that leaves a bracket or a string open joined with the next.  Every input
 * gets a fresh state with a heap limit; each statement's value is printed
 * (to /dev/null, so that display is fuzzed too) and released; then the
 * state is closed, and a block still live is a finding: the target aborts.
 *
 * The harness, not krt, keeps the fuzzer away from the machine: an input
 * that names a file, network, shell or exit facility is skipped (see
 * touches_outside), and as a second line of defence the calls krt could
 * make to reach files, sockets or processes are wrapped at link time
 * (-Wl,--wrap, see Makefile.in) and refused with EACCES while an input
 * runs, in case a program builds such a call from strings (."0:",x).
 * A statement that runs longer than STEP_MS of CPU time is interrupted
 * (krt_interrupt from a SIGVTALRM timer), so a loop the program asked for
 * is not a finding (the limit is short: with 200 ms, the few inputs in a
 * hundred that loop took most of the time, 250 executions a second); one that does not stop then is, through libFuzzer's
 * -timeout, whose SIGALRM timer is left to libFuzzer.
 *
 * Built and run by `make fuzz` (clang, -fsanitize=fuzzer,address,undefined).
 */
#define _GNU_SOURCE
#include "krt.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/types.h>

enum { HEAP_LIMIT = 64 << 20, STEP_MS = 25 };

static volatile sig_atomic_t sandboxed;  /* an input is running */
static krt *volatile running;            /* the state to interrupt */
static FILE *sink;                       /* /dev/null, for the printer */

/* ---- what an input may not name ---------------------------------------- */

static int has(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);
	for (size_t i = 0; i + w <= n; i++)
		if (!memcmp(s + i, word, w)) return 1;
	return 0;
}

/* Does the source name a way out of the process: an I/O verb (0: .. 6:,
 * files and handles), a \command (\l, \cd, \\ ...), or a system function
 * that reaches files, the network, the environment or exit? */
static int touches_outside(const char *s, size_t n)
{
	static const char *const words[] = {
		"_exit", "_size", "_host", "_setenv", "_getenv",
	};
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] >= '0' && s[i] <= '9' && s[i + 1] == ':') return 1;
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j < n && (s[j] == ' ' || s[j] == '\t')) j++;
		if (j < n && s[j] == '\\') return 1;   /* a command, or a lone \ */
		while (j < n && s[j] != '\n') j++;
		i = j;
	}
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (has(s, n, words[i])) return 1;
	return 0;
}

/* ---- the net under the skip: refuse the outside while an input runs ---- */

#define REFUSE(fail) do { if (sandboxed) { errno = EACCES; return fail; } } while (0)

/* libFuzzer's own writes go through these wrappers too: the input that
 * crashed (crash-..., leak-..., timeout-...) is written while the input is
 * still running, so those names are let through. */
static int artifact(const char *path)
{
	static const char *const kinds[] = { "crash-", "leak-", "timeout-", "oom-", "slow-unit-" };
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (!strncmp(base, kinds[i], strlen(kinds[i]))) return 1;
	return 0;
}
#define REFUSE_PATH(path, fail) do { if (!artifact(path)) REFUSE(fail); } while (0)

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	int mode = va_arg(ap, int);
	va_end(ap);
	REFUSE_PATH(path, -1);
	return __real_open(path, flags, mode);
}
int __real_openat(int dir, const char *path, int flags, ...);
int __wrap_openat(int dir, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	int mode = va_arg(ap, int);
	va_end(ap);
	REFUSE_PATH(path, -1);
	return __real_openat(dir, path, flags, mode);
}
FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode)
{
	REFUSE_PATH(path, NULL);
	return __real_fopen(path, mode);
}
FILE *__real_popen(const char *cmd, const char *mode);
FILE *__wrap_popen(const char *cmd, const char *mode)
{
	REFUSE(NULL);
	return __real_popen(cmd, mode);
}
#define WRAP(ret, name, params, args, fail) \
	ret __real_##name params; \
	ret __wrap_##name params { REFUSE(fail); return __real_##name args; }
WRAP(int, unlink, (const char *p), (p), -1)
WRAP(int, rename, (const char *a, const char *b), (a, b), -1)
WRAP(int, mkdir, (const char *p, mode_t m), (p, m), -1)
WRAP(int, rmdir, (const char *p), (p), -1)
WRAP(int, chdir, (const char *p), (p), -1)
WRAP(int, truncate, (const char *p, off_t n), (p, n), -1)
WRAP(int, socket, (int d, int t, int p), (d, t, p), -1)
WRAP(int, system, (const char *c), (c), -1)
WRAP(pid_t, fork, (void), (), -1)
WRAP(int, execve, (const char *p, char *const a[], char *const e[]), (p, a, e), -1)
WRAP(int, execvp, (const char *p, char *const a[]), (p, a), -1)
WRAP(int, setenv, (const char *n, const char *v, int o), (n, v, o), -1)
struct addrinfo;
WRAP(int, getaddrinfo, (const char *n, const char *s, const struct addrinfo *h,
	struct addrinfo **r), (n, s, h, r), -2 /* EAI_NONAME */)

/* ---- running an input --------------------------------------------------- */

static void on_alarm(int sig)
{
	(void)sig;
	krt *k = running;
	if (k) krt_interrupt(k);
}

static void arm(int ms)
{
	struct itimerval t = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };
	setitimer(ITIMER_VIRTUAL, &t, NULL);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	sink = fopen("/dev/null", "w");
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGVTALRM, &sa, NULL);
	return 0;
}

/* Run the statements of src[0..n) as the REPL does; a statement is a line,
 * or lines joined while a bracket or a string is open. */
static void run_lines(krt *k, const char *src, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && src[i] != '\n') continue;
		if (i < n && krt_incomplete(src + start, i - start)) continue;
		K r = NULL;
		arm(STEP_MS);
		int e = krt_exec(k, src + start, i - start, &r);
		arm(0);
		if (e == KRT_OK && r) krt_print(k, r, sink);
		krt_release(k, r);
		if (e == KRT_EXIT) return;
		start = i + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	if (memchr(src, 0, size) || touches_outside(src, size)) return 0;
	krt *k = krt_open();
	if (!k) abort();
	krt_set_heap_limit(k, HEAP_LIMIT);
	running = k;
	sandboxed = 1;
	run_lines(k, src, size);
	sandboxed = 0;
	running = NULL;
	if (krt_close(k, 1) != 0) {
		fprintf(stderr, "fuzz_eval: heap blocks leaked\n");
		abort();
	}
	return 0;
}
