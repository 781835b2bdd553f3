#define _GNU_SOURCE
/* net_http.c: the HTTP/1.1 server of krt -h.
 *
 * Each whole request (head, and a body of Content-Length bytes) is given
 * to .m.h: its request line ("GET /x HTTP/1.1") when .m.h is monadic, the
 * request line and the body when it is dyadic, as Kona gives it the first
 * line.  A string result is the body of a 200 response (any other value is
 * shown in its console form); an error is a 500 whose body is the error's
 * name; without .m.h the request head is echoed, as Kona does.  A request
 * that is not HTTP/1.x, has a malformed header or a bad Content-Length gets
 * 400, a chunked body 501, a head over 64 KiB 431, a body over the message
 * limit 413, and then the connection closes.  Connections stay open
 * (HTTP/1.1, or 1.0 with keep-alive) and pipelined requests are answered
 * in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include "net.h"

#define HEAD_MAX 65536

/* Queue a response; 0 or -1 (no memory: the connection is dropped). */
static int respond(kconn *c, int status, const char *reason, const char *body, size_t n, int keep)
{
	char head[256];
	int h = snprintf(head, sizeof head,
	                 "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n%s\r\n",
	                 status, reason, n, keep ? "" : "Connection: close\r\n");
	if (buf_reserve(&c->out, (size_t)h + n)) { net_drop(c, "out of memory for a response"); return -1; }
	memcpy(c->out.p + c->out.len, head, (size_t)h);
	if (n) memcpy(c->out.p + c->out.len + h, body, n);
	c->out.len += (size_t)h + n;
	if (!keep) c->close_after = 1;
	return 0;
}

static void refuse(kconn *c, int status, const char *reason)
{
	char body[64];
	int n = snprintf(body, sizeof body, "%s\n", reason);
	respond(c, status, reason, body, (size_t)n, 0);
}

/* What a request head says: its request line's length, the body's length
 * and whether the connection stays open.  0, or the status to refuse with. */
typedef struct head { size_t line; uint64_t body; int keep; } head;

static int parse_head(const char *s, size_t n, uint64_t limit, head *h)
{
	const char *eol = memchr(s, '\r', n);
	h->line = (size_t)(eol - s);
	const char *sp1 = memchr(s, ' ', h->line), *sp2 = sp1 ? memchr(sp1 + 1, ' ', h->line - (size_t)(sp1 + 1 - s)) : NULL;
	if (!sp1 || sp1 == s || !sp2 || sp2 == sp1 + 1 || eol - sp2 != 9 || memcmp(sp2 + 1, "HTTP/1.", 7)
	    || (sp2[8] != '0' && sp2[8] != '1'))
		return 400;
	for (const char *p = s; p < sp1; p++) if (*p < 'A' || *p > 'Z') return 400;
	int v11 = sp2[8] == '1';
	h->body = 0;
	h->keep = v11;
	const char *p = eol + 2, *end = s + n - 2;    /* the blank line's CRLF */
	while (p < end) {
		const char *e = memchr(p, '\r', (size_t)(end - p) + 1);
		if (!e || e[1] != '\n') return 400;
		const char *colon = memchr(p, ':', (size_t)(e - p));
		if (!colon || colon == p) return 400;
		const char *v = colon + 1;
		while (v < e && (*v == ' ' || *v == '\t')) v++;
		size_t name = (size_t)(colon - p), vn = (size_t)(e - v);
		while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t')) vn--;
		if (name == 14 && !strncasecmp(p, "Content-Length", 14)) {
			if (!vn || vn > 18) return 400;
			uint64_t b = 0;
			for (size_t i = 0; i < vn; i++) {
				if (v[i] < '0' || v[i] > '9') return 400;
				b = b * 10 + (uint64_t)(v[i] - '0');
			}
			if (b > limit) return 413;
			h->body = b;
		} else if (name == 17 && !strncasecmp(p, "Transfer-Encoding", 17)) {
			return 501;
		} else if (name == 10 && !strncasecmp(p, "Connection", 10)) {
			if (vn == 5 && !strncasecmp(v, "close", 5)) h->keep = 0;
			if (vn == 10 && !strncasecmp(v, "keep-alive", 10)) h->keep = 1;
		}
		p = e + 2;
	}
	return 0;
}

static const char *reason_of(int status)
{
	switch (status) {
	case 413: return "Payload Too Large";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	default: return "Bad Request";
	}
}

/* Run .m.h on one request and queue its answer. */
static void answer(kconn *c, const char *s, size_t headlen, const head *h)
{
	K f = msg_global(".m.h");
	if (!f) { respond(c, 200, "OK", s, headlen, h->keep); return; }
	K a[2] = { k_str(s, h->line), k_str(s + headlen, (size_t)h->body) };
	K r = NULL;
	if (a[0] && a[1]) {
		int two = f->t == KT_FUNC && fn_valence(f) == 2;
		if (!two) cd(a[1]);
		r = msg_call(c->fd, f, two ? 2 : 1, a);
	} else { cd(a[0]); cd(a[1]); }
	cd(f);
	if (r && r->t != -KT_CHAR && r->t != KT_CHAR) {
		K shown = k_show(r);
		cd(r);
		r = shown;
	}
	if (!r) {
		const char *e = kc->err ? kc->err : "wsfull";
		char body[300];
		int n = snprintf(body, sizeof body, "%s\n", e);
		kerr_clear();
		respond(c, 500, "Internal Server Error", body, (size_t)n, h->keep);
		return;
	}
	respond(c, 200, "OK", kC(r), (size_t)r->n, h->keep);
	cd(r);
}

void http_process(kconn *c)
{
	knet *n = KL->net;
	while (!c->dead && !c->close_after && !n->exiting) {
		const char *s = (const char *)c->in.p + c->in.pos;
		size_t have = c->in.len - c->in.pos;
		const char *end = memmem(s, have, "\r\n\r\n", 4);
		if (!end) {
			if (have > HEAD_MAX) refuse(c, 431, reason_of(431));
			break;
		}
		size_t headlen = (size_t)(end - s) + 4;
		if (headlen > HEAD_MAX) { refuse(c, 431, reason_of(431)); break; }
		head h;
		int bad = parse_head(s, headlen, n->limit, &h);
		if (bad) { refuse(c, bad, reason_of(bad)); break; }
		if (have - headlen < h.body) break;        /* the body is on its way */
		c->in.pos += headlen + (size_t)h.body;
		answer(c, s, headlen, &h);
	}
	if (!c->dead) conn_flush(c);
}
