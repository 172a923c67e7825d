/**
 * {@code torch.distributed} in jtorch: process groups on Open MPI, the tensor collectives
 * ({@link jtorch.distributed.Dist}), {@link jtorch.nn.parallel.DistributedDataParallel} and
 * {@link jtorch.utils.data.distributed.DistributedSampler}. The MPI binding uses {@code java.lang.foreign} and needs JDK 22 or
 * later; on older JDKs {@link jtorch.distributed.Dist#initProcessGroup} says so.
 *
 * <pre>{@code
 * module my.app {
 *     requires jtorch.distributed;
 * }
 * }</pre>
 */
module jtorch.distributed {
    requires transitive jtorch.nn;

    exports jtorch.distributed;
    exports jtorch.nn.parallel;
    exports jtorch.utils.data.distributed;
}
