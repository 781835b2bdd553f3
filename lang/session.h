/* session.h: what the backslash commands of lang/session.c call in the
 * files beside it: the help texts (lang/help.c), the shell
 * (lang/shell.c) and memory by name (lang/memuse.c). */
#ifndef KRT_SESSION_H
#define KRT_SESSION_H

#include "lang.h"

/* Print the help on topic what[0..n) ("" the command list, "0" types, "+"
 * verbs, "'" adverbs, ":" I/O verbs, "_" reserved words, "." assignment
 * and control); 1, or 0 when there is no such topic. */
int help_show(const char *what, int64_t n);

/* Run cmd[0..n) through /bin/sh, its output going to ours.  0, or -1 with
 * the error: "status N" when it exits with N, "signal N" when a signal
 * ends it, break when Ctrl-C (kc->interrupt) stops it. */
int shell_command(const char *cmd, int64_t n);
/* ` 4:"cmd": the command's output lines as a list of strings; errors as
 * shell_command's, wsfull when the output does not fit.  Consumes x, y. */
K shell_lines(K x, K y);

/* `lib 2:(`name;n): the C function `name` (a krt_cfunc) of valence n from
 * the shared library lib as a K function.  Consumes x, y. */
K dl_function(K x, K y);
/* Close the libraries 2: opened (when the state closes). */
void dl_close_all(void);

/* \w dir: print the variables under dir[0..n) ("." the whole tree) that
 * hold the most heap memory, and each directory's totals; 0 or -1. */
int memuse_print(const char *dir, int64_t n);
/* _wn: the same as a dictionary (see lang/memuse.c).  Consumes x (_n). */
K memuse_dict(K x);

#endif
