package jtorch.distributed;

import java.time.Duration;
import java.util.List;

import jtorch.Storage;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.distributed} (imported as {@code dist} by convention): the default process group on
 * Open MPI and the tensor collectives. Start the program under {@code mpirun}; every rank runs the
 * same code, and collectives are called by all ranks in the same order.
 *
 * <pre>{@code
 * Dist.initProcessGroup("mpi");                 // dist.init_process_group("mpi")
 * Tensor t = Torch.ones(4).mul(Dist.getRank());
 * Dist.allReduce(t);                            // dist.all_reduce(t): the sum over the ranks
 * Dist.destroyProcessGroup();
 * }</pre>
 *
 * Collectives work in place on contiguous float32, float64 and int64 tensors without copying them
 * on the Java side (the MPI binding copies into native memory, which MPI needs); other layouts are
 * made contiguous first and written back. With {@code asyncOp} they return at once with a
 * {@link Work} to {@link Work#await()}; without it they return completed work.
 */
public final class Dist {
    private static volatile ProcessGroupMpi group;

    private Dist() {}

    /** {@code init_process_group}'s keyword arguments. */
    public static final class InitOptions {
        private final String backend;
        private int worldSize = -1, rank = -1;
        private Duration timeout = Duration.ofMinutes(30);

        private InitOptions(String backend) { this.backend = backend; }

        /** The number of ranks the program expects ({@code world_size}); -1 (the default) takes mpirun's. */
        public InitOptions worldSize(int n) {
            worldSize = n;
            return this;
        }

        /** This process's expected rank ({@code rank}); -1 (the default) takes mpirun's. */
        public InitOptions rank(int r) {
            rank = r;
            return this;
        }

        /** How long a collective may wait for its peers before the job is aborted ({@code timeout}, 30 minutes by default). */
        public InitOptions timeout(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeout must be positive, got " + d);
            timeout = d;
            return this;
        }
    }

    /** Options for {@link #initProcessGroup(InitOptions)}, e.g. {@code Dist.options("mpi").timeout(Duration.ofSeconds(60))}. */
    public static InitOptions options(String backend) { return new InitOptions(backend); }

    /** {@code torch.distributed.init_process_group(backend)}: only {@code "mpi"} (Open MPI, started by {@code mpirun}). */
    public static void initProcessGroup(String backend) { initProcessGroup(options(backend)); }

    /** {@code init_process_group(backend, world_size=..., rank=..., timeout=...)}. */
    public static synchronized void initProcessGroup(InitOptions options) {
        if (group != null) throw new IllegalStateException("trying to initialize the default process group twice!");
        if (!"mpi".equals(options.backend))
            throw new IllegalArgumentException("Invalid backend: '" + options.backend + "'; jtorch.distributed supports 'mpi' (Open MPI)");
        int envSize = envInt("OMPI_COMM_WORLD_SIZE"), envRank = envInt("OMPI_COMM_WORLD_RANK");
        ProcessGroupMpi g = ProcessGroupMpi.start(options.timeout);
        String mismatch = null;
        if (envSize >= 0 && (envSize != g.size() || envRank != g.rank()))
            mismatch = "mpirun's environment says rank " + envRank + " of " + envSize + " but MPI says rank " + g.rank() + " of " + g.size();
        else if (options.worldSize >= 0 && options.worldSize != g.size())
            mismatch = "world_size " + options.worldSize + " was asked for but mpirun started " + g.size() + " processes"
                    + (envSize < 0 ? " (this process was not started by mpirun)" : "");
        else if (options.rank >= 0 && options.rank != g.rank())
            mismatch = "rank " + options.rank + " was asked for but MPI gave this process rank " + g.rank();
        if (mismatch != null) {
            g.destroy();
            throw new DistributedException("init_process_group: " + mismatch);
        }
        group = g;
    }

    private static int envInt(String name) {
        String v = System.getenv(name);
        if (v == null) return -1;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new DistributedException(name + "=" + v + " is not a number");
        }
    }

    /** {@code torch.distributed.is_initialized()}. */
    public static boolean isInitialized() { return group != null; }

    /** {@code torch.distributed.get_rank()}: this process's rank, 0 to world size - 1. */
    public static int getRank() { return current().rank(); }

    /** {@code torch.distributed.get_world_size()}: the number of ranks. */
    public static int getWorldSize() { return current().size(); }

    /** {@code torch.distributed.destroy_process_group()}: waits for issued collectives and finalises MPI (once per process). */
    public static synchronized void destroyProcessGroup() {
        ProcessGroupMpi g = current();
        group = null;
        g.destroy();
    }

    private static ProcessGroupMpi current() {
        ProcessGroupMpi g = group;
        if (g == null)
            throw new IllegalStateException("Default process group has not been initialized, please make sure to call init_process_group.");
        return g;
    }

    // ------------------------------------------------------------------ collectives

    /** {@code all_reduce(tensor)}: every rank's tensor becomes the sum over the ranks. */
    public static Work allReduce(Tensor tensor) { return allReduce(tensor, ReduceOp.SUM, false); }

    /** {@code all_reduce(tensor, op)}. */
    public static Work allReduce(Tensor tensor, ReduceOp op) { return allReduce(tensor, op, false); }

    /** {@code all_reduce(tensor, op, async_op=asyncOp)}. */
    public static Work allReduce(Tensor tensor, ReduceOp op, boolean asyncOp) {
        ProcessGroupMpi g = current();
        int dtype = dtypeCode("all_reduce", tensor);
        checkOp("all_reduce", op, tensor);
        Dense d = Dense.of(tensor);
        int size = g.size();
        Work w = g.submit(ProcessGroupMpi.ALL_REDUCE, dtype, d.count, op.ordinal(), mpi -> {
            mpi.allReduce(d.array, d.offset, d.count, dtype, mpiOp(op));
            if (op == ReduceOp.AVG) divide(d.array, d.offset, d.count, size);
            d.writeBack();
        });
        return finish(w, asyncOp);
    }

    /** {@code broadcast(tensor, src)}: every rank's tensor becomes rank {@code src}'s. */
    public static Work broadcast(Tensor tensor, int src) { return broadcast(tensor, src, false); }

    /** {@code broadcast(tensor, src, async_op=asyncOp)}. */
    public static Work broadcast(Tensor tensor, int src, boolean asyncOp) {
        ProcessGroupMpi g = current();
        int dtype = dtypeCode("broadcast", tensor);
        if (src < 0 || src >= g.size())
            throw new IllegalArgumentException("broadcast: src " + src + " is not a rank of a world of size " + g.size());
        Dense d = Dense.of(tensor);
        Work w = g.submit(ProcessGroupMpi.BROADCAST, dtype, d.count, src, mpi -> {
            mpi.broadcast(d.array, d.offset, d.count, dtype, src);
            d.writeBack();
        });
        return finish(w, asyncOp);
    }

    /** {@code all_gather(tensor_list, tensor)}: {@code tensorList.get(r)} becomes rank r's {@code tensor}. */
    public static Work allGather(List<Tensor> tensorList, Tensor tensor) { return allGather(tensorList, tensor, false); }

    /** {@code all_gather(tensor_list, tensor, async_op=asyncOp)}. */
    public static Work allGather(List<Tensor> tensorList, Tensor tensor, boolean asyncOp) {
        ProcessGroupMpi g = current();
        int dtype = dtypeCode("all_gather", tensor);
        checkList("all_gather", "tensor_list", tensorList, tensor, g.size());
        Dense in = Dense.of(tensor);
        Object recv = newArray(dtype, in.count * g.size());
        Work w = g.submit(ProcessGroupMpi.ALL_GATHER, dtype, in.count, 0, mpi -> {
            mpi.allGather(in.array, in.offset, in.count, recv, dtype);
            for (int r = 0; r < tensorList.size(); r++) Dense.scatterInto(tensorList.get(r), recv, r * in.count);
        });
        return finish(w, asyncOp);
    }

    /** {@code reduce_scatter(output, input_list)}: {@code output} becomes the sum over the ranks of their {@code inputList.get(rank)}. */
    public static Work reduceScatter(Tensor output, List<Tensor> inputList) { return reduceScatter(output, inputList, ReduceOp.SUM, false); }

    /** {@code reduce_scatter(output, input_list, op)}. */
    public static Work reduceScatter(Tensor output, List<Tensor> inputList, ReduceOp op) {
        return reduceScatter(output, inputList, op, false);
    }

    /** {@code reduce_scatter(output, input_list, op, async_op=asyncOp)}. */
    public static Work reduceScatter(Tensor output, List<Tensor> inputList, ReduceOp op, boolean asyncOp) {
        ProcessGroupMpi g = current();
        int dtype = dtypeCode("reduce_scatter", output);
        checkOp("reduce_scatter", op, output);
        checkList("reduce_scatter", "input_list", inputList, output, g.size());
        Dense out = Dense.of(output);
        int count = out.count, size = g.size();
        Object send = newArray(dtype, count * size);
        for (int r = 0; r < size; r++) Dense.gatherFrom(inputList.get(r), send, r * count);
        Work w = g.submit(ProcessGroupMpi.REDUCE_SCATTER, dtype, count, op.ordinal(), mpi -> {
            mpi.reduceScatter(send, count, out.array, out.offset, dtype, mpiOp(op));
            if (op == ReduceOp.AVG) divide(out.array, out.offset, count, size);
            out.writeBack();
        });
        return finish(w, asyncOp);
    }

    /** {@code barrier()}: returns when every rank has called it. */
    public static Work barrier() { return barrier(false); }

    /** {@code barrier(async_op=asyncOp)}. */
    public static Work barrier(boolean asyncOp) {
        return finish(current().submit(ProcessGroupMpi.BARRIER, 0, 0, 0, MpiBinding::barrier), asyncOp);
    }

    private static Work finish(Work w, boolean asyncOp) {
        if (!asyncOp) w.await();
        return w;
    }

    // ------------------------------------------------------------------ arguments

    private static int dtypeCode(String op, Tensor t) {
        if (t == null) throw new IllegalArgumentException(op + ": tensor must not be null");
        switch (t.dtype()) {
            case FLOAT32: return MpiBinding.FLOAT32;
            case FLOAT64: return MpiBinding.FLOAT64;
            case INT64: return MpiBinding.INT64;
            default: throw new IllegalArgumentException(op + ": jtorch.distributed supports float32, float64 and int64 tensors, got "
                    + t.dtype().toString().toLowerCase(java.util.Locale.ROOT) + " of shape " + t.shape());
        }
    }

    private static void checkOp(String name, ReduceOp op, Tensor t) {
        if (op == null) throw new IllegalArgumentException(name + ": op must not be null");
        if (op == ReduceOp.AVG && !t.isFloatingPoint())
            throw new IllegalArgumentException(name + ": ReduceOp.AVG needs a floating-point tensor, got int64 (use SUM and divide)");
    }

    private static void checkList(String op, String name, List<Tensor> list, Tensor like, int worldSize) {
        if (list == null) throw new IllegalArgumentException(op + ": " + name + " must not be null");
        if (list.size() != worldSize)
            throw new IllegalArgumentException(op + ": " + name + " holds " + list.size() + " tensors, the world size is " + worldSize);
        for (int i = 0; i < list.size(); i++) {
            Tensor t = list.get(i);
            if (t == null) throw new IllegalArgumentException(op + ": " + name + "[" + i + "] is null");
            if (t.dtype() != like.dtype() || !t.shape().equals(like.shape()))
                throw new IllegalArgumentException(op + ": " + name + "[" + i + "] is " + t.dtype() + " of shape " + t.shape()
                        + ", expected " + like.dtype() + " of shape " + like.shape() + " like the rank's tensor");
        }
    }

    private static int mpiOp(ReduceOp op) {
        switch (op) {
            case SUM: case AVG: return MpiBinding.SUM;
            case PRODUCT: return MpiBinding.PRODUCT;
            case MIN: return MpiBinding.MIN;
            default: return MpiBinding.MAX;
        }
    }

    private static void divide(Object array, int offset, int count, int by) {
        if (array instanceof float[]) {
            float[] a = (float[]) array;
            for (int i = offset; i < offset + count; i++) a[i] /= by;
        } else {
            double[] a = (double[]) array;
            for (int i = offset; i < offset + count; i++) a[i] /= by;
        }
    }

    private static Object newArray(int dtype, int n) {
        switch (dtype) {
            case MpiBinding.FLOAT32: return new float[n];
            case MpiBinding.FLOAT64: return new double[n];
            default: return new long[n];
        }
    }

    /**
     * A tensor's elements as one run of a Java array: its own storage when it is contiguous (no
     * copy), else a contiguous copy that {@link #writeBack()} copies into the tensor.
     */
    private static final class Dense {
        final Tensor tensor;
        final Tensor copy;
        final Object array;
        final int offset, count;

        private Dense(Tensor tensor, Tensor copy) {
            this.tensor = tensor;
            this.copy = copy;
            Tensor d = copy != null ? copy : tensor;
            this.array = d.storage().array();
            this.offset = (int) d.storageOffset();
            this.count = (int) d.numel();
        }

        static Dense of(Tensor t) {
            return t.isContiguous() ? new Dense(t, null) : new Dense(t, Torch.noGrad(() -> t.contiguous()));
        }

        void writeBack() {
            if (copy != null) Torch.noGrad(() -> { tensor.copy_(copy); });
        }

        /** Copies {@code t}'s elements into {@code array} from {@code at}. */
        static void gatherFrom(Tensor t, Object array, int at) {
            Tensor c = t.isContiguous() ? t : Torch.noGrad(() -> t.contiguous());
            System.arraycopy(c.storage().array(), (int) c.storageOffset(), array, at, (int) c.numel());
        }

        /** Copies {@code t.numel()} elements of {@code array} from {@code at} into {@code t}. */
        static void scatterInto(Tensor t, Object array, int at) {
            int n = (int) t.numel();
            if (t.isContiguous()) {
                System.arraycopy(array, at, t.storage().array(), (int) t.storageOffset(), n);
                return;
            }
            Object part = java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), n);
            System.arraycopy(array, at, part, 0, n);
            Tensor src = Tensor.overStorage(Storage.wrap(part), 0, new int[] {n}, new int[] {1}).view(t.shape());
            Torch.noGrad(() -> { t.copy_(src); });
        }
    }
}
