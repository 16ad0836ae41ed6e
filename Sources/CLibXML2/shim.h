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

// True when the reader stands on a document type declaration whose internal subset declares general
// or parameter entities. The XML reader refuses such documents (entity expansion and XXE protection).
static inline int lagesbild_xmlTextReaderDTDDeclaresEntities(xmlTextReaderPtr reader) {
    xmlNodePtr node = xmlTextReaderCurrentNode(reader);
    if (node == NULL || node->type != XML_DTD_NODE) return 0;
    xmlDtdPtr dtd = (xmlDtdPtr) node;
    return dtd->entities != NULL || dtd->pentities != NULL;
}

// The line of the reader's current node (needs XML_PARSE_BIG_LINES past line 65535), or 0 if unknown.
static inline long lagesbild_xmlTextReaderNodeLine(xmlTextReaderPtr reader) {
    xmlNodePtr node = xmlTextReaderCurrentNode(reader);
    if (node == NULL) return 0;
    long line = xmlGetLineNo(node);
    return line > 0 ? line : 0;
}

#endif
