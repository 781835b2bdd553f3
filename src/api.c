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
	k->magic = API_MAGIC;
	k->ctx = kctx_open();
	if (!k->ctx) { free(k); return NULL; }
	API_ENTER(k);
	int e = lang_open();
	if (!e) KL->make_cfunc = api_make_cfunc;     /* for 2: */
	API_LEAVE();
	if (e) { krt_close(k, 0); return NULL; }
	return k;
}

uint64_t krt_close(krt *k, int report)
{
	if (!k) return 0;
	API_ENTER(k);
	if (k->running) {        /* from a C function that K called */
		kerr("busy");
		api_failed_msg(k, "busy error: krt_close: K is running on this state");
		API_LEAVE();
		return UINT64_MAX;
	}
	uint64_t held = api_ledger_count(&k->held);
	if (k->ctx->lang) krt_set_suspend(k, NULL, NULL);    /* frees the hook's record */
	lang_close();
	kpool *heap = kc->heap;
	kctx_close(k->ctx);
	API_LEAVE();
	if (report && held)
		fprintf(stderr, "krt: %llu references were never released by the caller\n",
		        (unsigned long long)held);
	uint64_t leaks = kp_close(heap, report);
	api_ledger_free(&k->held);
#ifdef KRT_DEBUG
	/* a tombstone, never freed, so that a later call on k is caught */
	memset(k, 0, sizeof *k);
	k->magic = ~API_MAGIC;
#else
	free(k);
#endif
	return leaks;
}

#ifdef KRT_DEBUG
void api_assert_live(const krt *k, const char *call)
{
	if (k && k->magic == API_MAGIC) return;
	fprintf(stderr, "krt: %s: %s\n", call,
	        !k ? "the state is NULL" : k->magic == ~API_MAGIC ? "the state was closed" : "not a krt state");
	abort();
}
#endif

void krt_set_userdata(krt *k, void *data) { API_LIVE(k); k->userdata = data; }
void *krt_userdata(krt *k) { API_LIVE(k); return k->userdata; }

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

int api_null(krt *k, const char *call, const char *arg)
{
	kerr("null");
	api_failed_msg(k, "null error: %s: %s is NULL", call, arg);
	return 0;
}

const char *krt_error(krt *k) { API_LIVE(k); return k->err; }
const char *krt_error_message(krt *k) { API_LIVE(k); return k->msg; }

void krt_clear_error(krt *k)
{
	API_LIVE(k);
	k->err[0] = k->msg[0] = 0;
	k->ctx->err = NULL;
}

K krt_signal(krt *k, const char *name)
{
	API_ENTER(k);
	if (!name) api_null(k, "krt_signal", "name");
	else {
		kerr_text(name, strlen(name));
		api_failed(k);
	}
	API_LEAVE();
	return NULL;
}

/* ---- running K --------------------------------------------------------- */

int krt_exec(krt *k, const char *src, size_t n, K *result)
{
	API_ENTER(k);
	K r = NULL;
	if (!src || !result) {
		api_null(k, "krt_exec", src ? "result" : "src");
		if (result) *result = NULL;
		API_LEAVE();
		return KRT_ERROR;
	}
	k->running++;
	int e = lang_exec(src, (int64_t)n, &r);
	k->running--;
	int out = KRT_OK;
	if (e == LX_EXIT) { k->exit_status = ((klang *)k->ctx->lang)->exit_status; out = KRT_EXIT; }
	else if (e == LX_ERROR) { api_failed(k); out = KRT_ERROR; }
	else if (e == LX_ABORT) out = KRT_ABORT;
	else if (e == LX_RESUME) { out = KRT_RESUME; if (r && !(r = api_give(k, r))) { api_failed(k); out = KRT_ERROR; } }
	else if (r && !(r = api_give(k, r))) { api_failed(k); out = KRT_ERROR; }
	*result = r;
	API_LEAVE();
	return out;
}

int krt_exit_status(krt *k) { API_LIVE(k); return k->exit_status; }

K krt_eval(krt *k, const char *src)
{
	API_ENTER(k);
	kerr_clear();
	K r = NULL;
	if (!src) api_null(k, "krt_eval", "src");
	else {
		k->running++;
		r = api_give(k, eval_string(src, (int64_t)strlen(src)));
		k->running--;
		if (!r) api_failed(k);
	}
	API_LEAVE();
	return r;
}

int krt_load(krt *k, const char *path)
{
	API_ENTER(k);
	int line, out = KRT_OK;
	char text[200];
	if (!path) {
		api_null(k, "krt_load", "path");
		API_LEAVE();
		return KRT_ERROR;
	}
	k->running++;
	int e = lang_load(path, &line, text, sizeof text, 0);
	k->running--;
	if (e == LX_EXIT) {
		k->exit_status = KL->exit_status;
		out = KRT_EXIT;
	} else if (e == LX_ERROR) {
		if (line) api_failed_msg(k, "%s:%d: %s error: %s", path, line, kc->err ? kc->err : "error", text);
		else api_failed_msg(k, "%s: %s error: cannot open it", path, kc->err ? kc->err : "file");
		out = KRT_ERROR;
	}
	API_LEAVE();
	return out;
}

/* ---- the heap ----------------------------------------------------------- */

void krt_heap_stats(krt *k, krt_stats *s)
{
	API_LIVE(k);
	if (!s) {
		API_ENTER(k);
		api_null(k, "krt_heap_stats", "s");
		API_LEAVE();
		return;
	}
	kpool_stats ps;
	kp_stats(k->ctx->heap, &ps);
	s->in_use = ps.in_use;
	s->held = ps.held;
	s->peak = ps.peak;
	s->trimmed = ps.trimmed;
}

void krt_heap_report(krt *k, FILE *out)
{
	API_LIVE(k);
	if (!out) {
		API_ENTER(k);
		api_null(k, "krt_heap_report", "out");
		API_LEAVE();
		return;
	}
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

void krt_set_heap_limit(krt *k, uint64_t bytes) { API_LIVE(k); kp_set_limit(k->ctx->heap, bytes); }
void krt_fail_alloc(krt *k, uint64_t n) { API_LIVE(k); kp_fail_after(k->ctx->heap, n); }
uint64_t krt_trim(krt *k) { API_LIVE(k); return kp_trim(k->ctx->heap); }
