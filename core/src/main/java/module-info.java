/**
 * jtorch's core: {@link jtorch.Tensor}, the factories and functions of {@link jtorch.Torch}, the
 * autograd engine ({@code jtorch.autograd}), PyTorch's random streams, serialization, datasets and
 * the data loader. The ops layer ({@code jtorch.ops}) and the kernels ({@code jtorch.kernels}) are
 * internal: exported only to jtorch's own modules.
 *
 * <p>The Vector API ({@code jdk.incubator.vector}) is optional: run with {@code --add-modules
 * jdk.incubator.vector} to get its kernels; without it the scalar (or native BLAS) paths run.
 *
 * <pre>{@code
 * module my.app {
 *     requires jtorch.nn;     // brings jtorch.core
 *     requires jtorch.optim;
 *     opens my.app.model to jtorch.nn;  // only to replace submodules or deep-copy models (their fields are re-pointed reflectively)
 * }
 * }</pre>
 */
module jtorch.core {
    requires transitive org.slf4j;
    requires static jdk.incubator.vector;
    requires dev.ludovic.netlib.blas;

    exports jtorch;
    exports jtorch.autograd;
    exports jtorch.datasets;
    exports jtorch.serialization;
    exports jtorch.utils.data;
    exports jtorch.utils.hooks;

    exports jtorch.ops to jtorch.nn;
    exports jtorch.kernels to jtorch.nn;
    exports jtorch.internal to jtorch.nn;
}
