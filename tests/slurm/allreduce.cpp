// A real MPI program for the Slurm test: every rank sums 1 over
// MPI_COMM_WORLD and writes rank, size, the sum and its CPUs per task to
// DIR/rank-<rank>. Ranks that never wired up fail in MPI_Init.
//
//   trainspec_mpi_allreduce DIR

#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0;
    int size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int one = 1;
    int sum = 0;
    MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    int status = 0;
    if (argc == 2) {
        const std::string path = std::string(argv[1]) + "/rank-" + std::to_string(rank);
        if (std::FILE* out = std::fopen(path.c_str(), "w")) {
            const char* cpus = std::getenv("SLURM_CPUS_PER_TASK");
            std::fprintf(out, "rank=%d\nsize=%d\nsum=%d\ncpus_per_task=%s\n", rank, size, sum, cpus ? cpus : "");
            status = std::fclose(out) == 0 ? 0 : 1;
        } else {
            status = 1;
        }
    }
    MPI_Finalize();
    return status;
}
