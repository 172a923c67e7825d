package jtorch.nn;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.functional.F;

/**
 * {@code nn.Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0)}:
 * a lookup table of {@code num_embeddings} vectors of size {@code embedding_dim}, initialised
 * N(0, 1) from the default generator (PyTorch's draws). The row {@code padding_idx} is zeroed at
 * initialisation and receives no gradient. ({@code scale_grad_by_freq} and {@code sparse} are not
 * supported.)
 *
 * <pre>{@code
 * var emb = new Embedding(Embedding.options(10, 3).paddingIdx(0L));
 * System.out.println(emb);                                   // Embedding(10, 3, padding_idx=0)
 * Tensor v = emb.forward(Torch.tensor(new long[][] {{1, 2, 0}}));   // shape (1, 3, 3)
 * }</pre>
 */
public class Embedding extends Module {
    /** Keyword arguments of {@code nn.Embedding}. */
    public static final class Options {
        private final long numEmbeddings, embeddingDim;
        private Long paddingIdx;
        private Double maxNorm;
        private double normType = 2.0;

        Options(long numEmbeddings, long embeddingDim) {
            this.numEmbeddings = numEmbeddings;
            this.embeddingDim = embeddingDim;
        }

        /** The row that stays zero and gets no gradient (negative counts from the end); null (default) for none. */
        public Options paddingIdx(Long paddingIdx) { this.paddingIdx = paddingIdx; return this; }

        /** Rows looked up with a larger norm are rescaled to this norm in place; null (default) for none. */
        public Options maxNorm(Double maxNorm) { this.maxNorm = maxNorm; return this; }

        /** The p of the p-norm for {@code maxNorm} (default 2). */
        public Options normType(double normType) { this.normType = normType; return this; }

        /** The table's number of rows set. */
        public long numEmbeddings() { return numEmbeddings; }

        /** The vectors' size set. */
        public long embeddingDim() { return embeddingDim; }

        /** The padding row set, or null. */
        public Long paddingIdx() { return paddingIdx; }

        /** The max norm set, or null. */
        public Double maxNorm() { return maxNorm; }

        /** The p of the norm set (default 2). */
        public double normType() { return normType; }
    }

    /**
     * {@code nn.Embedding(num_embeddings, embedding_dim)}'s options, to chain keyword arguments on:
     * {@code Embedding.options(10, 3).paddingIdx(0L)}.
     */
    public static Options options(long numEmbeddings, long embeddingDim) { return new Options(numEmbeddings, embeddingDim); }

    /** The table's number of rows and the size of each vector. */
    public final long numEmbeddings, embeddingDim;
    /** In {@code [0, numEmbeddings)}, or null. */
    public final Long paddingIdx;
    /** Looked-up rows with a larger norm are renormalised to this in place; null for none. */
    public final Double maxNorm;
    /** The p of the p-norm used with {@link #maxNorm}. */
    public final double normType;
    /** Not final, so that {@code setParameter("weight", p)} (weight tying) re-points it. */
    public Parameter weight;

    /**
     * {@code nn.Embedding(num_embeddings, embedding_dim)}: weight N(0, 1), no padding row, no max norm.
     * Input: int64 indices of any shape; output: that shape plus {@code (embedding_dim)}.
     */
    public Embedding(long numEmbeddings, long embeddingDim) { this(options(numEmbeddings, embeddingDim)); }

    /** {@code nn.Embedding} with the given options; the weight is initialised N(0, 1) and the padding row zeroed. */
    public Embedding(Options options) { this(options, null); }

    private Embedding(Options options, Tensor weight) {
        jtorch.ops.Args.notNull("Embedding", "options", options);
        this.numEmbeddings = options.numEmbeddings;
        this.embeddingDim = options.embeddingDim;
        this.paddingIdx = normalizePaddingIdx(options.paddingIdx, numEmbeddings);
        this.maxNorm = options.maxNorm;
        this.normType = options.normType;
        if (weight == null) {
            Checks.nonNegative(numEmbeddings, embeddingDim);
            this.weight = registerParameter("weight", Torch.empty(numEmbeddings, embeddingDim));
            resetParameters();
        } else {
            if (weight.dim() != 2 || weight.size(0) != numEmbeddings || weight.size(1) != embeddingDim)
                throw new IllegalArgumentException("Shape of weight does not match num_embeddings and embedding_dim");
            this.weight = registerParameter("weight", weight);
        }
    }

    private static Long normalizePaddingIdx(Long paddingIdx, long numEmbeddings) {
        if (paddingIdx == null) return null;
        long p = paddingIdx;
        if (p > 0 && p >= numEmbeddings || p < 0 && p < -numEmbeddings)
            throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
        return p < 0 ? p + numEmbeddings : p;
    }

    /**
     * {@code Embedding.from_pretrained(embeddings, freeze, padding_idx)}: a table holding
     * {@code embeddings} (shared, not copied); frozen means its weight does not require grad.
     *
     * <pre>{@code
     * var emb = Embedding.fromPretrained(Torch.tensor(new float[][] {{1, 2}, {3, 4}}), true, null);
     * }</pre>
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Long paddingIdx) {
        if (embeddings.dim() != 2) throw new IllegalArgumentException("Embeddings parameter is expected to be 2-dimensional");
        Embedding e = new Embedding(options(embeddings.size(0), embeddings.size(1)).paddingIdx(paddingIdx), embeddings);
        e.weight.requiresGrad_(!freeze);
        return e;
    }

    /** N(0, 1) from the default generator, then the padding row zeroed. */
    public void resetParameters() {
        init.normal_(weight, 0, 1);
        if (paddingIdx != null) Torch.noGrad(() -> { weight.select(0, paddingIdx).fill_(0.0); });
    }

    @Override public Tensor forward(Tensor input) { return F.embedding(input, weight, paddingIdx, maxNorm, normType); }

    @Override protected String extraRepr() {
        StringBuilder b = new StringBuilder().append(numEmbeddings).append(", ").append(embeddingDim);
        if (paddingIdx != null) b.append(", padding_idx=").append(paddingIdx);
        if (maxNorm != null) b.append(", max_norm=").append(PyFormat.repr(maxNorm));
        if (normType != 2.0) b.append(", norm_type=").append(PyFormat.repr(normType));
        return b.toString();
    }
}
