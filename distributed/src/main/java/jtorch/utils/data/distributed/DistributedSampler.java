package jtorch.utils.data.distributed;

import java.util.Iterator;
import java.util.NoSuchElementException;

import jtorch.Generator;
import jtorch.distributed.Dist;
import jtorch.utils.data.Dataset;
import jtorch.utils.data.Sampler;

/**
 * {@code torch.utils.data.distributed.DistributedSampler}: each rank's share of a data set, so that
 * the ranks of a data-parallel job see disjoint samples of one epoch. With {@code shuffle} the
 * order is {@code randperm} of a generator seeded with {@code seed + epoch} (PyTorch 1.13's indices
 * for the same seed), the same on every rank; it is padded by repeating its start to a multiple of
 * the number of replicas (or cut to one with {@code dropLast}); rank r takes every
 * {@code numReplicas}-th index from position r. Call {@link #setEpoch} before each epoch, or every
 * epoch has the same order.
 *
 * <pre>{@code
 * var sampler = new DistributedSampler(train);              // DistributedSampler(train)
 * var loader = new DataLoader<>(train, DataLoader.options().batchSize(64).sampler(sampler));
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     sampler.setEpoch(epoch);
 *     for (var batch : loader) { ... }
 * }
 * }</pre>
 */
public final class DistributedSampler implements Sampler<Integer> {
    /** {@code DistributedSampler}'s keyword arguments. */
    public static final class Options {
        private Integer numReplicas, rank;
        private boolean shuffle = true, dropLast;
        private long seed;

        private Options() {}

        /** How many ranks share the data ({@code num_replicas}); the world size by default. */
        public Options numReplicas(int n) {
            numReplicas = n;
            return this;
        }

        /** This sampler's rank ({@code rank}); the process's rank by default. */
        public Options rank(int r) {
            rank = r;
            return this;
        }

        /** Whether to permute the indices each epoch ({@code shuffle}, true by default). */
        public Options shuffle(boolean v) {
            shuffle = v;
            return this;
        }

        /** The seed of the permutation, the same on every rank ({@code seed}, 0 by default). */
        public Options seed(long v) {
            seed = v;
            return this;
        }

        /** Cut the tail instead of padding, so that the shares are equal without repeats ({@code drop_last}, false by default). */
        public Options dropLast(boolean v) {
            dropLast = v;
            return this;
        }
    }

    /** The options, e.g. {@code DistributedSampler.options().shuffle(false)}. */
    public static Options options() { return new Options(); }

    private final Dataset<?> dataset;
    private final int numReplicas, rank, numSamples, totalSize;
    private final boolean shuffle, dropLast;
    private final long seed;
    private long epoch;

    /** {@code DistributedSampler(dataset)}: the default process group's world size and rank, shuffled with seed 0. */
    public DistributedSampler(Dataset<?> dataset) { this(dataset, options()); }

    /** {@code DistributedSampler(dataset, num_replicas=..., rank=..., shuffle=..., seed=..., drop_last=...)}. */
    public DistributedSampler(Dataset<?> dataset, Options options) {
        if (dataset == null) throw new IllegalArgumentException("DistributedSampler: dataset must not be null");
        this.dataset = dataset;
        this.numReplicas = options.numReplicas != null ? options.numReplicas : Dist.getWorldSize();
        this.rank = options.rank != null ? options.rank : Dist.getRank();
        if (numReplicas <= 0) throw new IllegalArgumentException("DistributedSampler: num_replicas must be positive, got " + numReplicas);
        if (rank >= numReplicas || rank < 0)
            throw new IllegalArgumentException("Invalid rank " + rank + ", rank should be in the interval [0, " + (numReplicas - 1) + "]");
        this.shuffle = options.shuffle;
        this.dropLast = options.dropLast;
        this.seed = options.seed;
        int n = dataset.size();
        // PyTorch's math.ceil((n - replicas) / replicas) with drop_last, math.ceil(n / replicas) without.
        this.numSamples = dropLast && n % numReplicas != 0 ? ceilDiv(n - numReplicas, numReplicas) : ceilDiv(n, numReplicas);
        this.totalSize = numSamples * numReplicas;
    }

    private static int ceilDiv(int a, int b) { return (int) Math.ceil((double) a / b); }

    /** {@code sampler.set_epoch(epoch)}: the next iterations permute with seed + epoch. */
    public void setEpoch(long epoch) { this.epoch = epoch; }

    /** {@code sampler.epoch}. */
    public long epoch() { return epoch; }

    /** {@code sampler.num_samples}: this rank's share, the same on every rank. */
    @Override public int size() { return numSamples; }

    /** {@code sampler.total_size}: the padded (or cut) number of indices over all ranks. */
    public int totalSize() { return totalSize; }

    @Override
    public Iterator<Integer> iterator() {
        int n = dataset.size();
        long[] order;
        if (shuffle) {
            order = new Generator(seed + epoch).randperm(n);
        } else {
            order = new long[n];
            for (int i = 0; i < n; i++) order[i] = i;
        }
        // Index j of the padded list: the permutation repeated as often as needed (PyTorch adds
        // indices[:padding] once when that is enough, else the whole list repeated; both are j mod n).
        int[] mine = new int[numSamples];
        for (int k = 0; k < numSamples; k++) {
            int j = rank + k * numReplicas;
            mine[k] = (int) order[j % n];
        }
        return new Iterator<Integer>() {
            private int next;

            @Override public boolean hasNext() { return next < mine.length; }

            @Override public Integer next() {
                if (next >= mine.length) throw new NoSuchElementException();
                return mine[next++];
            }
        };
    }
}
