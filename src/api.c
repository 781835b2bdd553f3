#define _POSIX_C_SOURCE 200809L
/* api.c: libkrt's public API (krt.h), part one: opening and closing a
 * state, running K source (a line, an expression, a script file), the
 * state's last error, and the heap's statistics and settings.  Values are
 * in api_value.c, globals, calls and C functions in api_call.c, the ledger
 * of the caller's references in api_held.c; api_priv.h explains how a call
 * enters its state. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "api_priv.h"
#include "../runtime/heap.h"

_Thread_local krt *api_current __attribute__((tls_model("initial-exec")));

const char *krt_version(void) { return KRT_VERSION; }

krt *krt_open(void)
{
	krt *k = calloc(1, sizeof *k);
	if (!k) return NULL;
	k->ctx = kctx_open();
	if (!k->ctx) { free(k); return NULL; }
	API_ENTER(k);
	int e = lang_open();
	API_LEAVE();
	if (e) { krt_close(k, 0); return NULL; }
	return k;
}

uint64_t krt_close(krt *k, int report)
{
	if (!k) return 0;
	API_ENTER(k);
	uint64_t held = api_ledger_count(&k->held);
	lang_close();
	kpool *heap = kc->heap;
	kctx_close(k->ctx);
	API_LEAVE();
	if (report && held)
		fprintf(stderr, "krt: %llu references were never released by the caller\n",
		        (unsigned long long)held);
	uint64_t leaks = kp_close(heap, report);
	api_ledger_free(&k->held);
	free(k);
	return leaks;
}

void krt_set_userdata(krt *k, void *data) { k->userdata = data; }
void *krt_userdata(krt *k) { return k->userdata; }

/* ---- errors ------------------------------------------------------------ */

static void set_err(krt *k)
{
	const char *e = kc->err ? kc->err : "error";
	snprintf(k->err, sizeof k->err, "%s", e);
}

void api_failed(krt *k)
{
	set_err(k);
	snprintf(k->msg, sizeof k->msg, "%s error", k->err);
}

void api_failed_msg(krt *k, const char *fmt, ...)
{
	set_err(k);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(k->msg, sizeof k->msg, fmt, ap);
	va_end(ap);
}

const char *krt_error(krt *k) { return k->err; }
const char *krt_error_message(krt *k) { return k->msg; }

void krt_clear_error(krt *k)
{
	k->err[0] = k->msg[0] = 0;
	k->ctx->err = NULL;
}

K krt_signal(krt *k, const char *name)
{
	API_ENTER(k);
	kerr_text(name, strlen(name));
	api_failed(k);
	API_LEAVE();
	return NULL;
}

/* ---- running K --------------------------------------------------------- */

int krt_exec(krt *k, const char *src, size_t n, K *result)
{
	API_ENTER(k);
	K r = NULL;
	int e = lang_exec(src, (int64_t)n, &r);
	int out = KRT_OK;
	if (e == LX_EXIT) { k->exit_status = 0; out = KRT_EXIT; }
	else if (e == LX_ERROR) { api_failed(k); out = KRT_ERROR; }
	else if (e == LX_ABORT) out = KRT_ABORT;
	else if (e == LX_RESUME) { out = KRT_RESUME; if (r && !(r = api_give(k, r))) { api_failed(k); out = KRT_ERROR; } }
	else if (r && !(r = api_give(k, r))) { api_failed(k); out = KRT_ERROR; }
	*result = r;
	API_LEAVE();
	return out;
}

int krt_exit_status(krt *k) { return k->exit_status; }

K krt_eval(krt *k, const char *src)
{
	API_ENTER(k);
	kerr_clear();
	K r = api_give(k, eval_string(src, (int64_t)strlen(src)));
	if (!r) api_failed(k);
	API_LEAVE();
	return r;
}

/* Where a statement stands after the text so far: is a bracket or a string
 * still open?  A '/' at a line start or after a blank starts a comment to
 * the end of the line. */
static int statement_open(const char *s, size_t n)
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
		else if (c == '/' && (i == 0 || strchr(" \t\n", s[i - 1])))
			while (i < n && s[i] != '\n') i++;
		else if (strchr("([{", c)) depth++;
		else if (strchr(")]}", c)) depth--;
	}
	return str || depth > 0;
}

static int line_is(const char *line, const char *word)
{
	size_t n = strlen(word);
	if (strncmp(line, word, n)) return 0;
	return strspn(line + n, " \t\r\n") == strlen(line + n);
}

int krt_load(krt *k, const char *path)
{
	API_ENTER(k);
	char *line = NULL, *stmt = NULL;
	size_t cap = 0, len = 0, scap = 0;
	int out = KRT_OK, lineno = 0, first = 0, in_comment = 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		kerr("file");
		api_failed_msg(k, "%s: file error: cannot open it", path);
		API_LEAVE();
		return KRT_ERROR;
	}
	ssize_t got;
	while ((got = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (!len) {
			/* a lone "/" opens a comment block that a lone "\" closes */
			if (in_comment) { in_comment = !line_is(line, "\\"); continue; }
			if (line_is(line, "/")) { in_comment = 1; continue; }
			first = lineno;
		}
		if (len + (size_t)got + 1 > scap) {
			scap = 2 * (len + (size_t)got + 1);
			char *s = realloc(stmt, scap);
			if (!s) { kerr("wsfull"); api_failed(k); out = KRT_ERROR; goto done; }
			stmt = s;
		}
		memcpy(stmt + len, line, (size_t)got);
		len += (size_t)got;
		stmt[len] = 0;
		if (statement_open(stmt, len)) continue;
		while (len && (stmt[len - 1] == '\n' || stmt[len - 1] == '\r')) stmt[--len] = 0;
		K r = NULL;
		int e = lang_exec(stmt, (int64_t)len, &r);
		cd(r);
		if (e == LX_EXIT) { k->exit_status = 0; out = KRT_EXIT; goto done; }
		if (e == LX_ERROR) {
			set_err(k);
			int shown = (int)strcspn(stmt, "\n");
			api_failed_msg(k, "%s:%d: %s error: %.*s", path, first, k->err, shown, stmt);
			out = KRT_ERROR;
			goto done;
		}
		len = 0;
	}
	if (len) {          /* the file ended inside a bracket or string */
		kerr("parse");
		api_failed_msg(k, "%s:%d: parse error: unfinished statement", path, first);
		out = KRT_ERROR;
	}
done:
	fclose(f);
	free(line);
	free(stmt);
	API_LEAVE();
	return out;
}

/* ---- the heap ----------------------------------------------------------- */

void krt_heap_stats(krt *k, krt_stats *s)
{
	kpool_stats ps;
	kp_stats(k->ctx->heap, &ps);
	s->in_use = ps.in_use;
	s->held = ps.held;
	s->peak = ps.peak;
	s->trimmed = ps.trimmed;
}

void krt_heap_report(krt *k, FILE *out)
{
	kpool_stats ps;
	kp_stats(k->ctx->heap, &ps);
	fprintf(out, "in use %llu bytes, held %llu (direct %llu), peak %llu, trimmed %llu\n",
	        (unsigned long long)ps.in_use, (unsigned long long)ps.held,
	        (unsigned long long)ps.held_direct, (unsigned long long)ps.peak,
	        (unsigned long long)ps.trimmed);
	for (int r = KP_MIN; r <= KP_MAX; r++)
		if (ps.live[r] || ps.free[r])
			fprintf(out, "lane %2d (%9llu B): %llu live, %llu free\n", r,
			        1ULL << r, (unsigned long long)ps.live[r], (unsigned long long)ps.free[r]);
	if (ps.direct_live)
		fprintf(out, "direct: %llu live\n", (unsigned long long)ps.direct_live);
	uint64_t held = api_ledger_count(&k->held);
	if (held)
		fprintf(out, "references held by the caller: %llu\n", (unsigned long long)held);
}

void krt_set_heap_limit(krt *k, uint64_t bytes) { kp_set_limit(k->ctx->heap, bytes); }
void krt_fail_alloc(krt *k, uint64_t n) { kp_fail_after(k->ctx->heap, n); }
uint64_t krt_trim(krt *k) { return kp_trim(k->ctx->heap); }
