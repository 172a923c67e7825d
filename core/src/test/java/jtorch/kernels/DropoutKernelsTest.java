package jtorch.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import jtorch.Generator;
import jtorch.Props;
import jtorch.Torch;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterExample;
import net.jqwik.api.lifecycle.AfterProperty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DropoutKernels} and {@link Generator#dropoutNoise} against the plain reference, one
 * {@code random64()} per element ({@code u = (bits & (2^53 - 1)) * 2^-53}, kept when {@code u < 1 - p}):
 * on every provider, at 1 and 2 threads, float32 and float64, from generator states part-way through a
 * block; the generator's state after equals the reference's. A mutation check shows the comparison
 * catches a wrong recurrence, a wrong tempering and a wrong threshold.
 */
class DropoutKernelsTest {
    @AfterProperty
    @AfterExample
    void restoreThreads() { Torch.setNumThreads(Parallel.defaultNumThreads()); }

    private static Generator after(long seed, int words) {
        Generator g = new Generator().manualSeed(seed);
        for (int i = 0; i < words; i++) g.random();
        return g;
    }

    /** The reference noise: one 64-bit draw per element, compared as a double. */
    private static double[] reference(Generator g, int n, double p) {
        double q = 1.0 - p;
        float kept = 1f / (float) q;
        double[] want = new double[n];
        for (int i = 0; i < n; i++) {
            double u = (g.random64() & ((1L << 53) - 1)) * 0x1.0p-53;
            want[i] = u < q ? kept : 0f;
        }
        return want;
    }

    @Property(seed = Props.SEED, tries = 40)
    void generatorNoiseIsTheReferenceOnEveryProviderAndThreadCount(@ForAll @IntRange(min = 0, max = 2000) int consumed,
            @ForAll @IntRange(min = 1, max = 140000) int size, @ForAll @IntRange(min = 1, max = 99) int percent,
            @ForAll boolean float64, @ForAll boolean twoThreads) {
        double p = percent / 100.0, q = 1.0 - p;
        Torch.setNumThreads(twoThreads ? 2 : 1);
        Generator ref = after(consumed, consumed);
        double[] want = reference(ref, size, p);
        if (float64) for (int i = 0; i < size; i++) want[i] = want[i] == 0 ? 0.0 : 1.0 / q;
        for (KernelProvider prov : KernelProvider.values()) {
            if (!Kernels.isAvailable(prov)) continue;
            try (Kernels.Scope s = Kernels.use(prov)) {
                Generator g = after(consumed, consumed);
                double[] got = new double[size];
                if (float64) {
                    g.dropoutNoise(got, 0, size, p);
                } else {
                    float[] f = new float[size + 2];
                    g.dropoutNoise(f, 2, size, p);
                    for (int i = 0; i < size; i++) got[i] = f[i + 2];
                }
                String what = prov + ", " + size + " elements after " + consumed + " words, p " + p + (twoThreads ? ", 2 threads" : "");
                assertArrayEquals(want, got, what);
                assertArrayEquals(ref.getState(), g.getState(), "state after, " + what);
            }
        }
    }

    @Property(seed = Props.SEED, tries = 60)
    void kernelsAgreeWithTheReferenceOnEveryProvider(@ForAll @IntRange(min = 0, max = 623) int consumed,
            @ForAll @IntRange(min = 1, max = 3000) int size, @ForAll @IntRange(min = 1, max = 99) int percent, @ForAll long seed) {
        double p = percent / 100.0;
        for (KernelProvider prov : KernelProvider.values()) {
            if (!Kernels.isAvailable(prov)) continue;
            try (Kernels.Scope s = Kernels.use(prov)) {
                assertEquals(0, mismatches(DropoutKernels.get(), seed, consumed, size, p), prov + " " + DropoutKernels.get().describe());
            }
        }
    }

    /** Mutants of each kernel: the comparison with the reference finds every one (p 0.3: at 0.5 only one bit decides). */
    @Example
    void theComparisonCatchesMutants() {
        DropoutKernels wrongRecurrence = new DropoutKernels() {
            @Override public void sequence(int[] x, int from, int to) {
                for (int j = from; j < to; j++) x[j] = x[j - (N - M)] ^ mix(x[j - N + 1], x[j - N]);
            }
        };
        DropoutKernels wrongTemper = new DropoutKernels() {
            @Override public void temper(int[] x, int from, int to) {
                for (int j = from; j < to; j++) x[j] = x[j] ^ (x[j] >>> 11);
            }
        };
        DropoutKernels wrongHalves = new DropoutKernels() {
            @Override public void noiseF32(int[] t, int w, float[] out, int po, int n, long threshold, float keptValue) {
                for (int i = 0; i < n; i++, w += 2) out[po + i] = keptMask(t[w + 1], t[w], threshold) != 0 ? keptValue : 0f;
            }
        };
        DropoutKernels[] mutants = {wrongRecurrence, wrongTemper, wrongHalves};
        for (int i = 0; i < mutants.length; i++)
            assertTrue(mismatches(mutants[i], 5, 100, 3000, 0.3) > 0, "mutant " + i + " not caught");
        assertEquals(0, mismatches(DropoutKernels.SCALAR, 5, 100, 3000, 0.3));
    }

    /**
     * Elements where {@code k}'s sequence, tempering and float32 noise, run on the words after
     * {@code consumed} draws of {@code manualSeed(seed)}, differ from the reference.
     */
    private static int mismatches(DropoutKernels k, long seed, int consumed, int size, double p) {
        Generator g = after(seed, consumed);
        ByteBuffer b = ByteBuffer.wrap(g.getState()).order(ByteOrder.LITTLE_ENDIAN);
        int left = b.getInt(8), next = (int) b.getLong(16);
        int n = DropoutKernels.N;
        int[] words = new int[n + 2 * size + n];
        for (int i = 0; i < n; i++) words[i] = (int) b.getLong(24 + 8 * i);
        int st = left > 1 ? next : n, last = st + 2 * size - 1;
        k.sequence(words, n, (last / n + 1) * n);
        k.temper(words, st, st + 2 * size);
        float[] got = new float[size];
        k.noiseF32(words, st, got, 0, size, DropoutKernels.keepThreshold(1.0 - p), 1f / (float) (1.0 - p));
        double[] want = reference(g, size, p);
        int bad = 0;
        for (int i = 0; i < size; i++) if (got[i] != want[i]) bad++;
        return bad;
    }

    /** The integer threshold decides exactly as the double comparison, at the edges of the draw. */
    @Example
    void thresholdDecidesAsTheDoubleComparison() {
        Random r = new Random(3);
        for (int t = 0; t < 2000; t++) {
            double q = t < 3 ? new double[] {0x1.0p-53, 0.5, 1 - 0x1.0p-53}[t] : r.nextDouble();
            long thr = DropoutKernels.keepThreshold(q);
            for (long bits : new long[] {thr - 1, thr, thr + 1, 0, (1L << 53) - 1}) {
                if (bits < 0 || bits >= 1L << 53) continue;
                boolean byDouble = bits * 0x1.0p-53 < q;
                boolean byInt = DropoutKernels.keptMask((int) (bits >>> 32), (int) bits, thr) != 0;
                assertEquals(byDouble, byInt, "q " + q + ", bits " + bits);
            }
        }
    }
}
