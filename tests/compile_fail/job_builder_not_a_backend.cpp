// The builder's type takes the backend's tag type, not the backend_kind value
// that the JSON front end uses.
#include <trainspec/builder.hpp>

int main() {
#ifdef TRAINSPEC_MISUSE
    using builder = trainspec::job_builder<trainspec::backend_kind>;
#else
    using builder = trainspec::job_builder<trainspec::mpi>;
#endif
    return builder::ready_to_build ? 1 : 0;
}
