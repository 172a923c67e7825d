package jtorch.nn.functional;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.ops.Args;

/**
 * {@code scaled_dot_product_attention} as PyTorch 2.x defines it (its math path): scores
 * {@code q k^T * scale} over the last two dims (batched {@code matmul}, broadcasting the leading
 * dims), plus the mask's bias, softmax over the keys, dropout on the weights, times {@code v}.
 * Composed from differentiable ops, so its gradients (and second derivatives) come from theirs.
 */
final class Attention {
    private Attention() {}

    static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP, boolean isCausal,
            Double scale) {
        String op = "scaled_dot_product_attention";
        Args.notNull(op, "query", query);
        Args.notNull(op, "key", key);
        Args.notNull(op, "value", value);
        if (query.dtype() != key.dtype() || query.dtype() != value.dtype())
            throw new IllegalArgumentException("Expected query, key, and value to have the same dtype, but got query.dtype: "
                    + query.dtype() + " key.dtype: " + key.dtype() + " and value.dtype: " + value.dtype() + " instead.");
        if (!query.isFloatingPoint())
            throw new IllegalArgumentException(op + ": expected query, key and value to be floating point, but got " + query.dtype());
        if (query.dim() < 2 || key.dim() < 2 || value.dim() < 2)
            throw new IllegalArgumentException("Expected query, key, and value to all be at least 2 dimensional, but got query.dim: "
                    + query.dim() + " key.dim: " + key.dim() + " and value.dim: " + value.dim() + " instead.");
        if (query.size(-1) != key.size(-1))
            throw new IllegalArgumentException(op + ": the embedding size of query (" + query.size(-1) + ", shape " + query.shape()
                    + ") must match that of key (" + key.size(-1) + ", shape " + key.shape() + ")");
        if (key.size(-2) != value.size(-2))
            throw new IllegalArgumentException(op + ": key and value must have the same sequence length, but got key of shape "
                    + key.shape() + " and value of shape " + value.shape());
        Dropouts.checkProbability(dropoutP);
        if (isCausal && attnMask != null)
            throw new IllegalArgumentException("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True");
        if (attnMask != null && attnMask.dtype() != DType.BOOL && attnMask.dtype() != query.dtype())
            throw new IllegalArgumentException("Expected attn_mask dtype to be bool or to match query dtype, but got attn_mask.dtype: "
                    + attnMask.dtype() + " and query.dtype: " + query.dtype() + " instead.");
        if (scale != null && !Double.isFinite(scale))
            throw new IllegalArgumentException(op + ": scale must be finite, got " + scale);
        long l = query.size(-2), s = key.size(-2);
        double scaleFactor = scale != null ? scale : 1.0 / Math.sqrt((double) query.size(-1));
        Tensor attn = query.matmul(key.transpose(-2, -1)).mul(scaleFactor);
        if (isCausal) {
            // -inf above the diagonal: query i attends keys 0..i (top-left aligned, as PyTorch).
            attn = attn.add(Torch.full(new long[] {l, s}, Double.NEGATIVE_INFINITY, query.dtype()).triu(1));
        } else if (attnMask != null) {
            // A bool mask says which keys take part (True); its bias is 0 there and -inf elsewhere.
            Tensor bias = attnMask.dtype() == DType.BOOL
                    ? Torch.zeros(attnMask.shape().toArray(), query.dtype()).maskedFill_(attnMask.logicalNot(), Double.NEGATIVE_INFINITY)
                    : attnMask;
            attn = attn.add(bias);
        }
        attn = attn.softmax(-1);
        if (dropoutP > 0.0) attn = Dropouts.dropout(attn, dropoutP, true, false);
        return attn.matmul(value);
    }
}
