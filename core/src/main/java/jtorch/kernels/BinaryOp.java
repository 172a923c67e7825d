package jtorch.kernels;

/**
 * Elementwise binary kernels. Comparisons write {@code bool} (a property of each constant, so a
 * constant may be added anywhere in the list); the rest write the operands' dtype.
 */
public enum BinaryOp {
    ADD(false), SUB(false), MUL(false), DIV(false), POW(false), MAXIMUM(false), MINIMUM(false),
    EQ(true), NE(true), LT(true), LE(true), GT(true), GE(true);

    private final boolean boolResult;

    BinaryOp(boolean boolResult) { this.boolResult = boolResult; }

    /** Whether the result is {@code bool} (EQ NE LT LE GT GE). */
    public boolean isComparison() { return boolResult; }
}
