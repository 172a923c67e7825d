package jtorch.distributed;

/**
 * {@code torch.distributed.ReduceOp}: how {@link Dist#allReduce} and {@link Dist#reduceScatter}
 * combine the ranks' elements.
 *
 * <pre>{@code
 * Dist.allReduce(loss, ReduceOp.AVG);   // dist.all_reduce(loss, op=ReduceOp.AVG)
 * }</pre>
 */
public enum ReduceOp {
    /** The elementwise sum. */
    SUM,
    /** The sum divided by the world size (floating-point tensors only). */
    AVG,
    /** The elementwise product. */
    PRODUCT,
    /** The elementwise minimum. */
    MIN,
    /** The elementwise maximum. */
    MAX
}
