#define _GNU_SOURCE
/* session.c: the language state and what the console and scripts run:
 * statements, and the backslash commands (\\ exit, \p precision, \d
 * directory ...).  Help texts are in lang/help.c, the shell in
 * lang/shell.c, memory by name in lang/memuse.c. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include "node.h"
#include "ktree.h"
#include "net.h"
#include "../runtime/heap.h"
#include "random.h"
#include "session.h"

const char lang_exit_mark[] = "exit";

int lang_open(void)
{
	klang *s = calloc(1, sizeof *s);
	if (!s) return -1;
	kc->lang = s;
	s->precision = 7;
	s->errmode = 1;
	s->errpos = -1;
	s->seed = 0x2545F4914F6CDD1DULL;
	s->seed_set = (int64_t)s->seed;
	s->breakmode = 's';
	if (ktree_open()) { lang_close(); return -1; }
	return 0;
}

void lang_set_args(K args)
{
	cd(KL->args);
	KL->args = args;
}

void lang_close(void)
{
	if (!kc->lang) return;
	cd(KL->args);
	net_close_all();
	free(KL->errsrc);
	KL->args = NULL;
	KL->errsrc = NULL;
	ktree_close();
	dl_close_all();
	free(kc->lang);
	kc->lang = NULL;
}

static int blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* A backslash command; src starts after the backslash. */
static int command(const char *src, int64_t n, K *result);

K lang_command(const char *src, int64_t n)
{
	K r = NULL;
	int e = command(src, n, &r);
	if (e == LX_ERROR) return NULL;
	if (e == LX_EXIT) { kc->err = lang_exit_mark; return NULL; }   /* unwinds to the top */
	return r ? r : k_null();
}

/* The commands.  Each gets its argument (blanks trimmed, a is NUL-ended:
 * it lies in a NUL-terminated copy) with its length, and sets *result to
 * the value to show, if any. */
typedef int (*command_fn)(const char *a, int64_t n, K *result);

static int show_int(int64_t v, K *result)
{
	*result = k_int(v);
	return *result ? LX_OK : LX_ERROR;
}

/* A setting shown when no argument is given, else set within [lo, hi]. */
static int int_setting(int *field, long lo, long hi, const char *a, int64_t n, K *result)
{
	if (!n) return show_int(*field, result);
	long v = strtol(a, NULL, 10);
	if (v < lo || v > hi) { kerr("domain"); return LX_ERROR; }
	*field = (int)v;
	return LX_OK;
}

/* \p [digits]: the precision of floats shown */
static int cmd_precision(const char *a, int64_t n, K *result)
{
	return int_setting(&KL->precision, 0, 17, a, n, result);
}

/* \e [0|1]: whether errors suspend */
static int cmd_errmode(const char *a, int64_t n, K *result)
{
	return int_setting(&KL->errmode, 0, 1, a, n, result);
}

/* \d [dir]: the current directory, shown bare as Kona shows it, or changed
 * (absolute .a.b, relative b, ^ for the parent) */
static int cmd_directory(const char *a, int64_t n, K *result)
{
	(void)result;
	if (!n) { printf("%s\n", KL->dir); return LX_OK; }
	ksym d = sym_intern(a, n);
	if (!d) return LX_ERROR;
	if (!strcmp(d, "^")) {
		const char *dot = strrchr(KL->dir, '.');
		d = dot && dot != KL->dir ? sym_intern(KL->dir, dot - KL->dir) : KL->dir;
		if (!d) return LX_ERROR;
	} else if (*d != '.') {
		char buf[256];
		int len = snprintf(buf, sizeof buf, "%s.%s", KL->dir, d);
		if (len < 0 || len >= (int)sizeof buf) { kerr("limit"); return LX_ERROR; }
		d = sym_intern(buf, len);
		if (!d) return LX_ERROR;
	}
	return ktree_chdir(d) ? LX_ERROR : LX_OK;
}

/* \t expr: milliseconds of processor time, as Kona measures; \t N: a timer
 * calling .m.ts every N ms (0 stops it); \t alone: its interval */
static int cmd_time(const char *a, int64_t n, K *result)
{
	if (!n) return show_int(KL->net ? ((knet *)KL->net)->timer_ms : 0, result);
	if ((int64_t)strspn(a, "0123456789") == n) {
		if (n > 12) { kerr("domain"); return LX_ERROR; }
		if (!net_state()) return LX_ERROR;
		net_set_timer(strtoll(a, NULL, 10));
		return LX_OK;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	K r = eval_string(a, n);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	if (!r) return LX_ERROR;
	cd(r);
	return show_int((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000, result);
}

/* The file of a script named a[0..n): .k added when it has no extension. */
static int script_path(const char *a, int64_t n, char path[4096])
{
	if (n <= 0 || n > 4000) { kerr("domain"); return -1; }
	const char *slash = memrchr(a, '/', n);
	const char *dot = memchr(slash ? slash : a, '.', a + n - (slash ? slash : a));
	snprintf(path, 4096, "%.*s%s", (int)n, a, dot ? "" : ".k");
	return 0;
}

/* \l file: load a script, .k added when the name has no extension */
static int cmd_load(const char *a, int64_t n, K *result)
{
	(void)result;
	char path[4096];
	if (script_path(a, n, path)) return LX_ERROR;
	int line;
	int e = lang_load(path, &line, NULL, 0, 1);
	return e == LX_OK ? LX_OK : e;
}

/* \v: the names of the current directory */
static int cmd_names(const char *a, int64_t n, K *result)
{
	(void)a, (void)n;
	K d = ktree_get(KL->dir);
	if (!d && !strcmp(kc->err, "value")) {       /* a directory not made yet */
		kerr_clear();
		*result = k_new(-4, 0);
		return *result ? LX_OK : LX_ERROR;
	}
	if (!d) return LX_ERROR;
	K r = d->t == KT_DICT ? k_new(-4, d->n) : NULL;
	if (r) for (int64_t i = 0; i < d->n; i++) kS(r)[i] = kS(kK(kK(d)[i])[0])[0];
	cd(d);
	if (!r) { if (!kc->err) kerr("type"); return LX_ERROR; }
	*result = r;
	return LX_OK;
}

/* \w: in use, held, peak, trimmed */
static int cmd_heap(const char *a, int64_t n, K *result)
{
	(void)a, (void)n;
	*result = lang_heap_figures();
	return *result ? LX_OK : LX_ERROR;
}

/* \w .: the variables holding the most heap memory, and the totals of
 * the directories, for the whole tree (.) or one directory */
static int cmd_heap_names(const char *a, int64_t n, K *result)
{
	(void)result;
	return memuse_print(a, n) ? LX_ERROR : LX_OK;
}

/* \r [n]: the seed last set, or a new one (0: from the clock) that
 * restarts the stream of ? and _draw */
static int cmd_seed(const char *a, int64_t n, K *result)
{
	if (!n) return show_int(KL->seed_set, result);
	char *end;
	long long v = strtoll(a, &end, 10);
	if (end == a || *end) { kerr("type"); return LX_ERROR; }
	rng_seed(v);
	return LX_OK;
}

/* \b [s|t|n]: at an error inside a function, stop there (suspend, with
 * \e 1), trace the functions it leaves, or neither */
static int cmd_breakmode(const char *a, int64_t n, K *result)
{
	if (!n) {
		char m = (char)KL->breakmode;
		*result = k_symv(sym_intern(&m, 1));
		return *result ? LX_OK : LX_ERROR;
	}
	if (n != 1 || !strchr("stn", *a)) { kerr("domain"); return LX_ERROR; }
	KL->breakmode = *a;
	return LX_OK;
}

void lang_trace(K f)
{
	K text = kK(f)[0];                        /* a lambda's source */
	if (!text || text->t != -KT_CHAR) return;
	int64_t n = 0;
	while (n < text->n && kC(text)[n] != '\n' && n < 200) n++;
	fflush(stdout);
	fprintf(stderr, "at %.*s%s\n", (int)n, kC(text), n < text->n ? " ..." : "");
}

/* \s f: a script one statement at a time.  The REPL steps through it
 * with the user (src/repl.c); elsewhere there is no one to ask, so each
 * statement is shown, then run, and its value shown. */
static int cmd_step(const char *a, int64_t n, K *result)
{
	(void)result;
	char path[4096];
	if (script_path(a, n, path)) return LX_ERROR;
	int line;
	int was = KL->stepping;
	KL->stepping = 1;
	int e = lang_load(path, &line, NULL, 0, 1);
	KL->stepping = was;
	return e;
}

/* \trim: idle memory back to the OS now; the bytes given back */
static int cmd_trim(const char *a, int64_t n, K *result)
{
	(void)a, (void)n;
	return show_int((int64_t)kp_trim(kc->heap), result);
}

/* \\: leave */
static int cmd_exit(const char *a, int64_t n, K *result)
{
	(void)a, (void)n, (void)result;
	KL->exit_status = 0;
	return LX_EXIT;
}

/* `reserve`: the command must work at the heap limit, so that a full heap
 * can be looked at and emptied: it may draw on the heap's reserve. */
static const struct { const char *name; int takes_arg, reserve; command_fn fn; } commands[] = {
	{ "\\", 0, 1, cmd_exit }, { "p", 1, 0, cmd_precision }, { "e", 1, 0, cmd_errmode },
	{ "d", 1, 0, cmd_directory }, { "t", 1, 0, cmd_time }, { "l", 1, 0, cmd_load },
	{ "v", 0, 1, cmd_names }, { "w", 0, 1, cmd_heap }, { "trim", 0, 1, cmd_trim },
	{ "w", 1, 1, cmd_heap_names }, { "r", 1, 0, cmd_seed }, { "b", 1, 0, cmd_breakmode },
	{ "s", 1, 0, cmd_step },
};

static int command(const char *src, int64_t n, K *result)
{
	*result = NULL;
	while (n > 0 && blank(src[n - 1])) n--;
	int64_t w = 0;             /* the command's name: up to a blank */
	while (w < n && !blank(src[w])) w++;
	const char *arg = src + w;
	while (arg < src + n && blank(*arg)) arg++;
	int64_t an = src + n - arg;
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if ((int64_t)strlen(commands[i].name) == w && !memcmp(commands[i].name, src, w)
		    && (commands[i].takes_arg || !an)) {
			if (commands[i].reserve) kp_reserve(kc->heap, 1);
			int e = commands[i].fn(arg, an, result);
			if (commands[i].reserve) kp_reserve(kc->heap, 0);
			return e;
		}
	if (!an && help_show(src, w)) return LX_OK;      /* \0 \+ \' \: \_ \. */
	return shell_command(src, n) ? LX_ERROR : LX_OK;   /* \echo hi */
}

static int exec_text(const char *src, int64_t n, K *result);

static int exec_copy(const char *src, int64_t n, K *result);

/* The lexer and the commands read up to a NUL: run a NUL-terminated copy
 * of exactly the n bytes given.  A break that arrived while no statement
 * ran is dropped. */
int lang_exec(const char *src, int64_t n, K *result)
{
	*result = NULL;
	if (!KL->running) k_break_drop();  /* it came while no K was running */
	KL->running++;
	int e = exec_copy(src, n, result);
	KL->running--;
	return e;
}

static int exec_copy(const char *src, int64_t n, K *result)
{
	kp_reserve(kc->heap, 1);          /* reading a statement works at the limit */
	K text = k_str(src, (size_t)n);
	kp_reserve(kc->heap, 0);
	if (!text) return LX_ERROR;
	int e = exec_text(kC(text), n, result);
	cd(text);
	return e;
}

static int exec_text(const char *src, int64_t n, K *result)
{
	*result = NULL;
	kerr_clear();
	int64_t i = 0;
	while (i < n && (src[i] == ' ' || src[i] == '\t')) i++;
	if (i < n && src[i] == '\\' && i + 1 < n && !blank(src[i + 1]))
		return command(src + i + 1, n - i - 1, result);
	if (i < n && src[i] == '\\' && (i + 1 == n || blank(src[i + 1]))) {
		int64_t c = i + 1;
		while (c < n && blank(src[c])) c++;
		if (c < n)                             /* \ cmd: the shell */
			return shell_command(src + c, n - c) ? LX_ERROR : LX_OK;
		if (KL->nsusp) return LX_ABORT;        /* a lone \ leaves a suspension */
		help_show("", 0);                      /* else it lists the commands */
		return LX_OK;
	}
	KL->unwinding = 0;
	free(KL->errsrc);
	KL->errsrc = NULL;
	KL->errnode = NULL;
	int assigned, resumed;
	K places = NULL;
	kp_reserve(kc->heap, 1);
	K code = parse_in(src, n, &KL->errpos, suspended_names(), &places);
	kp_reserve(kc->heap, 0);
	if (!code) return LX_ERROR;
	KL->errpos = -1;
	K r = eval_suspended(code, &assigned, &resumed);
	if (!r && !KL->errsrc && KL->errnode && KL->errnode_seq == kc->errseq)
		KL->errpos = node_place(places, 0, KL->errnode);     /* in src itself */
	KL->errnode = NULL;
	cd(places);
	cd(code);
	if (!r) return kc->err == lang_exit_mark ? LX_EXIT : LX_ERROR;
	if (resumed && KL->nsusp) { *result = r; return LX_RESUME; }
	if (assigned || r->t == KT_NULL) { cd(r); return LX_OK; }
	*result = r;
	return LX_OK;
}
