package jtorch.utils.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jtorch.Generator;

/**
 * A map-style data set ({@code torch.utils.data.Dataset}): {@link #size()} samples, read by
 * index with {@link #get(int)}. {@link DataLoader} batches one; {@link TensorDataset} wraps
 * tensors; {@link Subset} and {@link #randomSplit(Dataset, int[], Generator)} select parts.
 *
 * <pre>{@code
 * Dataset<List<Tensor>> data = new TensorDataset(features, labels);    // TensorDataset(X, y)
 * List<Subset<List<Tensor>>> parts =
 *         Dataset.randomSplit(data, new int[] {800, 200}, new Generator(42));
 * List<Tensor> first = parts.get(0).get(0);                            // (x, y) of one sample
 * }</pre>
 *
 * <p>A {@link DataLoader} with workers calls {@code get} from its worker threads, so
 * implementations must tolerate concurrent reads (read-only data sets do).
 *
 * @param <T> the type of one sample
 */
public interface Dataset<T> {

    /** The sample at {@code index}, {@code 0 <= index < size()} ({@code dataset[index]}). */
    T get(int index);

    /** The number of samples ({@code len(dataset)}). */
    int size();

    /**
     * A data set over the elements of a list, as PyTorch accepts any sequence where it expects a
     * data set ({@code random_split(range(10), ...)}). The list is not copied.
     */
    static <T> Dataset<T> of(List<T> items) {
        Objects.requireNonNull(items, "items");
        return new Dataset<>() {
            @Override public T get(int index) { return items.get(index); }
            @Override public int size() { return items.size(); }
        };
    }

    /**
     * {@code torch.utils.data.random_split(dataset, lengths, generator)}: splits the data set into
     * non-overlapping subsets of the given lengths, PyTorch's way: {@code randperm(sum(lengths),
     * generator)}, then consecutive slices of that permutation. The same generator state gives the
     * same subsets as PyTorch.
     *
     * <pre>{@code
     * var parts = Dataset.randomSplit(Dataset.of(range), new int[] {3, 7}, new Generator(42));
     * }</pre>
     *
     * @throws IllegalArgumentException if a length is negative or the lengths do not add up to
     *     {@code dataset.size()}
     */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(generator, "generator");
        long sum = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 0) {
                throw new IllegalArgumentException("Length of split at index " + i + " is negative: " + lengths[i]);
            }
            sum += lengths[i];
        }
        if (sum != dataset.size()) {
            throw new IllegalArgumentException("Sum of input lengths does not equal the length of the input dataset! (lengths add up to "
                    + sum + ", the dataset has " + dataset.size() + " samples)");
        }
        long[] permutation = generator.randperm((int) sum);
        List<Subset<T>> subsets = new ArrayList<>(lengths.length);
        int offset = 0;
        for (int length : lengths) {
            int[] indices = new int[length];
            for (int j = 0; j < length; j++) indices[j] = (int) permutation[offset + j];
            subsets.add(new Subset<>(dataset, indices));
            offset += length;
        }
        return subsets;
    }

    /** {@link #randomSplit(Dataset, int[], Generator)} with the default generator, as PyTorch's default. */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths) {
        return randomSplit(dataset, lengths, Generator.defaultGenerator());
    }

    /**
     * {@code random_split(dataset, fractions, generator)} with fractions that sum to 1 (PyTorch
     * 1.13+): each split gets {@code floor(size * fraction)} samples, then the remainder is handed
     * out one at a time, round robin from the first split; then as
     * {@link #randomSplit(Dataset, int[], Generator)}.
     *
     * <pre>{@code
     * var parts = Dataset.randomSplit(data, new double[] {0.8, 0.2}, new Generator(42));
     * }</pre>
     *
     * @throws IllegalArgumentException if a fraction is outside {@code [0, 1]} or the fractions do
     *     not sum to 1 ({@code math.isclose(sum, 1) and sum <= 1}, as PyTorch tests it)
     */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator generator) {
        Objects.requireNonNull(dataset, "dataset");
        double sum = 0;
        for (double f : fractions) sum += f;                      // Python's sum(): left to right
        // math.isclose(sum, 1) with its default rel_tol=1e-9, abs_tol=0
        boolean closeToOne = Math.abs(sum - 1) <= 1e-9 * Math.max(Math.abs(sum), 1.0);
        if (!(closeToOne && sum <= 1)) {
            throw new IllegalArgumentException("Sum of input lengths does not equal the length of the input dataset! (fractions must sum to 1, got "
                    + sum + ")");
        }
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        long assigned = 0;
        for (int i = 0; i < fractions.length; i++) {
            if (fractions[i] < 0 || fractions[i] > 1) {
                throw new IllegalArgumentException("Fraction at index " + i + " is not between 0 and 1");
            }
            lengths[i] = (int) Math.floor(n * fractions[i]);
            assigned += lengths[i];
        }
        for (long i = 0; i < n - assigned; i++) lengths[(int) (i % lengths.length)]++;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] == 0) {
                LoggerHolder.LOG.warn("Length of split at index {} is 0. This might result in an empty dataset.", i);
            }
        }
        return randomSplit(dataset, lengths, generator);
    }

    /** {@link #randomSplit(Dataset, double[], Generator)} with the default generator. */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions) {
        return randomSplit(dataset, fractions, Generator.defaultGenerator());
    }
}

/** Interfaces cannot hold private fields; the logger of {@link Dataset}'s static methods lives here. */
final class LoggerHolder {
    static final Logger LOG = LoggerFactory.getLogger(Dataset.class);

    private LoggerHolder() {}
}
