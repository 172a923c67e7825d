package jtorch.kernels;

/**
 * Who computes matrix products. {@link Kernels} picks one at start-up by its documented rule
 * (the Vector API on 512-bit vectors, else OpenBLAS where installed, else the Vector API, else
 * plain Java); {@code -Djtorch.kernels=native|vector|scalar} (or {@link Kernels#use}) asks for a
 * specific one.
 *
 * <pre>{@code
 * if (Kernels.provider() != KernelProvider.NATIVE)
 *     System.err.println("no OpenBLAS: " + Kernels.unavailableReason(KernelProvider.NATIVE));
 * }</pre>
 */
public enum KernelProvider {
    /** An optimised native BLAS (OpenBLAS) for float32/float64 GEMM, Java for the rest. */
    NATIVE,
    /** Java on the Vector API ({@code jdk.incubator.vector}, run with {@code --add-modules jdk.incubator.vector}). */
    VECTOR,
    /** Plain Java loops: always available. */
    SCALAR
}
