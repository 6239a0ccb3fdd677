// The declaration is all this target holds; libFuzzer (linked by -sanitize=fuzzer) defines the function.
#include "CFuzzDriver.h"
