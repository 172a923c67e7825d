package jtorch.nn;

import jtorch.Tensor;

/** Constructor-argument checks shared by the modules, with PyTorch's messages. */
final class Checks {
    private Checks() {}

    /** {@code _Reduction.get_enum}: "mean", "sum" or "none". */
    static String reduction(String reduction) {
        if (!"mean".equals(reduction) && !"sum".equals(reduction) && !"none".equals(reduction))
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        return reduction;
    }

    /** What {@code torch.empty(sizes)} says about a negative size. */
    static void nonNegative(long... sizes) {
        for (long s : sizes)
            if (s < 0) {
                StringBuilder b = new StringBuilder("[");
                for (int i = 0; i < sizes.length; i++) b.append(i == 0 ? "" : ", ").append(sizes[i]);
                throw new IllegalArgumentException("Trying to create tensor with negative dimension " + s + ": " + b.append(']'));
            }
    }

    /** A class-weight vector must be 1-D. */
    static Tensor classWeight(Tensor weight, String module) {
        if (weight != null && weight.dim() != 1)
            throw new IllegalArgumentException(module + ": weight should be a 1D tensor of per-class weights, got shape " + weight.shape());
        return weight;
    }
}
