package jtorch.nn.functional;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

/** Embedding lookup as a row gather; the padding row is looked up but passes no gradient. */
final class Embeddings {
    private Embeddings() {}

    /** Python's {@code F.embedding} checks of {@code padding_idx}; returns it in {@code [0, num)}, or -1 for none. */
    static long normalizePaddingIdx(Long paddingIdx, long numEmbeddings) {
        if (paddingIdx == null) return -1;
        long p = paddingIdx;
        if (p > 0 && p >= numEmbeddings || p < 0 && p < -numEmbeddings)
            throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
        return p < 0 ? p + numEmbeddings : p;
    }

    static Tensor embedding(Tensor input, Tensor weight, Long paddingIdx, Double maxNorm, double normType) {
        jtorch.ops.Args.notNull("embedding", "input", input);
        jtorch.ops.Args.notNull("embedding", "weight", weight);
        long pad = normalizePaddingIdx(paddingIdx, weight.dim() > 0 ? weight.size(0) : 0);
        if (weight.dim() != 2) throw new IllegalArgumentException("'weight' must be 2-D");
        if (input.dtype() != DType.INT64)
            throw new IllegalArgumentException("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                    + "Long, Int; but got " + input.legacyTypeName() + " instead (while checking arguments for embedding)");
        long num = weight.size(0);
        for (long i : input.toLongArray())
            if (i < 0 || i >= num) throw new IndexOutOfBoundsException("index out of range in self");
        if (maxNorm != null) renorm_(weight, input, maxNorm, normType);
        Tensor flat = input.reshape(-1);
        Tensor rows = weight.indexSelect(0, flat);
        if (pad >= 0) {
            Tensor keep = flat.ne(Torch.tensor(pad)).unsqueeze(1);
            rows = rows.where(keep, rows.detach());
        }
        long[] shape = new long[input.dim() + 1];
        for (int d = 0; d < input.dim(); d++) shape[d] = input.size(d);
        shape[input.dim()] = weight.size(1);
        return rows.reshape(shape);
    }

    /**
     * {@code embedding_renorm_}: in place and without grad, each distinct row of {@code weight} that
     * {@code input} looks up and whose {@code normType}-norm exceeds {@code maxNorm} is scaled by
     * {@code maxNorm / (norm + 1e-7)}.
     */
    static void renorm_(Tensor weight, Tensor input, double maxNorm, double normType) {
        Torch.noGrad(() -> {
            long[] ids = input.toLongArray();
            java.util.Arrays.sort(ids);
            for (int k = 0; k < ids.length; k++) {
                if (k > 0 && ids[k] == ids[k - 1]) continue;
                Tensor row = weight.select(0, ids[k]);
                double norm = norm(row.to(DType.FLOAT64), normType);
                if (norm > maxNorm) row.mul_(maxNorm / (norm + 1e-7));
            }
        });
    }

    private static double norm(Tensor row, double p) {
        Tensor a = row.abs();
        if (p == Double.POSITIVE_INFINITY) return a.max().item();
        if (p == Double.NEGATIVE_INFINITY) return a.min().item();
        if (p == 0) return a.ne(0.0).sum().item();
        if (p == 1) return a.sum().item();
        if (p == 2) return a.mul(a).sum().sqrt().item();
        return a.pow(p).sum().pow(1 / p).item();
    }
}
