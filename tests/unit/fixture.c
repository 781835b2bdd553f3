/* fixture.c: the per-test context of the unit suites (fixture.h). */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include "fixture.h"
#include "../../runtime/heap.h"
#include "../../lang/lang.h"

static kctx *fx_ctx;
static int fx_lang, fx_have_baseline;
static uint64_t fx_base;

uint64_t fx_in_use(void)
{
	kpool_stats s;
	kp_stats(kc->heap, &s);
	return s.in_use;
}

void fx_open(int lang)
{
	fx_ctx = kctx_open();
	ck_assert_ptr_nonnull(fx_ctx);
	kc = fx_ctx;
	fx_lang = lang;
	fx_have_baseline = 0;
	if (lang) ck_assert_int_eq(lang_open(), 0);
}

uint64_t fx_in_base(void) { return fx_base; }

void fx_baseline(void)
{
	fx_base = fx_in_use();
	fx_have_baseline = 1;
}

void fx_close(void)
{
	kerr_clear();
	if (fx_have_baseline) ck_assert_uint_eq(fx_in_use(), fx_base);
	if (fx_lang) lang_close();
	kpool *heap = fx_ctx->heap;
	kctx_close(fx_ctx);
	kc = NULL;
	ck_assert_uint_eq(kp_close(heap, 1), 0);
}

void fx_run(const char *src, char *out, size_t cap)
{
	kerr_clear();
	K r = eval_string(src, (int64_t)strlen(src));
	K s = r ? k_show(r) : NULL;       /* k_show fails only under fault injection */
	cd(r);
	if (s) snprintf(out, cap, "%.*s", (int)s->n, kC(s));
	else snprintf(out, cap, "!%s", kc->err ? kc->err : "?");
	cd(s);
	kerr_clear();
}
