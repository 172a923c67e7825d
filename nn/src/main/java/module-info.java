/**
 * {@code torch.nn} in jtorch: {@link jtorch.nn.Module} and the layers, losses and containers,
 * {@code jtorch.nn.functional}, {@code jtorch.nn.init} and {@code jtorch.nn.utils}.
 *
 * <p>Parameters and submodules are registered explicitly ({@code registerParameter},
 * {@code registerModule}); replacing a registered submodule and deep-copying a model re-point the
 * subclass's fields by reflection, so an application module that does either opens the packages of
 * its models to {@code jtorch.nn}: {@code opens my.app.model to jtorch.nn;}.
 */
module jtorch.nn {
    requires transitive jtorch.core;

    exports jtorch.nn;
    exports jtorch.nn.functional;
    exports jtorch.nn.utils;
    exports jtorch.nn.utils.rnn;
}
