// OpenBLAS's CBLAS interface (Debian libopenblas-dev; pkg-config openblas). SpeakerEmbedding's LSTM uses
// cblas_sgemm; openblas_set_num_threads(1) keeps each call on the calling thread (ExamKit runs its own tasks).
#include <cblas.h>
