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

// The namespace URI of the reader's current element or attribute, or NULL. Unlike
// xmlTextReaderConstNamespaceUri it does not look the URI up in the dictionary (a hash per call).
static inline const xmlChar *lagesbild_xmlTextReaderNamespaceHref(xmlTextReaderPtr reader) {
    xmlNodePtr node = xmlTextReaderCurrentNode(reader);
    if (node == NULL) return NULL;
    if (node->type == XML_ELEMENT_NODE && node->ns != NULL) return node->ns->href;
    if (node->type == XML_ATTRIBUTE_NODE && ((xmlAttrPtr) node)->ns != NULL) return ((xmlAttrPtr) node)->ns->href;
    return NULL;
}

// The namespace declaration the reader stands on, or NULL; its prefix is NULL for the default
// namespace. Unlike xmlTextReaderConstName and xmlTextReaderConstPrefix it looks nothing up in the
// reader's dictionary, whose hash table stops growing at 16 384 buckets: with 300 000 declarations
// those look-ups took seconds.
static inline xmlNsPtr lagesbild_xmlTextReaderNamespaceDecl(xmlTextReaderPtr reader) {
    xmlNodePtr node = xmlTextReaderCurrentNode(reader);
    if (node == NULL || node->type != XML_NAMESPACE_DECL) return NULL;
    return (xmlNsPtr) node;
}

// Line breaks in a text node's content.
static inline long lagesbild_newlines(const xmlChar *text) {
    long count = 0;
    if (text == NULL) return 0;
    for (; *text; text++) if (*text == '\n') count++;
    return count;
}

// The line where a text node starts. libxml2 records the line where the text ends (with
// XML_PARSE_BIG_LINES in `psvi` past line 65535): subtract the line breaks in it.
static inline long lagesbild_textStartLine(xmlNodePtr text) {
    long end = xmlGetLineNo(text);
    return end > 0 ? end - lagesbild_newlines(text->content) : 0;
}

// The line of the reader's current element or text node, or 0 if unknown.
//
// libxml2 keeps an element's line in 16 bits (65535 means "65535 or later"). Past that, this takes
// the element's first text node (descending through first children, or else the next sibling), which
// starts on the element's line. 0 when that text is not parsed yet: the caller may then use the
// first text node inside the element.
static inline long lagesbild_xmlTextReaderNodeLine(xmlTextReaderPtr reader) {
    xmlNodePtr node = xmlTextReaderCurrentNode(reader);
    if (node == NULL) return 0;
    if (node->type == XML_TEXT_NODE) return lagesbild_textStartLine(node);
    if (node->type != XML_ELEMENT_NODE || node->line < 65535) {
        long line = xmlGetLineNo(node);
        return line > 0 ? line : 0;
    }
    xmlNodePtr text = node->children;
    while (text != NULL && text->type == XML_ELEMENT_NODE) text = text->children;
    if (text == NULL && node->next != NULL) text = node->next;
    if (text != NULL && text->type == XML_TEXT_NODE) return lagesbild_textStartLine(text);
    return 0;
}

#endif
