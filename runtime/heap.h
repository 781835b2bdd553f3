/* heap.h: KPOOL, the block allocator under every value.
 *
 * A pool is explicit here (the allocator benchmark and the thread test use
 * it directly); the value layer reaches it through kc->heap.  Blocks start
 * with the 16-byte struct kval header, whose `lane` field is the heap's.
 */
#ifndef KRT_HEAP_H
#define KRT_HEAP_H

#include <stddef.h>
#include <stdint.h>

#define KP_MIN 6          /* smallest lane: 64-byte blocks */
#define KP_MAX 25         /* largest lane: 32 MiB blocks */
#define KP_DIRECT 0xFF    /* lane mark of a block mmap'ed on its own */

typedef struct kpool kpool;

typedef struct kpool_stats {
	uint64_t in_use;          /* bytes of live blocks (block sizes) */
	uint64_t held;            /* bytes mapped from the OS, pooled + direct */
	uint64_t held_direct;     /* of which direct maps (live and cached) */
	uint64_t direct_cached;   /* of which freed mappings kept for reuse */
	uint64_t peak;            /* highest in_use seen */
	uint64_t trimmed;         /* bytes given back to the OS by trim, total */
	uint64_t live[KP_MAX + 1];  /* per lane: live cells */
	uint64_t free[KP_MAX + 1];  /* per lane: cells on the free list */
	uint64_t direct_live;     /* direct blocks alive */
} kpool_stats;

kpool *kp_open(void);                  /* NULL if the OS refuses */
/* Unmap everything.  Returns the number of blocks still live (leaks); with
 * `report` non-zero each is listed on stderr (address, lane, type, count). */
uint64_t kp_close(kpool *p, int report);

/* A block of at least `size` bytes (header included); its lane byte set.
 * NULL when the OS refuses or the limit would be passed. */
void *kp_alloc(kpool *p, size_t size);
/* Give a block back: to its lane's free list; a direct block's mapping to
 * the cache of freed mappings, or munmap. */
void kp_free(kpool *p, void *b);
/* Resize: in place when the block's lane still fits (or a direct block can
 * mremap), else allocate, copy `keep` bytes, free.  NULL on failure, with
 * the old block untouched. */
void *kp_realloc(kpool *p, void *b, size_t size, size_t keep);
/* Usable bytes of a block (header included). */
size_t kp_size(const void *b);
/* Block b is about to be written whole: when directly mapped, its pages
 * are asked for as transparent huge pages, a fault per 2 MiB instead of
 * per 4 KiB (the first touch of 80 MB: 250-320 ms of 4 KiB faults on a
 * busy VM, 5-35 ms in huge pages). */
void kp_will_fill(void *b);
/* The lane of a size: ceil(log2(size)) clamped at KP_MIN; > KP_MAX means
 * a direct map. */
int kp_lane(size_t size);

void kp_stats(kpool *p, kpool_stats *s);
/* Heap limit in bytes held from the OS (0: none).  Small lanes may pass it
 * by KP_RESERVE_SMALL, anything by KP_RESERVE_OPEN more while the reserve
 * is open (see heap.c, over_limit). */
#define KP_RESERVE_SMALL ((uint64_t)4 << 20)
#define KP_RESERVE_OPEN ((uint64_t)4 << 20)
void kp_set_limit(kpool *p, uint64_t bytes);
/* Open (1) or close (0) the reserve beyond the limit, for work that must
 * succeed at the limit so that memory can be freed (parsing a statement,
 * showing a value).  Calls nest. */
void kp_reserve(kpool *p, int open);
/* Make the nth allocation from now fail (1 = the next); 0 turns it off. */
void kp_fail_after(kpool *p, uint64_t n);
/* Release whole free chunks, and the cached direct mappings, to the OS now;
 * returns bytes released. */
uint64_t kp_trim(kpool *p);
/* Debug builds: walk every free list and check it; returns 0 if sound. */
int kp_verify(kpool *p);

#endif
