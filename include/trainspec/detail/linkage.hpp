#pragma once
// Header-only (the default) or compiled mode (docs/compiled.md). With
// TRAINSPEC_COMPILED_LIB the public headers only declare the library's
// entry points and trainspec::compiled defines them; the library itself is
// built with TRAINSPEC_BUILDING_LIB as well, in one translation unit
// (src/trainspec/library.cpp), so that each definition is compiled once.

#if defined(TRAINSPEC_BUILDING_LIB) && !defined(TRAINSPEC_COMPILED_LIB)
#error "TRAINSPEC_BUILDING_LIB needs TRAINSPEC_COMPILED_LIB: the library is built in compiled mode"
#endif

// 1 where the entry points' definitions are compiled: header-only users, and
// the library.
#if defined(TRAINSPEC_COMPILED_LIB) && !defined(TRAINSPEC_BUILDING_LIB)
#define TRAINSPEC_DEFINITIONS 0
#else
#define TRAINSPEC_DEFINITIONS 1
#endif

// An entry point's definition: inline in header-only mode, an ordinary
// (external) definition in the library.
#ifdef TRAINSPEC_COMPILED_LIB
#define TRAINSPEC_INLINE
#else
#define TRAINSPEC_INLINE inline
#endif

// The explicit instantiations of the templates over backends, written once
// beside each template: defined by the library, declared extern for its
// users (compiled mode only).
#ifdef TRAINSPEC_BUILDING_LIB
#define TRAINSPEC_INSTANTIATE template
#else
#define TRAINSPEC_INSTANTIATE extern template
#endif

// X(backend) for each of the four backends: the instantiations of a template
// over backends are listed once, for all of them.
#define TRAINSPEC_FOR_EACH_BACKEND(X) X(single_node) X(mpi) X(parameter_server) X(multi_worker)

// A struct's constructors, assignments and destructor, declared in the
// struct and defined (defaulted) with the entry points: a struct of many
// members is then copied and destroyed by code compiled once, in the
// library, not in every caller.
#define TRAINSPEC_SPECIAL_MEMBERS(T) \
    T();                             \
    T(const T&);                     \
    T(T&&) noexcept;                 \
    T& operator=(const T&);          \
    T& operator=(T&&) noexcept;      \
    ~T()
#define TRAINSPEC_DEFAULT_SPECIAL_MEMBERS(T)                  \
    TRAINSPEC_INLINE T::T() = default;                        \
    TRAINSPEC_INLINE T::T(const T&) = default;                \
    TRAINSPEC_INLINE T::T(T&&) noexcept = default;            \
    TRAINSPEC_INLINE T& T::operator=(const T&) = default;     \
    TRAINSPEC_INLINE T& T::operator=(T&&) noexcept = default; \
    TRAINSPEC_INLINE T::~T() = default
