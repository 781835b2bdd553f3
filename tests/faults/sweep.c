/* sweep.c: fail each allocation of one K expression in turn, through krt.h.
 *
 * usage: sweep [-t SECONDS] [-l LINEAR] [-m MAXRUNS] EXPRESSION
 *
 * The expression runs as tests/faults/run's script does, trapped:
 *     ZzA:@[.:;"EXPRESSION";:]
 *     ZzA
 * in a fresh state, in an empty folder sweep-run (the text is handed over
 * with krt_string, so no quoting rule can bend it).  First with no fault: what ZzA prints is the
 * reference; a failure there is "left out" (the case fails anyway).  Then
 * for n = 1, 2, ...: a fresh state, krt_fail_alloc(n), the same run, and
 * the run must print the reference, or fail with wsfull, or print a value
 * holding "wsfull" (the trap caught it); and closing the state must find
 * no live block.  Two clean runs in a row end the walk: the fault fell
 * past the last allocation.  Every allocation up to LINEAR (default 5000)
 * is failed; past it, a case that loops (a case making 10^6 allocations
 * would take hours) is sampled with a stride of an eighth of n, and
 * MAXRUNS (default 20000) runs end any walk; the line then says "sampled".
 *
 * The walk runs in a child process, so that a crash (a signal) or a hang
 * (SECONDS per run, default 20) is reported with the n it happened at.
 * Prints one line: "ok RUNS [sampled past N]", "left-out", or "FAIL n: why"; exits 0, 0 or
 * 1 (2 on misuse).
 */
#define _GNU_SOURCE
#include "krt.h"

#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { CLEAN, WSFULL, BAD };

typedef struct {
	char *out;      /* what ZzA printed (malloc'd), or NULL */
	size_t len;
	int status;     /* CLEAN, WSFULL, BAD */
	char why[200];
} outcome;

static int is_wsfull(krt *k) { return !strcmp(krt_error(k), "wsfull"); }

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(path);
}

/* Each run in an empty folder of its own, so that what one run wrote
 * (`t 5: x appends) does not change the next one's answer. */
static int in_fresh_folder(const char *top)
{
	nftw(top, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return mkdir(top, 0700) || chdir(top);
}

/* One run with allocation `fail` failing (0: none). */
static outcome run_here(const char *expr, uint64_t fail);
static outcome run(const char *expr, uint64_t fail)
{
	outcome o = { NULL, 0, BAD, "cannot make a folder to run in" };
	if (in_fresh_folder("sweep-run")) return o;
	o = run_here(expr, fail);
	if (chdir("..")) { o.status = BAD; snprintf(o.why, sizeof o.why, "cannot leave the folder"); }
	return o;
}

static outcome run_here(const char *expr, uint64_t fail)
{
	outcome o = { NULL, 0, CLEAN, "" };
	krt *k = krt_open();
	if (!k) { snprintf(o.why, sizeof o.why, "krt_open failed"); o.status = BAD; return o; }
	if (krt_set(k, "ZzS", krt_string(k, expr)) != 0) {
		snprintf(o.why, sizeof o.why, "cannot set ZzS: %s", krt_error(k));
		o.status = BAD;
		krt_close(k, 0);
		return o;
	}
	if (fail) krt_fail_alloc(k, fail);
	static const char set[] = "ZzA:@[.:;ZzS;:]";
	K r = NULL;
	int e = krt_exec(k, set, sizeof set - 1, &r);
	krt_release(k, r);
	r = NULL;
	if (e == KRT_OK) e = krt_exec(k, "ZzA", 3, &r);
	if (e != KRT_OK) {
		if (is_wsfull(k)) o.status = WSFULL;
		else { o.status = BAD; snprintf(o.why, sizeof o.why, "error %s", krt_error(k)); }
	} else {
		FILE *f = open_memstream(&o.out, &o.len);
		int pe = r && f ? krt_print(k, r, f) : 0;
		if (f) fclose(f);
		if (pe && is_wsfull(k)) o.status = WSFULL;
		else if (pe) { o.status = BAD; snprintf(o.why, sizeof o.why, "printing: error %s", krt_error(k)); }
		else if (o.out && strstr(o.out, "wsfull")) o.status = WSFULL;
	}
	krt_release(k, r);
	krt_fail_alloc(k, 0);
	uint64_t leaks = krt_close(k, 1);
	if (leaks) {
		o.status = BAD;
		snprintf(o.why, sizeof o.why, "leak (%llu blocks)", (unsigned long long)leaks);
	}
	return o;
}

static int walk(const char *expr, long linear, long maxruns, unsigned secs, volatile long *at)
{
	alarm(secs);
	outcome ref = run(expr, 0);
	if (ref.status != CLEAN) { printf("left-out\n"); return 0; }
	int clean = 0;
	long n = 0, runs = 0, step = 1;
	while (clean < 2) {
		if (runs == maxruns) { printf("ok %ld sampled past %ld\n", runs + 1, n); return 0; }
		/* every allocation up to `linear`, then a growing stride */
		if (n >= linear) step = n / 8 > step ? n / 8 : step;
		n += step;
		runs++;
		*at = n;
		alarm(secs);
		outcome o = run(expr, (uint64_t)n);
		int same = o.status == CLEAN && o.len == ref.len && (!o.len || !memcmp(o.out, ref.out, o.len));
		if (o.status == CLEAN && !same) {
			o.status = BAD;
			snprintf(o.why, sizeof o.why, "wrong answer without wsfull: %.120s", o.out ? o.out : "");
		}
		free(o.out);
		if (o.status == BAD) {
			for (char *c = o.why; *c; c++)      /* one line */
				if (*c == '\n') *c = ' ';
			printf("FAIL %ld: %s\n", n, o.why);
			return 1;
		}
		clean = o.status == CLEAN ? clean + 1 : 0;
	}
	printf(n > linear ? "ok %ld sampled past %ld\n" : "ok %ld\n", runs + 1, linear);
	return 0;
}

int main(int argc, char **argv)
{
	int secs = 20, c;
	long maxruns = 20000, linear = 5000;
	while ((c = getopt(argc, argv, "t:m:l:")) != -1) {
		if (c == 't') secs = atoi(optarg);
		else if (c == 'm') maxruns = atol(optarg);
		else if (c == 'l') linear = atol(optarg);
		else return 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: sweep [-t SECONDS] [-l LINEAR] [-m MAXRUNS] EXPRESSION\n");
		return 2;
	}
	volatile long *at = mmap(NULL, sizeof *at, PROT_READ | PROT_WRITE,
	                         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (at == MAP_FAILED) return 2;
	*at = 0;
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) return 2;
	if (pid == 0) {
		/* a run that takes longer than secs: SIGALRM ends the child */
		signal(SIGALRM, SIG_DFL);
		int st = walk(argv[optind], linear, maxruns, (unsigned)secs, at);
		nftw("sweep-run", remove_one, 16, FTW_DEPTH | FTW_PHYS);
		fflush(stdout);
		_exit(st);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0) {}
	if (WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);
		if (sig == SIGALRM) printf("FAIL %ld: hang (a run took over %d s)\n", *at, secs);
		else printf("FAIL %ld: crash (signal %d, %s)\n", *at, sig, strsignal(sig));
		return 1;
	}
	return WEXITSTATUS(st);
}
