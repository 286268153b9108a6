/* A fixed thread pool: workers sleep on a condition variable between runs;
 * a run hands out items from an atomic counter in shrinking chunks (work
 * items of a sparse pattern differ in cost, so static splits leave threads
 * idle; see drain).
 * The calling thread is worker 0. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sattn_rt.h"

enum { MAX_THREADS = 1024 };

struct sattn_pool {
  int threads;
  pthread_t *tids;
  pthread_mutex_t mu;
  pthread_cond_t wake, done;
  _Atomic uint64_t generation; /* bumped per run (under mu) */
  _Atomic int busy;             /* workers still inside the current run (under mu) */
  _Atomic bool stop;
  /* the current run */
  sattn_item_fn fn;
  void *ctx;
  int64_t n_items, chunk;
  _Atomic int64_t next;
  atomic_flag running; /* one run at a time */
};

typedef struct worker_arg {
  sattn_pool *pool;
  int id;
} worker_arg;

int sattn_online_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* Guided scheduling: a grab takes 1/(4 threads) of what is left (at least
 * p->chunk), so chunks shrink towards the end and the threads finish
 * together. The launchers number work items by query tile, and under
 * causal-like patterns the later tiles attend more keys: with fixed chunks
 * of n / (8 threads), the heaviest chunk came last and two threads lost
 * 10-15% on causal at 16K; now 4-5%. (Handing items out last-first
 * balanced as well but cost a residue-class kernel 8% on one thread:
 * descending first-touch of its partial buffers.) `next` counts items
 * taken. */
static void drain(sattn_pool *p, int worker) {
  for (;;) {
    int64_t taken = atomic_load(&p->next), n;
    do {
      int64_t left = p->n_items - taken;
      if (left <= 0)
        return;
      n = left / (4 * (int64_t)p->threads);
      n = n < p->chunk ? p->chunk : n;
      n = n > left ? left : n;
    } while (!atomic_compare_exchange_weak(&p->next, &taken, taken + n));
    for (int64_t i = taken; i < taken + n; i++)
      p->fn(p->ctx, i, worker);
  }
}

/* Waking a sleeping worker costs 30-50 us here (a run of 18 us of work on
 * two threads took 50): a run that ends spins this long for the next one
 * (a two-part kernel launches twice; callers launch back to back) before
 * it sleeps. The caller spins as long for the workers to finish. */
enum { SPIN = 2000 };

static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

static void spin_while_generation(sattn_pool *p, uint64_t seen) {
  for (int k = 0; k < SPIN && atomic_load(&p->generation) == seen && !atomic_load(&p->stop); k++)
    relax();
}

static void *worker_main(void *arg) {
  worker_arg *w = arg;
  sattn_pool *p = w->pool;
  int id = w->id;
  free(w);
  uint64_t seen = 0;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->stop && p->generation == seen)
      pthread_cond_wait(&p->wake, &p->mu);
    if (p->stop)
      break;
    seen = p->generation;
    pthread_mutex_unlock(&p->mu);
    drain(p, id);
    pthread_mutex_lock(&p->mu);
    if (--p->busy == 0)
      pthread_cond_signal(&p->done);
    pthread_mutex_unlock(&p->mu);
    spin_while_generation(p, seen);
    pthread_mutex_lock(&p->mu);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

static sattn_status fail(sattn_error *err, sattn_status s, const char *msg) {
  if (err) {
    err->status = s;
    snprintf(err->message, sizeof err->message, "%s", msg);
  }
  return s;
}

sattn_status sattn_pool_create(int threads, sattn_pool **out, sattn_error *err) {
  if (!out)
    return fail(err, SATTN_ERR_NULL, "pool: the output pointer is NULL");
  *out = NULL;
  if (threads <= 0)
    threads = sattn_online_cpus();
  if (threads > MAX_THREADS)
    return fail(err, SATTN_ERR_ARGUMENT, "threads: at most 1024");
  sattn_pool *p = calloc(1, sizeof *p);
  if (!p)
    return fail(err, SATTN_ERR_NO_MEMORY, "pool: out of memory");
  p->threads = threads;
  atomic_flag_clear(&p->running);
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->wake, NULL);
  pthread_cond_init(&p->done, NULL);
  p->tids = calloc((size_t)threads, sizeof *p->tids);
  if (!p->tids) {
    sattn_pool_destroy(p);
    return fail(err, SATTN_ERR_NO_MEMORY, "pool: out of memory");
  }
  for (int i = 1; i < threads; i++) {
    worker_arg *w = malloc(sizeof *w);
    if (!w || pthread_create(&p->tids[i], NULL, worker_main,
                             (*w = (worker_arg){p, i}, w)) != 0) {
      free(w);
      p->threads = i; /* join the ones that started */
      sattn_pool_destroy(p);
      return fail(err, SATTN_ERR_SYSTEM, "pool: cannot start a worker thread");
    }
  }
  *out = p;
  return SATTN_OK;
}

void sattn_pool_destroy(sattn_pool *p) {
  if (!p)
    return;
  pthread_mutex_lock(&p->mu);
  p->stop = true;
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->mu);
  for (int i = 1; p->tids && i < p->threads; i++)
    pthread_join(p->tids[i], NULL);
  pthread_cond_destroy(&p->wake);
  pthread_cond_destroy(&p->done);
  pthread_mutex_destroy(&p->mu);
  free(p->tids);
  free(p);
}

int sattn_pool_threads(const sattn_pool *p) { return p ? p->threads : 0; }

sattn_status sattn_pool_run(sattn_pool *p, int64_t n_items, sattn_item_fn fn,
                            void *ctx, sattn_error *err) {
  if (!p || !fn)
    return fail(err, SATTN_ERR_NULL, "pool run: pool and function must not be NULL");
  if (n_items < 0)
    return fail(err, SATTN_ERR_ARGUMENT, "pool run: negative item count");
  if (n_items == 0)
    return SATTN_OK;
  if (n_items > INT64_MAX / 2)
    return fail(err, SATTN_ERR_ARGUMENT, "pool run: too many items");
  if (atomic_flag_test_and_set(&p->running))
    return fail(err, SATTN_ERR_ARGUMENT,
                "pool run: this pool is already running a call (use one pool per "
                "host thread)");
  p->fn = fn;
  p->ctx = ctx;
  p->n_items = n_items;
  /* The smallest grab: about 64 per thread bounds the counter traffic. */
  int64_t chunk = n_items / ((int64_t)p->threads * 64);
  p->chunk = chunk < 1 ? 1 : chunk;
  atomic_store(&p->next, 0);
  pthread_mutex_lock(&p->mu);
  p->busy = p->threads - 1;
  p->generation++;
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->mu);
  drain(p, 0);
  for (int k = 0; k < SPIN && atomic_load(&p->busy) > 0; k++)
    relax();
  pthread_mutex_lock(&p->mu);
  while (p->busy > 0)
    pthread_cond_wait(&p->done, &p->mu);
  pthread_mutex_unlock(&p->mu);
  atomic_flag_clear(&p->running);
  return SATTN_OK;
}
