package jtorch.ops;

import jtorch.Tensor;
import jtorch.internal.TensorInternals;
import jtorch.kernels.Gemm;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/** Matrix products: {@code mm}, {@code bmm}, {@code dot} as primitives, and {@code matmul} composed from them. */
public final class Linalg {
    private Linalg() {}

    private static void sameDtype(String op, Tensor a, Tensor b) {
        if (a.dtype() == b.dtype()) return;
        if (op.equals("dot"))
            throw new IllegalArgumentException("dot : expected both vectors to have same dtype, but found "
                    + a.dtype().scalarTypeName() + " and " + b.dtype().scalarTypeName());
        throw new IllegalArgumentException("expected scalar type " + a.dtype().scalarTypeName() + " but found "
                + b.dtype().scalarTypeName());
    }

    /** {@code mv(a, b)}: (n x m) @ (m). d/da = g b^T (outer product), d/db = a^T g. */
    static Tensor mv(Tensor a, Tensor b) {
        int[] sa = TensorInternals.sizes(a);
        if (sa[1] != TensorInternals.sizes(b)[0])
            throw new IllegalArgumentException("size mismatch, got " + sa[0] + ", " + sa[0] + "x" + sa[1] + "," + TensorInternals.sizes(b)[0]);
        sameDtype("mv", a, b);
        Tensor out = TensorInternals.allocate(a.dtype(), new int[] {sa[0]});
        Gemm.mm(strided(TensorInternals.alias(out, new int[] {sa[0], 1}, new int[] {1, 1}, 0)), strided(a),
                strided(TensorInternals.alias(b, new int[] {sa[1], 1}, new int[] {TensorInternals.strides(b)[0], 1}, TensorInternals.offset(b))));
        return record(out, "MvBackward0", of(a, b), of(a, b), (g, c) -> new Tensor[] {
                c.needsInputGrad(0) ? g.unsqueeze(1).mm(c.saved(1).unsqueeze(0)) : null,
                c.needsInputGrad(1) ? c.saved(0).t().matmul(g) : null});
    }

    /** {@code mm(a, b)}: (n x m) @ (m x p). d/da = g b^T, d/db = a^T g. */
    public static Tensor mm(Tensor a, Tensor b) {
        Args.notNull("mm", "input", a);
        Args.notNull("mm", "other", b);
        if (a.dim() != 2) throw new IllegalArgumentException("self must be a matrix");
        if (b.dim() != 2) throw new IllegalArgumentException("mat2 must be a matrix");
        int[] sa = TensorInternals.sizes(a), sb = TensorInternals.sizes(b);
        if (sa[1] != sb[0])
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + sa[0] + "x" + sa[1] + " and "
                    + sb[0] + "x" + sb[1] + ")");
        sameDtype("mm", a, b);
        Tensor out = TensorInternals.allocate(a.dtype(), new int[] {sa[0], sb[1]});
        Gemm.mmIntoZeros(strided(out), strided(denseMatrix(a)), strided(denseMatrix(b)));
        boolean aTransposed = isTransposed(a), bTransposed = isTransposed(b);
        // As PyTorch's mm_mat1/mat2_backward: a gradient laid out like its operand (a transposed
        // weight's gradient comes out contiguous in the weight's own layout, so no copy follows).
        return record(out, "MmBackward0", of(a, b), of(a, b), (g, c) -> new Tensor[] {
                !c.needsInputGrad(0) ? null : aTransposed ? c.saved(1).mm(g.t()).t() : g.mm(c.saved(1).t()),
                !c.needsInputGrad(1) ? null : bTransposed ? g.t().mm(c.saved(0)).t() : c.saved(0).t().mm(g)});
    }

    /**
     * {@code m} itself, or a contiguous copy when a matrix dim (the last two) has stride 0: a
     * gradient expanded from a sum arrives that way, and no GEMM kernel vectorises along a
     * broadcast operand. The copy is one operand's size, small against the product's work; a
     * batch stride of 0 (a weight shared by the batch) is kept, the kernels read it in place.
     */
    private static Tensor denseMatrix(Tensor m) {
        int[] s = TensorInternals.sizes(m), st = TensorInternals.strides(m);
        int n = s.length;
        for (int d = Math.max(0, n - 2); d < n; d++)
            if (st[d] == 0 && s[d] > 1) return Raw.copy(m, m.dtype());
        return m;
    }

    /** A column-major matrix: its transpose is contiguous. */
    private static boolean isTransposed(Tensor m) {
        int[] s = TensorInternals.sizes(m), st = TensorInternals.strides(m);
        return st[0] == 1 && st[1] == s[0] && s[0] > 1 && s[1] > 1;
    }

    /** {@code bmm(a, b)}: (B x n x m) @ (B x m x p). */
    public static Tensor bmm(Tensor a, Tensor b) {
        Args.notNull("bmm", "input", a);
        Args.notNull("bmm", "other", b);
        if (a.dim() != 3) throw new IllegalArgumentException("batch1 must be a 3D tensor");
        if (b.dim() != 3) throw new IllegalArgumentException("batch2 must be a 3D tensor");
        int[] sa = TensorInternals.sizes(a), sb = TensorInternals.sizes(b);
        if (sa[0] != sb[0] || sa[2] != sb[1])
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [" + sa[0] + ", "
                    + sa[2] + "] but got: [" + sb[0] + ", " + sb[1] + "].");
        sameDtype("bmm", a, b);
        Tensor out = TensorInternals.allocate(a.dtype(), new int[] {sa[0], sa[1], sb[2]});
        Gemm.bmm(strided(out), strided(denseMatrix(a)), strided(denseMatrix(b)), false);
        return record(out, "BmmBackward0", of(a, b), of(a, b), (g, c) -> new Tensor[] {
                c.needsInputGrad(0) ? g.bmm(c.saved(1).transpose(1, 2)) : null,
                c.needsInputGrad(1) ? c.saved(0).transpose(1, 2).bmm(g) : null});
    }

    /** PyTorch's addmm/baddbmm dtype rule: input and both products' operands of one dtype. */
    private static void sameDtypes(Tensor input, Tensor a, Tensor b) {
        if (input.dtype() != b.dtype() || a.dtype() != b.dtype())
            throw new IllegalArgumentException("self and mat2 must have the same dtype, but got " + input.dtype().scalarTypeName()
                    + ", " + a.dtype().scalarTypeName() + " and " + b.dtype().scalarTypeName());
    }

    /**
     * {@code addmm(input, mat1, mat2, beta, alpha) = beta * input + alpha * (mat1 @ mat2)}, with
     * {@code input} broadcast to (n x p). The input is added in the GEMM (the product accumulates
     * onto it). Derivatives as derivatives.yaml: input {@code beta * g} summed to its shape,
     * mat1 {@code alpha * g mat2^T}, mat2 {@code alpha * mat1^T g}.
     */
    public static Tensor addmm(Tensor input, Tensor a, Tensor b, double beta, double alpha) {
        Args.notNull("addmm", "input", input);
        Args.notNull("addmm", "mat1", a);
        Args.notNull("addmm", "mat2", b);
        if (a.dim() != 2) throw new IllegalArgumentException("mat1 must be a matrix, got " + a.dim() + "-D tensor");
        if (b.dim() != 2) throw new IllegalArgumentException("mat2 must be a matrix, got " + b.dim() + "-D tensor");
        int[] sa = TensorInternals.sizes(a), sb = TensorInternals.sizes(b);
        if (sa[1] != sb[0])
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + sa[0] + "x" + sa[1] + " and "
                    + sb[0] + "x" + sb[1] + ")");
        sameDtypes(input, a, b);
        int[] shape = {sa[0], sb[1]};
        Tensor expanded = Raw.expand(input, shape);
        Tensor out = TensorInternals.allocate(a.dtype(), shape);
        Gemm.addmm(strided(out), strided(expanded), strided(denseMatrix(a)), strided(denseMatrix(b)), beta, alpha);
        int[] inputShape = TensorInternals.sizes(input).clone();
        boolean aTransposed = isTransposed(a), bTransposed = isTransposed(b);
        // The operands' gradients laid out like them, as in mm (a linear layer's weight.t() gets a contiguous one).
        return record(out, "AddmmBackward0", of(input, a, b), of(a, b), (g, c) -> new Tensor[] {
                c.needsInputGrad(0) ? Reductions.sumTo(beta == 1 ? g : g.mul(beta), inputShape) : null,
                !c.needsInputGrad(1) ? null : scaled(aTransposed ? c.saved(1).mm(g.t()).t() : g.mm(c.saved(1).t()), alpha),
                !c.needsInputGrad(2) ? null : scaled(bTransposed ? g.t().mm(c.saved(0)).t() : c.saved(0).t().mm(g), alpha)});
    }

    /**
     * {@code baddbmm(input, batch1, batch2, beta, alpha) = beta * input + alpha * bmm(batch1, batch2)},
     * with {@code input} broadcast to (B x n x p), added in the GEMM as in {@link #addmm}.
     */
    public static Tensor baddbmm(Tensor input, Tensor a, Tensor b, double beta, double alpha) {
        Args.notNull("baddbmm", "input", input);
        Args.notNull("baddbmm", "batch1", a);
        Args.notNull("baddbmm", "batch2", b);
        if (a.dim() != 3) throw new IllegalArgumentException("batch1 must be a 3D tensor");
        if (b.dim() != 3) throw new IllegalArgumentException("batch2 must be a 3D tensor");
        int[] sa = TensorInternals.sizes(a), sb = TensorInternals.sizes(b);
        if (sa[0] != sb[0] || sa[2] != sb[1])
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [" + sa[0] + ", "
                    + sa[2] + "] but got: [" + sb[0] + ", " + sb[1] + "].");
        if (a.dtype() != b.dtype() || input.dtype() != a.dtype())
            throw new IllegalArgumentException("expected scalar type " + input.dtype().scalarTypeName() + " but found "
                    + (a.dtype() != input.dtype() ? a : b).dtype().scalarTypeName());
        int[] shape = {sa[0], sa[1], sb[2]};
        Tensor expanded = Raw.expand(input, shape);
        Tensor out = TensorInternals.allocate(a.dtype(), shape);
        Gemm.baddbmm(strided(out), strided(expanded), strided(denseMatrix(a)), strided(denseMatrix(b)), beta, alpha);
        int[] inputShape = TensorInternals.sizes(input).clone();
        return record(out, "BaddbmmBackward0", of(input, a, b), of(a, b), (g, c) -> new Tensor[] {
                c.needsInputGrad(0) ? Reductions.sumTo(beta == 1 ? g : g.mul(beta), inputShape) : null,
                c.needsInputGrad(1) ? scaled(g.bmm(c.saved(1).transpose(1, 2)), alpha) : null,
                c.needsInputGrad(2) ? scaled(c.saved(0).transpose(1, 2).bmm(g), alpha) : null});
    }

    private static Tensor scaled(Tensor t, double alpha) { return alpha == 1 ? t : t.mul(alpha); }

    /** {@code dot(a, b)} of two 1-D tensors. */
    public static Tensor dot(Tensor a, Tensor b) {
        Args.notNull("dot", "input", a);
        Args.notNull("dot", "other", b);
        if (a.dim() != 1 || b.dim() != 1)
            throw new IllegalArgumentException("1D tensors expected, but got " + a.dim() + "D and " + b.dim() + "D tensors");
        if (TensorInternals.sizes(a)[0] != TensorInternals.sizes(b)[0])
            throw new IllegalArgumentException("inconsistent tensor size, expected tensor [" + TensorInternals.sizes(a)[0]
                    + "] and src [" + TensorInternals.sizes(b)[0] + "] to have the same number of elements, but got "
                    + TensorInternals.sizes(a)[0] + " and " + TensorInternals.sizes(b)[0] + " elements respectively");
        sameDtype("dot", a, b);
        int k = TensorInternals.sizes(a)[0];
        Tensor out = TensorInternals.allocate(a.dtype(), new int[0]);
        Gemm.mm(strided(TensorInternals.alias(out, new int[] {1, 1}, new int[] {1, 1}, 0)),
                strided(TensorInternals.alias(a, new int[] {1, k}, new int[] {0, TensorInternals.strides(a)[0]}, TensorInternals.offset(a))),
                strided(TensorInternals.alias(b, new int[] {k, 1}, new int[] {TensorInternals.strides(b)[0], 0}, TensorInternals.offset(b))));
        return record(out, "DotBackward0", of(a, b), of(a, b), (g, c) -> new Tensor[] {
                c.needsInputGrad(0) ? c.saved(1).mul(g) : null,
                c.needsInputGrad(1) ? c.saved(0).mul(g) : null});
    }

    /**
     * {@code matmul(a, b)} with PyTorch's rules: 1-D x 1-D is a dot product; 2-D x 2-D a matrix
     * product; a 1-D operand gets a dim prepended (left) or appended (right) that is removed after;
     * more dims are batches that broadcast.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        Args.notNull("matmul", "input", a);
        Args.notNull("matmul", "other", b);
        int da = a.dim(), db = b.dim();
        if (da == 0 || db == 0)
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are " + da + "D and "
                    + db + "D");
        if (da == 1 && db == 1) return dot(a, b);
        if (da == 2 && db == 1) return mv(a, b);
        if (da == 1 && db == 2) {
            Tensor out = mm(a.unsqueeze(0), b);
            return Views.reshapeFresh(out, new int[] {TensorInternals.sizes(out)[1]}, "SqueezeBackward3");
        }
        if (da == 2 && db == 2) return mm(a, b);
        if (da >= 3 && db <= 2) {
            // Fold the batch into the rows: one large product instead of many small ones.
            int[] s = TensorInternals.sizes(a);
            int rows = 1;
            for (int i = 0; i < da - 1; i++) rows *= s[i];
            if (db == 1 && s[da - 1] != TensorInternals.sizes(b)[0])
                throw new IllegalArgumentException("size mismatch, got " + rows + ", " + rows + "x" + s[da - 1] + ","
                        + TensorInternals.sizes(b)[0]);
            Tensor b2 = db == 1 ? b.unsqueeze(1) : b;
            Tensor out = mm(a.reshape(rows, s[da - 1]), b2);
            int[] shape = new int[db == 1 ? da - 1 : da];
            for (int i = 0; i < da - 1; i++) shape[i] = s[i];
            if (db == 2) shape[da - 1] = TensorInternals.sizes(b2)[1];
            return Views.reshapeFresh(out, shape, "UnsafeViewBackward0");
        }
        if (da <= 2 && db >= 3) {
            // PyTorch folds this case too (b^T's batch into rows), so its errors read that way.
            int[] sb = TensorInternals.sizes(b);
            int rows = 1;
            for (int i = 0; i < db - 2; i++) rows *= sb[i];
            rows *= sb[db - 1];
            int m = sb[db - 2], k = TensorInternals.sizes(a)[da - 1];
            if (m != k) {
                if (da == 1) throw new IllegalArgumentException("size mismatch, got " + rows + ", " + rows + "x" + m + "," + k);
                throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + rows + "x" + m + " and " + k
                        + "x" + TensorInternals.sizes(a)[0] + ")");
            }
        }
        Tensor a3 = da == 1 ? a.unsqueeze(0) : a;
        Tensor b3 = db == 1 ? b.unsqueeze(1) : b;
        int[] sa = TensorInternals.sizes(a3), sb = TensorInternals.sizes(b3);
        int n = sa[sa.length - 2], m = sa[sa.length - 1], m2 = sb[sb.length - 2], p = sb[sb.length - 1];
        int[] batch = Shapes.broadcast(java.util.Arrays.copyOf(sa, sa.length - 2), java.util.Arrays.copyOf(sb, sb.length - 2));
        long bsz = Shapes.numel(batch);
        if (m != m2)
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [" + bsz + ", "
                    + m + "] but got: [" + bsz + ", " + m2 + "].");
        long[] ea = new long[batch.length + 2], eb = new long[batch.length + 2];
        for (int i = 0; i < batch.length; i++) ea[i] = eb[i] = batch[i];
        ea[batch.length] = n; ea[batch.length + 1] = m;
        eb[batch.length] = m; eb[batch.length + 1] = p;
        Tensor out = bmm(a3.expand(ea).reshape(bsz, n, m), b3.expand(eb).reshape(bsz, m, p));
        int[] result = new int[batch.length + (da == 1 ? 0 : 1) + (db == 1 ? 0 : 1)];
        for (int i = 0; i < batch.length; i++) result[i] = batch[i];
        if (da != 1) result[batch.length] = n;
        if (db != 1) result[result.length - 1] = p;
        return Views.reshapeFresh(out, result, "UnsafeViewBackward0");
    }
}
