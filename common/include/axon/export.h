/* AX_API marks the functions a shared axon library exports. The libraries are
 * built with hidden visibility and a version script, so only what a public
 * header declares with AX_API is part of their binary face. */
#ifndef AXON_EXPORT_H
#define AXON_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define AX_API __attribute__((visibility("default")))
#else
#define AX_API
#endif

#endif
