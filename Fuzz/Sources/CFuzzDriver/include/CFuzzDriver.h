#ifndef EXAMKIT_CFUZZDRIVER_H
#define EXAMKIT_CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt's libFuzzer exports it): runs the fuzzing loop over `callback` with the command
/// line in argc/argv, as libFuzzer's own main would.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
