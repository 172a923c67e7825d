package jtorch.autograd;

import java.util.Arrays;
import java.util.function.Function;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;
import jtorch.kernels.Reduce;

/**
 * {@code torch.autograd.gradcheck}: compares the gradients autograd computes with central finite
 * differences, in float64, element by element of the Jacobian.
 *
 * <pre>{@code
 * Tensor x = Torch.randn(new long[] {3, 4}, DType.FLOAT64).requiresGrad_();
 * GradCheck.gradcheck(in -> in[0].tanh().sum(0), x);   // throws GradcheckError on mismatch
 * }</pre>
 */
public final class GradCheck {
    /** PyTorch's defaults. */
    public static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    private GradCheck() {}

    /** Thrown when an analytical gradient differs from the numerical one. */
    public static final class GradcheckError extends AssertionError {
        private static final long serialVersionUID = 1L;

        GradcheckError(String message) { super(message); }
    }

    /**
     * {@code gradcheck(fn, inputs)} with PyTorch's defaults ({@link #EPS}, {@link #ATOL},
     * {@link #RTOL}): true, or a {@link GradcheckError} naming the input and the Jacobian entry.
     */
    public static boolean gradcheck(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return gradcheck(fn, inputs, EPS, ATOL, RTOL);
    }

    /**
     * Checks every input that requires grad. Inputs must be float64 and must not overlap in memory
     * (an expanded input has several elements per storage cell, which cannot be perturbed alone).
     *
     * @return true; a mismatch throws {@link GradcheckError} naming the input and Jacobian entry
     */
    public static boolean gradcheck(Function<Tensor[], Tensor> fn, Tensor[] inputs, double eps, double atol, double rtol) {
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t != null && t.requiresGrad() && t.dtype() != DType.FLOAT64)
                throw new IllegalArgumentException("gradcheck: input " + i + " requires grad but is " + t.dtype()
                        + "; gradcheck needs float64 inputs for finite differences to be meaningful");
        }
        Tensor out = fn.apply(inputs);
        if (out.dtype() != DType.FLOAT64)
            throw new IllegalArgumentException("gradcheck: the function returned " + out.dtype() + ", expected torch.float64");
        int nOut = (int) out.numel();
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = inputs[i];
            if (x == null || !x.requiresGrad()) continue;
            int[] cells = storageCells(x, i);
            double[] numerical = numericalJacobian(fn, inputs, x, cells, nOut, eps);
            double[] analytical = analyticalJacobian(fn, inputs, x, cells.length, nOut);
            for (int k = 0; k < cells.length; k++)
                for (int j = 0; j < nOut; j++) {
                    double a = analytical[k * nOut + j], n = numerical[k * nOut + j];
                    if (!(Math.abs(a - n) <= atol + rtol * Math.abs(n)))
                        throw new GradcheckError("Jacobian mismatch for output 0 with respect to input " + i + " (shape "
                                + x.shape() + "), at input element " + k + " and output element " + j + ":\n"
                                + "numerical:" + n + "\nanalytical:" + a + "\n");
                }
        }
        return true;
    }

    /**
     * {@code torch.autograd.gradgradcheck}: checks the second derivatives of {@code fn} by running
     * {@link #gradcheck} on its vector-Jacobian product {@code (inputs, v) -> grad(fn(inputs), inputs, v,
     * create_graph=True)}, with respect to the inputs and to {@code v}, a random float64 grad_output that
     * requires grad (drawn from a fixed seed, so a failure reproduces).
     *
     * <pre>{@code
     * Tensor x = Torch.randn(new long[] {3}, DType.FLOAT64).requiresGrad_();
     * GradCheck.gradgradcheck(in -> in[0].pow(3L), x);   // the Hessian of x^3, 6 x, against finite differences
     * }</pre>
     *
     * @return true; a mismatch throws {@link GradcheckError}
     */
    public static boolean gradgradcheck(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return gradgradcheck(fn, inputs, null, EPS, ATOL, RTOL);
    }

    /**
     * @param gradOutput the grad_output {@code v} (float64, requiring grad, of the output's shape); null draws one
     */
    public static boolean gradgradcheck(Function<Tensor[], Tensor> fn, Tensor[] inputs, Tensor gradOutput, double eps,
            double atol, double rtol) {
        int n = inputs.length;
        int[] diff = java.util.stream.IntStream.range(0, n).filter(i -> inputs[i] != null && inputs[i].requiresGrad()).toArray();
        if (diff.length == 0) return true;
        Tensor out;
        try (GradMode.Guard g = GradMode.set(true)) {
            out = fn.apply(inputs);
        }
        if (gradOutput == null) {
            java.util.Random rnd = new java.util.Random(GRAD_OUTPUT_SEED);
            double[] v = new double[(int) out.numel()];
            for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian();
            gradOutput = TensorInternals.wrap(v, TensorInternals.sizes(out)).requiresGrad_();
        }
        if (!Arrays.equals(TensorInternals.sizes(gradOutput), TensorInternals.sizes(out)))
            throw new IllegalArgumentException("gradgradcheck: grad_output has shape " + gradOutput.shape()
                    + " but the function's output has shape " + out.shape());
        Tensor[] all = Arrays.copyOf(inputs, n + 1);
        all[n] = gradOutput;
        // The vector-Jacobian product, flattened into one output: the gradient of every differentiable input.
        Function<Tensor[], Tensor> vjp = a -> {
            try (GradMode.Guard g = GradMode.set(true)) {
                Tensor o = fn.apply(Arrays.copyOf(a, n));
                Tensor[] wrt = new Tensor[diff.length];
                for (int k = 0; k < diff.length; k++) wrt[k] = a[diff[k]];
                Tensor[] gs = o.requiresGrad()
                        ? Autograd.grad(new Tensor[] {o}, wrt, new Tensor[] {a[n]}, true, true, true) : new Tensor[diff.length];
                java.util.List<Tensor> flat = new java.util.ArrayList<>();
                for (int k = 0; k < diff.length; k++)
                    flat.add(gs[k] == null ? Torch.zeros(new long[] {wrt[k].numel()}, DType.FLOAT64) : gs[k].reshape(-1));
                return Torch.cat(flat);
            }
        };
        try {
            return gradcheck(vjp, all, eps, atol, rtol);
        } catch (GradcheckError e) {
            throw new GradcheckError("gradgradcheck (input " + n + " is the grad_output; output elements are the gradients "
                    + "of inputs " + Arrays.toString(diff) + ", flattened and concatenated): " + e.getMessage());
        }
    }

    /** The seed of gradgradcheck's random grad_output. */
    private static final long GRAD_OUTPUT_SEED = 20261207L;

    private static int[] storageCells(Tensor x, int i) {
        int[] rel = Reduce.offsets(TensorInternals.sizes(x), TensorInternals.strides(x));
        int[] sorted = rel.clone();
        Arrays.sort(sorted);
        for (int k = 1; k < sorted.length; k++)
            if (sorted[k] == sorted[k - 1])
                throw new IllegalArgumentException("gradcheck: input " + i + " has overlapping memory (e.g. an expanded "
                        + "tensor); pass a tensor whose elements each have their own storage");
        for (int k = 0; k < rel.length; k++) rel[k] += TensorInternals.offset(x);
        return rel;
    }

    private static double[] numericalJacobian(Function<Tensor[], Tensor> fn, Tensor[] inputs, Tensor x, int[] cells, int nOut, double eps) {
        double[] jac = new double[cells.length * nOut];
        double[] data = x.storage().f64();
        try (GradMode.Guard g = GradMode.set(false)) {
            for (int k = 0; k < cells.length; k++) {
                double orig = data[cells[k]];
                data[cells[k]] = orig + eps;
                double[] plus = fn.apply(inputs).toDoubleArray();
                data[cells[k]] = orig - eps;
                double[] minus = fn.apply(inputs).toDoubleArray();
                data[cells[k]] = orig;
                for (int j = 0; j < nOut; j++) jac[k * nOut + j] = (plus[j] - minus[j]) / (2 * eps);
            }
        }
        return jac;
    }

    private static double[] analyticalJacobian(Function<Tensor[], Tensor> fn, Tensor[] inputs, Tensor x, int nIn, int nOut) {
        double[] jac = new double[nIn * nOut];
        Tensor out = fn.apply(inputs);
        if (!out.requiresGrad()) return jac; // output independent of every input: all-zero Jacobian
        long[] outShape = out.shape().toArray();
        for (int j = 0; j < nOut; j++) {
            Tensor go = Torch.zeros(outShape, DType.FLOAT64);
            go.storage().f64()[j] = 1;
            Tensor g = Autograd.grad(new Tensor[] {out}, new Tensor[] {x}, new Tensor[] {go}, true, true)[0];
            if (g == null) continue;
            if (!Arrays.equals(TensorInternals.sizes(g), TensorInternals.sizes(x)))
                throw new GradcheckError("gradient has shape " + g.shape() + " but the input has shape " + x.shape());
            double[] gv = g.toDoubleArray();
            for (int k = 0; k < nIn; k++) jac[k * nOut + j] = gv[k];
        }
        return jac;
    }
}
