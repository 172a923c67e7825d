package jtorch.kernels;

/**
 * Plain-Java GEMM: the packed, blocked driver of {@link PackedGemm} with a 4x4 register tile of
 * scalar multiply-adds (C2 keeps the 16 accumulators in registers). The fallback when neither an
 * optimised BLAS nor the Vector API is available, and the reference the faster providers are
 * tested against.
 */
final class ScalarGemm extends PackedGemm {
    ScalarGemm() {
        super(new int[] {4, 4}, new int[] {256, 128, 1024}, new int[] {4, 4}, new int[] {256, 64, 1024});
    }

    @Override
    public String describe() { return "scalar Java (4x4 register tile)"; }

    @Override
    void microF(int kc, float[] pa, int ao, float[] pb, int bo, int bStride, float[] c, int co, int ldc, boolean accumulate) {
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        for (int p = 0; p < kc; p++, ao += 4, bo += bStride) {
            float a0 = pa[ao], a1 = pa[ao + 1], a2 = pa[ao + 2], a3 = pa[ao + 3];
            float b0 = pb[bo], b1 = pb[bo + 1], b2 = pb[bo + 2], b3 = pb[bo + 3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        if (accumulate) {
            int o0 = co;
            c[o0] += c00; c[o0 + 1] += c01; c[o0 + 2] += c02; c[o0 + 3] += c03;
            int o1 = co + ldc;
            c[o1] += c10; c[o1 + 1] += c11; c[o1 + 2] += c12; c[o1 + 3] += c13;
            int o2 = co + 2 * ldc;
            c[o2] += c20; c[o2 + 1] += c21; c[o2 + 2] += c22; c[o2 + 3] += c23;
            int o3 = co + 3 * ldc;
            c[o3] += c30; c[o3 + 1] += c31; c[o3 + 2] += c32; c[o3 + 3] += c33;
        } else {
            int o0 = co;
            c[o0] = c00; c[o0 + 1] = c01; c[o0 + 2] = c02; c[o0 + 3] = c03;
            int o1 = co + ldc;
            c[o1] = c10; c[o1 + 1] = c11; c[o1 + 2] = c12; c[o1 + 3] = c13;
            int o2 = co + 2 * ldc;
            c[o2] = c20; c[o2 + 1] = c21; c[o2 + 2] = c22; c[o2 + 3] = c23;
            int o3 = co + 3 * ldc;
            c[o3] = c30; c[o3 + 1] = c31; c[o3 + 2] = c32; c[o3 + 3] = c33;
        }
    }

    @Override
    void microD(int kc, double[] pa, int ao, double[] pb, int bo, int bStride, double[] c, int co, int ldc, boolean accumulate) {
        double c00 = 0.0, c01 = 0.0, c02 = 0.0, c03 = 0.0;
        double c10 = 0.0, c11 = 0.0, c12 = 0.0, c13 = 0.0;
        double c20 = 0.0, c21 = 0.0, c22 = 0.0, c23 = 0.0;
        double c30 = 0.0, c31 = 0.0, c32 = 0.0, c33 = 0.0;
        for (int p = 0; p < kc; p++, ao += 4, bo += bStride) {
            double a0 = pa[ao], a1 = pa[ao + 1], a2 = pa[ao + 2], a3 = pa[ao + 3];
            double b0 = pb[bo], b1 = pb[bo + 1], b2 = pb[bo + 2], b3 = pb[bo + 3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        if (accumulate) {
            int o0 = co;
            c[o0] += c00; c[o0 + 1] += c01; c[o0 + 2] += c02; c[o0 + 3] += c03;
            int o1 = co + ldc;
            c[o1] += c10; c[o1 + 1] += c11; c[o1 + 2] += c12; c[o1 + 3] += c13;
            int o2 = co + 2 * ldc;
            c[o2] += c20; c[o2 + 1] += c21; c[o2 + 2] += c22; c[o2 + 3] += c23;
            int o3 = co + 3 * ldc;
            c[o3] += c30; c[o3 + 1] += c31; c[o3 + 2] += c32; c[o3 + 3] += c33;
        } else {
            int o0 = co;
            c[o0] = c00; c[o0 + 1] = c01; c[o0 + 2] = c02; c[o0 + 3] = c03;
            int o1 = co + ldc;
            c[o1] = c10; c[o1 + 1] = c11; c[o1 + 2] = c12; c[o1 + 3] = c13;
            int o2 = co + 2 * ldc;
            c[o2] = c20; c[o2 + 1] = c21; c[o2 + 2] = c22; c[o2 + 3] = c23;
            int o3 = co + 3 * ldc;
            c[o3] = c30; c[o3 + 1] = c31; c[o3 + 2] = c32; c[o3 + 3] = c33;
        }
    }
}
