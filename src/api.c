/* api.c: libkrt's public API (krt.h) over the runtime and the language.
 * Each call makes its state the thread's current context for its
 * duration, and restores the previous one on the way out, so that a C
 * function called from K may itself call into another state. */
#include <stdlib.h>
#include "krt.h"
#include "../runtime/k.h"
#include "../runtime/heap.h"
#include "../lang/lang.h"

struct krt {
	kctx *ctx;
	int exit_status;
};

#define ENTER(k) kctx *saved_ = kc; kc = (k)->ctx
#define LEAVE() (kc = saved_)

const char *krt_version(void) { return KRT_VERSION; }

krt *krt_open(void)
{
	krt *k = calloc(1, sizeof *k);
	if (!k) return NULL;
	k->ctx = kctx_open();
	if (!k->ctx) { free(k); return NULL; }
	ENTER(k);
	int e = lang_open();
	LEAVE();
	if (e) { krt_close(k, 0); return NULL; }
	return k;
}

uint64_t krt_close(krt *k, int report)
{
	if (!k) return 0;
	ENTER(k);
	lang_close();
	kpool *heap = kc->heap;
	kctx_close(k->ctx);
	LEAVE();
	uint64_t leaks = kp_close(heap, report);
	free(k);
	return leaks;
}

int krt_exec(krt *k, const char *src, size_t n, K *result)
{
	ENTER(k);
	int r = lang_exec(src, (int64_t)n, result);
	LEAVE();
	if (r == LX_EXIT) { k->exit_status = 0; return KRT_EXIT; }
	return r == LX_OK ? KRT_OK : KRT_ERROR;
}

int krt_exit_status(krt *k) { return k->exit_status; }

K krt_eval(krt *k, const char *src)
{
	ENTER(k);
	kerr_clear();
	K r = eval_string(src, (int64_t)strlen(src));
	LEAVE();
	return r;
}

const char *krt_error(krt *k) { return k->ctx->err ? k->ctx->err : ""; }

int krt_print(krt *k, K x, FILE *out)
{
	ENTER(k);
	K s = k_show(x);
	int r = -1;
	if (s) {
		r = fwrite(kC(s), 1, s->n, out) == (size_t)s->n && fputc('\n', out) != EOF ? 0 : -1;
		cd(s);
	}
	LEAVE();
	return r;
}

void krt_release(krt *k, K x)
{
	ENTER(k);
	cd(x);
	LEAVE();
}

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
}

void krt_set_heap_limit(krt *k, uint64_t bytes) { kp_set_limit(k->ctx->heap, bytes); }
void krt_fail_alloc(krt *k, uint64_t n) { kp_fail_after(k->ctx->heap, n); }
uint64_t krt_trim(krt *k) { return kp_trim(k->ctx->heap); }
