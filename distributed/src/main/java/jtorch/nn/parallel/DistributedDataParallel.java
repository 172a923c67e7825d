package jtorch.nn.parallel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jtorch.DType;
import jtorch.Storage;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.autograd.AccumulateGrad;
import jtorch.autograd.GradMode;
import jtorch.autograd.Node;
import jtorch.distributed.Dist;
import jtorch.distributed.ReduceOp;
import jtorch.distributed.Work;
import jtorch.nn.Module;
import jtorch.nn.Parameter;

/**
 * {@code torch.nn.parallel.DistributedDataParallel}: data-parallel training over the default
 * process group. Every rank holds a replica of the model and feeds it its own part of the batch;
 * during backward each parameter's gradient, once accumulated, joins a bucket, and each full bucket
 * is all-reduced asynchronously while backward goes on, so that when backward returns every rank
 * holds the gradients averaged over the ranks, and the optimizers' steps keep the replicas equal.
 *
 * <pre>{@code
 * Dist.initProcessGroup("mpi");
 * var model = new DistributedDataParallel(new LeNet());   // DDP(model): rank 0's weights everywhere
 * var opt = new SGD(model.parameters(), 0.1);
 * for (var batch : loader) {                               // loader over a DistributedSampler
 *     opt.zeroGrad();
 *     lossFn.forward(model.call(batch.get(0)), batch.get(1)).backward();   // gradients averaged here
 *     opt.step();
 * }
 * }</pre>
 *
 * As in PyTorch: rank 0's parameters and buffers are broadcast when the model is wrapped (and the
 * buffers again before each forward, with {@code broadcastBuffers}); buckets hold parameters in
 * their registration order, the first up to 1 MB and the others up to {@code bucketCapMb}
 * (25 MB), and are reduced last first (PyTorch's limits for its rebuilt buckets); the gradients are divided by the world size before the
 * sum; {@link #noSync()} accumulates gradients locally; parameters the forward did not use need
 * {@code findUnusedParameters}. Unlike PyTorch the buckets are not rebuilt after the first
 * iteration in the order the gradients arrived.
 */
public class DistributedDataParallel extends Module {
    /** {@code DistributedDataParallel}'s keyword arguments. */
    public static final class Options {
        private double bucketCapMb = 25;
        private boolean findUnusedParameters, broadcastBuffers = true;

        private Options() {}

        /** The largest bucket after the first, in MB ({@code bucket_cap_mb}, 25 by default). */
        public Options bucketCapMb(double mb) {
            if (!(mb > 0)) throw new IllegalArgumentException("bucket_cap_mb must be positive, got " + mb);
            bucketCapMb = mb;
            return this;
        }

        /** Find, after each forward, the parameters it did not use, and reduce them as ready ({@code find_unused_parameters}). */
        public Options findUnusedParameters(boolean v) {
            findUnusedParameters = v;
            return this;
        }

        /** Broadcast rank 0's buffers before each forward ({@code broadcast_buffers}, true by default). */
        public Options broadcastBuffers(boolean v) {
            broadcastBuffers = v;
            return this;
        }
    }

    /** The options, e.g. {@code DistributedDataParallel.options().findUnusedParameters(true)}. */
    public static Options options() { return new Options(); }

    /** PyTorch's {@code dist._DEFAULT_FIRST_BUCKET_BYTES}: the first bucket is small, so that reduction starts early. */
    static final long FIRST_BUCKET_BYTES = 1024 * 1024;

    /** The wrapped model, {@code ddp.module} (its state dict keys carry the prefix {@code module.}). */
    public final Module module;

    private final List<Parameter> params = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Map<Tensor, Integer> indexOf = new IdentityHashMap<>();
    private final List<Bucket> buckets = new ArrayList<>();
    private final int[] bucketOf, offsetOf;
    private final boolean findUnused, broadcastBuffers;
    private final int world;

    private boolean requireSync = true;
    /** Between a forward that prepared for reduction and the backward that finished it. */
    private boolean expectingBackward;
    private boolean[] ready;
    private int readyCount, nextBucket;
    private boolean[] usedLocally;

    /** A flat buffer of parameters' gradients of one dtype, reduced by one all-reduce. */
    private static final class Bucket {
        final DType dtype;
        final List<Integer> members = new ArrayList<>();
        Tensor flat;
        int pending;
        Work work;

        Bucket(DType dtype) { this.dtype = dtype; }
    }

    /** {@code DistributedDataParallel(module)}. */
    public DistributedDataParallel(Module module) { this(module, options()); }

    /** {@code DistributedDataParallel(module, bucket_cap_mb=..., find_unused_parameters=..., broadcast_buffers=...)}. */
    public DistributedDataParallel(Module module, Options options) {
        if (module == null) throw new IllegalArgumentException("DistributedDataParallel: module must not be null");
        if (!Dist.isInitialized())
            throw new IllegalStateException("Default process group has not been initialized, please make sure to call init_process_group.");
        this.module = registerModule("module", module);
        this.findUnused = options.findUnusedParameters;
        this.broadcastBuffers = options.broadcastBuffers;
        this.world = Dist.getWorldSize();
        for (Map.Entry<String, Parameter> e : module.namedParameters().entrySet())
            if (e.getValue().requiresGrad()) {
                indexOf.put(e.getValue(), params.size());
                params.add(e.getValue());
                names.add(e.getKey());
            }
        if (params.isEmpty())
            throw new IllegalArgumentException("DistributedDataParallel is not needed when a module doesn't have any parameter that requires a gradient.");
        verifySameModel();
        syncModuleStates();
        bucketOf = new int[params.size()];
        offsetOf = new int[params.size()];
        assignBuckets((long) (options.bucketCapMb * 1024 * 1024));
        for (Parameter p : params) p.registerPostAccumulateGradHook(this::gradientReady);
    }

    /** Every rank must wrap the same model: the same number of parameters, each with the same shape. */
    private void verifySameModel() {
        Tensor count = Torch.tensor(new long[] {params.size(), -params.size()});
        Dist.allReduce(count, ReduceOp.MAX);
        long[] c = count.toLongArray();
        if (c[0] != -c[1])
            throw new IllegalStateException("DistributedDataParallel: the ranks' models differ: from " + -c[1] + " to " + c[0]
                    + " parameters that require grad (rank " + Dist.getRank() + " has " + params.size() + ")");
        long[] sig = new long[2 * params.size()];
        for (int i = 0; i < params.size(); i++) {
            sig[2 * i] = params.get(i).numel();
            sig[2 * i + 1] = -params.get(i).numel();
        }
        Tensor s = Torch.tensor(sig);
        Dist.allReduce(s, ReduceOp.MAX);
        long[] r = s.toLongArray();
        for (int i = 0; i < params.size(); i++)
            if (r[2 * i] != -r[2 * i + 1])
                throw new IllegalStateException("DistributedDataParallel: the ranks' models differ: parameter '" + names.get(i) + "' has "
                        + -r[2 * i + 1] + " elements on some rank and " + r[2 * i] + " on another (rank " + Dist.getRank() + ": "
                        + params.get(i).shape() + ")");
    }

    /** Rank 0's parameters and buffers, copied to every rank (one broadcast per dtype). */
    private void syncModuleStates() {
        List<Tensor> states = new ArrayList<>(params);
        states.addAll(module.buffers());
        broadcastCoalesced(states);
    }

    private static void broadcastCoalesced(List<Tensor> tensors) {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            List<Tensor> group = new ArrayList<>();
            long n = 0;
            for (Tensor t : tensors)
                if (t.dtype() == dtype) {
                    group.add(t);
                    n += t.numel();
                }
            if (group.isEmpty()) continue;
            Tensor flat = Torch.empty(new long[] {n}, dtype);
            Torch.noGrad(() -> {
                long at = 0;
                for (Tensor t : group) {
                    flat.narrow(0, at, t.numel()).copy_(t.reshape(-1));
                    at += t.numel();
                }
            });
            Dist.broadcast(flat, 0);
            Torch.noGrad(() -> {
                long at = 0;
                for (Tensor t : group) {
                    t.copy_(flat.narrow(0, at, t.numel()).view(t.shape()));
                    at += t.numel();
                }
            });
        }
        for (Tensor t : tensors)
            if (t.dtype() == DType.BOOL)
                Torch.noGrad(() -> {
                    Tensor asLong = t.to(DType.INT64);
                    Dist.broadcast(asLong, 0);
                    t.copy_(asLong.to(DType.BOOL));
                });
    }

    /**
     * Parameters in registration order, a new bucket when the dtype changes or the bucket reached
     * its limit (1 MB for the first, or the cap if smaller; the cap after); reduced in the reverse
     * order, the last parameters' (whose gradients come first) first.
     */
    private void assignBuckets(long capBytes) {
        List<Bucket> inOrder = new ArrayList<>();
        Bucket current = null;
        long bytes = 0;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            long limit = inOrder.size() == 1 ? Math.min(FIRST_BUCKET_BYTES, capBytes) : capBytes;
            if (current == null || current.dtype != p.dtype() || bytes >= limit) {
                current = new Bucket(p.dtype());
                inOrder.add(current);
                bytes = 0;
            }
            current.members.add(i);
            bytes += p.numel() * p.dtype().itemSize();
        }
        for (int b = inOrder.size() - 1; b >= 0; b--) buckets.add(inOrder.get(b));
        for (int b = 0; b < buckets.size(); b++) {
            Bucket bucket = buckets.get(b);
            long n = 0;
            for (int i : bucket.members) {
                bucketOf[i] = b;
                offsetOf[i] = (int) n;
                n += params.get(i).numel();
            }
            bucket.flat = Tensor.overStorage(Storage.allocate(bucket.dtype, n), 0, new int[] {(int) n}, new int[] {1});
        }
    }

    /** How many buckets the gradients are reduced in (PyTorch's reducer logs this too). */
    public int bucketCount() { return buckets.size(); }

    /**
     * {@code ddp(input)}: broadcasts rank 0's buffers (with {@code broadcastBuffers}), runs the
     * model, and, under grad mode outside {@link #noSync()}, prepares the reduction of the coming
     * backward. Refuses to start while the previous iteration's reduction is unfinished (a
     * parameter that got no gradient, without {@code findUnusedParameters}).
     */
    @Override
    public Tensor forward(Tensor input) {
        if (expectingBackward && GradMode.isEnabled())
            throw new IllegalStateException("Expected to have finished reduction in the prior iteration before starting a new one. This error "
                    + "indicates that your module has parameters that were not used in producing loss. You can enable unused parameter "
                    + "detection by passing the keyword argument `find_unused_parameters=True` to "
                    + "`torch.nn.parallel.DistributedDataParallel`, and by making sure all `forward` function outputs participate in "
                    + "calculating loss." + unreadyNames());
        if (broadcastBuffers && world > 1 && !module.buffers().isEmpty()) broadcastCoalesced(module.buffers());
        Tensor out = module.call(input);
        if (GradMode.isEnabled() && requireSync) prepareForBackward(out);
        return out;
    }

    private String unreadyNames() {
        if (ready == null) return "";
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) if (!ready[i]) missing.add(names.get(i));
        return missing.isEmpty() ? "" : " Parameters which did not receive grad for rank " + Dist.getRank() + ": " + String.join(", ", missing);
    }

    private void prepareForBackward(Tensor out) {
        expectingBackward = true;
        ready = new boolean[params.size()];
        readyCount = 0;
        nextBucket = 0;
        for (Bucket b : buckets) {
            b.pending = b.members.size();
            b.work = null;
        }
        if (!findUnused) return;
        usedLocally = new boolean[params.size()];
        for (int i : reachableParameters(out)) usedLocally[i] = true;
        for (int i = 0; i < params.size(); i++) if (!usedLocally[i]) markReady(i);
    }

    /** The parameters whose gradient accumulators the graph of {@code out} reaches. */
    private List<Integer> reachableParameters(Tensor out) {
        List<Integer> found = new ArrayList<>();
        Node root = out.gradFn();
        if (root == null) {
            Integer i = indexOf.get(out);
            if (i != null) found.add(i);
            return found;
        }
        Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> todo = new ArrayDeque<>();
        todo.add(root);
        seen.add(root);
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            if (n instanceof AccumulateGrad) {
                Integer i = indexOf.get(((AccumulateGrad) n).variable());
                if (i != null) found.add(i);
            }
            for (Node next : n.nextFunctions()) if (next != null && seen.add(next)) todo.add(next);
        }
        return found;
    }

    /** A parameter's gradient was accumulated: its bucket slot takes it, scaled by 1 / world size. */
    private void gradientReady(Tensor param) {
        if (!expectingBackward) return;
        Integer i = indexOf.get(param);
        if (i == null) return;
        if (ready[i])
            throw new IllegalStateException("Expected to mark a variable ready only once. This error is caused by one of the following reasons: "
                    + "1) Use of a module parameter outside the `forward` function. 2) Reused parameters in multiple reentrant backward "
                    + "passes. Parameter '" + names.get(i) + "' was marked ready twice on rank " + Dist.getRank() + ".");
        markReady(i);
    }

    private void markReady(int i) {
        ready[i] = true;
        readyCount++;
        Bucket b = buckets.get(bucketOf[i]);
        Parameter p = params.get(i);
        Tensor slot = b.flat.narrow(0, offsetOf[i], p.numel());
        Tensor grad = p.grad();
        Torch.noGrad(() -> {
            if (grad == null) slot.zero_();
            else slot.copy_(grad.reshape(-1)).mul_(1.0 / world);
        });
        if (--b.pending == 0) launchReadyBuckets();
        if (readyCount == params.size()) finishReduction();
    }

    /** Buckets are all-reduced in bucket order on every rank (MPI matches collectives by order). */
    private void launchReadyBuckets() {
        while (nextBucket < buckets.size() && buckets.get(nextBucket).pending == 0) {
            Bucket b = buckets.get(nextBucket++);
            b.work = Dist.allReduce(b.flat, ReduceOp.SUM, true);
        }
    }

    /** After the last gradient: waits for the buckets and writes the averages into the parameters' {@code .grad}. */
    private void finishReduction() {
        boolean[] usedGlobally = null;
        if (findUnused) {
            long[] used = new long[params.size()];
            for (int i = 0; i < used.length; i++) used[i] = usedLocally[i] ? 1 : 0;
            Tensor u = Torch.tensor(used);
            Dist.allReduce(u, ReduceOp.MAX);
            long[] g = u.toLongArray();
            usedGlobally = new boolean[g.length];
            for (int i = 0; i < g.length; i++) usedGlobally[i] = g[i] != 0;
        }
        for (Bucket b : buckets) b.work.await();
        final boolean[] globally = usedGlobally;
        Torch.noGrad(() -> {
            for (int i = 0; i < params.size(); i++) {
                if (globally != null && !globally[i]) continue; // no rank used it: its .grad stays as it was
                Parameter p = params.get(i);
                Tensor reduced = buckets.get(bucketOf[i]).flat.narrow(0, offsetOf[i], p.numel()).view(p.shape());
                if (p.grad() == null) p.setGrad(reduced.clone());
                else p.grad().copy_(reduced);
            }
        });
        expectingBackward = false;
    }

    /**
     * {@code with ddp.no_sync():}: forwards and backwards inside accumulate gradients locally, without
     * reducing them; the first synchronised backward after it reduces the accumulated gradients.
     *
     * <pre>{@code
     * try (var ctx = ddp.noSync()) { lossFn.forward(ddp.call(x1), y1).backward(); }
     * lossFn.forward(ddp.call(x2), y2).backward();   // reduces the sum of both
     * }</pre>
     */
    public NoSync noSync() {
        boolean before = requireSync;
        requireSync = false;
        return new NoSync(before);
    }

    /** The scope of {@link #noSync()}: closing it restores synchronisation. */
    public final class NoSync implements AutoCloseable {
        private final boolean before;
        private boolean closed;

        private NoSync(boolean before) { this.before = before; }

        /** Ends the scope (idempotent). */
        @Override public void close() {
            if (closed) return;
            closed = true;
            requireSync = before;
        }
    }
}
