package jtorch.distributed;

/**
 * The MPI calls jtorch makes, on Java arrays. All calls but {@link #abort} are made from the
 * process group's one communication thread; every collective's data call follows an
 * {@link #agree} of all ranks.
 */
interface MpiBinding {
    /** Element types, as the binding's codes. */
    int FLOAT32 = 0, FLOAT64 = 1, INT64 = 2;
    /** Reductions, as the binding's codes (AVG is a SUM followed by a division). */
    int SUM = 0, PRODUCT = 1, MIN = 2, MAX = 3;

    /** {@code MPI_Comm_rank} of {@code MPI_COMM_WORLD}. */
    int rank();

    /** {@code MPI_Comm_size} of {@code MPI_COMM_WORLD}. */
    int size();

    /** {@code MPI_Allreduce} with {@code MPI_MAX} of {@code fields} in place: the agreement check that starts every collective, which may wait for late peers. */
    void agree(long[] fields);

    /** In-place {@code MPI_Allreduce} of {@code count} elements of {@code array} from {@code offset}. */
    void allReduce(Object array, int offset, int count, int dtype, int op);

    /** {@code MPI_Bcast} of {@code count} elements of {@code array} from {@code offset}, from rank {@code root}. */
    void broadcast(Object array, int offset, int count, int dtype, int root);

    /** {@code MPI_Allgather}: {@code count} elements of every rank, in rank order, into {@code recv} (size * count elements). */
    void allGather(Object send, int sendOffset, int count, Object recv, int dtype);

    /** {@code MPI_Reduce_scatter_block}: {@code send} holds size * count elements; this rank's reduced block goes to {@code recv}. */
    void reduceScatter(Object send, int count, Object recv, int recvOffset, int dtype, int op);

    /** {@code MPI_Barrier}. */
    void barrier();

    /** {@code MPI_Abort} of the whole job (callable from any thread). */
    void abort(int code);

    /** {@code MPI_Finalize}. */
    void finish();

    /** The library and its version, for log lines and errors. */
    String describe();
}
