/* A host program that uses a kernel compiled ahead of time:
 *
 *   sattnc examples/longformer.sattn --emit=obj -o longformer.o   # + longformer.h
 *   cc -std=c11 -Iruntime -I. examples/host_aot.c longformer.o \
 *      build/runtime/libsattn_rt.a -lm -lpthread -o host_aot
 *   ./host_aot 4096
 *
 * It fills q, k, v (DLPack tensors over plain float arrays), runs the
 * Longformer kernel on every CPU through the runtime, and prints a checksum.
 * No MLIR at run time: only the object and libsattn_rt. */
#include <stdio.h>
#include <stdlib.h>

#include "longformer.h"

int main(int argc, char **argv) {
  int64_t L = argc > 1 ? atoll(argv[1]) : 1024;
  if (L < 1 || L > (1 << 20)) {
    fprintf(stderr, "usage: %s [SEQ_LEN from 1 to 1048576]\n", argv[0]);
    return 2;
  }
  int64_t shape[4] = {1, 4, L, 64}; /* batch, heads, seq, head_dim */
  size_t n = (size_t)(4 * L * 64);
  float *q = malloc(n * sizeof *q), *k = malloc(n * sizeof *k);
  float *v = malloc(n * sizeof *v), *out = malloc(n * sizeof *out);
  if (!q || !k || !v || !out) {
    fprintf(stderr, "out of memory\n");
    return 1;
  }
  for (size_t i = 0; i < n; i++) {
    q[i] = (float)((i * 7) % 13) / 13.0f - 0.5f;
    k[i] = (float)((i * 5) % 11) / 11.0f - 0.5f;
    v[i] = (float)((i * 3) % 17) / 17.0f - 0.5f;
  }
  DLTensor tq = {q, {kDLCPU, 0}, 4, {kDLFloat, 32, 1}, shape, NULL, 0};
  DLTensor tk = tq, tv = tq, to = tq;
  tk.data = k;
  tv.data = v;
  to.data = out;
  sattn_pool *pool;
  sattn_error err;
  if (sattn_pool_create(0, &pool, &err)) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  sattn_status s = longformer_f32_run(pool, &tq, &tk, &tv, &to, NULL, &err);
  if (s != SATTN_OK) {
    fprintf(stderr, "%s: %s\n", sattn_status_name(s), err.message);
    return 1;
  }
  double sum = 0;
  for (size_t i = 0; i < n; i++)
    sum += out[i];
  printf("longformer_f32 on %lld tokens, %d threads: checksum %.6f\n", (long long)L,
         sattn_pool_threads(pool), sum);
  sattn_pool_destroy(pool);
  free(q), free(k), free(v), free(out);
  return 0;
}
