package jtorch.nn.utils;

import java.util.ArrayList;
import java.util.List;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.nn.utils.parameters_to_vector} and {@code vector_to_parameters} (PyTorch's
 * {@code torch/nn/utils/convert_parameters.py}).
 *
 * <pre>{@code
 * Tensor flat = ConvertParameters.parametersToVector(net.parameters());   // one 1-D tensor
 * ConvertParameters.vectorToParameters(flat.mul(0.5), net.parameters());  // the parameters now view it
 * }</pre>
 */
public final class ConvertParameters {
    private ConvertParameters() {}

    /**
     * {@code parameters_to_vector(parameters)}: every parameter flattened ({@code view(-1)}) and
     * concatenated in order; differentiable, so gradients flow back to the parameters.
     */
    public static Tensor parametersToVector(Iterable<? extends Tensor> parameters) {
        List<Tensor> flat = new ArrayList<>();
        for (Tensor p : parameters) flat.add(p.view(-1));
        if (flat.isEmpty()) throw new IllegalArgumentException("parameters_to_vector: expected a non-empty list of parameters");
        return Torch.cat(flat);
    }

    /**
     * {@code vector_to_parameters(vec, parameters)}: each parameter's data becomes the next
     * {@code numel()} elements of {@code vec}, viewed in its shape. As in PyTorch this replaces the
     * data ({@code param.data = ...}) without copying: the parameters then share {@code vec}'s
     * storage, and the parameter objects (and the fields holding them) stay the same. Elements of
     * {@code vec} after the last parameter's are ignored, as PyTorch ignores them.
     */
    public static void vectorToParameters(Tensor vec, Iterable<? extends Tensor> parameters) {
        if (vec == null) throw new IllegalArgumentException("expected torch.Tensor, but got: NoneType");
        long needed = 0;
        for (Tensor p : parameters) needed += p.numel();
        if (vec.dim() != 1 || vec.size(0) < needed)
            throw new IllegalArgumentException("vector_to_parameters: expected a 1-D vector of at least " + needed
                    + " elements (the parameters' numel), got shape " + vec.shape());
        long pointer = 0;
        for (Tensor p : parameters) {
            long n = p.numel();
            p.setData(vec.narrow(0, pointer, n).view(p.shape()).data());
            pointer += n;
        }
    }
}
