package jtorch.nn;

import jtorch.Tensor;

/**
 * A tensor that is a module's learnable weight: a leaf that requires grad and is listed by
 * {@link Module#parameters()}. It shares storage with the tensor it wraps, as {@code nn.Parameter} does.
 *
 * <pre>{@code
 * Parameter w = new Parameter(Torch.rand(1, 2));
 * System.out.println(w);   // Parameter containing:\ntensor([[0.4963, 0.7682]], requires_grad=True)
 * }</pre>
 */
public class Parameter extends Tensor {
    /** {@code nn.Parameter(data)}: a leaf sharing {@code data}'s storage, requiring grad. */
    public Parameter(Tensor data) { this(data, true); }

    /** {@code nn.Parameter(data, requires_grad)}: a leaf sharing {@code data}'s storage (detached from its graph). */
    public Parameter(Tensor data, boolean requiresGrad) {
        super(data.detach(), requiresGrad);
    }

    @Override public String toString() { return "Parameter containing:\n" + super.toString(); }
}
