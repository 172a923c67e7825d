package jtorch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;

import jtorch.Props.Domain;
import jtorch.Props.Layout;
import jtorch.autograd.GradCheck;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import static jtorch.Props.Domain.ANY;
import static jtorch.Props.Domain.DISTINCT;
import static jtorch.Props.Domain.LOG1P;
import static jtorch.Props.Domain.NONZERO;
import static jtorch.Props.Domain.POSITIVE;
import static jtorch.Torch.cat;
import static jtorch.Torch.ellipsis;
import static jtorch.Torch.idx;
import static jtorch.Torch.newAxis;
import static jtorch.Torch.slice;
import static jtorch.Torch.stack;
import static jtorch.Torch.where;
import static jtorch.Torch.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every differentiable op against finite differences: one registry of op cases, each with the
 * generator of its inputs (shapes with broadcasting, size-0 and size-1 dims, non-contiguous
 * layouts, values away from the op's kinks and ties), and one property that runs
 * {@link GradCheck#gradcheck} over all of them.
 */
class GradcheckPropertiesTest {

    // ================================================================== what a case draws

    /** What an input is: a float64 tensor that requires grad, or a fixed operand. */
    enum Kind {
        /** float64, requires grad, values from the spec's domain, laid out as the spec says. */
        GRAD,
        /** bool, fair coin per element. */
        MASK,
        /** int64 in {@code [-bound, bound)}. */
        INDEX,
        /** int64 in {@code [0, bound)}. */
        INDEX_NONNEG,
        /** int64, distinct along {@code dim} within each fiber, from {@code [0, bound)} (scatter without ties). */
        PERM,
        /** float32, no grad: a type-promotion partner. */
        CONST32
    }

    /** One input of a draw. */
    record Spec(Kind kind, Domain domain, int[] shape, Layout layout, int bound, int dim) {
        static Spec grad(int[] shape, Layout layout, Domain domain) { return new Spec(Kind.GRAD, domain, shape, layout, 0, 0); }

        Tensor build(Props.Values values) {
            Random rnd = values.random();
            int n = (int) Props.numel(shape);
            switch (kind) {
                case GRAD: return Props.tensor(shape, layout, DType.FLOAT64, values, domain).requiresGrad_();
                case CONST32: return Props.tensor(shape, layout, DType.FLOAT32, values, ANY);
                case MASK: {
                    boolean[] b = new boolean[n];
                    for (int i = 0; i < n; i++) b[i] = rnd.nextBoolean();
                    return Tensor.wrap(b, shape);
                }
                case INDEX: case INDEX_NONNEG: {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) v[i] = rnd.nextInt(bound) - (kind == Kind.INDEX && rnd.nextBoolean() ? bound : 0);
                    return Tensor.wrap(v, shape);
                }
                default: {
                    long[] v = new long[n];
                    if (n == 0) return Tensor.wrap(v, shape);
                    int[] strides = jtorch.ops.Shapes.contiguousStrides(shape);
                    int[] fiberShape = shape.clone();
                    fiberShape[dim] = 1;
                    for (int base : jtorch.kernels.Reduce.offsets(fiberShape, strides)) {
                        List<Long> perm = new ArrayList<>();
                        for (long i = 0; i < bound; i++) perm.add(i);
                        java.util.Collections.shuffle(perm, rnd);
                        for (int j = 0; j < shape[dim]; j++) v[base + j * strides[dim]] = perm.get(j);
                    }
                    return Tensor.wrap(v, shape);
                }
            }
        }

        @Override public String toString() {
            String s = Arrays.toString(shape);
            switch (kind) {
                case GRAD: return s + "/" + layout + "/" + domain;
                case PERM: return "perm" + s + "<" + bound + "@dim" + dim;
                case INDEX: case INDEX_NONNEG: return kind.name().toLowerCase() + s + "<" + bound;
                default: return kind.name().toLowerCase() + s;
            }
        }
    }

    /** A draw: the inputs' specs, integer parameters of the op, anything else it needs, and the seed of the values. */
    record Drawn(List<Spec> specs, int[] p, Object extra, long seed) {
        Tensor[] build() {
            Props.Values values = new Props.Values(seed);
            Tensor[] r = new Tensor[specs.size()];
            for (int i = 0; i < r.length; i++) r[i] = specs.get(i).build(values);
            return r;
        }

        int gradInputs() { return (int) specs.stream().filter(s -> s.kind() == Kind.GRAD).count(); }

        @Override public String toString() {
            return "inputs=" + specs + " p=" + Arrays.toString(p) + (extra == NO_EXTRA ? "" : " extra=" + extra) + " seed=" + seed;
        }
    }

    /** The function under test: the tensors built from a draw, and the draw for its parameters. */
    interface Op { Tensor apply(Tensor[] x, Drawn d); }

    /**
     * One op of the registry. {@code arity} is how many inputs require grad ({@link #VARIADIC} for
     * lists such as {@code cat}); {@code inputs} draws them within the op's domain.
     */
    record OpCase(String name, int arity, Arbitrary<Drawn> inputs, Op fn) {
        @Override public String toString() { return name; }
    }

    static final int VARIADIC = -1;

    /** The {@code extra} of draws that need none. */
    static final Object NO_EXTRA = "-";

    record Trial(OpCase op, Drawn drawn) {
        @Override public String toString() { return op.name() + " " + drawn; }
    }

    // ================================================================== the property

    /**
     * The first-order property's tries, shared out over the rows in turn: each row is checked
     * {@code TRIES / rows} times, rounded down or up, whatever the number of rows.
     */
    static final int TRIES = 9000;

    @Property(seed = Props.SEED, tries = TRIES)
    @net.jqwik.api.statistics.StatisticsReport(onFailureOnly = true)   // the per-row counts (one line a row) when it fails
    void gradientMatchesFiniteDifferences(@ForAll("trials") Trial t) {
        Statistics.label("op").collect(t.op().name());
        Tensor[] in = t.drawn().build();
        if (t.op().arity() != VARIADIC)
            assertEquals(t.op().arity(), t.drawn().gradInputs(), "registry error: arity of " + t.op().name());
        assertTrue(GradCheck.gradcheck(x -> t.op().fn().apply(x, t.drawn()), in));
        // Every row its share of the tries (taken in turn, so exactly total / rows or one more):
        // holds for any number of rows up to the try count, so adding rows cannot break it.
        Statistics.label("op").coverage(cov -> {
            for (OpCase c : CASES)
                cov.check(c.name()).count((Integer n, Integer total) -> n >= Math.max(1, total / CASES.size()) && n <= total / CASES.size() + 1);
        });
    }

    // ------------------------------------------------------------------ second derivatives (autograd)

    /**
     * Registry ops whose first derivative PyTorch itself does not differentiate again, each with the
     * reason; gradgradcheck skips them. Empty: every op in the registry has a second derivative in
     * PyTorch 1.13 (piecewise-linear ones, relu, max, abs, clamp, have a zero one, which is checked too).
     */
    static final java.util.Map<String, String> NO_SECOND_DERIVATIVE = java.util.Map.of();

    /**
     * {@link GradCheck#gradgradcheck} over the same registry: the gradient of each op's vector-Jacobian
     * product, with respect to the inputs and the grad_output, against finite differences. Each try
     * draws one input of every case from its own generator (seeded by the try), so every case is
     * checked as often as there are tries and the coverage does not thin out as the registry grows;
     * fewer tries than the first-order property (each check costs a backward per output element of
     * the product).
     */
    @Property(seed = Props.SEED, tries = 8)
    void secondDerivativesMatchFiniteDifferences(@ForAll long seed) {
        Random random = new Random(seed);
        int checked = 0;
        for (OpCase c : CASES) {
            Drawn d = c.inputs().generator(1000).next(random).value();
            if (NO_SECOND_DERIVATIVE.containsKey(c.name())) continue;
            try {
                assertTrue(GradCheck.gradgradcheck(x -> c.fn().apply(x, d), d.build()));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("gradgradcheck of " + c.name() + " " + d + ": " + e.getMessage(), e);
            }
            checked++;
        }
        assertEquals(CASES.size() - NO_SECOND_DERIVATIVE.size(), checked);
    }

    @Example
    void noSecondDerivativeNamesRegistryOps() {
        for (String name : NO_SECOND_DERIVATIVE.keySet())
            assertTrue(CASES.stream().anyMatch(c -> c.name().equals(name)), "not in the registry: " + name);
    }

    @Provide
    Arbitrary<Trial> trials() {
        // The rows in turn, not drawn at random (jqwik's edge cases of a drawn choice spend a third
        // of the tries on the first and last row): every row gets its share of the tries however
        // many the registry has. A fresh counter per property run, read once per try (a generator,
        // not Arbitraries.create, whose supplier runs again whenever the value is asked for), so
        // try i always checks row i % rows. The generator has no edge cases; the inputs keep theirs.
        net.jqwik.api.RandomGenerator<OpCase> inTurn = new net.jqwik.api.RandomGenerator<>() {
            private int next;

            @Override public net.jqwik.api.Shrinkable<OpCase> next(Random random) {
                return net.jqwik.api.Shrinkable.unshrinkable(CASES.get(next++ % CASES.size()));
            }
        };
        return Arbitraries.fromGenerator(inTurn).flatMap(c -> c.inputs().map(d -> new Trial(c, d)));
    }

    @Example
    void everyRowGetsItsShareOfTheTries() {
        java.util.Set<String> drawn = new java.util.HashSet<>();
        Random random = new Random(1);
        net.jqwik.api.RandomGenerator<Trial> generator = trials().generator(1000);
        for (int i = 0; i < CASES.size(); i++) {
            Trial t = generator.next(random).value();
            assertEquals(CASES.get(i).name(), t.op().name(), "try " + i);
            drawn.add(t.op().name());
        }
        assertEquals(CASES.size(), drawn.size(), "one pass over the rows draws each once");
        assertTrue(CASES.size() <= TRIES, CASES.size() + " rows, " + TRIES + " tries: raise TRIES");
    }

    @Example
    void registryNamesAreUnique() {
        assertEquals(CASES.size(), CASES.stream().map(OpCase::name).distinct().count());
    }

    // ------------------------------------------------------------------ prod's zeros, by example

    private static Tensor f64(double[][] v) { return Torch.tensor(v).requiresGrad_(); }

    @Example
    void prodWithOneZeroInASlice() {
        Tensor x = f64(new double[][] {{1.5, 0.0, -2.0}, {0.5, 3.0, 1.25}});
        GradCheck.gradcheck(in -> in[0].prod(1), x);
        GradCheck.gradcheck(in -> in[0].prod(0, true), x);
        GradCheck.gradcheck(in -> in[0].prod(), x);
        Tensor g = jtorch.autograd.Autograd.grad(x.prod(1).sum(), x)[0];
        assertTrue(g.allclose(Torch.tensor(new double[][] {{0, -3.0, 0}, {3.75, 0.625, 1.5}})), g.toString());
    }

    @Example
    void prodWithTwoZerosInASlice() {
        Tensor x = f64(new double[][] {{0.0, 2.0, 0.0}, {1.5, -0.5, 2.0}});
        GradCheck.gradcheck(in -> in[0].prod(1), x);
        GradCheck.gradcheck(in -> in[0].prod(), x);
        GradCheck.gradcheck(in -> in[0].prod(-1, true), x);
        Tensor g = jtorch.autograd.Autograd.grad(x.prod(1).sum(), x)[0];
        assertTrue(g.allclose(Torch.tensor(new double[][] {{0, 0, 0}, {-1.0, 3.0, -0.75}})), g.toString());
        Tensor gAll = jtorch.autograd.Autograd.grad(x.prod(), x)[0];
        assertTrue(gAll.allclose(Torch.zeros(new long[] {2, 3}, DType.FLOAT64)), gAll.toString());
    }

    @Example
    void prodWithZerosInStridedAndTransposedInputs() {
        Tensor base = Torch.tensor(new double[][] {{0.0, 9, 2.0, 9, 0.0}, {1.5, 9, 0.0, 9, 2.0}, {0.5, 9, 1.0, 9, -1.0}});
        Tensor strided = base.index(slice(), slice(0L, null, 2)).requiresGrad_();
        GradCheck.gradcheck(in -> in[0].prod(0), strided);
        GradCheck.gradcheck(in -> in[0].prod(1), strided);
        Tensor transposed = Torch.tensor(new double[][] {{0.0, 1.0}, {2.0, 0.0}, {3.0, 0.0}}).t().requiresGrad_();
        GradCheck.gradcheck(in -> in[0].prod(1, true), transposed);
        GradCheck.gradcheck(in -> in[0].prod(), transposed);
    }

    // ------------------------------------------------------------------ views and later in-place writes

    /**
     * A view taken before an in-place write to its base (or to another view of it) must see the
     * write: its grad_fn is rebuilt from the base's current history (AsStridedBackward0), as
     * PyTorch regenerates the grad_fn of a view whose version changed.
     */
    @Example
    void viewTakenBeforeAnInPlaceWriteSeesTheWrite() {
        Tensor x = f64(new double[][] {{1, 2}, {3, 4}});
        GradCheck.gradcheck(in -> {
            Tensor y = in[0].clone();
            Tensor row = y.index(0);
            y.mul_(2.0);
            return row;
        }, x);
        GradCheck.gradcheck(in -> {
            Tensor y = zeros(new long[] {2, 2}, DType.FLOAT64);
            Tensor row = y.index(0);
            y.index(0, 1).copy_(in[0].sum());
            return row;
        }, x);
    }

    // ================================================================== generator helpers

    static Arbitrary<Spec> g(int[] shape, Domain d) { return Props.layouts().map(l -> Spec.grad(shape, l, d)); }

    /** A grad input that must be contiguous (view(), as_strided over its storage). */
    static Arbitrary<Spec> gContiguous(int[] shape, Domain d) { return Arbitraries.just(Spec.grad(shape, Layout.CONTIGUOUS, d)); }

    static Arbitrary<Spec> aux(Kind kind, int[] shape, int bound, int dim) {
        return Arbitraries.just(new Spec(kind, ANY, shape, Layout.CONTIGUOUS, bound, dim));
    }

    static Arbitrary<Spec> aux(Kind kind, int[] shape, int bound) { return aux(kind, shape, bound, 0); }

    static Arbitrary<Drawn> drawn(List<Arbitrary<Spec>> specs, Arbitrary<int[]> params) {
        return drawn(specs, params, Arbitraries.just(NO_EXTRA));
    }

    static Arbitrary<Drawn> drawn(List<Arbitrary<Spec>> specs, Arbitrary<int[]> params, Arbitrary<?> extra) {
        return Combinators.combine(Combinators.combine(specs).as(l -> l), params, extra, Props.seeds())
                .as((l, p, e, seed) -> new Drawn(List.copyOf(l), p, e, seed));
    }

    @SafeVarargs
    static Arbitrary<int[]> ints(Arbitrary<Integer>... parts) {
        if (parts.length == 0) return Arbitraries.just(new int[0]);
        List<Arbitrary<Integer>> list = new ArrayList<>();
        for (Arbitrary<Integer> a : parts) list.add(a);
        return Combinators.combine(list).as(Props::toArray);
    }

    static Arbitrary<Integer> between(int lo, int hi) { return Arbitraries.integers().between(lo, hi); }

    static Arbitrary<Integer> bit() { return between(0, 1); }

    /** A dim of a rank-n tensor, in either sign: {@code [-max(n,1), max(n,1))}. */
    static Arbitrary<Integer> dimOf(int n) { int m = Math.max(n, 1); return between(-m, m - 1); }

    /** Reduction dims from a bit mask (bit i: dim i; the sign mask picks the negative spelling). */
    static int[] dims(int rank, int mask, int negative) {
        int slots = Math.max(rank, 1);
        List<Integer> r = new ArrayList<>();
        for (int d = 0; d < slots; d++)
            if ((mask >> d & 1) != 0) r.add((negative >> d & 1) != 0 ? d - slots : d);
        return Props.toArray(r);
    }

    /** Elements reduced by {@code dims} (all when empty). */
    static long reducedCount(int[] shape, int[] dims) {
        if (dims.length == 0 || shape.length == 0) return Props.numel(shape);
        long n = 1;
        for (int d : dims) n *= shape[d < 0 ? d + shape.length : d];
        return n;
    }

    static int wrap(int d, int n) { return d < 0 ? d + Math.max(n, 1) : d; }

    static final List<OpCase> CASES = new ArrayList<>();

    static void add(String name, int arity, Arbitrary<Drawn> inputs, Op fn) { CASES.add(new OpCase(name, arity, inputs, fn)); }

    static void unary(String name, Domain d, Function<Tensor, Tensor> f) {
        add(name, 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, d)), ints())), (x, dr) -> f.apply(x[0]));
    }

    static void binary(String name, Domain da, Domain db, BiFunction<Tensor, Tensor, Tensor> f) {
        add(name, 2, Props.broadcastShapes(2).flatMap(ss -> drawn(List.of(g(ss[0], da), g(ss[1], db)), ints())),
                (x, dr) -> f.apply(x[0], x[1]));
    }

    static void ternary(String name, Domain da, Domain db, Domain dc, TriFunction f) {
        add(name, 3, Props.broadcastShapes(3).flatMap(ss -> drawn(List.of(g(ss[0], da), g(ss[1], db), g(ss[2], dc)), ints())),
                (x, dr) -> f.apply(x[0], x[1], x[2]));
    }

    interface TriFunction { Tensor apply(Tensor a, Tensor b, Tensor c); }

    /** An in-place op on a clone (a non-leaf), optionally with a second grad operand broadcast into it. */
    static void inPlace(String name, Domain d, Function<Tensor, Tensor> f) {
        add(name, 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, d)), ints())), (x, dr) -> {
            Tensor y = x[0].clone();
            Tensor r = f.apply(y);
            assertTrue(r == y, "in-place ops return self");
            return y;
        });
    }

    static void inPlace2(String name, Domain da, Domain db, BiFunction<Tensor, Tensor, Tensor> f) {
        add(name, 2, Props.shapes().flatMap(s -> Props.broadcastableTo(s).flatMap(o -> drawn(List.of(g(s, da), g(o, db)), ints()))),
                (x, dr) -> {
                    Tensor y = x[0].clone();
                    f.apply(y, x[1]);
                    return y;
                });
    }

    /** Several tensors combined into one output, each weighted by its position (so a mix-up shows). */
    static Tensor weighted(List<Tensor> parts) {
        List<Tensor> flat = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) flat.add(parts.get(i).mul((double) (i + 1)).reshape(-1));
        return cat(flat);
    }

    // ================================================================== the registry

    static {
        pointwise();
        reductions();
        linalg();
        addmmRows();
        views();
        indexing();
        joining();
        inPlaceOps();
        convolution();
        opsIssue11();
        rnnCells();
        activationBackwardRows();
        opPathRows();
    }

    private static void pointwise() {
        binary("add", ANY, ANY, Tensor::add);
        binary("add_alpha", ANY, ANY, (a, b) -> a.add(b, 0.7));
        binary("sub", ANY, ANY, Tensor::sub);
        binary("sub_alpha", ANY, ANY, (a, b) -> a.sub(b, -1.3));
        binary("mul", ANY, ANY, Tensor::mul);
        binary("div", ANY, NONZERO, Tensor::div);
        binary("pow_tensor", POSITIVE, ANY, Tensor::pow);
        ternary("addcmul", ANY, ANY, ANY, (a, b, c) -> a.addcmul(b, c, 0.6));
        ternary("addcdiv", ANY, ANY, NONZERO, (a, b, c) -> a.addcdiv(b, c, -1.4));
        binary("maximum", DISTINCT, DISTINCT, Tensor::maximum);
        binary("minimum", DISTINCT, DISTINCT, Tensor::minimum);
        binary("max_other", DISTINCT, DISTINCT, Tensor::max);
        unary("add_scalar", ANY, x -> x.add(1.5));
        unary("add_long", ANY, x -> x.add(2L));
        unary("sub_scalar", ANY, x -> x.sub(0.25));
        unary("rsub_scalar", ANY, x -> x.rsub(2.0));
        unary("mul_scalar", ANY, x -> x.mul(-1.5));
        unary("div_scalar", ANY, x -> x.div(0.8));
        unary("div_long", ANY, x -> x.div(3L));
        unary("pow_scalar", POSITIVE, x -> x.pow(2.5));
        unary("pow_negative_scalar", POSITIVE, x -> x.pow(-1.5));
        unary("pow_long", ANY, x -> x.pow(3L));
        unary("pow_zero", ANY, x -> x.pow(0L));
        unary("pow_two_float", ANY, x -> x.pow(2.0));
        unary("neg", ANY, Tensor::neg);
        unary("abs", DISTINCT, Tensor::abs);
        unary("sign", DISTINCT, Tensor::sign);
        unary("exp", ANY, Tensor::exp);
        unary("erf", ANY, Tensor::erf);
        unary("log", POSITIVE, Tensor::log);
        unary("log1p", LOG1P, Tensor::log1p);
        unary("expm1", ANY, Tensor::expm1);
        unary("sqrt", POSITIVE, Tensor::sqrt);
        unary("rsqrt", POSITIVE, Tensor::rsqrt);
        unary("reciprocal", NONZERO, Tensor::reciprocal);
        unary("sin", ANY, Tensor::sin);
        unary("cos", ANY, Tensor::cos);
        unary("tanh", ANY, Tensor::tanh);
        unary("sigmoid", ANY, Tensor::sigmoid);
        unary("relu", DISTINCT, Tensor::relu);
        unary("clamp", DISTINCT, x -> x.clamp(-0.55, 0.45));
        unary("clamp_min", DISTINCT, x -> x.clampMin(-0.35));
        unary("clamp_max", DISTINCT, x -> x.clampMax(0.25));
        unary("square", ANY, Tensor::square);
        // Tensor ** 0-dim tensor, 0-dim tensor ** tensor.
        add("pow_0dim_exponent", 2, Props.shapes().flatMap(s -> drawn(List.of(g(s, POSITIVE), g(new int[0], ANY)), ints())),
                (x, d) -> x[0].pow(x[1]));
        // Promotion: float64 with a float32 operand stays float64 and the gradient flows to the float64 side.
        add("mul_float32_operand", 1, Props.shapes().flatMap(s -> Props.broadcastableTo(s).flatMap(o ->
                drawn(List.of(g(s, ANY), aux(Kind.CONST32, o, 0)), ints()))), (x, d) -> x[0].mul(x[1]));
        add("where", 2, Props.broadcastShapes(3).flatMap(ss ->
                        drawn(List.of(aux(Kind.MASK, ss[0], 0), g(ss[1], ANY), g(ss[2], ANY)), ints())),
                (x, d) -> where(x[0], x[1], x[2]));
        add("where_scalar", 1, Props.broadcastShapes(2).flatMap(ss ->
                        drawn(List.of(aux(Kind.MASK, ss[0], 0), g(ss[1], ANY)), ints())),
                (x, d) -> x[1].where(x[0], 0.5));
    }

    private static void reductions() {
        Arbitrary<Integer> masks = between(0, 15);
        // sum / mean: all, given dims (either sign), keepdim.
        add("sum_all", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> x[0].sum());
        add("sum_dims", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(masks, masks, bit()))),
                (x, d) -> x[0].sum(dims(x[0].dim(), d.p()[0], d.p()[1]), d.p()[2] == 1));
        add("sum_varargs", 1, Props.nonEmptyShapes(1).flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length)))),
                (x, d) -> x[0].sum(d.p()[0]));
        add("mean_all", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> x[0].mean());
        add("mean_dims", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(masks, masks, bit()))),
                (x, d) -> x[0].mean(dims(x[0].dim(), d.p()[0], d.p()[1]), d.p()[2] == 1));
        add("sum_to", 1, Props.shapes().flatMap(s -> Props.broadcastableTo(s).flatMap(t ->
                drawn(List.of(g(s, ANY)), Arbitraries.just(t)))), (x, d) -> x[0].sumTo(d.p()));
        // prod: all and along a dim (zeros are covered by the examples above).
        add("prod_all", 1, Props.shapes(0, 4, 0, 3, 12).flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> x[0].prod());
        add("prod_dim", 1, Props.shapes(0, 4, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length), bit()))),
                (x, d) -> x[0].prod(d.p()[0], d.p()[1] == 1));
        // max / min of all elements, and values of max(dim) / min(dim): distinct values, no ties.
        add("max_all", 1, Props.nonEmptyShapes(0).flatMap(s -> drawn(List.of(g(s, DISTINCT)), ints())), (x, d) -> x[0].max());
        add("min_all", 1, Props.nonEmptyShapes(0).flatMap(s -> drawn(List.of(g(s, DISTINCT)), ints())), (x, d) -> x[0].min());
        Arbitrary<Drawn> alongDim = Props.shapes().filter(Props::hasNonEmptyDim)
                .flatMap(s -> drawn(List.of(g(s, DISTINCT)), ints(Props.nonEmptyDims(s), bit())));
        add("max_dim_values", 1, alongDim, (x, d) -> x[0].max(d.p()[0], d.p()[1] == 1).values());
        add("min_dim_values", 1, alongDim, (x, d) -> x[0].min(d.p()[0], d.p()[1] == 1).values());
        add("max_dim_default_keepdim", 1, alongDim, (x, d) -> x[0].max(d.p()[0]).values());
        // var / std: dims, unbiased or a correction, keepdim; enough elements that the divisor is positive
        // (and, for std, that the deviation is not zero).
        for (boolean std : new boolean[] {false, true}) {
            Arbitrary<Drawn> gen = Props.shapes().filter(s -> !std || Props.numel(s) != 1).flatMap(s -> drawn(List.of(g(s, ANY)), ints(masks, masks, between(0, 2), bit(), between(0, 3)))
                    .filter(d -> {
                        int[] p = d.p();
                        int[] ds = p[4] >= 2 ? new int[0] : dims(s.length, p[0], p[1]);
                        long c = p[4] == 0 ? Math.min(p[2], 1) : p[4] == 1 ? p[2] : 1;
                        long n = reducedCount(s, ds);
                        return Props.numel(s) == 0 || (n > c && (!std || n >= 2));
                    }));
            add(std ? "std" : "var", 1, gen, (x, d) -> {
                int[] p = d.p();
                int[] ds = dims(x[0].dim(), p[0], p[1]);
                boolean keep = p[3] == 1;
                switch (p[4]) {
                    case 0: return std ? x[0].std(ds, p[2] >= 1, keep) : x[0].var(ds, p[2] >= 1, keep);
                    case 1: return std ? x[0].std(ds, (long) p[2], keep) : x[0].var(ds, (long) p[2], keep);
                    case 2: return std ? x[0].std() : x[0].var();
                    default: return std ? x[0].std(new int[0]) : x[0].var(new int[0]);
                }
            });
        }
        add("logsumexp", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(masks, masks, bit()))),
                (x, d) -> x[0].logsumexp(dims(x[0].dim(), d.p()[0], d.p()[1]), d.p()[2] == 1));
        add("softmax", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length)))),
                (x, d) -> x[0].softmax(d.p()[0]));
        add("log_softmax", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length)))),
                (x, d) -> x[0].logSoftmax(d.p()[0]));
    }

    private static void linalg() {
        Arbitrary<Integer> s03 = Props.dimSizes(0, 3);
        Arbitrary<int[]> nmp = ints(s03, s03, s03, Props.dimSizes(0, 2));
        matmul("matmul_1d_1d", nmp, v -> new int[][] {{v[1]}, {v[1]}});
        matmul("matmul_2d_1d", nmp, v -> new int[][] {{v[0], v[1]}, {v[1]}});
        matmul("matmul_1d_2d", nmp, v -> new int[][] {{v[1]}, {v[1], v[2]}});
        matmul("matmul_2d_2d", nmp, v -> new int[][] {{v[0], v[1]}, {v[1], v[2]}});
        matmul("matmul_3d_2d", nmp, v -> new int[][] {{v[3], v[0], v[1]}, {v[1], v[2]}});
        matmul("matmul_3d_1d", nmp, v -> new int[][] {{v[3], v[0], v[1]}, {v[1]}});
        matmul("matmul_1d_3d", nmp, v -> new int[][] {{v[1]}, {v[3], v[1], v[2]}});
        matmul("matmul_2d_3d", nmp, v -> new int[][] {{v[0], v[1]}, {v[3], v[1], v[2]}});
        // Batch dims that broadcast against each other.
        Arbitrary<int[][]> batches = Props.broadcastShapes(2, Props.shapes(1, 2, 0, 2, 4));
        add("matmul_batched_broadcast", 2, Combinators.combine(batches, nmp).flatAs((bs, v) -> {
            int[] a = concat(bs[0], new int[] {v[0], v[1]}), b = concat(bs[1], new int[] {v[1], v[2]});
            return drawn(List.of(g(a, ANY), g(b, ANY)), ints());
        }), (x, d) -> x[0].matmul(x[1]));
        matmulLike("mm", nmp, v -> new int[][] {{v[0], v[1]}, {v[1], v[2]}}, Tensor::mm);
        matmulLike("bmm", nmp, v -> new int[][] {{v[3], v[0], v[1]}, {v[3], v[1], v[2]}}, Tensor::bmm);
        matmulLike("dot", nmp, v -> new int[][] {{v[1]}, {v[1]}}, Tensor::dot);
        matmulLike("mT_matmul", nmp, v -> new int[][] {{v[3], v[1], v[0]}, {v[1], v[2]}}, (a, b) -> a.mT().matmul(b));
    }

    // ------------------------------------------------------------------ addmm / baddbmm (issue 10: the input added in the GEMM)

    private static void addmmRows() {
        Arbitrary<Integer> s03 = Props.dimSizes(0, 3);
        Arbitrary<int[]> nmp = ints(s03, s03, s03, Props.dimSizes(0, 2));
        // The input broadcast to the product's shape, from any shape that broadcasts to it; p[0] picks (beta, alpha).
        add("addmm", 3, nmp.flatMap(v -> Props.broadcastableTo(new int[] {v[0], v[2]}).flatMap(in ->
                drawn(List.of(g(in, ANY), g(new int[] {v[0], v[1]}, ANY), g(new int[] {v[1], v[2]}, ANY)), ints(between(0, 2))))),
                (x, d) -> x[0].addmm(x[1], x[2], ADDMM_BETA[d.p()[0]], ADDMM_ALPHA[d.p()[0]]));
        add("baddbmm", 3, nmp.flatMap(v -> Props.broadcastableTo(new int[] {v[3], v[0], v[2]}).flatMap(in ->
                drawn(List.of(g(in, ANY), g(new int[] {v[3], v[0], v[1]}, ANY), g(new int[] {v[3], v[1], v[2]}, ANY)),
                        ints(between(0, 2))))),
                (x, d) -> x[0].baddbmm(x[1], x[2], ADDMM_BETA[d.p()[0]], ADDMM_ALPHA[d.p()[0]]));
    }

    private static final double[] ADDMM_BETA = {1, 0.6, -0.4}, ADDMM_ALPHA = {1, -1.3, 1.7};

    private static void matmul(String name, Arbitrary<int[]> sizes, Function<int[], int[][]> shapes) {
        matmulLike(name, sizes, shapes, Tensor::matmul);
    }

    private static void matmulLike(String name, Arbitrary<int[]> sizes, Function<int[], int[][]> shapes, BiFunction<Tensor, Tensor, Tensor> f) {
        add(name, 2, sizes.flatMap(v -> {
            int[][] s = shapes.apply(v);
            return drawn(List.of(g(s[0], ANY), g(s[1], ANY)), ints());
        }), (x, d) -> f.apply(x[0], x[1]));
    }

    static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** A random shape with the same number of elements: the prime factors of numel regrouped, with size-1 dims. */
    static long[] regroup(int[] shape, int seed, boolean inferOne) {
        Random rnd = new Random(seed);
        long n = Props.numel(shape);
        List<Long> factors = new ArrayList<>();
        if (n == 0) factors.add(0L);
        for (long f = 2, m = n; m > 1; ) {
            if (m % f == 0) { factors.add(f); m /= f; } else f++;
        }
        java.util.Collections.shuffle(factors, rnd);
        int rank = Math.max(0, Math.min(4, factors.size() + rnd.nextInt(3) - 1));
        if (rank == 0 && n != 1) rank = 1;
        long[] r = new long[rank];
        Arrays.fill(r, 1);
        for (long f : factors) {
            int at = rnd.nextInt(rank);
            r[at] = f == 0 ? 0 : r[at] * f;
        }
        if (n == 0) for (int i = 0; i < rank; i++) if (r[i] != 0 && rnd.nextBoolean()) r[i] = rnd.nextInt(3); // any sizes beside the 0
        if (inferOne && rank > 0 && n != 0) r[rnd.nextInt(rank)] = -1;
        return r;
    }

    private static void views() {
        Arbitrary<Integer> seeds = between(0, 10_000);
        // view needs compatible strides: contiguous inputs regrouped freely ...
        add("view", 1, Props.shapes().flatMap(s -> drawn(List.of(gContiguous(s, ANY)), ints(seeds, bit()))),
                (x, d) -> x[0].view(regroup(Props.shapeOf(x[0]), d.p()[0], d.p()[1] == 1)));
        // ... and any layout with one dim split in two (always viewable).
        add("view_split_dim", 1, Props.nonEmptyShapes(1).flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length), between(0, 1)))),
                (x, d) -> {
                    int[] s = Props.shapeOf(x[0]);
                    int k = wrap(d.p()[0], s.length);
                    long first = s[k] % 2 == 0 && d.p()[1] == 1 ? 2 : 1;
                    long[] v = new long[s.length + 1];
                    for (int i = 0, j = 0; i < s.length; i++) {
                        if (i == k) { v[j++] = first; v[j++] = s[k] / first; } else v[j++] = s[i];
                    }
                    return x[0].view(v);
                });
        add("reshape", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(seeds, bit()))),
                (x, d) -> x[0].reshape(regroup(Props.shapeOf(x[0]), d.p()[0], d.p()[1] == 1)));
        add("view_as_size", 1, Props.shapes().flatMap(s -> drawn(List.of(gContiguous(s, ANY)), ints(seeds))),
                (x, d) -> x[0].view(Size.of(regroup(Props.shapeOf(x[0]), d.p()[0], false))).mul(2.0));
        add("transpose", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length), dimOf(s.length)))),
                (x, d) -> x[0].transpose(d.p()[0], d.p()[1]));
        add("permute", 1, Props.shapes().flatMap(s -> {
            List<Integer> ds = new ArrayList<>();
            for (int i = 0; i < s.length; i++) ds.add(i);
            return drawn(List.of(g(s, ANY)), Arbitraries.shuffle(ds).map(Props::toArray));
        }), (x, d) -> x[0].permute(d.p()));
        add("t", 1, Props.shapes(0, 2, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> x[0].t());
        add("mT", 1, Props.shapes(2, 4, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> x[0].mT());
        add("unsqueeze", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(between(-s.length - 1, s.length)))),
                (x, d) -> x[0].unsqueeze(d.p()[0]));
        add("squeeze_all", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> x[0].squeeze());
        add("squeeze_dim", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length)))),
                (x, d) -> x[0].squeeze(d.p()[0]));
        add("flatten_all", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> x[0].flatten());
        add("flatten_range", 1, Props.shapes(1, 4, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length), dimOf(s.length)))
                .filter(d -> wrap(d.p()[0], s.length) <= wrap(d.p()[1], s.length))), (x, d) -> x[0].flatten(d.p()[0], d.p()[1]));
        add("unflatten", 1, Props.shapes(1, 3, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length), seeds, bit()))),
                (x, d) -> {
                    int k = wrap(d.p()[0], x[0].dim());
                    long[] sizes = regroup(new int[] {(int) x[0].size(k)}, d.p()[1], d.p()[2] == 1);
                    return x[0].unflatten(d.p()[0], sizes.length == 0 ? new long[] {1} : sizes); // PyTorch refuses empty sizes
                });
        // expand: size-1 dims grown (or kept with -1), new leading dims.
        add("expand", 1, Props.shapes(0, 3, 0, 3, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)),
                        ints(between(0, 1), Props.dimSizes(1, 3), Props.dimSizes(0, 3), bit()))),
                (x, d) -> {
                    int[] s = Props.shapeOf(x[0]);
                    int lead = d.p()[0];
                    long[] t = new long[lead + s.length];
                    Arrays.fill(t, 0, lead, d.p()[1]);
                    for (int i = 0; i < s.length; i++) t[lead + i] = s[i] == 1 ? d.p()[2] : d.p()[3] == 1 ? -1 : s[i];
                    return x[0].expand(t);
                });
        add("expand_as", 1, Props.shapes().flatMap(s -> Props.broadcastableTo(s).flatMap(o ->
                drawn(List.of(g(o, ANY)), Arbitraries.just(s)))), (x, d) -> x[0].expandAs(Torch.zeros(Props.longs(d.p()))));
        add("narrow", 1, Props.shapes(1, 4, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length), between(0, 100), between(0, 100), bit()))),
                (x, d) -> {
                    int k = wrap(d.p()[0], x[0].dim());
                    int size = (int) x[0].size(k);
                    int start = d.p()[1] % (size + 1);
                    int len = d.p()[2] % (size - start + 1);
                    return x[0].narrow(d.p()[0], d.p()[3] == 1 && start > 0 ? start - size : start, len);
                });
        add("select", 1, Props.shapes(1, 4, 0, 4, Props.MAX_NUMEL).filter(Props::hasNonEmptyDim)
                        .flatMap(s -> drawn(List.of(g(s, ANY)), ints(Props.nonEmptyDims(s), between(0, 100), bit()))),
                (x, d) -> {
                    int size = (int) x[0].size(d.p()[0]);
                    int i = d.p()[1] % size;
                    return x[0].select(d.p()[0], d.p()[2] == 1 ? i - size : i);
                });
        // as_strided over a contiguous input's storage, strides 0-3 (so elements may be read several times).
        add("as_strided", 1, Props.shapes(1, 3, 1, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(gContiguous(s, ANY)),
                        ints(between(0, 3), Props.dimSizes(0, 3), Props.dimSizes(0, 3), Props.dimSizes(0, 3), between(0, 3), between(0, 3), between(0, 3), between(0, 5)))
                        .filter(d -> asStridedFits(s, d.p()))),
                (x, d) -> {
                    int[] p = d.p();
                    int rank = p[0];
                    long[] size = new long[rank], stride = new long[rank];
                    for (int i = 0; i < rank; i++) { size[i] = p[1 + i]; stride[i] = p[4 + i]; }
                    return x[0].asStrided(size, stride, p[7]);
                });
        add("as_strided_of_nonleaf", 1, Props.shapes(1, 3, 1, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints())),
                (x, d) -> {
                    Tensor y = x[0].mul(2.0); // fresh contiguous storage
                    long n = y.numel();
                    return y.asStrided(new long[] {n - 1, 2}, new long[] {1, 1}, 0).sin();
                });
        // Stride-0 operands (expanded inside the function; an expanded leaf cannot be perturbed element by element).
        add("sum_of_expanded", 1, Props.shapes(0, 3, 0, 3, 12).flatMap(s -> drawn(List.of(g(s, ANY)), ints(between(1, 3), between(0, 15), bit()))),
                (x, d) -> {
                    long[] t = Props.longs(concat(new int[] {d.p()[0]}, Props.shapeOf(x[0])));
                    return x[0].expand(t).sum(dims(t.length, d.p()[1], 0), d.p()[2] == 1);
                });
        add("softmax_and_var_of_expanded", 1, Props.nonEmptyShapes(1).filter(s -> Props.numel(s) <= 8).flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length + 1)))),
                (x, d) -> {
                    Tensor e = x[0].unsqueeze(0).expand(Props.longs(concat(new int[] {2}, Props.shapeOf(x[0]))));
                    return e.softmax(d.p()[0]).add(e.var(new int[] {d.p()[0]}, 0L, true));
                });
        add("matmul_of_expanded", 2, Combinators.combine(Props.dimSizes(1, 3), Props.dimSizes(0, 3), Props.dimSizes(0, 3)).flatAs((n, m, p) ->
                drawn(List.of(g(new int[] {1, m}, ANY), g(new int[] {m, 1}, ANY)), ints(Arbitraries.just(n), Arbitraries.just(p)))),
                (x, d) -> x[0].expand(d.p()[0], -1).matmul(x[1].expand(-1, d.p()[1])));
        add("to_float64_same_dtype", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> x[0].to(DType.FLOAT64).mul(x[0]));
        add("to_float64_from_int64", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY), aux(Kind.INDEX, s, 3)), ints())),
                (x, d) -> x[0].mul(x[1].to(DType.FLOAT64)));
        add("clone", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> x[0].clone());
        add("contiguous", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> x[0].contiguous().mul(x[0]));
    }

    static boolean asStridedFits(int[] shape, int[] p) {
        long max = p[7];
        boolean empty = false;
        for (int i = 0; i < p[0]; i++) {
            if (p[1 + i] == 0) empty = true;
            max += (long) (p[1 + i] - 1) * p[4 + i];
        }
        return empty ? p[7] <= Props.numel(shape) : max < Props.numel(shape);
    }

    // ------------------------------------------------------------------ indexing

    /** A basic index entry: an integer, a slice (null bounds open), {@code ...} or {@code None}. */
    record Ix(char kind, Long a, Long b, long step) {
        static final Ix ELLIPSIS = new Ix('e', null, null, 1), NONE = new Ix('n', null, null, 1);

        TensorIndex toIndex() {
            switch (kind) {
                case 'i': return idx(a);
                case 's': return slice(a, b, step);
                case 'e': return ellipsis();
                default: return newAxis();
            }
        }

        @Override public String toString() {
            switch (kind) {
                case 'i': return Long.toString(a);
                case 's': return (a == null ? "" : a) + ":" + (b == null ? "" : b) + (step == 1 ? "" : ":" + step);
                case 'e': return "...";
                default: return "None";
            }
        }
    }

    static TensorIndex[] toIndices(List<Ix> ix) { return ix.stream().map(Ix::toIndex).toArray(TensorIndex[]::new); }

    static String toText(List<Ix> ix) { return String.join(", ", ix.stream().map(Ix::toString).toArray(String[]::new)); }

    private static Arbitrary<Long> sliceBound(int size) {
        Arbitrary<Long> open = Arbitraries.just(Long.MIN_VALUE), bounded = Arbitraries.longs().between(-size - 1, size + 1);
        return Arbitraries.frequencyOf(Tuple.of(1, open), Tuple.of(3, bounded));
    }

    private static Arbitrary<Ix> entry(int size) {
        Arbitrary<Ix> sl = Combinators.combine(sliceBound(size), sliceBound(size), Props.dimSizes(1, 3))
                .as((a, b, st) -> new Ix('s', a == Long.MIN_VALUE ? null : a, b == Long.MIN_VALUE ? null : b, st));
        if (size == 0) return sl;
        return Arbitraries.oneOf(Arbitraries.longs().between(-size, size - 1).map(i -> new Ix('i', i, null, 1)), sl);
    }

    /** A basic index of a tensor of {@code shape}: entries for a prefix and (after {@code ...}) a suffix of dims, and some {@code None}s. */
    static Arbitrary<List<Ix>> basicIndex(int[] shape) {
        int n = shape.length;
        return Combinators.combine(between(0, n), between(0, n), Arbitraries.of(true, false), between(0, 2)).flatAs((pre, suf0, ell, nones) -> {
            int suf = ell ? Math.min(suf0, n - pre) : 0;
            List<Arbitrary<Ix>> parts = new ArrayList<>();
            for (int d = 0; d < pre; d++) parts.add(entry(shape[d]));
            if (ell) parts.add(Arbitraries.just(Ix.ELLIPSIS));
            for (int d = n - suf; d < n; d++) parts.add(entry(shape[d]));
            Arbitrary<List<Ix>> base = parts.isEmpty() ? Arbitraries.just(List.of()) : Combinators.combine(parts).as(l -> l);
            return Combinators.combine(base, between(0, 100).list().ofSize(nones)).as((l, at) -> {
                List<Ix> r = new ArrayList<>(l);
                for (int p : at) r.add(p % (r.size() + 1), Ix.NONE);
                return r;
            });
        });
    }

    private static void indexing() {
        add("index_ints", 1, Props.nonEmptyShapes(1).flatMap(s -> drawn(List.of(g(s, ANY)), ints(between(1, s.length), between(0, 1000)))),
                (x, d) -> {
                    int[] s = Props.shapeOf(x[0]);
                    Random r = new Random(d.p()[1]);
                    long[] ix = new long[d.p()[0]];
                    for (int i = 0; i < ix.length; i++) ix[i] = r.nextInt(2 * s[i]) - s[i];
                    return x[0].index(ix);
                });
        add("index_basic", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(), basicIndex(s))),
                (x, d) -> x[0].index(toIndices(extra(d))));
        add("index_string", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(), basicIndex(s).filter(l -> !l.isEmpty()))),
                (x, d) -> x[0].index(toText(extra(d))));
        add("index_string_literals", 1, Props.shapes(3, 3, 2, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints(between(0, 4)))),
                (x, d) -> x[0].index(new String[] {"..., -1", "::2, None, 1:", "-1, :, 1::2", "None, ..., 0, None", ":, -2:"}[d.p()[0]]));
        // int64 tensor indices (negative values, repeats) on one or two dims, adjacent or not, with
        // slices on the other dims: IndexBackward0.
        add("index_tensor", 1, Props.shapes(1, 3, 1, 3, Props.MAX_NUMEL).flatMap(s -> {
            int n = s.length;
            return between(1, (1 << n) - 1).filter(m -> Integer.bitCount(m) <= 2).flatMap(mask -> {
                int k = Integer.bitCount(mask);
                return Props.broadcastShapes(k, Props.shapes(0, 2, 0, 3, 6)).flatMap(is -> {
                    List<Arbitrary<Spec>> specs = new ArrayList<>();
                    specs.add(g(s, ANY));
                    for (int d = 0, j = 0; d < n; d++) if ((mask >> d & 1) != 0) specs.add(aux(Kind.INDEX, is[j++], s[d]));
                    return drawn(specs, ints(Arbitraries.just(mask), between(0, 7)));
                });
            });
        }), (x, d) -> {
            int mask = d.p()[0], n = x[0].dim();
            List<TensorIndex> e = new ArrayList<>();
            for (int dd = 0, j = 1; dd < n; dd++) {
                if ((mask >> dd & 1) != 0) e.add(idx(x[j++]));
                else e.add((d.p()[1] >> dd & 1) != 0 ? slice(0L, null, 2) : slice());
            }
            return x[0].index(e.toArray(new TensorIndex[0]));
        });
        // bool masks over some dims (after an optional leading slice), and a 0-dim bool.
        add("index_bool_mask", 1, Props.shapes(1, 3, 0, 3, Props.MAX_NUMEL).flatMap(s ->
                Combinators.combine(between(0, s.length - 1), between(1, s.length)).as((off, k) -> new int[] {off, Math.min(k, s.length - off)})
                        .flatMap(ok -> drawn(List.of(g(s, ANY), aux(Kind.MASK, Arrays.copyOfRange(s, ok[0], ok[0] + ok[1]), 0)), Arbitraries.just(ok)))),
                (x, d) -> {
                    TensorIndex[] e = new TensorIndex[d.p()[0] + 1];
                    Arrays.fill(e, slice());
                    e[d.p()[0]] = idx(x[1]);
                    return x[0].index(e);
                });
        add("index_bool_scalar", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY), aux(Kind.MASK, new int[0], 0)), ints())),
                (x, d) -> x[0].index(idx(x[1]), ellipsis()));
        add("index_select", 1, Props.shapes(1, 3, 0, 4, Props.MAX_NUMEL).flatMap(s -> Combinators.combine(dimOf(s.length), Props.dimSizes(0, 4)).flatAs((dim, len) -> {
            int size = s[wrap(dim, s.length)];
            int l = size == 0 ? 0 : len;
            return drawn(List.of(g(s, ANY), aux(Kind.INDEX_NONNEG, new int[] {l}, Math.max(size, 1))), ints(Arbitraries.just(dim)));
        })), (x, d) -> x[0].indexSelect(d.p()[0], x[1]));
        add("gather", 1, Props.shapes(1, 3, 0, 3, Props.MAX_NUMEL).flatMap(s -> dimOf(s.length).flatMap(dim ->
                Arbitraries.integers().between(0, 3).list().ofSize(s.length).map(Props::toArray).flatMap(is0 -> {
                    int dd = wrap(dim, s.length);
                    int[] is = is0.clone();
                    for (int k = 0; k < s.length; k++) if (k != dd) is[k] = Math.min(is[k], s[k]);
                    if (s[dd] == 0) is[dd] = 0;
                    return drawn(List.of(g(s, ANY), aux(Kind.INDEX_NONNEG, is, Math.max(s[dd], 1))), ints(Arbitraries.just(dim)));
                }))), (x, d) -> x[0].gather(d.p()[0], x[1]));
        for (boolean accumulate : new boolean[] {false, true}) {
            // scatter writes without ties (distinct positions along dim); scatter_add may repeat them.
            boolean add = accumulate;
            add(add ? "scatter_add" : "scatter", 2, Props.shapes(1, 3, 0, 3, Props.MAX_NUMEL).flatMap(s -> dimOf(s.length).flatMap(dim ->
                    Combinators.combine(between(0, 3).list().ofSize(s.length), between(0, 1).list().ofSize(s.length)).flatAs((is0, extra) -> {
                        int dd = wrap(dim, s.length);
                        int[] is = new int[s.length], src = new int[s.length];
                        for (int k = 0; k < s.length; k++) {
                            is[k] = k == dd && add ? (s[dd] == 0 ? 0 : is0.get(k)) : Math.min(is0.get(k), s[k]);
                            src[k] = is[k] + extra.get(k);
                        }
                        Spec index = add ? new Spec(Kind.INDEX_NONNEG, ANY, is, Layout.CONTIGUOUS, Math.max(s[dd], 1), 0)
                                : new Spec(Kind.PERM, ANY, is, Layout.CONTIGUOUS, s[dd], dd);
                        return drawn(List.of(g(s, ANY), Arbitraries.just(index), g(src, ANY)), ints(Arbitraries.just(dim)));
                    }))), (x, d) -> add ? x[0].scatterAdd(d.p()[0], x[1], x[2]) : x[0].scatter(d.p()[0], x[1], x[2]));
        }
        add("scatter_scalar", 1, Props.shapes(1, 3, 1, 3, Props.MAX_NUMEL).flatMap(s -> dimOf(s.length).flatMap(dim -> {
            int dd = wrap(dim, s.length);
            int[] is = s.clone();
            is[dd] = 1;
            return drawn(List.of(g(s, ANY), aux(Kind.PERM, is, s[dd], dd)), ints(Arbitraries.just(dim)));
        })), (x, d) -> x[0].scatter(d.p()[0], x[1], 0.5));
        indexPutCases();
        copyIntoViews();
    }

    @SuppressWarnings("unchecked")
    static List<Ix> extra(Drawn d) { return (List<Ix>) d.extra(); }

    private static void indexPutCases() {
        // x[perm] = v on dim 0 (distinct positions, negative spelling on p[0]), through a clone.
        add("index_put", 2, Props.shapes(1, 3, 1, 3, Props.MAX_NUMEL).flatMap(s -> between(0, s[0]).flatMap(k -> {
            int[] result = s.clone();
            result[0] = k;
            return Props.broadcastableTo(result).flatMap(vs -> drawn(List.of(g(s, ANY), aux(Kind.PERM, new int[] {k}, s[0], 0), g(vs, ANY)), ints(bit())));
        })), (x, d) -> {
            Tensor y = x[0].clone();
            Tensor i = d.p()[0] == 1 ? x[1].sub(x[0].size(0)) : x[1];
            Tensor r = y.indexPut_(new TensorIndex[] {idx(i)}, x[2]);
            assertTrue(r == y);
            return y;
        });
        // accumulate=True: repeated positions add up.
        add("index_put_accumulate", 2, Props.shapes(1, 3, 1, 3, Props.MAX_NUMEL).flatMap(s -> Props.dimSizes(0, 4).flatMap(k -> {
            int[] result = s.clone();
            result[0] = k;
            return Props.broadcastableTo(result).flatMap(vs -> drawn(List.of(g(s, ANY), aux(Kind.INDEX, new int[] {k}, s[0]), g(vs, ANY)), ints()));
        })), (x, d) -> {
            Tensor y = x[0].clone();
            y.indexPut_(new Tensor[] {x[1]}, x[2], true);
            return y;
        });
        // Two index tensors that broadcast together, accumulate.
        add("index_put_two_indices", 2, Props.shapes(2, 3, 1, 3, Props.MAX_NUMEL).flatMap(s ->
                Props.broadcastShapes(2, Props.shapes(0, 2, 0, 3, 6)).flatMap(is -> {
                    int[] result = concat(is[2], Arrays.copyOfRange(s, 2, s.length));
                    return Props.broadcastableTo(result).flatMap(vs -> drawn(List.of(g(s, ANY), aux(Kind.INDEX, is[0], s[0]),
                            aux(Kind.INDEX, is[1], s[1]), g(vs, ANY)), ints()));
                })), (x, d) -> {
            Tensor y = x[0].clone();
            y.indexPut_(new TensorIndex[] {idx(x[1]), idx(x[2])}, x[3], true);
            return y;
        });
        // A slice before the tensor index: x[:, perm] = v.
        add("index_put_after_slice", 2, Props.shapes(2, 3, 1, 3, Props.MAX_NUMEL).flatMap(s -> between(0, s[1]).flatMap(k -> {
            int[] result = s.clone();
            result[1] = k;
            return Props.broadcastableTo(result).flatMap(vs -> drawn(List.of(g(s, ANY), aux(Kind.PERM, new int[] {k}, s[1], 0), g(vs, ANY)), ints()));
        })), (x, d) -> {
            Tensor y = x[0].clone();
            y.indexPut_(new TensorIndex[] {slice(), idx(x[1])}, x[2]);
            return y;
        });
        // x[mask] = v with v broadcast over the selected elements.
        add("index_put_bool_mask", 2, Props.shapes(1, 3, 0, 3, Props.MAX_NUMEL).flatMap(s -> between(1, s.length).flatMap(k ->
                Props.broadcastableTo(Arrays.copyOfRange(s, k, s.length)).flatMap(vs ->
                        drawn(List.of(g(s, ANY), aux(Kind.MASK, Arrays.copyOfRange(s, 0, k), 0), g(vs, ANY)), ints())))),
                (x, d) -> {
                    Tensor y = x[0].mul(1.5);
                    y.indexPut_(new TensorIndex[] {idx(x[1])}, x[2]);
                    return y;
                });
        add("index_put_scalar_value", 1, Props.shapes(1, 3, 0, 3, Props.MAX_NUMEL).flatMap(s ->
                drawn(List.of(g(s, ANY), aux(Kind.MASK, s, 0)), ints())), (x, d) -> {
            Tensor y = x[0].clone();
            y.indexPut_(new TensorIndex[] {idx(x[1])}, 0.25);
            return y;
        });
        // Basic entries only: index_put_ is a copy_ / add_ into the view.
        add("index_put_basic", 2, Props.shapes(1, 3, 1, 3, Props.MAX_NUMEL).flatMap(s -> between(0, s[0] - 1).flatMap(i ->
                Props.broadcastableTo(Arrays.copyOfRange(s, 1, s.length)).flatMap(vs ->
                        drawn(List.of(g(s, ANY), g(vs, ANY)), ints(Arbitraries.just(i), bit()))))), (x, d) -> {
            Tensor y = x[0].clone();
            y.indexPut_(new TensorIndex[] {idx(d.p()[0])}, x[1].mul(2.0), d.p()[1] == 1);
            return y;
        });
    }

    private static void copyIntoViews() {
        // The tutorial's corr2d: Y = zeros(...); Y[i, j] = (X[i:i+h, j:j+w] * K).sum().
        add("copy_into_views_corr2d", 2, Combinators.combine(Props.dimSizes(1, 4), Props.dimSizes(1, 4), Props.dimSizes(1, 2), Props.dimSizes(1, 2))
                .filter((h, w, kh, kw) -> kh <= h && kw <= w)
                .flatAs((h, w, kh, kw) -> drawn(List.of(g(new int[] {h, w}, ANY), g(new int[] {kh, kw}, ANY)), ints())), (x, d) -> {
            Tensor X = x[0], K = x[1];
            long h = K.size(0), w = K.size(1);
            Tensor Y = zeros(new long[] {X.size(0) - h + 1, X.size(1) - w + 1}, DType.FLOAT64);
            for (long i = 0; i < Y.size(0); i++)
                for (long j = 0; j < Y.size(1); j++)
                    Y.index(i, j).copy_(X.index(slice(i, i + h), slice(j, j + w)).mul(K).sum());
            return Y;
        });
        // Y = x.clone(); Y[..., a:b:c] = expr (broadcast), on any dim.
        add("copy_into_slice_of_clone", 2, Props.shapes(1, 3, 0, 4, Props.MAX_NUMEL).flatMap(s ->
                Combinators.combine(dimOf(s.length), between(0, 4), between(0, 4), between(1, 2)).flatAs((dim, a, b, st) -> {
                    int dd = wrap(dim, s.length);
                    int lo = Math.min(a, s[dd]), hi = Math.min(Math.max(b, lo), s[dd]);
                    int[] view = s.clone();
                    view[dd] = (hi - lo + st - 1) / st;
                    return Props.broadcastableTo(view).flatMap(vs -> drawn(List.of(g(s, ANY), g(vs, ANY)), ints(Arbitraries.just(dd),
                            Arbitraries.just(lo), Arbitraries.just(hi), Arbitraries.just(st))));
                })), (x, d) -> {
            Tensor y = x[0].clone();
            TensorIndex[] e = new TensorIndex[d.p()[0] + 1];
            Arrays.fill(e, slice());
            e[d.p()[0]] = slice((long) d.p()[1], (long) d.p()[2], d.p()[3]);
            y.index(e).copy_(x[1].tanh());
            return y;
        });
        // copy_ into a transposed view of a non-leaf.
        add("copy_into_transposed_view", 2, Props.shapes(2, 2, 0, 4, Props.MAX_NUMEL).flatMap(s ->
                Props.broadcastableTo(new int[] {s[1], s[0]}).flatMap(vs -> drawn(List.of(g(s, ANY), g(vs, ANY)), ints()))), (x, d) -> {
            Tensor y = x[0].mul(x[0]);
            y.t().copy_(x[1]);
            return y.mul(3.0);
        });
        // fill_ with a 0-dim tensor (differentiable) or a number (cuts the region's gradient).
        add("fill_tensor_into_select", 2, Props.shapes(1, 3, 1, 3, Props.MAX_NUMEL).flatMap(s ->
                drawn(List.of(g(s, ANY), g(new int[0], ANY)), ints(dimOf(s.length), between(0, 2)))), (x, d) -> {
            Tensor y = x[0].clone();
            int size = (int) y.size(d.p()[0]);
            y.select(d.p()[0], d.p()[1] % size).fill_(x[1]);
            return y;
        });
        add("fill_scalar_into_slice", 1, Props.shapes(1, 3, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> {
            Tensor y = x[0].mul(2.0);
            y.index("..., 1::2").fill_(0.5);
            return y.mul(x[0]);
        });
        add("zero_into_view", 1, Props.shapes(2, 3, 0, 3, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> {
            Tensor y = x[0].clone();
            y.index(":, :1").zero_();
            return y;
        });
        // Two writes into one zeros buffer, one reading the other's input.
        add("copy_twice_into_zeros", 2, Props.shapes(0, 2, 0, 3, 9).flatMap(s -> drawn(List.of(g(s, ANY), g(s, ANY)), ints())), (x, d) -> {
            long[] shape = Props.longs(concat(new int[] {2}, Props.shapeOf(x[0])));
            Tensor y = zeros(shape, DType.FLOAT64);
            y.index(0).copy_(x[0]);
            y.index(1).copy_(x[1].mul(x[0]));
            return y;
        });
    }

    // ------------------------------------------------------------------ joining and splitting

    private static void joining() {
        add("cat", VARIADIC, Props.shapes(1, 3, 0, 3, 9).flatMap(s -> Combinators.combine(dimOf(s.length), between(1, 3)).flatAs((dim, k) ->
                Props.dimSizes(0, 3).list().ofSize(k).flatMap(lens -> {
                    List<Arbitrary<Spec>> specs = new ArrayList<>();
                    for (int len : lens) {
                        int[] t = s.clone();
                        t[wrap(dim, s.length)] = len;
                        specs.add(g(t, ANY));
                    }
                    return drawn(specs, ints(Arbitraries.just(dim)));
                }))), (x, d) -> cat(Arrays.asList(x), d.p()[0]));
        add("cat_promotes", 1, Props.shapes(1, 3, 0, 3, 12).flatMap(s -> drawn(List.of(g(s, ANY), aux(Kind.CONST32, s, 0)), ints())),
                (x, d) -> cat(x[1], x[0]));
        add("stack", VARIADIC, Props.shapes(0, 3, 0, 3, 8).flatMap(s -> Combinators.combine(between(-s.length - 1, s.length), between(1, 3)).flatAs((dim, k) -> {
            List<Arbitrary<Spec>> specs = new ArrayList<>();
            for (int i = 0; i < k; i++) specs.add(g(s, ANY));
            return drawn(specs, ints(Arbitraries.just(dim)));
        })), (x, d) -> stack(Arrays.asList(x), d.p()[0]));
        add("split", 1, Props.shapes(1, 3, 0, 4, Props.MAX_NUMEL).filter(Props::hasNonEmptyDim)
                        .flatMap(s -> drawn(List.of(g(s, ANY)), ints(Props.nonEmptyDims(s), between(1, 3)))),
                (x, d) -> weighted(x[0].split(d.p()[1], d.p()[0])));
        add("split_sizes", 1, Props.shapes(1, 3, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length), between(0, 1000)))),
                (x, d) -> {
                    int size = (int) x[0].size(d.p()[0]);
                    Random r = new Random(d.p()[1]);
                    List<Long> sizes = new ArrayList<>();
                    for (int left = size; left > 0 || sizes.isEmpty(); ) {
                        int piece = Math.min(left, r.nextInt(3));
                        sizes.add((long) piece);
                        left -= piece;
                    }
                    return weighted(x[0].split(sizes.stream().mapToLong(Long::longValue).toArray(), d.p()[0]));
                });
        add("chunk", 1, Props.shapes(1, 3, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length), between(1, 4)))),
                (x, d) -> weighted(x[0].chunk(d.p()[1], d.p()[0])));
        add("unbind", 1, Props.shapes(1, 3, 0, 4, Props.MAX_NUMEL).filter(Props::hasNonEmptyDim)
                        .flatMap(s -> drawn(List.of(g(s, ANY)), ints(Props.nonEmptyDims(s)))),
                (x, d) -> weighted(x[0].unbind(d.p()[0])));
    }

    // ------------------------------------------------------------------ in-place ops on non-leaves

    private static void inPlaceOps() {
        inPlace2("add_", ANY, ANY, Tensor::add_);
        inPlace2("add__alpha", ANY, ANY, (y, b) -> y.add_(b, -0.5));
        inPlace2("sub_", ANY, ANY, Tensor::sub_);
        inPlace2("sub__alpha", ANY, ANY, (y, b) -> y.sub_(b, 2.5));
        inPlace2("mul_", ANY, ANY, Tensor::mul_);
        inPlace2("div_", ANY, NONZERO, Tensor::div_);
        inPlace("add__scalar", ANY, y -> y.add_(0.75));
        inPlace("sub__scalar", ANY, y -> y.sub_(0.75));
        inPlace("mul__scalar", ANY, y -> y.mul_(-2.0));
        inPlace("div__scalar", ANY, y -> y.div_(4.0));
        inPlace("exp_", ANY, Tensor::exp_);
        inPlace("log_", POSITIVE, Tensor::log_);
        inPlace("sqrt_", POSITIVE, Tensor::sqrt_);
        inPlace("neg_", ANY, Tensor::neg_);
        inPlace("abs_", DISTINCT, Tensor::abs_);
        inPlace("tanh_", ANY, Tensor::tanh_);
        inPlace("sigmoid_", ANY, Tensor::sigmoid_);
        inPlace("relu_", DISTINCT, Tensor::relu_);
        inPlace("clamp_", DISTINCT, y -> y.clamp_(-0.35, 0.55));
        inPlace("clamp_min_", DISTINCT, y -> y.clampMin_(0.05));
        inPlace("clamp_max_", DISTINCT, y -> y.clampMax_(-0.25));
        inPlace("pow_", POSITIVE, y -> y.pow_(1.5));
        inPlace("pow__integral", ANY, y -> y.pow_(3.0));
        // (Not followed by anything: tanh_ saves its output, which a later in-place op would invalidate.)
        inPlace("chain_of_in_place", ANY, y -> y.mul_(2.0).add_(1.0).sub_(0.5).tanh_());
        // In-place ops through views of a non-leaf.
        add("mul__into_select", 2, Props.shapes(1, 3, 1, 3, Props.MAX_NUMEL).flatMap(s ->
                drawn(List.of(g(s, ANY), g(new int[0], ANY)), ints(dimOf(s.length), between(0, 2)))), (x, d) -> {
            Tensor y = x[0].clone();
            int size = (int) y.size(d.p()[0]);
            y.select(d.p()[0], d.p()[1] % size).mul_(x[1]);
            return y;
        });
        add("add__into_transposed_view", 2, Props.shapes(2, 3, 0, 3, Props.MAX_NUMEL).flatMap(s -> {
            int[] ts = s.clone();
            ts[0] = s[s.length - 1];
            ts[s.length - 1] = s[0];
            return Props.broadcastableTo(ts).flatMap(o -> drawn(List.of(g(s, ANY), g(o, ANY)), ints()));
        }), (x, d) -> {
            Tensor y = x[0].mul(1.0);
            y.transpose(0, -1).add_(x[1], 0.5);
            return y;
        });
        add("sigmoid__into_strided_view", 1, Props.shapes(1, 3, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> {
            Tensor y = x[0].clone();
            y.index(ellipsis(), slice(0L, null, 2)).sigmoid_();
            return y.mul(x[0]);
        });
    }

    // ------------------------------------------------------------------ convolution (issue #10: op, transposed op, weight-gradient op)

    /**
     * A small convolution geometry: {1-D?, n, groups, C_in/g, C_out/g, h, w, kh, kw, stride, padding,
     * dilation, output padding} with one window at least (plain) or a positive output (transposed).
     * Without edge cases: 13 parameters would give thousands, and mixed into the draws they took
     * the tries of other cases.
     * 1-D draws use w, kw and the per-dim values along the last dim only.
     */
    private static Arbitrary<int[]> convGeometries(boolean transposed) {
        return ints(bit(), between(1, 2), between(1, 2), between(1, 2), between(1, 2), between(1, 4), between(1, 4),
                between(1, 3), between(1, 3), between(1, 2), between(0, 1), between(1, 2), between(0, 1)).map(v -> {
            int[] r = v.clone();
            if (r[0] == 1) { r[5] = 1; r[7] = 1; }
            r[12] = transposed ? r[12] % Math.max(r[9], r[11]) : 0;
            // Repaired rather than filtered (filters starve the other cases of tries): a window must fit,
            // or the transposed output be non-empty (without padding it always is).
            for (int i = 0; i < 2; i++) {
                int k = r[7 + i], s = r[9], p = r[0] == 1 && i == 0 ? 0 : r[10], d = r[11];
                if (!transposed && r[5 + i] + 2 * p < d * (k - 1) + 1) r[5 + i] = d * (k - 1) + 1 - 2 * p;
                if (transposed && (r[5 + i] - 1) * s - 2 * p + d * (k - 1) + 1 + r[12] < 1) r[10] = 0;
            }
            return r;
        }).withoutEdgeCases();
    }

    /** Per-dim arguments of a geometry: {stride, padding, dilation, output padding}, each of length 1 or 2. */
    private static int[][] convArgs(int[] v) {
        boolean oneD = v[0] == 1;
        int[] s = oneD ? new int[] {v[9]} : new int[] {v[9], v[9]}, p = oneD ? new int[] {v[10]} : new int[] {v[10], v[10]};
        int[] d = oneD ? new int[] {v[11]} : new int[] {v[11], v[11]}, op = oneD ? new int[] {v[12]} : new int[] {v[12], v[12]};
        return new int[][] {s, p, d, op};
    }

    private static int[] convShape(int[] v, int n, int c, int h, int w) { return v[0] == 1 ? new int[] {n, c, w} : new int[] {n, c, h, w}; }

    private static int convOut(int size, int k, int s, int p, int d) { return (size + 2 * p - d * (k - 1) - 1) / s + 1; }

    private static void convolution() {
        // conv(x, w) + b: first derivatives of the op's rule (transposed conv, weight-gradient op, sum).
        add("convolution", 3, convGeometries(false).flatMap(v -> {
            int g = v[2], cin = g * v[3], cout = g * v[4];
            return drawn(List.of(g(convShape(v, v[1], cin, v[5], v[6]), ANY), g(convShape(v, cout, v[3], v[7], v[8]), ANY),
                    g(new int[] {cout}, ANY)), Arbitraries.just(v));
        }), (x, d) -> {
            int[][] a = convArgs(d.p());
            return jtorch.ops.Convolution.convolution(x[0], x[1], x[2], a[0], a[1], a[2], false, a[3], d.p()[2]);
        });
        // conv_transpose(x, w) + b, output padding below stride or dilation: its rule (conv, weight-gradient op with roles swapped).
        add("convolution_transposed", 3, convGeometries(true).flatMap(v -> {
            int g = v[2], cin = g * v[3], cout = g * v[4];
            return drawn(List.of(g(convShape(v, v[1], cin, v[5], v[6]), ANY), g(convShape(v, cin, v[4], v[7], v[8]), ANY),
                    g(new int[] {cout}, ANY)), Arbitraries.just(v));
        }), (x, d) -> {
            int[][] a = convArgs(d.p());
            return jtorch.ops.Convolution.convolution(x[0], x[1], x[2], a[0], a[1], a[2], true, a[3], d.p()[2]);
        });
        // The weight-gradient op as a function of image and output gradient: with the two rows above, the
        // composition of first-order rules that a second derivative of conv runs through.
        add("convolution_backward_weight", 2, convGeometries(false).flatMap(v -> {
            int g = v[2], cin = g * v[3], cout = g * v[4];
            int oh = v[0] == 1 ? 1 : convOut(v[5], v[7], v[9], v[10], v[11]), ow = convOut(v[6], v[8], v[9], v[10], v[11]);
            return drawn(List.of(g(convShape(v, v[1], cin, v[5], v[6]), ANY), g(convShape(v, v[1], cout, oh, ow), ANY)),
                    Arbitraries.just(v));
        }), (x, d) -> {
            int[] v = d.p();
            int[][] a = convArgs(v);
            return jtorch.ops.Convolution.convolutionBackwardWeight(x[0], x[1], convShape(v, v[2] * v[4], v[3], v[7], v[8]), a[0], a[1],
                    a[2], v[2]);
        });
    }

    // ------------------------------------------------------------------ LeNet (#10, lenet): one-pass activation backwards

    /** sigmoid_backward / tanh_backward as ops of (grad, output); their second order is the third of sigmoid / tanh. */
    private static void activationBackwardRows() {
        add("sigmoid_backward", 2, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY), g(s, ANY)), ints())),
                (x, d) -> jtorch.ops.Pointwise.sigmoidBackward(x[0], x[1]));
        add("tanh_backward", 2, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY), g(s, ANY)), ints())),
                (x, d) -> jtorch.ops.Pointwise.tanhBackward(x[0], x[1]));
    }

    // ------------------------------------------------------------------ issue 13: op path (ops added as rows of the op table)
    private static void opPathRows() {
        unary("sinh", ANY, Tensor::sinh);
        unary("cosh", ANY, Tensor::cosh);
        unary("log2", POSITIVE, Tensor::log2);
        unary("log10", POSITIVE, Tensor::log10);
        unary("exp2", ANY, Tensor::exp2);
        binary("xlogy", ANY, POSITIVE, Tensor::xlogy);
    }

    // ------------------------------------------------------------------ ops added for #11 (ops)

    private static void opsIssue11() {
        Arbitrary<Integer> masks = between(0, 15);
        double[] ords = {2, 1, 3, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5, 0, 1.5};
        // Domains per order: |x|^(p-1) needs x away from 0 for p < 1; sign(x) and max|x| need no ties or zeros.
        Domain[] ordDomains = {ANY, DISTINCT, ANY, DISTINCT, DISTINCT, NONZERO, ANY, NONZERO};
        for (int k = 0; k < ords.length; k++) {
            double ord = ords[k];
            Domain dom = ordDomains[k];
            Arbitrary<int[]> shapes = Double.isInfinite(ord) ? Props.nonEmptyShapes(0) : Props.shapes();
            add("norm_p" + ord, 1, shapes.flatMap(s -> drawn(List.of(g(s, dom)), ints(masks, masks, bit(), bit()))), (x, d) -> {
                int[] ds = d.p()[3] == 1 ? null : dims(x[0].dim(), d.p()[0], d.p()[1]);
                return ds == null ? x[0].norm(ord) : linalg.vectorNorm(x[0], ord, ds, d.p()[2] == 1);
            });
        }
        add("norm_fro_dim", 1, Props.shapes(1, 4, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length), bit()))),
                (x, d) -> x[0].norm("fro", new int[] {d.p()[0]}, d.p()[1] == 1));
        Object[] matrixOrds = {"fro", 1.0, -1.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Object ord : matrixOrds)
            add("matrix_norm_" + ord, 1, Props.shapes(2, 4, 1, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, DISTINCT)), ints(bit()))),
                    (x, d) -> ord instanceof String ? linalg.matrixNorm(x[0], (String) ord, new int[] {-2, -1}, d.p()[0] == 1)
                            : linalg.matrixNorm(x[0], (Double) ord, new int[] {-1, 0}, d.p()[0] == 1));
        add("amax", 1, Props.nonEmptyShapes(0).flatMap(s -> drawn(List.of(g(s, DISTINCT)), ints(masks, masks, bit()))),
                (x, d) -> x[0].amax(dims(x[0].dim(), d.p()[0], d.p()[1]), d.p()[2] == 1));
        add("amin", 1, Props.nonEmptyShapes(0).flatMap(s -> drawn(List.of(g(s, DISTINCT)), ints(masks, masks, bit()))),
                (x, d) -> x[0].amin(dims(x[0].dim(), d.p()[0], d.p()[1]), d.p()[2] == 1));
        add("tril", 1, Props.shapes(2, 4, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints(between(-3, 3)))),
                (x, d) -> x[0].tril(d.p()[0]));
        add("triu", 1, Props.shapes(2, 4, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints(between(-3, 3)))),
                (x, d) -> x[0].triu(d.p()[0]));
        add("diag", 1, Props.shapes(1, 2, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints(between(-3, 3)))),
                (x, d) -> x[0].diag(d.p()[0]));
        add("flip", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(between(1, 15)))),
                (x, d) -> x[0].flip(dims(x[0].dim(), d.p()[0], d.p()[0] >> 1)));
        add("roll", 1, Props.shapes(1, 4, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length), between(-5, 5)))),
                (x, d) -> x[0].roll(d.p()[1], d.p()[0]));
        add("roll_flattened", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(between(-5, 5)))), (x, d) -> x[0].roll(d.p()[0]));
        add("repeat", 1, Props.shapes(0, 3, 0, 3, 12).flatMap(s -> drawn(List.of(g(s, ANY)), ints(between(0, 1), between(0, 2), between(1, 3), between(1, 2)))),
                (x, d) -> {
                    long[] reps = new long[x[0].dim() + d.p()[0]];
                    for (int i = 0; i < reps.length; i++) reps[i] = i == 0 ? d.p()[1] : d.p()[2 + i % 2];
                    return x[0].repeat(reps);
                });
        add("tile", 1, Props.shapes(1, 3, 0, 3, 12).flatMap(s -> drawn(List.of(g(s, ANY)), ints(between(1, 3)))), (x, d) -> x[0].tile(d.p()[0]));
        add("outer", 2, Combinators.combine(Props.dimSizes(0, 4), Props.dimSizes(0, 4)).flatAs((n, m) ->
                drawn(List.of(g(new int[] {n}, ANY), g(new int[] {m}, ANY)), ints())), (x, d) -> x[0].outer(x[1]));
        add("masked_fill", 1, Props.broadcastShapes(2).flatMap(ss -> drawn(List.of(g(ss[1], ANY), aux(Kind.MASK, ss[0], 0)), ints())),
                (x, d) -> x[0].maskedFill(x[1], -0.5));
        add("masked_fill_tensor_value", 2, Props.broadcastShapes(2).flatMap(ss ->
                        drawn(List.of(g(ss[1], ANY), aux(Kind.MASK, ss[0], 0), g(new int[0], ANY)), ints())),
                (x, d) -> x[0].maskedFill(x[1], x[2]));
        add("masked_fill_", 2, Props.shapes().flatMap(s -> Props.broadcastableTo(s).flatMap(m ->
                        drawn(List.of(g(s, ANY), aux(Kind.MASK, m, 0), g(new int[0], ANY)), ints()))),
                (x, d) -> {
                    Tensor y = x[0].mul(1.5);
                    assertTrue(y.maskedFill_(x[1], x[2]) == y);
                    return y;
                });
        Arbitrary<Drawn> alongDim = Props.shapes().flatMap(s -> drawn(List.of(g(s, DISTINCT)), ints(dimOf(s.length), bit())));
        add("sort_values", 1, alongDim, (x, d) -> x[0].sort(d.p()[0], d.p()[1] == 1).values());
        add("topk_values", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, DISTINCT)), ints(dimOf(s.length), bit(), between(0, 4)))),
                (x, d) -> {
                    long size = x[0].dim() == 0 ? 1 : x[0].size(d.p()[0]);
                    return x[0].topk(Math.min(d.p()[2], size), d.p()[0], d.p()[1] == 1, true).values();
                });
        add("cumsum", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length)))), (x, d) -> x[0].cumsum(d.p()[0]));
        add("cumprod", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, NONZERO)), ints(dimOf(s.length)))), (x, d) -> x[0].cumprod(d.p()[0]));
        // A zero in the input takes cumprod's division-free backward.
        add("cumprod_with_zero", 1, Props.nonEmptyShapes(1).flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length)))), (x, d) -> {
            Tensor firstZero = Torch.ones(Props.longs(Props.shapeOf(x[0])), DType.FLOAT64);
            firstZero.view(-1).index(0).fill_(0.0);
            return x[0].mul(firstZero).cumprod(d.p()[0]);
        });
        add("einsum", VARIADIC, Combinators.combine(between(0, 7), Props.dimSizes(1, 3), Props.dimSizes(0, 3), Props.dimSizes(1, 3)).flatAs((e, i, j, k) -> {
            int[][][] shapes = {
                    {{i, j}, {j, k}}, {{i, j}, {j, k}}, {{k, i, j}, {k, j, i}}, {{i, i}}, {{2, i, j}, {j, k}},
                    {{i}, {j}}, {{i, j}, {j, k}, {k, i}}, {{k, i, j}, {j}}};
            List<Arbitrary<Spec>> specs = new ArrayList<>();
            for (int[] sh : shapes[e]) specs.add(g(sh, ANY));
            return drawn(specs, ints(Arbitraries.just(e)));
        }), (x, d) -> {
            String[] eqs = {"ij,jk->ik", "ij,jk", "bij,bji->bi", "ii->i", "...ij,jk->...ik", "i,j->ij", "ij,jk,ki->", "bij,j->ib"};
            return Torch.einsum(eqs[d.p()[0]], x);
        });
        add("lerp_scalar", 2, Props.broadcastShapes(2).flatMap(ss -> drawn(List.of(g(ss[0], ANY), g(ss[1], ANY)), ints())),
                (x, d) -> x[0].lerp(x[1], 0.3));
        add("lerp_scalar_high", 2, Props.broadcastShapes(2).flatMap(ss -> drawn(List.of(g(ss[0], ANY), g(ss[1], ANY)), ints())),
                (x, d) -> x[0].lerp(x[1], 0.7));
        ternary("lerp_tensor", ANY, ANY, ANY, Tensor::lerp);
        binary("atan2", ANY, NONZERO, Tensor::atan2);
        unary("nan_to_num", ANY, Tensor::nanToNum);
        unary("hardtanh", DISTINCT, t -> jtorch.ops.PointwiseExtra.hardtanh(t, -0.55, 0.45));
        unary("softplus", ANY, t -> jtorch.ops.PointwiseExtra.softplus(t, 1, 20));
        unary("softplus_beta", ANY, t -> jtorch.ops.PointwiseExtra.softplus(t, 2, 5));
        unary("silu", ANY, jtorch.ops.PointwiseExtra::silu);
        unary("mish", ANY, jtorch.ops.PointwiseExtra::mish);
        add("trace", 1, Props.shapes(2, 2, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints())), (x, d) -> x[0].trace());
        unary("floor", ANY, Tensor::floor);
        unary("frac", ANY, Tensor::frac);
        binary("remainder", ANY, NONZERO, Tensor::remainder);
        binary("fmod", ANY, NONZERO, Tensor::fmod);
        add("movedim", 1, Props.shapes().flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length), dimOf(s.length)))),
                (x, d) -> x[0].movedim(d.p()[0], d.p()[1]));
        add("view_as", 1, Props.shapes().flatMap(s -> drawn(List.of(gContiguous(s, ANY)), ints(between(0, 10_000)))),
                (x, d) -> x[0].viewAs(Torch.zeros(regroup(Props.shapeOf(x[0]), d.p()[0], false))));
        add("flatten_start", 1, Props.shapes(1, 4, 0, 4, Props.MAX_NUMEL).flatMap(s -> drawn(List.of(g(s, ANY)), ints(dimOf(s.length)))),
                (x, d) -> x[0].flatten(d.p()[0]));
    }

    // ------------------------------------------------------------------ fused RNN cells (issue #12: RnnCells.lstmCell / gruCell)

    /** A cell operand's shape: {@code (N, chunks * H)}, or {@code (chunks * H)} unbatched; v = {N, H, unbatched}. */
    private static int[] cellShape(int[] v, int chunks) { return v[2] == 1 ? new int[] {chunks * v[1]} : new int[] {v[0], chunks * v[1]}; }

    private static void rnnCells() {
        Arbitrary<int[]> nhu = ints(Props.dimSizes(0, 3), Props.dimSizes(1, 3), bit());
        add("lstm_cell", 2, nhu.flatMap(v -> drawn(List.of(g(cellShape(v, 4), ANY), g(cellShape(v, 1), ANY)), ints())),
                (x, d) -> jtorch.ops.RnnCells.lstmCell(x[0], x[1]));
        add("lstm_cell_two_gates", 3, nhu.flatMap(v -> drawn(List.of(g(cellShape(v, 4), ANY), g(cellShape(v, 4), ANY), g(cellShape(v, 1), ANY)),
                ints())), (x, d) -> jtorch.ops.RnnCells.lstmCell(x[0], x[1], x[2]));
        add("gru_cell", 3, nhu.flatMap(v -> drawn(List.of(g(cellShape(v, 3), ANY), g(cellShape(v, 3), ANY), g(cellShape(v, 1), ANY)),
                ints())), (x, d) -> jtorch.ops.RnnCells.gruCell(x[0], x[1], x[2]));
        // the whole-sequence LSTM layer (RnnCells.lstmLayer): v = {T, N, H, reverse}
        Arbitrary<int[]> tnhr = ints(Props.dimSizes(1, 3), Props.dimSizes(1, 3), Props.dimSizes(1, 3), bit());
        add("lstm_layer", 4, tnhr.flatMap(v -> drawn(List.of(g(new int[] {v[0], v[1], 4 * v[2]}, ANY), g(new int[] {v[1], v[2]}, ANY),
                g(new int[] {v[1], v[2]}, ANY), g(new int[] {4 * v[2], v[2]}, ANY)), ints(Arbitraries.just(v[3])))),
                (x, d) -> jtorch.ops.RnnCells.lstmLayer(x[0], x[1], x[2], x[3], d.p()[0] == 1));
    }
}
