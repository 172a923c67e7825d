package jtorch.nn;

import java.util.List;

import jtorch.DType;
import jtorch.PyFormat;
import jtorch.Size;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.ops.Args;
import jtorch.nn.functional.F;

/**
 * {@code nn.MultiheadAttention(embed_dim, num_heads, dropout=0., bias=True, add_bias_kv=False,
 * add_zero_attn=False, kdim=None, vdim=None, batch_first=False)} with PyTorch 1.13's parameters,
 * initialisation and forward ({@code F.multi_head_attention_forward}): the query, key and value are
 * projected, split into {@code numHeads} heads of {@code embedDim / numHeads}, attended as one batched
 * product over {@code (N * numHeads, L, headDim)} ({@code softmax(q k^T / sqrt(headDim) + mask) v},
 * dropout on the weights in training), merged and projected by {@code out_proj}.
 *
 * <p>Parameters as PyTorch names them: {@code in_proj_weight} {@code (3E, E)} when {@code kdim} and
 * {@code vdim} equal {@code embedDim}, else {@code q_proj_weight} {@code (E, E)}, {@code k_proj_weight}
 * {@code (E, kdim)}, {@code v_proj_weight} {@code (E, vdim)}; {@code in_proj_bias} {@code (3E)} (if
 * {@code bias}); {@code bias_k}, {@code bias_v} {@code (1, 1, E)} (if {@code addBiasKv}); and
 * {@code out_proj} (a {@link NonDynamicallyQuantizableLinear}). After {@code Torch.manualSeed(s)} they
 * are PyTorch's bit for bit: {@code out_proj}'s Linear init is drawn at construction, then
 * {@code _reset_parameters} draws xavier-uniform projections, zeroes the biases and draws
 * xavier-normal {@code bias_k}/{@code bias_v}.
 *
 * <pre>{@code
 * var mha = new MultiheadAttention(MultiheadAttention.options(8, 2).batchFirst(true));
 * Tensor x = Torch.randn(4, 5, 8);                          // (N, L, E)
 * var out = mha.forward(x, x, x);                           // attn_output, attn_output_weights = mha(x, x, x)
 * out.attnOutput();                                         // (4, 5, 8)
 * out.attnOutputWeights();                                  // (4, 5, 5), averaged over the heads
 * Tensor causal = Torch.ones(5, 5, DType.BOOL).triu(1);     // True = not allowed to attend
 * mha.forward(x, x, x, null, false, causal).attnOutput();   // mha(x, x, x, need_weights=False, attn_mask=causal)[0]
 * }</pre>
 */
public class MultiheadAttention extends Module {
    /** Keyword arguments of {@code nn.MultiheadAttention}. */
    public static final class Options {
        private final long embedDim, numHeads;
        private double dropout;
        private boolean bias = true, addBiasKv, addZeroAttn, batchFirst;
        private Long kdim, vdim;

        Options(long embedDim, long numHeads) {
            this.embedDim = embedDim;
            this.numHeads = numHeads;
        }

        /** Dropout probability on the attention weights in training (default 0). */
        public Options dropout(double dropout) { this.dropout = dropout; return this; }

        /** Whether the input and output projections have biases (default true). */
        public Options bias(boolean bias) { this.bias = bias; return this; }

        /** Learned {@code bias_k}/{@code bias_v} appended to the keys and values (default false). */
        public Options addBiasKv(boolean addBiasKv) { this.addBiasKv = addBiasKv; return this; }

        /** A zero key and value appended after the projection (default false). */
        public Options addZeroAttn(boolean addZeroAttn) { this.addZeroAttn = addZeroAttn; return this; }

        /** The keys' feature size; null (default) for {@code embedDim}. */
        public Options kdim(Long kdim) { this.kdim = kdim; return this; }

        /** The values' feature size; null (default) for {@code embedDim}. */
        public Options vdim(Long vdim) { this.vdim = vdim; return this; }

        /** Inputs and outputs as {@code (N, L, E)} instead of {@code (L, N, E)} (default false). */
        public Options batchFirst(boolean batchFirst) { this.batchFirst = batchFirst; return this; }

        /** The total feature size {@code E} set. */
        public long embedDim() { return embedDim; }

        /** The number of heads set ({@code E} must divide by it). */
        public long numHeads() { return numHeads; }

        /** The attention-weight dropout set (default 0). */
        public double dropout() { return dropout; }

        /** Whether the projections have biases (default true). */
        public boolean bias() { return bias; }

        /** Whether {@code bias_k}/{@code bias_v} are learnt (default false). */
        public boolean addBiasKv() { return addBiasKv; }

        /** Whether a zero key and value are appended (default false). */
        public boolean addZeroAttn() { return addZeroAttn; }

        /** The keys' feature size set, or null for {@code embedDim}. */
        public Long kdim() { return kdim; }

        /** The values' feature size set, or null for {@code embedDim}. */
        public Long vdim() { return vdim; }

        /** Whether inputs are batch first (default false). */
        public boolean batchFirst() { return batchFirst; }
    }

    /**
     * {@code nn.MultiheadAttention(embed_dim, num_heads)}'s options, to chain keyword arguments on:
     * {@code MultiheadAttention.options(8, 2).batchFirst(true)}.
     */
    public static Options options(long embedDim, long numHeads) { return new Options(embedDim, numHeads); }

    /**
     * What {@code forward} returns, PyTorch's tuple {@code (attn_output, attn_output_weights)}: the
     * weights are null when {@code needWeights} is false.
     */
    public record Output(Tensor attnOutput, Tensor attnOutputWeights) {}

    /** The model's feature size {@code E}, the keys' and values' feature sizes, the number of heads, and {@code E / numHeads}. */
    public final long embedDim, kdim, vdim, numHeads, headDim;
    /** The dropout probability on the attention weights in training. */
    public final double dropout;
    /** As in PyTorch: {@code batch_first} and {@code add_zero_attn}. */
    public final boolean batchFirst, addZeroAttn;
    /** PyTorch's {@code _qkv_same_embed_dim}: one packed {@code in_proj_weight} rather than three. */
    private final boolean qkvSameEmbedDim;
    /** Null when kdim or vdim differs from embedDim (then the three below are set); not final, so that loading or tying re-points them. */
    public Parameter inProjWeight;
    /** Null unless kdim or vdim differs from embedDim. */
    public Parameter qProjWeight, kProjWeight, vProjWeight;
    /** Null when built with {@code bias(false)}. */
    public Parameter inProjBias;
    /** Null unless built with {@code addBiasKv(true)}. */
    public Parameter biasK, biasV;
    /** The output projection {@code (E, E)}; not final, so that loading or tying re-points it. */
    public NonDynamicallyQuantizableLinear outProj;

    /** {@code nn.MultiheadAttention(embed_dim, num_heads)}. */
    public MultiheadAttention(long embedDim, long numHeads) { this(options(embedDim, numHeads)); }

    /** {@code nn.MultiheadAttention(embed_dim, num_heads, dropout)}. */
    public MultiheadAttention(long embedDim, long numHeads, double dropout) { this(options(embedDim, numHeads).dropout(dropout)); }

    /** {@code nn.MultiheadAttention} with the given options; the parameters get PyTorch's initialisation, drawn in its order. */
    public MultiheadAttention(Options options) {
        Args.notNull("MultiheadAttention", "options", options);
        if (options.numHeads <= 0)
            throw new IllegalArgumentException("MultiheadAttention: num_heads must be positive, got " + options.numHeads);
        if (options.embedDim < 0 || (options.kdim != null && options.kdim < 0) || (options.vdim != null && options.vdim < 0))
            throw new IllegalArgumentException("MultiheadAttention: embed_dim, kdim and vdim must be non-negative, got "
                    + options.embedDim + ", " + options.kdim + " and " + options.vdim);
        if (!(options.dropout >= 0.0 && options.dropout <= 1.0))
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + PyFormat.repr(options.dropout));
        this.embedDim = options.embedDim;
        this.kdim = options.kdim != null ? options.kdim : embedDim;
        this.vdim = options.vdim != null ? options.vdim : embedDim;
        this.qkvSameEmbedDim = kdim == embedDim && vdim == embedDim;
        this.numHeads = options.numHeads;
        this.dropout = options.dropout;
        this.batchFirst = options.batchFirst;
        this.headDim = embedDim / numHeads;
        if (headDim * numHeads != embedDim) throw new IllegalArgumentException("embed_dim must be divisible by num_heads");
        long e = embedDim;
        if (!qkvSameEmbedDim) {
            qProjWeight = registerParameter("q_proj_weight", Torch.empty(e, e));
            kProjWeight = registerParameter("k_proj_weight", Torch.empty(e, kdim));
            vProjWeight = registerParameter("v_proj_weight", Torch.empty(e, vdim));
            registerParameter("in_proj_weight", null);
        } else {
            inProjWeight = registerParameter("in_proj_weight", Torch.empty(3 * e, e));
            registerParameter("q_proj_weight", null);
            registerParameter("k_proj_weight", null);
            registerParameter("v_proj_weight", null);
        }
        inProjBias = registerParameter("in_proj_bias", options.bias ? Torch.empty(3 * e) : null);
        // Built (and so initialised, drawing from the generator) before _reset_parameters, as in PyTorch.
        outProj = registerModule("out_proj", new NonDynamicallyQuantizableLinear(e, e, options.bias));
        if (options.addBiasKv) {
            biasK = registerParameter("bias_k", Torch.empty(1, 1, e));
            biasV = registerParameter("bias_v", Torch.empty(1, 1, e));
        }
        this.addZeroAttn = options.addZeroAttn;
        resetParameters();
    }

    /** PyTorch's {@code _reset_parameters()}, drawing in its order. */
    public void resetParameters() {
        if (qkvSameEmbedDim) {
            init.xavierUniform_(inProjWeight);
        } else {
            init.xavierUniform_(qProjWeight);
            init.xavierUniform_(kProjWeight);
            init.xavierUniform_(vProjWeight);
        }
        if (inProjBias != null) {
            init.constant_(inProjBias, 0.0);
            init.constant_(outProj.bias, 0.0);
        }
        if (biasK != null) init.xavierNormal_(biasK);
        if (biasV != null) init.xavierNormal_(biasV);
    }

    /** {@code mha(query, key, value)}: no masks, weights returned averaged over the heads. */
    public Output forward(Tensor query, Tensor key, Tensor value) { return forward(query, key, value, null, true, null, true, false); }

    /** {@code mha(query, key, value, key_padding_mask, need_weights, attn_mask)}; weights averaged over the heads. */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights, Tensor attnMask) {
        return forward(query, key, value, keyPaddingMask, needWeights, attnMask, true, false);
    }

    /** {@code mha(query, key, value, key_padding_mask, need_weights, attn_mask, average_attn_weights)}. */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights, Tensor attnMask,
            boolean averageAttnWeights) {
        return forward(query, key, value, keyPaddingMask, needWeights, attnMask, averageAttnWeights, false);
    }

    /**
     * {@code mha(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
     * average_attn_weights=True, is_causal=False)}.
     *
     * <ul>
     * <li>{@code query} {@code (L, N, E)} ({@code (N, L, E)} with {@code batchFirst}, {@code (L, E)}
     * unbatched), {@code key} {@code (S, N, kdim)}, {@code value} {@code (S, N, vdim)}.
     * <li>{@code keyPaddingMask} {@code (N, S)} ({@code (S)} unbatched): bool, true = ignore that key,
     * or float, added to the scores.
     * <li>{@code attnMask} {@code (L, S)} or {@code (N * numHeads, L, S)}: bool, true = not allowed to
     * attend, or float, added to the scores.
     * <li>{@code isCausal}: as in PyTorch 2.x, a hint that {@code attnMask} is the causal mask; it
     * requires the mask (the result is the same either way).
     * </ul>
     * Returns {@code attn_output} {@code (L, N, E)} (batch first as the input) and, if
     * {@code needWeights}, the weights {@code (N, L, S)} averaged over the heads, or
     * {@code (N, numHeads, L, S)}.
     */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights, Tensor attnMask,
            boolean averageAttnWeights, boolean isCausal) {
        Args.notNull("MultiheadAttention.forward", "query", query);
        Args.notNull("MultiheadAttention.forward", "key", key);
        Args.notNull("MultiheadAttention.forward", "value", value);
        boolean isBatched = query.dim() == 3;
        if (keyPaddingMask != null && keyPaddingMask.dtype() != DType.BOOL && !keyPaddingMask.isFloatingPoint())
            throw new IllegalArgumentException("only bool and floating types of key_padding_mask are supported");
        if (isCausal && attnMask == null)
            throw new IllegalArgumentException("Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                    + "method `generate_square_subsequent_mask` to create this mask.");
        if (batchFirst && isBatched) {
            // Keep "query is key is value" (it picks the packed projection) through the transposes.
            if (key == value) {
                if (query == key) {
                    query = key = value = query.transpose(1, 0);
                } else {
                    query = query.transpose(1, 0);
                    key = value = key.transpose(1, 0);
                }
            } else {
                query = query.transpose(1, 0);
                key = key.transpose(1, 0);
                value = value.transpose(1, 0);
            }
        }
        Output out = multiHeadAttentionForward(query, key, value, keyPaddingMask, needWeights, attnMask, averageAttnWeights);
        return batchFirst && isBatched ? new Output(out.attnOutput.transpose(1, 0), out.attnOutputWeights) : out;
    }

    /** PyTorch 1.13's {@code _mha_shape_check}: whether the input is batched, or why its shapes are wrong. */
    private long shapeCheck(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask) {
        if (query.dim() == 3) {
            if (key.dim() != 3 || value.dim() != 3)
                throw new IllegalArgumentException("For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                        + key.dim() + "-D and " + value.dim() + "-D tensors respectively");
            if (keyPaddingMask != null && keyPaddingMask.dim() != 2)
                throw new IllegalArgumentException("For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but found "
                        + keyPaddingMask.dim() + "-D tensor instead");
            if (attnMask != null && attnMask.dim() != 2 && attnMask.dim() != 3)
                throw new IllegalArgumentException("For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                        + attnMask.dim() + "-D tensor instead");
            return 1;
        }
        if (query.dim() == 2) {
            if (key.dim() != 2 || value.dim() != 2)
                throw new IllegalArgumentException("For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                        + key.dim() + "-D and " + value.dim() + "-D tensors respectively");
            if (keyPaddingMask != null && keyPaddingMask.dim() != 1)
                throw new IllegalArgumentException("For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D but found "
                        + keyPaddingMask.dim() + "-D tensor instead");
            if (attnMask != null) {
                if (attnMask.dim() != 2 && attnMask.dim() != 3)
                    throw new IllegalArgumentException("For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                            + attnMask.dim() + "-D tensor instead");
                if (attnMask.dim() == 3 && !attnMask.shape().equals(Size.of(numHeads, query.size(0), key.size(0))))
                    throw new IllegalArgumentException("Expected `attn_mask` shape to be " + tuple(numHeads, query.size(0), key.size(0))
                            + " but got " + attnMask.shape());
            }
            return 0;
        }
        throw new IllegalArgumentException("query should be unbatched 2D or batched 3D tensor but received " + query.dim()
                + "-D query tensor");
    }

    private static String tuple(long... v) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) b.append(i > 0 ? ", " : "").append(v[i]);
        return b.append(v.length == 1 ? ",)" : ")").toString();
    }

    /** A mask with one more column of zeros (false), as {@code F.pad(mask, (0, 1))}. */
    private static Tensor padLast(Tensor mask) {
        long[] s = mask.shape().toArray();
        s[s.length - 1] = 1;
        return Torch.cat(List.of(mask, Torch.zeros(s, mask.dtype())), -1);
    }

    /** {@code F.multi_head_attention_forward} for inputs already sequence first ({@code (L, N, E)} or unbatched). */
    private Output multiHeadAttentionForward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
            Tensor attnMask, boolean averageAttnWeights) {
        boolean isBatched = shapeCheck(query, key, value, keyPaddingMask, attnMask) == 1;
        boolean kIsV = key == value, qIsK = query == key;
        if (!isBatched) {
            query = query.unsqueeze(1);
            key = key.unsqueeze(1);
            value = value.unsqueeze(1);
            if (keyPaddingMask != null) keyPaddingMask = keyPaddingMask.unsqueeze(0);
        }
        long tgtLen = query.size(0), bsz = query.size(1), e = query.size(2), srcLen = key.size(0);
        if (e != embedDim) throw new IllegalArgumentException("was expecting embedding dimension of " + embedDim + ", but got " + e);
        if (!qkvSameEmbedDim) {
            if (key.size(0) != value.size(0) || key.size(1) != value.size(1))
                throw new IllegalArgumentException("key's sequence and batch dims " + key.shape().slice(0, 2)
                        + " do not match value's " + value.shape().slice(0, 2));
        } else if (!key.shape().equals(value.shape())) {
            throw new IllegalArgumentException("key shape " + key.shape() + " does not match value shape " + value.shape());
        }

        // In-projection: one GEMM for self-attention, as PyTorch's _in_projection_packed.
        Tensor q, k, v;
        if (qkvSameEmbedDim) {
            if (kIsV && qIsK) {
                List<Tensor> qkv = F.linear(query, inProjWeight, inProjBias).chunk(3, -1);
                q = qkv.get(0);
                k = qkv.get(1);
                v = qkv.get(2);
            } else if (kIsV) {
                List<Tensor> w = inProjWeight.split(new long[] {e, 2 * e}, 0);
                List<Tensor> b = inProjBias == null ? null : inProjBias.split(new long[] {e, 2 * e}, 0);
                q = F.linear(query, w.get(0), b == null ? null : b.get(0));
                List<Tensor> kv = F.linear(key, w.get(1), b == null ? null : b.get(1)).chunk(2, -1);
                k = kv.get(0);
                v = kv.get(1);
            } else {
                List<Tensor> w = inProjWeight.chunk(3, 0);
                List<Tensor> b = inProjBias == null ? null : inProjBias.chunk(3, 0);
                q = F.linear(query, w.get(0), b == null ? null : b.get(0));
                k = F.linear(key, w.get(1), b == null ? null : b.get(1));
                v = F.linear(value, w.get(2), b == null ? null : b.get(2));
            }
        } else {
            long ek = key.size(-1), ev = value.size(-1);
            if (!qProjWeight.shape().equals(Size.of(e, e)))
                throw new IllegalArgumentException("expecting query weights shape of " + tuple(e, e) + ", but got " + qProjWeight.shape());
            if (!kProjWeight.shape().equals(Size.of(e, ek)))
                throw new IllegalArgumentException("expecting key weights shape of " + tuple(e, ek) + ", but got " + kProjWeight.shape());
            if (!vProjWeight.shape().equals(Size.of(e, ev)))
                throw new IllegalArgumentException("expecting value weights shape of " + tuple(e, ev) + ", but got " + vProjWeight.shape());
            List<Tensor> b = inProjBias == null ? null : inProjBias.chunk(3, 0);
            q = F.linear(query, qProjWeight, b == null ? null : b.get(0));
            k = F.linear(key, kProjWeight, b == null ? null : b.get(1));
            v = F.linear(value, vProjWeight, b == null ? null : b.get(2));
        }

        if (attnMask != null) {
            if (!attnMask.isFloatingPoint() && attnMask.dtype() != DType.BOOL)
                throw new IllegalArgumentException("Only float, byte, and bool types are supported for attn_mask, not " + attnMask.dtype());
            if (attnMask.dim() == 2) {
                if (attnMask.size(0) != tgtLen || attnMask.size(1) != srcLen)
                    throw new IllegalArgumentException("The shape of the 2D attn_mask is " + attnMask.shape() + ", but should be "
                            + tuple(tgtLen, srcLen) + ".");
                attnMask = attnMask.unsqueeze(0);
            } else if (attnMask.dim() == 3) {
                if (!attnMask.shape().equals(Size.of(bsz * numHeads, tgtLen, srcLen)))
                    throw new IllegalArgumentException("The shape of the 3D attn_mask is " + attnMask.shape() + ", but should be "
                            + tuple(bsz * numHeads, tgtLen, srcLen) + ".");
            } else {
                throw new IllegalArgumentException("attn_mask's dimension " + attnMask.dim() + " is not supported");
            }
        }

        if (biasK != null && biasV != null) {
            k = Torch.cat(List.of(k, biasK.repeat(1, bsz, 1)), 0);
            v = Torch.cat(List.of(v, biasV.repeat(1, bsz, 1)), 0);
            if (attnMask != null) attnMask = padLast(attnMask);
            if (keyPaddingMask != null) keyPaddingMask = padLast(keyPaddingMask);
        }

        // Heads into the batch: (L, N, E) -> (N * H, L, headDim), one bmm for all heads.
        long bh = bsz * numHeads;
        q = q.contiguous().view(tgtLen, bh, headDim).transpose(0, 1);
        k = k.contiguous().view(k.size(0), bh, headDim).transpose(0, 1);
        v = v.contiguous().view(v.size(0), bh, headDim).transpose(0, 1);

        if (addZeroAttn) {
            k = Torch.cat(List.of(k, Torch.zeros(new long[] {bh, 1, headDim}, k.dtype())), 1);
            v = Torch.cat(List.of(v, Torch.zeros(new long[] {bh, 1, headDim}, v.dtype())), 1);
            if (attnMask != null) attnMask = padLast(attnMask);
            if (keyPaddingMask != null) keyPaddingMask = padLast(keyPaddingMask);
        }
        srcLen = k.size(1);

        if (keyPaddingMask != null) {
            if (!keyPaddingMask.shape().equals(Size.of(bsz, srcLen)))
                throw new IllegalArgumentException("expecting key_padding_mask shape of " + tuple(bsz, srcLen) + ", but got "
                        + keyPaddingMask.shape());
            keyPaddingMask = keyPaddingMask.view(bsz, 1, 1, srcLen).expand(-1, numHeads, -1, -1).reshape(bh, 1, srcLen);
            if (attnMask == null) attnMask = keyPaddingMask;
            else if (attnMask.dtype() == DType.BOOL) attnMask = attnMask.logicalOr(keyPaddingMask);
            else attnMask = attnMask.maskedFill(keyPaddingMask, Double.NEGATIVE_INFINITY);
        }
        if (attnMask != null && attnMask.dtype() == DType.BOOL)
            attnMask = Torch.zeros(attnMask.shape().toArray(), q.dtype()).maskedFill_(attnMask, Double.NEGATIVE_INFINITY);

        double dropoutP = isTraining() ? dropout : 0.0;
        Tensor qScaled = q.div(Math.sqrt((double) headDim));
        Tensor weights = attnMask != null ? Torch.baddbmm(attnMask, qScaled, k.transpose(-2, -1)) : qScaled.bmm(k.transpose(-2, -1));
        weights = weights.softmax(-1);
        if (dropoutP > 0.0) weights = F.dropout(weights, dropoutP);
        Tensor attnOutput = weights.bmm(v);
        attnOutput = attnOutput.transpose(0, 1).contiguous().view(tgtLen * bsz, embedDim);
        attnOutput = F.linear(attnOutput, outProj.weight, outProj.bias);
        attnOutput = attnOutput.view(tgtLen, bsz, attnOutput.size(1));

        if (!needWeights) return new Output(isBatched ? attnOutput : attnOutput.squeeze(1), null);
        weights = weights.view(bsz, numHeads, tgtLen, srcLen);
        if (averageAttnWeights) weights = weights.sum(1).div(numHeads);
        if (!isBatched) {
            attnOutput = attnOutput.squeeze(1);
            weights = weights.squeeze(0);
        }
        return new Output(attnOutput, weights);
    }
}
