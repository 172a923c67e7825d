package jtorch.nn;

import static jtorch.nn.NnGen.REDUCTIONS;
import static jtorch.nn.NnGen.SEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.autograd.GradCheck;
import jtorch.internal.TensorInternals;
import jtorch.nn.functional.F;

/**
 * The gradients that autograd derives for the composed nn functions agree with central finite
 * differences ({@link GradCheck#gradcheck}: float64, eps 1e-6, atol 1e-5, rtol 1e-3, PyTorch's
 * defaults), for every loss with every reduction and option, the normalisations in training mode,
 * the activations and dropout. Inputs are random (seeded) and keep away from kinks and formula
 * switches: no input of LeakyReLU near 0, no |input - target| near 0 (L1) or near beta (smooth
 * L1), probabilities inside (0.05, 0.95) for BCE, and batches whose values are spread out.
 * Every check also runs {@link GradCheck#gradgradcheck} (second derivatives: the gradient of the
 * vector-Jacobian product, against finite differences): every nn function here has a second
 * derivative in PyTorch 1.13 (derivatives.yaml defines the double backward of each of their
 * backward ops), so none is exempt.
 */
class GradcheckPropertiesTest {

    /** First and second derivatives against finite differences. */
    private static void check(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        assertTrue(GradCheck.gradcheck(fn, inputs));
        assertTrue(GradCheck.gradgradcheck(fn, inputs));
    }

    private static <T> T pick(Random r, T[] options) { return options[r.nextInt(options.length)]; }

    // ------------------------------------------------------------------------------ losses

    @Property(seed = SEED, tries = 40)
    void l1LossGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        long[] s = NnGen.shape(r, 1, 3, 4);
        Tensor x = NnGen.uniform(r, s, -2, 2).requiresGrad_();
        Tensor t = NnGen.offsetFrom(r, x, 0.05, 1.5).requiresGrad_();
        for (String red : REDUCTIONS) check(in -> F.l1Loss(in[0], in[1], red), x, t);
    }

    @Property(seed = SEED, tries = 40)
    void smoothL1LossGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        double beta = pick(r, new Double[] {0.0, 0.5, 1.0, 2.0});
        long[] s = NnGen.shape(r, 1, 3, 4);
        Tensor x = NnGen.uniform(r, s, -2, 2).requiresGrad_();
        // |x - t| away from 0 and from beta: inside (0.05, beta - 0.05) or (beta + 0.05, beta + 2)
        double[] d = new double[(int) NnGen.numel(s)];
        for (int i = 0; i < d.length; i++) {
            boolean quadratic = beta > 0.2 && r.nextBoolean();
            double m = quadratic ? 0.05 + (beta - 0.1) * r.nextDouble() : beta + 0.05 + 2 * r.nextDouble();
            d[i] = r.nextBoolean() ? m : -m;
        }
        Tensor t = x.detach().add(Torch.tensor(d).reshape(s)).requiresGrad_();
        for (String red : REDUCTIONS) check(in -> F.smoothL1Loss(in[0], in[1], red, beta), x, t);
    }

    /** An input shape {@code (C)}, {@code (N, C)} or {@code (N, C, d1[, d2])} and the matching target shape. */
    private static long[][] classificationShapes(Random r) {
        int rank = 1 + r.nextInt(4);
        long[] in = NnGen.shape(r, rank, 3);
        in[rank == 1 ? 0 : 1] = 2 + r.nextInt(3); // C in 2..4
        long[] target = new long[Math.max(rank - 1, 0)];
        if (rank > 1) {
            target[0] = in[0];
            for (int d = 2; d < rank; d++) target[d - 1] = in[d];
        }
        return new long[][] {in, target};
    }

    @Property(seed = SEED, tries = 50)
    void nllLossGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        long[][] s = classificationShapes(r);
        int classes = (int) s[0][s[0].length == 1 ? 0 : 1];
        Tensor x = NnGen.uniform(r, s[0], -3, 0).requiresGrad_();
        Tensor weight = r.nextBoolean() ? NnGen.weights(r, classes) : null;
        long ignore = r.nextBoolean() ? -100 : r.nextInt(classes);
        Tensor t = NnGen.withIgnored(r, NnGen.classes(r, s[1], classes), ignore, classes);
        for (String red : REDUCTIONS) check(in -> F.nllLoss(in[0], t, weight, ignore, red), x);
    }

    @Property(seed = SEED, tries = 50)
    void crossEntropyWithClassIndicesGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        long[][] s = classificationShapes(r);
        int classes = (int) s[0][s[0].length == 1 ? 0 : 1];
        Tensor x = NnGen.uniform(r, s[0], -4, 4).requiresGrad_();
        Tensor weight = r.nextBoolean() ? NnGen.weights(r, classes).requiresGrad_() : null;
        long ignore = r.nextBoolean() ? -100 : r.nextInt(classes);
        Tensor t = NnGen.withIgnored(r, NnGen.classes(r, s[1], classes), ignore, classes);
        double smoothing = pick(r, new Double[] {0.0, 0.1, 0.4, 1.0});
        for (String red : REDUCTIONS) {
            if (weight == null) check(in -> F.crossEntropy(in[0], t, null, ignore, red, smoothing), x);
            else check(in -> F.crossEntropy(in[0], t, in[1], ignore, red, smoothing), x, weight);
        }
    }

    @Property(seed = SEED, tries = 50)
    void crossEntropyWithProbabilitiesGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        long[] s = classificationShapes(r)[0];
        int classDim = s.length == 1 ? 0 : 1;
        Tensor x = NnGen.uniform(r, s, -4, 4).requiresGrad_();
        Tensor t = NnGen.probabilities(r, s, classDim).requiresGrad_();
        Tensor weight = r.nextBoolean() ? NnGen.weights(r, s[classDim]) : null;
        double smoothing = pick(r, new Double[] {0.0, 0.2});
        for (String red : REDUCTIONS) check(in -> F.crossEntropy(in[0], in[1], weight, -100, red, smoothing), x, t);
    }

    @Property(seed = SEED, tries = 40)
    void binaryCrossEntropyGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        long[] s = NnGen.shape(r, 1, 3, 4);
        Tensor x = NnGen.uniform(r, s, 0.05, 0.95).requiresGrad_();
        Tensor t = NnGen.uniform(r, s, 0, 1).requiresGrad_();
        Tensor weight = r.nextBoolean() ? null : NnGen.weights(r, r.nextBoolean() ? s : new long[] {s[s.length - 1]});
        for (String red : REDUCTIONS) check(in -> F.binaryCrossEntropy(in[0], in[1], weight, red), x, t);
    }

    @Property(seed = SEED, tries = 40)
    void binaryCrossEntropyWithLogitsGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        long[] s = NnGen.shape(r, 1, 3, 4);
        Tensor x = NnGen.uniform(r, s, -6, 6).requiresGrad_();
        Tensor t = NnGen.uniform(r, s, 0, 1).requiresGrad_();
        Tensor weight = r.nextBoolean() ? null : NnGen.weights(r, s);
        Tensor posWeight = r.nextBoolean() ? null : NnGen.weights(r, s[s.length - 1]).requiresGrad_();
        for (String red : REDUCTIONS) {
            if (posWeight == null) check(in -> F.binaryCrossEntropyWithLogits(in[0], in[1], weight, red, null), x, t);
            else check(in -> F.binaryCrossEntropyWithLogits(in[0], in[1], weight, red, in[2]), x, t, posWeight);
        }
    }

    // ------------------------------------------------------------------------------ normalisation

    /** Values whose every group (the elements sharing an index in {@code keptDims}) is spread out (std >= 0.3). */
    private static Tensor spread(Random r, long[] s, int[] reducedDims) {
        while (true) {
            Tensor x = NnGen.uniform(r, s, -2, 3);
            double minStd = x.var(reducedDims, false, false).min().item();
            if (Math.sqrt(minStd) >= 0.3) return x;
        }
    }

    @Property(seed = SEED, tries = 50)
    void batchNormTrainingGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        int rank = 2 + r.nextInt(3);
        long[] s = NnGen.shape(r, rank, 3);
        s[0] = 2 + r.nextInt(2); // at least 2 values per channel
        int[] reduced = new int[rank - 1];
        for (int d = 2; d < rank; d++) reduced[d - 1] = d;
        Tensor x = spread(r, s, reduced).requiresGrad_();
        long c = s[1];
        Tensor w = NnGen.uniform(r, new long[] {c}, 0.5, 2).requiresGrad_(), b = NnGen.uniform(r, new long[] {c}, -1, 1).requiresGrad_();
        boolean withStats = r.nextBoolean();
        check(in -> F.batchNorm(in[0], withStats ? Torch.zeros(c).to(DType.FLOAT64) : null,
                withStats ? Torch.ones(c).to(DType.FLOAT64) : null, in[1], in[2], true, 0.1, 1e-5), x, w, b);
        check(in -> F.batchNorm(in[0], null, null, null, null, true, 0.1, 1e-5), x);
    }

    @Property(seed = SEED, tries = 25)
    void batchNormEvaluationGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        long[] s = NnGen.shape(r, 2 + r.nextInt(3), 3);
        long c = s[1];
        Tensor x = NnGen.uniform(r, s, -2, 2).requiresGrad_();
        Tensor w = NnGen.uniform(r, new long[] {c}, 0.5, 2).requiresGrad_(), b = NnGen.uniform(r, new long[] {c}, -1, 1).requiresGrad_();
        Tensor rm = NnGen.uniform(r, new long[] {c}, -1, 1), rv = NnGen.uniform(r, new long[] {c}, 0.5, 2);
        check(in -> F.batchNorm(in[0], rm, rv, in[1], in[2], false, 0.1, 1e-5), x, w, b);
    }

    @Property(seed = SEED, tries = 50)
    void layerNormGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        int rank = 1 + r.nextInt(3);
        long[] s = NnGen.shape(r, rank, 4);
        int k = 1 + r.nextInt(rank);
        long[] normalized = java.util.Arrays.copyOfRange(s, rank - k, rank);
        if (NnGen.numel(normalized) < 2) { s[rank - 1] = 3; normalized[k - 1] = 3; }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = rank - k + i;
        Tensor x = spread(r, s, dims).requiresGrad_();
        if (r.nextBoolean()) {
            Tensor w = NnGen.uniform(r, normalized, 0.5, 2).requiresGrad_(), b = NnGen.uniform(r, normalized, -1, 1).requiresGrad_();
            check(in -> F.layerNorm(in[0], normalized, in[1], in[2], 1e-5), x, w, b);
        } else {
            check(in -> F.layerNorm(in[0], normalized, null, null, 1e-5), x);
        }
    }

    // ------------------------------------------------------------------------------ activations

    @Property(seed = SEED, tries = 40)
    void geluGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = NnGen.uniform(r, NnGen.shape(r, 1, 3, 4), -5, 5).requiresGrad_();
        check(in -> F.gelu(in[0]), x);
        check(in -> F.gelu(in[0], "tanh"), x);
    }

    @Property(seed = SEED, tries = 40)
    void leakyReluGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        double slope = pick(r, new Double[] {0.01, 0.2, -0.5, 2.0});
        Tensor x = NnGen.awayFromZero(r, NnGen.shape(r, 1, 3, 4), 0.01, 3).requiresGrad_();
        check(in -> F.leakyRelu(in[0], slope), x);
    }

    @Property(seed = SEED, tries = 40)
    void softmaxAndLogSoftmaxGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        int rank = 1 + r.nextInt(3);
        Tensor x = NnGen.uniform(r, NnGen.shape(r, rank, 4), -5, 5).requiresGrad_();
        int dim = r.nextInt(2 * rank) - rank;
        check(in -> F.softmax(in[0], dim), x);
        check(in -> F.logSoftmax(in[0], dim), x);
    }

    // ------------------------------------------------------------------------------ dropout, embedding

    @Property(seed = SEED, tries = 25)
    void dropoutGradientIsTheScaledMask(@ForAll long seed) {
        Random r = new Random(seed);
        double p = pick(r, new Double[] {0.2, 0.5, 0.8});
        long maskSeed = r.nextInt(1000);
        Tensor x = NnGen.uniform(r, NnGen.shape(r, 1, 3, 4), -2, 2).requiresGrad_();
        // the same mask on every evaluation: the function is linear in x with the scaled mask as slope
        check(in -> {
            Torch.manualSeed(maskSeed);
            return F.dropout(in[0], p, true);
        }, x);
        Torch.manualSeed(maskSeed);
        Tensor y = F.dropout(x, p, true);
        y.sum().backward();
        double[] g = x.grad().toDoubleArray(), yv = y.detach().toDoubleArray(), xv = x.detach().toDoubleArray();
        for (int i = 0; i < g.length; i++) {
            assertTrue(g[i] == 0 || g[i] == 1 / (1 - p), "grad " + g[i]);
            assertEquals(xv[i] * g[i], yv[i], 1e-15);
        }
    }

    @Property(seed = SEED, tries = 25)
    void embeddingGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        int num = 2 + r.nextInt(4), dim = 1 + r.nextInt(3);
        Tensor w = NnGen.uniform(r, new long[] {num, dim}, -2, 2).requiresGrad_();
        Tensor idx = NnGen.classes(r, NnGen.shape(r, 1, 2, 3), num); // repeats included
        check(in -> F.embedding(idx, in[0]), w);
    }

    // ------------------------------------------------------------------------------ nn.utils (issue 11, nn section)

    @Property(seed = SEED, tries = 20)
    void parametersToVectorGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        Tensor a = NnGen.uniform(r, NnGen.shape(r, 1, 2, 3), -2, 2).requiresGrad_();
        Tensor b = NnGen.uniform(r, NnGen.shape(r, 1, 3, 4), -2, 2).requiresGrad_();
        Tensor w = NnGen.uniform(r, new long[] {a.numel() + b.numel()}, -1, 1);
        check(in -> jtorch.nn.utils.ConvertParameters.parametersToVector(java.util.List.of(in[0], in[1])).mul(w), a, b);
    }

    // ------------------------------------------------------------------------------ nn.utils.rnn (packed sequences)

    @Property(seed = SEED, tries = 15)
    void packAndPadGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        int batch = 1 + r.nextInt(3), steps = 1 + r.nextInt(4);
        boolean batchFirst = r.nextBoolean(), enforceSorted = r.nextBoolean();
        long[] lengths = new long[batch];
        for (int i = 0; i < batch; i++) lengths[i] = 1 + r.nextInt(steps);
        lengths[r.nextInt(batch)] = steps;
        if (enforceSorted) java.util.Arrays.sort(lengths);
        if (enforceSorted) for (int i = 0; i < batch / 2; i++) { long t = lengths[i]; lengths[i] = lengths[batch - 1 - i]; lengths[batch - 1 - i] = t; }
        long[] shape = batchFirst ? new long[] {batch, steps, 2} : new long[] {steps, batch, 2};
        Tensor x = NnGen.uniform(r, shape, -2, 2).requiresGrad_();
        long total = steps + r.nextInt(2);
        check(in -> jtorch.nn.utils.rnn.Rnn.padPackedSequence(
                jtorch.nn.utils.rnn.Rnn.packPaddedSequence(in[0], lengths, batchFirst, enforceSorted), !batchFirst, 0.5, total).output(), x);
        check(in -> jtorch.nn.utils.rnn.Rnn.packPaddedSequence(in[0], lengths, batchFirst, enforceSorted).data(), x);
        Tensor a = NnGen.uniform(r, new long[] {lengths[0], 2}, -2, 2).requiresGrad_();
        Tensor b = NnGen.uniform(r, new long[] {1, 2}, -2, 2).requiresGrad_();
        check(in -> jtorch.nn.utils.rnn.Rnn.padSequence(java.util.List.of(in[0], in[1]), batchFirst, -1.0), a, b);
    }

    // ------------------------------------------------------------------------------ attention (issue 12: F.scaledDotProductAttention, nn.MultiheadAttention)

    /** A bool mask of {@code shape}, True with probability 0.4, never on key 0 (no row is all masked). */
    private static Tensor boolMask(Random r, long[] shape, boolean trueMeansMasked) {
        boolean[] v = new boolean[(int) NnGen.numel(shape)];
        long s = shape[shape.length - 1];
        for (int i = 0; i < v.length; i++) {
            boolean masked = i % s != 0 && r.nextDouble() < 0.4;
            v[i] = trueMeansMasked == masked;
        }
        int[] si = new int[shape.length];
        for (int i = 0; i < si.length; i++) si[i] = (int) shape[i];
        return TensorInternals.wrap(v, si);
    }

    @Property(seed = SEED, tries = 30)
    void scaledDotProductAttentionGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        int batchRank = r.nextInt(3);
        long[] batch = NnGen.shape(r, batchRank, 2);
        long l = 1 + r.nextInt(3), s = 1 + r.nextInt(3), e = 1 + r.nextInt(3), ev = 1 + r.nextInt(3);
        Tensor q = NnGen.uniform(r, cat(batch, l, e), -1.5, 1.5).requiresGrad_();
        Tensor k = NnGen.uniform(r, cat(batch, s, e), -1.5, 1.5).requiresGrad_();
        Tensor v = NnGen.uniform(r, cat(batch, s, ev), -1.5, 1.5).requiresGrad_();
        int maskKind = r.nextInt(4); // none, bool (True = take part), float (differentiable), causal
        Tensor mask = maskKind == 1 ? boolMask(r, new long[] {l, s}, false)
                : maskKind == 2 ? NnGen.uniform(r, new long[] {l, s}, -1, 1).requiresGrad_() : null;
        Double scale = r.nextBoolean() ? null : 0.7;
        double p = r.nextInt(4) == 0 ? 0.3 : 0.0;
        long dropSeed = r.nextInt(1000);
        check(in -> {
            Torch.manualSeed(dropSeed); // the same dropout mask on every evaluation
            return F.scaledDotProductAttention(in[0], in[1], in[2], in.length > 3 ? in[3] : null, p, maskKind == 3, scale);
        }, mask != null ? new Tensor[] {q, k, v, mask} : new Tensor[] {q, k, v});
    }

    private static long[] cat(long[] batch, long a, long b) {
        long[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = a;
        s[batch.length + 1] = b;
        return s;
    }

    @Property(seed = SEED, tries = 12)
    void multiheadAttentionGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        long heads = 1 + r.nextInt(2), e = 2 * heads;
        boolean separate = r.nextInt(3) == 0, unbatched = r.nextInt(4) == 0, batchFirst = r.nextBoolean();
        long kdim = separate ? 1 + r.nextInt(3) : e, vdim = separate ? 1 + r.nextInt(3) : e;
        var o = MultiheadAttention.options(e, heads).bias(r.nextInt(4) != 0).addBiasKv(r.nextInt(3) == 0)
                .addZeroAttn(r.nextInt(3) == 0).batchFirst(batchFirst);
        if (separate) o.kdim(kdim).vdim(vdim);
        Torch.manualSeed(r.nextInt(1000));
        var mha = new MultiheadAttention(o);
        mha.to(DType.FLOAT64);
        // Biases drawn too (PyTorch's init zeroes them), so that their effect is not zero.
        Torch.noGrad(() -> {
            for (Parameter p : mha.parameters()) p.copy_(NnGen.uniform(r, p.shape().toArray(), -0.5, 0.5));
        });
        long n = 1 + r.nextInt(2), l = 1 + r.nextInt(2), s = 1 + r.nextInt(3);
        boolean self = !separate && r.nextBoolean();
        if (self) s = l;
        long ln = l, sn = s;
        java.util.function.BiFunction<Long, Long, long[]> shape = (seq, feat) ->
                unbatched ? new long[] {seq, feat} : batchFirst ? new long[] {n, seq, feat} : new long[] {seq, n, feat};
        Tensor q = NnGen.uniform(r, shape.apply(ln, e), -1.5, 1.5).requiresGrad_();
        Tensor k = self ? q : NnGen.uniform(r, shape.apply(sn, kdim), -1.5, 1.5).requiresGrad_();
        Tensor v = self ? q : NnGen.uniform(r, shape.apply(sn, vdim), -1.5, 1.5).requiresGrad_();
        int maskKind = r.nextInt(3); // none, bool (True = masked), float
        Tensor attnMask = maskKind == 1 ? boolMask(r, new long[] {l, s}, true)
                : maskKind == 2 ? NnGen.uniform(r, new long[] {l, s}, -1, 1) : null;
        Tensor kpm = r.nextBoolean() ? null : boolMask(r, unbatched ? new long[] {s} : new long[] {n, s}, true);
        boolean needWeights = r.nextBoolean(), average = r.nextBoolean();
        java.util.List<Tensor> inputs = new java.util.ArrayList<>(self ? java.util.List.of(q) : java.util.List.of(q, k, v));
        int nIn = inputs.size();
        inputs.addAll(mha.parameters()); // perturbed in place by the check, so the module sees the perturbation
        check(in -> {
            Tensor qi = in[0], ki = nIn == 1 ? in[0] : in[1], vi = nIn == 1 ? in[0] : in[2];
            var out = mha.forward(qi, ki, vi, kpm, needWeights, attnMask, average);
            return needWeights ? Torch.cat(java.util.List.of(out.attnOutput().reshape(-1), out.attnOutputWeights().reshape(-1)))
                    : out.attnOutput();
        }, inputs.toArray(new Tensor[0]));
    }

    // ------------------------------------------------------------------------------ recurrent modules (issue 12, RNN/LSTM/GRU)
    //
    // The computation the modules and cells run (Recurrent.run / Recurrent.step), with the input, the
    // initial states and every weight as gradcheck inputs; padded or packed batches (shrinking batch
    // sizes), stacked, bidirectional, LSTM projections, no bias. ReLU runs on positive values only
    // (every pre-activation > 0), keeping finite differences off its kink.

    private static final Recurrent.Mode[] RNN_MODES = Recurrent.Mode.values();

    @Property(seed = SEED, tries = 5)
    void recurrentStackGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        Recurrent.Mode mode = pick(r, RNN_MODES);
        boolean positive = mode == Recurrent.Mode.RNN_RELU;
        double lo = positive ? 0.05 : -1, hi = positive ? 0.5 : 1;
        int layers = 1 + r.nextInt(2), dirs = 1 + r.nextInt(2);
        boolean bias = r.nextBoolean(), packed = r.nextBoolean();
        long in = 2, hidden = 2, proj = mode == Recurrent.Mode.LSTM && r.nextBoolean() ? 1 : 0, hOut = proj > 0 ? proj : hidden;
        long[] batchSizes = packed ? new long[] {3, 2, 1} : new long[] {2, 2};
        long rows = 0;
        for (long b : batchSizes) rows += b;
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(NnGen.uniform(r, new long[] {rows, in}, lo, hi).requiresGrad_());
        inputs.add(NnGen.uniform(r, new long[] {layers * dirs, batchSizes[0], hOut}, lo, hi).requiresGrad_());
        boolean lstm = mode == Recurrent.Mode.LSTM;
        if (lstm) inputs.add(NnGen.uniform(r, new long[] {layers * dirs, batchSizes[0], hidden}, -1, 1).requiresGrad_());
        int firstWeight = inputs.size();
        long gates = mode.gates * hidden;
        for (int l = 0; l < layers; l++)
            for (int d = 0; d < dirs; d++) {
                long layerIn = l == 0 ? in : hOut * dirs;
                inputs.add(NnGen.uniform(r, new long[] {gates, layerIn}, lo, hi).requiresGrad_());
                inputs.add(NnGen.uniform(r, new long[] {gates, hOut}, lo, hi).requiresGrad_());
                if (bias) {
                    inputs.add(NnGen.uniform(r, new long[] {gates}, lo, hi).requiresGrad_());
                    inputs.add(NnGen.uniform(r, new long[] {gates}, lo, hi).requiresGrad_());
                }
                if (proj > 0) inputs.add(NnGen.uniform(r, new long[] {proj, hidden}, -1, 1).requiresGrad_());
            }
        int perDirection = 2 + (bias ? 2 : 0) + (proj > 0 ? 1 : 0);
        check(t -> {
            List<Recurrent.Weights> ws = new ArrayList<>();
            for (int k = 0; k < layers * dirs; k++) {
                int at = firstWeight + k * perDirection;
                ws.add(new Recurrent.Weights(t[at], t[at + 1], bias ? t[at + 2] : null, bias ? t[at + 3] : null,
                        proj > 0 ? t[at + perDirection - 1] : null));
            }
            Recurrent.Result res = Recurrent.run(mode, t[0], batchSizes, t[1], lstm ? t[2] : null, ws, layers, dirs == 2, 0, false);
            List<Tensor> parts = new ArrayList<>(List.of(res.output().flatten(), res.hN().flatten()));
            if (lstm) parts.add(res.cN().flatten());
            return Torch.cat(parts, 0);
        }, inputs.toArray(new Tensor[0]));
    }

    @Property(seed = SEED, tries = 12)
    void recurrentCellGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        Recurrent.Mode mode = pick(r, RNN_MODES);
        boolean positive = mode == Recurrent.Mode.RNN_RELU, lstm = mode == Recurrent.Mode.LSTM;
        double lo = positive ? 0.05 : -1, hi = positive ? 0.5 : 1;
        long n = 1 + r.nextInt(2), in = 1 + r.nextInt(3), hidden = 1 + r.nextInt(2), gates = mode.gates * hidden;
        Tensor x = NnGen.uniform(r, new long[] {n, in}, lo, hi).requiresGrad_();
        Tensor h = NnGen.uniform(r, new long[] {n, hidden}, lo, hi).requiresGrad_();
        Tensor c = NnGen.uniform(r, new long[] {n, hidden}, -1, 1).requiresGrad_();
        Tensor wIh = NnGen.uniform(r, new long[] {gates, in}, lo, hi).requiresGrad_();
        Tensor wHh = NnGen.uniform(r, new long[] {gates, hidden}, lo, hi).requiresGrad_();
        Tensor bIh = NnGen.uniform(r, new long[] {gates}, lo, hi).requiresGrad_();
        Tensor bHh = NnGen.uniform(r, new long[] {gates}, lo, hi).requiresGrad_();
        check(t -> {
            Tensor xProj = Recurrent.inputProjection(mode, t[0], new Recurrent.Weights(t[3], t[4], t[5], t[6], null));
            Tensor[] hc = Recurrent.step(mode, xProj, t[1], lstm ? t[2] : null, t[4].t(), t[6], null);
            return lstm ? Torch.cat(List.of(hc[0].flatten(), hc[1].flatten()), 0) : hc[0];
        }, x, h, c, wIh, wHh, bIh, bHh);
    }

    /** The module's own layout handling (batchFirst, unbatched input) around Recurrent.run: an LSTM, its parameters as inputs. */
    @Property(seed = SEED, tries = 4)
    void lstmModuleLayoutsGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        boolean batchFirst = r.nextBoolean(), unbatched = r.nextInt(3) == 0;
        Torch.manualSeed(r.nextInt(1000));
        var lstm = new LSTM(LSTM.options(2, 2).batchFirst(batchFirst).bidirectional(r.nextBoolean()));
        lstm.to(DType.FLOAT64);
        long n = 1 + r.nextInt(2), steps = 1 + r.nextInt(2);
        long[] shape = unbatched ? new long[] {steps, 2} : batchFirst ? new long[] {n, steps, 2} : new long[] {steps, n, 2};
        Tensor x = NnGen.uniform(r, shape, -1, 1).requiresGrad_();
        List<Tensor> inputs = new ArrayList<>(List.of(x));
        inputs.addAll(lstm.parameters());
        check(t -> {
            LSTM.Output out = lstm.forward(t[0], null, null);
            return Torch.cat(List.of(out.output().flatten(), out.hN().flatten(), out.cN().flatten()), 0);
        }, inputs.toArray(new Tensor[0]));
    }

    // ------------------------------------------------------------------------------ Transformer modules (issue 12)
    //
    // The layers, the stacks (with a final norm) and nn.Transformer, float64, dropout 0, tiny sizes and
    // few tries (see checkSecondOrderOnInputs for the second order):
    // the input(s) and every parameter are gradcheck inputs (the module reads its own Parameters,
    // which the check perturbs in place). Post-norm and pre-norm (normFirst), relu and gelu, batchFirst
    // and unbatched input, attention masks (bool, float, causal -inf) and key padding masks.

    /** A float64 module with every parameter drawn uniformly (PyTorch zeroes the biases; here they matter). */
    private static <M extends Module> M randomized(Random r, M module) {
        module.to(DType.FLOAT64);
        Torch.noGrad(() -> {
            for (Parameter p : module.parameters()) p.copy_(NnGen.uniform(r, p.shape().toArray(), -0.8, 0.8));
        });
        return module;
    }

    /** The tensors for the check: {@code first} then every parameter of {@code module}. */
    private static Tensor[] withParameters(Module module, Tensor... first) {
        List<Tensor> all = new ArrayList<>(List.of(first));
        all.addAll(module.parameters());
        return all.toArray(new Tensor[0]);
    }

    /**
     * First order with respect to the inputs and every parameter; second order with respect to the
     * first {@code nInputs} (the parameters held constant for that part). The second-order check costs
     * the square of its input count, and the mixed parameter terms are those of the encoder layer's
     * check (full second order) and core's rows (addmm, layer norm, softmax, gelu): the decoder, the
     * stacks and nn.Transformer add the paths of their inputs (cross attention, masks, the stacking).
     */
    private static void checkSecondOrderOnInputs(Function<Tensor[], Tensor> fn, int nInputs, Tensor... all) {
        assertTrue(GradCheck.gradcheck(fn, all));
        for (int i = nInputs; i < all.length; i++) all[i].requiresGrad_(false);
        try {
            assertTrue(GradCheck.gradgradcheck(fn, all));
        } finally {
            for (int i = nInputs; i < all.length; i++) all[i].requiresGrad_(true);
        }
    }

    /**
     * A layer's options: dModel = 2 * heads (heads 1..maxHeads), feed-forward 3, dropout 0, random
     * activation / batchFirst / normFirst. (The second-order check grows with the square of the
     * parameter count: the layers keep one head; MHA's rows check several.)
     */
    private static TransformerEncoderLayer.Options layerOptions(Random r, int maxHeads) {
        long heads = 1 + r.nextInt(maxHeads);
        return TransformerEncoderLayer.options(2 * heads, heads).dimFeedforward(3).dropout(0.0)
                .activation(r.nextBoolean() ? "relu" : "gelu").batchFirst(r.nextBoolean()).normFirst(r.nextBoolean());
    }

    /** (seq, dModel) unbatched, else (n, seq, dModel) or (seq, n, dModel). */
    private static long[] sequenceShape(boolean unbatched, boolean batchFirst, long n, long seq, long dModel) {
        return unbatched ? new long[] {seq, dModel} : batchFirst ? new long[] {n, seq, dModel} : new long[] {seq, n, dModel};
    }

    /** An attention mask (l, s): none, bool (True = masked, never key 0), float, or causal (-inf above the diagonal, l == s only). */
    private static Tensor attentionMask(Random r, long l, long s) {
        int kind = r.nextInt(l == s ? 4 : 3);
        return kind == 1 ? boolMask(r, new long[] {l, s}, true)
                : kind == 2 ? NnGen.uniform(r, new long[] {l, s}, -1, 1)
                : kind == 3 ? Transformer.generateSquareSubsequentMask(l).to(DType.FLOAT64) : null;
    }

    private static Tensor keyPaddingMask(Random r, boolean unbatched, long n, long s) {
        return r.nextBoolean() ? null : boolMask(r, unbatched ? new long[] {s} : new long[] {n, s}, true);
    }

    @Property(seed = SEED, tries = 4)
    void transformerEncoderLayerGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        var o = layerOptions(r, 1);   // several heads: the MHA rows (full second order, a third of the cost)
        Torch.manualSeed(r.nextInt(1000));
        var layer = randomized(r, new TransformerEncoderLayer(o));
        boolean unbatched = r.nextInt(4) == 0;
        long n = 1 + r.nextInt(2), s = 1 + r.nextInt(3);
        Tensor src = NnGen.uniform(r, sequenceShape(unbatched, o.batchFirst(), n, s, o.dModel()), -1.5, 1.5).requiresGrad_();
        Tensor mask = attentionMask(r, s, s), kpm = keyPaddingMask(r, unbatched, n, s);
        check(in -> layer.forward(in[0], mask, kpm), withParameters(layer, src));
    }

    @Property(seed = SEED, tries = 4)
    void transformerDecoderLayerGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        var o = layerOptions(r, 1);
        Torch.manualSeed(r.nextInt(1000));
        var layer = randomized(r, new TransformerDecoderLayer(o));
        boolean unbatched = r.nextInt(4) == 0;
        long n = 1 + r.nextInt(2), t = 1 + r.nextInt(3), s = 1 + r.nextInt(3);
        Tensor tgt = NnGen.uniform(r, sequenceShape(unbatched, o.batchFirst(), n, t, o.dModel()), -1.5, 1.5).requiresGrad_();
        Tensor memory = NnGen.uniform(r, sequenceShape(unbatched, o.batchFirst(), n, s, o.dModel()), -1.5, 1.5).requiresGrad_();
        Tensor tgtMask = attentionMask(r, t, t), memoryMask = attentionMask(r, t, s);
        Tensor tgtKpm = keyPaddingMask(r, unbatched, n, t), memoryKpm = keyPaddingMask(r, unbatched, n, s);
        checkSecondOrderOnInputs(in -> layer.forward(in[0], in[1], tgtMask, memoryMask, tgtKpm, memoryKpm), 2, withParameters(layer, tgt, memory));
    }

    @Property(seed = SEED, tries = 3)
    void transformerStacksGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        var o = layerOptions(r, 1);
        Torch.manualSeed(r.nextInt(1000));
        long n = 1 + r.nextInt(2), t = 1 + r.nextInt(2), s = 1 + r.nextInt(2);
        Tensor memory = NnGen.uniform(r, sequenceShape(false, o.batchFirst(), n, s, o.dModel()), -1.5, 1.5).requiresGrad_();
        Tensor srcMask = attentionMask(r, s, s), srcKpm = keyPaddingMask(r, false, n, s);
        var encoder = randomized(r, new TransformerEncoder(new TransformerEncoderLayer(o), 2, new LayerNorm(o.dModel())));
        checkSecondOrderOnInputs(in -> encoder.forward(in[0], srcMask, srcKpm), 1, withParameters(encoder, memory));
        var decoder = randomized(r, new TransformerDecoder(new TransformerDecoderLayer(o), 2, new LayerNorm(o.dModel())));
        Tensor tgt = NnGen.uniform(r, sequenceShape(false, o.batchFirst(), n, t, o.dModel()), -1.5, 1.5).requiresGrad_();
        Tensor tgtMask = attentionMask(r, t, t), tgtKpm = keyPaddingMask(r, false, n, t);
        checkSecondOrderOnInputs(in -> decoder.forward(in[0], in[1], tgtMask, null, tgtKpm, srcKpm), 2, withParameters(decoder, tgt, memory));
    }

    @Property(seed = SEED, tries = 3)
    void transformerGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        boolean batchFirst = r.nextBoolean(), unbatched = r.nextInt(3) == 0;
        Torch.manualSeed(r.nextInt(1000));
        var model = randomized(r, new Transformer(Transformer.options().dModel(2).nhead(1).numEncoderLayers(1)
                .numDecoderLayers(1).dimFeedforward(2).dropout(0.0).activation(r.nextBoolean() ? "relu" : "gelu")
                .batchFirst(batchFirst).normFirst(r.nextBoolean())));
        long n = 1 + r.nextInt(2), s = 1 + r.nextInt(2), t = 1 + r.nextInt(2);
        Tensor src = NnGen.uniform(r, sequenceShape(unbatched, batchFirst, n, s, 2), -1.5, 1.5).requiresGrad_();
        Tensor tgt = NnGen.uniform(r, sequenceShape(unbatched, batchFirst, n, t, 2), -1.5, 1.5).requiresGrad_();
        Tensor tgtMask = Transformer.generateSquareSubsequentMask(t).to(DType.FLOAT64);
        Tensor srcKpm = keyPaddingMask(r, unbatched, n, s);
        checkSecondOrderOnInputs(in -> model.forward(in[0], in[1], null, tgtMask, null, srcKpm, null, srcKpm), 2, withParameters(model, src, tgt));
    }
}
