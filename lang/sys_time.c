/* sys_time.c: dates and times.  K counts days and seconds from its epoch,
 * 2035-01-01 00:00 UTC (as Kona does): _t is the current time in seconds,
 * _T the current day number with the fraction of the day; _jd turns a date
 * yyyymmdd into a day number and _dj back; _gtime splits seconds into
 * (yyyymmdd; hhmmss) in UTC, _ltime in local time; _lt moves UTC seconds
 * to local seconds.  Day numbers use the proleptic Gregorian calendar and
 * the usual Julian Day Number arithmetic, which accepts any int (a month
 * of 13 runs on into the next year, as in Kona).  Where the arithmetic
 * would leave 64 bits (Kona gives what the overflow leaves), the infinities
 * 0I and -0I stay as they are and other days and seconds give 0N. */
#define _GNU_SOURCE      /* tm_gmtoff */
#include <time.h>
#include "sysfn.h"

enum {
	JDN_EPOCH = 2464329,            /* Julian Day Number of 2035-01-01 */
	UNIX_EPOCH_DAYS = -23741,       /* day number of 1970-01-01 */
	DAY = 86400,
};
static const int64_t UNIX_TO_K = (int64_t)UNIX_EPOCH_DAYS * DAY;   /* K secs = unix secs + this */

static int64_t day_of_date(int64_t x)
{
	int64_t year = x / 10000, month = x / 100 % 100, day = x % 100;
	int64_t a = (14 - month) / 12, y = year + 4800 - a, m = month + 12 * a - 3;
	return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045 - JDN_EPOCH;
}

/* Int arithmetic that wraps, as Kona's does on day numbers far outside
 * any calendar (_dj 0I), without the undefined behaviour of a signed
 * overflow. */
static inline int64_t wadd(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static inline int64_t wsub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static inline int64_t wmul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

static int64_t date_of_day(int64_t j)
{
	int64_t a = wadd(j, 32044 + JDN_EPOCH);
	int64_t b = wadd(wmul(4, a), 3) / 146097, c = wsub(a, wmul(b, 146097) / 4);
	int64_t d = wadd(wmul(4, c), 3) / 1461, e = wsub(c, wmul(1461, d) / 4);
	int64_t m = wadd(wmul(5, e), 2) / 153;
	int64_t day = wadd(wsub(e, wadd(wmul(153, m), 2) / 5), 1), month = wsub(wadd(m, 3), wmul(12, m / 10));
	int64_t year = wadd(wsub(wadd(wmul(b, 100), d), 4800), m / 10);
	return wadd(wadd(wmul(year, 10000), wmul(month, 100)), day);
}

/* Floor division and its non-negative remainder. */
static int64_t floor_div(int64_t a, int64_t b) { int64_t q = a / b; return q - (a % b < 0); }
static int64_t floor_mod(int64_t a, int64_t b) { int64_t r = a % b; return r < 0 ? r + b : r; }

/* Seconds east of UTC in the local zone at K time s (0 where the system
 * knows no time). */
static int64_t local_offset(int64_t s)
{
	time_t u = (time_t)wsub(s, UNIX_TO_K);
	struct tm tm;
	if (!localtime_r(&u, &tm)) return 0;
	return tm.tm_gmtoff;
}

typedef int64_t (*int_map)(int64_t);

/* f over every int of x (atoms, vectors, lists); 0N stays 0N. */
static K map_ints(K x, int_map f)
{
	if (!k_stack_ok()) { cd(x); return kerr("stack"); }
	K r = NULL;
	if (x->t == KT_LIST) {
		r = k_list(x->n);
		if (!r) goto fail;
		for (int64_t i = 0; i < x->n; i++) {
			K v = map_ints(ci(kK(x)[i]), f);
			if (!v) { r->n = i; cd(r); r = NULL; goto fail; }
			kK(r)[i] = v;
		}
		goto fail;
	}
	if (x->t != KT_INT && x->t != -KT_INT) { kerr("type"); goto fail; }
	r = k_new(x->t, x->n);
	if (!r) goto fail;
	for (int64_t i = 0; i < x->n; i++) kI(r)[i] = kI(x)[i] == KI_NULL ? KI_NULL : f(kI(x)[i]);
fail:
	cd(x);
	return r;
}

static int64_t to_local(int64_t s) { return wadd(s, local_offset(s)); }

K sys_jd(K x) { return map_ints(x, day_of_date); }
K sys_dj(K x) { return map_ints(x, date_of_day); }
K sys_lt(K x) { return map_ints(x, to_local); }

static int64_t date_of_secs(int64_t s) { return date_of_day(floor_div(s, DAY)); }
static int64_t clock_of_secs(int64_t s)
{
	int64_t t = floor_mod(s, DAY);
	return t / 3600 * 10000 + t / 60 % 60 * 100 + t % 60;
}

/* _gtime x: (yyyymmdd; hhmmss) of the seconds x; for a vector or list x,
 * the dates and the times. */
K sys_gtime(K x)
{
	K r = NULL, date = NULL, clock = NULL;
	if (x->t == KT_INT) {
		r = k_new(-KT_INT, 2);
		if (!r) goto fail;
		int64_t s = kI(x)[0];
		kI(r)[0] = s == KI_NULL ? KI_NULL : date_of_secs(s);
		kI(r)[1] = s == KI_NULL ? KI_NULL : clock_of_secs(s);
		goto fail;
	}
	date = map_ints(ci(x), date_of_secs);
	clock = date ? map_ints(ci(x), clock_of_secs) : NULL;
	if (!clock) goto fail;
	r = k_list(2);
	if (!r) goto fail;
	kK(r)[0] = date;
	kK(r)[1] = clock;
	date = clock = NULL;
fail:
	cd(date);
	cd(clock);
	cd(x);
	return r;
}

K sys_ltime(K x)
{
	K l = sys_lt(x);
	return l ? sys_gtime(l) : NULL;
}

/* _t: now, in whole seconds. */
K sys_noun_t(K x)
{
	cd(x);
	return k_int((int64_t)time(NULL) + UNIX_TO_K);
}

/* _T: now, as a day number and the fraction of the day gone. */
K sys_noun_T(K x)
{
	cd(x);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	double secs = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	return k_float(secs / DAY + UNIX_EPOCH_DAYS);
}
