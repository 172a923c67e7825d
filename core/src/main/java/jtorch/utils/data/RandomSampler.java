package jtorch.utils.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

import jtorch.Generator;

/**
 * {@code torch.utils.data.RandomSampler}: the data set's indices in random order, PyTorch 1.13's
 * draws for the same seed. Without replacement, {@code num_samples // n} permutations
 * {@code randperm(n)} follow each other, then a last one cut to {@code num_samples % n} (drawn
 * even when that is empty, once the earlier ones are used up, as PyTorch does); with replacement,
 * {@code randint(0, n)} in chunks of 32. Without a generator each iteration first draws a seed
 * from the default generator ({@code torch.empty((), dtype=torch.int64).random_()}) and uses a
 * fresh generator seeded with it. Values are drawn lazily, as the indices are taken.
 *
 * <pre>{@code
 * var s = new RandomSampler(dataset, RandomSampler.options().replacement(true).numSamples(100).generator(new Generator(0)));
 * for (int i : s) { ... }
 * }</pre>
 */
public final class RandomSampler implements Sampler<Integer> {
    /** RandomSampler's keyword arguments: {@code replacement=False, num_samples=None, generator=None}. */
    public static final class Options {
        private boolean replacement;
        private Integer numSamples;
        private Generator generator;

        private Options() {}

        /** {@code replacement}: draw with replacement (default false). */
        public Options replacement(boolean v) { replacement = v; return this; }
        /** {@code num_samples}: how many indices (default: the data set's length). */
        public Options numSamples(int v) { numSamples = v; return this; }
        /** {@code generator}: where the draws come from (default: a fresh one seeded from the default generator each iteration). */
        public Options generator(Generator v) { generator = v; return this; }
    }

    /** Options with PyTorch's defaults. */
    public static Options options() { return new Options(); }

    private final Dataset<?> dataSource;
    private final boolean replacement;
    private final Integer numSamples;
    private final Generator generator;

    /** {@code RandomSampler(data_source)}: a permutation per iteration. */
    public RandomSampler(Dataset<?> dataSource) { this(dataSource, options()); }

    /**
     * {@code RandomSampler(data_source, replacement, num_samples, generator)}.
     *
     * @throws IllegalArgumentException {@code "num_samples should be a positive integer value, but
     *         got num_samples=0"} (also for an empty data set without {@code num_samples})
     */
    public RandomSampler(Dataset<?> dataSource, Options options) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.replacement = options.replacement;
        this.numSamples = options.numSamples;
        this.generator = options.generator;
        if (size() <= 0)
            throw new IllegalArgumentException("num_samples should be a positive integer value, but got num_samples=" + size());
    }

    /** {@code replacement}. */
    public boolean replacement() { return replacement; }

    /** {@code num_samples}: the given number, or the data set's length. */
    public int numSamples() { return numSamples != null ? numSamples : dataSource.size(); }

    /** {@code generator}, or null. */
    public Generator generator() { return generator; }

    @Override public int size() { return numSamples(); }

    @Override public Iterator<Integer> iterator() {
        return new Draws();
    }

    /** The body of PyTorch's {@code __iter__} generator, run lazily: a chunk is drawn when the previous one is used up. */
    private final class Draws implements Iterator<Integer> {
        private Generator g;
        private final int n = dataSource.size();
        private final int total = numSamples();
        private int chunksLeft;           // full chunks (permutations or 32 draws) still to draw
        private boolean lastDrawn;
        private long[] chunk = new long[0];
        private int pos, limit;

        @Override public boolean hasNext() {
            while (pos >= limit) {
                if (!advance()) return false;
            }
            return true;
        }

        private boolean advance() {
            if (g == null) {
                if (n == 0 && !replacement)
                    throw new IllegalStateException("RandomSampler: cannot draw " + total + " samples without replacement from an empty data set");
                g = generator;
                if (g == null) g = new Generator(Generator.defaultGenerator().random64() & Long.MAX_VALUE);
                chunksLeft = replacement ? total / 32 : total / n;
            }
            if (chunksLeft > 0) {
                chunksLeft--;
                chunk = replacement ? randint(32) : g.randperm(n);
                limit = chunk.length;
            } else if (!lastDrawn) {
                lastDrawn = true;
                chunk = replacement ? randint(total % 32) : g.randperm(n);
                limit = replacement ? chunk.length : total % n;
            } else {
                return false;
            }
            pos = 0;
            return true;
        }

        private long[] randint(int count) {
            long[] out = new long[count];
            g.randint(out, 0, count, 0, n);
            return out;
        }

        @Override public Integer next() {
            if (!hasNext()) throw new NoSuchElementException("RandomSampler: all " + total + " indices were taken");
            return (int) chunk[pos++];
        }
    }
}
