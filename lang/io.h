/* io.h: what the files of the I/O verbs share (private to lang/io*.c),
 * top down, each file calling only those below it:
 *   lang/io.c       dispatch of 0: .. 6:; 0: lines, 6: bytes, 4: type,
 *                   5: display
 *   lang/io_text.c  the text field forms (types;widths) 0: f and
 *                   (types;delimiter) 0: f
 *   lang/io_bin.c   K binary files: 1: 2: 5: (and 3: as 5: without sync),
 *                   "c"1: raw vectors, (types;widths) 1: f binary records
 *   lang/io_file.c  file names, reading and writing whole files
 *
 * Errors, as Kona names them where it is consistent: a file that cannot be
 * opened, read, created or written (missing, a directory, no permission,
 * disk full) is `domain`; an argument of the wrong type `type`, counts that
 * disagree `length`; a binary file that is too short or cut off `length`,
 * one that is not a K file (or of a type krt cannot read) `type`.
 * Ownership follows runtime/k.h: K arguments are consumed unless a
 * prototype says "borrows".
 */
#ifndef KRT_IO_H
#define KRT_IO_H

#include <limits.h>
#include "verbs.h"

/* ---- file names (lang/io_file.c) -------------------------------------- */

/* The file name held by x (a symbol, a string or a char atom; borrowed),
 * copied NUL-terminated into buf.  0, or -1 after kerr("type") (not a
 * name) or kerr("length") (longer than cap). */
int io_name(K x, char *buf, size_t cap);
/* The name of a K binary file: name with ".K" appended unless it ends so
 * already (as Kona does).  0, or -1 after kerr("length"). */
int io_kname(const char *name, char *buf, size_t cap);
/* A file spec as 0: and 1: take it: a name, or (name;offset;length) whose
 * offset and length are int or float atoms.  Fills buf and *off, *len
 * (-1: to the end).  Borrows x.  0, or -1 after kerr. */
int io_spec(K x, char *buf, size_t cap, int64_t *off, int64_t *len);

/* ---- reading (lang/io_file.c) ------------------------------------------ */

/* The bytes [off, off + len) of the file at path as a new char vector;
 * len < 0 reads to the end.  As Kona does, a negative offset counts as 0,
 * an offset past the end as the last byte, and the length is cut at the
 * end of the file.  Non-regular files (pipes, devices) are read to their
 * end.  NULL + "domain" when the file cannot be opened or read. */
K io_read(const char *path, int64_t off, int64_t len);
/* The same for an open file descriptor (borrowed). */
K io_read_fd(int fd, int64_t off, int64_t len);

/* ---- writing (lang/io_file.c) ------------------------------------------ */

/* A file being written.  A regular file (or a new one) is written to a
 * temporary file beside it, which io_commit renames over it: the old file
 * is replaced, never truncated, so a value that 1: mapped from it keeps its
 * pages, and a failed write leaves the old file whole.  Anything else (a
 * FIFO, a terminal, /dev/stdout), or a file in a directory where no file
 * can be made, is written in place. */
typedef struct iofile {
	int fd;
	int temporary;              /* writing to tmp, to rename over path */
	const char *path;           /* the file, a symbolic link resolved */
	char tmp[PATH_MAX + 16];
	char real[PATH_MAX];
} iofile;

/* Open path for replacement (see above).  0, or -1 after kerr("domain"). */
int io_create(iofile *f, const char *path);
/* Close f and put it in place.  0, or -1 after kerr("domain") (then the
 * temporary file is removed and the old file left as it was). */
int io_commit(iofile *f);
/* Close f and forget what was written to a temporary file. */
void io_abort(iofile *f);
/* Write all n bytes at p to fd, a chunk at a time with a poll for a break
 * between chunks.  0, or -1 (errno set), or -2 (a break, recorded). */
int io_write_all(int fd, const void *p, size_t n);
/* Bytes of the next read or write of n bytes: at most IO_CHUNK, so that a
 * break is polled between two. */
#define IO_CHUNK ((int64_t)8 << 20)
size_t io_chunk(int64_t n);
/* The error of a read or write that failed: "domain", unless it was a
 * break (already recorded).  NULL. */
K io_fail(void);

/* ---- the verbs of io_text.c and io_bin.c -------------------------------- */

/* (types;widths) 0: f, (types;",") 0: f, (types;,",") 0: f.  Consumes both. */
K io_text_fields(K spec, K file);

/* 1: f and 2: f: a K binary file read into the heap (never mapped: see
 * io_bin.c).  Consumes x. */
K io_bin_load(K x);
/* f 1: y: write y as a K binary file.  Consumes both. */
K io_bin_save(K x, K y);
/* f 5: y (sync != 0) and f 3: y: append the items of y to the K binary
 * file f; its new count, or _n when the file was created.  Consumes both. */
K io_bin_append(K x, K y, int sync);
/* "c" 1: f, "i" 1: f, "d" 1: f: the raw bytes of f as a vector.  Consumes both. */
K io_bin_raw(K x, K y);
/* (types;widths) 1: f: fixed-width binary records.  Consumes both. */
K io_bin_records(K spec, K file);

#endif
