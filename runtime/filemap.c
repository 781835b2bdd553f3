/* filemap.c: file-backed values (see filemap.h).
 *
 * Layout.  The heap finds a direct block's 32-byte prefix right before its
 * 16-byte header, and a value's data right after the header; the file's
 * bytes must therefore appear at data = header + 16.  mmap wants a page
 * aligned file offset, so the file is mapped from the page holding `off`,
 * and one anonymous page is reserved in front of it: whatever `off` is,
 * the header and prefix then fall inside the reservation (in the anonymous
 * page, or in the first file page, whose private copy they dirty):
 *
 *   base        base+P                 data-48   data-16  data
 *   | anon page | file page F ...  ... | prefix  | header | items ... |
 *
 * The block is handed to the heap with kp_adopt (runtime/heap_priv.h):
 * released by munmap(base, len), grown by copying, and counted in neither
 * the bytes in use nor the bytes held (its pages are the page cache's).
 * Without kp_adopt, k_filemap declines and the caller reads the file.
 */
#define _GNU_SOURCE
#include "filemap.h"
#include "heap.h"
#include "heap_priv.h"

#include <sys/mman.h>
#include <unistd.h>

#define HEADER ((int64_t)sizeof(struct kval))

#ifdef KP_HAVE_ADOPT
K k_filemap(int fd, int64_t off, int t, int64_t n)
{
	int64_t page = (int64_t)sysconf(_SC_PAGESIZE);
	int64_t es = (int64_t)k_esize(t);
	/* the data must be 16-byte aligned, as every value's are */
	if ((t != -1 && t != -2 && t != -3) || n < 0 || off < 0 || off % 16 || page <= 0)
		return NULL;
	if (n > (INT64_MAX / 2 - off) / es)
		return NULL;
	int64_t first = off / page * page;
	int64_t bytes = off + n * es + (t == -3) - first;
	size_t filelen = (size_t)((bytes + page - 1) / page * page);
	size_t len = (size_t)page + filelen;
	char *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	char *m = mmap(base + page, filelen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE,
	               fd, (off_t)first);
	if (m == MAP_FAILED)
		goto fail;
	K x = (K)(m + (off - first) - HEADER);
	x->rc = 1;
	x->t = (int8_t)t;
	x->a = 0;
	x->u = 0;
	x->n = n;
	if (t == -3)
		kC(x)[n] = 0;
	if (!kp_adopt(kc->heap, base, len, x))
		goto fail;
	return x;
fail:
	munmap(base, len);
	return NULL;
}
#else
K k_filemap(int fd, int64_t off, int t, int64_t n)
{
	(void)fd; (void)off; (void)t; (void)n;
	return NULL;
}
#endif
