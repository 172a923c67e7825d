package jtorch.utils.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * {@code torch.utils.data.SequentialSampler}: the indices {@code 0, 1, ..., len(data_source) - 1}.
 *
 * <pre>{@code
 * for (int i : new SequentialSampler(dataset)) { ... }     // 0, 1, 2, ...
 * }</pre>
 */
public final class SequentialSampler implements Sampler<Integer> {
    private final Dataset<?> dataSource;

    /** {@code SequentialSampler(data_source)}; the length is read at each iteration. */
    public SequentialSampler(Dataset<?> dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override public int size() { return dataSource.size(); }

    @Override public Iterator<Integer> iterator() {
        int n = dataSource.size();
        return new Iterator<>() {
            private int next;

            @Override public boolean hasNext() { return next < n; }

            @Override public Integer next() {
                if (next >= n) throw new NoSuchElementException("SequentialSampler: all " + n + " indices were taken");
                return next++;
            }
        };
    }
}
