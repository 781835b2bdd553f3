/* stack.c: how much C stack is left.  Recursive code (calls, display,
 * matching, list arithmetic) asks before going deeper, so that deep input
 * is the K error `stack` rather than a crash. */
#define _GNU_SOURCE
#include <pthread.h>
#include "k.h"

#define STACK_MARGIN (256 * 1024)   /* room kept for the way back out */

/* The lowest address this thread's code may reach, margin included: one
 * per thread, found once, never changed afterwards. */
static _Thread_local uintptr_t stack_floor;

static void find_floor(void)
{
	pthread_attr_t a;
	void *low = NULL;
	size_t size = 0;
	if (pthread_getattr_np(pthread_self(), &a) == 0) {
		pthread_attr_getstack(&a, &low, &size);
		pthread_attr_destroy(&a);
	}
	char here;
	if (!low || size < 2 * STACK_MARGIN)      /* unknown: assume 1 MiB below here */
		stack_floor = (uintptr_t)&here - (1 << 20) + STACK_MARGIN;
	else
		stack_floor = (uintptr_t)low + STACK_MARGIN;
}

int k_stack_ok(void)
{
	char probe;
	if (!stack_floor) find_floor();
	return (uintptr_t)&probe > stack_floor;
}
