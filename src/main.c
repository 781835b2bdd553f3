#define _POSIX_C_SOURCE 200809L
/* main.c: the krt command line: run script files, then read statements
 * from standard input.  Built on krt.h alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "krt.h"

static void usage(FILE *f)
{
	fputs("usage: krt [-b] [-e expr] [-x expr] [-w MB] [file.k [args...]]\n"
	      "  -e expr   evaluate expr and exit\n"
	      "  -x expr   evaluate expr, print its value and exit\n"
	      "  -w MB     limit the heap to MB megabytes\n"
	      "  -b        no banner\n"
	      "  --version, --help\n", f);
}

/* Is the text open: a bracket or a string not yet closed?  Comments (a '/'
 * after a blank or at a line start) are skipped. */
static int open_text(const char *s, size_t n)
{
	int depth = 0, str = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (str) {
			if (c == '\\') i++;
			else if (c == '"') str = 0;
			continue;
		}
		if (c == '"') str = 1;
		else if (c == '/' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n'))
			while (i < n && s[i] != '\n') i++;
		else if (c == '(' || c == '[' || c == '{') depth++;
		else if (c == ')' || c == ']' || c == '}') depth--;
	}
	return str || depth > 0;
}

typedef struct source {
	FILE *f;
	const char *name;
	int line;
} source;

/* Run every statement of a stream.  Returns -1 to go on, or an exit
 * status: 0 after \\, 1 after an error when stop_on_error. */
static int run_stream(krt *k, source *src, int show, int stop_on_error)
{
	char *line = NULL, *buf = NULL;
	size_t cap = 0, len = 0, bcap = 0;
	ssize_t got;
	int status = -1, first = 0;
	while ((got = getline(&line, &cap, src->f)) >= 0) {
		src->line++;
		if (!len) first = src->line;
		if (len + got + 1 > bcap) {
			bcap = 2 * (len + got + 1);
			char *nb = realloc(buf, bcap);
			if (!nb) { fputs("krt: out of memory\n", stderr); status = 1; break; }
			buf = nb;
		}
		memcpy(buf + len, line, got);
		len += got;
		buf[len] = 0;
		if (open_text(buf, len)) continue;
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) buf[--len] = 0;
		K r = NULL;
		int e = krt_exec(k, buf, len, &r);
		if (e == KRT_EXIT) { status = krt_exit_status(k); len = 0; break; }
		if (e == KRT_ERROR) {
			if (src->name) fprintf(stderr, "%s:%d: ", src->name, first);
			fprintf(stderr, "%s error\n%s\n", krt_error(k), buf);
			if (stop_on_error) { status = 1; len = 0; break; }
		} else if (r) {
			if (show) krt_print(k, r, stdout);
			krt_release(k, r);
		}
		fflush(stdout);
		len = 0;
	}
	free(line);
	free(buf);
	return status;
}

static int run_file(krt *k, const char *name)
{
	FILE *f = fopen(name, "r");
	if (!f) { fprintf(stderr, "krt: cannot open %s\n", name); return 1; }
	source s = { f, name, 0 };
	int st = run_stream(k, &s, 1, !isatty(0));
	fclose(f);
	return st;
}

static int finish(krt *k, int status)
{
	const char *lc = getenv("KRT_LEAKCHECK");
	int check = lc && *lc && strcmp(lc, "0");
	fflush(stdout);
	uint64_t leaks = krt_close(k, check);
	if (check && leaks) {
		fprintf(stderr, "krt: %llu blocks leaked\n", (unsigned long long)leaks);
		return 3;
	}
	return status;
}

int main(int argc, char **argv)
{
	const char *expr = NULL;
	int print_expr = 0;
	long limit_mb = 0;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--version")) { printf("krt %s\n", krt_version()); return 0; }
		if (!strcmp(a, "--help")) { usage(stdout); return 0; }
		if (!strcmp(a, "-b")) continue;
		if ((!strcmp(a, "-e") || !strcmp(a, "-x")) && i + 1 < argc) { print_expr = a[1] == 'x'; expr = argv[++i]; continue; }
		if (!strcmp(a, "-w") && i + 1 < argc) {
			char *end;
			limit_mb = strtol(argv[++i], &end, 10);
			if (*end || limit_mb <= 0) { usage(stderr); return 2; }
			continue;
		}
		usage(stderr);
		return 2;
	}
	krt *k = krt_open();
	if (!k) { fputs("krt: cannot create the interpreter state\n", stderr); return 1; }
	if (limit_mb) krt_set_heap_limit(k, (uint64_t)limit_mb << 20);
	if (expr) {
		K r = NULL;
		int e = krt_exec(k, expr, strlen(expr), &r);
		int st = 0;
		if (e == KRT_ERROR) { fprintf(stderr, "%s error\n", krt_error(k)); st = 1; }
		if (r) { if (print_expr) krt_print(k, r, stdout); krt_release(k, r); }
		return finish(k, st);
	}
	if (i < argc) {
		int st = run_file(k, argv[i]);
		if (st >= 0) return finish(k, st);
	}
	source in = { stdin, NULL, 0 };
	int st = run_stream(k, &in, 1, 0);
	return finish(k, st < 0 ? 0 : st);
}
