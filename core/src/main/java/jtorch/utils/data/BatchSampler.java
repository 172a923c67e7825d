package jtorch.utils.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * {@code torch.utils.data.BatchSampler}: groups the indices of another sampler into lists of
 * {@code batch_size}, the last one shorter unless {@code drop_last}. It takes indices from the
 * inner sampler only as batches are taken, as PyTorch's does.
 *
 * <pre>{@code
 * var batches = new BatchSampler(new SequentialSampler(ds), 3, false);
 * for (List<Integer> b : batches) { ... }        // [0, 1, 2], [3, 4, 5], ..., [9]
 * var loader = new DataLoader<>(ds, DataLoader.options().batchSampler(batches));
 * }</pre>
 */
public final class BatchSampler implements Sampler<List<Integer>> {
    private final Iterable<Integer> sampler;
    private final int batchSize;
    private final boolean dropLast;

    /**
     * {@code BatchSampler(sampler, batch_size, drop_last)}.
     *
     * @throws IllegalArgumentException {@code "batch_size should be a positive integer value, but got batch_size=0"}
     */
    public BatchSampler(Iterable<Integer> sampler, int batchSize, boolean dropLast) {
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        if (batchSize <= 0)
            throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + batchSize);
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    /** The inner sampler. */
    public Iterable<Integer> sampler() { return sampler; }

    /** {@code batch_size}. */
    public int batchSize() { return batchSize; }

    /** {@code drop_last}. */
    public boolean dropLast() { return dropLast; }

    /**
     * {@code len(batch_sampler)}.
     *
     * @throws UnsupportedOperationException if the inner sampler is a plain {@code Iterable} without a length
     */
    @Override public int size() {
        if (!(sampler instanceof Sampler))
            throw new UnsupportedOperationException("object of type '" + sampler.getClass().getSimpleName() + "' has no len()");
        long n = ((Sampler<?>) sampler).size();
        return (int) (dropLast ? n / batchSize : (n + batchSize - 1) / batchSize);
    }

    @Override public Iterator<List<Integer>> iterator() {
        Iterator<Integer> it = sampler.iterator();
        return new Iterator<>() {
            private List<Integer> pending;
            private boolean done;

            @Override public boolean hasNext() {
                if (pending != null) return true;
                if (done) return false;
                List<Integer> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && it.hasNext()) batch.add(it.next());
                if (batch.size() < batchSize) done = true;
                if (batch.isEmpty() || (dropLast && batch.size() < batchSize)) return false;
                pending = Collections.unmodifiableList(batch);
                return true;
            }

            @Override public List<Integer> next() {
                if (!hasNext()) throw new NoSuchElementException("BatchSampler: no more batches");
                List<Integer> b = pending;
                pending = null;
                return b;
            }
        };
    }
}
