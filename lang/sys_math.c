/* sys_math.c: the numeric system functions.  The atomic ones (_sin _exp
 * _sqrt ... _floor _ceil) take ints or floats at any depth and give floats;
 * _abs keeps ints; _ceiling is the tolerant ceiling, giving ints.  The
 * matrix ones: _dot (sum of products), _mul (matrix product, rows of x
 * _dot y), _lsq (least squares by singular value decomposition, as Kona:
 * singular values below 1e-6 of the largest count as zero, which gives the
 * minimum-norm solution) and _inv (_lsq against the identity). */
#include <math.h>
#include "sysfn.h"
#include "verbs.h"

typedef double (*fmath)(double);

/* f applied to every number of x, at any depth; lists keep their shape
 * (a general list stays general, as in Kona).  Consumes x. */
static K math_apply(fmath f, K x)
{
	if (!k_stack_ok()) { cd(x); return kerr("stack"); }
	int t = x->t < 0 ? -x->t : x->t;
	K r = NULL;
	if (x->t == KT_LIST) {
		r = k_list(x->n);
		if (!r) goto fail;
		for (int64_t i = 0; i < x->n; i++) {
			K v = math_apply(f, ci(kK(x)[i]));
			if (!v) { r->n = i; cd(r); r = NULL; goto fail; }
			kK(r)[i] = v;
		}
		goto fail;
	}
	if (t != KT_INT && t != KT_FLOAT) { kerr("type"); goto fail; }
	r = k_new(x->t < 0 ? -KT_FLOAT : KT_FLOAT, x->n);
	if (!r) goto fail;
	if (t == KT_INT) for (int64_t i = 0; i < x->n; i++) kF(r)[i] = f((double)kI(x)[i]);
	else for (int64_t i = 0; i < x->n; i++) kF(r)[i] = f(kF(x)[i]);
fail:
	cd(x);
	return r;
}

static double square(double v) { return v * v; }

K sys_acos(K x) { return math_apply(acos, x); }
K sys_asin(K x) { return math_apply(asin, x); }
K sys_atan(K x) { return math_apply(atan, x); }
K sys_cos(K x) { return math_apply(cos, x); }
K sys_cosh(K x) { return math_apply(cosh, x); }
K sys_exp(K x) { return math_apply(exp, x); }
K sys_log(K x) { return math_apply(log, x); }
K sys_sin(K x) { return math_apply(sin, x); }
K sys_sinh(K x) { return math_apply(sinh, x); }
K sys_sqr(K x) { return math_apply(square, x); }
K sys_sqrt(K x) { return math_apply(sqrt, x); }
K sys_tan(K x) { return math_apply(tan, x); }
K sys_tanh(K x) { return math_apply(tanh, x); }
K sys_floor(K x) { return math_apply(floor, x); }    /* intolerant, floats */
K sys_ceil(K x) { return math_apply(ceil, x); }

/* _abs: like math_apply but ints stay ints (0N stays 0N). */
K sys_abs(K x)
{
	if (!k_stack_ok()) { cd(x); return kerr("stack"); }
	int t = x->t < 0 ? -x->t : x->t;
	K r = NULL;
	if (x->t == KT_LIST) {
		r = k_list(x->n);
		if (!r) goto fail;
		for (int64_t i = 0; i < x->n; i++) {
			K v = sys_abs(ci(kK(x)[i]));
			if (!v) { r->n = i; cd(r); r = NULL; goto fail; }
			kK(r)[i] = v;
		}
		goto fail;
	}
	if (t != KT_INT && t != KT_FLOAT) { kerr("type"); goto fail; }
	r = k_new(x->t, x->n);
	if (!r) goto fail;
	if (t == KT_INT)
		for (int64_t i = 0; i < x->n; i++) {
			int64_t v = kI(x)[i];
			kI(r)[i] = v < 0 ? (int64_t)(0 - (uint64_t)v) : v;
		}
	else for (int64_t i = 0; i < x->n; i++) kF(r)[i] = fabs(kF(x)[i]);
fail:
	cd(x);
	return r;
}

/* _ceiling x is -_-x: the tolerant floor of _ gives the tolerance, 0n
 * becomes 0N and infinities 0I / -0I.  Ints are returned as they are. */
K sys_ceiling(K x)
{
	if (!k_stack_ok()) { cd(x); return kerr("stack"); }
	int t = x->t < 0 ? -x->t : x->t;
	if (t == KT_INT) return x;
	if (x->t == KT_LIST) {
		K r = k_list(x->n);
		if (!r) { cd(x); return NULL; }
		for (int64_t i = 0; i < x->n; i++) {
			K v = sys_ceiling(ci(kK(x)[i]));
			if (!v) { r->n = i; cd(r); cd(x); return NULL; }
			kK(r)[i] = v;
		}
		cd(x);
		return r;
	}
	if (t != KT_FLOAT) { cd(x); return kerr("type"); }
	K r = verb_negate(x);
	if (r) r = verb_floor(r);
	if (!r) return NULL;
	/* negate by hand: 0N must stay 0N and 0I become -0I */
	for (int64_t i = 0; i < r->n; i++) {
		int64_t v = kI(r)[i];
		kI(r)[i] = v == KI_NULL ? KI_NULL : -v;
	}
	return r;
}

/* ---- _dot and _mul ------------------------------------------------------ */

static int is_number(K x)
{
	int t = x->t < 0 ? -x->t : x->t;
	return t == KT_INT || t == KT_FLOAT;
}

/* x _dot y: +/x*y.  Simple numbers are summed in one loop (int when both
 * are ints); a general list on either side goes through * and +/. */
K sys_dot(K x, K y)
{
	K r = NULL;
	if (x->t == KT_LIST || y->t == KT_LIST) {
		if (!is_number(x) && x->t != KT_LIST) { kerr("type"); goto fail; }
		if (!is_number(y) && y->t != KT_LIST) { kerr("type"); goto fail; }
		K p = verb_mul(x, y);
		x = y = NULL;
		if (!p) return NULL;
		K plus = fn_verb(V_PLUS, 0);
		if (!plus) { cd(p); return NULL; }
		r = adverb_apply(AV_OVER, plus, 1, &p);
		cd(plus);
		return r;
	}
	if (!is_number(x) || !is_number(y)) { kerr("type"); goto fail; }
	if (x->t < 0 && y->t < 0 && x->n != y->n) { kerr("length"); goto fail; }
	int64_t n = x->t < 0 ? x->n : y->t < 0 ? y->n : 1;
	int64_t sx = x->t < 0, sy = y->t < 0;     /* strides: an atom extends */
	if ((x->t == KT_INT || x->t == -KT_INT) && (y->t == KT_INT || y->t == -KT_INT)) {
		uint64_t acc = 0;     /* wraps like Kona's int arithmetic, without UB */
		for (int64_t i = 0; i < n; i++)
			acc += (uint64_t)kI(x)[i * sx] * (uint64_t)kI(y)[i * sy];
		r = k_int((int64_t)acc);
	} else {
		double acc = 0;
		for (int64_t i = 0; i < n; i++) {
			double a = x->t == KT_FLOAT || x->t == -KT_FLOAT ? kF(x)[i * sx] : (double)kI(x)[i * sx];
			double b = y->t == KT_FLOAT || y->t == -KT_FLOAT ? kF(y)[i * sy] : (double)kI(y)[i * sy];
			acc += a * b;
		}
		r = k_float(acc);
	}
fail:
	cd(x);
	cd(y);
	return r;
}

/* x _mul y: x _dot\: y, each row (item) of x against all of y. */
K sys_mul(K x, K y)
{
	if (x->t > 0) return sys_dot(x, y);
	K r = k_list(x->n);
	if (!r) goto fail;
	for (int64_t i = 0; i < x->n; i++) {
		K row = k_item(x, i);
		K v = row ? sys_dot(row, ci(y)) : NULL;
		if (!v) { r->n = i; cd(r); r = NULL; goto fail; }
		kK(r)[i] = v;
	}
	r = k_squeeze(r);
fail:
	cd(x);
	cd(y);
	return r;
}

/* ---- _lsq and _inv ---------------------------------------------------------- */

/* Element i of a numeric vector as a double. */
static double num_at(K v, int64_t i) { return v->t == -KT_FLOAT ? kF(v)[i] : (double)kI(v)[i]; }

/* One-sided Jacobi SVD of the m x n matrix a (row-major, m >= n): on
 * return a holds U (columns normalised), w the singular values and v the
 * n x n matrix V, so that A = U diag(w) V'.  0, or -1 when it does not
 * converge. */
static int svd_jacobi(double *a, int64_t m, int64_t n, double *w, double *v)
{
	for (int64_t i = 0; i < n * n; i++) v[i] = 0;
	for (int64_t i = 0; i < n; i++) v[i * n + i] = 1;
	for (int sweep = 0; sweep < 80; sweep++) {
		int rotated = 0;
		for (int64_t p = 0; p < n - 1; p++)
			for (int64_t q = p + 1; q < n; q++) {
				double al = 0, be = 0, ga = 0;
				for (int64_t k = 0; k < m; k++) {
					double up = a[k * n + p], uq = a[k * n + q];
					al += up * up; be += uq * uq; ga += up * uq;
				}
				if (ga == 0 || fabs(ga) <= 1e-15 * sqrt(al * be)) continue;
				rotated = 1;
				double zeta = (be - al) / (2 * ga);
				double t = (zeta >= 0 ? 1 : -1) / (fabs(zeta) + sqrt(1 + zeta * zeta));
				double c = 1 / sqrt(1 + t * t), s = c * t;
				for (int64_t k = 0; k < m; k++) {
					double up = a[k * n + p], uq = a[k * n + q];
					a[k * n + p] = c * up - s * uq;
					a[k * n + q] = s * up + c * uq;
				}
				for (int64_t k = 0; k < n; k++) {
					double vp = v[k * n + p], vq = v[k * n + q];
					v[k * n + p] = c * vp - s * vq;
					v[k * n + q] = s * vp + c * vq;
				}
			}
		if (!rotated) {
			for (int64_t j = 0; j < n; j++) {
				double s = 0;
				for (int64_t k = 0; k < m; k++) s += a[k * n + j] * a[k * n + j];
				w[j] = sqrt(s);
				if (w[j] > 0) for (int64_t k = 0; k < m; k++) a[k * n + j] /= w[j];
			}
			return 0;
		}
	}
	return -1;
}

/* Check that v is an int or float vector of count r. */
static const char *lsq_vector(K v, int64_t r)
{
	if (v->t != -KT_INT && v->t != -KT_FLOAT) return "type";
	if (v->n != r) return "length";
	return NULL;
}

/* x _lsq y: the w that minimises |w _mul y - x| (least norm among equals).
 * y is a list of n vectors of count r; x a vector of count r, or a list of
 * them (then one solution each). */
K sys_lsq(K x, K y)
{
	K r = NULL, work = NULL;
	const char *e = NULL;
	if (x->t > 0 || x->t < -KT_FLOAT || y->t != KT_LIST) { e = "type"; goto fail; }
	if (!x->n || !y->n) { e = "length"; goto fail; }
	int64_t rows = kK(y)[0]->t < 0 ? kK(y)[0]->n : 0;
	if (rows <= 0) { e = kK(y)[0]->t < 0 || kK(y)[0]->t == KT_LIST ? "length" : "type"; goto fail; }
	for (int64_t i = 0; i < y->n && !e; i++) e = lsq_vector(kK(y)[i], rows);
	if (x->t == KT_LIST) for (int64_t i = 0; i < x->n && !e; i++) e = lsq_vector(kK(x)[i], rows);
	else if (x->n != rows) e = "length";
	if (e) goto fail;
	int64_t n = y->n, m = rows > n ? rows : n;
	/* scratch: A (m x n), V (n x n), w (n), t (n), b (m) */
	work = k_new(-KT_FLOAT, m * n + n * n + 2 * n + m);
	if (!work) goto fail;
	double *a = kF(work), *v = a + m * n, *w = v + n * n, *t = w + n, *b = t + n;
	for (int64_t i = 0; i < m * n; i++) a[i] = 0;
	for (int64_t j = 0; j < n; j++)
		for (int64_t i = 0; i < rows; i++) a[i * n + j] = num_at(kK(y)[j], i);
	if (svd_jacobi(a, m, n, w, v)) { e = "limit"; goto fail; }
	double wmax = 0;
	for (int64_t j = 0; j < n; j++) if (w[j] > wmax) wmax = w[j];
	for (int64_t j = 0; j < n; j++) if (w[j] < 1e-6 * wmax) w[j] = 0;
	int64_t nrhs = x->t == KT_LIST ? x->n : 1;
	r = x->t == KT_LIST ? k_list(nrhs) : NULL;
	if (x->t == KT_LIST && !r) goto fail;
	for (int64_t s = 0; s < nrhs; s++) {
		K rhs = x->t == KT_LIST ? kK(x)[s] : x;
		K out = k_new(-KT_FLOAT, n);
		if (!out) { if (r) r->n = s; goto fail; }
		for (int64_t i = 0; i < m; i++) b[i] = i < rows ? num_at(rhs, i) : 0;
		for (int64_t j = 0; j < n; j++) {
			double acc = 0;
			if (w[j]) {
				for (int64_t i = 0; i < m; i++) acc += a[i * n + j] * b[i];
				acc /= w[j];
			}
			t[j] = acc;
		}
		for (int64_t j = 0; j < n; j++) {
			double acc = 0;
			for (int64_t k = 0; k < n; k++) acc += v[j * n + k] * t[k];
			kF(out)[j] = acc;
		}
		if (r) kK(r)[s] = out;
		else r = out;
	}
	cd(work);
	cd(x);
	cd(y);
	return r;
fail:
	if (e) kerr(e);
	cd(r);
	cd(work);
	cd(x);
	cd(y);
	return NULL;
}

/* _inv x: the identity of order #*x _lsq x (the pseudo-inverse). */
K sys_inv(K x)
{
	if (x->t != KT_LIST) { cd(x); return kerr("type"); }
	if (!x->n || kK(x)[0]->t >= 0) { cd(x); return kerr(x->n ? "type" : "length"); }
	int64_t r = kK(x)[0]->n;
	K id = k_list(r);
	if (!id) { cd(x); return NULL; }
	for (int64_t i = 0; i < r; i++) {
		K row = k_new(-KT_INT, r);
		if (!row) { id->n = i; cd(id); cd(x); return NULL; }
		for (int64_t j = 0; j < r; j++) kI(row)[j] = i == j;
		kK(id)[i] = row;
	}
	return sys_lsq(id, x);
}
