package jtorch.kernels;

/**
 * Elementwise unary kernels. {@code CLAMP} takes (min, max) with NaN meaning "no bound";
 * {@code POW_SCALAR} takes the exponent.
 */
public enum UnaryOp {
    NEG, ABS, SIGN, EXP, LOG, SQRT, RSQRT, SIN, COS, TANH, SIGMOID, RELU, RECIPROCAL, CLAMP, POW_SCALAR,
    LOG1P, EXPM1, ERF;

    /** Ops defined on int64 without leaving the integers. */
    public boolean keepsIntegers() {
        return this == NEG || this == ABS || this == SIGN || this == RELU || this == CLAMP || this == POW_SCALAR;
    }
}
