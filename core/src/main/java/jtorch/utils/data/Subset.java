package jtorch.utils.data;

import java.util.Objects;

/**
 * The samples of a data set at the given indices, in that order ({@code torch.utils.data.Subset}).
 * {@link Dataset#randomSplit(Dataset, int[], jtorch.Generator)} returns these.
 *
 * <pre>{@code
 * Subset<List<Tensor>> firstHundred = new Subset<>(train, IntStream.range(0, 100).toArray());
 * }</pre>
 *
 * @param <T> the sample type of the underlying data set
 */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    /**
     * @param indices positions in {@code dataset}; copied, and checked against its current size
     * @throws IndexOutOfBoundsException if an index is outside {@code [0, dataset.size())}
     */
    public Subset(Dataset<T> dataset, int[] indices) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.indices = indices.clone();
        int n = dataset.size();
        for (int i = 0; i < this.indices.length; i++) {
            if (this.indices[i] < 0 || this.indices[i] >= n) {
                throw new IndexOutOfBoundsException("Subset index " + this.indices[i] + " at position " + i
                        + " is out of range for a dataset of size " + n);
            }
        }
    }

    @Override
    public T get(int index) {
        return dataset.get(indices[Objects.checkIndex(index, indices.length)]);
    }

    @Override
    public int size() {
        return indices.length;
    }

    /** The underlying data set ({@code subset.dataset}). */
    public Dataset<T> dataset() {
        return dataset;
    }

    /** A copy of the indices into {@link #dataset()} ({@code subset.indices}). */
    public int[] indices() {
        return indices.clone();
    }
}
