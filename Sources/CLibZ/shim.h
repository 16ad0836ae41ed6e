// zlib, for its CRC-32: ZIPFoundation checks entries with a CRC-32 written in Swift on Linux (its own zlib
// module is not visible under the name it tests for), at about half the speed of zlib's.
#ifndef LAGESBILD_CLIBZ_SHIM_H
#define LAGESBILD_CLIBZ_SHIM_H
#include <zlib.h>
#endif
