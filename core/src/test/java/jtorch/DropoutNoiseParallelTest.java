package jtorch;

import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AfterExample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Generator#dropoutNoise} at 2 threads (the words generated on the caller, tempered and
 * compared on the pool, chunk by chunk) against 1 thread (the sequential draws): the same noise bit
 * for bit and the same generator state after, from states part-way through a block, at its end and
 * fresh from a seed, for sizes around the chunk.
 */
class DropoutNoiseParallelTest {
    private final int threadsBefore = Torch.getNumThreads();

    @AfterExample
    void restoreThreads() { Torch.setNumThreads(threadsBefore); }

    private static Generator after(long seed, int words) {
        Generator g = new Generator().manualSeed(seed);
        for (int i = 0; i < words; i++) g.random();
        return g;
    }

    @Example
    void twoThreadsDrawTheSameNoiseAndLeaveTheSameState() {
        int[] consumed = {0, 1, 2, 311, 623, 624, 625, 1247, 1248, 5001};
        int[] sizes = {32768, 65535, 65536, 65537, 100003, 3 * 65536 + 311};
        double[] ps = {0.1, 0.5, 0.9};
        for (int w : consumed)
            for (int size : sizes) {
                double p = ps[(w + size) % 3];
                Torch.setNumThreads(1);
                Generator a = after(w, w);
                float[] one = new float[size + 3];
                a.dropoutNoise(one, 3, size, p);
                double[] one64 = new double[size];
                a.dropoutNoise(one64, 0, size, p);
                Torch.setNumThreads(2);
                Generator b = after(w, w);
                float[] two = new float[size + 3];
                b.dropoutNoise(two, 3, size, p);
                double[] two64 = new double[size];
                b.dropoutNoise(two64, 0, size, p);
                String what = size + " elements after " + w + " words, p " + p;
                assertArrayEquals(one, two, "float32 noise, " + what);
                assertArrayEquals(one64, two64, "float64 noise, " + what);
                assertArrayEquals(a.getState(), b.getState(), "state after, " + what);
                assertEquals(a.random64(), b.random64(), "next draw, " + what);
            }
    }

    /** The pooled path is the one-double-per-element stream: each element kept exactly when its uniform is below 1 - p. */
    @Example
    void pooledNoiseIsOneDoubleDrawPerElement() {
        Torch.setNumThreads(2);
        int size = 70001;
        Generator g = after(9, 7), ref = after(9, 7);
        float[] noise = new float[size];
        g.dropoutNoise(noise, 0, size, 0.3);
        float kept = 1f / (float) 0.7;
        for (int i = 0; i < size; i++) {
            double u = (ref.random64() & ((1L << 53) - 1)) * 0x1.0p-53;
            assertEquals(u < 0.7 ? kept : 0f, noise[i], "element " + i);
        }
    }
}
