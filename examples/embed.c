/* embed.c: a C program that embeds krt through libkrt.
 *
 * Build it against an installed krt and run it:
 *     cc embed.c $(pkg-config --cflags --libs krt) -o embed && ./embed
 *
 * It evaluates K, builds values in C, calls a K function from C, registers
 * a C function that K code calls, and reads an error.  Every K it gets
 * from the library is a reference of its own, given back with
 * krt_release; at the end the state finds nothing leaked.  It exits with
 * status 0 when everything went as shown, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <krt.h>

static int failures;

/* Report whether a step did what was expected. */
static void expect(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok  " : "FAIL", what);
	if (!ok) failures++;
}

/* A C function for K: clamp[x;lo;hi] keeps each int of x within lo..hi.
 * It receives its arguments as references of its own and must release
 * them; it returns a new value, or NULL after krt_signal. */
static K clamp(krt *k, int n, K *args)
{
	(void)n;
	int64_t lo, hi;
	K x = args[0], r = NULL;
	if (krt_get_int(k, args[1], &lo) || krt_get_int(k, args[2], &hi)) goto done;
	if (lo > hi) { krt_signal(k, "domain"); goto done; }
	int t = krt_type(k, x);
	if (t != KRT_INT && t != -KRT_INT) { krt_signal(k, "type"); goto done; }
	int64_t count = krt_count(k, x);
	const int64_t *in = krt_data(k, x);
	int64_t *out = malloc((size_t)(count ? count : 1) * sizeof *out);
	if (!out) { krt_signal(k, "wsfull"); goto done; }
	for (int64_t i = 0; i < count; i++)
		out[i] = in[i] < lo ? lo : in[i] > hi ? hi : in[i];
	r = t == KRT_INT ? krt_int(k, out[0]) : krt_ints(k, out, (size_t)count);
	free(out);
done:
	for (int i = 0; i < 3; i++) krt_release(k, args[i]);
	return r;
}

int main(void)
{
	krt *k = krt_open();
	if (!k) { fputs("cannot open a krt state\n", stderr); return 1; }
	printf("krt %s\n", krt_version());

	/* 1. evaluate K source */
	K v = krt_eval(k, "+/1+!10");
	int64_t sum = 0;
	expect(v && krt_get_int(k, v, &sum) == 0 && sum == 55, "+/1+!10 is 55");
	krt_release(k, v);

	/* 2. build values in C and give them to K as globals */
	int64_t prices[] = { 12, 7, 30, 18 };
	const char *names[] = { "apple", "fig", "melon", "pear" };
	krt_set(k, "price", krt_ints(k, prices, 4));
	krt_set(k, "fruit", krt_syms(k, names, 4));
	K d = krt_dict(k);
	d = krt_dict_set(k, d, "shop", krt_string(k, "corner"));
	d = krt_dict_set(k, d, "open", krt_int(k, 1));
	krt_set(k, "info", d);
	v = krt_eval(k, "fruit[>price]");
	printf("     fruit[>price] is ");
	krt_print(k, v, stdout);
	K first = krt_item(k, v, 0);
	expect(first && !strcmp(krt_get_sym(k, first), "melon"), "the dearest fruit is the melon");
	krt_release(k, first);
	krt_release(k, v);

	/* 3. call a K function from C */
	krt_release(k, krt_eval(k, "total:{[p;q] +/p*q}"));
	K total = krt_get(k, "total");
	int64_t qty[] = { 1, 2, 0, 1 };
	K args[2] = { krt_get(k, "price"), krt_ints(k, qty, 4) };
	v = krt_call(k, total, 2, args);      /* consumes args, borrows total */
	expect(v && krt_get_int(k, v, &sum) == 0 && sum == 44, "total[price;1 2 0 1] is 44");
	krt_release(k, v);
	krt_release(k, total);

	/* 4. register a C function and call it from K */
	krt_register(k, "clamp", clamp, 3);
	v = krt_eval(k, "clamp[price;10;20]");
	printf("     clamp[price;10;20] is ");
	krt_print(k, v, stdout);
	const int64_t *c = v ? krt_data(k, v) : NULL;
	expect(c && c[0] == 12 && c[1] == 10 && c[2] == 20 && c[3] == 18, "clamp keeps prices within 10..20");
	krt_release(k, v);
	v = krt_eval(k, "clamp[;0;9]'(3;12 -4)");      /* projected and applied each */
	printf("     clamp[;0;9]'(3;12 -4) is ");
	krt_print(k, v, stdout);
	expect(v != NULL, "a C function projects and goes under adverbs");
	krt_release(k, v);

	/* 5. read an error */
	v = krt_eval(k, "clamp[price;9;1]");
	expect(!v && !strcmp(krt_error(k), "domain"), "a C function's error reaches the caller");
	printf("     clamp[price;9;1] fails: %s\n", krt_error_message(k));
	v = krt_eval(k, "price+`a");
	expect(!v && !strcmp(krt_error(k), "type"), "price+`a is a type error");
	printf("     price+`a fails: %s\n", krt_error_message(k));

	/* 6. the heap */
	krt_stats st;
	krt_heap_stats(k, &st);
	printf("     heap: %llu bytes in use, %llu held from the OS\n",
	       (unsigned long long)st.in_use, (unsigned long long)st.held);
	uint64_t leaks = krt_close(k, 1);
	expect(leaks == 0, "closing the state leaves no block behind");
	return failures ? 1 : 0;
}
