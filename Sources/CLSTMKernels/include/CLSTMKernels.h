// SpeakerEmbedding's LSTM activations in C: one step's gates (i, f, g, o pre-activations, PyTorch's order) to the
// new cell and hidden state, 4 lanes at a time with the compiler's vector extensions, so the loop is vectorised in
// debug builds too (Swift's SIMD types are not at -Onone: 250× slower there). exp has ≤ 2 ulp error (Cephes' polynomial); sigmoid(x) = 1 / (1 + e^-x),
// tanh(x) = 1 − 2 / (e^2x + 1).
#ifndef CLSTMKERNELS_H
#define CLSTMKERNELS_H

/// For each of `rows` rows: pre = gates[row] + bias (4 × size), then
///   c = σ(f) · c + σ(i) · tanh(g),   h = σ(o) · tanh(c),
/// with `cell` and `hidden` (rows × size) updated in place and h also written to `output` (rows × size; may be NULL).
void examkit_lstm_activate(
  const float *gates, const float *bias, float *cell, float *hidden, float *output, int rows, int size);

/// e^x of `count` values (tests of the polynomial against libm).
void examkit_lstm_exp(const float *x, float *out, int count);

#endif
