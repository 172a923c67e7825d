/*
 * Open MPI's own time for an in-place float all-reduce (the reference for jtorch.distributed's
 * DistBench): for each size in bytes given, 5 warm-up calls, then `reps` timed calls, each after
 * a barrier; rank 0 prints "RESULT openmpi <bytes> <median ms> <min ms> <max ms>".
 * Built and run by jtorch.benchmarks.DistCompare (mpicc, from Debian's libopenmpi-dev).
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    int reps = atoi(argv[1]);
    for (int a = 2; a < argc; a++) {
        long bytes = atol(argv[a]);
        int n = (int) (bytes / 4);
        float *buf = malloc((size_t) n * 4);
        for (int i = 0; i < n; i++) buf[i] = (float) (i % 7);
        double *ms = malloc(sizeof(double) * reps);
        for (int i = 0; i < 5; i++) MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        for (int r = 0; r < reps; r++) {
            MPI_Barrier(MPI_COMM_WORLD);
            double t0 = MPI_Wtime();
            MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
            ms[r] = (MPI_Wtime() - t0) * 1e3;
        }
        qsort(ms, reps, sizeof(double), cmp);
        if (rank == 0) printf("RESULT openmpi %ld %.4f %.4f %.4f\n", bytes, ms[reps / 2], ms[0], ms[reps - 1]);
        fflush(stdout);
        free(ms);
        free(buf);
    }
    MPI_Finalize();
    return 0;
}
