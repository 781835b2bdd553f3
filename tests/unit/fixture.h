/* fixture.h: what the unit suites share (tests/unit/fixture.c): a fresh
 * context for each test, with the language state when asked, and the
 * checks that the test left the heap where it found it and that nothing is
 * live when the context closes. */
#ifndef KRT_FIXTURE_H
#define KRT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include "../../runtime/k.h"

/* Open a context and make it current; with lang, the language state too. */
void fx_open(int lang);
/* Remember the bytes in use now: fx_close checks the test came back to it. */
void fx_baseline(void);
/* Check the baseline (if one was taken), close everything, check no block
 * is left live. */
void fx_close(void);
/* Evaluate src as top-level K; its console form, or "!name" for an error,
 * into out[0..cap).  Leaves no error pending. */
void fx_run(const char *src, char *out, size_t cap);
/* The baseline fx_baseline took. */
uint64_t fx_in_base(void);
/* Bytes of live blocks in the current heap. */
uint64_t fx_in_use(void);

#endif
