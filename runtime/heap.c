/* heap.c: KPOOL, the block allocator under every krt value.
 *
 * Memory allocation strategy
 * --------------------------
 * A block of lane r is 2^r bytes, header included, for r = KP_MIN (64 B)
 * .. KP_MAX (32 MiB); the lane of a size is ceil(log2(size)), found with a
 * count-leading-zeros builtin.  Each lane below the fit lanes (see below)
 * keeps a singly linked free list threaded through the first word of its
 * free cells, so that allocating is a pop and freeing a push, plus two
 * counters (the lane's live cells and the pool's bytes in use, with its
 * peak).  Nothing else is on those paths.
 *
 * An empty free list is refilled from the lane's current chunk.  Lanes below
 * 2^20 take 1 MiB chunks aligned on 1 MiB, so that the chunk of any cell is
 * found from its address (a hash table maps addr >> 20 to the chunk); lanes
 * 2^20 .. 2^25 map each cell on its own (a "chunk" of one cell).  A chunk is
 * carved lazily, about a page at a time, so untouched cells cost no RSS.
 * Blocks above 2^25 are mapped directly (lane byte KP_DIRECT) behind a
 * 32-byte prefix linking them in a list, and grown with mremap.
 *
 * A freed direct mapping is kept for reuse, as OSv keeps pages in its
 * L1/L2 page caches between watermarks: unmapping 80 MB and mapping it again
 * costs a page fault per 4 KiB page touched (+/!10000000 took 65 ms, 40 of
 * them faults; with the cache 25 ms).  The cache keeps up to DCACHE_SLOTS
 * mappings, oldest first; a new one that would pass the high watermark,
 * max(DCACHE_MIN, the most direct bytes live at once since kp_trim), first
 * sends the oldest back until the cache is under the low one (half the
 * high), so it never holds more than the program itself had live.  A
 * request takes the smallest cached mapping large enough, cut to size with
 * mremap, else grows the largest with mremap (its resident pages move, no
 * fault).  Mappings not reused between two automatic trim looks go back
 * (idle), kp_trim and the heap limit send all back, and their bytes count
 * in `held` (so in the limit) all the while.  A fresh mapping that its
 * maker will fill (kp_will_fill, from k_new) asks for transparent huge
 * pages: a fault per 2 MiB, not per 4 KiB (the first touch of 80 MB on a
 * busy VM: 250-320 ms, with huge pages 5-35 ms); not every mapping, since
 * one touched sparsely would be resident 2 MiB at a time (the allocator
 * trace's huge blocks, one byte touched per MiB: 72 -> 196 MB peak RSS).
 * Cells of 4 MiB and more (lanes above HUGE_SHIFT, each mapped on its
 * own) always ask for them: their blocks are over 2 MiB, so at most one
 * partly used huge page is resident beyond what a block asked for, and a
 * fresh 8 MB vector costs no 4 KiB faults (v+v on 10^6 ints in make
 * bench: 0.7-1.2 ms -> 0.22-0.30 ms; <v 9.5-11.4 -> 6.2-7.6 ms).
 *
 * Fit lanes (2^16 .. 2^25) keep their free cells by what is resident.  A
 * power-of-two cell holds blocks of half its size up to all of it, so a
 * cell reused by a smaller block keeps the pages a larger one touched: on
 * the allocator benchmark's trace that slack, and free cells of one lane
 * idle while another maps new ones, made the pool's resident set half as
 * large again as what its live blocks asked for.  So each fit cell has an
 * extent (the 4 KiB units its blocks asked for since it was carved or
 * purged, kept beside what its live block asked for in the chunk table),
 * each fit lane has FIT_BUCKETS free lists by extent (in eighths of the
 * cell), and take_fit picks the cell that touches the fewest new pages and
 * leaves the least slack: of this lane or the next one up (a block of 40
 * KiB may get a 128 KiB cell whose first 48 KiB are resident; kp_size says
 * 128 KiB, so the block is honestly a lane-17 block), else grows one.
 * Pages about to be touched for the first time are mapped with one
 * madvise(MADV_POPULATE_WRITE), cheaper than a fault per page.  When the
 * cells' extents pass a budget, the most their live blocks asked for plus
 * 2^-KP_SLACK, a reused cell gives back the pages beyond what it is asked
 * for (madvise MADV_DONTNEED; the mapping and `held` stay).  Free cells are
 * not purged automatically: a page given back and touched again costs a
 * fault (about 1.6 us on the benchmark machine, against 0.15 us for the
 * madvise), and purging free cells by age or past a budget cost the trace
 * more time than any other choice; kp_purge (and kp_trim) do it on request.
 * Measured on the trace (peak RSS / ns per op, medians of 5; glibc 73.2 MB
 * / 31, mimalloc 85.4 MB / 14.7; before the fit lanes 98.5 MB / 16.6):
 * KP_SLACK 0 (never give back) 90.6 / 16.0; 3: 75.6 / 17.4; 4 (the
 * default, the only one under glibc's RSS): 72.0 / 20.0.
 *
 * Trim gives whole chunks whose cells are all free back to the OS.  Chunks
 * keep no free counts on the hot paths: a trim pass counts the free cells of
 * each chunk by walking the free lists, picks fully free chunks, rebuilds
 * the lists without their cells, and unmaps them.  kp_trim does this at
 * once; the automatic trim runs when free pooled memory passes a high
 * watermark, max(retain, 3 x live) (free above 3/4 of what the pools hold),
 * and drains to a low one, max(retain / 2, live / 3) (free under 1/4).  The
 * gap between the two is the hysteresis; `retain` adapts it to waves: every
 * byte mapped again after a trim gave it back raises retain by one (up to
 * RETAIN_MAX), so a repeating wave maps and unmaps once and then no more;
 * each automatic trim lets retain decay a quarter of the way back to
 * RETAIN_MIN, and kp_trim resets it.  The free path only decrements a byte
 * budget; the watermarks are looked at when it runs out, and the budget is
 * sized so that the free memory cannot pass the high watermark unseen.
 *
 * Statistics are exact: per-lane live counters and the cells each lane
 * holds (free = held - live; cells not yet carved count as free), bytes in
 * use and peak kept on every alloc/free, bytes held kept on every map (a
 * purge keeps the mapping: `held` counts it, kp_os_counters the purges).
 *
 * Debug builds (KRT_DEBUG) keep the free-list link at offset 16 instead of
 * 0 so that a freed cell keeps its lane and type; freed cells are marked
 * (rc 1, a = 0xFD, n = FREED_MAGIC) and their data poisoned with 0xDB.  A
 * second release of a marked cell is reported with address and type and
 * aborts; the rc of 1 makes a stray cd() land in that check.
 *
 * The limit (kp_set_limit) bounds the bytes held from the OS, with a
 * reserve past it so that a full heap can always be emptied: chunks of the
 * small lanes may pass the limit by KP_RESERVE_SMALL at any time, and
 * anything by KP_RESERVE_OPEN more while kp_reserve holds it open (the
 * language opens it to read, parse and show a statement and for the
 * commands that free memory).  A statement at the limit that needs a few
 * small blocks (a:0, deleting a name, \w) so still runs; one that eats the
 * small reserve fails, its temporaries go back, and the next one parses.
 *
 * All state lives in the kpool object (itself mapped from the OS): no
 * globals, so pools in different threads never share anything.
 */
#define _GNU_SOURCE
#include "heap.h"
#include "heap_priv.h"
#include "k.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHUNK_SHIFT 20                      /* chunks of small lanes: 1 MiB */
#define CHUNK_BYTES ((size_t)1 << CHUNK_SHIFT)
#define CARVE_BYTES 4096                    /* carve about a page at a time */
#define DIRECT_PREFIX 32                    /* links before a direct block */
#define DCACHE_SLOTS 8                      /* freed direct mappings kept */
#define DCACHE_MIN ((uint64_t)128 << 20)    /* least high watermark of that cache */
#define RETAIN_MIN ((uint64_t)64 << 20)     /* free bytes auto trim keeps */
#define RETAIN_MAX ((uint64_t)512 << 20)
#define CHECK_STEP ((int64_t)1 << 20)       /* least bytes freed between looks */
#define HUGE_SHIFT 21                       /* log2 of a huge page */
#define FIT_LANE 16                         /* lanes that keep cells by extent */
#define FIT_BUCKETS 8                       /* extent classes of a fit lane */
#define FIT_CELLS 16                        /* fit cells in a chunk at most */
#define EXT_SHIFT 12                        /* extents count 4 KiB units */
#define FIT_UP 1                            /* lanes up a request may go */
/* Fit lanes may touch up to 2^-KP_SLACK more than the most their live
 * blocks asked for, plus SLACK_MIN; past that a reused cell gives back the
 * pages beyond what it is asked for, if they are 2^-KP_SLACK of the cell
 * or more.  0: never give pages back.  See "Memory allocation strategy". */
#ifndef KP_SLACK
#define KP_SLACK 4
#endif
#define SLACK_MIN ((uint64_t)512)           /* 2 MiB, in 4 KiB units */
#define POPULATE_MIN 4                      /* populate 16 KiB or more at once */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23              /* Linux 5.14 */
#endif

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#ifdef KRT_DEBUG
#define LINK_OFF 16
#define FREED_MAGIC ((int64_t)0x7EEDF7EEDF7EEDF7)
#define FREED_MARK 0xFD
#else
#define LINK_OFF 0
#endif
#define LINK(c) (*(void **)((char *)(c) + LINK_OFF))
#define TOMB UINTPTR_MAX

/* One chunk of a lane, in the pool's chunk table (keyed by base >> 20). */
struct kchunk {
	uintptr_t key;          /* base >> CHUNK_SHIFT; 0: empty; TOMB: removed */
	char *base;
	size_t len;
	uint32_t nfree;         /* trim scratch: free cells counted */
	uint8_t lane;
	uint8_t doomed;         /* trim scratch: to be unmapped */
	uint16_t ext[FIT_CELLS];  /* fit lanes: per cell, 4 KiB units touched */
	uint16_t use[FIT_CELLS];  /* fit lanes: per live cell, units asked for */
};

struct klane {
	void *free;             /* head of the free list (lanes < FIT_LANE) */
	uint64_t live;          /* cells handed out */
	uint64_t cells;         /* cells held (live + listed + uncarved) */
	char *bump, *end;       /* uncarved rest of the current chunk */
};

struct kfit {                   /* the free cells of a fit lane */
	void *list[FIT_BUCKETS];        /* by extent class */
	unsigned mask;                  /* bit b: list[b] is not empty */
};

struct kdirect {                /* prefix of a directly mapped block */
	struct kdirect *prev, *next;
	size_t maplen;
};

struct kcached {                /* a freed direct mapping kept for reuse */
	void *map;
	size_t len;
	int fresh;              /* freed or kept since the last automatic look */
};

struct kpool {
	struct klane lane[KP_MAX + 1];
	struct kfit fit[KP_MAX + 1];    /* used from FIT_LANE on */
	uint64_t in_use, peak;
	int64_t check_budget;   /* bytes to free before the next trim look */
	uint64_t fail_after;    /* fault injection countdown; 0 off */
	uint64_t held_pooled, held_direct, direct_live, trimmed;
	uint64_t limit;
	int reserve_open;       /* kp_reserve nesting: the reserve may be drawn on */
	struct kdirect *direct;
	/* freed direct mappings, oldest first; their bytes count in held_direct */
	struct kcached dcache[DCACHE_SLOTS];
	int ndcache;
	uint64_t dcached;       /* bytes in dcache */
	uint64_t direct_peak;   /* most direct bytes live at once since kp_trim */
	struct kchunk *chunks;  /* open addressing, linear probing */
	size_t nchunks, ntombs, chunk_cap;
	size_t page;
	/* automatic trim */
	uint64_t retain;        /* free bytes kept: the low watermark's floor */
	uint64_t trim_credit;   /* bytes auto-trimmed and not mapped again yet */
	/* fit lanes, in 4 KiB units */
	uint64_t fit_ext;       /* sum of the cells' extents: what is touched */
	uint64_t fit_use;       /* sum of what live cells were asked for */
	uint64_t fit_peak;      /* highest fit_use seen since kp_trim */
	int populate;           /* MADV_POPULATE_WRITE works */
	char *chunk_hint;       /* where the next small-lane chunk may go */
	kpool_os os;
};

/* ---- lanes ------------------------------------------------------------ */

static inline int lane_of(size_t size)
{
	if (size <= ((size_t)1 << KP_MIN))
		return KP_MIN;
	return 64 - __builtin_clzll((unsigned long long)(size - 1));
}

int kp_lane(size_t size) { return lane_of(size); }

size_t kp_size(const void *b)
{
	const struct kval *x = b;
	if (x->lane == KP_DIRECT) {
		const struct kdirect *d = (const struct kdirect *)((const char *)b - DIRECT_PREFIX);
		return d->maplen - DIRECT_PREFIX;
	}
	return (size_t)1 << x->lane;
}

/* Transparent huge pages only for a block its maker fills: a direct
 * mapping touched one byte per MiB (as the allocator trace touches its
 * huge blocks) would become resident 2 MiB at a time. */
void kp_will_fill(void *b)
{
	const struct kval *x = b;
	if (x->lane == KP_DIRECT) {
		struct kdirect *d = (struct kdirect *)((char *)b - DIRECT_PREFIX);
		madvise(d, d->maplen, MADV_HUGEPAGE);
	}
}

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

uint64_t kp_block_bytes(size_t size)
{
	int r = lane_of(size);
	if (r <= KP_MAX)
		return (uint64_t)1 << r;
	return round_up(size + DIRECT_PREFIX, (size_t)sysconf(_SC_PAGESIZE));
}

/* ---- the chunk table -------------------------------------------------- */

static inline size_t chunk_hash(uintptr_t key, size_t cap)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

static struct kchunk *chunk_find(kpool *p, const void *cell)
{
	uintptr_t key = (uintptr_t)cell >> CHUNK_SHIFT;
	for (size_t i = chunk_hash(key, p->chunk_cap);; i = (i + 1) & (p->chunk_cap - 1)) {
		if (p->chunks[i].key == key)
			return &p->chunks[i];
		if (p->chunks[i].key == 0)
			return NULL;
	}
}

static inline int chunk_used(const struct kchunk *c) { return c->key && c->key != TOMB; }

static void chunk_put(struct kchunk *tab, size_t cap, const struct kchunk *c)
{
	size_t i = chunk_hash(c->key, cap);
	while (tab[i].key)
		i = (i + 1) & (cap - 1);
	tab[i] = *c;
}

/* Rebuild the table at capacity `cap`, dropping removed chunks. */
static int chunk_rebuild(kpool *p, size_t cap)
{
	struct kchunk *t = mmap(NULL, cap * sizeof *t, PROT_READ | PROT_WRITE,
	                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t == MAP_FAILED)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < p->chunk_cap; i++)
		if (chunk_used(&p->chunks[i])) {
			chunk_put(t, cap, &p->chunks[i]);
			n++;
		}
	if (p->chunks)
		munmap(p->chunks, p->chunk_cap * sizeof *t);
	p->chunks = t;
	p->chunk_cap = cap;
	p->nchunks = n;
	p->ntombs = 0;
	return 0;
}

/* ---- talking to the OS ------------------------------------------------ */

/* Past the limit: a reserve, so that a full heap can always be emptied.
 * Small lanes (those of 1 MiB chunks) may map KP_RESERVE_SMALL beyond the
 * limit at any time, enough for the statements that free memory (a:0,
 * deleting a name) and for small work besides; while kp_reserve holds the
 * reserve open (reading and parsing a statement, showing a value, \w,
 * \trim, \\), anything may map KP_RESERVE_OPEN more.  So a statement that
 * fills the small reserve fails, its temporaries go, and the next one
 * still parses; the limit can be passed by at most the two together. */
static int over_limit(kpool *p, size_t more, int small)
{
	if (!p->limit)
		return 0;
	uint64_t cap = p->limit + (small ? KP_RESERVE_SMALL : 0) + (p->reserve_open ? KP_RESERVE_OPEN : 0);
	return p->held_pooled + p->held_direct + more > cap;
}

static uint64_t trim(kpool *p, uint64_t keep_free);

/* May the pool map `more` bytes (for a small lane's chunk: `small`)?  Past
 * the limit, trim first. */
static int may_map(kpool *p, size_t more, int small)
{
	if (!over_limit(p, more, small))
		return 1;
	trim(p, 0);
	return !over_limit(p, more, small);
}

static void *os_map(kpool *p, size_t len)
{
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	p->os.maps++;
	return m;
}

static void os_unmap(kpool *p, void *m, size_t len)
{
	munmap(m, len);
	p->os.unmaps++;
}

/* A 1 MiB-aligned chunk for a small lane.  The kernel places a new mapping
 * below the previous one, so the 1 MiB right below the last chunk is
 * usually free and aligned: ask for it there first (MAP_FIXED_NOREPLACE;
 * a kernel without it takes the address as a hint).  Otherwise map twice
 * the size and cut the ends off.  Each munmap costs a TLB flush on every
 * CPU the process ran on, so opening a state (six chunks) used to cost
 * twelve more of them than it needs. */
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000        /* Linux 4.17 */
#endif
static char *map_aligned_chunk(kpool *p)
{
	char *m;
	if (p->chunk_hint) {
		m = mmap(p->chunk_hint, CHUNK_BYTES, PROT_READ | PROT_WRITE,
		         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (m == p->chunk_hint)
			goto got;
		if (m != MAP_FAILED)
			munmap(m, CHUNK_BYTES);
	}
	m = mmap(NULL, 2 * CHUNK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	char *a = (char *)round_up((uintptr_t)m, CHUNK_BYTES);
	if (a > m)
		munmap(m, (size_t)(a - m));
	if (a + CHUNK_BYTES < m + 2 * CHUNK_BYTES)
		munmap(a + CHUNK_BYTES, (size_t)(m + 2 * CHUNK_BYTES - (a + CHUNK_BYTES)));
	m = a;
got:
	p->os.maps++;
	p->chunk_hint = (uintptr_t)m > CHUNK_BYTES ? m - CHUNK_BYTES : NULL;
	return m;
}

/* Give lane r a new chunk; 0 on success. */
static int lane_grow(kpool *p, int r)
{
	struct klane *L = &p->lane[r];
	size_t len = r < CHUNK_SHIFT ? CHUNK_BYTES : (size_t)1 << r;
	if (!may_map(p, len, r < CHUNK_SHIFT))
		return -1;
	if ((p->nchunks + p->ntombs + 1) * 2 > p->chunk_cap &&
	    chunk_rebuild(p, p->chunk_cap == 0 ? 64 : (p->nchunks + 1) * 4 > p->chunk_cap ? 2 * p->chunk_cap : p->chunk_cap) != 0)
		return -1;
	char *m = r < CHUNK_SHIFT ? map_aligned_chunk(p) : os_map(p, len);
	if (!m)
		return -1;
	if (r > HUGE_SHIFT)
		madvise(m, len, MADV_HUGEPAGE);
	struct kchunk c = { .key = (uintptr_t)m >> CHUNK_SHIFT, .base = m, .len = len, .lane = (uint8_t)r };
	chunk_put(p->chunks, p->chunk_cap, &c);
	p->nchunks++;
	L->bump = m;
	L->end = m + len;
	L->cells += len >> r;
	p->held_pooled += len;
	if (p->trim_credit) {
		/* mapping again what a trim gave back: a wave; retain more */
		uint64_t back = len < p->trim_credit ? len : p->trim_credit;
		p->trim_credit -= back;
		p->retain = p->retain + back < RETAIN_MAX ? p->retain + back : RETAIN_MAX;
	}
	return 0;
}

/* ---- debug marks ------------------------------------------------------ */

#ifdef KRT_DEBUG
static void mark_freed(void *b, int r)
{
	struct kval *x = b;
	size_t sz = (size_t)1 << r, poison = sz < 65536 ? sz : 65536;
	memset((char *)b + LINK_OFF + sizeof(void *), 0xDB, poison - LINK_OFF - sizeof(void *));
	x->rc = 1;
	x->lane = (uint8_t)r;
	x->a = FREED_MARK;
	x->n = FREED_MAGIC;
}

static int is_freed(const void *b)
{
	const struct kval *x = b;
	return x->a == FREED_MARK && x->n == FREED_MAGIC;
}
#endif

void kp_check_live(kpool *p, const void *b)
{
	(void)p;
#ifdef KRT_DEBUG
	if (b && is_freed(b)) {
		const struct kval *x = b;
		fprintf(stderr, "krt: double release of block %p (lane %d, type %d)\n",
		        b, x->lane, x->t);
		abort();
	}
#else
	(void)b;
#endif
}

/* ---- allocation ------------------------------------------------------- */

static inline void count_alloc(kpool *p, uint64_t bytes)
{
	p->in_use += bytes;
	if (p->in_use > p->peak)
		p->peak = p->in_use;
}

/* ---- the cache of freed direct mappings ------------------------------- */

/* Drop cached mapping i from the cache (its bytes stay in held_direct). */
static struct kcached dcache_take(kpool *p, int i)
{
	struct kcached c = p->dcache[i];
	memmove(&p->dcache[i], &p->dcache[i + 1], (size_t)(p->ndcache - i - 1) * sizeof c);
	p->ndcache--;
	p->dcached -= c.len;
	return c;
}

static void dcache_unmap(kpool *p, int i)
{
	struct kcached c = dcache_take(p, i);
	p->held_direct -= c.len;
	os_unmap(p, c.map, c.len);
}

/* Unmap cached mappings: all (idle_only 0), or those not used since the
 * last look, marking the rest for the next one.  Returns bytes unmapped. */
static uint64_t dcache_drain(kpool *p, int idle_only)
{
	uint64_t got = 0;
	for (int i = p->ndcache - 1; i >= 0; i--) {
		if (idle_only && p->dcache[i].fresh) {
			p->dcache[i].fresh = 0;
			continue;
		}
		got += p->dcache[i].len;
		dcache_unmap(p, i);
	}
	return got;
}

/* A freed direct mapping: into the cache, or back to the OS. */
static void dcache_put(kpool *p, void *m, size_t len)
{
	uint64_t high = p->direct_peak > DCACHE_MIN ? p->direct_peak : DCACHE_MIN;
	if (len > high || (p->limit && p->held_pooled + p->held_direct > p->limit)) {
		p->held_direct -= len;
		os_unmap(p, m, len);
		return;
	}
	if (p->dcached + len > high || p->ndcache == DCACHE_SLOTS)
		while (p->ndcache && (p->dcached + len > high / 2 || p->ndcache == DCACHE_SLOTS))
			dcache_unmap(p, 0);     /* oldest first, down to the low mark */
	p->dcache[p->ndcache++] = (struct kcached){ m, len, 1 };
	p->dcached += len;
}

/* A mapping of len bytes made from the cache, or NULL: the smallest cached
 * one that is large enough, cut to len; else the largest, grown to len. */
static void *dcache_get(kpool *p, size_t len)
{
	int best = -1, big = -1;
	for (int i = 0; i < p->ndcache; i++) {
		size_t l = p->dcache[i].len;
		if (l >= len && (best < 0 || l < p->dcache[best].len))
			best = i;
		if (big < 0 || l > p->dcache[big].len)
			big = i;
	}
	if (best < 0 && big < 0)
		return NULL;
	struct kcached c = dcache_take(p, best >= 0 ? best : big);
	if (c.len == len)
		return c.map;
	if (c.len < len && !may_map(p, len - c.len, 0)) {
		p->held_direct -= c.len;
		os_unmap(p, c.map, c.len);
		return NULL;
	}
	void *m = mremap(c.map, c.len, len, c.len < len ? MREMAP_MAYMOVE : 0);
	if (m == MAP_FAILED) {
		p->held_direct -= c.len;
		os_unmap(p, c.map, c.len);
		return NULL;
	}
	p->held_direct += len - c.len;  /* may wrap below zero and back: unsigned */
	return m;
}

__attribute__((noinline)) static void *alloc_direct(kpool *p, size_t size)
{
	size_t len = round_up(size + DIRECT_PREFIX, p->page);
	if (len < size)
		return NULL;
	struct kdirect *d = p->ndcache ? dcache_get(p, len) : NULL;
	if (d) {
		p->held_direct -= len;  /* counted again below */
	} else {
		if (!may_map(p, len, 0))
			return NULL;
		d = os_map(p, len);
		if (!d)
			return NULL;
	}
	d->maplen = len;
	d->prev = NULL;
	d->next = p->direct;
	if (p->direct)
		p->direct->prev = d;
	p->direct = d;
	p->held_direct += len;
	p->direct_live++;
	count_alloc(p, len);
	if (p->held_direct - p->dcached > p->direct_peak)
		p->direct_peak = p->held_direct - p->dcached;
	struct kval *x = (struct kval *)((char *)d + DIRECT_PREFIX);
	x->lane = KP_DIRECT;
	return x;
}

/* ---- fit lanes -------------------------------------------------------- */

/* The extent of a fit cell: how many 4 KiB units from its start the blocks
 * it held asked for, the most since it was carved or purged.  Those pages
 * are (as far as the pool knows) resident; the rest of the cell is not. */
static inline uint16_t *ext_of(kpool *p, const void *c, int r)
{
	struct kchunk *k = chunk_find(p, c);
	return &k->ext[(size_t)((const char *)c - k->base) >> r];
}

/* Give back the pages of fit cell c (lane r, extent *e) from `from` units
 * on (rounded up to a page), with madvise(MADV_DONTNEED), unless the extent
 * ends there already: the mapping stays and reads back as zeros.  Returns
 * the bytes of the range given back. */
static uint64_t purge_cell(kpool *p, char *c, int r, uint16_t *e, uint64_t from)
{
	/* up to the end of the cell, not of the extent: a block may use all
	 * of its cell (kp_size says so), as k_resize does when it appends */
	size_t start = round_up((size_t)from << EXT_SHIFT, p->page), end = (size_t)1 << r;
	if (start >= ((size_t)*e << EXT_SHIFT) || start >= end ||
	    madvise(c + start, end - start, MADV_DONTNEED) != 0)
		return 0;
	uint64_t left = start >> EXT_SHIFT;
	p->fit_ext -= *e - left;
	*e = (uint16_t)left;
	p->os.purges++;
	p->os.purged += end - start;
	return end - start;
}

/* Bytes from..size of fit cell c are about to be written for the first
 * time (since carved or purged): map them in one call, which costs about
 * two thirds of taking their page faults one by one.  Older kernels lack
 * MADV_POPULATE_WRITE; the pool then stops asking. */
static void populate(kpool *p, char *c, size_t from, size_t size)
{
	from = round_up(from, p->page);
	size = round_up(size, p->page);
	if (size > from && madvise(c + from, size - from, MADV_POPULATE_WRITE) != 0 && errno == EINVAL)
		p->populate = 0;
}

/* The most units fit cells may touch: the most live ones asked for (since
 * kp_trim), plus 2^-KP_SLACK of it, plus 2 MiB; no bound if KP_SLACK is 0. */
static inline uint64_t fit_budget(const kpool *p)
{
	return KP_SLACK ? p->fit_peak + (p->fit_peak >> KP_SLACK) + SLACK_MIN : UINT64_MAX;
}

static inline uint64_t ext_units(size_t size)
{
	return (size + ((size_t)1 << EXT_SHIFT) - 1) >> EXT_SHIFT;
}

/* The class of an extent of e units in a cell of lane r: b when e lies in
 * (b, b + 1] eighths of the cell; 0 also for e = 0. */
static inline int ext_class(uint64_t e, int r)
{
	if (e == 0)
		return 0;
	uint64_t b = ((e * FIT_BUCKETS - 1) << EXT_SHIFT) >> r;
	return b < FIT_BUCKETS ? (int)b : FIT_BUCKETS - 1;
}

static void fit_push(struct kfit *F, void *c, int b)
{
	LINK(c) = F->list[b];
	F->list[b] = c;
	F->mask |= 1u << b;
}

static void *fit_pop(struct kfit *F, int b)
{
	void *c = F->list[b];
	F->list[b] = LINK(c);
	if (!F->list[b])
		F->mask &= ~(1u << b);
	return c;
}

/* The free fit lists of lane r whose class is at least that of e units. */
static inline unsigned fits(const struct kfit *F, uint64_t e, int r)
{
	return F->mask & ~((1u << ext_class(e, r)) - 1);
}

/* A cell for `size` bytes from fit lane *lane, chosen so that as few new
 * pages as possible get touched: a free cell of the lane whose extent
 * covers the size (the smallest such class), else one of the next lane up
 * that does (*lane is then raised: the block is a cell of that lane), else
 * the lane's free cell of the largest extent, else a new cell. */
static void *take_fit(kpool *p, size_t size, int *lane)
{
	int r = *lane, best = -1, bb = 0;
	uint64_t need = ext_units(size), slack = UINT64_MAX;
	struct klane *L = &p->lane[r];
	void *c;
	for (int q = r; q <= r + FIT_UP && q <= KP_MAX; q++) {
		unsigned m = fits(&p->fit[q], need, q);
		if (!m)
			continue;
		int b = __builtin_ctz(m);
		uint64_t top = ((uint64_t)(b + 1) << q) / FIT_BUCKETS;   /* extent at most */
		if (top - ((uint64_t)need << EXT_SHIFT) < slack || slack == UINT64_MAX) {
			slack = top - ((uint64_t)need << EXT_SHIFT);
			best = q;
			bb = b;
		}
	}
	struct kfit *F = &p->fit[r];
	unsigned below = F->mask & ((1u << ext_class(need, r)) - 1);
	if (best >= 0 && below && p->fit_ext > fit_budget(p)) {
		/* over budget the slack would be given back, and maybe touched
		 * again: growing a cell of the lane a little costs less */
		int b = 31 - __builtin_clz(below);
		uint64_t grow = ((uint64_t)need << EXT_SHIFT) - (((uint64_t)b << r) / FIT_BUCKETS);
		if (grow < slack)
			best = -1;
	}
	if (best >= 0) {
		r = best;
		c = fit_pop(&p->fit[r], bb);
	} else if (F->mask) {
		c = fit_pop(F, 31 - __builtin_clz(F->mask));
	} else {
		if (L->bump == L->end && lane_grow(p, r) != 0)
			return NULL;
		c = L->bump;
		L->bump += (size_t)1 << r;
#ifdef KRT_DEBUG
		mark_freed(c, r);       /* as a carved small cell is, for the check */
#endif
	}
	struct kchunk *k = chunk_find(p, c);
	size_t i = (size_t)((char *)c - k->base) >> r;
	k->use[i] = (uint16_t)need;
	p->fit_use += need;
	if (p->fit_use > p->fit_peak)
		p->fit_peak = p->fit_use;
	if (k->ext[i] < need) {
		if (need - k->ext[i] >= POPULATE_MIN && p->populate)
			populate(p, c, (size_t)k->ext[i] << EXT_SHIFT, size);
		p->fit_ext += need - k->ext[i];
		k->ext[i] = (uint16_t)need;
	} else if (p->fit_ext > fit_budget(p) &&
	           k->ext[i] - need >= (((uint64_t)1 << r) >> (EXT_SHIFT + KP_SLACK))) {
		purge_cell(p, c, r, &k->ext[i], need);  /* the pages past what is asked */
	}
	*lane = r;
	return c;
}

/* The free list of lane r is empty, lane r is a fit lane, or fault
 * injection is armed, or this is a debug build: carve cells from the
 * current chunk, mapping a new one when it is used up. */
__attribute__((noinline)) static void *alloc_slow(kpool *p, size_t size)
{
	if (p->fail_after && --p->fail_after == 0)
		return NULL;
	int r = lane_of(size);
	if (r > KP_MAX)
		return alloc_direct(p, size);
	struct klane *L = &p->lane[r];
	void *c;
	if (r >= FIT_LANE) {
		c = take_fit(p, size, &r);
		if (!c)
			return NULL;
		L = &p->lane[r];
		goto got;
	}
	if (!L->free) {
		if (L->bump == L->end && lane_grow(p, r) != 0)
			return NULL;
		/* thread about a page of cells onto the list */
		size_t cs = (size_t)1 << r;
		char *stop = L->bump + (cs >= CARVE_BYTES ? cs : CARVE_BYTES);
		if (stop > L->end)
			stop = L->end;
		void *head = NULL;
		for (char *cell = stop - cs; cell >= L->bump; cell -= cs) {
			LINK(cell) = head;
#ifdef KRT_DEBUG
			mark_freed(cell, r);
#endif
			head = cell;
		}
		L->bump = stop;
		L->free = head;
	}
	c = L->free;
	L->free = LINK(c);
got:
#ifdef KRT_DEBUG
	if (!is_freed(c)) {
		fprintf(stderr, "krt: heap corrupted: free cell %p of lane %d was written to\n", c, r);
		abort();
	}
	((struct kval *)c)->a = 0;      /* no longer marked freed */
	((struct kval *)c)->n = 0;
#endif
	L->live++;
	count_alloc(p, (uint64_t)1 << r);
	((struct kval *)c)->lane = (uint8_t)r;
	return c;
}

void *kp_alloc(kpool *p, size_t size)
{
	int r = lane_of(size);
#ifndef KRT_DEBUG
	if (likely(r <= KP_MAX)) {
		struct klane *L = &p->lane[r];
		void *c = L->free;
		if (likely(c != NULL && p->fail_after == 0)) {
			void *next = LINK(c);
			L->free = next;
			__builtin_prefetch(next, 1);    /* the next pop's link, warm */
			L->live++;
			count_alloc(p, (uint64_t)1 << r);
			((struct kval *)c)->lane = (uint8_t)r;
			return c;
		}
	}
#else
	(void)r;
#endif
	return alloc_slow(p, size);
}

/* ---- release ---------------------------------------------------------- */

static void trim_check(kpool *p);

__attribute__((noinline)) static void free_direct(kpool *p, void *b)
{
	struct kdirect *d = (struct kdirect *)((char *)b - DIRECT_PREFIX);
	if (d->prev)
		d->prev->next = d->next;
	else
		p->direct = d->next;
	if (d->next)
		d->next->prev = d->prev;
	p->direct_live--;
	p->in_use -= d->maplen;
	dcache_put(p, d, d->maplen);
}

/* A direct block, or a cell of a fit lane: onto the list of its extent. */
__attribute__((noinline)) static void free_large(kpool *p, void *b, int r)
{
	if (r > KP_MAX) {
		free_direct(p, b);
		return;
	}
	struct klane *L = &p->lane[r];
	uint64_t sz = (uint64_t)1 << r;
	struct kchunk *k = chunk_find(p, b);
	size_t i = (size_t)((char *)b - k->base) >> r;
	p->fit_use -= k->use[i];
	k->use[i] = 0;
	fit_push(&p->fit[r], b, ext_class(k->ext[i], r));
	L->live--;
	p->in_use -= sz;
	if ((p->check_budget -= (int64_t)sz) < 0)
		trim_check(p);
}

void kp_free(kpool *p, void *b)
{
	int r = ((struct kval *)b)->lane;
#ifdef KRT_DEBUG
	if (r <= KP_MAX) {
		kp_check_live(p, b);
		if (r < KP_MIN) {
			fprintf(stderr, "krt: release of a block %p with a bad lane %d\n", b, r);
			abort();
		}
		mark_freed(b, r);
	}
#endif
	if (unlikely(r >= FIT_LANE)) {
		free_large(p, b, r);
		return;
	}
	struct klane *L = &p->lane[r];
	uint64_t sz = (uint64_t)1 << r;
	LINK(b) = L->free;
	L->free = b;
	L->live--;
	p->in_use -= sz;
	if (unlikely((p->check_budget -= (int64_t)sz) < 0))
		trim_check(p);
}

void *kp_realloc(kpool *p, void *b, size_t size, size_t keep)
{
	struct kval *x = b;
	if (x->lane != KP_DIRECT) {
		if (lane_of(size) <= x->lane) {
			if (x->lane >= FIT_LANE) {      /* the block may touch more now */
				struct kchunk *k = chunk_find(p, b);
				size_t i = (size_t)((char *)b - k->base) >> x->lane;
				uint64_t need = ext_units(size);
				if (k->use[i] < need) {
					p->fit_use += need - k->use[i];
					k->use[i] = (uint16_t)need;
					if (p->fit_use > p->fit_peak)
						p->fit_peak = p->fit_use;
				}
				if (k->ext[i] < need) {
					p->fit_ext += need - k->ext[i];
					k->ext[i] = (uint16_t)need;
				}
			}
			return b;
		}
		void *nb = kp_alloc(p, size);
		if (!nb)
			return NULL;
		int nl = ((struct kval *)nb)->lane;
		memcpy(nb, b, keep);
		((struct kval *)nb)->lane = (uint8_t)nl;
		kp_free(p, b);
		return nb;
	}
	struct kdirect *d = (struct kdirect *)((char *)b - DIRECT_PREFIX);
	if (size + DIRECT_PREFIX <= d->maplen)
		return b;
	if (p->fail_after && --p->fail_after == 0)
		return NULL;
	size_t len = round_up(size + DIRECT_PREFIX, p->page);
	if (len < size || !may_map(p, len - d->maplen, 0))
		return NULL;
	size_t old = d->maplen;
	struct kdirect *nd = mremap(d, old, len, MREMAP_MAYMOVE);
	if (nd == MAP_FAILED)
		return NULL;
	p->os.maps++;
	nd->maplen = len;
	if (nd->prev)
		nd->prev->next = nd;
	else
		p->direct = nd;
	if (nd->next)
		nd->next->prev = nd;
	p->held_direct += len - old;
	count_alloc(p, len - old);
	return (char *)nd + DIRECT_PREFIX;
}

/* ---- purge ------------------------------------------------------------ */

/* Give back the pages of every free fit cell but the first (the link, and
 * in debug builds the freed mark, stay there).  Not automatic: a page given
 * back and touched again costs a page fault (1.6 us here, against 0.15 us
 * for the madvise), and purging free cells, by age or past a budget, cost
 * the allocator benchmark far more than the memory was worth; the slack of
 * reused cells is what take_fit gives back.  kp_trim calls this. */
uint64_t kp_purge(kpool *p)
{
	uint64_t got = 0, keep = ext_units(p->page);
	for (int r = FIT_LANE; r <= KP_MAX; r++) {
		struct kfit *F = &p->fit[r];
		void *all = NULL, *next;
		for (int b = 0; b < FIT_BUCKETS; b++)       /* gather every list */
			while (F->list[b]) {
				void *c = fit_pop(F, b);
				LINK(c) = all;
				all = c;
			}
		for (char *c = all; c; c = next) {
			next = LINK(c);
			uint16_t *e = ext_of(p, c, r);
			got += purge_cell(p, c, r, e, keep);
			fit_push(F, c, ext_class(*e, r));
		}
	}
	return got;
}

/* ---- trim ------------------------------------------------------------- */

/* The free lists of a lane: 0 the fast one (lanes < FIT_LANE), 1 + b the
 * fit list of extent class b (fit lanes). */
#define NLISTS (1 + FIT_BUCKETS)
static inline void **lane_list(kpool *p, int r, int i)
{
	return i == 0 ? &p->lane[r].free : &p->fit[r].list[i - 1];
}

/* Bytes of live direct blocks (held_direct less the cached mappings). */
static uint64_t direct_in_use(kpool *p) { return p->held_direct - p->dcached; }

static uint64_t pooled_free(kpool *p)
{
	return p->held_pooled - (p->in_use - direct_in_use(p));
}

/* Unmap fully free chunks while the pools' free bytes exceed keep_free.
 * Returns bytes released. */
static uint64_t trim(kpool *p, uint64_t keep_free)
{
	/* all the way down (the heap limit, kp_trim): cached mappings first */
	uint64_t cached = keep_free ? 0 : dcache_drain(p, 0);
	if (!p->nchunks || pooled_free(p) <= keep_free)
		return cached;
	for (size_t i = 0; i < p->chunk_cap; i++) {
		p->chunks[i].nfree = 0;
		p->chunks[i].doomed = 0;
	}
	for (int r = KP_MIN; r <= KP_MAX; r++)
		for (int i = 0; i < NLISTS; i++)
			for (void *c = *lane_list(p, r, i); c; c = LINK(c))
				chunk_find(p, c)->nfree++;
	uint64_t excess = pooled_free(p) - keep_free, released = 0;
	uint32_t touched = 0;
	for (size_t i = 0; i < p->chunk_cap && released < excess; i++) {
		struct kchunk *c = &p->chunks[i];
		if (!chunk_used(c))
			continue;
		struct klane *L = &p->lane[c->lane];
		int current = L->bump >= c->base && L->bump <= c->base + c->len && L->end == c->base + c->len;
		size_t carved = current ? (size_t)(L->bump - c->base) >> c->lane : c->len >> c->lane;
		if (c->nfree != carved)
			continue;
		c->doomed = 1;
		released += c->len;
		if (c->lane >= FIT_LANE)
			for (size_t j = 0; j < FIT_CELLS; j++)
				p->fit_ext -= c->ext[j];
		touched |= (uint32_t)1 << c->lane;
		if (current)
			L->bump = L->end = NULL;
		L->cells -= c->len >> c->lane;
	}
	if (!released)
		return cached;
	for (int r = KP_MIN; r <= KP_MAX; r++) {
		if (!(touched & ((uint32_t)1 << r)))
			continue;
		for (int i = 0; i < NLISTS; i++) {
			void **tail = lane_list(p, r, i);
			for (void *c = *tail; c; c = LINK(c))
				if (!chunk_find(p, c)->doomed) {
					*tail = c;
					tail = &LINK(c);
				}
			*tail = NULL;
			if (i > 0 && !p->fit[r].list[i - 1])
				p->fit[r].mask &= ~(1u << (i - 1));
		}
	}
	for (size_t i = 0; i < p->chunk_cap; i++)
		if (chunk_used(&p->chunks[i]) && p->chunks[i].doomed) {
			os_unmap(p, p->chunks[i].base, p->chunks[i].len);
			p->chunks[i].key = TOMB;
			p->nchunks--;
			p->ntombs++;
		}
	p->held_pooled -= released;
	p->trimmed += released;
	p->os.trims++;
	return released + cached;
}

static uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* The free budget ran out: look at the watermarks. */
__attribute__((noinline)) static void trim_check(kpool *p)
{
	dcache_drain(p, 1);     /* direct mappings not reused since the last look */
	uint64_t live = p->in_use - direct_in_use(p), freeb = pooled_free(p);
	uint64_t high = max64(p->retain, 3 * live);
	if (freeb > high) {
		uint64_t got = trim(p, max64(p->retain / 2, live / 3));
		if (!got) {
			/* fragmented: nothing whole to give; look again much later */
			p->check_budget = (int64_t)max64((uint64_t)CHECK_STEP, p->held_pooled / 2);
			return;
		}
		p->os.auto_trims++;
		p->trim_credit = p->trim_credit + got < RETAIN_MAX ? p->trim_credit + got : RETAIN_MAX;
		p->retain -= (p->retain - RETAIN_MIN) / 4;   /* slow decay */
		freeb -= got;
		high = max64(p->retain, 3 * live);
	}
	/* A free of s bytes raises free - 3 live by 4s (and free by s): with
	 * this budget, free cannot pass the high watermark unseen. */
	uint64_t gap = high > freeb ? high - freeb : 0;
	p->check_budget = (int64_t)max64((uint64_t)CHECK_STEP, gap / 4);
}

uint64_t kp_trim(kpool *p)
{
	uint64_t got = trim(p, 0);
	kp_purge(p);            /* and the pages of what is left free */
	p->retain = RETAIN_MIN;
	p->trim_credit = 0;
	p->fit_peak = p->fit_use;
	p->direct_peak = direct_in_use(p);
	return got;
}

/* ---- the pool --------------------------------------------------------- */

kpool *kp_open(void)
{
	kpool *p = mmap(NULL, sizeof *p, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, sizeof *p);
	p->page = (size_t)sysconf(_SC_PAGESIZE);
	p->retain = RETAIN_MIN;
	p->check_budget = CHECK_STEP;
	p->populate = 1;
	return p;
}

/* List live blocks on stderr: cells of each chunk that are carved and not
 * on a free list (marked in a scratch bitmap), then direct blocks. */
static void report_leaks(kpool *p)
{
	size_t bits = CHUNK_BYTES >> KP_MIN, words = bits / 64;
	size_t len = p->chunk_cap * words * sizeof(uint64_t);
	uint64_t *map = len ? mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : NULL;
	if (map == MAP_FAILED) {
		fprintf(stderr, "krt: leak report: no memory to list live blocks\n");
		map = NULL;
	}
	if (map) {
		for (int r = KP_MIN; r <= KP_MAX; r++)
			for (int i = 0; i < NLISTS; i++)
				for (char *c = *lane_list(p, r, i); c; c = LINK(c)) {
					struct kchunk *k = chunk_find(p, c);
					size_t slot = (size_t)(k - p->chunks), cell = (size_t)(c - k->base) >> r;
					map[slot * words + cell / 64] |= (uint64_t)1 << (cell % 64);
				}
		for (size_t i = 0; i < p->chunk_cap; i++) {
			struct kchunk *k = &p->chunks[i];
			if (!chunk_used(k))
				continue;
			struct klane *L = &p->lane[k->lane];
			char *stop = L->bump >= k->base && L->bump <= k->base + k->len && L->end == k->base + k->len
			             ? L->bump : k->base + k->len;
			size_t cs = (size_t)1 << k->lane;
			for (char *c = k->base; c < stop; c += cs) {
				size_t cell = (size_t)(c - k->base) >> k->lane;
				if (map[i * words + cell / 64] & ((uint64_t)1 << (cell % 64)))
					continue;
				struct kval *x = (struct kval *)c;
				fprintf(stderr, "krt: leak: block %p lane %d type %d count %lld\n",
				        (void *)c, k->lane, x->t, (long long)x->n);
			}
		}
		munmap(map, len);
	}
	for (struct kdirect *d = p->direct; d; d = d->next) {
		struct kval *x = (struct kval *)((char *)d + DIRECT_PREFIX);
		fprintf(stderr, "krt: leak: block %p lane direct (%zu bytes) type %d count %lld\n",
		        (void *)x, d->maplen, x->t, (long long)x->n);
	}
}

static int by_base(const void *a, const void *b)
{
	const struct kchunk *x = a, *y = b;
	return x->base < y->base ? -1 : x->base > y->base;
}

/* Unmap every chunk, neighbours (as map_aligned_chunk places them) in one
 * call: closing a small state then costs one TLB flush, not one a chunk.
 * The chunk table is left unusable. */
static void unmap_chunks(kpool *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->chunk_cap; i++)
		if (chunk_used(&p->chunks[i]))
			p->chunks[n++] = p->chunks[i];
	if (n)
		qsort(p->chunks, n, sizeof *p->chunks, by_base);
	for (size_t i = 0; i < n;) {
		char *base = p->chunks[i].base;
		size_t len = p->chunks[i].len;
		for (i++; i < n && p->chunks[i].base == base + len; i++)
			len += p->chunks[i].len;
		munmap(base, len);
	}
}

uint64_t kp_close(kpool *p, int report)
{
	if (!p)
		return 0;
	uint64_t live = p->direct_live;
	for (int r = KP_MIN; r <= KP_MAX; r++)
		live += p->lane[r].live;
	if (report && live)
		report_leaks(p);
	unmap_chunks(p);
	if (p->chunks)
		munmap(p->chunks, p->chunk_cap * sizeof *p->chunks);
	for (struct kdirect *d = p->direct, *next; d; d = next) {
		next = d->next;
		munmap(d, d->maplen);
	}
	dcache_drain(p, 0);
	munmap(p, sizeof *p);
	return live;
}

/* ---- statistics, limits, checks --------------------------------------- */

void kp_stats(kpool *p, kpool_stats *s)
{
	memset(s, 0, sizeof *s);
	s->in_use = p->in_use;
	s->held = p->held_pooled + p->held_direct;
	s->held_direct = p->held_direct;
	s->direct_cached = p->dcached;
	s->peak = p->peak;
	s->trimmed = p->trimmed;
	for (int r = KP_MIN; r <= KP_MAX; r++) {
		s->live[r] = p->lane[r].live;
		s->free[r] = p->lane[r].cells - p->lane[r].live;
	}
	s->direct_live = p->direct_live;
}

void kp_os_counters(kpool *p, kpool_os *o)
{
	*o = p->os;
	o->retain = p->retain;
}

void kp_set_limit(kpool *p, uint64_t bytes) { p->limit = bytes; }

void kp_reserve(kpool *p, int open) { p->reserve_open += open ? 1 : -1; }

void kp_fail_after(kpool *p, uint64_t n) { p->fail_after = n; }

/* Walk every free list: each cell must lie in a chunk of its lane, on a
 * cell boundary, in the carved part; (debug) carry the freed mark; small
 * lanes use only the fast list and fit lanes only the fit lists, each cell
 * on the list of its extent's class, and the lane's mask names the lists
 * that are not empty; the lists must be as long as the lane's free count
 * minus uncarved cells. */
int kp_verify(kpool *p)
{
	int bad = 0;
	for (int r = KP_MIN; r <= KP_MAX && !bad; r++) {
		struct klane *L = &p->lane[r];
		uint64_t uncarved = (uint64_t)(L->end - L->bump) >> r;
		uint64_t expect = L->cells - L->live - uncarved, n = 0;
		for (int i = 0; i < NLISTS && !bad; i++) {
			if ((*lane_list(p, r, i) && (i == 0) != (r < FIT_LANE)) ||
			    (i > 0 && !*lane_list(p, r, i) != !(p->fit[r].mask & (1u << (i - 1))))) {
				fprintf(stderr, "krt: kp_verify: lane %d: list %d: wrong list or mask\n", r, i);
				bad = 1;
				break;
			}
			for (char *c = *lane_list(p, r, i); c; c = LINK(c)) {
				struct kchunk *k = chunk_find(p, c);
				if (!k || k->lane != r || ((size_t)(c - k->base) & (((size_t)1 << r) - 1)) ||
				    (k->base + k->len == L->end && c >= L->bump)) {
					fprintf(stderr, "krt: kp_verify: lane %d: stray cell %p on the free list\n", r, (void *)c);
					bad = 1;
					break;
				}
#ifdef KRT_DEBUG
				if (!is_freed(c)) {
					fprintf(stderr, "krt: kp_verify: lane %d: free cell %p was written to\n", r, (void *)c);
					bad = 1;
				}
#endif
				if (++n > expect) {
					fprintf(stderr, "krt: kp_verify: lane %d: free list longer than %llu (a loop?)\n",
					        r, (unsigned long long)expect);
					bad = 1;
					break;
				}
				if (i > 0 && ext_class(*ext_of(p, c, r), r) != i - 1) {
					fprintf(stderr, "krt: kp_verify: lane %d: cell %p in extent class %d\n", r, (void *)c, i - 1);
					bad = 1;
					break;
				}
			}
		}
		if (!bad && n != expect) {
			fprintf(stderr, "krt: kp_verify: lane %d: %llu cells listed, %llu expected\n",
			        r, (unsigned long long)n, (unsigned long long)expect);
			bad = 1;
		}
	}
	return bad;
}
