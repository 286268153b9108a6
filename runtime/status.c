/* Status and dtype names. */
#include "sattn_rt.h"

const char *sattn_status_name(sattn_status s) {
  switch (s) {
  case SATTN_OK: return "SATTN_OK";
  case SATTN_ERR_NULL: return "SATTN_ERR_NULL";
  case SATTN_ERR_SHAPE: return "SATTN_ERR_SHAPE";
  case SATTN_ERR_DTYPE: return "SATTN_ERR_DTYPE";
  case SATTN_ERR_DEVICE: return "SATTN_ERR_DEVICE";
  case SATTN_ERR_STRIDE: return "SATTN_ERR_STRIDE";
  case SATTN_ERR_ARGUMENT: return "SATTN_ERR_ARGUMENT";
  case SATTN_ERR_NO_MEMORY: return "SATTN_ERR_NO_MEMORY";
  case SATTN_ERR_SYSTEM: return "SATTN_ERR_SYSTEM";
  }
  return "SATTN_ERR_UNKNOWN";
}

const char *sattn_dtype_name(sattn_dtype t) {
  switch (t) {
  case SATTN_F32: return "f32";
  case SATTN_F16: return "f16";
  case SATTN_BF16: return "bf16";
  }
  return "?";
}
