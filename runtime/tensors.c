/* Validation of the DLPack tensors of one attention call. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sattn_rt.h"

static sattn_status fail(sattn_error *err, sattn_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static sattn_status fail(sattn_error *err, sattn_status s, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    err->status = s;
  }
  return s;
}

static bool dtype_is(DLDataType t, sattn_dtype want) {
  if (t.lanes != 1)
    return false;
  switch (want) {
  case SATTN_F32: return t.code == kDLFloat && t.bits == 32;
  case SATTN_F16: return t.code == kDLFloat && t.bits == 16;
  case SATTN_BF16: return t.code == kDLBfloat && t.bits == 16;
  }
  return false;
}

static void describe_dtype(DLDataType t, char *buf, size_t n) {
  const char *code = t.code == kDLFloat    ? "float"
                     : t.code == kDLBfloat ? "bfloat"
                     : t.code == kDLInt    ? "int"
                     : t.code == kDLUInt   ? "uint"
                                           : "code?";
  if (t.lanes == 1)
    snprintf(buf, n, "%s%u", code, t.bits);
  else
    snprintf(buf, n, "%s%ux%u", code, t.bits, t.lanes);
}

/* Checks one tensor's pointer, device, rank, sizes and strides; fills view.
 * want_dtype < 0: float32 (lse). */
static sattn_status check_one(const char *name, const DLTensor *t, int ndim,
                              const char *dims, sattn_dtype dtype,
                              bool is_f32_out, bool is_output,
                              sattn_view *view, sattn_error *err) {
  if (!t)
    return fail(err, SATTN_ERR_NULL, "%s: the tensor pointer is NULL", name);
  if (t->device.device_type != kDLCPU)
    return fail(err, SATTN_ERR_DEVICE,
                "%s: the tensor is on device type %d; the CPU runtime needs "
                "kDLCPU (%d)", name, (int)t->device.device_type, (int)kDLCPU);
  if (t->ndim != ndim)
    return fail(err, SATTN_ERR_SHAPE, "%s: expected %d dimensions %s, got %d",
                name, ndim, dims, t->ndim);
  if (!t->shape)
    return fail(err, SATTN_ERR_NULL, "%s: shape is NULL", name);
  bool ok_type = is_f32_out ? dtype_is(t->dtype, SATTN_F32) : dtype_is(t->dtype, dtype);
  if (!ok_type) {
    char got[32];
    describe_dtype(t->dtype, got, sizeof got);
    return fail(err, SATTN_ERR_DTYPE, "%s: element type %s, the kernel takes %s",
                name, got, is_f32_out ? "float32" : sattn_dtype_name(dtype));
  }
  int64_t elems = 1;
  for (int d = 0; d < ndim; d++) {
    if (t->shape[d] < 0)
      return fail(err, SATTN_ERR_SHAPE, "%s: dimension %d has negative size %lld",
                  name, d, (long long)t->shape[d]);
    elems = t->shape[d] == 0 ? 0 : elems;
  }
  for (int d = 0; d < ndim; d++)
    view->strides[d] = 0;
  /* Compact strides when none are given. */
  int64_t compact = 1;
  for (int d = ndim - 1; d >= 0; d--) {
    int64_t s = t->strides ? t->strides[d] : compact;
    view->strides[d] = s;
    if (t->shape[d] > 0 && compact > INT64_MAX / (t->shape[d] ? t->shape[d] : 1))
      return fail(err, SATTN_ERR_SHAPE, "%s: the tensor has more than 2^63 elements",
                  name);
    compact *= t->shape[d] ? t->shape[d] : 1;
  }
  /* Generated kernels index with no-wrap arithmetic: negative strides
   * (reversed views) are refused rather than left undefined. */
  for (int d = 0; d < ndim; d++)
    if (view->strides[d] < 0)
      return fail(err, SATTN_ERR_STRIDE,
                  "%s: stride %lld on dimension %d: negative strides are not "
                  "supported (make the tensor contiguous first)", name,
                  (long long)view->strides[d], d);
  /* The farthest element must be addressable: sum stride * (size - 1). */
  uint64_t reach = 0;
  for (int d = 0; d < ndim && elems; d++) {
    uint64_t s = (uint64_t)view->strides[d];
    uint64_t n = (uint64_t)t->shape[d] - 1;
    if (s && n > (UINT64_MAX / 16) / s)
      return fail(err, SATTN_ERR_STRIDE, "%s: strides reach past the address space",
                  name);
    reach += s * n;
    if (reach > (uint64_t)INT64_MAX / 16)
      return fail(err, SATTN_ERR_STRIDE, "%s: strides reach past the address space",
                  name);
    if (is_output && view->strides[d] == 0 && t->shape[d] > 1)
      return fail(err, SATTN_ERR_STRIDE,
                  "%s: stride 0 on dimension %d (size %lld) would write several "
                  "rows to one place", name, d, (long long)t->shape[d]);
  }
  if (!t->data && elems)
    return fail(err, SATTN_ERR_NULL, "%s: data is NULL", name);
  view->data = t->data ? (char *)t->data + t->byte_offset : NULL;
  size_t align = is_f32_out || dtype == SATTN_F32 ? 4 : 2;
  if (view->data && (uintptr_t)view->data % align)
    return fail(err, SATTN_ERR_STRIDE,
                "%s: data + byte_offset is not aligned to the element size (%zu bytes)",
                name, align);
  return SATTN_OK;
}

sattn_status sattn_check_tensors(const DLTensor *q, const DLTensor *k,
                                 const DLTensor *v, const DLTensor *out,
                                 const DLTensor *lse, sattn_dtype dtype,
                                 int64_t head_dim, sattn_shape *shape,
                                 sattn_views *views, sattn_error *err) {
  static const char dims[] = "[batch, heads, seq, dim]";
  if (!shape || !views)
    return fail(err, SATTN_ERR_NULL, "shape and views must not be NULL");
  if (dtype != SATTN_F32 && dtype != SATTN_F16 && dtype != SATTN_BF16)
    return fail(err, SATTN_ERR_ARGUMENT, "dtype: unknown element type %d", (int)dtype);
  memset(views, 0, sizeof *views);
  sattn_status s;
  if ((s = check_one("q", q, 4, dims, dtype, false, false, &views->q, err)) ||
      (s = check_one("k", k, 4, dims, dtype, false, false, &views->k, err)) ||
      (s = check_one("v", v, 4, dims, dtype, false, false, &views->v, err)) ||
      (s = check_one("out", out, 4, dims, dtype, false, true, &views->out, err)))
    return s;
  if (lse && (s = check_one("lse", lse, 3, "[batch, heads, seq]", dtype, true,
                            true, &views->lse, err)))
    return s;
  const DLTensor *const all[] = {q, k, v, out};
  static const char *const names[] = {"q", "k", "v", "out"};
  for (int i = 0; i < 4; i++)
    if (all[i]->shape[3] != head_dim)
      return fail(err, SATTN_ERR_SHAPE, "%s: head dimension %lld, the kernel is "
                  "compiled for head_dim = %lld", names[i],
                  (long long)all[i]->shape[3], (long long)head_dim);
  for (int i = 1; i < 4; i++)
    if (all[i]->shape[0] != q->shape[0])
      return fail(err, SATTN_ERR_SHAPE, "%s: batch %lld differs from q's batch %lld",
                  names[i], (long long)all[i]->shape[0], (long long)q->shape[0]);
  for (int d = 1; d < 3; d++) {
    if (v->shape[d] != k->shape[d])
      return fail(err, SATTN_ERR_SHAPE, "v: dimension %d is %lld, k has %lld "
                  "(v must be [batch, heads_kv, seq_k, dim] like k)", d,
                  (long long)v->shape[d], (long long)k->shape[d]);
    if (out->shape[d] != q->shape[d])
      return fail(err, SATTN_ERR_SHAPE, "out: dimension %d is %lld, q has %lld "
                  "(out must have q's shape)", d, (long long)out->shape[d],
                  (long long)q->shape[d]);
  }
  if (k->shape[1] == 0 && q->shape[1] != 0)
    return fail(err, SATTN_ERR_SHAPE, "k: 0 heads, but q has %lld",
                (long long)q->shape[1]);
  if (k->shape[1] && q->shape[1] % k->shape[1])
    return fail(err, SATTN_ERR_SHAPE, "q: %lld heads is not a multiple of the %lld "
                "key/value heads (GQA needs heads_q = g * heads_kv)",
                (long long)q->shape[1], (long long)k->shape[1]);
  if (lse)
    for (int d = 0; d < 3; d++)
      if (lse->shape[d] != q->shape[d])
        return fail(err, SATTN_ERR_SHAPE, "lse: dimension %d is %lld, q has %lld "
                    "(lse is [batch, heads_q, seq_q])", d, (long long)lse->shape[d],
                    (long long)q->shape[d]);
  *shape = (sattn_shape){q->shape[0], q->shape[1], k->shape[1],
                         q->shape[2], k->shape[2], q->shape[3]};
  return SATTN_OK;
}
