package jtorch.utils.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

import jtorch.Generator;

/**
 * {@code torch.utils.data.WeightedRandomSampler}: {@code num_samples} indices drawn with
 * probabilities proportional to {@code weights} (float64, as PyTorch converts them), with or
 * without replacement: {@code torch.multinomial(weights, num_samples, replacement, generator)}
 * drawn at the first index taken, with PyTorch 1.13's CPU algorithm and draws (with
 * replacement: one uniform double per sample and a binary search of the normalised cumulative
 * weights; without: one exponential per weight and the {@code num_samples} largest
 * {@code weight / exponential}).
 *
 * <pre>{@code
 * var s = new WeightedRandomSampler(new double[] {0.1, 0.9, 0.4, 0.7, 3.0, 0.6}, 5, true, new Generator(0));
 * for (int i : s) { ... }                 // mostly 4
 * }</pre>
 */
public final class WeightedRandomSampler implements Sampler<Integer> {
    private final double[] weights;
    private final int numSamples;
    private final boolean replacement;
    private final Generator generator;

    /** {@code WeightedRandomSampler(weights, num_samples)}: with replacement, from the default generator. */
    public WeightedRandomSampler(double[] weights, int numSamples) { this(weights, numSamples, true, null); }

    /**
     * {@code WeightedRandomSampler(weights, num_samples, replacement, generator)}; {@code generator}
     * may be null (the default generator).
     *
     * @throws IllegalArgumentException {@code "num_samples should be a positive integer value, but got num_samples=0"}
     */
    public WeightedRandomSampler(double[] weights, int numSamples, boolean replacement, Generator generator) {
        Objects.requireNonNull(weights, "weights");
        if (numSamples <= 0)
            throw new IllegalArgumentException("num_samples should be a positive integer value, but got num_samples=" + numSamples);
        this.weights = weights.clone();
        this.numSamples = numSamples;
        this.replacement = replacement;
        this.generator = generator;
    }

    /** {@code weights} (a copy). */
    public double[] weights() { return weights.clone(); }

    /** {@code replacement}. */
    public boolean replacement() { return replacement; }

    @Override public int size() { return numSamples; }

    /**
     * One epoch's indices; the draw happens at the first {@code hasNext()}/{@code next()}.
     *
     * @throws IllegalArgumentException (from that first call) with torch.multinomial's message
     *         for negative, infinite or NaN weights, weights summing to 0, or more samples than
     *         weights without replacement
     */
    @Override public Iterator<Integer> iterator() {
        return new Iterator<>() {
            private long[] drawn;
            private int pos;

            @Override public boolean hasNext() {
                if (drawn == null)
                    drawn = Multinomial.sample(weights, numSamples, replacement, generator != null ? generator : Generator.defaultGenerator());
                return pos < drawn.length;
            }

            @Override public Integer next() {
                if (!hasNext()) throw new NoSuchElementException("WeightedRandomSampler: all " + numSamples + " indices were taken");
                return (int) drawn[pos++];
            }
        };
    }
}
