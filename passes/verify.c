/* sattn-verify: value rules of the sattn ops that IRDL cannot express.
 *
 * IRDL in MLIR 22 checks that attributes exist and are of the right kind;
 * this pass checks what they say (positive sizes, powers of two, a static
 * `among`, well-formed head groups, attention operand types). The front end
 * checks the same rules at the source level, so this pass matters for IR
 * written or transformed by hand; the drivers run it after emission too. */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"
#include "ops.h"
#include "registry.h"

#define MAX_SIZE ((int64_t)1 << 40)
#define MAX_BLOCK ((int64_t)1 << 20)

typedef struct checker {
  bool failed;
} checker;

static void fail(checker *c, MlirOperation op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(checker *c, MlirOperation op, const char *fmt, ...) {
  char msg[512];
  MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(op));
  int n = snprintf(msg, sizeof msg, "'%.*s' op ", (int)name.length, name.data);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
  va_end(ap);
  mlirEmitError(mlirOperationGetLocation(op), msg);
  c->failed = true;
}

/* Reads a 64-bit integer attribute (IRDL has checked that it exists). */
static bool get_i64(checker *c, MlirOperation op, const char *name,
                    int64_t *out) {
  MlirAttribute a =
      mlirOperationGetAttributeByName(op, mlirStringRefCreateFromCString(name));
  if (mlirAttributeIsNull(a) || !mlirAttributeIsAInteger(a)) {
    fail(c, op, "needs an integer attribute '%s'", name);
    return false;
  }
  MlirType t = mlirAttributeGetType(a);
  if (!mlirTypeIsAInteger(t) || mlirIntegerTypeGetWidth(t) != 64) {
    fail(c, op, "attribute '%s' must be a 64-bit integer (i64)", name);
    return false;
  }
  *out = mlirIntegerAttrGetValueInt(a);
  return true;
}

/* min: 0 (non-negative) or 1 (positive). */
static bool check_size(checker *c, MlirOperation op, const char *name,
                       int64_t min, int64_t *out) {
  int64_t v;
  if (!get_i64(c, op, name, &v))
    return false;
  if (v < min) {
    fail(c, op, "%s must be %s, got %lld", name,
         min ? "positive" : "non-negative", (long long)v);
    return false;
  }
  if (v > MAX_SIZE) {
    fail(c, op, "%s = %lld exceeds the limit of 2^40", name, (long long)v);
    return false;
  }
  if (out)
    *out = v;
  return true;
}

static bool check_block(checker *c, MlirOperation op) {
  int64_t v;
  if (!get_i64(c, op, "block", &v))
    return false;
  if (v <= 0 || (v & (v - 1)) != 0 || v > MAX_BLOCK) {
    fail(c, op, "block must be a power of two from 1 to 2^20, got %lld",
         (long long)v);
    return false;
  }
  return true;
}

static bool op_is(MlirOperation op, const char *name) {
  MlirStringRef s = mlirIdentifierStr(mlirOperationGetName(op));
  return s.length == strlen(name) && memcmp(s.data, name, s.length) == 0;
}

/* A sattn op that produces a mask (a term or a combinator). */
static bool is_mask_op(MlirOperation op) { return sattn_op_is_mask(op); }

static bool is_dynamic_op(MlirOperation op) {
  return op_is(op, SATTN_OP_TOPK) || op_is(op, SATTN_OP_BLOCKS) ||
         op_is(op, SATTN_OP_SAME);
}

/* Whether a mask value is computed from static terms only: a walk over the
 * defining ops with a visited set, since masks form a DAG (a shared operand
 * would otherwise be walked once per path: exponential). A block argument
 * counts as not static. */
typedef struct op_set {
  void **slots;
  size_t cap, n;
  bool oom;
} op_set;

/* Inserts p; returns false if it was there already. */
static bool set_insert(op_set *s, void *p) {
  if (s->n * 2 >= s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    void **slots = calloc(cap, sizeof *slots);
    if (!slots) {
      s->oom = true;
      return false;
    }
    for (size_t i = 0; i < s->cap; i++)
      if (s->slots[i]) {
        size_t h = ((uintptr_t)s->slots[i] >> 4) & (cap - 1);
        while (slots[h])
          h = (h + 1) & (cap - 1);
        slots[h] = s->slots[i];
      }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
  }
  size_t h = ((uintptr_t)p >> 4) & (s->cap - 1);
  while (s->slots[h]) {
    if (s->slots[h] == p)
      return false;
    h = (h + 1) & (s->cap - 1);
  }
  s->slots[h] = p;
  s->n++;
  return true;
}

static bool is_static_mask(MlirValue root) {
  op_set seen = {0};
  size_t cap = 64, n = 0;
  MlirValue *stack = malloc(cap * sizeof *stack);
  bool ok = stack != NULL;
  if (ok)
    stack[n++] = root;
  while (ok && n) {
    MlirValue v = stack[--n];
    if (!mlirValueIsAOpResult(v)) {
      ok = false;
      break;
    }
    MlirOperation def = mlirOpResultGetOwner(v);
    if (!set_insert(&seen, def.ptr)) {
      ok = !seen.oom;
      continue;
    }
    /* Only sattn mask ops are known to be static: a mask that comes out of
     * a call or a region (func.call, scf.if) cannot be proven static. */
    if (is_dynamic_op(def) || !is_mask_op(def)) {
      ok = false;
      break;
    }
    intptr_t k = mlirOperationGetNumOperands(def);
    for (intptr_t i = 0; i < k && ok; i++) {
      if (n == cap) {
        MlirValue *grown = realloc(stack, 2 * cap * sizeof *stack);
        if (!grown) {
          ok = false;
          break;
        }
        stack = grown;
        cap *= 2;
      }
      stack[n++] = mlirOperationGetOperand(def, i);
    }
  }
  free(stack);
  free(seen.slots);
  return ok;
}

static void check_global(checker *c, MlirOperation op) {
  MlirAttribute a = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString("ranges"));
  if (!mlirAttributeIsADenseI64Array(a)) {
    fail(c, op, "ranges must be an array<i64> of [start, end) pairs");
    return;
  }
  intptr_t n = mlirDenseArrayGetNumElements(a);
  if (n == 0 || n % 2) {
    fail(c, op, "ranges must hold a non-empty list of [start, end) pairs, got "
                "%lld values", (long long)n);
    return;
  }
  int64_t prev_end = -1;
  for (intptr_t i = 0; i < n; i += 2) {
    int64_t s = mlirDenseI64ArrayGetElement(a, i);
    int64_t e = mlirDenseI64ArrayGetElement(a, i + 1);
    if (s < 0 || e <= s || e > MAX_SIZE) {
      fail(c, op, "range [%lld, %lld) is empty or out of [0, 2^40]",
           (long long)s, (long long)e);
      return;
    }
    if (s <= prev_end) {
      fail(c, op, "ranges must be sorted, disjoint and not adjacent (merge "
                  "[..., %lld) and [%lld, ...))", (long long)prev_end, (long long)s);
      return;
    }
    prev_end = e;
  }
}

static void check_topk(checker *c, MlirOperation op) {
  check_size(c, op, "k", 1, NULL);
  check_block(c, op);
  MlirAttribute score = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString("score"));
  bool by_input = mlirAttributeIsAString(score) &&
                  mlirStringAttrGetValue(score).length == 5;
  int64_t input;
  if (get_i64(c, op, "input", &input)) {
    if (by_input && input < 0)
      fail(c, op, "score = \"input\" needs a dynamic input number >= 0, got %lld",
           (long long)input);
    if (!by_input && input != -1)
      fail(c, op, "score = \"meankey\" reads no input: input must be -1, got %lld",
           (long long)input);
  }
  if (!is_static_mask(mlirOperationGetOperand(op, 0)))
    fail(c, op, "'among' must be a static mask (no topk, blocks or same); a "
                "mask from a call or a region cannot be proven static");
}

static bool float_elem(MlirType t) {
  return mlirTypeIsAF32(t) || mlirTypeIsAF16(t) || mlirTypeIsABF16(t);
}

static void check_attention(checker *c, MlirOperation op) {
  intptr_t nops = mlirOperationGetNumOperands(op);
  if (nops < 4) {
    fail(c, op, "needs at least one mask");
    return;
  }
  MlirType qt = mlirValueGetType(mlirOperationGetOperand(op, 0));
  int64_t dim = -1;
  for (int i = 0; i < 3; i++) {
    static const char *const names[] = {"q", "k", "v"};
    MlirType t = mlirValueGetType(mlirOperationGetOperand(op, i));
    if (!mlirTypeIsARankedTensor(t) || mlirShapedTypeGetRank(t) != 4) {
      fail(c, op, "%s must be a rank-4 tensor [batch, heads, seq, head_dim]",
           names[i]);
      return;
    }
    MlirType e = mlirShapedTypeGetElementType(t);
    if (!float_elem(e)) {
      fail(c, op, "%s must have element type f32, f16 or bf16", names[i]);
      return;
    }
    if (!mlirTypeEqual(e, mlirShapedTypeGetElementType(qt))) {
      fail(c, op, "q, k and v must have the same element type");
      return;
    }
    int64_t d = mlirShapedTypeGetDimSize(t, 3);
    if (mlirShapedTypeIsDynamicSize(d) || d < 16 || d > 256 || d % 16) {
      fail(c, op, "%s: head_dim must be static, a multiple of 16 from 16 to 256",
           names[i]);
      return;
    }
    if (dim >= 0 && d != dim) {
      fail(c, op, "q, k and v must have the same head_dim (%lld vs %lld)",
           (long long)dim, (long long)d);
      return;
    }
    dim = d;
  }
  if (!mlirTypeEqual(mlirValueGetType(mlirOperationGetResult(op, 0)), qt))
    fail(c, op, "the result must have the type of q");
  if (mlirOperationGetNumResults(op) == 2) {
    MlirType lt = mlirValueGetType(mlirOperationGetResult(op, 1));
    if (!mlirTypeIsARankedTensor(lt) || mlirShapedTypeGetRank(lt) != 3 ||
        !mlirTypeIsAF32(mlirShapedTypeGetElementType(lt))) {
      fail(c, op, "the lse result must be a rank-3 f32 tensor [batch, heads, seq]");
    } else {
      for (intptr_t d = 0; d < 3; d++) {
        int64_t a = mlirShapedTypeGetDimSize(lt, d), b = mlirShapedTypeGetDimSize(qt, d);
        if (!mlirShapedTypeIsDynamicSize(a) && !mlirShapedTypeIsDynamicSize(b) && a != b) {
          fail(c, op, "lse dimension %lld is %lld, but q's is %lld (lse is [batch, "
                      "heads_q, seq_q])", (long long)d, (long long)a, (long long)b);
          break;
        }
      }
    }
  }
  MlirAttribute scale = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString("scale"));
  double s = mlirFloatAttrGetValueDouble(scale);
  if (!(s > 0) || !isfinite(s))
    fail(c, op, "scale must be a positive finite number");
  MlirAttribute groups = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString("groups"));
  if (!mlirAttributeIsADenseI64Array(groups)) {
    fail(c, op, "groups must be an array<i64>");
    return;
  }
  intptr_t ng = mlirDenseArrayGetNumElements(groups);
  if (ng != nops - 3 + 1) {
    fail(c, op, "groups must hold %lld values (the first head of each of the %lld "
                "masks, then the end), got %lld",
         (long long)(nops - 2), (long long)(nops - 3), (long long)ng);
    return;
  }
  if (mlirDenseI64ArrayGetElement(groups, 0) != 0) {
    fail(c, op, "the first head group must start at head 0");
    return;
  }
  for (intptr_t i = 1; i < ng; i++) {
    int64_t prev = mlirDenseI64ArrayGetElement(groups, i - 1);
    int64_t g = mlirDenseI64ArrayGetElement(groups, i);
    if (!(g > prev || (i == ng - 1 && g == -1))) {
      fail(c, op, "head groups must be increasing (only the last end may be -1 "
                  "for open), got %lld after %lld", (long long)g, (long long)prev);
      return;
    }
  }
  int64_t end = mlirDenseI64ArrayGetElement(groups, ng - 1);
  int64_t heads = mlirShapedTypeGetDimSize(qt, 1);
  if (end != -1 && !mlirShapedTypeIsDynamicSize(heads) && end != heads)
    fail(c, op, "head groups end at head %lld, but q has %lld heads",
         (long long)end, (long long)heads);
}

static bool str_in(MlirOperation op, const char *name, const char *const *allowed) {
  MlirStringRef s;
  if (!sattn_get_string_attr(op, name, &s))
    return false;
  for (; *allowed; allowed++)
    if (strlen(*allowed) == s.length && !memcmp(*allowed, s.data, s.length))
      return true;
  return false;
}

static void check_in(checker *c, MlirOperation op, const char *name, int64_t lo,
                     int64_t hi, int64_t *out) {
  int64_t v;
  if (!get_i64(c, op, name, &v))
    return;
  if (v < lo || v > hi)
    fail(c, op, "%s = %lld is out of [%lld, %lld]", name, (long long)v, (long long)lo,
         (long long)hi);
  else if (out)
    *out = v;
}

/* The schedule and tile ops (sattn-blockify, sattn-tile). */
static void check_schedule_op(checker *c, MlirOperation op) {
  static const char *const anchors[] = {"zero", "first", "last", "end", NULL};
  static const char *const periodic_anchors[] = {"zero", "first", NULL};
  switch (sattn_op_get_kind(op)) {
  case SATTN_KEYS_RANGE:
    if (!str_in(op, "from", anchors) || !str_in(op, "to", anchors))
      fail(c, op, "from and to must each be \"zero\", \"first\", \"last\" or \"end\"");
    check_in(c, op, "lo", -2 * MAX_SIZE, 2 * MAX_SIZE, NULL);
    check_in(c, op, "hi", -2 * MAX_SIZE, 2 * MAX_SIZE, NULL);
    check_in(c, op, "align", 1, MAX_BLOCK, NULL);
    break;
  case SATTN_KEYS_PERIODIC: {
    int64_t period = 0;
    check_in(c, op, "period", 1, MAX_SIZE, &period);
    if (period) {
      check_in(c, op, "offset", 0, period - 1, NULL);
      check_in(c, op, "count", 1, period, NULL);
    }
    if (!str_in(op, "anchor", periodic_anchors))
      fail(c, op, "anchor must be \"zero\" or \"first\"");
    break;
  }
  case SATTN_KEYS_COLUMNS:
  case SATTN_KEYS_ROWS:
  case SATTN_COLUMNS:
  case SATTN_ROWS:
    check_global(c, op);
    break;
  case SATTN_KEYS_RANDOM:
    check_in(c, op, "count", 1, 65536, NULL);
    check_block(c, op);
    break;
  case SATTN_KEYS_UNION:
  case SATTN_KEYS_INTERSECT:
    if (mlirOperationGetNumOperands(op) < 2)
      fail(c, op, "needs at least two key sets, got %lld",
           (long long)mlirOperationGetNumOperands(op));
    break;
  case SATTN_BLOCKED_ATTENTION:
    check_attention(c, op);
    check_in(c, op, "block_q", 1, 4096, NULL);
    check_in(c, op, "block_k", 1, 4096, NULL);
    break;
  case SATTN_TILE_STEP: {
    check_in(c, op, "block_k", 1, 4096, NULL);
    int64_t map[4];
    intptr_t n = sattn_get_i64_array(op, "key_map", map, 4);
    if (n < 0 || (n > 0 && !((map[0] == 1 && n % 2 == 1 && n >= 3) ||
                             (map[0] == 2 && n == 4 && map[1] >= 1 && map[3] >= 1 &&
                              map[3] <= map[1]))))
      fail(c, op, "key_map must be [], [1, s0, e0, ...] or [2, period, offset, count]");
    break;
  }
  default:
    break;
  }
}

static void check_op(checker *c, MlirOperation op) {
  if (sattn_op_get_kind(op) > SATTN_ATTENTION) {
    check_schedule_op(c, op);
    return;
  }
  if (op_is(op, SATTN_OP_WINDOW)) {
    check_size(c, op, "left", 0, NULL);
    check_size(c, op, "right", 0, NULL);
  } else if (op_is(op, SATTN_OP_LOCAL)) {
    check_size(c, op, "width", 0, NULL);
    check_block(c, op);
  } else if (op_is(op, SATTN_OP_DILATED)) {
    int64_t r, d;
    if (check_size(c, op, "radius", 0, &r) && check_size(c, op, "dilation", 1, &d) &&
        r > MAX_SIZE / d)
      fail(c, op, "radius * dilation exceeds the limit of 2^40");
  } else if (op_is(op, SATTN_OP_STRIDE)) {
    check_size(c, op, "stride", 1, NULL);
  } else if (op_is(op, SATTN_OP_SUMMARY)) {
    int64_t s, n;
    if (check_size(c, op, "stride", 1, &s) && check_size(c, op, "count", 1, &n) &&
        n > s)
      fail(c, op, "count (%lld) must not exceed stride (%lld)", (long long)n,
           (long long)s);
  } else if (op_is(op, SATTN_OP_GLOBAL)) {
    check_global(c, op);
  } else if (op_is(op, SATTN_OP_RANDOM)) {
    int64_t seed;
    int64_t count;
    if (check_size(c, op, "count", 1, &count) && count > 65536)
      fail(c, op, "count = %lld exceeds the limit of 65536 blocks", (long long)count);
    check_block(c, op);
    get_i64(c, op, "seed", &seed);
  } else if (op_is(op, SATTN_OP_TOPK)) {
    check_topk(c, op);
  } else if (op_is(op, SATTN_OP_BLOCKS)) {
    check_block(c, op);
    check_size(c, op, "input", 0, NULL);
  } else if (op_is(op, SATTN_OP_SAME)) {
    check_size(c, op, "input", 0, NULL);
  } else if (op_is(op, SATTN_OP_UNION) || op_is(op, SATTN_OP_INTERSECT)) {
    if (mlirOperationGetNumOperands(op) < 2)
      fail(c, op, "needs at least two masks, got %lld",
           (long long)mlirOperationGetNumOperands(op));
  } else if (op_is(op, SATTN_OP_ATTENTION)) {
    check_attention(c, op);
  }
}

static MlirWalkResult visit(MlirOperation op, void *user) {
  check_op(user, op);
  return MlirWalkResultAdvance;
}

bool sattn_verify_values(MlirOperation op) {
  checker c = {false};
  mlirOperationWalk(op, visit, &c, MlirWalkPreOrder);
  return !c.failed;
}

static void run(MlirOperation op, MlirExternalPass pass, void *user) {
  if (!sattn_verify_values(op))
    mlirExternalPassSignalFailure(pass);
}

static void construct(void *user) {}
static void destruct(void *user) {}
static void *clone(void *user) { return user; }

MlirPass sattn_create_verify_pass(const char *options, char *err,
                                  size_t errlen) {
  static MlirTypeID id;
  if (options && options[strspn(options, " ")]) {
    snprintf(err, errlen, "sattn-verify takes no options");
    return (MlirPass){NULL};
  }
  if (!id.ptr)
    id = sattn_pass_type_id();
  MlirExternalPassCallbacks cb = {construct, destruct, NULL, clone, run};
  return mlirCreateExternalPass(
      id, mlirStringRefCreateFromCString("SattnVerify"),
      mlirStringRefCreateFromCString("sattn-verify"),
      mlirStringRefCreateFromCString("Check the values of sattn ops"),
      mlirStringRefCreateFromCString(""), 0, NULL, cb, NULL);
}
