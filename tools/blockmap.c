/* Schedule pictures (see blockmap.h). */
#include "blockmap.h"

#include <stdlib.h>
#include <string.h>

/* Kinds: range tiles full, range tiles partial, stripes, residue classes. */
static const char *const kind_names[BLOCKMAP_KINDS] = {
    "range tile, full", "range tile, partial (element mask)", "stripe (gathered columns)",
    "residue class (lattice)"};
static const char kind_chars[BLOCKMAP_KINDS] = {'#', '+', 'S', 'L'};
static const char *const kind_colors[BLOCKMAP_KINDS] = {"#1f4e99", "#7fa7e0", "#e08a1f",
                                                       "#2c9c4a"};

bool blockmap_init(blockmap *m, int64_t seq_q, int64_t seq_k, int w, int h) {
  memset(m, 0, sizeof *m);
  m->seq_q = seq_q, m->seq_k = seq_k;
  m->w = (int64_t)w < seq_k ? w : (int)seq_k;
  m->h = (int64_t)h < seq_q ? h : (int)seq_q;
  for (int k = 0; k < BLOCKMAP_KINDS; k++)
    if (!(m->pairs[k] = calloc((size_t)m->w * (size_t)m->h, sizeof *m->pairs[k]))) {
      blockmap_free(m);
      return false;
    }
  return true;
}

void blockmap_free(blockmap *m) {
  for (int k = 0; k < BLOCKMAP_KINDS; k++)
    free(m->pairs[k]);
  memset(m, 0, sizeof *m);
}

void blockmap_add_tile(void *user, const sched_tile *t) {
  blockmap *m = user;
  int kind = t->row_step > 1 ? 3 : t->segment >= 0 ? 2 : t->full ? 0 : 1;
  for (int64_t r = 0; r < t->rows; r++) {
    int64_t i = t->row0 + t->row_step * r;
    if (i < 0 || i >= m->seq_q)
      continue;
    double *row = m->pairs[kind] + (size_t)(i * m->h / m->seq_q) * (size_t)m->w;
    for (int64_t k = t->k0; k < t->k1; k++) {
      int64_t j = t->key_base + t->key_step * (t->map ? t->map(k) : k);
      if (j >= 0 && j < m->seq_k)
        row[j * m->w / m->seq_k] += 1;
    }
  }
}

/* The kind computing most of a cell's pairs (-1: none), and the share of
 * the cell's pairs computed. */
static int cell(const blockmap *m, int x, int y, double *share) {
  double total = 0, best = 0;
  int kind = -1;
  for (int k = 0; k < BLOCKMAP_KINDS; k++) {
    double v = m->pairs[k][(size_t)y * (size_t)m->w + (size_t)x];
    total += v;
    if (v > best)
      best = v, kind = k;
  }
  /* The pairs the cell spans: its rows times its columns. */
  int64_t r0 = (y * m->seq_q + m->h - 1) / m->h, r1 = ((y + 1) * m->seq_q + m->h - 1) / m->h;
  int64_t c0 = (x * m->seq_k + m->w - 1) / m->w, c1 = ((x + 1) * m->seq_k + m->w - 1) / m->w;
  double area = (double)(r1 - r0) * (double)(c1 - c0);
  *share = area > 0 ? total / area : 0;
  return kind;
}

void blockmap_print_text(const blockmap *m, FILE *out, const char *title) {
  fprintf(out, "%s: Lq = %lld (down), Lk = %lld (across), %d x %d cells\n", title,
          (long long)m->seq_q, (long long)m->seq_k, m->h, m->w);
  for (int y = 0; y < m->h; y++) {
    fputc('|', out);
    for (int x = 0; x < m->w; x++) {
      double share;
      int k = cell(m, x, y, &share);
      fputc(k < 0 ? ' ' : share < 0.05 ? '.' : kind_chars[k], out);
    }
    fputs("|\n", out);
  }
  for (int k = 0; k < BLOCKMAP_KINDS; k++)
    fprintf(out, "  %c %s\n", kind_chars[k], kind_names[k]);
  fputs("  . under 5% of the cell's pairs computed; blank: none\n", out);
}

void blockmap_write_svg(const blockmap *m, FILE *out, const char *title) {
  int px = m->w >= 128 ? 5 : 640 / (m->w > 0 ? m->w : 1);
  int W = m->w * px, H = m->h * px, legend = 24 + 18 * BLOCKMAP_KINDS;
  fprintf(out,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
          "font-family=\"sans-serif\" font-size=\"13\">\n"
          "<title>%s</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
          "<text x=\"4\" y=\"16\">%s: Lq = %lld (down), Lk = %lld (across)</text>\n"
          "<g transform=\"translate(0,24)\">\n<rect width=\"%d\" height=\"%d\" fill=\"none\" "
          "stroke=\"#999\"/>\n",
          W + 8, H + 24 + legend, title, title, (long long)m->seq_q, (long long)m->seq_k, W, H);
  for (int y = 0; y < m->h; y++)
    for (int x = 0; x < m->w; x++) {
      double share;
      int k = cell(m, x, y, &share);
      if (k < 0)
        continue;
      fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
                   "fill-opacity=\"%.2f\"/>\n",
              x * px, y * px, px, px, kind_colors[k], 0.25 + 0.75 * (share > 1 ? 1 : share));
    }
  fprintf(out, "</g>\n");
  for (int k = 0; k < BLOCKMAP_KINDS; k++)
    fprintf(out, "<rect x=\"4\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                 "<text x=\"22\" y=\"%d\">%s</text>\n",
            H + 36 + 18 * k, kind_colors[k], H + 47 + 18 * k, kind_names[k]);
  fprintf(out, "</svg>\n");
}
