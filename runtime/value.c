/* value.c: values as heap blocks: allocation (k_new), release (k_free,
 * children first and without recursion), room and growth (k_cap, k_resize),
 * copy on write (k_mut, k_copy), and the constructors of k.h.
 *
 * Ownership follows runtime/k.h: arguments are consumed and results are
 * new references unless the prototype says "borrows".
 */
#include "k.h"
#include "heap.h"
#include "heap_priv.h"

#define HDR ((size_t)sizeof(struct kval))

/* Debug builds check every block about to be released (double release). */
#ifdef KRT_DEBUG
#define CHECK_LIVE(h, x) kp_check_live((h), (x))
#else
#define CHECK_LIVE(h, x) ((void)0)
#endif

/* Element sizes by type, indexed by t + 4 (types -4 .. 8). */
static const uint8_t esize_of[13] = {
	[-4 + 4] = sizeof(ksym), [-3 + 4] = 1, [-2 + 4] = 8, [-1 + 4] = 8,
	[KT_LIST + 4] = sizeof(K), [KT_INT + 4] = 8, [KT_FLOAT + 4] = 8,
	[KT_CHAR + 4] = 1, [KT_SYM + 4] = sizeof(ksym), [KT_DICT + 4] = sizeof(K),
	[KT_NULL + 4] = 0, [KT_FUNC + 4] = sizeof(K), [KT_NODE + 4] = sizeof(K),
};

size_t k_esize(int t)
{
	return t >= -4 && t <= 8 ? esize_of[t + 4] : 0;
}

/* Bytes of the block for n elements of type t, 0 if it cannot exist.  Char
 * vectors get a byte more for their terminating NUL. */
static inline size_t block_bytes(int t, int64_t n)
{
	size_t es = k_esize(t);
	if (n < 0 || (es && (uint64_t)n > (SIZE_MAX / 2 - HDR) / es))
		return 0;
	return HDR + (size_t)n * es + (t == -KT_CHAR);
}

K k_new(int t, int64_t n)
{
	size_t size = block_bytes(t, n);
	K x = size ? kp_alloc(kc->heap, size) : NULL;
	if (!x)
		return kerr("wsfull");
	if (size > (size_t)1 << KP_MAX)
		kp_will_fill(x);        /* a new value's maker writes all of it */
	x->rc = 1;
	x->t = (int8_t)t;
	x->a = 0;
	x->u = 0;
	x->n = n;
	if (t == -KT_CHAR)
		kC(x)[n] = 0;
	return x;
}

/* The pending-release stack is threaded through the blocks themselves: a
 * nested block waiting to have its children released keeps the link to the
 * next waiting block in its child slot 0, whose child is let go before the
 * block is pushed.  So a list nested 10^6 deep, or 10^7 wide, is released
 * in a loop, with no C recursion and no allocation. */
static K push_release(K stack, K x)
{
	for (;;) {
		if (!k_nested(x->t) || x->n == 0) {
			kp_free(kc->heap, x);
			return stack;
		}
		K first = kK(x)[0];
		kK(x)[0] = stack;
		stack = x;
		if (!first || --first->rc != 0)
			return stack;
		CHECK_LIVE(kc->heap, first);
		x = first;
	}
}

void k_free(K x)
{
	kpool *heap = kc->heap;
	CHECK_LIVE(heap, x);
	if (!k_nested(x->t)) {
		kp_free(heap, x);
		return;
	}
	K stack = push_release(NULL, x);
	while (stack) {
		K b = stack;
		stack = kK(b)[0];
		K *kids = kK(b);
		for (int64_t i = 1, n = b->n; i < n; i++) {
			K c = kids[i];
			if (c && --c->rc == 0) {
				CHECK_LIVE(heap, c);
				stack = push_release(stack, c);
			}
		}
		kp_free(heap, b);
	}
}

int64_t k_cap(K x)
{
	size_t es = k_esize(x->t);
	if (!es)
		return x->n;
	return (int64_t)((kp_size(x) - HDR - (x->t == -KT_CHAR)) / es);
}

/* Release children n .. x->n-1 of a nested x that shrinks in place. */
static void drop_tail(K x, int64_t n)
{
	if (k_nested(x->t))
		for (int64_t i = n; i < x->n; i++)
			cd(kK(x)[i]);
}

/* A copy of x with count n: the first min(n, x->n) elements copied,
 * children ci'd.  Borrows x. */
static K copy_n(K x, int64_t n)
{
	K y = k_new(x->t, n);
	if (!y)
		return NULL;
	int64_t m = n < x->n ? n : x->n;
	memcpy(y->d, x->d, (size_t)m * k_esize(x->t));
	if (k_nested(x->t))
		for (int64_t i = 0; i < m; i++)
			ci(kK(y)[i]);
	y->a = x->a;
	y->u = x->u;
	return y;
}

int k_grow(K *px, int64_t n)
{
	K x = *px;
	if (n <= k_cap(x)) {
		drop_tail(x, n);
		x->n = n;
		if (x->t == -KT_CHAR)
			kC(x)[n] = 0;
		return 0;
	}
	size_t size = block_bytes(x->t, n);
	if (!size) {
		kerr("wsfull");
		return -1;
	}
	/* Direct blocks grow by at least half, so that appending one item at a
	 * time stays amortised O(1) there too (lanes double by themselves). */
	if (x->lane == KP_DIRECT) {
		size_t grown = kp_size(x) + kp_size(x) / 2;
		if (grown > size)
			size = grown;
	}
	/* kp_realloc leaves the block as it was when it fails */
	K y = kp_realloc(kc->heap, x, size, HDR + (size_t)x->n * k_esize(x->t));
	if (!y) {
		kerr("wsfull");
		return -1;
	}
	y->n = n;
	if (y->t == -KT_CHAR)
		kC(y)[n] = 0;
	*px = y;
	return 0;
}

K k_resize(K x, int64_t n)
{
	if (!x)
		return NULL;
	if (x->rc != 1) {
		K y = copy_n(x, n);
		cd(x);
		return y;
	}
	if (k_grow(&x, n)) {
		cd(x);
		return NULL;
	}
	return x;
}

K k_copy(K x)
{
	return copy_n(x, x->n);
}

K k_mut(K x)
{
	if (!x || x->rc == 1)
		return x;
	K y = k_copy(x);
	cd(x);
	return y;
}

/* ---- constructors ----------------------------------------------------- */

K k_int(int64_t i)
{
	K x = k_new(KT_INT, 1);
	if (x)
		kI(x)[0] = i;
	return x;
}

K k_float(double f)
{
	K x = k_new(KT_FLOAT, 1);
	if (x)
		kF(x)[0] = f;
	return x;
}

K k_char(char c)
{
	K x = k_new(KT_CHAR, 1);
	if (x)
		kC(x)[0] = c;
	return x;
}

K k_symv(ksym s)
{
	K x = k_new(KT_SYM, 1);
	if (x)
		kS(x)[0] = s;
	return x;
}

K k_null(void)
{
	return k_new(KT_NULL, 1);
}

K k_str(const char *s, size_t n)
{
	K x = k_new(-KT_CHAR, (int64_t)n);
	if (x && n)
		memcpy(kC(x), s, n);
	return x;
}

K k_cstr(const char *s)
{
	return k_str(s, strlen(s));
}

int k_memset(void *p, int c, size_t n)
{
	const size_t step = (size_t)K_POLL_BLOCK * 64;    /* 4 MiB */
	for (size_t at = 0; at < n; at += step) {
		if (at && k_broken())
			return -1;
		memset((char *)p + at, c, n - at < step ? n - at : step);
	}
	return 0;
}

K k_list(int64_t n)
{
	K x = k_new(KT_LIST, n);
	if (x && n > 0 && k_memset(kK(x), 0, (size_t)n * sizeof(K))) {
		x->n = 0;         /* children not all set: none to release */
		cd(x);
		return NULL;
	}
	return x;
}

K k_enlist(K x)
{
	if (!x)
		return NULL;
	int t = x->t;
	if (t >= KT_INT && t <= KT_SYM) {
		K v = k_new(-t, 1);
		if (v)
			memcpy(v->d, x->d, k_esize(t));
		cd(x);
		return v;
	}
	K v = k_new(KT_LIST, 1);
	if (!v) {
		cd(x);
		return NULL;
	}
	kK(v)[0] = x;
	return v;
}
