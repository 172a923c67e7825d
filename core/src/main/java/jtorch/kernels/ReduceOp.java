package jtorch.kernels;

/** Reductions computed by {@link Reduce}. The ARG variants write int64 positions within the reduced region. */
public enum ReduceOp { SUM, PROD, MAX, MIN, ARGMAX, ARGMIN }
