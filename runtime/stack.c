/* stack.c: how much C stack is left.  Recursive code (calls, display,
 * matching, list arithmetic, 5: and _bd, parsing) asks before going deeper,
 * so that deep input is the K error `stack` rather than a crash.
 *
 * The bounds are measured, once per thread, on the thread itself:
 * pthread_getattr_np gives a thread's stack without its guard page; for
 * the main thread glibc derives it from RLIMIT_STACK and the [stack] line
 * of /proc/self/maps, so `ulimit -s` is honoured.  Below the floor a margin
 * is kept for the deepest stretch of code between two checks and for the
 * way back out (error text, releasing partial results): a quarter of the
 * stack, between 64 KiB and 256 KiB.  So a 256 KiB thread may recurse in
 * 192 KiB, an 8 MiB one in 7.75 MiB.
 *
 * When the bounds cannot be had, or the code runs on a stack of its own
 * that they do not describe (a coroutine's), only 256 KiB below the first
 * check are assumed, the smallest stack krt supports (see krt.h). */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/resource.h>
#include "k.h"

#define MARGIN_MIN ((uintptr_t)64 << 10)
#define MARGIN_MAX ((uintptr_t)256 << 10)
#define STACK_UNKNOWN ((uintptr_t)256 << 10)
/* An unlimited RLIMIT_STACK lets the main stack grow until it meets another
 * mapping (less the kernel's guard gap); glibc then reports the whole gap.
 * Use no more than this much of it. */
#define STACK_CAP ((uintptr_t)1 << 30)

/* The lowest address this thread's code may reach, margin included: one
 * per thread, found once, never changed afterwards. */
static _Thread_local uintptr_t stack_floor;

static uintptr_t margin_of(uintptr_t size)
{
	uintptr_t m = size / 4;
	return m < MARGIN_MIN ? MARGIN_MIN : m > MARGIN_MAX ? MARGIN_MAX : m;
}

static void find_floor(void)
{
	char here;
	uintptr_t at = (uintptr_t)&here, low = 0, high = 0;
	pthread_attr_t a;
	void *addr = NULL;
	size_t size = 0;
	if (pthread_getattr_np(pthread_self(), &a) == 0) {
		if (pthread_attr_getstack(&a, &addr, &size) != 0) addr = NULL;
		pthread_attr_destroy(&a);
	}
	if (addr && size) {
		low = (uintptr_t)addr;
		high = low + size;
		struct rlimit rl;
		if (size > STACK_CAP && getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur == RLIM_INFINITY)
			low = high - STACK_CAP;
	}
	if (!low || at <= low || at >= high) {     /* unknown, or another stack */
		low = at > STACK_UNKNOWN ? at - STACK_UNKNOWN : 0;
		high = at;
	}
	stack_floor = low + margin_of(high - low);
}

int k_stack_ok(void)
{
	char probe;
	if (!stack_floor) find_floor();
	return (uintptr_t)&probe > stack_floor;
}
