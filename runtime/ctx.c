/* ctx.c: the context (kctx): the thread-local current context `kc`, opening
 * and closing a context (its heap and symbol table), and the error state.
 *
 * kctx_open makes a heap and a symbol table; it does not make the new
 * context current (the API sets kc on entry).  kctx_close releases the
 * symbol table and the context, clears kc if it was current, and leaves the
 * heap to the caller, who closes it with kp_close(heap, report) and so gets
 * the leak count/report:
 *
 *     kpool *h = c->heap; kctx_close(c); leaks = kp_close(h, 1);
 *
 * KRT_FAIL_ALLOC=N in the environment arms fault injection on a new
 * context: its Nth allocation after opening (not counting the context's own
 * set-up) fails.
 *
 * Breaks: `interrupt` is set by krt_interrupt (from a signal handler or
 * another thread) and looked at by k_broken at poll points, once per block
 * of work in every loop that can run long.  A negative value arms the test
 * hook instead: the Nth poll from then on breaks, so that a test can break
 * a statement at each of its poll points in turn.
 */
#include "k.h"
#include "heap.h"
#include "sym_priv.h"

#include <stdlib.h>

_Thread_local kctx *kc __attribute__((tls_model("initial-exec")));

kctx *kctx_open(void)
{
	kctx *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->heap = kp_open();
	if (!c->heap)
		goto fail;
	c->syms = symtab_open(c->heap);
	if (!c->syms)
		goto fail;
	const char *fail = getenv("KRT_FAIL_ALLOC");
	if (fail && *fail)
		kp_fail_after(c->heap, strtoull(fail, NULL, 10));
	return c;
fail:
	if (c->heap)
		kp_close(c->heap, 0);
	free(c);
	return NULL;
}

void kctx_close(kctx *c)
{
	if (!c)
		return;
	symtab_close(c->syms);
	if (kc == c)
		kc = NULL;
	free(c);
}

const char k_break_mark[] = "break";

int k_break_now(void)
{
	if (kc->interrupt < 0 && --kc->break_countdown > 0)
		return 0;
	kc->interrupt = 0;
	kerr(k_break_mark);
	return 1;
}

void k_break_after(uint64_t n)
{
	kc->break_countdown = n;
	kc->interrupt = n ? -1 : 0;
}

void k_break_drop(void)
{
	if (kc->interrupt > 0)
		kc->interrupt = 0;
}

K kerr(const char *name)
{
	kc->err = name;
	return NULL;
}

K kerr_text(const char *s, size_t n)
{
	if (n > sizeof kc->errbuf - 1)
		n = sizeof kc->errbuf - 1;
	memmove(kc->errbuf, s, n);
	kc->errbuf[n] = 0;
	kc->err = kc->errbuf;
	return NULL;
}

void kerr_clear(void)
{
	kc->err = NULL;
	kc->errseq++;
}
