package jtorch.utils.data;

/**
 * {@code torch.utils.data.Sampler}: the order in which a {@link DataLoader} visits its data set,
 * an iterable of indices (or, for a {@link BatchSampler}, of lists of indices) with a length.
 * Each {@code iterator()} is one epoch; random samplers draw their values lazily, as PyTorch's
 * generator functions do, so the same seed gives PyTorch's indices.
 *
 * <pre>{@code
 * Sampler<Integer> s = new RandomSampler(dataset, RandomSampler.options().generator(new Generator(0)));
 * for (int i : s) { ... }                                   // for i in sampler:
 * var loader = new DataLoader<>(dataset, DataLoader.options().batchSize(32).sampler(s));
 * }</pre>
 *
 * @param <T> what an iteration yields: {@code Integer} indices, or {@code List<Integer>} batches
 */
public interface Sampler<T> extends Iterable<T> {
    /** {@code len(sampler)}: how many values one iteration yields. */
    int size();
}
