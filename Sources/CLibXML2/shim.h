// Shim for libxml2, the system XML library.
//
// Two things Swift cannot do with libxml2's headers as they are:
// 1. Debian's libxml2 defines LIBXML_ICU_ENABLED, and encoding.h then pulls in the system ICU, which
//    clashes with the ICU inside the toolchain's Foundation. Include xmlversion.h first and undefine it.
// 2. xmlFree is a global function pointer, which Swift 6 rejects as shared mutable state: call it
//    through the inline function below.
#ifndef LAGESBILD_CLIBXML2_SHIM_H
#define LAGESBILD_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>

static inline void lagesbild_xmlFree(void *pointer) { xmlFree(pointer); }

#endif
