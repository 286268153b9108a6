/* Dense reference attention with float64 accumulation.
 *
 * For every (batch b, query head h, row i), over the keys j with M(i, j):
 *   s_j = scale * q_i . k_j,  m = max s_j,
 *   out_i = sum exp(s_j - m) v_j / sum exp(s_j - m),
 *   lse_i = m + log(sum exp(s_j - m)).
 * Two passes per row (max, then sums), the mask evaluated once per (i, j)
 * and kept in a row buffer for both. A row with no allowed key gives
 * out_i = 0 and lse_i = -inf.
 */
#include "oracle.h"

#include <math.h>
#include <stdlib.h>

/* *r = a * b for a, b >= 0; false on int64_t overflow. */
static bool mul_ok(int64_t a, int64_t b, int64_t *r) {
  if (a != 0 && b > INT64_MAX / a)
    return false;
  *r = a * b;
  return true;
}

/* Element count of a [n0, n1, n2, n3] tensor, or -1 when it does not fit
 * int64_t or size_t bytes of doubles (the largest element type here). */
static int64_t numel4(int64_t n0, int64_t n1, int64_t n2, int64_t n3) {
  int64_t r;
  if (!mul_ok(n0, n1, &r) || !mul_ok(r, n2, &r) || !mul_ok(r, n3, &r))
    return -1;
  if ((uint64_t)r > SIZE_MAX / sizeof(double))
    return -1;
  return r;
}

static bool dims_ok(const orc_dims *d) {
  if (d->batch <= 0 || d->heads_q <= 0 || d->heads_kv <= 0 || d->seq_q <= 0 ||
      d->seq_k <= 0 || d->dim <= 0)
    return false;
  if (d->heads_q % d->heads_kv != 0)
    return false;
  return numel4(d->batch, d->heads_q, d->seq_q, d->dim) >= 0 &&
         numel4(d->batch, d->heads_kv, d->seq_k, d->dim) >= 0;
}

/* group_starts: ngroups entries, the first 0, strictly increasing, all below
 * heads_q; NULL only with one group. Every mask must be non-NULL. */
static bool groups_ok(int64_t heads_q, const orc_node *const *masks,
                      const int64_t *group_starts, size_t ngroups) {
  if (!masks || ngroups == 0 || (uint64_t)ngroups > (uint64_t)heads_q)
    return false;
  for (size_t g = 0; g < ngroups; ++g)
    if (!masks[g])
      return false;
  if (!group_starts)
    return ngroups == 1;
  if (group_starts[0] != 0)
    return false;
  for (size_t g = 1; g < ngroups; ++g)
    if (group_starts[g] <= group_starts[g - 1] || group_starts[g] >= heads_q)
      return false;
  return true;
}

static const orc_node *mask_of_head(int64_t h, const orc_node *const *masks,
                                    const int64_t *group_starts,
                                    size_t ngroups) {
  size_t g = 0;
  if (group_starts)
    while (g + 1 < ngroups && group_starts[g + 1] <= h)
      ++g;
  return masks[g];
}

static double dot(const float *a, const float *b, int64_t n) {
  double s = 0.0;
  for (int64_t x = 0; x < n; ++x)
    s += (double)a[x] * (double)b[x];
  return s;
}

/* One output row. allowed[j] holds the mask row, score a scratch row. */
static void attend_row(const orc_dims *d, const float *qi, const float *kh,
                       const float *vh, double scale,
                       const unsigned char *allowed, double *score,
                       double *oi, double *lse_i) {
  int64_t D = d->dim;
  double m = -INFINITY;
  bool any = false;
  for (int64_t j = 0; j < d->seq_k; ++j) {
    if (!allowed[j])
      continue;
    score[j] = scale * dot(qi, kh + j * D, D);
    if (!any || score[j] > m)
      m = score[j];
    any = true;
  }
  for (int64_t x = 0; x < D; ++x)
    oi[x] = 0.0;
  if (!any) {
    if (lse_i)
      *lse_i = -INFINITY;
    return;
  }
  double sum = 0.0;
  for (int64_t j = 0; j < d->seq_k; ++j) {
    if (!allowed[j])
      continue;
    double w = exp(score[j] - m);
    sum += w;
    const float *vj = vh + j * D;
    for (int64_t x = 0; x < D; ++x)
      oi[x] += w * (double)vj[x];
  }
  for (int64_t x = 0; x < D; ++x)
    oi[x] /= sum;
  if (lse_i)
    *lse_i = m + log(sum);
}

int orc_attention(const orc_dims *d, const float *q, const float *k,
                  const float *v, double scale, const orc_node *const *masks,
                  const int64_t *group_starts, size_t ngroups, double *out,
                  double *lse) {
  if (!d || !q || !k || !v || !out || !isfinite(scale))
    return -1;
  if (!dims_ok(d) || !groups_ok(d->heads_q, masks, group_starts, ngroups))
    return -1;

  int64_t Lq = d->seq_q, Lk = d->seq_k, D = d->dim;
  int64_t per_kv = d->heads_q / d->heads_kv;
  unsigned char *allowed = malloc((size_t)Lk);
  double *score = malloc((size_t)Lk * sizeof *score);
  if (!allowed || !score) {
    free(allowed);
    free(score);
    return -1;
  }

  int rc = 0;
  /* Heads outer, batch inner: the mask row depends on (h, i) only, so it is
   * evaluated once and reused by every batch (and random caches stay hot). */
  for (int64_t h = 0; h < d->heads_q && rc == 0; ++h) {
    const orc_node *mask = mask_of_head(h, masks, group_starts, ngroups);
    int64_t hk = h / per_kv;
    for (int64_t i = 0; i < Lq && rc == 0; ++i) {
      for (int64_t j = 0; j < Lk; ++j) {
        orc_truth t = orc_eval(mask, i, j, Lq, Lk, h);
        if (t == ORC_MAYBE) {
          rc = -1; /* a dynamic term left this cell undecided */
          break;
        }
        allowed[j] = t == ORC_YES;
      }
      if (rc != 0)
        break;
      for (int64_t b = 0; b < d->batch; ++b) {
        int64_t qrow = (b * d->heads_q + h) * Lq + i;
        int64_t kvoff = (b * d->heads_kv + hk) * Lk * D;
        attend_row(d, q + qrow * D, k + kvoff, v + kvoff, scale, allowed,
                   score, out + qrow * D, lse ? lse + qrow : NULL);
      }
    }
  }
  free(allowed);
  free(score);
  return rc;
}
