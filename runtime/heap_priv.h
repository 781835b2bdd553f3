/* heap_priv.h: what runtime/ (and the unit tests) may know about KPOOL
 * beyond the shared contract in heap.h: counters that tests use to prove
 * the trim hysteresis and the purges, an explicit purge, and the
 * debug-build check that a block is live.
 * Nothing outside runtime/ and tests/ should include this.
 */
#ifndef KRT_HEAP_PRIV_H
#define KRT_HEAP_PRIV_H

#include "heap.h"

/* Counters of OS traffic since kp_open. */
typedef struct kpool_os {
	uint64_t maps;        /* mmap calls that mapped block memory */
	uint64_t unmaps;      /* munmap calls that returned block memory */
	uint64_t trims;       /* trim passes that released at least one chunk */
	uint64_t auto_trims;  /* of which started automatically */
	uint64_t retain;      /* free bytes the automatic trim currently keeps */
	uint64_t purges;      /* madvise calls that purged a free cell's pages */
	uint64_t purged;      /* bytes of the ranges purged, total */
} kpool_os;
void kp_os_counters(kpool *p, kpool_os *o);

/* Purge now: give the pages of every free cell of the fit lanes (64 KiB
 * and up) back to the OS, all but each cell's first page, keeping the
 * mappings, so `held` is unchanged.  Returns the bytes of the ranges given
 * back.  kp_trim does this too. */
uint64_t kp_purge(kpool *p);

/* Debug builds (KRT_DEBUG): abort with a report on stderr if b is a freed
 * cell (a double release).  Release builds: does nothing. */
void kp_check_live(kpool *p, const void *b);

/* Bytes the pool takes for `size` (the block size: a lane size or a
 * page-rounded direct map) when the block is a cell of the size's own lane;
 * a block of 64 KiB or more may get a cell one lane up (heap.c, "fit
 * lanes"), whose lane byte and kp_size then say so. */
uint64_t kp_block_bytes(size_t size);

#endif
