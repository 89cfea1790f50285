// The whole library included, nothing used.
#include <trainspec/trainspec.hpp>
