#define _POSIX_C_SOURCE 200809L
/* main.c: the krt command line.  Loads the script files named on the
 * command line, then reads statements from standard input: with line
 * editing, history and suspension at errors when it is a terminal (see
 * repl.c), plainly otherwise.  Built on krt.h alone. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

static void usage(FILE *f)
{
	fputs("usage: krt [options] [file.k [args...]]\n"
	      "  -e expr    evaluate expr and exit\n"
	      "  -x expr    evaluate expr, print its value and exit\n"
	      "  -b         no banner\n"
	      "  -w MB      limit the heap to MB megabytes, 16 or more (wsfull beyond)\n"
	      "  -H         no history file\n"
	      "  -i PORT    serve K messages on PORT (127.0.0.1; or ADDR:PORT, [V6]:PORT)\n"
	      "  -h PORT    serve HTTP on PORT, requests to .m.h (same addresses)\n"
	      "  -m MB      the largest message accepted (default: the -w limit, or 1024)\n"
	      "  --version  print the version and exit\n"
	      "  --help     print this and exit\n"
	      "environment: KINIT names a script loaded first; KRT_LEAKCHECK=1\n"
	      "lists leaked heap blocks at exit (status 3 if any)\n", f);
}

static int finish(cli *c, int status)
{
	const char *lc = getenv("KRT_LEAKCHECK");
	int check = lc && *lc && strcmp(lc, "0");
	errno = 0;
	if ((fflush(stdout) != 0 || ferror(stdout)) && !status) {   /* output lost */
		if (errno != EPIPE)             /* a reader that went away: quietly */
			fprintf(stderr, "krt: cannot write the output%s%s\n", errno ? ": " : "",
			        errno ? strerror(errno) : "");
		status = 1;
	}
	cli_close(c);
	uint64_t leaks = krt_close(c->k, check);
	if (check && leaks) {
		fprintf(stderr, "krt: %llu blocks leaked\n", (unsigned long long)leaks);
		return 3;
	}
	return status;
}

/* -i / -h: listen, or say why not. */
static int listen_on(cli *c, const char *spec, int http)
{
	if (!krt_listen(c->k, spec, http)) return 0;
	fprintf(stderr, "krt: cannot listen on %s: %s\n", spec, krt_error(c->k));
	return -1;
}

int main(int argc, char **argv)
{
	const char *expr = NULL;
	int print_expr = 0, banner = 1, history = 1;
	long limit_mb = 0, msg_mb = 0;
	const char *ipc = NULL, *http = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) { i++; break; }
		if (!strcmp(a, "--version")) { printf("krt %s\n", krt_version()); return 0; }
		if (!strcmp(a, "--help")) { usage(stdout); return 0; }
		if (!strcmp(a, "-b")) { banner = 0; continue; }
		if (!strcmp(a, "-H")) { history = 0; continue; }
		if ((!strcmp(a, "-e") || !strcmp(a, "-x")) && i + 1 < argc) {
			print_expr = a[1] == 'x';
			expr = argv[++i];
			continue;
		}
		if (!strcmp(a, "-w") && i + 1 < argc) {
			char *end;
			limit_mb = strtol(argv[++i], &end, 10);
			/* the heap holds a few MB from the start: below 16 MB nothing runs */
			if (*end || limit_mb < 16 || limit_mb > (1L << 30)) {
				fputs("krt: -w takes megabytes, from 16 to 2^30\n", stderr);
				usage(stderr);
				return 2;
			}
			continue;
		}
		if ((!strcmp(a, "-i") || !strcmp(a, "-h")) && i + 1 < argc) {
			if (a[1] == 'i') ipc = argv[++i];
			else http = argv[++i];
			continue;
		}
		if (!strcmp(a, "-m") && i + 1 < argc) {
			char *end;
			msg_mb = strtol(argv[++i], &end, 10);
			if (*end || msg_mb < 1 || msg_mb > (1L << 30)) {
				fputs("krt: -m takes megabytes, from 1 to 2^30\n", stderr);
				return 2;
			}
			continue;
		}
		fprintf(stderr, "krt: unknown option %s\n", a);
		usage(stderr);
		return 2;
	}
	krt *k = krt_open();
	if (!k) { fputs("krt: cannot create the interpreter state\n", stderr); return 1; }
	if (limit_mb) krt_set_heap_limit(k, (uint64_t)limit_mb << 20);
	if (msg_mb || limit_mb) krt_set_message_limit(k, (uint64_t)(msg_mb ? msg_mb : limit_mb) << 20);
	cli c;
	cli_init(&c, k, isatty(0) && isatty(1), history);
	if (i < argc && cli_set_args(&c, argc - i - 1, argv + i + 1)) {
		fprintf(stderr, "krt: cannot set the script arguments: %s\n", krt_error_message(k));
		return finish(&c, 1);
	}
	if ((ipc && listen_on(&c, ipc, 0)) || (http && listen_on(&c, http, 1))) return finish(&c, 1);
	const char *init = getenv("KINIT");
	if (init && *init) {
		int st = cli_run_file(&c, init);
		if (st >= 0) return finish(&c, st);
	}
	if (expr) {
		int st = cli_run_expr(&c, expr, print_expr);
		return finish(&c, st);
	}
	if (i < argc) {
		int st = cli_run_file(&c, argv[i]);
		if (st >= 0) return finish(&c, st);
	}
	if (c.interactive && banner) printf("krt %s  (K3)  \\\\ to exit\n", krt_version());
	int st = cli_repl(&c);
	if (st < 0 && (ipc || http)) st = cli_serve(&c);     /* stdin ended: serve on */
	return finish(&c, st < 0 ? 0 : st);
}
