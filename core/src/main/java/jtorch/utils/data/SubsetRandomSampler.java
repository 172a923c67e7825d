package jtorch.utils.data;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import jtorch.Generator;

/**
 * {@code torch.utils.data.SubsetRandomSampler}: the given indices in random order,
 * {@code indices[randperm(len(indices), generator)]} each iteration (the default generator
 * when none is given; the permutation is drawn at the first index taken).
 *
 * <pre>{@code
 * var train = new SubsetRandomSampler(List.of(0, 2, 4, 6, 8), new Generator(0));
 * var loader = new DataLoader<>(dataset, DataLoader.options().batchSize(2).sampler(train));
 * }</pre>
 */
public final class SubsetRandomSampler implements Sampler<Integer> {
    private final int[] indices;
    private final Generator generator;

    /** {@code SubsetRandomSampler(indices)} drawing from the default generator. */
    public SubsetRandomSampler(List<Integer> indices) { this(indices, null); }

    /** {@code SubsetRandomSampler(indices, generator)}; {@code generator} may be null (the default generator). */
    public SubsetRandomSampler(List<Integer> indices, Generator generator) {
        this.indices = new int[indices.size()];
        for (int i = 0; i < this.indices.length; i++) this.indices[i] = indices.get(i);
        this.generator = generator;
    }

    @Override public int size() { return indices.length; }

    @Override public Iterator<Integer> iterator() {
        return new Iterator<>() {
            private long[] perm;
            private int pos;

            @Override public boolean hasNext() {
                if (perm == null) perm = (generator != null ? generator : Generator.defaultGenerator()).randperm(indices.length);
                return pos < perm.length;
            }

            @Override public Integer next() {
                if (!hasNext()) throw new NoSuchElementException("SubsetRandomSampler: all " + indices.length + " indices were taken");
                return indices[(int) perm[pos++]];
            }
        };
    }
}
