package jtorch.kernels;

import jtorch.DType;
import jtorch.Storage;

/**
 * Matrix products over strided tensors, computed by the provider {@link Kernels} chose (native
 * BLAS, Vector API or scalar Java; int64 always in plain loops). Operands may have any strides:
 * transposed, sliced or broadcast (stride 0) operands are read in place.
 *
 * <pre>{@code
 * Tensor out = Tensor.allocate(DType.FLOAT32, new int[] {m, n});
 * Gemm.mm(out, a, b.t());                         // out = a @ b^T, b read transposed in place
 * Gemm.bmm(out3, a3, w.unsqueeze(0).expand(batch, k, n), false);   // the weight is not copied per batch
 * }</pre>
 */
public final class Gemm {
    private Gemm() {}

    /** {@code out (m x n) = a (m x k) @ b (k x n)}; {@code out} is overwritten (its contents are not read). */
    public static void mm(StridedArray out, StridedArray a, StridedArray b) { mm(out, a, b, false); }

    /**
     * {@code out = a @ b} into a freshly allocated {@code out} (all +0, as the JVM hands out arrays).
     * Same bits as {@link #mm(StridedArray, StridedArray, StridedArray)}, one pass over {@code out} fewer on the native
     * provider: OpenBLAS with beta = 0 first clears C in a pass of its own and its kernel then adds
     * the product to C, so beta = 1 on a zeroed C does the same arithmetic without that pass (0.02 ms
     * of a 256x256 product with k = 10, 1-2% of a 256x784 one). The Java kernels write the product
     * instead, cheaper than reading C back.
     *
     * <pre>{@code
     * Tensor out = Tensor.allocate(DType.FLOAT32, new int[] {m, n});
     * Gemm.mmIntoZeros(out, a, b);                    // out = a @ b
     * }</pre>
     */
    public static void mmIntoZeros(StridedArray out, StridedArray a, StridedArray b) {
        mm(out, a, b, out.dtype().isFloatingPoint() && Kernels.gemm() instanceof NativeGemm);
    }

    /** {@code out (+)= a @ b} over 2-D strided tensors: with {@code accumulate} the product is added to {@code out}. */
    public static void mm(StridedArray out, StridedArray a, StridedArray b, boolean accumulate) {
        int[] sa = a.sizesInternal(), sb = b.sizesInternal(), sta = a.stridesInternal(), stb = b.stridesInternal();
        int[] sto = out.stridesInternal();
        product(out.dtype(), sa[0], sb[1], sa[1], a, a.storageOffsetInternal(), sta[0], sta[1], b, b.storageOffsetInternal(),
                stb[0], stb[1], out, out.storageOffsetInternal(), sto[0], sto[1], accumulate, Parallel.numThreads());
    }

    /**
     * {@code out = beta * input + alpha * (a @ b)}, PyTorch's {@code addmm}, over a fresh {@code out}
     * and an {@code input} already broadcast to its shape. As in PyTorch, {@code input} is copied
     * into {@code out} and the GEMM accumulates onto it (the bias is added in the kernel, no pass
     * after the product); {@code beta == 0} never reads {@code input} (NaN in it does not leak).
     * A {@code beta} other than 0 and 1 scales the copy as it is made, an {@code alpha} other than
     * 1 is added with one fused multiply-add pass.
     *
     * <pre>{@code
     * Gemm.addmm(out, bias.expand(m, n), x, w.t(), 1, 1);     // out = bias + x @ w^T
     * }</pre>
     */
    public static void addmm(StridedArray out, StridedArray input, StridedArray a, StridedArray b, double beta, double alpha) {
        boolean accumulate = seed(out, input, beta);
        if (alpha == 1) {
            mm(out, a, b, accumulate);
            return;
        }
        StridedArray product = dense(out.dtype(), out.sizesInternal());
        mmIntoZeros(product, a, b);
        scaleAdd(out, product, alpha, accumulate);
    }

    /** {@code out = beta * input + alpha * bmm(a, b)}, PyTorch's {@code baddbmm}, as {@link #addmm} per batch. */
    public static void baddbmm(StridedArray out, StridedArray input, StridedArray a, StridedArray b, double beta, double alpha) {
        boolean accumulate = seed(out, input, beta);
        if (alpha == 1) {
            bmm(out, a, b, accumulate);
            return;
        }
        StridedArray product = dense(out.dtype(), out.sizesInternal());
        bmm(product, a, b, false);
        scaleAdd(out, product, alpha, accumulate);
    }

    /** Writes {@code beta * input} into {@code out} unless beta is 0; whether the product must accumulate onto it. */
    private static boolean seed(StridedArray out, StridedArray input, double beta) {
        if (beta == 0) return false;
        if (beta == 1) Copy.copy(out, input);
        else pointwise(PointwiseKernels.MUL, out, input, scalarLike(out, beta));
        return true;
    }

    /** {@code out = (accumulate ? out : 0) + alpha * product}, with PyTorch's add-with-alpha rounding (one fma). */
    private static void scaleAdd(StridedArray out, StridedArray product, double alpha, boolean accumulate) {
        if (accumulate) pointwise(PointwiseKernels.add(alpha), out, out, product);
        else pointwise(PointwiseKernels.MUL, out, product, scalarLike(out, alpha));
    }

    /** {@code out = k(a, b)} for a dense {@code out} (addmm's fresh result) and {@code a}, {@code b} of its sizes. */
    private static void pointwise(BinaryKernel k, StridedArray out, StridedArray a, StridedArray b) {
        PointwiseLoop.binary(k, out.storage().array(), out.storageOffsetInternal(), a.storage().array(), a.storageOffsetInternal(),
                a.stridesInternal(), b.storage().array(), b.storageOffsetInternal(), b.stridesInternal(), out.sizesInternal());
    }

    /** {@code value} as a 0-stride view of {@code like}'s shape and dtype. */
    private static StridedArray scalarLike(StridedArray like, double value) {
        StridedArray s = dense(like.dtype(), new int[0]);
        if (like.dtype() == DType.INT64) Copy.fill(s, (long) value);
        else Copy.fill(s, value);
        return new StridedView(s, like.sizesInternal().clone(), new int[like.dim()], 0);
    }

    /**
     * {@code out[i] (+)= a[i] @ b[i]} for every index of the leading (batch) dim of three 3-D
     * tensors. A batch stride of 0 (an operand expanded over the batch) reads the same matrix for
     * every batch; a shared B with A and C stacked row after row is folded into one product of
     * {@code batch * m} rows. Otherwise many small products run in parallel over the batch, large
     * ones one after the other, each on all threads.
     */
    public static void bmm(StridedArray out, StridedArray a, StridedArray b, boolean accumulate) {
        int batch = a.sizesInternal()[0];
        int m = a.sizesInternal()[1], k = a.sizesInternal()[2], n = b.sizesInternal()[2];
        if (batch == 0 || m == 0 || n == 0) return;
        int[] sa = a.stridesInternal(), sb = b.stridesInternal(), so = out.stridesInternal();
        int aRow = m == 1 ? sa[0] : sa[1], outRow = m == 1 ? so[0] : so[1];
        if (batch > 1 && sb[0] == 0 && sa[0] == m * aRow && so[0] == m * outRow && (so[2] == 1 || n == 1)) {
            // B is shared and A's and C's matrices are stacked row after row: one product of batch * m rows.
            product(out.dtype(), batch * m, n, k, a, a.storageOffsetInternal(), aRow, sa[2], b, b.storageOffsetInternal(), sb[1], sb[2],
                    out, out.storageOffsetInternal(), outRow, so[2], accumulate, Parallel.numThreads());
            return;
        }
        BatchTask task = BATCH.get();
        task.set(out, a, b, m, n, k, accumulate);
        long mnk = (long) m * n * k;
        int threads = Parallel.numThreads();
        GemmKernel gemm = Kernels.gemm();
        // A native product whose OpenBLAS holds its own threads must run whole on the calling thread;
        // when jtorch sets OpenBLAS to one thread, small products split over the batch like Java's.
        boolean nativeSized = Kernels.provider() == KernelProvider.NATIVE && mnk >= NativeGemm.MIN_MNK
                && out.dtype().isFloatingPoint() && !(gemm instanceof NativeGemm && ((NativeGemm) gemm).controlsThreads());
        try {
            if (batch == 1 || threads == 1 || mnk >= PackedGemm.PARALLEL_MNK || nativeSized) {
                task.threads = threads;
                task.run(0, batch);
            } else {
                task.threads = 1;
                // Enough batches per chunk that a chunk is worth a thread's wake-up.
                int grain = (int) Math.max(1, Math.min(batch, PackedGemm.PARALLEL_MNK / Math.max(1, mnk)));
                Parallel.parallelFor(0, batch, grain, task);
            }
        } finally {
            task.clear();
        }
    }

    /** The per-batch products of one {@link #bmm} call; reused per calling thread. */
    private static final class BatchTask implements Parallel.RangeBody {
        StridedArray out, a, b;
        int m, n, k, threads;
        boolean accumulate;

        void set(StridedArray out, StridedArray a, StridedArray b, int m, int n, int k, boolean accumulate) {
            this.out = out; this.a = a; this.b = b; this.m = m; this.n = n; this.k = k; this.accumulate = accumulate;
        }

        void clear() { out = a = b = null; }

        @Override
        public void run(int begin, int end) {
            int[] sa = a.stridesInternal(), sb = b.stridesInternal(), so = out.stridesInternal();
            for (int i = begin; i < end; i++)
                product(out.dtype(), m, n, k, a, a.storageOffsetInternal() + i * sa[0], sa[1], sa[2],
                        b, b.storageOffsetInternal() + i * sb[0], sb[1], sb[2],
                        out, out.storageOffsetInternal() + i * so[0], so[1], so[2], accumulate, threads);
        }
    }

    /** A fresh zeroed row-major array of {@code sizes} (a kernel's own scratch, no tensor). */
    private static StridedArray dense(DType dtype, int[] sizes) {
        return new StridedView(Storage.allocate(dtype, PointwiseLoop.numel(sizes)), sizes, PointwiseLoop.denseStrides(sizes), 0);
    }

    private static final ThreadLocal<BatchTask> BATCH = ThreadLocal.withInitial(BatchTask::new);

    /**
     * One product {@code C (m x n) (+)= A (m x k) B (k x n)} with every operand strided. A result
     * whose rows are not unit-stride but whose columns are is computed as {@code C^T = B^T A^T}.
     */
    static void product(DType dtype, int m, int n, int k, StridedArray a, int ao, int ars, int acs, StridedArray b, int bo, int brs, int bcs,
                        StridedArray c, int co, int crs, int ccs, boolean accumulate, int threads) {
        if (m == 0 || n == 0) return;
        if (ccs != 1 && n != 1 && (crs == 1 || m == 1)) {
            product(dtype, n, m, k, b, bo, bcs, brs, a, ao, acs, ars, c, co, ccs, crs, accumulate, threads);
            return;
        }
        if (ccs != 1 && n != 1) {
            // A result with no unit stride (not produced by the ops): compute into a fresh matrix, then add or copy.
            StridedArray tmp = dense(dtype, new int[] {m, n});
            product(dtype, m, n, k, a, ao, ars, acs, b, bo, brs, bcs, tmp, 0, n, 1, false, threads);
            StridedArray view = new StridedView(c, new int[] {m, n}, new int[] {crs, ccs}, co);
            if (accumulate) Copy.accumulate(view, tmp);
            else Copy.copy(view, tmp);
            return;
        }
        int ldc = crs;
        switch (dtype) {
            case FLOAT32:
                Kernels.gemm().sgemm(m, n, k, a.storage().f32(), ao, ars, acs, b.storage().f32(), bo, brs, bcs,
                        c.storage().f32(), co, ldc, accumulate, threads);
                return;
            case FLOAT64:
                Kernels.gemm().dgemm(m, n, k, a.storage().f64(), ao, ars, acs, b.storage().f64(), bo, brs, bcs,
                        c.storage().f64(), co, ldc, accumulate, threads);
                return;
            case INT64: {
                long[] A = a.storage().i64(), B = b.storage().i64(), C = c.storage().i64();
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        long acc = accumulate ? C[co + i * ldc + j] : 0;
                        for (int p = 0; p < k; p++) acc += A[ao + i * ars + p * acs] * B[bo + p * brs + j * bcs];
                        C[co + i * ldc + j] = acc;
                    }
                return;
            }
            default: throw new IllegalArgumentException("\"addmm_impl_cpu_\" not implemented for 'Bool'");
        }
    }
}
