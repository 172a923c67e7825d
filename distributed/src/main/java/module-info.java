/**
 * {@code torch.distributed} in jtorch: process groups on Open MPI, tensor collectives and (to come)
 * {@code DistributedDataParallel}. The MPI binding uses {@code java.lang.foreign} and needs JDK 22 or
 * later; on older JDKs {@link jtorch.distributed.Dist#initProcessGroup} says so.
 *
 * <pre>{@code
 * module my.app {
 *     requires jtorch.distributed;
 * }
 * }</pre>
 */
module jtorch.distributed {
    requires transitive jtorch.core;

    exports jtorch.distributed;
}
