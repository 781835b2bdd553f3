#define _POSIX_C_SOURCE 200809L
/* repl.c: reading K from a terminal, a pipe or a script file.
 *
 * Text is gathered line by line until no bracket or string is left open,
 * then run.  On a terminal, libedit edits the line and keeps a bounded
 * history in ~/.krt_history; an error inside a lambda suspends at a
 * ">" prompt where the lambda's locals are visible (":x" resumes with x,
 * "\" leaves one level); Ctrl-C breaks a running computation.
 * While it waits for a line, the state's event loop runs (krt_wait_fd):
 * messages, HTTP requests and the timer are handled between lines, and
 * Ctrl-C breaks a handler that runs long.
 */
#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <locale.h>
#include <wchar.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

#define HISTORY_SIZE 1000

/* What a Ctrl-C interrupts: a signal handler has no other way to find it.
 * Only the CLI has these; the library has no globals.  While K runs, the
 * state is told to break; at the prompt, the line being typed is dropped. */
static krt *volatile interrupt_target;
static volatile sig_atomic_t evaluating, prompt_interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	if (evaluating && interrupt_target) krt_interrupt(interrupt_target);
	else prompt_interrupted = 1;
}

/* Wait for fd to have input while the event loop runs, with Ctrl-C armed
 * to break a handler.  1 ready, 0 Ctrl-C (or another signal), -1 error, -2
 * a message asked to exit (c->net_exit is set). */
static int wait_input(cli *c, int fd)
{
	sig_atomic_t was = evaluating;
	evaluating = 1;
	int r = krt_wait_fd(c->k, fd);
	evaluating = was;
	if (r == -2) c->net_exit = 1;
	if (r == -1) r = 1;            /* let the read itself fail or succeed */
	return r;
}

/* Run src with Ctrl-C armed to break it. */
static int exec(cli *c, const char *src, size_t n, K *v)
{
	sig_atomic_t was = evaluating;     /* a suspension runs inside a run */
	evaluating = 1;
	int e = krt_exec(c->k, src, n, v);
	evaluating = was;
	return e;
}

/* Show v with Ctrl-C armed too: showing 10^8 numbers takes a while. */
static int show(cli *c, K v)
{
	sig_atomic_t was = evaluating;
	evaluating = 1;
	int e = krt_print(c->k, v, stdout);
	evaluating = was;
	return e;
}

/* libedit's input, one character at a time, so that a Ctrl-C at the
 * prompt can end the read (libedit itself would retry it). */
static int read_char(EditLine *el, wchar_t *wc)
{
	cli *c;
	el_get(el, EL_CLIENTDATA, &c);
	char buf[MB_LEN_MAX];
	size_t n = 0;
	for (;;) {
		char ch;
		if (!n) {
			int w = wait_input(c, STDIN_FILENO);
			if (w == -2) return 0;              /* leave as at end of input */
			if (w == 0) { prompt_interrupted = 1; return -1; }
		}
		ssize_t r = read(STDIN_FILENO, &ch, 1);
		if (r == 0) return 0;
		if (r < 0) {
			if (errno == EINTR && !prompt_interrupted) continue;
			return -1;
		}
		buf[n++] = ch;
		mbstate_t st;
		memset(&st, 0, sizeof st);
		size_t k = mbrtowc(wc, buf, n, &st);
		if (k == (size_t)-2 && n < sizeof buf) continue;
		if (k == (size_t)-1 || k == (size_t)-2) *wc = (unsigned char)buf[0];
		return 1;
	}
}

/* Is the line just `mark` (blanks around allowed)? */
static int lone(const char *s, char mark)
{
	while (*s == ' ' || *s == '\t') s++;
	if (*s++ != mark) return 0;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
	return !*s;
}

/* Print the last error: where, its name, the text and a caret under the
 * place when it is known. */
static void report(cli *c, const char *file, int line, const char *text, size_t n)
{
	if (file) fprintf(stderr, "%s:%d: ", file, line);
	fprintf(stderr, "%s error\n", krt_error(c->k));
	const char *in = krt_error_source(c->k);    /* inside a lambda */
	if (in) { text = in; n = strlen(in); }
	if (!text) return;
	int pos = krt_error_pos(c->k);
	/* the line of the text that holds the error (or the first) */
	size_t from = 0, to;
	if (pos >= 0 && (size_t)pos <= n)
		for (size_t i = 0; i < (size_t)pos; i++)
			if (text[i] == '\n') from = i + 1;
	for (to = from; to < n && text[to] != '\n'; to++) {}
	size_t shown = to - from > 200 ? 200 : to - from;
	fprintf(stderr, "%.*s%s\n", (int)shown, text + from, shown < to - from ? "..." : "");
	if (pos >= 0 && (size_t)pos >= from && (size_t)pos - from <= shown)
		fprintf(stderr, "%*s^\n", (int)((size_t)pos - from), "");
}

/* Printing failed (errno says why): the output is lost, so krt stops
 * with status 1.  A reader that went away (EPIPE, when SIGPIPE is ignored)
 * is no error worth a message; anything else (a full disk) is said. */
static int output_lost(void)
{
	if (errno != EPIPE) fprintf(stderr, "krt: cannot write the output: %s\n", strerror(errno));
	return 1;
}

/* Print v (borrowed) with a newline: 0.  A value that cannot be shown (a
 * stack or wsfull error) is reported as an error from file:line: -1.
 * Output that cannot be written is lost: 1, and krt stops. */
static int print_value(cli *c, K v, const char *file, int line)
{
	if (!show(c, v)) return 0;
	if (ferror(stdout)) return output_lost();
	report(c, file, line, NULL, 0);
	return -1;
}

/* ---- line input ------------------------------------------------------ */

static char *prompt(EditLine *el)
{
	static char buf[80];   /* libedit keeps the pointer until the next call */
	cli *c;
	el_get(el, EL_CLIENTDATA, &c);
	int d = c->depth < 60 ? c->depth : 60;
	memset(buf, '>', d);
	strcpy(buf + d, "  ");
	return buf;
}

void cli_init(cli *c, krt *k, int interactive, int history)
{
	memset(c, 0, sizeof *c);
	c->k = k;
	c->interactive = interactive;
	c->history = history;
	struct sigaction sa = { .sa_handler = on_sigint };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);       /* no SA_RESTART: reads return EINTR */
	interrupt_target = k;
}

static void open_editor(cli *c)
{
	setlocale(LC_CTYPE, "");           /* so that libedit reads UTF-8 */
	EditLine *el = el_init("krt", stdin, stdout, stderr);
	if (!el) return;
	el_set(el, EL_CLIENTDATA, c);
	el_set(el, EL_PROMPT, prompt);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_GETCFN, read_char);
	History *h = history_init();
	if (h) {
		HistEvent ev;
		history(h, &ev, H_SETSIZE, HISTORY_SIZE);
		history(h, &ev, H_SETUNIQUE, 1);
		el_set(el, EL_HIST, history, h);
		const char *home = getenv("HOME");
		if (c->history && home && *home && access(home, W_OK) == 0) {
			snprintf(c->histfile, sizeof c->histfile, "%s/.krt_history", home);
			history(h, &ev, H_LOAD, c->histfile);
		}
	}
	c->el = el;
	c->hist = h;
}

void cli_close(cli *c)
{
	interrupt_target = NULL;
	if (c->hist) {
		HistEvent ev;
		if (c->histfile[0]) history(c->hist, &ev, H_SAVE, c->histfile);
		history_end(c->hist);
	}
	if (c->el) el_end(c->el);
	c->el = c->hist = NULL;
}

/* One line from the terminal (editing) or a stream, with its newline;
 * NULL at end of input.  *interrupted tells a Ctrl-C at the prompt. */
typedef struct reader {
	cli *c;
	FILE *f;          /* NULL: the terminal through libedit */
	char *line;
	size_t cap;
	int raw;          /* read f's descriptor directly (stdin) */
	char *rb;         /* raw mode: bytes read, rb[rpos .. rlen) unused */
	size_t rpos, rlen, rcap;
	int eof, err;     /* raw mode: the end was seen; errno of a failed read */
} reader;

/* A line of a stream.  A signal (Ctrl-C) while the read waits does not
 * end the input, nor lose what was read of the line: the read goes on. */
static const char *read_stream_line(reader *r)
{
	size_t n = 0;
	for (;;) {
		int ch = getc(r->f);
		if (ch == EOF) {
			if (ferror(r->f) && errno == EINTR) { clearerr(r->f); continue; }
			if (!n) return NULL;
			break;
		}
		if (n + 2 > r->cap) {
			size_t cap = r->cap ? 2 * r->cap : 256;
			char *l = realloc(r->line, cap);
			if (!l) { fputs("krt: out of memory reading the input\n", stderr); return NULL; }
			r->line = l;
			r->cap = cap;
		}
		r->line[n++] = (char)ch;
		if (ch == '\n') break;
	}
	r->line[n] = 0;
	return r->line;
}

/* A line of stdin read directly, so that the event loop can wait for it
 * (stdio's buffer would hide input from poll).  NULL at the end. */
static const char *raw_line(reader *r)
{
	for (;;) {
		char *nl = r->rlen > r->rpos ? memchr(r->rb + r->rpos, '\n', r->rlen - r->rpos) : NULL;
		if (nl || (r->eof && r->rlen > r->rpos)) {
			size_t n = nl ? (size_t)(nl - (r->rb + r->rpos)) + 1 : r->rlen - r->rpos;
			if (n + 1 > r->cap) {
				char *l = realloc(r->line, n + 1);
				if (!l) return NULL;
				r->line = l;
				r->cap = n + 1;
			}
			memcpy(r->line, r->rb + r->rpos, n);
			r->line[n] = 0;
			r->rpos += n;
			return r->line;
		}
		if (r->eof) return NULL;
		if (r->rpos) {
			memmove(r->rb, r->rb + r->rpos, r->rlen - r->rpos);
			r->rlen -= r->rpos;
			r->rpos = 0;
		}
		if (r->rcap - r->rlen < 4096) {
			char *b = realloc(r->rb, r->rcap * 2 + 8192);
			if (!b) return NULL;
			r->rb = b;
			r->rcap = r->rcap * 2 + 8192;
		}
		int w = wait_input(r->c, fileno(r->f));
		if (w == -2) return NULL;
		if (w == 0) continue;              /* a signal: the read goes on */
		ssize_t got = read(fileno(r->f), r->rb + r->rlen, r->rcap - r->rlen);
		if (got < 0 && errno == EINTR) continue;
		if (got < 0) { r->err = errno; r->eof = 1; continue; }
		if (!got) r->eof = 1;
		r->rlen += (size_t)got;
	}
}

static const char *read_line(reader *r, int *interrupted)
{
	*interrupted = 0;
	if (!r->f) {
		int n;
		prompt_interrupted = 0;
		const char *s = el_gets(r->c->el, &n);
		if (prompt_interrupted) {       /* Ctrl-C: drop what was typed */
			prompt_interrupted = 0;
			el_reset(r->c->el);
			*interrupted = 1;
			return NULL;
		}
		return s;
	}
	if (r->raw) return raw_line(r);
	return read_stream_line(r);
}

/* ---- running statements --------------------------------------------- */

static int run(cli *c, reader *r, const char *file, int stop_on_error);

/* Run src and show its value or its error, as the prompt does. */
static void run_shown(cli *c, const char *src, size_t n)
{
	K v = NULL;
	int e = exec(c, src, n, &v);
	if (e == KRT_ERROR && !krt_error_reported(c->k)) report(c, NULL, 0, src, n);
	else if (e == KRT_OK && v && krt_print(c->k, v, stdout)) report(c, NULL, 0, NULL, 0);
	krt_release(c->k, v);
	fflush(stdout);
}

/* Stepping (\s f at the prompt): each statement of f is shown before it
 * runs, and a line typed then says what to do: an empty line runs it, "/"
 * skips it, "\" stops stepping, anything else runs first (so that values
 * can be looked at) and the question comes again. */
enum { STEP_RUN, STEP_SKIP, STEP_STOP };

static int step_ask(cli *c, const char *stmt)
{
	reader tr = { .c = c };
	for (;;) {
		printf("%s\n", stmt);
		fflush(stdout);
		int intr;
		const char *s = read_line(&tr, &intr);
		if (!s) return STEP_STOP;        /* Ctrl-D or Ctrl-C */
		size_t n = strlen(s);
		while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
		if (!n) return STEP_RUN;
		if (lone(s, '/')) return STEP_SKIP;
		if (lone(s, '\\')) return STEP_STOP;
		run_shown(c, s, n);
	}
}

/* Is the statement \s followed by a file name? */
static int is_step(const char *s)
{
	while (*s == ' ' || *s == '\t') s++;
	return s[0] == '\\' && s[1] == 's' && (s[2] == ' ' || s[2] == '\t') && s[3 + strspn(s + 3, " \t")];
}

/* \s f: step through the script f (.k added when it has no extension);
 * -1 to go on, or the exit status when a statement asked to leave. */
static int step_file(cli *c, const char *cmd)
{
	const char *a = strchr(cmd, 's') + 1;
	a += strspn(a, " \t");
	char path[4096];
	const char *slash = strrchr(a, '/');
	snprintf(path, sizeof path, "%s%s", a, strchr(slash ? slash : a, '.') ? "" : ".k");
	FILE *f = fopen(path, "r");
	if (!f) { fprintf(stderr, "%s: %s\n", path, strerror(errno)); return -1; }
	reader r = { .c = c, .f = f };
	c->stepping++;
	int st = run(c, &r, path, 0);
	c->stepping--;
	free(r.line);
	fclose(f);
	return st;
}

/* Does a script go on after the error just reported?  As in Kona: after a
 * statement that does not parse, or a name with no value outside any
 * lambda (errors that Kona reports without a suspension), the next
 * statement runs; any other error stops the script. */
static int goes_on(cli *c)
{
	const char *e = krt_error(c->k);
	return !krt_error_source(c->k)
	       && (!strcmp(e, "parse") || !strcmp(e, "reserved") || !strcmp(e, "value"));
}

/* Gather and run statements from r.  Returns -1 at the end of the input,
 * or an exit status (\\ gives 0; an error that stops a script (see
 * goes_on) gives 1 when stop_on_error). */
/* Before a statement runs: while stepping, ask the user; \s f typed at
 * the terminal steps through f.  STEP_RUN: run the statement; STEP_SKIP:
 * it is done with; STEP_STOP: leave run() with *status. */
static int before_run(cli *c, reader *r, const char *stmt, int *status)
{
	if (c->stepping && r->f) return step_ask(c, stmt);
	if (!r->f && is_step(stmt)) {
		*status = step_file(c, stmt);
		return *status >= 0 ? STEP_STOP : STEP_SKIP;
	}
	return STEP_RUN;
}

static int run(cli *c, reader *r, const char *file, int stop_on_error)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int line = 0, first = 0, status = -1;
	for (;;) {
		int intr;
		const char *s = read_line(r, &intr);
		if (!s && intr) {          /* Ctrl-C at the prompt: drop the line */
			fputc('\n', stdout);
			len = 0;
			continue;
		}
		if (!s) {
			if (r->raw && r->err) errno = r->err;
			if (r->f && (ferror(r->f) || r->err) && errno != EBADF) {   /* stdin a directory; closed is an end */
				fprintf(stderr, "krt: cannot read %s: %s\n", file ? file : "the input", strerror(errno));
				status = 1;
			}
			break;
		}
		line++;
		size_t n = strlen(s);
		if (!len && file && lone(s, '\\')) break;   /* a lone \ ends a script, as Kona */
		if (!len) first = line;
		if (len + n + 2 > cap) {
			cap = 2 * (len + n + 2);
			char *nb = realloc(buf, cap);
			if (!nb) { fputs("krt: out of memory\n", stderr); status = 1; break; }
			buf = nb;
		}
		memcpy(buf + len, s, n);
		len += n;
		if (!len || buf[len - 1] != '\n') buf[len++] = '\n';
		buf[len] = 0;
		if (krt_incomplete(buf, len)) continue;
		if (!r->f && c->hist) {
			HistEvent ev;
			buf[len - 1] = 0;
			if (*buf) history(c->hist, &ev, H_ENTER, buf);
			buf[len - 1] = '\n';
		}
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) buf[--len] = 0;
		int step = before_run(c, r, buf, &status);
		if (step != STEP_RUN) {
			len = 0;
			if (step == STEP_STOP) break;
			continue;
		}
		K v = NULL;
		int e = exec(c, buf, len, &v);
		len = 0;
		if (e == KRT_EXIT) { status = krt_exit_status(c->k); break; }
		if (e == KRT_RESUME || e == KRT_ABORT) {   /* only at a suspension */
			krt_release(c->k, v);
			continue;
		}
		if (e == KRT_ERROR) {
			if (c->quit) { status = c->quit == 2 ? krt_exit_status(c->k) : 1; break; }
			if (!krt_error_reported(c->k)) report(c, file, first, buf, strlen(buf));
			if (stop_on_error && !goes_on(c)) { status = 1; break; }
		} else if (v) {
			int lost = print_value(c, v, file, first) > 0;
			krt_release(c->k, v);
			if (lost) { status = 1; break; }
		}
		if (fflush(stdout) != 0) { status = output_lost(); break; }
	}
	if (status < 0 && len) {         /* the input ends inside a statement */
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) buf[--len] = 0;
		K v = NULL;
		if (exec(c, buf, len, &v) == KRT_ERROR) {
			report(c, file, first, buf, strlen(buf));
			if (stop_on_error && !goes_on(c)) status = 1;
		}
		krt_release(c->k, v);
	}
	free(buf);
	return status;
}

/* At an error inside a lambda, on a terminal: a nested prompt.  Returns
 * the value to resume with, or NULL to let the error go on. */
static K suspend(krt *k, void *ud)
{
	cli *c = ud;
	report(c, NULL, 0, NULL, 0);
	sig_atomic_t was = evaluating;     /* at this prompt Ctrl-C drops a line */
	evaluating = 0;
	c->depth++;
	K resume = NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	reader r = { .c = c };
	for (;;) {
		int intr;
		const char *s = read_line(&r, &intr);
		if (!s && intr) { fputc('\n', stdout); len = 0; continue; }
		if (!s) { c->quit = 1; break; }
		size_t n = strlen(s);
		if (len + n + 1 > cap) {
			cap = 2 * (len + n + 1);
			char *nb = realloc(buf, cap);
			if (!nb) { c->quit = 1; break; }
			buf = nb;
		}
		memcpy(buf + len, s, n + 1);
		len += n;
		if (krt_incomplete(buf, len)) continue;
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) buf[--len] = 0;
		K v = NULL;
		int e = exec(c, buf, len, &v);
		len = 0;
		if (e == KRT_RESUME) { resume = v; break; }
		if (e == KRT_ABORT) break;
		if (e == KRT_EXIT) { c->quit = 2; break; }
		if (e == KRT_ERROR) {
			if (c->quit) break;
			if (!krt_error_reported(k)) report(c, NULL, 0, buf, strlen(buf));
		} else if (v) {
			int lost = print_value(c, v, NULL, 0) > 0;
			krt_release(k, v);
			if (lost) { c->quit = 1; break; }
		}
	}
	free(buf);
	c->depth--;
	evaluating = was;
	return resume;
}

int cli_set_args(cli *c, int n, char **args)
{
	return krt_set_args(c->k, n, (const char *const *)args);
}

int cli_run_file(cli *c, const char *name)
{
	FILE *f = fopen(name, "r");
	struct stat st;
	if (f && (fstat(fileno(f), &st) || S_ISDIR(st.st_mode))) { fclose(f); f = NULL; errno = EISDIR; }
	if (!f) { fprintf(stderr, "krt: cannot open %s: %s\n", name, strerror(errno)); return 1; }
	reader r = { .c = c, .f = f };
	int status = run(c, &r, name, !c->interactive);
	free(r.line);
	fclose(f);
	return status;
}

int cli_run_expr(cli *c, const char *expr, int print)
{
	K v = NULL;
	int e = exec(c, expr, strlen(expr), &v);
	if (e == KRT_ERROR) { report(c, NULL, 0, expr, strlen(expr)); return 1; }
	if (e == KRT_EXIT) return krt_exit_status(c->k);
	if (v) {
		if (print && print_value(c, v, NULL, 0)) e = KRT_ERROR;
		krt_release(c->k, v);
	}
	return e == KRT_ERROR;
}

int cli_repl(cli *c)
{
	reader r = { .c = c, .f = stdin, .raw = 1 };
	if (c->interactive) {
		open_editor(c);
		if (c->el) {
			r.f = NULL;
			krt_set_suspend(c->k, suspend, c);
		}
	}
	int st = run(c, &r, NULL, 0);
	krt_set_suspend(c->k, NULL, NULL);
	free(r.line);
	free(r.rb);
	if (c->net_exit) return krt_exit_status(c->k);
	if (c->interactive && !r.f && st < 0) fputc('\n', stdout);   /* after Ctrl-D */
	return st;
}

int cli_serve(cli *c)
{
	while (!c->net_exit) {
		sig_atomic_t was = evaluating;
		evaluating = 1;
		int e = krt_run(c->k, -1);
		evaluating = was;
		if (e == KRT_EXIT) return krt_exit_status(c->k);
		if (e == KRT_ERROR) return 130;        /* Ctrl-C while idle */
		if (!krt_net_active(c->k)) return 0;
	}
	return krt_exit_status(c->k);
}
