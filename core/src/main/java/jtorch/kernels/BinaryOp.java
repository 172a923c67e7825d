package jtorch.kernels;

/** Elementwise binary kernels. Comparisons write {@code bool}; the rest write the operands' dtype. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE;

    public boolean isComparison() { return ordinal() >= EQ.ordinal(); }
}
