/* Element conversions between float and the kernels' storage types:
 * bf16 (round to nearest even, NaN kept quiet) and IEEE f16. */
#include <string.h>

#include "sattn_rt.h"

static uint16_t f32_to_bf16(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  if ((u & 0x7fffffff) > 0x7f800000)
    return (uint16_t)((u >> 16) | 0x40);
  u += 0x7fff + ((u >> 16) & 1);
  return (uint16_t)(u >> 16);
}

float sattn_load_f32(sattn_dtype t, const void *buf, size_t i) {
  if (t == SATTN_F32)
    return ((const float *)buf)[i];
  uint16_t h = ((const uint16_t *)buf)[i];
  if (t == SATTN_BF16) {
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
  }
  _Float16 x;
  memcpy(&x, &h, 2);
  return (float)x;
}

float sattn_store_f32(sattn_dtype t, void *buf, size_t i, float x) {
  if (t == SATTN_F32) {
    ((float *)buf)[i] = x;
    return x;
  }
  uint16_t h;
  if (t == SATTN_BF16) {
    h = f32_to_bf16(x);
  } else {
    _Float16 y = (_Float16)x;
    memcpy(&h, &y, 2);
  }
  ((uint16_t *)buf)[i] = h;
  return sattn_load_f32(t, buf, i);
}

size_t sattn_dtype_size(sattn_dtype t) { return t == SATTN_F32 ? 4 : 2; }

DLDataType sattn_dtype_dlpack(sattn_dtype t) {
  return t == SATTN_F32   ? (DLDataType){kDLFloat, 32, 1}
         : t == SATTN_F16 ? (DLDataType){kDLFloat, 16, 1}
                          : (DLDataType){kDLBfloat, 16, 1};
}

DLTensor sattn_tensor_cpu(void *data, int ndim, int64_t *shape, sattn_dtype t) {
  DLTensor d;
  memset(&d, 0, sizeof d);
  d.data = data;
  d.device = (DLDevice){kDLCPU, 0};
  d.ndim = ndim;
  d.dtype = sattn_dtype_dlpack(t);
  d.shape = shape;
  return d;
}
