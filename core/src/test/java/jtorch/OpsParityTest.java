package jtorch;

import static jtorch.PyTorchParityTest.A;
import static jtorch.PyTorchParityTest.E;
import static jtorch.PyTorchParityTest.R;
import static jtorch.PyTorchParityTest.S;
import static jtorch.PyTorchParityTest.V;
import static jtorch.PyTorchParityTest.b;
import static jtorch.PyTorchParityTest.f;
import static jtorch.PyTorchParityTest.l;
import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;

import jtorch.PyTorchParityTest.Fixtures;
import jtorch.autograd.Autograd;
import jtorch.ops.PointwiseExtra;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The ops added for issue #11 against PyTorch 1.13: each case of {@code ops_fixtures.txt} (written
 * by {@code tools/gen_ops_fixtures.py}, in core_fixtures.txt's format) is evaluated here under the
 * same name and compared with {@link Fixtures#checkTensor} (dtype, shape, values within the
 * recorded tolerance, repr, and geometry of views); errors must carry PyTorch's message.
 */
class OpsParityTest {
    private static final double INF = Double.POSITIVE_INFINITY, NAN = Double.NaN;

    private static Map<String, String[]> records;

    static synchronized Map<String, String[]> records() {
        if (records == null) records = Fixtures.read("ops_fixtures.txt"); // tools/gen_ops_fixtures.py
        return records;
    }

    static String[] get(String name) {
        String[] f = records().get(name);
        assertNotNull(f, "no fixture named " + name);
        return f;
    }

    static void verify(String name, Callable<Object> expr) throws Exception {
        String[] f = get(name);
        if (f[0].equals("error")) {
            RuntimeException e = assertThrows(RuntimeException.class, expr::call, name + ": PyTorch raises " + f[2] + ": " + f[3]);
            Fixtures.assertSaneException(e);
            assertEquals(Fixtures.unescape(f[3]), e.getMessage(), name + ": message");
            return;
        }
        Object r = expr.call();
        if (r instanceof Tensor.ValuesIndices && f[0].equals("list")) r = List.of(((Tensor.ValuesIndices) r).values(), ((Tensor.ValuesIndices) r).indices());
        switch (f[0]) {
            case "tensor":
                assertInstanceOf(Tensor.class, r, name);
                Fixtures.checkTensor(f, (Tensor) r);
                break;
            case "list": {
                List<?> list = (List<?>) r;
                assertEquals(Integer.parseInt(f[2]), list.size(), name + ": number of tensors");
                for (int i = 0; i < list.size(); i++) Fixtures.checkTensor(get(name + "[" + i + "]"), (Tensor) list.get(i));
                break;
            }
            case "text":
                assertEquals(Fixtures.unescape(f[2]), String.valueOf(r), name);
                break;
            default:
                fail(name + ": unexpected record " + f[0]);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Inputs shared with the generator.

    static Tensor P() { return tensor(new float[][] {{0.5f, -1.25f, 2.0f, 3.5f}, {-0.75f, 4.0f, 1.5f, -2.5f}, {2.25f, 0.25f, -3.0f, 1.0f}}); }

    static Tensor T() {
        float n = Float.NaN, i = Float.POSITIVE_INFINITY;
        return tensor(new float[][] {{3, 1, 3, n, -1, 1}, {2, 2, -i, 0, i, 2}});
    }

    static Tensor X() {
        float i = Float.POSITIVE_INFINITY;
        return f(-30, -3, -1, -0.5f, 0, 0.25f, 1, 2.5f, 15, 25, i, -i, Float.NaN);
    }

    static Tensor gradOf(Function<Tensor, Tensor> fn, Tensor x) {
        Tensor v = x.clone().requiresGrad_();
        return Autograd.grad(fn.apply(v), v)[0];
    }

    static Tensor inplace(Tensor t, Function<Tensor, Tensor> fn) {
        assertSame(t, fn.apply(t));
        return t;
    }

    static Tensor draw(long seed, Function<Generator, Tensor> fn) { return fn.apply(new Generator(seed)); }

    private static final Map<String, Callable<Object>> CASES = new LinkedHashMap<>();

    private static void put(String name, Callable<Object> expr) {
        if (CASES.put(name, expr) != null) throw new IllegalStateException("duplicate case " + name);
    }

    static {
        norms();
        shapesAndMoves();
        masked();
        sorting();
        cumulative();
        einsumCases();
        pointwise();
        more();
        reductionsMore();
        multinomialCases();
        errors();
    }

    private static void norms() {
        put("ops.norm", () -> R().norm());
        put("ops.norm_1", () -> R().norm(1));
        put("ops.norm_inf", () -> R().norm(INF));
        put("ops.norm_neg_inf", () -> R().norm(-INF));
        put("ops.norm_0", () -> f(0, 2, -0.0f, 3).norm(0));
        put("ops.norm_3", () -> R().norm(3));
        put("ops.norm_half", () -> R().norm(0.5));
        put("ops.norm_dim", () -> R().norm(2, 1));
        put("ops.norm_dim_keepdim", () -> R().norm(2, 0, true));
        put("ops.norm_dims", () -> A().norm(1, new int[] {0, 2}, false));
        put("ops.norm_fro", () -> R().norm("fro"));
        put("ops.norm_double", () -> R().to(float64).norm());
        put("ops.norm_empty_inf", () -> zeros(0).norm(INF));
        put("ops.norm_0d", () -> tensor(-3.0).norm());
        put("ops.vector_norm", () -> linalg.vectorNorm(R()));
        put("ops.vector_norm_inf_dim", () -> linalg.vectorNorm(R(), INF, new int[] {1}, false));
        put("ops.vector_norm_p3_keepdim", () -> linalg.vectorNorm(A(), 3, new int[] {1}, true));
        put("ops.matrix_norm", () -> linalg.matrixNorm(R()));
        put("ops.matrix_norm_1", () -> linalg.matrixNorm(R(), 1));
        put("ops.matrix_norm_neg1", () -> linalg.matrixNorm(R(), -1));
        put("ops.matrix_norm_inf", () -> linalg.matrixNorm(R(), INF));
        put("ops.matrix_norm_neg_inf_batched", () -> linalg.matrixNorm(A(), -INF));
        put("ops.matrix_norm_dims_keepdim", () -> linalg.matrixNorm(A(), 1, new int[] {0, 2}, true));
        put("ops.amax", () -> A().amax(1));
        put("ops.amin_dims_keepdim", () -> A().amin(new int[] {0, 2}, true));
        put("ops.grad.norm", () -> gradOf(x -> x.norm(), R()));
        put("ops.grad.norm_inf_ties", () -> gradOf(x -> x.norm(INF), f(1, -3, 3, 2)));
        put("ops.grad.norm_1_dim", () -> gradOf(x -> x.norm(1, 1).sum(), R()));
        put("ops.grad.norm_3", () -> gradOf(x -> x.norm(3), R()));
        put("ops.grad.norm_zero", () -> gradOf(x -> x.norm(), zeros(3)));
        put("ops.grad.matrix_norm_1", () -> gradOf(x -> linalg.matrixNorm(x, 1), R()));
        put("ops.repr.norm", () -> "'" + R().requiresGrad_().norm().gradFn().name() + "'");
        put("ops.repr.vector_norm", () -> "'" + linalg.vectorNorm(R().requiresGrad_()).gradFn().name() + "'");
    }

    private static Tensor M(int rows, int cols) { return PyTorchParityTest.M().index(slice(0, rows), slice(0, cols)); }

    private static void shapesAndMoves() {
        put("ops.tril", () -> M(4, 5).tril());
        put("ops.tril_pos", () -> M(4, 5).tril(1));
        put("ops.tril_neg", () -> M(4, 5).tril(-2));
        put("ops.triu", () -> M(4, 5).triu());
        put("ops.triu_pos", () -> M(4, 5).triu(2));
        put("ops.triu_neg_batched", () -> A().triu(-1));
        put("ops.tril_long", () -> ones(new long[] {3, 3}, int64).tril());
        put("ops.tril_bool_causal", () -> ones(4, 4).tril().eq(0.0));
        put("ops.tril_transposed", () -> M(3, 3).t().tril());
        put("ops.diag_1d", () -> V().diag());
        put("ops.diag_1d_pos", () -> V().diag(1));
        put("ops.diag_1d_neg", () -> V().diag(-2));
        put("ops.diag_2d", () -> M(3, 5).diag());
        put("ops.diag_2d_pos", () -> M(3, 5).diag(2));
        put("ops.diag_2d_neg", () -> M(4, 3).diag(-1));
        put("ops.diag_2d_past_the_end", () -> M(2, 2).diag(2));
        put("ops.diag_transposed", () -> M(3, 4).t().diag(1));
        put("ops.flip", () -> A().flip(0));
        put("ops.flip_two", () -> A().flip(0, -1));
        put("ops.flip_bool", () -> b(true, false, false).flip(0));
        put("ops.roll", () -> arange(10L).roll(3));
        put("ops.roll_flat_2d", () -> M(2, 3).roll(-1));
        put("ops.roll_dim", () -> A().roll(1, 2));
        put("ops.roll_dims", () -> A().roll(new long[] {1, -4}, new int[] {1, 0}));
        put("ops.roll_big_shift", () -> PyTorchParityTest.M().index(slice(0, 2)).roll(19, 1));
        put("ops.repeat", () -> R().index(slice(0, 2), slice(0, 2)).repeat(2, 3));
        put("ops.repeat_new_dims", () -> V().repeat(2, 1, 2));
        put("ops.repeat_zero", () -> V().repeat(0, 2));
        put("ops.repeat_0d", () -> tensor(1.5).repeat(3));
        put("ops.tile", () -> R().index(slice(0, 2), slice(0, 2)).tile(2));
        put("ops.tile_more", () -> V().tile(2, 2));
        put("ops.outer", () -> outer(V(), f(1, -2, 0.5f)));
        put("ops.outer_long", () -> outer(l(1, 2), l(3, 4, 5)));
        put("ops.view_as", () -> PyTorchParityTest.M().viewAs(zeros(4, 12)));
        put("ops.flatten_start", () -> A().flatten(1));
        put("ops.movedim", () -> A().movedim(0, 2));
        put("ops.new_zeros", () -> ones(new long[] {2}, float64).newZeros(2, 3));
        put("ops.new_ones", () -> ones(new long[] {2}, int64).newOnes(3));
        put("ops.new_full", () -> ones(2).newFull(new long[] {2, 2}, 2.5));
        put("ops.new_tensor", () -> ones(new long[] {2}, float64).newTensor(new float[] {1, 2}));
        put("ops.new_empty_shape", () -> ones(2).newEmpty(0, 3));
    }

    private static void masked() {
        put("ops.masked_fill", () -> R().maskedFill(R().gt(0.0), -1.0));
        put("ops.masked_fill_broadcast_mask", () -> R().maskedFill(b(true, false, true, false), 9.0));
        put("ops.masked_fill_broadcast_self", () -> V().maskedFill(tensor(new boolean[][] {{true}, {false}}), 0.5));
        put("ops.masked_fill_tensor_value", () -> R().maskedFill(R().lt(0.0), tensor(7.0)));
        put("ops.masked_fill_double_value", () -> R().maskedFill(R().lt(0.0), tensor(0.1, float64)));
        put("ops.masked_fill_long", () -> arange(5L).maskedFill(arange(5L).gt(2.0), 2.7));
        put("ops.masked_fill_neg_inf", () -> zeros(3, 3).maskedFill(ones(3, 3).tril().eq(0.0), -INF).softmax(-1));
        put("ops.masked_fill_", () -> inplace(R(), t -> t.maskedFill_(R().gt(1.0), 0.0)));
        put("ops.masked_fill_tensor_", () -> inplace(R(), t -> t.maskedFill_(b(true, false, true, false), tensor(-2.0))));
        put("ops.grad.masked_fill", () -> gradOf(x -> x.maskedFill(x.gt(0.0), 2.0).mul(x).sum(), R()));
        put("ops.grad.masked_fill_value", () -> gradOf(v -> R().maskedFill(R().gt(0.0), v).mul(R()).sum(), tensor(1.0)));
    }

    private static void sorting() {
        put("ops.sort", () -> P().sort());
        put("ops.sort_dim0_desc", () -> P().sort(0, true));
        put("ops.sort_ties_stable", () -> T().sort(-1, false, true));
        put("ops.sort_ties_desc_stable", () -> T().sort(-1, true, true));
        put("ops.sort_ties_default", () -> T().sort());
        put("ops.sort_long", () -> l(5, -2, 7, 5, 0).sort(-1, true));
        put("ops.sort_bool", () -> b(true, false, true, false).sort());
        put("ops.sort_0d", () -> tensor(2.5).sort());
        put("ops.sort_empty", () -> zeros(2, 0).sort());
        put("ops.sort_transposed", () -> P().t().sort(1));
        put("ops.sort_signed_zeros", () -> f(0, -0.0f, 0, -1, -0.0f).sort(-1, false, true));
        put("ops.sort_double_desc_stable", () -> tensor(new double[] {0.5, -0.0, NAN, 0.5, 0.0, -INF}).sort(-1, true, true));
        put("ops.topk_nan", () -> f(1, Float.NaN, 3, (float) -INF).topk(2));
        put("ops.topk_smallest_inf", () -> f(1, (float) -INF, 3, -2).topk(2, -1, false, true));
        put("ops.argsort", () -> P().argsort());
        put("ops.argsort_desc", () -> P().argsort(0, true));
        put("ops.topk", () -> P().topk(2));
        put("ops.topk_dim0_smallest", () -> P().topk(2, 0, false, true));
        put("ops.topk_all", () -> V().topk(4));
        put("ops.topk_zero", () -> V().topk(0));
        put("ops.topk_long", () -> l(4, 9, -1, 3).topk(3));
        put("ops.repr.sort", () -> P().index(0).sort());
        put("ops.repr.topk", () -> P().index(0).topk(2));
        put("ops.grad.sort", () -> gradOf(x -> x.sort(1).values().mul(arange(4.0)).sum(), P()));
        put("ops.grad.topk", () -> gradOf(x -> x.topk(2, 0).values().mul(tensor(new float[][] {{1}, {-2}})).sum(), P()));
    }

    private static void cumulative() {
        put("ops.cumsum", () -> R().cumsum(1));
        put("ops.cumsum_dim0", () -> A().cumsum(0));
        put("ops.cumsum_neg_dim", () -> A().cumsum(-1));
        put("ops.cumsum_long", () -> l(1, 2, 3).cumsum(0));
        put("ops.cumsum_bool", () -> b(true, false, true).cumsum(0));
        put("ops.cumsum_dtype", () -> l(1, 2, 3).cumsum(0, float32));
        put("ops.cumsum_float_rounding", () -> full(new long[] {1000}, 0.1).cumsum(0));
        put("ops.cumsum_0d", () -> tensor(2.0).cumsum(0));
        put("ops.cumsum_empty", () -> zeros(0, 3).cumsum(0));
        put("ops.cumprod", () -> R().cumprod(1));
        put("ops.cumprod_long", () -> l(1, -2, 3, 4).cumprod(0));
        put("ops.cumprod_dtype", () -> R().cumprod(0, float64));
        put("ops.grad.cumsum", () -> gradOf(x -> x.cumsum(1).mul(R()).sum(), R()));
        put("ops.grad.cumprod", () -> gradOf(x -> x.cumprod(1).mul(R()).sum(), R()));
        put("ops.grad.cumprod_zero", () -> gradOf(x -> x.cumprod(0).mul(f(1, 2, -1, 0.5f)).sum(), f(2, 0, 3, -1.5f)));
        put("ops.grad.cumprod_two_zeros", () -> gradOf(x -> x.cumprod(0).mul(f(1, 2, -1, 0.5f)).sum(), f(2, 0, 3, 0)));
    }

    private static void einsumCases() {
        put("ops.einsum_matmul", () -> einsum("ij,jk->ik", R(), P().t()));
        put("ops.einsum_implicit", () -> einsum("ij,jk", R(), P().t()));
        put("ops.einsum_implicit_sorted", () -> einsum("ba", R()));
        put("ops.einsum_transpose", () -> einsum("ij->ji", R()));
        put("ops.einsum_sum", () -> einsum("ij->", R()));
        put("ops.einsum_row_sum", () -> einsum("ij->i", R()));
        put("ops.einsum_trace", () -> einsum("ii", M(4, 4)));
        put("ops.einsum_diag", () -> einsum("ii->i", M(4, 4)));
        put("ops.einsum_batched", () -> einsum("bij,bjk->bik", A(), A().transpose(1, 2)));
        put("ops.einsum_ellipsis", () -> einsum("...ij,...jk->...ik", A(), R().t()));
        put("ops.einsum_ellipsis_implicit", () -> einsum("...ij,jk", A(), R().t()));
        put("ops.einsum_outer", () -> einsum("i,j->ij", V(), f(1, 2)));
        put("ops.einsum_dot", () -> einsum("i,i->", V(), V()));
        put("ops.einsum_hadamard", () -> einsum("ij,ij->ij", R(), R()));
        put("ops.einsum_three", () -> einsum("ij,jk,kl->il", R(), P().t(), R()));
        put("ops.einsum_bilinear", () -> einsum("bn,anm,bm->ba", R().index(slice(0, 2)),
                A().index(slice(), slice(0, 3), slice(0, 4)).transpose(1, 2), R().index(slice(0, 2), slice(0, 3))));
        put("ops.einsum_broadcast_ellipsis", () -> einsum("...i,...i->...", A(), V()));
        put("ops.einsum_long", () -> einsum("ij,j->i", arange(6L).reshape(2, 3), l(1, -1, 2)));
        put("ops.einsum_spaces", () -> einsum("i j , j k -> i k", R(), P().t()));
        put("ops.grad.einsum", () -> gradOf(x -> einsum("ij,jk->ik", x, P().t()).mul(arange(9.0).reshape(3, 3)).sum(), R()));
        put("ops.grad.einsum_trace", () -> gradOf(x -> einsum("ii", x), M(3, 3)));
    }

    private static void pointwise() {
        put("ops.nan_to_num", () -> S().nanToNum());
        put("ops.nan_to_num_args", () -> S().nanToNum(1.5, 9.0, -9.0));
        put("ops.nan_to_num_double", () -> S().to(float64).nanToNum());
        put("ops.nan_to_num_long", () -> l(1, 2).nanToNum());
        put("ops.lerp", () -> R().lerp(P(), 0.3));
        put("ops.lerp_high_weight", () -> R().lerp(P(), 0.8));
        put("ops.lerp_tensor_weight", () -> R().lerp(P(), f(0, 0.25f, 0.5f, 1)));
        put("ops.lerp_broadcast", () -> V().lerp(tensor(new float[][] {{1}, {2}}), 0.5));
        put("ops.atan2", () -> atan2(R(), P()));
        put("ops.atan2_special", () -> atan2(f(0, -0.0f, 1, -1, (float) INF, Float.NaN), f(-0.0f, -1, 0, (float) INF, (float) INF, 1)));
        put("ops.atan2_long", () -> atan2(l(1, -1), l(2, 2)));
        put("ops.atan2_broadcast", () -> atan2(V(), tensor(new float[][] {{1}, {-2}})));
        put("ops.hardtanh", () -> PointwiseExtra.hardtanh(E(), -1, 1));
        put("ops.hardtanh_args", () -> PointwiseExtra.hardtanh(E(), -0.5, 2.0));
        put("ops.hardtanh_long", () -> PointwiseExtra.hardtanh(l(-3, 0, 5), -1, 1));
        put("ops.softplus", () -> PointwiseExtra.softplus(X(), 1, 20));
        put("ops.softplus_beta", () -> PointwiseExtra.softplus(X(), 2, 5));
        put("ops.softplus_double", () -> PointwiseExtra.softplus(X().to(float64), 1, 20));
        put("ops.silu", () -> PointwiseExtra.silu(X()));
        put("ops.silu_double", () -> PointwiseExtra.silu(X().to(float64)));
        put("ops.mish", () -> PointwiseExtra.mish(X()));
        put("ops.mish_double", () -> PointwiseExtra.mish(X().to(float64)));
        Tensor x10 = X().index(slice(0, 10));
        put("ops.grad.softplus", () -> gradOf(t -> PointwiseExtra.softplus(t, 2, 3).sum(), x10));
        put("ops.grad.silu", () -> gradOf(t -> PointwiseExtra.silu(t).sum(), x10));
        put("ops.grad.mish", () -> gradOf(t -> PointwiseExtra.mish(t).sum(), x10));
        put("ops.grad.hardtanh", () -> gradOf(t -> PointwiseExtra.hardtanh(t, -1, 1).sum(), E()));
        put("ops.grad.atan2", () -> gradOf(t -> atan2(t, P()).sum(), R()));
        put("ops.grad.lerp_weight", () -> gradOf(w -> R().lerp(P(), w).sum(), f(0, 0.25f, 0.5f, 1)));
        put("ops.grad.nan_to_num", () -> gradOf(t -> t.nanToNum().sum(), S()));
    }

    private static void more() {
        put("ops.isnan", () -> S().isnan());
        put("ops.isinf", () -> S().isinf());
        put("ops.isfinite", () -> S().isfinite());
        put("ops.isfinite_long", () -> l(1, 2).isfinite());
        put("ops.floor", () -> E().floor());
        put("ops.ceil", () -> E().ceil());
        put("ops.round", () -> f(-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 0.49f, -0.51f).round());
        put("ops.trunc", () -> R().mul(3).trunc());
        put("ops.frac", () -> R().mul(3).frac());
        put("ops.floor_special", () -> S().floor());
        put("ops.floor_long", () -> l(3, -2).floor());
        put("ops.remainder", () -> f(5, -5, 5, -5, 0, 7.5f).remainder(f(3, 3, -3, -3, 2, 2)));
        put("ops.remainder_scalar", () -> R().remainder(1.5));
        put("ops.remainder_long", () -> l(5, -5, 5, -5).remainder(l(3, 3, -3, -3)));
        put("ops.remainder_long_scalar", () -> l(5, -7).remainder(3L));
        put("ops.fmod", () -> f(5, -5, 5, -5, 0, 7.5f).fmod(f(3, 3, -3, -3, 2, 2)));
        put("ops.fmod_long", () -> l(5, -5, 5, -5).fmod(l(3, 3, -3, -3)));
        put("ops.fmod_scalar_double", () -> R().to(float64).fmod(0.7));
        put("ops.logical_and", () -> f(1, 0, 2, 0).logicalAnd(b(true, true, false, false)));
        put("ops.logical_or", () -> l(1, 0, 2, 0).logicalOr(l(0, 0, 3, 1)));
        put("ops.logical_xor", () -> b(true, false, true).logicalXor(tensor(new boolean[][] {{true}, {false}})));
        put("ops.any", () -> f(0, 0, 1).any());
        put("ops.all", () -> l(1, 2, 0).all());
        put("ops.any_dim", () -> R().gt(2.0).any(1));
        put("ops.all_dim_keepdim", () -> R().gt(-2.0).all(0, true));
        put("ops.any_empty", () -> zeros(0).any());
        put("ops.all_empty", () -> zeros(0).all());
        put("ops.meshgrid_ij", () -> meshgrid(List.of(arange(3.0), f(1.5f, 2.5f)), "ij"));
        put("ops.err.meshgrid_dtypes", () -> meshgrid(List.of(arange(3L), f(1.5f, 2.5f)), "ij"));
        put("ops.meshgrid_xy", () -> meshgrid(List.of(arange(3L), arange(2L), arange(2L)), "xy"));
        put("ops.where_scalar_first", () -> where(R().gt(0.0), 1.0, R()));
        put("ops.where_scalars", () -> where(R().gt(0.0), 1.0, -1.0));
        put("ops.grad.remainder", () -> gradOf(d -> f(5, -5, 7.5f).remainder(d).sum(), f(3, 3, -2)));
        put("ops.grad.fmod", () -> gradOf(d -> f(5, -5, 7.5f).fmod(d).sum(), f(3, 3, -2)));
        put("ops.grad.frac", () -> gradOf(t -> t.frac().sum().add(t.floor().sum()), R()));
        put("ops.err.remainder_zero", () -> l(1, 2).remainder(l(1, 0)));
        put("ops.err.frac_long", () -> l(1, 2).frac());
    }

    private static void reductionsMore() {
        put("ops.trace", () -> M(3, 4).trace());
        put("ops.trace_long", () -> arange(9L).reshape(3, 3).trace());
        put("ops.var_mean", () -> R().varMean(new int[] {1}, 1, false));
        put("ops.std_mean_all", () -> R().stdMean(null, 1, false));
        put("ops.std_mean_correction_keepdim", () -> A().stdMean(new int[] {0, 2}, 0, true));
        put("ops.grad.trace", () -> gradOf(t -> t.trace(), R()));
        put("ops.err.trace_1d", () -> ones(3).trace());
    }

    private static void multinomialCases() {
        Tensor p = f(0.1f, 0.2f, 0.3f, 0.4f);
        Tensor p2 = tensor(new float[][] {{0.5f, 0, 2, 1, 0.25f}, {1, 1, 1, 1, 1}, {0, 0, 3, 0, 0.1f}});
        put("ops.multinomial_one", () -> draw(0, g -> multinomial(p, 1, false, g)));
        put("ops.multinomial_no_replacement", () -> draw(0, g -> multinomial(p, 4, false, g)));
        put("ops.multinomial_2d", () -> draw(7, g -> multinomial(p2, 2, false, g)));
        put("ops.multinomial_replacement", () -> draw(3, g -> multinomial(p, 20, true, g)));
        put("ops.multinomial_replacement_2d", () -> draw(11, g -> multinomial(p2, 10, true, g)));
        put("ops.multinomial_double", () -> draw(5, g -> multinomial(p2.to(float64), 2, false, g)));
        put("ops.multinomial_double_replacement", () -> draw(5, g -> multinomial(p2.to(float64), 8, true, g)));
        put("ops.multinomial_many", () -> draw(42, g -> multinomial(arange(1.0, 101.0), 50, false, g)));
        put("ops.multinomial_many_replacement", () -> draw(42, g -> multinomial(arange(1.0, 101.0).reshape(4, 25), 200, true, g)));
        put("ops.multinomial_unnormalised", () -> draw(1, g -> multinomial(f(3, 1, 6), 2, false, g)));
        put("ops.multinomial_default_generator", () -> {
            manualSeed(123);
            Tensor a = multinomial(p, 3);
            return cat(a, multinomial(p, 5, true));
        });
    }

    private static void errors() {
        put("ops.err.norm_long", () -> ones(new long[] {3}, int64).norm());
        put("ops.err.vector_norm_long", () -> linalg.vectorNorm(ones(new long[] {3}, int64)));
        put("ops.err.matrix_norm_1d", () -> linalg.matrixNorm(ones(3)));
        put("ops.err.tril_1d", () -> ones(3).tril());
        put("ops.err.diag_3d", () -> ones(2, 2, 2).diag());
        put("ops.err.topk_k", () -> ones(2).topk(3));
        put("ops.err.topk_bool", () -> b(true, false).topk(1));
        put("ops.err.outer_2d", () -> ones(2, 2).outer(ones(2)));
        put("ops.err.repeat_dims", () -> ones(2, 3).repeat(2));
        put("ops.err.roll_align", () -> ones(2).roll(new long[] {1, 2}, new int[] {0}));
        put("ops.err.flip_repeat", () -> ones(2).flip(0, 0));
        put("ops.err.flip_dim", () -> ones(2).flip(1));
        put("ops.err.lerp_long", () -> ones(new long[] {2}, int64).lerp(ones(new long[] {2}, int64), 0.5));
        put("ops.err.lerp_dtype", () -> ones(2).lerp(ones(new long[] {2}, float64), 0.5));
        put("ops.err.softplus_long", () -> PointwiseExtra.softplus(ones(new long[] {2}, int64), 1, 20));
        put("ops.err.silu_long", () -> PointwiseExtra.silu(ones(new long[] {2}, int64)));
        put("ops.err.mish_long", () -> PointwiseExtra.mish(ones(new long[] {2}, int64)));
        put("ops.err.hardtanh_bool", () -> PointwiseExtra.hardtanh(ones(new long[] {2}, bool), -1, 1));
        put("ops.err.masked_fill_value_dim", () -> ones(2).maskedFill(ones(2).gt(0.0), ones(2)));
        put("ops.err.masked_fill_inplace_shape", () -> ones(2).maskedFill_(ones(3, 2).gt(0.0), 1.0));
        put("ops.err.cumsum_bool_dtype", () -> ones(2, 3).cumsum(0, bool));
        put("ops.err.cumsum_dim", () -> ones(2, 3).cumsum(2));
        put("ops.err.sort_dim", () -> ones(2, 3).sort(3));
        put("ops.err.multinomial_long", () -> multinomial(ones(new long[] {3}, int64), 1));
        put("ops.err.multinomial_3d", () -> multinomial(ones(1, 1, 3), 1));
        put("ops.err.multinomial_too_many", () -> multinomial(ones(3), 4));
        put("ops.err.multinomial_zero_samples", () -> multinomial(ones(3), 0));
        put("ops.err.multinomial_negative", () -> multinomial(f(1, -1), 1));
        put("ops.err.multinomial_zero_sum", () -> multinomial(zeros(3), 2));
        put("ops.err.multinomial_replacement_negative", () -> multinomial(f(1, -1), 3, true));
        put("ops.err.multinomial_replacement_zero_sum", () -> multinomial(zeros(3), 3, true));
        put("ops.err.einsum_operands", () -> einsum("ij,jk", ones(2, 2)));
        put("ops.err.einsum_too_many", () -> einsum("ij", ones(2, 2), ones(2, 2)));
        put("ops.err.einsum_dims", () -> einsum("ijk", ones(2, 2)));
        put("ops.err.einsum_output_label", () -> einsum("ij->k", ones(2, 2)));
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        return CASES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> verify(e.getKey(), e.getValue())));
    }

    @Test
    void everyFixtureCaseHasAJavaExpressionAndViceVersa() {
        TreeSet<String> fixtures = new TreeSet<>();
        for (String n : records().keySet()) if (!n.endsWith("]")) fixtures.add(n);
        TreeSet<String> missing = new TreeSet<>(fixtures);
        missing.removeAll(CASES.keySet());
        TreeSet<String> extra = new TreeSet<>(CASES.keySet());
        extra.removeAll(fixtures);
        assertTrue(missing.isEmpty(), "fixture cases without a Java expression: " + missing);
        assertTrue(extra.isEmpty(), "Java cases without a fixture (rerun tools/gen_ops_fixtures.py): " + extra);
    }
}
