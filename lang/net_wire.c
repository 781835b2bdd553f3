/* net_wire.c: Kona's message layout, byte for byte.
 *
 * A message is what _bd makes, with byte 7 of its header set to the type:
 *   byte 0     1 when the data is little-endian (the sender's order), else 0
 *   bytes 1..6 zero
 *   byte 7     0 async (3:), 1 sync (4:), 2 the response to a sync
 *   bytes 8..15 the byte count n of the value that follows, in the
 *              sender's order
 *   n bytes    the value in the net form of lang/sys_bin.c
 * A response holds (0;value) or (1;"error name").  A header with other
 * bytes set, a type above 2, a count below one value header, or a value
 * that does not use exactly n bytes, is malformed.
 */
#include "net.h"
#include "sysfn.h"

static int host_little(void) { const uint16_t one = 1; return *(const uint8_t *)&one == 1; }

static int64_t word(const unsigned char *p, int swap)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return (int64_t)(swap ? __builtin_bswap64(v) : v);
}

static int writable(K x)
{
	if (!k_stack_ok()) { kerr("stack"); return 0; }
	if (x->t == KT_FUNC || x->t == KT_NODE) { kerr("nonce"); return 0; }
	if (x->t == KT_LIST || x->t == KT_DICT)
		for (int64_t i = 0; i < x->n; i++) if (!writable(kK(x)[i])) return 0;
	return 1;
}

int wire_put(kbuf *b, K x, int type)
{
	if (!writable(x)) return -1;
	int64_t n = kbin_size(x, 0);
	if (n < 0) return -1;
	if (buf_reserve(b, NET_HEADER + (size_t)n)) { kerr("wsfull"); return -1; }
	unsigned char *h = b->p + b->len;
	memset(h, 0, NET_HEADER + (size_t)n);
	h[0] = (unsigned char)host_little();
	h[7] = (unsigned char)type;
	memcpy(h + 8, &n, 8);
	kbin_write(x, h + NET_HEADER, 0);
	b->len += NET_HEADER + (size_t)n;
	return 0;
}

int wire_peek(const kbuf *b, uint64_t limit, int *type, size_t *size, const char **why)
{
	size_t have = b->len - b->pos;
	const unsigned char *h = b->p + b->pos;
	if (have < NET_HEADER) return 0;
	if (h[0] > 1 || h[1] || h[2] || h[3] || h[4] || h[5] || h[6] || h[7] > MSG_RESPONSE) {
		*why = "malformed message header";
		return -1;
	}
	int64_t n = word(h + 8, (h[0] != 0) != host_little());
	if (n < 16) { *why = "malformed message header"; return -1; }
	if ((uint64_t)n > limit || (uint64_t)n > SIZE_MAX - NET_HEADER) {
		*why = "message larger than the limit";
		return -1;
	}
	*type = h[7];
	*size = NET_HEADER + (size_t)n;
	return have >= *size;
}

K wire_get(const unsigned char *p, size_t size)
{
	int swap = (p[0] != 0) != host_little();
	int64_t used = 0;
	K r = kbin_read(p + NET_HEADER, p + size, 0, swap, &used);
	if (r && (size_t)used != size - NET_HEADER) { cd(r); return kerr("length"); }
	return r;
}
