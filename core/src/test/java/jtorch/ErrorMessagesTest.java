package jtorch;

import static jtorch.PyTorchParityTest.A;
import static jtorch.PyTorchParityTest.b;
import static jtorch.PyTorchParityTest.f;
import static jtorch.PyTorchParityTest.l;
import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import jtorch.PyTorchParityTest.Fixtures;
import jtorch.autograd.Autograd;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every bad input is reported with PyTorch's message (the {@code err.*} cases of
 * {@code core_fixtures.txt}, recorded from PyTorch 1.13) as a RuntimeException, and no bad input
 * surfaces as an internal crash (ArrayIndexOutOfBounds, NullPointer, ...).
 */
class ErrorMessagesTest {

    /** Something that should throw. */
    @FunctionalInterface
    interface Bad {
        Object run() throws Exception;
    }

    private static final Map<String, Bad> ERRORS = new LinkedHashMap<>();

    private static void put(String name, Bad expr) {
        if (ERRORS.put(name, expr) != null) throw new IllegalStateException(name);
    }

    static Tensor x3() { return f(1, 2, 3); }

    static Tensor rg() { return f(1, 2, 3).requiresGrad_(); }

    static {
        put("err.broadcast", () -> ones(2, 3).add(ones(2, 4)));
        put("err.broadcast_leading", () -> ones(5, 1, 3).mul(ones(4, 2)));
        put("err.view_stride", () -> arange(6.0).reshape(2, 3).t().view(6));
        put("err.view_numel", () -> arange(6.0).view(2, 5));
        put("err.view_infer_numel", () -> arange(6.0).view(-1, 4));
        put("err.view_two_infer", () -> arange(6.0).view(-1, -1));
        put("err.reshape_numel", () -> arange(6.0).reshape(4, 2));
        put("err.dim_range", () -> ones(2, 3).sum(2));
        put("err.dim_range_neg", () -> ones(2, 3).transpose(0, -3));
        put("err.dim_range_softmax", () -> ones(2, 3).softmax(5));
        put("err.dim_range_unsqueeze", () -> ones(2, 3).unsqueeze(4));
        put("err.sum_dup_dims", () -> ones(2, 3).sum(0, -2));
        put("err.index_oob", () -> x3().index(5));
        put("err.index_oob_neg", () -> x3().index(-4));
        put("err.index_oob_dim1", () -> ones(2, 3).index(slice(), idx(3)));
        put("err.index_tensor_oob", () -> x3().index(idx(l(0, 5))));
        put("err.index_tensor_oob_neg", () -> x3().index(idx(l(-4))));
        put("err.too_many_indices", () -> ones(2, 3).index(0, 0, 0));
        put("err.too_many_indices_0d", () -> tensor(1.0).index(0));
        put("err.negative_step", () -> A().index(slice(null, null, -1)));
        put("err.mask_shape", () -> x3().index(idx(b(true, false))));
        put("err.index_float_tensor", () -> x3().index(idx(f(0))));
        put("err.select_oob", () -> x3().select(0, 5));
        put("err.narrow_oob", () -> x3().narrow(0, 2, 3));
        put("err.copy_shape", () -> zeros(3).copy_(ones(2)));
        put("err.mm", () -> ones(2, 3).mm(ones(4, 5)));
        put("err.matmul_2d", () -> ones(2, 3).matmul(ones(4, 5)));
        put("err.matmul_1d", () -> ones(3).matmul(ones(4)));
        put("err.matmul_0d", () -> tensor(1.0).matmul(ones(3)));
        put("err.matmul_mv", () -> ones(2, 3).matmul(ones(4)));
        put("err.matmul_1d_2d", () -> ones(4).matmul(ones(3, 2)));
        put("err.matmul_3d_1d", () -> ones(2, 2, 3).matmul(ones(4)));
        put("err.matmul_3d_2d", () -> ones(2, 2, 3).matmul(ones(4, 2)));
        put("err.matmul_batch", () -> ones(2, 2, 3).matmul(ones(3, 3, 2)));
        put("err.matmul_dtype", () -> ones(2, 2).matmul(ones(new long[] {2, 2}, float64)));
        put("err.dot_dtype", () -> ones(2).dot(ones(new long[] {2}, float64)));
        put("err.bmm", () -> ones(2, 2, 3).bmm(ones(2, 4, 5)));
        put("err.mm_dtype", () -> ones(2, 2).mm(ones(new long[] {2, 2}, float64)));
        put("err.requires_grad_int", () -> l(1, 2).requiresGrad_());
        put("err.requires_grad_bool", () -> b(true).requiresGrad_());
        put("err.mean_int", () -> l(1, 2).mean());
        put("err.mean_bool", () -> b(true).mean());
        put("err.var_int", () -> l(1, 2).var());
        put("err.sub_bools", () -> b(true).sub(b(false)));
        put("err.sub_bool_float", () -> b(true).sub(f(1)));
        put("err.neg_bool", () -> b(true).neg());
        put("err.inplace_cast", () -> l(1, 2).add_(1.5));
        put("err.inplace_cast_tensor", () -> l(1, 2).mul_(f(1.5f, 2)));
        put("err.inplace_cast_div", () -> l(1, 2).div_(tensor(2L)));
        put("err.inplace_cast_bool", () -> b(true).add_(l(1)));
        put("err.inplace_broadcast", () -> ones(3).add_(ones(2, 3)));
        put("err.alpha_float_int", () -> l(1).add(l(2), 0.5));
        put("err.pow_int_neg", () -> l(2).pow(-1L));
        put("err.where_cond", () -> where(l(1, 0), ones(2), zeros(2)));
        put("err.backward_nonscalar", () -> { rg().mul(2L).backward(); return null; });
        put("err.backward_no_grad", () -> { x3().sum().backward(); return null; });
        put("err.backward_shape", () -> { rg().mul(2L).backward(ones(2)); return null; });
        put("err.backward_twice", () -> {
            Tensor y = rg().pow(2L).sum();
            y.backward();
            y.backward();
            return null;
        });
        put("err.saved_modified", () -> {
            Tensor y = rg().exp();
            y.add_(1.0);
            y.sum().backward();
            return null;
        });
        put("err.saved_input_modified", () -> {
            Tensor y = rg().mul(1L);
            Tensor z = y.mul(y);
            y.mul_(2.0);
            z.sum().backward();
            return null;
        });
        put("err.saved_modified_through_view", () -> {
            Tensor y = rg().sigmoid();
            y.index(0).mul_(2.0);
            y.sum().backward();
            return null;
        });
        put("err.leaf_inplace", () -> rg().add_(1.0));
        put("err.leaf_inplace_fill", () -> rg().fill_(1.0));
        put("err.leaf_view_inplace", () -> rg().index(0).mul_(2.0));
        put("err.leaf_index_put", () -> rg().indexPut_(new Tensor[] {l(0)}, tensor(1.0), false));
        put("err.grad_unused", () -> {
            Tensor x = rg(), z = rg();
            return Autograd.grad(new Tensor[] {x.mul(2L).sum()}, new Tensor[] {x, z}, null, false, false);
        });
        put("err.grad_input_no_grad", () -> Autograd.grad(rg().mul(2L).sum(), x3()));
        put("err.retain_grad", () -> x3().retainGrad());
        put("err.register_hook", () -> x3().registerHook(g -> g));
        put("err.requires_grad_false_nonleaf", () -> rg().mul(2L).requiresGrad_(false));
        put("err.cat_size", () -> cat(ones(2, 3), ones(2, 4)));
        put("err.cat_dims", () -> cat(ones(2, 2), ones(2)));
        put("err.cat_0d", () -> cat(tensor(1.0), tensor(2.0)));
        put("err.cat_dim_range", () -> cat(List.of(ones(2, 2), ones(2, 2)), 2));
        put("err.stack", () -> stack(ones(2, 3), ones(2, 4)));
        put("err.stack_dim_range", () -> stack(List.of(ones(2), ones(2)), 3));
        put("err.expand", () -> ones(3).expand(2, 4));
        put("err.expand_fewer", () -> ones(2, 3).expand(3));
        put("err.expand_leading_neg", () -> ones(3).expand(-1, 3));
        put("err.item", () -> ones(2).item());
        put("err.item_empty", () -> ones(0).item());
        put("err.ragged", () -> tensor(new float[][] {{1, 2}, {3}}));
        put("err.ragged_deep", () -> tensor(new long[][][] {{{1, 2}}, {{3, 4}, {5, 6}}}));
        put("err.gather_oob", () -> ones(2, 3).gather(1, tensor(new long[][] {{0, 3}})));
        put("err.gather_neg", () -> ones(2, 3).gather(1, tensor(new long[][] {{-1}})));
        put("err.gather_dims", () -> ones(2, 3).gather(1, l(0, 1)));
        put("err.scatter_oob", () -> zeros(3).scatter(0, l(3), f(1)));
        put("err.index_select_2d", () -> ones(2, 3).indexSelect(0, tensor(new long[][] {{0}})));
        put("err.negative_size", () -> zeros(-1));
        put("err.negative_size_2d", () -> ones(2, -3));
        put("err.arange_zero_step", () -> arange(0L, 5L, 0L));
        put("err.arange_sign", () -> arange(5L, 0L));
        put("err.index_put_dtype", () -> l(1, 2).indexPut_(new Tensor[] {l(0)}, f(1.5f), false));
        put("err.index_put_shape", () -> zeros(3).indexPut_(new Tensor[] {l(0, 1)}, f(1, 2, 3), false));
        put("err.permute_dup", () -> ones(2, 3).permute(0, 0));
        put("err.permute_len", () -> ones(2, 3).permute(0));
        put("err.flatten_order", () -> ones(2, 3, 4).flatten(2, 1));
        put("err.t_3d", () -> ones(2, 3, 4).t());
        put("err.chunk_zero", () -> ones(4).chunk(0));
        put("err.split_0d", () -> tensor(1.0).split(1));
        put("err.fill_tensor_dim", () -> ones(2).fill_(f(1)));
        put("err.max_empty", () -> ones(0).max());
        put("err.argmax_empty", () -> ones(0).argmax());
        put("err.max_dim_empty", () -> ones(2, 0).max(1));
        put("err.randint_range", () -> randint(5L, 5L, 2L));
        put("err.set_grad_size", () -> { rg().setGrad(ones(2)); return null; });
        put("err.min_max_clamp", () -> ones(2).clamp(Double.NaN, Double.NaN));
        put("err.dot_dims", () -> ones(2, 2).dot(ones(2)));
    }

    @TestFactory
    Stream<DynamicTest> messagesMatchPyTorch() {
        return ERRORS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            String expected = Fixtures.errorMessage(e.getKey());
            RuntimeException ex = assertThrows(RuntimeException.class, () -> e.getValue().run(),
                    e.getKey() + ": expected PyTorch's error: " + expected);
            Fixtures.assertSaneException(ex);
            assertEquals(expected, ex.getMessage(), e.getKey());
        }));
    }

    @Test
    void everyErrorFixtureHasAJavaExpression() {
        TreeSet<String> fixtures = new TreeSet<>(Fixtures.names("err."));
        TreeSet<String> missing = new TreeSet<>(fixtures);
        missing.removeAll(ERRORS.keySet());
        TreeSet<String> extra = new TreeSet<>(ERRORS.keySet());
        extra.removeAll(fixtures);
        assertTrue(missing.isEmpty() && extra.isEmpty(), "without Java expression: " + missing + "; without fixture: " + extra);
        assertTrue(ERRORS.size() >= 100, "only " + ERRORS.size() + " error cases");
    }

    /** The headline messages of the API guide, spelled out (the fixtures hold the same text). */
    @Test
    void headlineMessages() {
        assertMessage("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
                () -> ones(2, 3).add(ones(2, 4)));
        assertMessage("shape '[2, 5]' is invalid for input of size 6", () -> arange(6.0).view(2, 5));
        assertMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)", () -> ones(2, 3).sum(2));
        assertMessage("index 5 is out of bounds for dimension 0 with size 3", () -> x3().index(5));
        assertMessage("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", () -> ones(2, 3).mm(ones(4, 5)));
        assertMessage("only Tensors of floating point dtype can require gradients", () -> l(1).requiresGrad_());
        assertMessage("result type Float can't be cast to the desired output type Long", () -> l(1, 2).add_(1.5));
        assertMessage("grad can be implicitly created only for scalar outputs", () -> { rg().backward(); return null; });
        assertMessage("element 0 of tensors does not require grad and does not have a grad_fn",
                () -> { x3().sum().backward(); return null; });
        assertMessage("a leaf Variable that requires grad is being used in an in-place operation.", () -> rg().mul_(2.0));
        assertMessage("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead. "
                + "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
                + "torch.autograd.set_detect_anomaly(True).", () -> {
                    Tensor y = rg().exp();
                    y.add_(1.0);
                    y.sum().backward();
                    return null;
                });
        RuntimeException e = assertThrows(RuntimeException.class, () -> arange(6.0).reshape(2, 3).t().view(6));
        assertTrue(e.getMessage().startsWith("view size is not compatible with input tensor's size and stride"), e.getMessage());
        RuntimeException twice = assertThrows(RuntimeException.class, () -> {
            Tensor y = rg().exp().sum();
            y.backward();
            y.backward();
        });
        assertTrue(twice.getMessage().startsWith("Trying to backward through the graph a second time"), twice.getMessage());
    }

    private static void assertMessage(String expected, Bad bad) {
        RuntimeException e = assertThrows(RuntimeException.class, bad::run);
        Fixtures.assertSaneException(e);
        assertEquals(expected, e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------
    // NumPy index strings: a Java-only surface (Python would not parse these), so no PyTorch text.

    @Test
    void badNumpyIndexStringsAreReportedWithTheExpression() {
        for (String bad : new String[] {"1:2:3:4", "a", "", " ", ",", "1,,2", "1.5", "None:", "::x", "1:2,", ":-", "[0]", "--1"}) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> A().index(bad), "index(\"" + bad + "\")");
            Fixtures.assertSaneException(e);
            assertTrue(e instanceof IllegalArgumentException, bad + ": " + e);
            assertTrue(e.getMessage().contains("\"" + bad + "\""), "message names the expression: " + e.getMessage());
        }
        // Well-formed strings whose entries are invalid give the same errors as the factories.
        RuntimeException step = assertThrows(RuntimeException.class, () -> A().index("::-1"));
        assertTrue(step.getMessage().contains(Fixtures.errorMessage("err.negative_step")), step.getMessage());
        RuntimeException zeroStep = assertThrows(RuntimeException.class, () -> A().index("::0"));
        Fixtures.assertSaneException(zeroStep);
        assertEquals(Fixtures.errorMessage("err.index_oob"), assertThrows(RuntimeException.class, () -> x3().index("5")).getMessage());
        assertEquals(Fixtures.errorMessage("err.too_many_indices"),
                assertThrows(RuntimeException.class, () -> ones(2, 3).index("0, 0, 0")).getMessage());
        RuntimeException two = assertThrows(RuntimeException.class, () -> A().index("..., ..."));
        Fixtures.assertSaneException(two);
    }

    // ------------------------------------------------------------------------------------------------
    // No bad input may crash inside the library.

    private static void assertRejected(String what, Bad bad) {
        try {
            Object r = bad.run();
            fail(what + ": expected an error, got " + r);
        } catch (RuntimeException e) {
            try {
                Fixtures.assertSaneException(e);
            } catch (AssertionError a) {
                throw new AssertionError(what + ": " + a.getMessage(), e);
            }
        } catch (Exception | Error e) {
            throw new AssertionError(what + ": threw " + e + " (not a RuntimeException)", e);
        }
    }

    @Test
    void badArgumentsAreRejectedNotCrashedOn() {
        Map<String, Bad> cases = new LinkedHashMap<>();
        cases.put("zeros(-1)", () -> zeros(-1));
        cases.put("ones(2, -1)", () -> ones(2, -1));
        cases.put("rand(-1)", () -> rand(-1));
        cases.put("randn(3, -2)", () -> randn(3, -2));
        cases.put("full(-1)", () -> full(new long[] {-1}, 1.0));
        cases.put("empty(-5)", () -> empty(-5));
        cases.put("eye(-1)", () -> eye(-1));
        cases.put("eye(2, -3)", () -> eye(2, -3));
        cases.put("linspace steps -1", () -> linspace(0, 1, -1));
        cases.put("randperm(-1)", () -> randperm(-1));
        cases.put("randint size -1", () -> randint(0L, 10L, -1L));
        cases.put("arange(0, -5)", () -> arange(0L, -5L));
        cases.put("arange float NaN", () -> arange(0.0, Double.NaN, 1.0));
        cases.put("huge zeros", () -> zeros(1L << 40));
        cases.put("Size.of(-1)", () -> Size.of(-1));
        cases.put("Size.get(5)", () -> Size.of(2, 3).get(5));
        cases.put("view(-2)", () -> A().view(-2));
        cases.put("reshape(-3, 2)", () -> A().reshape(-3, 2));
        cases.put("expand(-2)", () -> f(1).expand(-2));
        cases.put("expand(2, -5)", () -> f(1).expand(2, -5));
        cases.put("narrow start 5", () -> x3().narrow(0, 5, 1));
        cases.put("narrow start -10", () -> x3().narrow(0, -10, 1));
        cases.put("narrow length -1", () -> x3().narrow(0, 1, -1));
        cases.put("narrow dim 5", () -> x3().narrow(5, 0, 1));
        cases.put("select 10", () -> x3().select(0, 10));
        cases.put("select -10", () -> x3().select(0, -10));
        cases.put("select dim 3", () -> x3().select(3, 0));
        cases.put("select of 0-dim", () -> tensor(1.0).select(0, 0));
        cases.put("gather 10", () -> A().gather(2, tensor(new long[][][] {{{10}}})));
        cases.put("gather -5", () -> A().gather(0, tensor(new long[][][] {{{-5}}})));
        cases.put("gather float index", () -> A().gather(0, tensor(new float[][][] {{{0}}})));
        cases.put("gather index too big off dim", () -> ones(2, 2).gather(0, tensor(new long[][] {{0, 1, 0}})));
        cases.put("scatter 10", () -> zeros(2, 2).scatter(1, tensor(new long[][] {{10}}), 1.0));
        cases.put("scatter -1", () -> zeros(2, 2).scatter(1, tensor(new long[][] {{-1}}), 1.0));
        cases.put("scatterAdd src too small", () -> zeros(2, 2).scatterAdd(1, tensor(new long[][] {{0, 1}}), f(1)));
        cases.put("indexSelect 10", () -> x3().indexSelect(0, l(10)));
        cases.put("indexSelect -10", () -> x3().indexSelect(0, l(-10)));
        cases.put("indexSelect float", () -> x3().indexSelect(0, f(0)));
        cases.put("index(10)", () -> x3().index(10));
        cases.put("index(0,0,0,0)", () -> A().index(0, 0, 0, 0));
        cases.put("index tensor 100", () -> A().index(idx(l(100))));
        cases.put("index tensor -100", () -> A().index(slice(), idx(l(-100))));
        cases.put("index mask 2d wrong", () -> A().index(idx(tensor(new boolean[][] {{true}}))));
        cases.put("index too many tensors", () -> x3().index(idx(l(0)), idx(l(0))));
        cases.put("index tensors not broadcastable", () -> A().index(idx(l(0, 1)), idx(l(0, 1, 2))));
        cases.put("indexPut oob", () -> zeros(3).indexPut_(new Tensor[] {l(7)}, tensor(1.0), false));
        cases.put("indexPut neg oob", () -> zeros(3).indexPut_(new Tensor[] {l(-7)}, tensor(1.0), true));
        cases.put("indexPut values", () -> zeros(3, 2).indexPut_(new Tensor[] {l(0)}, f(1, 2, 3), false));
        cases.put("indexPut basic values", () -> zeros(3, 2).indexPut_(new TensorIndex[] {idx(0)}, f(1, 2, 3)));
        cases.put("split(-1)", () -> x3().split(-1));
        cases.put("split sizes wrong sum", () -> x3().split(new long[] {1, 1}, 0));
        cases.put("split sizes negative", () -> x3().split(new long[] {4, -1}, 0));
        cases.put("chunk(-1)", () -> x3().chunk(-1));
        cases.put("unbind(5)", () -> x3().unbind(5));
        cases.put("unflatten", () -> arange(12.0).unflatten(0, 5, -1));
        cases.put("unflatten wrong product", () -> arange(12.0).unflatten(0, 5, 2));
        cases.put("flatten(5, 0)", () -> A().flatten(5, 0));
        cases.put("permute(0, 5)", () -> ones(2, 3).permute(0, 5));
        cases.put("transpose(7, 0)", () -> A().transpose(7, 0));
        cases.put("squeeze(9)", () -> A().squeeze(9));
        cases.put("unsqueeze(-9)", () -> A().unsqueeze(-9));
        cases.put("cat()", () -> cat(List.of()));
        cases.put("stack()", () -> stack(List.of()));
        cases.put("cat dim 9", () -> cat(List.of(x3(), x3()), 9));
        cases.put("sum(9)", () -> A().sum(9));
        cases.put("mean dup", () -> A().mean(0, 0));
        cases.put("max(7)", () -> A().max(7));
        cases.put("argmax(7)", () -> A().argmax(7));
        cases.put("softmax(-5)", () -> A().softmax(-5));
        cases.put("logsumexp(4)", () -> A().logsumexp(4));
        cases.put("var dim 5", () -> A().var(new int[] {5}, 1L, false));
        cases.put("prod(3)", () -> A().prod(3));
        cases.put("matmul 1d 2d", () -> ones(3).matmul(ones(2, 4)));
        cases.put("mm 3d", () -> ones(2, 2, 2).mm(ones(2, 2)));
        cases.put("bmm 2d", () -> ones(2, 2).bmm(ones(2, 2, 2)));
        cases.put("dot 2d", () -> ones(2, 2).dot(ones(2, 2)));
        cases.put("asStrided out of storage", () -> x3().asStrided(new long[] {4}, new long[] {1}, 0));
        cases.put("asStrided negative size", () -> x3().asStrided(new long[] {-1}, new long[] {1}, 0));
        cases.put("asStrided negative offset", () -> x3().asStrided(new long[] {1}, new long[] {1}, -1));
        cases.put("asStrided negative stride", () -> x3().asStrided(new long[] {2}, new long[] {-1}, 2));
        cases.put("tensor(null)", () -> tensor((Object) null));
        cases.put("tensor(String)", () -> tensor("abc"));
        cases.put("tensor(String[])", () -> tensor(new String[] {"a"}));
        cases.put("tensor null row", () -> tensor(new float[][] {{1}, null}));
        cases.put("tensor null first row", () -> tensor(new float[][] {null, {1}}));
        cases.put("tensor Object[] mixed", () -> tensor(new Object[] {new float[] {1}, new double[] {2}}));
        cases.put("item on 3", () -> x3().item());
        cases.put("itemLong on 3", () -> x3().itemLong());
        cases.put("where shapes", () -> where(b(true, false), ones(3), ones(3)));
        cases.put("pow int scalar negative", () -> l(2).pow(-1L)); // a tensor exponent gives PyTorch's integer 0 instead
        cases.put("backward grad dims", () -> { rg().mul(2L).backward(ones(3, 1)); return null; });
        cases.put("grad of non-scalar", () -> Autograd.grad(rg().mul(2L), rg()));
        cases.put("setGrad wrong shape", () -> { rg().setGrad(ones(3, 1)); return null; });
        cases.put("fill_ 1-d value", () -> zeros(2).fill_(ones(2)));
        cases.put("copy_ wrong shape", () -> zeros(2, 2).copy_(ones(3)));
        cases.put("add_ into expanded broadcast", () -> zeros(1).add_(ones(3)));
        cases.put("clamp bool both NaN", () -> b(true).clamp(Double.NaN, Double.NaN));
        cases.put("uniform_ bounds", () -> zeros(2).uniform_(1, 0));
        cases.put("normal_ std", () -> zeros(2).normal_(0, -1));
        cases.put("randint low >= high", () -> randint(3L, 1L, 2L));
        cases.put("int mean dims", () -> l(1, 2).mean(0));
        cases.put("setDefaultDtype int", () -> { setDefaultDtype(int64); return null; });
        for (Map.Entry<String, Bad> e : cases.entrySet()) assertRejected(e.getKey(), e.getValue());
    }

    /**
     * Random calls with random (often invalid) arguments on tensors of random shapes: whatever
     * happens, it is a result or a deliberate RuntimeException, never an internal crash.
     */
    @Test
    void randomArgumentsNeverCrashTheLibrary() {
        Random rnd = new Random(1234);
        List<Function<Tensor, Object>> ops = new ArrayList<>();
        ops.add(t -> t.select(rnd.nextInt(7) - 3, rnd.nextInt(9) - 4));
        ops.add(t -> t.narrow(rnd.nextInt(7) - 3, rnd.nextInt(9) - 4, rnd.nextInt(7) - 2));
        ops.add(t -> t.index(rnd.nextInt(9) - 4));
        ops.add(t -> t.index(slice((long) rnd.nextInt(9) - 4, (long) rnd.nextInt(9) - 4, 1 + rnd.nextInt(3)), idx(rnd.nextInt(5) - 2)));
        ops.add(t -> t.index(idx(l(rnd.nextInt(9) - 4, rnd.nextInt(9) - 4))));
        ops.add(t -> t.index(idx(t.gt(rnd.nextDouble()))));
        ops.add(t -> t.gather(rnd.nextInt(5) - 2, tensor(randomIndex(rnd, t))));
        ops.add(t -> t.scatter(rnd.nextInt(5) - 2, tensor(randomIndex(rnd, t)), 1.0));
        ops.add(t -> t.indexSelect(rnd.nextInt(5) - 2, l(rnd.nextInt(9) - 4)));
        ops.add(t -> t.view(rnd.nextInt(7) - 1, rnd.nextInt(7) - 1));
        ops.add(t -> t.reshape(rnd.nextInt(7) - 1));
        ops.add(t -> t.expand(rnd.nextInt(5) - 1, rnd.nextInt(5) - 1, rnd.nextInt(5) - 1));
        ops.add(t -> t.transpose(rnd.nextInt(7) - 3, rnd.nextInt(7) - 3));
        ops.add(t -> t.permute(rnd.nextInt(7) - 3, rnd.nextInt(7) - 3));
        ops.add(t -> t.unsqueeze(rnd.nextInt(9) - 4));
        ops.add(t -> t.squeeze(rnd.nextInt(9) - 4));
        ops.add(t -> t.flatten(rnd.nextInt(7) - 3, rnd.nextInt(7) - 3));
        ops.add(t -> t.sum(rnd.nextInt(7) - 3));
        ops.add(t -> t.max(rnd.nextInt(7) - 3));
        ops.add(t -> t.softmax(rnd.nextInt(7) - 3));
        ops.add(t -> t.split(rnd.nextInt(4) - 1, rnd.nextInt(7) - 3));
        ops.add(t -> t.chunk(rnd.nextInt(4) - 1, rnd.nextInt(7) - 3));
        ops.add(t -> t.matmul(ones(randomShape(rnd))));
        ops.add(t -> t.add(ones(randomShape(rnd))));
        ops.add(t -> cat(List.of(t, ones(randomShape(rnd))), rnd.nextInt(5) - 2));
        ops.add(t -> stack(List.of(t, ones(randomShape(rnd))), rnd.nextInt(5) - 2));
        ops.add(t -> t.clone().indexPut_(new Tensor[] {l(rnd.nextInt(9) - 4)}, ones(randomShape(rnd)), rnd.nextBoolean()));
        ops.add(t -> t.clone().copy_(ones(randomShape(rnd))));
        ops.add(t -> t.index(String.join(",", randomIndexString(rnd))));
        for (int i = 0; i < 3000; i++) {
            Tensor t = rand(randomShape(rnd));
            int k = rnd.nextInt(ops.size());
            try {
                ops.get(k).apply(t);
            } catch (RuntimeException e) {
                try {
                    Fixtures.assertSaneException(e);
                } catch (AssertionError a) {
                    a.addSuppressed(e);
                    throw new AssertionError("op #" + k + " on shape " + t.shape() + ": " + a.getMessage(), e);
                }
            } catch (Error e) {
                throw new AssertionError("op #" + k + " on shape " + t.shape() + " threw " + e, e);
            }
        }
    }

    private static long[] randomShape(Random rnd) {
        long[] s = new long[rnd.nextInt(4)];
        for (int i = 0; i < s.length; i++) s[i] = rnd.nextInt(4);
        return s;
    }

    private static long[][][] randomIndex(Random rnd, Tensor t) {
        long[][][] a = new long[1 + rnd.nextInt(2)][1 + rnd.nextInt(2)][1 + rnd.nextInt(2)];
        for (long[][] p : a) for (long[] q : p) for (int i = 0; i < q.length; i++) q[i] = rnd.nextInt(7) - 3;
        return a;
    }

    private static List<String> randomIndexString(Random rnd) {
        String[] atoms = {"0", "-1", "3", ":", "1:", ":2", "::2", "...", "None", "-5:9", "1:2:0", "x", ""};
        List<String> parts = new ArrayList<>();
        for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) parts.add(atoms[rnd.nextInt(atoms.length)]);
        return parts;
    }
}
