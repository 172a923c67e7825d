package jtorch.kernels;

/**
 * Which run loop of a provider ({@link ElementKernels}, {@code VectorElementwise}) a unary kernel
 * of {@link PointwiseKernels} asks for (the ops are the rows of {@code jtorch.ops.PointwiseUnary}
 * and {@code PointwiseParam}). {@code CLAMP} takes (min, max) with NaN meaning "no bound";
 * {@code POW_SCALAR} takes the exponent.
 */
public enum UnaryOp {
    NEG, ABS, SIGN, EXP, LOG, SQRT, RSQRT, SIN, COS, TANH, SIGMOID, RELU, RECIPROCAL, CLAMP, POW_SCALAR,
    LOG1P, EXPM1, ERF
}
