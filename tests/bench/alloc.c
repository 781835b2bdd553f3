/* alloc.c: the allocator benchmark — one run of one workload against one
 * allocator, in a process of its own.
 *
 * The same source is compiled into four programs: -DALLOC_KRT (the KPOOL of
 * runtime/heap.c, through kp_alloc/kp_free), and plain malloc/free linked
 * three ways: with nothing (glibc), with -lmimalloc (-DALLOC_MIMALLOC) and
 * with -ljemalloc (-DALLOC_JEMALLOC).  Linking mimalloc or jemalloc replaces
 * malloc for the whole process, so each allocator gets a binary of its own,
 * and each binary checks at start that malloc really is the allocator it
 * claims (and fails loudly if not).
 *
 *    alloc-<name> tight|trace
 *
 * prints one line `ns_per_op=<float> peak_rss_kb=<int>` on stdout (with
 * BENCH_VERBOSE set, also the allocator's version and the trace's shape on
 * stderr).  The driver, run-alloc.sh, runs every (workload, allocator) pair
 * several times, each in a fresh process, and prints the medians.
 *
 * Workloads:
 *  - tight: 50 million times allocate a 64-byte block, touch it (first and
 *    last byte), release it.  One op is one such allocate/touch/release.
 *  - trace: an interpreter-like trace of 20 million ops (an op is one
 *    allocation, with its touch, or one release), from a fixed-seed PRNG, so
 *    it is the same for every allocator: mostly 32-512 byte blocks, about 1%
 *    4 KiB-1 MiB, 8 blocks of 64-128 MiB; 80% of releases LIFO (the newest
 *    live block), 20% random; live set bounded (count and bytes), grown and
 *    shrunk in waves as an interpreter's temporaries are; at the end every
 *    block is released.  A touch writes the first and the last byte, and
 *    one byte per 4 KiB page in between for blocks up to 1 MiB (an
 *    interpreter fills its vectors), one byte per MiB for the huge ones (so
 *    page faults of untouched memory do not swamp the allocator's own
 *    cost).  The first byte stands for a reference count: the touch sets it
 *    to 1 and, as an interpreter's cd() does, each release first drops it,
 *    so every allocator is handed a block whose first line is in cache
 *    (krt reads its lane there; the mallocs read their own metadata).
 *    The trace is generated ahead of the timing, in chunks of 64 Ki ops that
 *    are then replayed with the clock running; the clock is stopped while
 *    the next chunk is generated.  Chunks rather than one 20M-op array keep
 *    the trace's own memory (160 MB) out of the peak RSS, which should show
 *    the allocator's footprint.
 *
 * ns_per_op is the timed CPU time of the process (CLOCK_PROCESS_CPUTIME_ID,
 * see now_ns) over the op count; peak_rss_kb is
 * getrusage(RUSAGE_SELF).ru_maxrss at the end of the run.
 * The benchmark's own tables are mmap'ed, not malloc'ed, so that they cost
 * the same under every allocator.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#if defined(ALLOC_KRT)
#include "heap.h"
#include "heap_priv.h"          /* OS traffic counters, for BENCH_VERBOSE */
#define ALLOC_NAME "krt"
static kpool *pool;
#define ALLOC(n) kp_alloc(pool, (n))
#define FREE(p) kp_free(pool, (p))
#elif defined(ALLOC_MIMALLOC)
#include <mimalloc.h>
#define ALLOC_NAME "mimalloc"
#define ALLOC(n) malloc(n)
#define FREE(p) free(p)
#elif defined(ALLOC_JEMALLOC)
#include <jemalloc/jemalloc.h>
#define ALLOC_NAME "jemalloc"
#define ALLOC(n) malloc(n)
#define FREE(p) free(p)
#else
#define ALLOC_GLIBC 1
#define ALLOC_NAME "glibc"
#define ALLOC(n) malloc(n)
#define FREE(p) free(p)
#endif

/* ---- workload parameters ---------------------------------------------- */

#define TIGHT_OPS 50000000ull
#define TIGHT_SIZE 64

#define TRACE_OPS 20000000ull        /* allocations + releases */
#define TRACE_SEED 0x6b72742d62656e63ull
#define CHUNK_OPS (1u << 16)         /* ops generated, then replayed, at once */
#define LIVE_MAX (1u << 17)          /* live blocks at most */
#define STACK_MAX (1u << 19)         /* LIFO stack entries, live + tombstones */
#define MEDIUM_LIVE_MAX (48u << 20)  /* live bytes of 4 KiB-1 MiB blocks */
#define MEDIUM_PER_MILLE 10          /* share of allocations that are medium */
#define HUGE_COUNT 8                 /* blocks of 64-128 MiB in the trace */
#define HUGE_LIFE_MAX 20000          /* ops a huge block lives at most */
#define RANDOM_FREE_PERCENT 20
#define TOMB UINT32_MAX

/* ---- small helpers ---------------------------------------------------- */

static int verbose;     /* BENCH_VERBOSE set: describe the run on stderr */

static void die(const char *what)
{
	fprintf(stderr, "alloc-%s: %s\n", ALLOC_NAME, what);
	exit(2);
}

/* Memory for the benchmark's own tables, outside every allocator. */
static void *table(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap of a table failed");
	return p;
}

/* The process's CPU time (user and system, all threads): on an idle machine
 * it is the wall-clock time of the run, and on a busy one (a CI box running
 * other jobs) it leaves out the time other processes had the CPU, which
 * would otherwise swamp the figures.  Page faults, mmap and munmap are
 * system time of this process, so they count. */
static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Keep the compiler from eliding an allocation and its touches. */
static inline void escape(void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

/* xoshiro256**: fast, good, and the same on every machine. */
typedef struct { uint64_t s[4]; } rng;

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
	s[2] ^= t; s[3] = rotl(s[3], 45);
	return out;
}

static void rng_seed(rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++) {        /* splitmix64 to fill the state */
		uint64_t z = (seed += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		r->s[i] = z ^ (z >> 31);
	}
}

/* Uniform in [0, n). */
static uint64_t rng_below(rng *r, uint64_t n) { return rng_next(r) % n; }

/* ---- the allocator check ---------------------------------------------- */

/* Prove that malloc in this process is the allocator this binary is named
 * for; a benchmark of the wrong allocator must not print a figure. */
static void check_allocator(void)
{
#if defined(ALLOC_MIMALLOC)
	unsigned char *p = malloc(64);
	if (!p)
		die("malloc failed");
	p[0] = 0;               /* initialised, as a const pointer argument should be */
	if (!mi_is_in_heap_region(p))
		die("malloc is not mimalloc's (link order?)");
	free(p);
	if (verbose)
		fprintf(stderr, "alloc-mimalloc: mimalloc %d\n", mi_version());
#elif defined(ALLOC_JEMALLOC)
	const char *version = NULL;
	uint64_t before = 0, after = 0;
	size_t sz = sizeof version, su = sizeof before;
	if (mallctl("version", &version, &sz, NULL, 0) != 0 || !version)
		die("mallctl(\"version\") failed: jemalloc not linked");
	if (mallctl("thread.allocated", &before, &su, NULL, 0) != 0)
		die("mallctl(\"thread.allocated\") failed");
	void *p = malloc(4096);
	escape(p);
	if (mallctl("thread.allocated", &after, &su, NULL, 0) != 0 || after < before + 4096)
		die("malloc is not jemalloc's (link order?)");
	free(p);
	if (verbose)
		fprintf(stderr, "alloc-jemalloc: jemalloc %s\n", version);
#elif defined(ALLOC_GLIBC)
	/* Neither mimalloc nor jemalloc may be in the process. */
	if (dlsym(RTLD_DEFAULT, "mi_malloc") || dlsym(RTLD_DEFAULT, "mallctl")
	    || dlsym(RTLD_DEFAULT, "je_malloc"))
		die("another allocator is linked into the glibc binary");
#endif
}

/* ---- workload: tight -------------------------------------------------- */

static double run_tight(uint64_t *ops)
{
	double t0 = now_ns();
	for (uint64_t i = 0; i < TIGHT_OPS; i++) {
		unsigned char *p = ALLOC(TIGHT_SIZE);
		if (!p)
			die("allocation failed");
		p[0] = (unsigned char)i;
		p[TIGHT_SIZE - 1] = (unsigned char)i;
		escape(p);
		FREE(p);
	}
	*ops = TIGHT_OPS;
	return now_ns() - t0;
}

/* ---- workload: trace -------------------------------------------------- */

/* One op: allocate `size` bytes into slot `slot`, or (size 0) release the
 * block in slot `slot`. */
typedef struct { uint32_t slot, size; } op;

/* The generator's model of the live set.  Live blocks sit on a stack in
 * allocation order; a LIFO release pops it, a random release leaves a
 * tombstone that later pops skip. */
typedef struct {
	rng r;
	uint32_t *stack, top;         /* slot ids, or TOMB */
	uint32_t *where;              /* slot -> its stack index */
	uint32_t *size;               /* slot -> its size */
	uint32_t *spare, nspare;      /* free slot ids */
	uint32_t live;
	uint64_t medium_live;         /* bytes */
	uint64_t emitted, allocs;
	int growing;                  /* wave phase: growing or shrinking */
	uint32_t phase_left;
	uint32_t huge_done, huge_slot, huge_left;   /* huge_slot TOMB: none live */
	uint64_t next_huge;           /* allocation index of the next huge block */
	/* statistics, for the record */
	uint32_t max_live;
	uint64_t max_bytes, live_bytes, n_medium;
} tracegen;

static void gen_open(tracegen *g)
{
	memset(g, 0, sizeof *g);
	rng_seed(&g->r, TRACE_SEED);
	g->stack = table(STACK_MAX * sizeof *g->stack);
	g->where = table(LIVE_MAX * sizeof *g->where);
	g->size = table(LIVE_MAX * sizeof *g->size);
	g->spare = table(LIVE_MAX * sizeof *g->spare);
	for (uint32_t i = 0; i < LIVE_MAX; i++)
		g->spare[i] = LIVE_MAX - 1 - i;
	g->nspare = LIVE_MAX;
	g->huge_slot = TOMB;
	g->next_huge = (TRACE_OPS / 2) / (HUGE_COUNT + 1);
}

/* Drop tombstones from the top of the stack. */
static void gen_settle(tracegen *g)
{
	while (g->top && g->stack[g->top - 1] == TOMB)
		g->top--;
}

/* The stack is full of tombstones: squeeze them out. */
static void gen_compact(tracegen *g)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < g->top; i++)
		if (g->stack[i] != TOMB) {
			g->stack[k] = g->stack[i];
			g->where[g->stack[k]] = k;
			k++;
		}
	g->top = k;
}

static void gen_release(tracegen *g, uint32_t index, op *o)
{
	uint32_t s = g->stack[index];
	g->stack[index] = TOMB;
	gen_settle(g);
	g->live--;
	g->live_bytes -= g->size[s];
	if (g->size[s] >= 4096 && g->size[s] <= (1u << 20))
		g->medium_live -= g->size[s];
	if (s == g->huge_slot)
		g->huge_slot = TOMB;
	g->spare[g->nspare++] = s;
	o->slot = s;
	o->size = 0;
}

static uint32_t gen_size(tracegen *g)
{
	rng *r = &g->r;
	if (g->allocs >= g->next_huge && g->huge_done < HUGE_COUNT && g->huge_slot == TOMB) {
		g->huge_done++;
		g->next_huge += (TRACE_OPS / 2) / (HUGE_COUNT + 1);
		g->huge_left = 1000 + (uint32_t)rng_below(r, HUGE_LIFE_MAX - 1000);
		return (64u << 20) + 4096 + (uint32_t)rng_below(r, 64u << 20) / 8 * 8;
	}
	if (rng_below(r, 1000) < MEDIUM_PER_MILLE) {
		/* log-uniform 4 KiB .. 1 MiB: a power of two times 1..2 */
		uint32_t base = 4096u << rng_below(r, 8);
		uint32_t n = base + (uint32_t)rng_below(r, base + 1) / 8 * 8;
		if (g->medium_live + n <= MEDIUM_LIVE_MAX)
			return n;
	}
	/* log-uniform 32 .. 512, multiples of 8 */
	uint32_t base = 32u << rng_below(r, 4);
	return base + (uint32_t)rng_below(r, base + 1) / 8 * 8;
}

static void gen_alloc(tracegen *g, op *o)
{
	uint32_t n = gen_size(g), s = g->spare[--g->nspare];
	if (g->top == STACK_MAX)
		gen_compact(g);
	g->where[s] = g->top;
	g->stack[g->top++] = s;
	g->size[s] = n;
	g->live++;
	g->live_bytes += n;
	g->allocs++;
	if (n >= 4096 && n <= (1u << 20)) {
		g->medium_live += n;
		g->n_medium++;
	}
	if (n > (64u << 20) - 1)
		g->huge_slot = s;
	if (g->live > g->max_live)
		g->max_live = g->live;
	if (g->live_bytes > g->max_bytes)
		g->max_bytes = g->live_bytes;
	o->slot = s;
	o->size = n;
}

/* The next op of the trace; 0 when the trace is over. */
static int gen_next(tracegen *g, op *o)
{
	rng *r = &g->r;
	if (g->emitted + g->live >= TRACE_OPS) {     /* the end: drain, LIFO */
		if (!g->live)
			return 0;
		gen_release(g, g->top - 1, o);
		goto done;
	}
	if (g->huge_slot != TOMB && g->huge_left-- == 0) {
		gen_release(g, g->where[g->huge_slot], o);
		goto done;
	}
	if (g->phase_left-- == 0) {
		g->growing = !g->growing;
		g->phase_left = 256 + (uint32_t)rng_below(r, 32768);
	}
	/* Waves: growing phases allocate 56% of the time, shrinking ones 44%;
	 * past half the bound the waves stop growing. */
	uint32_t p_alloc = g->growing && g->live < LIVE_MAX / 2 ? 56 : 44;
	int alloc = g->live == 0 || (g->live < LIVE_MAX - 1 && rng_below(r, 100) < p_alloc);
	if (alloc) {
		gen_alloc(g, o);
		goto done;
	}
	if (rng_below(r, 100) < RANDOM_FREE_PERCENT) {
		for (int tries = 0; tries < 8; tries++) {
			uint32_t i = (uint32_t)rng_below(r, g->top);
			if (g->stack[i] != TOMB) {
				gen_release(g, i, o);
				goto done;
			}
		}
	}
	gen_release(g, g->top - 1, o);
done:
	g->emitted++;
	return 1;
}

/* Write the first and last byte, and bytes in between (see the top); the
 * first byte stands for the reference count, 1. */
static inline void touch(unsigned char *p, uint32_t size)
{
	p[0] = 1;
	p[size - 1] = 1;
	if (size > 4096) {
		uint32_t stride = size <= (1u << 20) ? 4096 : (1u << 20);
		for (uint32_t off = stride; off < size - 1; off += stride)
			p[off] = 1;
	}
}

static double run_trace(uint64_t *ops)
{
	tracegen g;
	op *chunk = table(CHUNK_OPS * sizeof *chunk);
	void **slot = table(LIVE_MAX * sizeof *slot);
	double total = 0;
	uint64_t done = 0;
	gen_open(&g);
	for (;;) {
		uint32_t n = 0;
		while (n < CHUNK_OPS && gen_next(&g, &chunk[n]))
			n++;
		if (!n)
			break;
		double t0 = now_ns();
		for (uint32_t i = 0; i < n; i++) {
			uint32_t s = chunk[i].slot, size = chunk[i].size;
			if (size) {
				unsigned char *p = ALLOC(size);
				if (!p)
					die("allocation failed");
				touch(p, size);
				slot[s] = p;
			} else {
				/* the count drop that precedes every release */
				unsigned char *p = slot[s];
				if (--p[0] != 0)
					die("trace replay out of step");
				FREE(p);
			}
		}
		total += now_ns() - t0;
		done += n;
	}
	if (verbose)
		fprintf(stderr, "alloc-%s: trace: %llu ops, %llu allocations (%llu medium, %u huge),"
	        " live at most %u blocks / %.1f MiB\n", ALLOC_NAME,
	        (unsigned long long)done, (unsigned long long)g.allocs,
	        (unsigned long long)g.n_medium, g.huge_done, g.max_live,
	        (double)g.max_bytes / (1 << 20));
	*ops = done;
	return total;
}

/* ---- main ------------------------------------------------------------- */

int main(int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "tight") && strcmp(argv[1], "trace"))) {
		fprintf(stderr, "usage: %s tight|trace\n", argv[0]);
		return 2;
	}
	verbose = getenv("BENCH_VERBOSE") != NULL;
	check_allocator();
#if defined(ALLOC_KRT)
	pool = kp_open();
	if (!pool)
		die("kp_open failed");
#endif
	uint64_t ops = 0;
	double ns = strcmp(argv[1], "tight") == 0 ? run_tight(&ops) : run_trace(&ops);
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		die("getrusage failed");
#if defined(ALLOC_KRT)
	if (verbose) {
		kpool_stats st;
		kpool_os os;
		kp_stats(pool, &st);
		kp_os_counters(pool, &os);
		fprintf(stderr, "alloc-krt: peak in use %.1f MiB, held at the end %.1f MiB;"
		        " %llu maps, %llu unmaps, %llu trims (%llu automatic), retain %.1f MiB\n",
		        (double)st.peak / (1 << 20), (double)st.held / (1 << 20),
		        (unsigned long long)os.maps, (unsigned long long)os.unmaps,
		        (unsigned long long)os.trims, (unsigned long long)os.auto_trims,
		        (double)os.retain / (1 << 20));
	}
	uint64_t leaks = kp_close(pool, 1);
	if (leaks) {
		fprintf(stderr, "alloc-krt: %llu blocks leaked\n", (unsigned long long)leaks);
		return 3;
	}
#endif
	printf("ns_per_op=%.3f peak_rss_kb=%ld\n", ns / (double)ops, ru.ru_maxrss);
	return 0;
}
