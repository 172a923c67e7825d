/**
 * {@code torch.optim} in jtorch: the optimizers ({@link jtorch.optim.SGD}, {@link jtorch.optim.Adam},
 * ...) and the learning-rate schedulers of {@code jtorch.optim.lr}.
 */
module jtorch.optim {
    requires transitive jtorch.core;

    exports jtorch.optim;
    exports jtorch.optim.lr;
}
