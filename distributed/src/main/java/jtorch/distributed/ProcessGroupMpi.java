package jtorch.distributed;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MPI process group: every MPI call runs on one communication thread, in the order the
 * collectives were issued (as PyTorch's ProcessGroupMPI does), so an asynchronous collective
 * overlaps the caller's work and the ranks' calls stay in the same order.
 *
 * <p>Each collective starts with a small all-reduce of its kind, dtype, element count and
 * parameter (as max of v and of -v): ranks that called different collectives or passed different
 * tensors all see the same disagreement and all throw, instead of hanging or reading garbage.
 */
final class ProcessGroupMpi {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessGroupMpi.class);

    /** Collective kinds, for the agreement check. */
    static final int ALL_REDUCE = 1, BROADCAST = 2, ALL_GATHER = 3, REDUCE_SCATTER = 4, BARRIER = 5;
    private static final String[] KIND_NAMES = {"", "allReduce", "broadcast", "allGather", "reduceScatter", "barrier"};
    private static final String[] DTYPE_NAMES = {"float32", "float64", "int64"};

    private final ExecutorService thread;
    private final MpiBinding mpi;
    private final int rank, size;
    private final Duration timeout;

    private ProcessGroupMpi(ExecutorService thread, MpiBinding mpi, Duration timeout) {
        this.thread = thread;
        this.mpi = mpi;
        this.rank = mpi.rank();
        this.size = mpi.size();
        this.timeout = timeout;
    }

    /** Starts the communication thread and initialises MPI on it. */
    static ProcessGroupMpi start(Duration timeout) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jtorch-mpi");
            t.setDaemon(true);
            return t;
        });
        Future<MpiBinding> binding = thread.submit(MpiLoader::load);
        try {
            ProcessGroupMpi group = new ProcessGroupMpi(thread, binding.get(), timeout);
            LOG.info("jtorch.distributed: rank {} of {} on {}", group.rank, group.size, group.mpi.describe());
            return group;
        } catch (ExecutionException e) {
            thread.shutdownNow();
            if (e.getCause() instanceof DistributedException) throw (DistributedException) e.getCause();
            throw new DistributedException("MPI could not start: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
            throw new DistributedException("interrupted while MPI started", e);
        }
    }

    int rank() { return rank; }

    int size() { return size; }

    MpiBinding mpi() { return mpi; }

    /** A collective's body, run on the communication thread after the ranks agreed on it. */
    interface Body {
        void run(MpiBinding mpi);
    }

    /** Issues a collective: the agreement check, then {@code body}, on the communication thread. */
    Work submit(int kind, int dtype, long count, long parameter, Body body) {
        String name = KIND_NAMES[kind];
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                agree(name, kind, dtype, count, parameter);
                body.run(mpi);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return new Work(name, done, timeout, this);
    }

    private void agree(String name, int kind, int dtype, long count, long parameter) {
        long[] fields = {kind, dtype, count, parameter};
        long[] h = new long[2 * fields.length];
        for (int i = 0; i < fields.length; i++) {
            h[2 * i] = fields[i];
            h[2 * i + 1] = -fields[i];
        }
        mpi.agree(h);
        long kindMax = h[0], kindMin = -h[1];
        if (kindMax != kindMin)
            throw new DistributedException(name + " on rank " + rank + ": the ranks called different collectives at the same point ("
                    + KIND_NAMES[(int) kindMin] + " and " + KIND_NAMES[(int) kindMax] + ")");
        if (h[2] != -h[3])
            throw new DistributedException(name + " on rank " + rank + ": the ranks passed tensors of different dtypes ("
                    + DTYPE_NAMES[(int) -h[3]] + " and " + DTYPE_NAMES[(int) h[2]] + ")");
        if (h[4] != -h[5])
            throw new DistributedException(name + " on rank " + rank + ": the ranks passed tensors of different sizes (from " + -h[5]
                    + " to " + h[4] + " elements); every rank must pass a tensor of the same shape");
        if (h[6] != -h[7])
            throw new DistributedException(name + " on rank " + rank + ": the ranks passed different "
                    + (kind == BROADCAST ? "source ranks" : "reduce ops") + " (" + -h[7] + " and " + h[6] + ")");
    }

    /** Aborts the whole job after a collective timed out (callable from any thread). */
    void abortJob(String message) {
        LOG.error("jtorch.distributed: {}", message);
        mpi.abort(1);
    }

    /** Waits for the issued collectives, finalises MPI and stops the thread. */
    void destroy() {
        Future<?> f = thread.submit(mpi::finish);
        try {
            f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DistributedException) throw (DistributedException) e.getCause();
            throw new DistributedException("MPI_Finalize: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributedException("interrupted in destroyProcessGroup", e);
        } finally {
            thread.shutdown();
        }
    }
}
