/* api_session.c: what an interactive front end needs from a state:
 * interrupting a run, suspending at errors, where a parse error was, the
 * script arguments. */
#include <stdlib.h>
#include <string.h>
#include "api_priv.h"

void krt_interrupt(krt *k) { API_LIVE(k); k->ctx->interrupt = 1; }

int krt_error_pos(krt *k)
{
	API_LIVE(k);
	klang *l = k->ctx->lang;
	return l ? l->errpos : -1;
}

const char *krt_error_source(krt *k)
{
	API_LIVE(k);
	klang *l = k->ctx->lang;
	return l ? l->errsrc : NULL;
}

int krt_error_reported(krt *k)
{
	API_LIVE(k);
	klang *l = k->ctx->lang;
	return l && l->unwinding;
}

/* The language calls the hook with this, which it owns (freed with the
 * next krt_set_suspend, and by the front end's krt_set_suspend(k, NULL)). */
typedef struct suspension {
	krt *k;
	krt_suspend_fn hook;
	void *ud;
} suspension;

static K suspended(void *p)
{
	suspension *s = p;
	krt *k = s->k;
	/* leave the state while the front end runs: it re-enters through the
	 * API, and what it returns comes from its ledger */
	kctx *ctx = kc;
	krt *api = api_current;
	api_failed(k);            /* so that krt_error names it in the hook */
	/* the hook's own krt_exec calls clear the pending error: keep it for
	 * when the error goes on */
	const char *pending = ctx->err;
	char text[sizeof ctx->errbuf];
	if (pending == ctx->errbuf) memcpy(text, ctx->errbuf, sizeof text);
	K v = s->hook(k, s->ud);
	kc = ctx;
	api_current = api;
	if (v && !api_take(k, v)) v = NULL;
	if (!v) {
		if (pending == ctx->errbuf) kerr_text(text, strlen(text));
		else ctx->err = pending;
	}
	return v;
}

void krt_set_suspend(krt *k, krt_suspend_fn hook, void *ud)
{
	API_LIVE(k);
	klang *l = k->ctx->lang;
	free(l->suspend_ud);
	l->suspend_ud = NULL;
	l->suspend = NULL;
	if (!hook) return;
	suspension *s = malloc(sizeof *s);
	if (!s) return;
	*s = (suspension){ k, hook, ud };
	l->suspend_ud = s;
	l->suspend = suspended;
}

int krt_set_args(krt *k, int n, const char *const *args)
{
	API_ENTER(k);
	for (int i = 0; i < n; i++)
		if (!args || !args[i]) {
			api_null(k, "krt_set_args", args ? "an argument" : "args");
			API_LEAVE();
			return -1;
		}
	K a = n >= 0 ? k_list(n) : kerr("length");
	for (int i = 0; a && i < n; i++) {
		K s = k_cstr(args[i]);
		if (!s) { a->n = i; cd(a); a = NULL; break; }
		kK(a)[i] = s;
	}
	if (a) lang_set_args(a);
	else api_failed(k);
	API_LEAVE();
	return a ? 0 : -1;
}

int krt_incomplete(const char *src, size_t n) { return src ? lang_open_text(src, (int64_t)n) : 0; }
