package jtorch.kernels;

/**
 * Which run loop of a provider ({@link ElementKernels}, {@code VectorElementwise}) a kernel of
 * {@link PointwiseKernels} asks for: the Vector API loops of add, sub, mul, div, maximum, minimum
 * and the comparisons share one switch per provider. Not an op path: the ops are the rows of
 * {@code jtorch.ops.PointwiseBinary}, and a new op needs no constant here (only a provider loop
 * of its own would). Comparisons write {@code bool} (a property of each constant).
 */
public enum BinaryOp {
    ADD(false), SUB(false), MUL(false), DIV(false), POW(false), MAXIMUM(false), MINIMUM(false),
    EQ(true), NE(true), LT(true), LE(true), GT(true), GE(true);

    private final boolean boolResult;

    BinaryOp(boolean boolResult) { this.boolResult = boolResult; }

    /** Whether the result is {@code bool} (EQ NE LT LE GT GE). */
    public boolean isComparison() { return boolResult; }
}
