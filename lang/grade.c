/* grade.c: the verbs that look at the order or the identity of items:
 * <x >x (grade up/down), =x (group) and ?x (unique).
 *
 * Grades are stable.  Ints, floats, chars and symbols become unsigned keys
 * whose order is the K order (floats: 0n first, then -0i ... 0i; symbols:
 * the rank of their name among the distinct names), then are sorted by
 * counting when the key range is small and by LSD radix (16-bit digits,
 * skipping digits all keys share) otherwise; grade down sorts the
 * complemented keys, which keeps equal items in their original order.
 * General lists are merge-sorted with Kona's list order: by type (vectors
 * before lists before atoms), then count, then items.
 *
 * Group and unique give each item a class number in order of first
 * appearance: a direct table for chars and small int ranges, else an open
 * addressing hash table; general lists hash deeply and compare with ~.
 * Floats are told apart exactly here (as Kona's ?x and =x do), not with the
 * comparison tolerance of ~ and x?y.
 */
#include "verbs.h"
#include <stdlib.h>

/* ---- keys --------------------------------------------------------------- */

/* Order-preserving unsigned key of an int. */
static inline uint64_t int_key(int64_t v) { return (uint64_t)v ^ 0x8000000000000000ULL; }

/* Order-preserving unsigned key of a float: NaN lowest, -0.0 as 0.0. */
static inline uint64_t float_key(double f)
{
	if (f != f) return 0;
	if (f == 0) f = 0;
	uint64_t b;
	memcpy(&b, &f, sizeof b);
	return (b & 0x8000000000000000ULL) ? ~b : b | 0x8000000000000000ULL;
}

/* ---- sorting keys ------------------------------------------------------- */

/* Stable sort of the permutation ix by keys k (both n long); uses the
 * scratch buffers k2, ix2.  Returns which buffer holds the result (0: ix,
 * 1: ix2), or -1 at a break. */
static int radix_sort(uint64_t *k, int64_t *ix, uint64_t *k2, int64_t *ix2, int64_t n, int64_t *count)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	int broke = 0;
	K_FOR_POLLED(i, n, broke) { if (k[i] < lo) lo = k[i]; if (k[i] > hi) hi = k[i]; }
	if (broke) return -1;
	uint64_t span = hi - lo;
	int which = 0;
	for (int shift = 0; shift < 64 && (span >> shift); shift += 16) {
		memset(count, 0, 65536 * sizeof(int64_t));
		K_BLOCKS(b, e, n) {
			if (k_broken()) return -1;
			for (int64_t i = b; i < e; i++) count[((k[i] - lo) >> shift) & 0xFFFF]++;
		}
		int64_t sum = 0;
		for (int d = 0; d < 65536; d++) { int64_t c = count[d]; count[d] = sum; sum += c; }
		K_BLOCKS(b, e, n) {
			if (k_broken()) return -1;
			for (int64_t i = b; i < e; i++) {
				int64_t p = count[((k[i] - lo) >> shift) & 0xFFFF]++;
				k2[p] = k[i];
				ix2[p] = ix[i];
			}
		}
		uint64_t *tk = k; k = k2; k2 = tk;
		int64_t *ti = ix; ix = ix2; ix2 = ti;
		which ^= 1;
	}
	return which;
}

/* Is a counting sort the way for n keys spanning span + 1 values? */
static int counting_fits(int64_t n, uint64_t span)
{
	return span < (uint64_t)n * 2 + 256 && span < ((uint64_t)1 << 26) && n < INT32_MAX;
}

/* Counting sort of n keys k (lo <= k[i] <= hi, compared as unsigned after
 * subtracting lo, so signed ints with lo their minimum work as well): the
 * stable grade into r, descending when `down` (the key hi - k[i]).  One
 * pass to count, one to place; 32-bit counts halve the table, which is
 * what the cache misses cost.  0, or -1 (break or wsfull). */
static int counting_grade(const uint64_t *k, int64_t n, uint64_t lo, uint64_t hi, int down, int64_t *r)
{
	/* the key of k[i] is (k[i] ^ flip) - start: k[i] - lo up, and down
	 * ~k[i] - ~hi, which is hi - k[i]; no branch per item */
	uint64_t span = hi - lo, flip = down ? UINT64_MAX : 0, start = down ? ~hi : lo;
	K count = k_new(-KT_INT, (int64_t)(span + 2) / 2);
	if (!count) return -1;
	uint32_t *c = (uint32_t *)kI(count);
	int bad = k_memset(c, 0, (size_t)(span + 1) * sizeof(uint32_t));
	K_BLOCKS(b, e, n) {
		if (bad || (bad = k_broken())) break;
		for (int64_t i = b; i < e; i++) c[(k[i] ^ flip) - start]++;
	}
	uint32_t sum = 0;
	for (uint64_t d = 0; !bad && d <= span; d++) { uint32_t t = c[d]; c[d] = sum; sum += t; }
	K_BLOCKS(b, e, n) {
		if (bad || (bad = k_broken())) break;
		for (int64_t i = b; i < e; i++) r[c[(k[i] ^ flip) - start]++] = i;
	}
	cd(count);
	return bad ? -1 : 0;
}

/* Grade of n keys (consumed: the K vector holding them is released). */
static K grade_keys(K keys, int down)
{
	int64_t n = keys->n;
	uint64_t *k = (uint64_t *)kI(keys);
	K r = k_new(-KT_INT, n), k2 = NULL, ix2 = NULL, count = NULL;
	if (!r) goto fail;
	uint64_t lo = UINT64_MAX, hi = 0;
	int broke = 0;
	K_FOR_POLLED(i, n, broke) { if (k[i] < lo) lo = k[i]; if (k[i] > hi) hi = k[i]; }
	if (broke) goto fail;
	uint64_t span = n ? hi - lo : 0;
	if (n < 2 || span == 0) {
		K_FOR_POLLED(i, n, broke) kI(r)[i] = i;
		if (broke) goto fail;
		goto done;
	}
	if (counting_fits(n, span)) {
		if (counting_grade(k, n, lo, hi, down, kI(r))) goto fail;
		goto done;
	}
	/* radix: grade down sorts the complemented keys */
	K_FOR_POLLED(i, n, broke) { kI(r)[i] = i; if (down) k[i] = ~k[i]; }
	if (broke) goto fail;
	k2 = k_new(-KT_INT, n);
	ix2 = k_new(-KT_INT, n);
	count = k_new(-KT_INT, 65536);
	if (!k2 || !ix2 || !count) goto fail;
	int which = radix_sort(k, kI(r), (uint64_t *)kI(k2), kI(ix2), n, kI(count));
	if (which < 0) goto fail;
	if (which) { K t = r; r = ix2; ix2 = t; }
done:
	cd(keys);
	cd(k2);
	cd(ix2);
	cd(count);
	return r;
fail:
	cd(r);
	r = NULL;
	goto done;
}

/* Grade of an int vector whose values span little enough for a counting
 * sort, straight from the values (no keys vector); 0 when they do not
 * (*out untouched), else 1 with the grade or NULL in *out.  Borrows x. */
static int grade_int_counting(K x, int down, K *out)
{
	int64_t n = x->n, lo, hi;
	if (n < 2) return 0;
	lo = hi = kI(x)[0];
	int broke = 0;
	K_FOR_POLLED(i, n, broke) {
		int64_t v = kI(x)[i];
		if (v < lo) lo = v;
		if (v > hi) hi = v;
	}
	uint64_t span = (uint64_t)hi - (uint64_t)lo;
	if (broke) { *out = NULL; return 1; }
	if (span == 0 || !counting_fits(n, span)) return 0;
	K r = k_new(-KT_INT, n);
	if (r && counting_grade((const uint64_t *)kI(x), n, (uint64_t)lo, (uint64_t)hi, down, kI(r))) {
		cd(r);
		r = NULL;
	}
	*out = r;
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Symbol keys: the rank of each name among the distinct names. */
static K sym_keys(K x)
{
	int64_t n = x->n, cap = 16, nu = 0;
	while (cap < 2 * n) cap <<= 1;
	K r = k_new(-KT_INT, n), tab = k_new(-KT_INT, cap), uniq = k_new(-KT_INT, n);
	K rank = k_new(-KT_INT, cap);
	if (!r || !tab || !uniq || !rank) goto fail;
	ksym *u = (ksym *)kI(uniq);
	int64_t *h = kI(tab), *slot_of = kI(r);
	if (k_memset(h, 0xff, (size_t)cap * sizeof *h)) goto fail;    /* all -1 */
	for (int64_t i = 0; i < n; i++) {
		ksym s = kS(x)[i];
		uint64_t p = ((uint64_t)(uintptr_t)s * 0x9e3779b97f4a7c15ULL >> 20) & (uint64_t)(cap - 1);
		while (h[p] >= 0 && u[h[p]] != s) p = (p + 1) & (uint64_t)(cap - 1);
		if (h[p] < 0) { h[p] = nu; u[nu++] = s; }
		slot_of[i] = (int64_t)p;
	}
	/* sort the distinct names, then give each table slot its rank */
	K sortk = k_new(-KT_INT, nu);
	if (!sortk) goto fail;
	ksym *sorted = (ksym *)kI(sortk);
	memcpy(sorted, u, (size_t)nu * sizeof(ksym));
	qsort(sorted, (size_t)nu, sizeof(ksym), cmp_str);
	for (int64_t j = 0; j < nu; j++) {
		ksym s = sorted[j];
		uint64_t p = ((uint64_t)(uintptr_t)s * 0x9e3779b97f4a7c15ULL >> 20) & (uint64_t)(cap - 1);
		while (u[h[p]] != s) p = (p + 1) & (uint64_t)(cap - 1);
		kI(rank)[p] = j;
	}
	cd(sortk);
	for (int64_t i = 0; i < n; i++) kI(r)[i] = kI(rank)[slot_of[i]];
	cd(tab);
	cd(uniq);
	cd(rank);
	return r;
fail:
	cd(r);
	cd(tab);
	cd(uniq);
	cd(rank);
	return NULL;
}

/* ---- general list order --------------------------------------------------- */

static int cmp_num(uint64_t a, uint64_t b) { return a < b ? -1 : a > b; }

/* Kona's order of K values: by type (signed), then by count (char vectors
 * compare lexicographically instead), then item by item. */
static int k_compare(K a, K b)
{
	if (!k_stack_ok()) { kerr("stack"); return 0; }
	if (a->t != b->t) return a->t < b->t ? -1 : 1;
	int t = a->t < 0 ? -a->t : a->t;
	if (t == KT_CHAR) {
		int64_t m = a->n < b->n ? a->n : b->n;
		int c = memcmp(kC(a), kC(b), (size_t)m);
		if (c) return c < 0 ? -1 : 1;
		return cmp_num((uint64_t)a->n, (uint64_t)b->n);
	}
	if (a->n != b->n) return a->n < b->n ? -1 : 1;
	for (int64_t i = 0; i < a->n; i++) {
		int c = 0;
		switch (t) {
		case KT_INT: c = cmp_num(int_key(kI(a)[i]), int_key(kI(b)[i])); break;
		case KT_FLOAT: c = cmp_num(float_key(kF(a)[i]), float_key(kF(b)[i])); break;
		case KT_SYM: c = strcmp(kS(a)[i], kS(b)[i]); c = (c > 0) - (c < 0); break;
		case KT_LIST: c = k_compare(kK(a)[i], kK(b)[i]); break;
		default: return 0;    /* dictionaries, functions, _n: unordered */
		}
		if (c) return c;
	}
	return 0;
}

/* Stable merge sort of ix[0..n) by the items of list x; tmp has room n.
 * 0, or -1 at a break. */
static int merge_sort(K x, int64_t *ix, int64_t *tmp, int64_t n, int down)
{
	if (n < 2) return 0;
	if (n < 16) {               /* insertion sort: stable */
		for (int64_t i = 1; i < n; i++) {
			int64_t v = ix[i], j = i;
			while (j > 0) {
				int c = k_compare(kK(x)[ix[j - 1]], kK(x)[v]);
				if (down ? c >= 0 : c <= 0) break;
				ix[j] = ix[j - 1];
				j--;
			}
			ix[j] = v;
		}
		return 0;
	}
	int64_t m = n / 2;
	if (merge_sort(x, ix, tmp, m, down) || merge_sort(x, ix + m, tmp, n - m, down)) return -1;
	memcpy(tmp, ix, (size_t)n * sizeof(int64_t));
	int64_t i = 0, j = m, o = 0;
	while (i < m && j < n) {
		if (!(o & (K_POLL_BLOCK - 1)) && k_broken()) return -1;
		int c = k_compare(kK(x)[tmp[j]], kK(x)[tmp[i]]);
		/* take the right item only when strictly before the left one */
		if (down ? c > 0 : c < 0) ix[o++] = tmp[j++];
		else ix[o++] = tmp[i++];
	}
	while (i < m) ix[o++] = tmp[i++];
	while (j < n) ix[o++] = tmp[j++];
	return 0;
}

static K grade(K x, int down)
{
	K r = NULL, keys = NULL;
	int64_t n = x->n;
	int broke = 0;
	if (x->t > 0) { kerr("rank"); goto fail; }
	switch (x->t) {
	case -KT_INT:
		if (grade_int_counting(x, down, &r)) { cd(x); return r; }
		keys = k_new(-KT_INT, n);
		if (!keys) goto fail;
		K_FOR_POLLED(i, n, broke) kI(keys)[i] = (int64_t)int_key(kI(x)[i]);
		break;
	case -KT_FLOAT:
		keys = k_new(-KT_INT, n);
		if (!keys) goto fail;
		K_FOR_POLLED(i, n, broke) kI(keys)[i] = (int64_t)float_key(kF(x)[i]);
		break;
	case -KT_CHAR:
		keys = k_new(-KT_INT, n);
		if (!keys) goto fail;
		K_FOR_POLLED(i, n, broke) kI(keys)[i] = (unsigned char)kC(x)[i];
		break;
	case -KT_SYM:
		keys = sym_keys(x);
		if (!keys) goto fail;
		break;
	default: {
		r = k_new(-KT_INT, n);
		K tmp = k_new(-KT_INT, n);
		if (!r || !tmp) { cd(tmp); cd(r); r = NULL; goto fail; }
		for (int64_t i = 0; i < n; i++) kI(r)[i] = i;
		int e = merge_sort(x, kI(r), kI(tmp), n, down);
		cd(tmp);
		cd(x);
		if (e) { cd(r); return NULL; }
		return r;
	}
	}
	cd(x);
	if (broke) { cd(keys); return NULL; }
	return grade_keys(keys, down);
fail:
	cd(x);
	return NULL;
}

K verb_gradeup(K x) { return grade(x, 0); }
K verb_gradedown(K x) { return grade(x, 1); }

/* ---- classes: each item's number in order of first appearance ---------- */

static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A deep walk of a hash or a comparison: its work since the last poll,
 * and whether it failed (a break, or the C stack at its end). */
struct walk {
	int64_t since;
	int failed;
};

/* May the walk w go on into one more value of n items?  0 when it has
 * failed, with the error recorded. */
static int walk_on(struct walk *w, int64_t n)
{
	if (w->failed) return 0;
	if (!k_stack_ok()) kerr("stack");
	else if (!k_broken_after(&w->since, n + 1)) return 1;
	w->failed = 1;
	return 0;
}

/* A deep hash agreeing with exact equality (floats by value, 0n as one). */
static uint64_t k_hash(K x, struct walk *w)
{
	uint64_t h = mix64((uint64_t)(x->t + 64) * 0x100000001b3ULL + (uint64_t)x->n);
	int t = x->t < 0 ? -x->t : x->t;
	if (t > KT_SYM || !walk_on(w, x->n)) return h;
	for (int64_t i = 0; i < x->n; i++) {
		uint64_t v;
		switch (t) {
		case KT_INT: v = (uint64_t)kI(x)[i]; break;
		case KT_FLOAT: v = float_key(kF(x)[i]); break;
		case KT_CHAR: v = (unsigned char)kC(x)[i]; break;
		case KT_SYM: v = (uint64_t)(uintptr_t)kS(x)[i]; break;
		default: v = k_hash(kK(x)[i], w); break;
		}
		h = mix64(h ^ v) + (uint64_t)i;
	}
	return h;
}

/* Items equal for grouping: exact on floats (0n equal to 0n), else ~. */
static int same_item(K a, K b, struct walk *w)
{
	if (a == b) return 1;
	if (a->t != b->t || a->n != b->n || !walk_on(w, a->n)) return 0;
	if (a->t == KT_FLOAT || a->t == -KT_FLOAT) {
		for (int64_t i = 0; i < a->n; i++)
			if (float_key(kF(a)[i]) != float_key(kF(b)[i])) return 0;
		return 1;
	}
	if (a->t == KT_LIST) {
		for (int64_t i = 0; i < a->n; i++)
			if (!same_item(kK(a)[i], kK(b)[i], w)) return 0;
		return 1;
	}
	return k_match(a, b);
}

/* The range [*lo, *lo + *span] of the values of x when it is a char
 * vector or an int vector whose values span little enough for a direct
 * table (1: use one), else 0; -1 at a break.  Borrows x. */
static int direct_range(K x, int64_t *lo, uint64_t *span)
{
	*lo = 0;
	*span = 255;
	if (x->t == -KT_CHAR) return 1;
	if (x->t != -KT_INT || !x->n) return 0;
	int64_t l = kI(x)[0], h = l;
	int broke = 0;
	K_FOR_POLLED(i, x->n, broke) {
		int64_t v = kI(x)[i];
		if (v < l) l = v;
		if (v > h) h = v;
	}
	if (broke) return -1;
	*lo = l;
	*span = (uint64_t)h - (uint64_t)l;
	return *span < (uint64_t)x->n * 4 + 1024;
}

/* Classes through a direct table d of span + 1 slots (value - lo), for
 * the char or int vector x, into o; the count of classes, or -1 at a
 * break.  Borrows x. */
static int64_t classes_direct(K x, int64_t lo, int64_t *d, uint64_t span, int64_t *o)
{
	int64_t c = 0, n = x->n;
	if (k_memset(d, 0xff, (size_t)(span + 1) * sizeof *d)) return -1;   /* all -1 */
	K_BLOCKS(b, e, n) {
		if (k_broken()) return -1;
		if (x->t == -KT_CHAR)
			for (int64_t i = b; i < e; i++) {
				int64_t *s = &d[(unsigned char)kC(x)[i]];
				o[i] = *s < 0 ? (*s = c++) : *s;
			}
		else
			for (int64_t i = b; i < e; i++) {
				int64_t *s = &d[(uint64_t)kI(x)[i] - (uint64_t)lo];
				o[i] = *s < 0 ? (*s = c++) : *s;
			}
	}
	return c;
}

/* The slot of item i of x in the open-addressing table h (mask + 1
 * slots holding classes; f[class] is the class's first item): the slot
 * of its class, or the empty one where it goes.  Borrows x. */
static uint64_t class_slot(K x, int64_t i, const int64_t *h, const int64_t *f, uint64_t mask)
{
	uint64_t p;
	switch (x->t) {
	case -KT_INT: {
		int64_t v = kI(x)[i];
		p = mix64((uint64_t)v) & mask;
		while (h[p] >= 0 && kI(x)[f[h[p]]] != v) p = (p + 1) & mask;
		return p;
	}
	case -KT_FLOAT: {
		uint64_t v = float_key(kF(x)[i]);
		p = mix64(v) & mask;
		while (h[p] >= 0 && float_key(kF(x)[f[h[p]]]) != v) p = (p + 1) & mask;
		return p;
	}
	default: {
		ksym v = kS(x)[i];
		p = mix64((uint64_t)(uintptr_t)v) & mask;
		while (h[p] >= 0 && kS(x)[f[h[p]]] != v) p = (p + 1) & mask;
		return p;
	}
	}
}

/* The slot of item i of the list x, as class_slot; hashes and
 * comparisons walk the items under w.  An item that is the one before
 * it (the same block, as `n#,x` makes) takes that one's hash. */
static uint64_t list_slot(K x, int64_t i, const int64_t *h, const int64_t *f, uint64_t mask,
			  struct walk *w, uint64_t *hash)
{
	K v = kK(x)[i];
	if (!i || v != kK(x)[i - 1]) *hash = k_hash(v, w);
	uint64_t p = *hash & mask;
	while (h[p] >= 0 && !same_item(kK(x)[f[h[p]]], v, w)) p = (p + 1) & mask;
	return p;
}

/* Classes through a hash table (any vector or list x) into o; the count
 * of classes, or -1 at a break or an error.  Borrows x. */
static int64_t classes_hashed(K x, int64_t *o)
{
	int64_t n = x->n, c = -1, cap = 16;
	while (cap < 2 * n) cap <<= 1;
	uint64_t mask = (uint64_t)cap - 1, hash = 0;
	K tab = k_new(-KT_INT, cap), first = k_new(-KT_INT, n);
	if (!tab || !first) goto done;
	int64_t *h = kI(tab), *f = kI(first);
	if (k_memset(h, 0xff, (size_t)cap * sizeof *h)) goto done;    /* all -1 */
	int64_t nc = 0;
	struct walk w = {0, 0};
	for (int64_t i = 0; i < n; i++) {
		if (!(i & (K_POLL_BLOCK - 1)) && k_broken()) goto done;
		uint64_t p = x->t == KT_LIST ? list_slot(x, i, h, f, mask, &w, &hash)
					     : class_slot(x, i, h, f, mask);
		if (w.failed) goto done;
		if (h[p] < 0) { h[p] = nc; f[nc++] = i; }
		o[i] = h[p];
	}
	c = nc;
done:
	cd(tab);
	cd(first);
	return c;
}

/* The class of each item of x (a vector or list) in r, first-appearance
 * order; the number of classes in *nc.  Borrows x. */
static K classes(K x, int64_t *nc)
{
	K r = k_new(-KT_INT, x->n), tab = NULL;
	if (!r) return NULL;
	int64_t lo;
	uint64_t span;
	int direct = direct_range(x, &lo, &span);
	if (direct > 0) {
		tab = k_new(-KT_INT, (int64_t)span + 1);
		*nc = tab ? classes_direct(x, lo, kI(tab), span, kI(r)) : -1;
		cd(tab);
	} else {
		*nc = direct < 0 ? -1 : classes_hashed(x, kI(r));
	}
	if (*nc < 0) { cd(r); return NULL; }
	return r;
}

/* =x: the indices of each distinct item, in order of first appearance.
 * Once the classes are known, one pass counts them and one writes each
 * index through a pointer per class into its group (a pointer, not a
 * count to add to the group's address: one load less per item). */
K verb_group(K x)
{
	K r = NULL, cls = NULL, at = NULL;
	if (x->t > 0) { kerr("rank"); goto fail; }
	int64_t n = x->n, nc;
	cls = classes(x, &nc);
	if (!cls) goto fail;
	at = k_new(-KT_INT, nc);
	r = k_list(nc);
	if (!at || !r) goto fail;
	/* each class's count, then where its next index goes */
	union { int64_t n; int64_t *next; } *g = (void *)kI(at);
	const int64_t *o = kI(cls);
	for (int64_t j = 0; j < nc; j++) g[j].n = 0;
	int broke = 0;
	K_FOR_POLLED(i, n, broke) g[o[i]].n++;
	if (broke) goto fail;
	for (int64_t j = 0; j < nc; j++) {
		if (!(kK(r)[j] = k_new(-KT_INT, g[j].n))) goto fail;
		g[j].next = kI(kK(r)[j]);
	}
	K_BLOCKS(b, e, n) {
		if (k_broken()) goto fail;
		for (int64_t i = b; i < e; i++) *g[o[i]].next++ = i;
	}
	cd(cls);
	cd(at);
	cd(x);
	return r;
fail:
	cd(r);
	cd(cls);
	cd(at);
	cd(x);
	return NULL;
}

/* ?x: the distinct items in order of first appearance. */
K verb_unique(K x)
{
	K r = NULL, cls = NULL;
	if (x->t > 0) { kerr("rank"); goto fail; }
	int64_t n = x->n, nc;
	cls = classes(x, &nc);
	if (!cls) goto fail;
	if (nc == n) { cd(cls); return x; }
	r = k_new(x->t, nc);
	if (!r) goto fail;
	size_t w = k_esize(x->t);
	int64_t *o = kI(cls), next = 0;
	for (int64_t i = 0; i < n; i++)
		if (o[i] == next) {
			memcpy(r->d + next * w, x->d + i * w, w);
			if (x->t == KT_LIST) ci(kK(r)[next]);
			next++;
		}
	if (x->t == -KT_CHAR) kC(r)[nc] = 0;
	cd(cls);
	cd(x);
	return r;
fail:
	cd(cls);
	cd(x);
	return NULL;
}
