#include "CLSTMKernels.h"

#include <stddef.h>
#include <string.h>

// 4 lanes: SSE2 on every x86-64 (and NEON on arm64), so no vector type crosses a call in a way the ABI treats
// differently by CPU; 8 lanes measured no faster.
typedef float v4f __attribute__((vector_size(16)));
typedef int v4i __attribute__((vector_size(16)));
enum { LANES = 4 };

static inline __attribute__((always_inline)) v4f splat(float x) { return (v4f){x, x, x, x}; }

static inline __attribute__((always_inline)) v4f load4(const float *p) {
  v4f v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline __attribute__((always_inline)) void store4(float *p, v4f v) { memcpy(p, &v, sizeof v); }

static inline __attribute__((always_inline)) v4f select4(v4i mask, v4f yes, v4f no) { return (v4f)((mask & (v4i)yes) | (~mask & (v4i)no)); }

/// Cephes' expf: e^x = 2^n · e^r, |r| ≤ ln2 / 2, e^r by a degree-7 polynomial; x clamped to [−87, 88].
static inline __attribute__((always_inline)) v4f exp4(v4f x) {
  x = select4(x < splat(-87.0f), splat(-87.0f), x);
  x = select4(x > splat(88.0f), splat(88.0f), x);
  // n = round(x / ln 2) by the 1.5 · 2^23 trick: its integer sits in the low mantissa bits of t.
  v4f t = x * splat(1.44269504088896341f) + splat(12582912.0f);
  v4f n = t - splat(12582912.0f);
  v4f r = x - n * splat(0.693359375f) + n * splat(2.12194440e-4f);
  v4f r2 = r * r;
  v4f p = splat(1.9875691500e-4f);
  p = p * r + splat(1.3981999507e-3f);
  p = p * r + splat(8.3334519073e-3f);
  p = p * r + splat(4.1665795894e-2f);
  p = p * r + splat(1.6666665459e-1f);
  p = p * r + splat(5.0000001201e-1f);
  p = p * r2 + r + splat(1.0f);
  v4i bits = (((v4i)t - 0x4B400000) + 127) << 23;
  return p * (v4f)bits;
}

static inline __attribute__((always_inline)) v4f sigmoid4(v4f x) { return splat(1.0f) / (splat(1.0f) + exp4(-x)); }

static inline __attribute__((always_inline)) v4f tanh4(v4f x) { return splat(1.0f) - splat(2.0f) / (exp4(splat(2.0f) * x) + splat(1.0f)); }

/// LANES units of one row from j on (`lanes` ≤ LANES of them valid: the tail of a size not a multiple of LANES).
static inline __attribute__((always_inline)) void activate4(
  const float *g, const float *bias, float *c, float *h, float *out, int size, int j, int lanes) {
  float in[4][LANES] = {{0}}, cell[LANES] = {0}, value[LANES];
  for (int q = 0; q < 4; q++)
    for (int k = 0; k < lanes; k++) in[q][k] = g[q * size + j + k] + bias[q * size + j + k];
  for (int k = 0; k < lanes; k++) cell[k] = c[j + k];
  v4f i = sigmoid4(load4(in[0])), f = sigmoid4(load4(in[1]));
  v4f candidate = tanh4(load4(in[2])), o = sigmoid4(load4(in[3]));
  v4f next = f * load4(cell) + i * candidate;
  store4(cell, next);
  store4(value, o * tanh4(next));
  for (int k = 0; k < lanes; k++) {
    c[j + k] = cell[k];
    h[j + k] = value[k];
    if (out) out[j + k] = value[k];
  }
}

void examkit_lstm_activate(
  const float *gates, const float *bias, float *cell, float *hidden, float *output, int rows, int size) {
  for (int b = 0; b < rows; b++) {
    const float *g = gates + (size_t)b * 4 * size;
    float *c = cell + (size_t)b * size;
    float *h = hidden + (size_t)b * size;
    float *out = output ? output + (size_t)b * size : NULL;
    int j = 0;
    for (; j + LANES <= size; j += LANES) {
      v4f i = sigmoid4(load4(g + j) + load4(bias + j));
      v4f f = sigmoid4(load4(g + size + j) + load4(bias + size + j));
      v4f candidate = tanh4(load4(g + 2 * size + j) + load4(bias + 2 * size + j));
      v4f o = sigmoid4(load4(g + 3 * size + j) + load4(bias + 3 * size + j));
      v4f next = f * load4(c + j) + i * candidate;
      v4f value = o * tanh4(next);
      store4(c + j, next);
      store4(h + j, value);
      if (out) store4(out + j, value);
    }
    if (j < size) activate4(g, bias, c, h, out, size, j, size - j);
  }
}

void examkit_lstm_exp(const float *x, float *out, int count) {
  int k = 0;
  for (; k + LANES <= count; k += LANES) store4(out + k, exp4(load4(x + k)));
  if (k < count) {
    float in[LANES] = {0}, result[LANES];
    memcpy(in, x + k, sizeof(float) * (size_t)(count - k));
    store4(result, exp4(load4(in)));
    memcpy(out + k, result, sizeof(float) * (size_t)(count - k));
  }
}
