package jtorch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import jtorch.Props.Domain;
import jtorch.Props.Layout;
import jtorch.autograd.Autograd;
import jtorch.ops.Arith;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static jtorch.Torch.cat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Laws the kernels and shape ops must keep, checked on generated shapes and layouts: round trips
 * of views, products and reductions against naive loops written here (reading elements through
 * sizes and strides, independently of the library's kernels), broadcasting, and PyTorch's type
 * promotion table.
 */
class AlgebraicLawsTest {

    // ================================================================== independent element access

    /** Calls {@code f} with every coordinate of {@code shape} in row-major order (the array is reused). */
    static void forEachCoord(int[] shape, Consumer<int[]> f) {
        if (Props.numel(shape) == 0) return;
        int[] c = new int[shape.length];
        while (true) {
            f.accept(c);
            int d = shape.length - 1;
            while (d >= 0 && ++c[d] == shape[d]) c[d--] = 0;
            if (d < 0) return;
        }
    }

    /** Element at {@code coord}, read from the storage through the tensor's strides and offset. */
    static double at(Tensor t, int[] coord) {
        int p = t.storageOffsetInternal();
        for (int d = 0; d < coord.length; d++) p += coord[d] * t.stridesInternal()[d];
        switch (t.dtype()) {
            case FLOAT64: return t.storage().f64()[p];
            case FLOAT32: return t.storage().f32()[p];
            case INT64: return t.storage().i64()[p];
            default: return t.storage().bool()[p] ? 1 : 0;
        }
    }

    /** The elements in row-major order, read through the strides. */
    static double[] elements(Tensor t) {
        double[] r = new double[(int) t.numel()];
        int[] i = {0};
        forEachCoord(Props.shapeOf(t), c -> r[i[0]++] = at(t, c));
        return r;
    }

    static int flat(int[] shape, int[] coord) {
        int f = 0;
        for (int d = 0; d < shape.length; d++) f = f * shape[d] + coord[d];
        return f;
    }

    static void assertClose(double[] expected, Tensor actual, double tol, String what) {
        double[] a = elements(actual);
        assertEquals(expected.length, a.length, what + ": element count");
        for (int i = 0; i < a.length; i++)
            if (!(Math.abs(a[i] - expected[i]) <= tol * (1 + Math.abs(expected[i]))))
                fail(what + ": element " + i + " is " + a[i] + ", expected " + expected[i] + "\nactual " + actual);
    }

    static void assertSameTensor(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(elements(expected), elements(actual), what);
    }

    // ================================================================== views and shapes

    @Provide Arbitrary<Tensor> anyTensors() { return Props.float64(Props.shapes(), Domain.ANY); }

    @Provide Arbitrary<Tensor> contiguousTensors() {
        return Combinators.combine(Props.shapes(), Props.seeds())
                .as((s, seed) -> Props.tensor(s, Layout.CONTIGUOUS, DType.FLOAT64, new Props.Values(seed), Domain.ANY));
    }

    @Property(seed = Props.SEED, tries = 150)
    void reshapeRoundTrips(@ForAll("anyTensors") Tensor x, @ForAll int seed) {
        long[] target = GradcheckPropertiesTest.regroup(Props.shapeOf(x), seed, false);
        Tensor y = x.reshape(target);
        assertArrayEquals(target, y.shape().toArray());
        assertArrayEquals(elements(x), elements(y), "reshape keeps row-major order");
        assertSameTensor(x, y.reshape(x.shape()), "reshape back");
    }

    @Property(seed = Props.SEED, tries = 100)
    void viewsShareStorageAndVersion(@ForAll("contiguousTensors") Tensor x, @ForAll int seed) {
        double[] before = elements(x);
        Tensor v = x.view(GradcheckPropertiesTest.regroup(Props.shapeOf(x), seed, true));
        assertSame(x.storage(), v.storage());
        assertTrue(v.isView());
        long version = x.version();
        v.mul_(2.0);
        assertEquals(version + 1, x.version(), "an in-place op on a view bumps the base's version");
        double[] after = elements(x);
        for (int i = 0; i < after.length; i++) assertEquals(2 * before[i], after[i], "written through the view");
    }

    @Property(seed = Props.SEED, tries = 100)
    void transposeTwiceIsIdentity(@ForAll("anyTensors") Tensor x, @ForAll int a, @ForAll int b) {
        int n = Math.max(x.dim(), 1);
        int d0 = Math.floorMod(a, 2 * n) - n, d1 = Math.floorMod(b, 2 * n) - n;
        Tensor t = x.transpose(d0, d1);
        if (x.dim() > 0) {
            int w0 = Math.floorMod(d0, n), w1 = Math.floorMod(d1, n);
            assertEquals(x.size(w0), t.size(w1));
            assertEquals(x.stride(w0), t.stride(w1));
        }
        Tensor back = t.transpose(d0, d1);
        assertSame(x.storage(), back.storage());
        assertArrayEquals(x.stride(), back.stride());
        assertSameTensor(x, back, "transpose twice");
    }

    @Provide Arbitrary<Object[]> tensorsWithPermutation() {
        return Props.shapes().flatMap(s -> {
            List<Integer> dims = new ArrayList<>();
            for (int i = 0; i < s.length; i++) dims.add(i);
            return Combinators.combine(Props.layouts(), Props.seeds(), Arbitraries.shuffle(dims))
                    .as((l, seed, p) -> new Object[] {Props.tensor(s, l, DType.FLOAT64, new Props.Values(seed), Domain.ANY), Props.toArray(p)});
        });
    }

    @Property(seed = Props.SEED, tries = 100)
    void permuteThenInverseIsIdentity(@ForAll("tensorsWithPermutation") Object[] xp) {
        Tensor x = (Tensor) xp[0];
        int[] p = (int[]) xp[1], inverse = new int[p.length];
        for (int i = 0; i < p.length; i++) inverse[p[i]] = i;
        Tensor y = x.permute(p);
        for (int i = 0; i < p.length; i++) assertEquals(x.size(p[i]), y.size(i));
        int[] coordY = new int[p.length];
        forEachCoord(Props.shapeOf(x), c -> {
            for (int i = 0; i < p.length; i++) coordY[i] = c[p[i]];
            assertEquals(at(x, c), at(y, coordY), "permute moves element " + Arrays.toString(c));
        });
        Tensor back = y.permute(inverse);
        assertArrayEquals(x.stride(), back.stride());
        assertSameTensor(x, back, "permute then inverse");
    }

    @Property(seed = Props.SEED, tries = 100)
    void contiguousOfAViewIsItsElementwiseCopy(@ForAll("anyTensors") Tensor x) {
        Tensor c = x.contiguous();
        assertTrue(c.isContiguous());
        if (x.isContiguous()) assertSame(x, c, "contiguous() of a contiguous tensor is the tensor itself");
        else {
            assertNotSame(x.storage(), c.storage());
            assertEquals(0, c.storageOffset());
        }
        double[] expected = elements(x);
        double[] raw = c.storage().f64();
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], raw[(int) c.storageOffset() + i], "element " + i);
    }

    @Provide Arbitrary<Tensor[]> expandPairs() {
        return Props.shapes(0, 3, 0, 3, Props.MAX_NUMEL).flatMap(t -> Props.broadcastableTo(t).flatMap(s ->
                Combinators.combine(Props.layouts(), Props.seeds()).as((l, seed) ->
                        new Tensor[] {Props.tensor(s, l, DType.FLOAT64, new Props.Values(seed), Domain.ANY), Torch.zeros(Props.longs(t))})));
    }

    @Property(seed = Props.SEED, tries = 120)
    void expandThenSumToScalesByTheRepeatCount(@ForAll("expandPairs") Tensor[] xt) {
        Tensor x = xt[0];
        long[] target = xt[1].shape().toArray();
        Tensor e = x.expand(target);
        assertSame(x.storage(), e.storage(), "expand is a view");
        int[] s = Props.shapeOf(x), t = Props.shapeOf(e);
        int lead = t.length - s.length;
        int[] src = new int[s.length];
        forEachCoord(t, c -> {
            for (int d = 0; d < s.length; d++) src[d] = s[d] == 1 ? 0 : c[lead + d];
            assertEquals(at(x, src), at(e, c));
        });
        long repeats = x.numel() == 0 ? 0 : Props.numel(t) / x.numel();
        Tensor back = e.sumTo(s);
        assertArrayEquals(Props.longs(s), back.shape().toArray());
        double[] xs = elements(x), expected = new double[xs.length];
        for (int i = 0; i < xs.length; i++) expected[i] = xs[i] * repeats;
        assertClose(expected, back, 1e-12, "sumTo(expand(x))");
    }

    @Provide Arbitrary<Object[]> catInputs() {
        return Props.shapes(1, 3, 0, 3, 9).flatMap(s -> Combinators.combine(Arbitraries.integers().between(0, s.length - 1), Arbitraries.integers().between(1, 4))
                .flatAs((d, k) -> Combinators.combine(Props.dimSizes(0, 3).list().ofSize(k), Props.layouts().list().ofSize(k), Props.seeds()).as((lens, ls, seed) -> {
                    Props.Values v = new Props.Values(seed);
                    List<Tensor> ts = new ArrayList<>();
                    for (int i = 0; i < k; i++) {
                        int[] shape = s.clone();
                        shape[d] = lens.get(i);
                        ts.add(Props.tensor(shape, ls.get(i), DType.FLOAT64, v, Domain.ANY));
                    }
                    return new Object[] {ts, d};
                })));
    }

    @Property(seed = Props.SEED, tries = 120)
    @SuppressWarnings("unchecked")
    void catThenSplitRoundTrips(@ForAll("catInputs") Object[] in) {
        List<Tensor> ts = (List<Tensor>) in[0];
        int d = (Integer) in[1];
        Tensor joined = cat(ts, d);
        long[] sizes = ts.stream().mapToLong(t -> t.size(d)).toArray();
        assertEquals(Arrays.stream(sizes).sum(), joined.size(d));
        List<Tensor> parts = joined.split(sizes, d);
        assertEquals(ts.size(), parts.size());
        for (int i = 0; i < ts.size(); i++) {
            assertSameTensor(ts.get(i), parts.get(i), "piece " + i);
            assertSame(joined.storage(), parts.get(i).storage(), "split returns views");
        }
    }

    // ================================================================== elementwise and broadcasting

    @Provide Arbitrary<Tensor[]> broadcastPairs() {
        return Props.broadcastShapes(2).flatMap(ss -> Combinators.combine(Props.layouts(), Props.layouts(), Props.seeds()).as((la, lb, seed) -> {
            Props.Values v = new Props.Values(seed);
            return new Tensor[] {Props.tensor(ss[0], la, DType.FLOAT64, v, Domain.ANY), Props.tensor(ss[1], lb, DType.FLOAT64, v, Domain.ANY)};
        }));
    }

    @Property(seed = Props.SEED, tries = 150)
    void broadcastingAddEqualsExpandThenAdd(@ForAll("broadcastPairs") Tensor[] ab) {
        Tensor a = ab[0], b = ab[1];
        int[] out = Props.broadcast(Props.shapeOf(a), Props.shapeOf(b));
        Tensor sum = a.add(b);
        assertArrayEquals(Props.longs(out), sum.shape().toArray());
        assertSameTensor(a.expand(Props.longs(out)).add(b.expand(Props.longs(out))), sum, "add vs expand then add");
        double[] expected = new double[(int) Props.numel(out)];
        forEachCoord(out, c -> expected[flat(out, c)] = at(a, project(c, a)) + at(b, project(c, b)));
        assertClose(expected, sum, 0, "add vs naive broadcast");
        double[] prod = new double[expected.length];
        forEachCoord(out, c -> prod[flat(out, c)] = at(a, project(c, a)) * at(b, project(c, b)));
        assertClose(prod, a.mul(b), 0, "mul vs naive broadcast");
    }

    /** The coordinate of {@code t} that broadcasting pairs with output coordinate {@code c}. */
    static int[] project(int[] c, Tensor t) {
        int n = t.dim(), lead = c.length - n;
        int[] r = new int[n];
        for (int d = 0; d < n; d++) r[d] = t.size(d) == 1 ? 0 : c[lead + d];
        return r;
    }

    // ================================================================== matmul against a triple loop

    /** Operands of matmul: optional 1-D sides, batch dims that broadcast, n x m @ m x p. */
    @Provide Arbitrary<int[][]> matmulShapes() {
        Arbitrary<Integer> s = Props.dimSizes(0, 3);
        return Combinators.combine(Props.broadcastShapes(2, Props.shapes(0, 2, 0, 3, 6)), s, s, s, Arbitraries.integers().between(0, 3))
                .as((bs, n, m, p, oneD) -> {
                    int[] a = (oneD & 1) != 0 ? new int[] {m} : GradcheckPropertiesTest.concat(bs[0], new int[] {n, m});
                    int[] b = (oneD & 2) != 0 ? new int[] {m} : GradcheckPropertiesTest.concat(bs[1], new int[] {m, p});
                    return new int[][] {a, b};
                });
    }

    @Property(seed = Props.SEED, tries = 200)
    void matmulMatchesNaiveLoopInFloat64(@ForAll("matmulShapes") int[][] shapes, @ForAll Layout la, @ForAll Layout lb, @ForAll long seed) {
        Props.Values v = new Props.Values(seed);
        Tensor a = Props.tensor(shapes[0], la, DType.FLOAT64, v, Domain.ANY), b = Props.tensor(shapes[1], lb, DType.FLOAT64, v, Domain.ANY);
        Object[] expected = naiveMatmul(a, b);
        Tensor r = a.matmul(b);
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals((long[]) expected[1], r.shape().toArray(), "matmul result shape");
        assertClose((double[]) expected[0], r, 1e-12, "matmul " + a.shape() + " @ " + b.shape());
    }

    @Property(seed = Props.SEED, tries = 150)
    void matmulMatchesNaiveLoopInFloat32(@ForAll("matmulShapes") int[][] shapes, @ForAll Layout la, @ForAll Layout lb, @ForAll long seed) {
        Props.Values v = new Props.Values(seed);
        Tensor a = Props.tensor(shapes[0], la, DType.FLOAT32, v, Domain.ANY), b = Props.tensor(shapes[1], lb, DType.FLOAT32, v, Domain.ANY);
        Object[] expected = naiveMatmul(a, b); // in double, from the float32 values
        Tensor r = a.matmul(b);
        assertEquals(DType.FLOAT32, r.dtype());
        assertArrayEquals((long[]) expected[1], r.shape().toArray());
        assertClose((double[]) expected[0], r, 1e-5, "float32 matmul " + a.shape() + " @ " + b.shape());
    }

    @Property(seed = Props.SEED, tries = 100)
    void mmBmmAndDotMatchNaiveLoops(@ForAll("products") int[] nmpb, @ForAll Layout la, @ForAll Layout lb, @ForAll long seed) {
        int n = nmpb[0], m = nmpb[1], p = nmpb[2], b = nmpb[3];
        Props.Values v = new Props.Values(seed);
        Tensor a2 = Props.tensor(new int[] {n, m}, la, DType.FLOAT64, v, Domain.ANY), b2 = Props.tensor(new int[] {m, p}, lb, DType.FLOAT64, v, Domain.ANY);
        assertClose((double[]) naiveMatmul(a2, b2)[0], a2.mm(b2), 1e-12, "mm");
        Tensor a3 = Props.tensor(new int[] {b, n, m}, la, DType.FLOAT64, v, Domain.ANY), b3 = Props.tensor(new int[] {b, m, p}, lb, DType.FLOAT64, v, Domain.ANY);
        Tensor bmm = a3.bmm(b3);
        assertArrayEquals(new long[] {b, n, p}, bmm.shape().toArray());
        assertClose((double[]) naiveMatmul(a3, b3)[0], bmm, 1e-12, "bmm");
        Tensor a1 = Props.tensor(new int[] {m}, la, DType.FLOAT64, v, Domain.ANY), b1 = Props.tensor(new int[] {m}, lb, DType.FLOAT64, v, Domain.ANY);
        Tensor dot = a1.dot(b1);
        assertEquals(0, dot.dim());
        assertClose((double[]) naiveMatmul(a1, b1)[0], dot, 1e-12, "dot");
    }

    @Provide Arbitrary<int[]> products() {
        Arbitrary<Integer> s = Props.dimSizes(0, 4);
        return Combinators.combine(s, s, s, s).as((n, m, p, b) -> new int[] {n, m, p, b});
    }

    /** {row-major values, result shape} of matmul computed with loops over the elements. */
    static Object[] naiveMatmul(Tensor a, Tensor b) {
        int[] sa = Props.shapeOf(a), sb = Props.shapeOf(b);
        boolean a1 = sa.length == 1, b1 = sb.length == 1;
        int[] A = a1 ? new int[] {1, sa[0]} : sa, B = b1 ? new int[] {sb[0], 1} : sb;
        int n = A[A.length - 2], m = A[A.length - 1], p = B[B.length - 1];
        int[] batchA = Arrays.copyOf(A, A.length - 2), batchB = Arrays.copyOf(B, B.length - 2);
        int[] batch = Props.broadcast(batchA, batchB);
        double[] out = new double[(int) (Props.numel(batch) * n * p)];
        int[] ca = new int[A.length], cb = new int[B.length];
        forEachCoord(batch, c -> {
            int base = flat(batch, c) * n * p;
            for (int d = 0; d < batchA.length; d++) ca[d] = batchA[d] == 1 ? 0 : c[c.length - batchA.length + d];
            for (int d = 0; d < batchB.length; d++) cb[d] = batchB[d] == 1 ? 0 : c[c.length - batchB.length + d];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < p; j++) {
                    double acc = 0;
                    for (int k = 0; k < m; k++) {
                        ca[A.length - 2] = i;
                        ca[A.length - 1] = k;
                        cb[B.length - 2] = k;
                        cb[B.length - 1] = j;
                        acc += at(a, a1 ? new int[] {k} : ca) * at(b, b1 ? new int[] {k} : cb);
                    }
                    out[base + i * p + j] = acc;
                }
        });
        List<Long> shape = new ArrayList<>();
        for (int s : batch) shape.add((long) s);
        if (!a1) shape.add((long) n);
        if (!b1) shape.add((long) p);
        return new Object[] {out, shape.stream().mapToLong(Long::longValue).toArray()};
    }

    // ================================================================== reductions

    @Provide Arbitrary<Object[]> tensorsWithDims() {
        return Props.shapes().flatMap(s -> Combinators.combine(Props.layouts(), Props.seeds(), Arbitraries.integers().between(0, 15),
                Arbitraries.of(true, false)).as((l, seed, mask, keep) -> {
            List<Integer> dims = new ArrayList<>();
            for (int d = 0; d < s.length; d++) if ((mask >> d & 1) != 0) dims.add(d);
            return new Object[] {Props.tensor(s, l, DType.FLOAT64, new Props.Values(seed), Domain.ANY), Props.toArray(dims), keep};
        }));
    }

    /** Sums (or, with {@code square}, centred squares about the slice mean) over {@code dims}, by loops. */
    static double[] naiveReduce(Tensor x, int[] dims, boolean keepdim, long correction, boolean variance) {
        int[] s = Props.shapeOf(x);
        boolean[] reduced = new boolean[s.length];
        for (int d : dims) reduced[d] = true;
        if (dims.length == 0) Arrays.fill(reduced, true);
        int[] kept = new int[s.length];
        for (int d = 0; d < s.length; d++) kept[d] = reduced[d] ? 1 : s[d];
        double[] sum = new double[(int) Props.numel(kept)], sq = new double[sum.length];
        long[] count = new long[sum.length];
        int[] k = new int[s.length];
        forEachCoord(s, c -> {
            for (int d = 0; d < s.length; d++) k[d] = reduced[d] ? 0 : c[d];
            int o = flat(kept, k);
            sum[o] += at(x, c);
            count[o]++;
        });
        if (!variance) return sum;
        forEachCoord(s, c -> {
            for (int d = 0; d < s.length; d++) k[d] = reduced[d] ? 0 : c[d];
            int o = flat(kept, k);
            double dev = at(x, c) - sum[o] / count[o];
            sq[o] += dev * dev;
        });
        long n = 1;
        for (int d = 0; d < s.length; d++) if (reduced[d]) n *= s[d];
        for (int i = 0; i < sq.length; i++) sq[i] /= Math.max(n - correction, 0);
        return sq;
    }

    @Property(seed = Props.SEED, tries = 150)
    void sumOverDimsMatchesLoopsAndSumOverAll(@ForAll("tensorsWithDims") Object[] in) {
        Tensor x = (Tensor) in[0];
        int[] dims = (int[]) in[1];
        boolean keep = (Boolean) in[2];
        Tensor s = x.sum(dims, keep);
        assertClose(naiveReduce(x, dims, keep, 0, false), s, 1e-12, "sum" + Arrays.toString(dims));
        assertEquals(x.sum().item(), s.sum().item(), 1e-12 * (1 + Math.abs(x.sum().item())), "sum of partial sums");
        if (dims.length > 0 || x.dim() == 0) assertEquals(keep ? x.dim() : x.dim() - dims.length, s.dim());
    }

    @Property(seed = Props.SEED, tries = 100)
    void summingEveryDimInAnyOrderEqualsSumOverAll(@ForAll("tensorsWithPermutation") Object[] xp) {
        Tensor x = (Tensor) xp[0];
        int[] order = (int[]) xp[1];
        Tensor r = x;
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < x.dim(); i++) left.add(i);
        for (int d : order) {
            int pos = left.indexOf(d); // position of original dim d among the dims still there
            r = r.sum(pos);
            left.remove(pos);
        }
        assertEquals(0, r.dim());
        assertEquals(x.sum().item(), r.item(), 1e-12 * (1 + Math.abs(r.item())));
    }

    @Property(seed = Props.SEED, tries = 100)
    void meanAndVarianceMatchLoops(@ForAll("tensorsWithDims") Object[] in, @ForAll boolean unbiased) {
        Tensor x = (Tensor) in[0];
        int[] dims = (int[]) in[1];
        boolean keep = (Boolean) in[2];
        double[] sums = naiveReduce(x, dims, keep, 0, false);
        long n = GradcheckPropertiesTest.reducedCount(Props.shapeOf(x), dims);
        double[] means = new double[sums.length];
        for (int i = 0; i < sums.length; i++) means[i] = sums[i] / n;
        if (n > 0) assertClose(means, x.mean(dims, keep), 1e-12, "mean");
        if (n > (unbiased ? 1 : 0))
            assertClose(naiveReduce(x, dims, keep, unbiased ? 1 : 0, true), x.var(dims, unbiased, keep), 1e-10, "var");
    }

    @Provide Arbitrary<Object[]> tensorsWithNonEmptyDim() {
        return Props.shapes().filter(Props::hasNonEmptyDim).flatMap(s -> Combinators.combine(Props.layouts(), Props.seeds(), Props.nonEmptyDims(s))
                .as((l, seed, d) -> new Object[] {Props.tensor(s, l, DType.FLOAT64, new Props.Values(seed), Domain.DISTINCT), d}));
    }

    @Property(seed = Props.SEED, tries = 120)
    void softmaxRowsSumToOneAndMatchExpOfLogSoftmax(@ForAll("tensorsWithNonEmptyDim") Object[] in) {
        Tensor x = (Tensor) in[0];
        int d = (Integer) in[1];
        Tensor s = x.softmax(d);
        for (double v : elements(s)) assertTrue(v > 0 && v <= 1, "softmax values lie in (0, 1]: " + v);
        double[] ones = new double[(int) s.sum(d).numel()];
        Arrays.fill(ones, 1.0);
        assertClose(ones, s.sum(d), 1e-12, "softmax sums to 1 along dim " + d);
        assertClose(elements(s), x.logSoftmax(d).exp(), 1e-12, "softmax = exp(log_softmax)");
        assertClose(elements(s), x.add(3.0).softmax(d), 1e-12, "softmax is shift invariant");
    }

    @Property(seed = Props.SEED, tries = 120)
    void maxIndicesGatherTheMaxValues(@ForAll("tensorsWithNonEmptyDim") Object[] in, @ForAll boolean keepdim) {
        Tensor x = (Tensor) in[0];
        int d = (Integer) in[1];
        Tensor.ValuesIndices max = x.max(d, true), min = x.min(d, true);
        if (x.dim() > 0) {
            assertSameTensor(max.values(), x.gather(d, max.indices()), "gather(argmax) = max");
            assertSameTensor(min.values(), x.gather(d, min.indices()), "gather(argmin) = min");
        }
        for (double v : elements(x.sub(max.values()))) assertTrue(v <= 0, "nothing exceeds the max");
        assertSameTensor(max.values().reshape(x.max(d, keepdim).values().shape()), x.max(d, keepdim).values(), "keepdim only changes the shape");
    }

    // ================================================================== gather

    @Provide Arbitrary<Object[]> gatherInputs() {
        return Props.shapes(1, 3, 1, 3, Props.MAX_NUMEL).flatMap(s -> Arbitraries.integers().between(0, s.length - 1).flatMap(d ->
                Combinators.combine(Arbitraries.integers().between(0, 3).list().ofSize(s.length), Props.layouts(), Props.seeds()).as((is0, l, seed) -> {
                    int[] is = new int[s.length];
                    for (int k = 0; k < s.length; k++) is[k] = k == d ? is0.get(k) : Math.min(is0.get(k), s[k]);
                    Props.Values v = new Props.Values(seed);
                    long[] idx = new long[(int) Props.numel(is)];
                    for (int i = 0; i < idx.length; i++) idx[i] = v.random().nextInt(s[d]);
                    return new Object[] {Props.tensor(s, l, DType.FLOAT64, v, Domain.ANY), d, Tensor.wrap(idx, is)};
                })));
    }

    @Property(seed = Props.SEED, tries = 120)
    void gatherReadsTheIndexedPositions(@ForAll("gatherInputs") Object[] in) {
        Tensor x = (Tensor) in[0], index = (Tensor) in[2];
        int d = (Integer) in[1];
        Tensor g = x.gather(d, index);
        assertEquals(index.shape(), g.shape());
        int[] src = new int[x.dim()];
        forEachCoord(Props.shapeOf(index), c -> {
            System.arraycopy(c, 0, src, 0, c.length);
            src[d] = (int) at(index, c);
            assertEquals(at(x, src), at(g, c), "gather at " + Arrays.toString(c));
        });
    }

    // ================================================================== dtype conversion and promotion

    @Property(seed = Props.SEED, tries = 80)
    void toFloat32AndBackRoundsEachElementOnce(@ForAll("anyTensors") Tensor x) {
        Tensor back = x.to(DType.FLOAT32).to(DType.FLOAT64);
        double[] xs = elements(x), expected = new double[xs.length];
        for (int i = 0; i < xs.length; i++) expected[i] = (float) xs[i];
        assertClose(expected, back, 0, "float64 -> float32 -> float64");
        assertSame(x, x.to(DType.FLOAT64), "to() of the same dtype is the tensor itself");
    }

    @Example
    void gradientThroughToComesBackInTheLeafsDtype() {
        Tensor w = Torch.tensor(new float[] {1.5f, -2f, 0.25f}).requiresGrad_();
        Tensor x = Torch.tensor(new double[] {2, 3, 4});
        Tensor y = w.to(DType.FLOAT64).mul(x).sum();
        assertEquals(DType.FLOAT64, y.dtype());
        y.backward();
        assertEquals(DType.FLOAT32, w.grad().dtype());
        assertArrayEquals(new float[] {2, 3, 4}, w.grad().toFloatArray());
        Tensor ints = Torch.tensor(new long[] {-3, 0, 7});
        assertArrayEquals(ints.toLongArray(), ints.to(DType.FLOAT64).to(DType.INT64).toLongArray());
    }

    /** The operand kinds of the promotion table: a 1-D tensor (T), a 0-dim tensor (Z), a Python number (S). */
    static final String[] KINDS = {"Tbool", "Zbool", "Tint64", "Zint64", "Tfloat32", "Zfloat32", "Tfloat64", "Zfloat64", "Sbool", "Sint", "Sfloat"};

    /**
     * {@code (a op b).dtype} for every pair of {@link #KINDS}, row a, column b (b bool, i int64,
     * f float32, d float64, '.' two numbers), printed by PyTorch 1.13 with the default dtype float32.
     */
    static final String ADD = "bbiiffddbif bbiiffddbif iiiiffddiif iiiiffddiif ffffffdffff ffffffddfff ddddddddddd ddddfdddddd bbiiffdd... iiiiffdd... ffffffdd...";
    static final String DIV = "ffffffddfff ffffffddfff ffffffddfff ffffffddfff ffffffdffff ffffffddfff ddddddddddd ddddfdddddd ffffffdd... ffffffdd... ffffffdd...";

    static Tensor operand(String kind) {
        switch (kind) {
            case "Sbool": return Arith.scalar(true);
            case "Sint": return Arith.scalar(2L);
            case "Sfloat": return Arith.scalar(2.5);
            default: {
                DType t = DType.valueOf(kind.substring(1).toUpperCase());
                return kind.charAt(0) == 'T' ? Torch.ones(new long[] {2}, t) : Torch.ones(new long[0], t);
            }
        }
    }

    static char code(DType t) { return t == DType.BOOL ? 'b' : t == DType.INT64 ? 'i' : t == DType.FLOAT32 ? 'f' : 'd'; }

    @Example
    void typePromotionFollowsPyTorchsTable() {
        String[] add = ADD.split(" "), div = DIV.split(" ");
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < KINDS.length; i++)
            for (int j = 0; j < KINDS.length; j++) {
                if (add[i].charAt(j) == '.') continue;
                Tensor a = operand(KINDS[i]), b = operand(KINDS[j]);
                char sum = code(a.add(b).dtype()), product = code(a.mul(b).dtype()), quotient = code(a.div(b).dtype());
                if (sum != add[i].charAt(j)) wrong.add(KINDS[i] + " + " + KINDS[j] + " -> " + sum + ", PyTorch " + add[i].charAt(j));
                if (product != add[i].charAt(j)) wrong.add(KINDS[i] + " * " + KINDS[j] + " -> " + product + ", PyTorch " + add[i].charAt(j));
                if (quotient != div[i].charAt(j)) wrong.add(KINDS[i] + " / " + KINDS[j] + " -> " + quotient + ", PyTorch " + div[i].charAt(j));
            }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Example
    void typePromotionExamples() {
        Tensor i64 = Torch.tensor(new long[] {1, 2});
        assertEquals(DType.FLOAT32, i64.add(1.5).dtype(), "int64 tensor + float number");
        assertEquals(DType.FLOAT32, Torch.ones(2).add(Torch.tensor(1.0, DType.FLOAT64)).dtype(), "float32 tensor + float64 0-dim");
        assertEquals(DType.FLOAT64, i64.add(Torch.tensor(1.0, DType.FLOAT64)).dtype(), "int64 tensor + float64 0-dim");
        assertEquals(DType.INT64, Torch.tensor(new boolean[] {true, false}).add(3L).dtype(), "bool tensor + int number");
        assertEquals(DType.FLOAT32, i64.div(i64).dtype(), "true division of ints");
        assertEquals(DType.INT64, Torch.tensor(new boolean[] {true}).sum().dtype(), "sum of bools");
    }

    @Property(seed = Props.SEED, tries = 80)
    void promotionDoesNotDependOnShapeOrOperandOrder(@ForAll("broadcastPairs") Tensor[] ab, @ForAll DType ta, @ForAll DType tb) {
        Tensor a = ab[0].to(ta), b = ab[1].to(tb);
        DType expected = tableLookup((a.dim() > 0 ? "T" : "Z") + name(ta), (b.dim() > 0 ? "T" : "Z") + name(tb));
        assertEquals(expected, a.mul(b).dtype(), a.dtype() + a.shape().toString() + " * " + b.dtype() + b.shape());
        assertEquals(expected, b.mul(a).dtype(), "promotion is symmetric");
        assertEquals(expected == DType.BOOL ? DType.BOOL : expected, a.maximum(b).dtype(), "maximum promotes as mul does");
    }

    static String name(DType t) { return t.name().toLowerCase(); }

    static DType tableLookup(String ka, String kb) {
        char c = ADD.split(" ")[Arrays.asList(KINDS).indexOf(ka)].charAt(Arrays.asList(KINDS).indexOf(kb));
        return c == 'b' ? DType.BOOL : c == 'i' ? DType.INT64 : c == 'f' ? DType.FLOAT32 : DType.FLOAT64;
    }

    // ================================================================== in-place history, by example

    @Example
    void inPlaceChangeOfASavedInputIsReportedAndOfAnUnsavedOneIsNot() {
        Tensor x = Torch.tensor(new double[] {0.5, -1}).requiresGrad_();
        Tensor y = x.clone();
        Tensor z = y.sin(); // SinBackward0 saves y
        y.mul_(2.0);
        try {
            Autograd.grad(z.sum(), x);
            fail("expected the saved-tensor version check to fire (PyTorch raises here too)");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
        }
        Tensor y2 = x.clone();
        Tensor e = y2.exp(); // ExpBackward0 saves its output, not y2
        y2.mul_(2.0);
        Tensor g = Autograd.grad(e.sum(), x)[0];
        assertArrayEquals(new double[] {Math.exp(0.5), Math.exp(-1)}, g.toDoubleArray(), 1e-15);
    }
}
