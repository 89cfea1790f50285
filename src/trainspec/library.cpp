// trainspec::compiled: every entry point of the headers, compiled once
// (docs/compiled.md). One translation unit: each header defines its entry
// points once, in its TRAINSPEC_DEFINITIONS section.
#ifndef TRAINSPEC_BUILDING_LIB
#error "src/trainspec/library.cpp is built by the trainspec_compiled target (TRAINSPEC_BUILDING_LIB)"
#endif

#include <trainspec/trainspec.hpp>
