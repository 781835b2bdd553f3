/* transpose: the reference line for + of a 1000 by 1000 matrix of ints, a
 * cache-blocked transpose in plain C of one contiguous matrix (32 by 32
 * tiles).  run-k.sh builds it with -DREPEAT=N (0 for the setup-only run)
 * and times it as it times the interpreters. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 1000
#define TILE 32

static void transpose(int64_t *restrict to, const int64_t *restrict from)
{
	for (int i0 = 0; i0 < N; i0 += TILE)
		for (int j0 = 0; j0 < N; j0 += TILE)
			for (int i = i0; i < i0 + TILE && i < N; i++)
				for (int j = j0; j < j0 + TILE && j < N; j++)
					to[(size_t)j * N + i] = from[(size_t)i * N + j];
}

int main(void)
{
	int64_t *m = malloc(sizeof *m * N * N), *t = malloc(sizeof *t * N * N);
	if (!m || !t) { fputs("transpose: out of memory\n", stderr); return 1; }
	for (int64_t i = 0; i < (int64_t)N * N; i++) m[i] = i;
	/* each round transposes back and forth: the result is used */
	for (int r = 0; r < REPEAT; r++) transpose(r % 2 ? m : t, r % 2 ? t : m);
	int64_t check = REPEAT % 2 ? t[1] : m[1];
	free(m);
	free(t);
	return check == (REPEAT % 2 ? N : 1) ? 0 : 1;
}
