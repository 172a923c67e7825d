package jtorch.kernels;

import jtorch.DType;
import jtorch.Tensor;

/**
 * Matrix products over strided 2-D operands: {@code out (m x n) = a (m x k) @ b (k x n)}, with
 * {@code out} contiguous and freshly zeroed. Row-major {@code b} runs the i-k-j loop (unit-stride
 * inner loop over a row of {@code b} and {@code out}); a column-major {@code b} runs dot products
 * along k. Other layouts are copied to row-major first.
 */
public final class Gemm {
    private Gemm() {}

    public static void mm(Tensor out, Tensor a, Tensor b) {
        int m = a.sizesInternal()[0], k = a.sizesInternal()[1], n = b.sizesInternal()[1];
        int sa0 = a.stridesInternal()[0], sa1 = a.stridesInternal()[1];
        int sb0 = b.stridesInternal()[0], sb1 = b.stridesInternal()[1];
        int oa = a.storageOffsetInternal(), ob = b.storageOffsetInternal(), oo = out.storageOffsetInternal();
        if (m == 0 || n == 0 || k == 0) return;
        DType t = out.dtype();
        boolean rowMajorB = sb1 == 1 || n == 1;
        boolean dotForm = !rowMajorB && (sb0 == 1 || k == 1);
        if (!rowMajorB && !dotForm) {
            Tensor bc = Tensor.allocate(b.dtype(), b.sizesInternal());
            Copy.copy(bc, b);
            mm(out, a, bc);
            return;
        }
        switch (t) {
            case FLOAT32: {
                float[] A = a.storage().f32(), B = b.storage().f32(), C = out.storage().f32();
                if (rowMajorB) {
                    for (int i = 0; i < m; i++) {
                        int ci = oo + i * n;
                        for (int p = 0; p < k; p++) {
                            float av = A[oa + i * sa0 + p * sa1];
                            int bp = ob + p * sb0;
                            for (int j = 0; j < n; j++) C[ci + j] += av * B[bp + j * sb1];
                        }
                    }
                } else {
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++) {
                            float acc = 0;
                            int ai = oa + i * sa0, bj = ob + j * sb1;
                            for (int p = 0; p < k; p++) acc += A[ai + p * sa1] * B[bj + p * sb0];
                            C[oo + i * n + j] = acc;
                        }
                }
                return;
            }
            case FLOAT64: {
                double[] A = a.storage().f64(), B = b.storage().f64(), C = out.storage().f64();
                if (rowMajorB) {
                    for (int i = 0; i < m; i++) {
                        int ci = oo + i * n;
                        for (int p = 0; p < k; p++) {
                            double av = A[oa + i * sa0 + p * sa1];
                            int bp = ob + p * sb0;
                            for (int j = 0; j < n; j++) C[ci + j] += av * B[bp + j * sb1];
                        }
                    }
                } else {
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++) {
                            double acc = 0;
                            int ai = oa + i * sa0, bj = ob + j * sb1;
                            for (int p = 0; p < k; p++) acc += A[ai + p * sa1] * B[bj + p * sb0];
                            C[oo + i * n + j] = acc;
                        }
                }
                return;
            }
            case INT64: {
                long[] A = a.storage().i64(), B = b.storage().i64(), C = out.storage().i64();
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        long acc = 0;
                        for (int p = 0; p < k; p++) acc += A[oa + i * sa0 + p * sa1] * B[ob + p * sb0 + j * sb1];
                        C[oo + i * n + j] = acc;
                    }
                return;
            }
            default: throw new IllegalArgumentException("\"addmm_impl_cpu_\" not implemented for 'Bool'");
        }
    }
}
