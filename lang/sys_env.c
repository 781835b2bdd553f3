/* sys_env.c: the system functions that look at the world outside the
 * values: environment variables (_getenv _setenv), host names and
 * addresses (_host), file sizes (_size), leaving the process (_exit), and
 * the nouns _a (script arguments) _d (current directory) _h (host name)
 * _k (build date) _s (heap statistics) and the ones that only make sense
 * with amend hooks, which krt does not have yet: _i _v (_n), _u (nyi); and
 * the network's _p (port listened on) and _w (sender of a message). */
#define _GNU_SOURCE       /* gethostname, setenv, getaddrinfo */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include "net.h"
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sysfn.h"
#include "../runtime/heap.h"

/* The C string of a char vector or symbol: borrowed from x (char vectors
 * end in NUL); NULL with "type" otherwise. */
static const char *c_text(K x)
{
	if (x->t == -KT_CHAR) return kC(x);
	if (x->t == KT_SYM) return kS(x)[0];
	kerr("type");
	return NULL;
}

/* _getenv name: the variable's value, or _n when it is not set. */
K sys_getenv(K x)
{
	K r = NULL;
	const char *name = c_text(x);
	if (!name) goto fail;
	const char *v = getenv(name);
	r = v ? k_cstr(v) : k_null();
fail:
	cd(x);
	return r;
}

/* name _setenv value. */
K sys_setenv(K x, K y)
{
	K r = NULL;
	const char *name = c_text(x);
	if (!name) goto fail;
	if (y->t != -KT_CHAR) { kerr("type"); goto fail; }
	if (!*name || strchr(name, '=')) { kerr("domain"); goto fail; }
	if (setenv(name, kC(y), 1)) { kerr("domain"); goto fail; }
	r = k_null();
fail:
	cd(x);
	cd(y);
	return r;
}

/* _host `name: its IPv4 address as an int; _host address: its name as a
 * symbol.  "value" when the lookup fails. */
K sys_host(K x)
{
	K r = NULL;
	if (x->t == KT_SYM) {
		struct addrinfo hint, *res = NULL;
		memset(&hint, 0, sizeof hint);
		hint.ai_family = AF_INET;
		hint.ai_socktype = SOCK_STREAM;
		if (getaddrinfo(kS(x)[0], NULL, &hint, &res) || !res) { kerr("value"); goto fail; }
		uint32_t a = ntohl(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr);
		freeaddrinfo(res);
		r = k_int((int64_t)a);
	} else if (x->t == KT_INT) {
		struct sockaddr_in sa;
		char host[1025];
		memset(&sa, 0, sizeof sa);
		sa.sin_family = AF_INET;
		sa.sin_addr.s_addr = htonl((uint32_t)kI(x)[0]);
		if (getnameinfo((struct sockaddr *)&sa, sizeof sa, host, sizeof host, NULL, 0, 0)) { kerr("value"); goto fail; }
		ksym s = sym_c(host);
		r = s ? k_symv(s) : NULL;
	} else kerr("type");
fail:
	cd(x);
	return r;
}

/* _size file: its size in bytes, as a float (as Kona); the system's
 * message is the error when the file cannot be read. */
K sys_size(K x)
{
	K r = NULL;
	const char *name = c_text(x);
	if (!name) goto fail;
	struct stat st;
	if (stat(name, &st)) {
		const char *m = strerror(errno);
		kerr_text(m, strlen(m));
		goto fail;
	}
	r = k_float((double)st.st_size);
fail:
	cd(x);
	return r;
}

/* _exit code: end the session with that status.  It unwinds like an
 * error that no trap catches, up to the console, script or API call, which
 * then exits (the library itself never ends the process). */
K sys_exit(K x)
{
	if ((x->t != KT_INT && x->t != -KT_INT) || x->n < 1) { cd(x); return kerr("type"); }
	KL->exit_status = (int)kI(x)[0];
	cd(x);
	kc->err = lang_exit_mark;
	return NULL;
}

/* ---- nouns (each is called with _n, which it consumes) ------------------- */

K sys_noun_a(K x)
{
	cd(x);
	return KL->args ? ci(KL->args) : k_list(0);
}

K sys_noun_d(K x) { cd(x); return k_symv(KL->dir); }

K sys_noun_h(K x)
{
	cd(x);
	char name[256];
	if (gethostname(name, sizeof name)) return kerr("domain");
	name[sizeof name - 1] = 0;
	ksym s = sym_c(name);
	return s ? k_symv(s) : NULL;
}

/* _k: the build date, yyyy-mm-dd, from the compiler's __DATE__ ("Mmm dd yyyy"). */
K sys_noun_k(K x)
{
	cd(x);
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *d = __DATE__;
	int month = 1;
	for (int i = 0; i < 12; i++) if (!strncmp(months + 3 * i, d, 3)) month = i + 1;
	char buf[32];
	snprintf(buf, sizeof buf, "%.4s-%02d-%c%c", d + 7, month, d[4] == ' ' ? '0' : d[4], d[5]);
	return k_cstr(buf);
}

/* _s: bytes in use, held from the OS, of which mapped directly, and the
 * peak in use (Kona's "used allocated mmapped max"). */
static K four(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	K r = k_new(-KT_INT, 4);
	if (!r) return NULL;
	kI(r)[0] = (int64_t)a;
	kI(r)[1] = (int64_t)b;
	kI(r)[2] = (int64_t)c;
	kI(r)[3] = (int64_t)d;
	return r;
}

K sys_noun_s(K x)
{
	cd(x);
	kpool_stats s;
	kp_stats(kc->heap, &s);
	return four(s.in_use, s.held, s.held_direct, s.peak);
}

K sys_noun_i(K x) { return x; }            /* _n: no amend in progress */
K sys_noun_v(K x) { return x; }
/* _p: the port krt listens on (0 when none); _w: the handle whose message
 * is being handled (0 outside a handler), as in Kona. */
K sys_noun_p(K x) { cd(x); knet *n = KL->net; return k_int(n ? n->lport : 0); }
K sys_noun_w(K x) { cd(x); knet *n = KL->net; return k_int(n ? n->who : 0); }
/* _c: the sender's IPv4 address as an int (this host's outside a handler). */
K sys_noun_c(K x) { cd(x); return k_int(net_client()); }
/* \w: krt's heap figures: bytes in use, held from the OS, the
 * peak in use, and the bytes trim has given back so far. */
K lang_heap_figures(void)
{
	kpool_stats s;
	kp_stats(kc->heap, &s);
	return four(s.in_use, s.held, s.peak, s.trimmed);
}

K sys_noun_u(K x) { cd(x); return kerr("nyi"); }
