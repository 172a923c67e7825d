package jtorch;

import jtorch.ops.Norms;

/**
 * The {@code torch.linalg} namespace (norms for now). The lower-case name mirrors PyTorch's, as
 * {@code nn.init} does:
 *
 * <pre>{@code
 * Tensor n = linalg.vectorNorm(x, 2, new int[] {1}, false);   // torch.linalg.vector_norm(x, 2, dim=1)
 * Tensor f = linalg.matrixNorm(w);                             // Frobenius norm of the last two dims
 * Tensor one = linalg.matrixNorm(w, 1);                        // max column sum of |w|
 * }</pre>
 */
@SuppressWarnings("checkstyle:TypeName")
public final class linalg {
    private linalg() {}

    private static final String VECTOR_DTYPE = "linalg.vector_norm: Expected a floating point or complex tensor as input. Got ";

    /** {@code vector_norm(x)}: the 2-norm of all elements. */
    public static Tensor vectorNorm(Tensor x) { return vectorNorm(x, 2, null, false); }

    /** {@code vector_norm(x, ord)}; ord = inf, -inf, 0 (non-zeros) or any real. */
    public static Tensor vectorNorm(Tensor x, double ord) { return vectorNorm(x, ord, null, false); }

    /** {@code vector_norm(x, ord, dim, keepdim)}; null dims = all. */
    public static Tensor vectorNorm(Tensor x, double ord, int[] dims, boolean keepdim) {
        return Norms.vectorNorm(x, ord, dims, keepdim, "LinalgVectorNormBackward0", VECTOR_DTYPE);
    }

    /** {@code matrix_norm(A)}: the Frobenius norm over the last two dims. */
    public static Tensor matrixNorm(Tensor a) { return Norms.matrixNorm(a, "fro", new int[] {-2, -1}, false); }

    /** {@code matrix_norm(A, ord)} with ord "fro" ("nuc" needs an SVD and is refused). */
    public static Tensor matrixNorm(Tensor a, String ord) { return Norms.matrixNorm(a, ord, new int[] {-2, -1}, false); }

    /** {@code matrix_norm(A, ord)} with ord 1, -1, inf, -inf (±2 need an SVD and are refused). */
    public static Tensor matrixNorm(Tensor a, double ord) { return Norms.matrixNorm(a, ord, new int[] {-2, -1}, false); }

    /** {@code matrix_norm(A, ord, dim, keepdim)} with a string ord over the two given dims. */
    public static Tensor matrixNorm(Tensor a, String ord, int[] dims, boolean keepdim) { return Norms.matrixNorm(a, ord, dims, keepdim); }

    /** {@code matrix_norm(A, ord, dim, keepdim)} with a numeric ord over the two given dims. */
    public static Tensor matrixNorm(Tensor a, double ord, int[] dims, boolean keepdim) { return Norms.matrixNorm(a, ord, dims, keepdim); }
}
