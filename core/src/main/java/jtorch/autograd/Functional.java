package jtorch.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;

/**
 * {@code torch.autograd.functional}: Jacobians, Hessians and their products with vectors, of a
 * function given as code, with PyTorch's semantics. The inputs are taken as they are (detached
 * copies that require grad, unless {@code createGraph} and they already require grad); the function
 * runs with grad mode on; without {@code createGraph} the results are detached. An input the output
 * does not depend on gets zeros, or an error in {@code strict} mode.
 *
 * <pre>{@code
 * Tensor x = Torch.tensor(new double[] {1, 2});
 * Tensor j = Functional.jacobian(t -> t.pow(2L), x);                 // diag(2x): [[2, 0], [0, 4]]
 * Tensor h = Functional.hessian(t -> t.pow(3L).sum(), x);            // diag(6x)
 * Functional.Result r = Functional.vjp(t -> t.exp(), x, Torch.ones(2)); // r.output() = exp(x), r.value() = exp(x)
 * Tensor jv = Functional.jvp(t -> t.sin(), x, Torch.ones(2)).value(); // cos(x)
 * }</pre>
 */
public final class Functional {
    private Functional() {}

    /** {@code create_graph} and {@code strict}, PyTorch's keyword arguments (both false by default). */
    public static Options options() { return new Options(); }

    /** The keyword arguments shared by the functions of this class. */
    public static final class Options {
        private boolean createGraph, strict;

        private Options() {}

        /** {@code create_graph=}: the results record their graph and can be differentiated again. */
        public Options createGraph(boolean v) { createGraph = v; return this; }

        /** {@code strict=}: an output independent of an input is an error instead of zeros. */
        public Options strict(boolean v) { strict = v; return this; }
    }

    /** What {@code vjp}, {@code jvp}, {@code vhp} and {@code hvp} return: the function's output and the product(s). */
    public record Result(Tensor output, Tensor[] values) {
        /** The product for the first (or only) input. */
        public Tensor value() { return values[0]; }
    }

    // ------------------------------------------------------------------ vjp / jvp

    /** {@code vjp(func, inputs, v)}: {@code v^T J}, the gradient of {@code <func(x), v>} (v may be null for a one-element output). */
    public static Result vjp(UnaryOperator<Tensor> func, Tensor input, Tensor v) {
        return vjp(in -> func.apply(in[0]), new Tensor[] {input}, v, options());
    }

    /** {@code vjp(func, inputs, v, create_graph, strict)} of a function of several inputs: one product per input. */
    public static Result vjp(Function<Tensor[], Tensor> func, Tensor[] inputs, Tensor v, Options o) {
        try (GradMode.Guard g = GradMode.set(true)) {
            Tensor[] in = prepare(inputs, o.createGraph);
            Tensor out = func.apply(in);
            Tensor vv = validateV(v, out, "output", "the user-provided function returns");
            Tensor[] grads = gradOf(new Tensor[] {out}, in, new Tensor[] {vv}, o.createGraph, o.createGraph);
            fillIn(grads, in, o.strict, "back");
            return new Result(post(out, o.createGraph), post(grads, o.createGraph));
        }
    }

    /**
     * {@code jvp(func, inputs, v)}: {@code J v}, the directional derivative, by PyTorch's double-vjp
     * trick (the vjp with a dummy grad_output {@code u} is linear in {@code u}; its vjp with {@code v} is {@code J v}).
     */
    public static Result jvp(UnaryOperator<Tensor> func, Tensor input, Tensor v) {
        return jvp(in -> func.apply(in[0]), new Tensor[] {input}, v == null ? null : new Tensor[] {v}, options());
    }

    /** {@code jvp(func, inputs, v, create_graph, strict)} of a function of several inputs: {@code v} has one tensor per input. */
    public static Result jvp(Function<Tensor[], Tensor> func, Tensor[] inputs, Tensor[] v, Options o) {
        try (GradMode.Guard g = GradMode.set(true)) {
            Tensor[] in = prepare(inputs, o.createGraph);
            Tensor[] vs = validateVs(v, in);
            Tensor out = func.apply(in);
            Tensor u = Torch.zerosLike(out).requiresGrad_();
            Tensor[] gradInputs = gradOf(new Tensor[] {out}, in, new Tensor[] {u}, true, true);
            fillIn(gradInputs, in, o.strict, "back_trick");
            Tensor[] r = gradOf(gradInputs, new Tensor[] {u}, vs, o.createGraph, o.createGraph);
            if (r[0] == null) {
                if (o.strict) throw new IllegalStateException("The output of the user-provided function is independent of "
                        + "input 0. This is not allowed in strict mode when create_graph=True.");
                r[0] = Torch.zerosLike(out);
            }
            return new Result(post(out, o.createGraph), post(r, o.createGraph));
        }
    }

    // ------------------------------------------------------------------ jacobian / hessian

    /** {@code jacobian(func, input)} of a tensor function: shape {@code output.shape + input.shape}. */
    public static Tensor jacobian(UnaryOperator<Tensor> func, Tensor input) { return jacobian(func, input, options()); }

    /** {@code jacobian(func, input, create_graph=..., strict=...)}: shape {@code output.shape + input.shape}. */
    public static Tensor jacobian(UnaryOperator<Tensor> func, Tensor input, Options o) {
        return jacobian(in -> func.apply(in[0]), new Tensor[] {input}, o)[0];
    }

    /** {@code jacobian(func, inputs)} of a function of several inputs: one Jacobian per input, {@code output.shape + input_i.shape}. */
    public static Tensor[] jacobian(Function<Tensor[], Tensor> func, Tensor[] inputs, Options o) {
        try (GradMode.Guard g = GradMode.set(true)) {
            Tensor[] in = prepare(inputs, o.createGraph);
            Tensor out = func.apply(in);
            Tensor flat = out.reshape(-1);
            int m = (int) flat.numel();
            List<List<Tensor>> rows = new ArrayList<>();
            for (int i = 0; i < in.length; i++) rows.add(new ArrayList<>());
            for (int j = 0; j < m; j++) {
                // Row j: the gradient of output element j (PyTorch's reverse-mode strategy, one backward per element).
                Tensor[] gs = flat.requiresGrad()
                        ? Autograd.grad(new Tensor[] {flat}, in, new Tensor[] {oneHot(flat, j)}, true, o.createGraph, true)
                        : new Tensor[in.length];
                for (int i = 0; i < in.length; i++) {
                    if (gs[i] == null) {
                        if (o.strict)
                            throw new IllegalStateException("Output 0 of the user-provided function is independent of input " + i
                                    + ". This is not allowed in strict mode.");
                        gs[i] = Torch.zerosLike(in[i]);
                    }
                    rows.get(i).add(gs[i]);
                }
            }
            Tensor[] r = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) {
                long[] shape = out.shape().concat(in[i].shape()).toArray();
                r[i] = m == 0 ? Torch.zeros(shape, in[i].dtype()) : Torch.stack(rows.get(i)).reshape(shape);
            }
            return post(r, o.createGraph);
        }
    }

    /** {@code hessian(func, input)} of a scalar function: shape {@code input.shape + input.shape}. */
    public static Tensor hessian(UnaryOperator<Tensor> func, Tensor input) { return hessian(func, input, options()); }

    /** {@code hessian(func, input, create_graph=..., strict=...)}: shape {@code input.shape + input.shape}. */
    public static Tensor hessian(UnaryOperator<Tensor> func, Tensor input, Options o) {
        return hessian(in -> func.apply(in[0]), new Tensor[] {input}, o)[0][0];
    }

    /** {@code hessian(func, inputs)}: {@code H[i][j]} of shape {@code input_i.shape + input_j.shape}. */
    public static Tensor[][] hessian(Function<Tensor[], Tensor> func, Tensor[] inputs, Options o) {
        Function<Tensor[], Tensor> scalar = in -> checkScalar(func.apply(in), "hessian").reshape(); // squeezed, as PyTorch
        Options inner = options().createGraph(true).strict(o.strict);
        int n = inputs.length;
        Tensor[][] h = new Tensor[n][];
        // The Jacobian of the gradient, input by input: row block i is the Jacobian of d func / d input_i.
        for (int i = 0; i < n; i++) {
            int row = i;
            h[i] = jacobian(in -> jacobian(scalar, in, inner)[row], inputs, o);
        }
        return h;
    }

    /** {@code vhp(func, inputs, v)}: {@code v^T H} of a scalar function, as the vjp of its gradient. */
    public static Result vhp(UnaryOperator<Tensor> func, Tensor input, Tensor v) {
        return vhp(in -> func.apply(in[0]), new Tensor[] {input}, new Tensor[] {v}, options());
    }

    /**
     * {@code vhp(func, inputs, v, create_graph=..., strict=...)}: the function's value and
     * {@code v^T H}, one tensor per input.
     */
    public static Result vhp(Function<Tensor[], Tensor> func, Tensor[] inputs, Tensor[] v, Options o) {
        try (GradMode.Guard g = GradMode.set(true)) {
            Tensor[] in = prepare(inputs, o.createGraph);
            Tensor[] vs = validateVs(v, in);
            Tensor out = checkScalar(func.apply(in), "vhp");
            Tensor[] jac = gradOf(new Tensor[] {out}, in, null, true, true);
            fillIn(jac, in, o.strict, "double_back");
            Tensor[] r = gradOf(jac, in, vs, o.createGraph, o.createGraph);
            fillIn(r, in, o.strict, "double_back");
            return new Result(post(out, o.createGraph), post(r, o.createGraph));
        }
    }

    /** {@code hvp(func, inputs, v)}: {@code H v} of a scalar function, by PyTorch's double-backward trick. */
    public static Result hvp(UnaryOperator<Tensor> func, Tensor input, Tensor v) {
        return hvp(in -> func.apply(in[0]), new Tensor[] {input}, new Tensor[] {v}, options());
    }

    /** {@code hvp(func, inputs, v, create_graph=..., strict=...)}: the function's value and {@code H v}, one tensor per input. */
    public static Result hvp(Function<Tensor[], Tensor> func, Tensor[] inputs, Tensor[] v, Options o) {
        try (GradMode.Guard g = GradMode.set(true)) {
            Tensor[] in = prepare(inputs, o.createGraph);
            Tensor[] vs = validateVs(v, in);
            Tensor out = checkScalar(func.apply(in), "hvp");
            Tensor[] jac = gradOf(new Tensor[] {out}, in, null, true, true);
            fillIn(jac, in, o.strict, "double_back");
            Tensor[] u = new Tensor[in.length];
            for (int i = 0; i < u.length; i++) u[i] = Torch.zerosLike(in[i]).requiresGrad_();
            Tensor[] doubleBack = gradOf(jac, in, u, true, true);
            fillIn(doubleBack, in, o.strict, "double_back_trick");
            Tensor[] r = gradOf(doubleBack, u, vs, o.createGraph, o.createGraph);
            fillIn(r, in, o.strict, "double_back_trick");
            return new Result(post(out, o.createGraph), post(r, o.createGraph));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** PyTorch's _grad_preprocess: inputs that require grad, detached unless their graph is wanted. */
    private static Tensor[] prepare(Tensor[] inputs, boolean createGraph) {
        Tensor[] r = new Tensor[inputs.length];
        for (int i = 0; i < r.length; i++) {
            Tensor x = inputs[i];
            r[i] = createGraph && x.requiresGrad() ? x.view(x.shape()) : x.detach().requiresGrad_();
        }
        return r;
    }

    /** PyTorch's _autograd_grad: outputs that do not require grad are left out; nulls where nothing flows. */
    private static Tensor[] gradOf(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean retain, boolean create) {
        List<Tensor> outs = new ArrayList<>(), gos = new ArrayList<>();
        for (int i = 0; i < outputs.length; i++) {
            if (outputs[i] == null || !outputs[i].requiresGrad()) continue;
            outs.add(outputs[i]);
            gos.add(gradOutputs == null ? null : gradOutputs[i]);
        }
        if (outs.isEmpty()) return new Tensor[inputs.length];
        return Autograd.grad(outs.toArray(new Tensor[0]), inputs, gos.toArray(new Tensor[0]), retain, create, true);
    }

    /** PyTorch's _fill_in_zeros: zeros where no gradient arrived, or the strict-mode error. */
    private static void fillIn(Tensor[] grads, Tensor[] refs, boolean strict, String stage) {
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] != null) continue;
            if (strict) {
                switch (stage) {
                    case "back": throw new IllegalStateException("The output of the user-provided function is independent of "
                            + "input " + i + ". This is not allowed in strict mode.");
                    case "back_trick": throw new IllegalStateException("The gradient with respect to the input is independent of "
                            + "entry " + i + " in the grad_outputs when using the double backward trick to compute forward "
                            + "mode gradients. This is not allowed in strict mode.");
                    case "double_back": throw new IllegalStateException("The jacobian of the user-provided function is "
                            + "independent of input " + i + ". This is not allowed in strict mode.");
                    default: throw new IllegalStateException("The hessian of the user-provided function is independent of "
                            + "entry " + i + " in the grad_jacobian. This is not allowed in strict mode as it prevents from "
                            + "using the double backward trick to replace forward mode AD.");
                }
            }
            grads[i] = Torch.zerosLike(refs[i]);
        }
    }

    private static Tensor validateV(Tensor v, Tensor out, String what, String returns) {
        if (v == null) {
            if (out.numel() != 1)
                throw new IllegalArgumentException("The vector v can only be None if the user-provided function returns a "
                        + "single Tensor with a single element.");
            return Torch.onesLike(out);
        }
        if (!Arrays.equals(TensorInternals.sizes(v), TensorInternals.sizes(out)))
            throw new IllegalArgumentException("v has invalid size: should be " + out.shape() + " but got " + v.shape() + ".");
        return v;
    }

    private static Tensor[] validateVs(Tensor[] v, Tensor[] in) {
        if (v == null) {
            if (in.length != 1 || in[0].numel() != 1)
                throw new IllegalArgumentException("The vector v can only be None if the input to the user-provided function "
                        + "is a single Tensor with a single element.");
            return new Tensor[] {Torch.onesLike(in[0])};
        }
        if (v.length != in.length)
            throw new IllegalArgumentException("v is a tuple of invalid length: should be " + in.length + " but got " + v.length + ".");
        for (int i = 0; i < v.length; i++)
            if (!Arrays.equals(TensorInternals.sizes(v[i]), TensorInternals.sizes(in[i])))
                throw new IllegalArgumentException((in.length > 1 ? "Entry " + i + " in " : "") + "v has invalid size: should be " + in[i].shape()
                        + " but got " + v[i].shape() + ".");
        return v;
    }

    private static Tensor checkScalar(Tensor out, String fn) {
        if (out.numel() != 1)
            throw new IllegalArgumentException("The Tensor returned by the function given to " + fn + " should contain a single "
                    + "element");
        return out;
    }

    private static Tensor oneHot(Tensor like, int j) {
        Tensor e = Torch.zerosLike(like);
        e.index(j).fill_(1.0);
        return e;
    }

    private static Tensor post(Tensor t, boolean createGraph) { return createGraph ? t : t.detach(); }

    private static Tensor[] post(Tensor[] ts, boolean createGraph) {
        if (!createGraph) for (int i = 0; i < ts.length; i++) if (ts[i] != null) ts[i] = ts[i].detach();
        return ts;
    }
}
