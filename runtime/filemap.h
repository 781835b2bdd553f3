/* filemap.h: values whose data are the bytes of a file, mapped
 * copy-on-write instead of read (lang/io_bin.c uses it for 1:).
 *
 * Such a value is a value like any other: it is released by munmap on its
 * last cd, copied out when it must grow past its mapping, and changing it
 * in place (count 1) changes private pages only, never the file.
 */
#ifndef KRT_FILEMAP_H
#define KRT_FILEMAP_H

#include "k.h"

/* A simple vector of type t (-1, -2 or -3) and count n whose items are the
 * bytes [off, off + n * size) of the open file fd (chars: and the byte
 * after, which becomes the terminating NUL in the private copy).  The
 * caller has checked that the file holds them; off must be a multiple of
 * 16, as a value's data are 16-byte aligned.  Borrows fd (the mapping
 * outlives it).  Returns a new value, or NULL with NO error recorded when
 * the file cannot be mapped here (no heap support, a file system without
 * mmap, fault injection): the caller then reads the bytes instead. */
K k_filemap(int fd, int64_t off, int t, int64_t n);

#endif
