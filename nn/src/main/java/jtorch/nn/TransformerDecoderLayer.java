package jtorch.nn;

import java.util.function.Function;

import jtorch.Tensor;

/**
 * {@code nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1,
 * activation=F.relu, layer_norm_eps=1e-5, batch_first=False, norm_first=False)}: self-attention
 * on the target, attention over the encoder's output ({@code memory}) and a feed-forward network,
 * each with dropout, a residual connection and a layer norm (after the residual, or before the
 * block with {@code normFirst}), as PyTorch 1.13 computes it. Takes the same options as
 * {@link TransformerEncoderLayer}. Children, in PyTorch's order: {@code self_attn},
 * {@code multihead_attn}, {@code linear1}, {@code dropout}, {@code linear2}, {@code norm1},
 * {@code norm2}, {@code norm3}, {@code dropout1}, {@code dropout2}, {@code dropout3} (and
 * {@code activation} when the activation is a module).
 *
 * <pre>{@code
 * var layer = new TransformerDecoderLayer(512, 8);
 * Tensor memory = Torch.rand(10, 32, 512), tgt = Torch.rand(20, 32, 512);
 * Tensor out = layer.forward(tgt, memory);   // (20, 32, 512)
 * }</pre>
 */
public class TransformerDecoderLayer extends Module {
    /**
     * {@code nn.TransformerDecoderLayer(d_model, nhead)}'s options (the same class as
     * {@link TransformerEncoderLayer}'s), to chain keyword arguments on.
     */
    public static TransformerEncoderLayer.Options options(long dModel, long nhead) { return TransformerEncoderLayer.options(dModel, nhead); }

    /** Whether each block is pre-LN. */
    public final boolean normFirst;
    /** The self-attention on the target and the attention over the memory. */
    public final MultiheadAttention selfAttn, multiheadAttn;
    /** The feed-forward network's two layers, {@code d_model -> dim_feedforward -> d_model}. */
    public final Linear linear1, linear2;
    /** The feed-forward network's dropout and the dropout of each of the three blocks. */
    public final Dropout dropout, dropout1, dropout2, dropout3;
    /** The layer norms of the three blocks. */
    public final LayerNorm norm1, norm2, norm3;
    /** The activation function, or null when it is the module {@link #activationModule}. */
    public final Function<Tensor, Tensor> activation;
    /** The activation when given as a module (child {@code activation}), else null. */
    public final Module activationModule;

    /** {@code nn.TransformerDecoderLayer(d_model, nhead)} with the other options at PyTorch's defaults. */
    public TransformerDecoderLayer(long dModel, long nhead) { this(options(dModel, nhead)); }

    /** {@code nn.TransformerDecoderLayer} with the given options; children registered in PyTorch's order. */
    public TransformerDecoderLayer(TransformerEncoderLayer.Options o) {
        jtorch.ops.Args.notNull("TransformerDecoderLayer", "options", o);
        selfAttn = registerModule("self_attn", new MultiheadAttention(MultiheadAttention.options(o.dModel, o.nhead)
                .dropout(o.dropout).batchFirst(o.batchFirst)));
        multiheadAttn = registerModule("multihead_attn", new MultiheadAttention(MultiheadAttention.options(o.dModel, o.nhead)
                .dropout(o.dropout).batchFirst(o.batchFirst)));
        linear1 = registerModule("linear1", new Linear(o.dModel, o.dimFeedforward));
        dropout = registerModule("dropout", new Dropout(o.dropout));
        linear2 = registerModule("linear2", new Linear(o.dimFeedforward, o.dModel));
        normFirst = o.normFirst;
        norm1 = registerModule("norm1", new LayerNorm(LayerNorm.options(o.dModel).eps(o.layerNormEps)));
        norm2 = registerModule("norm2", new LayerNorm(LayerNorm.options(o.dModel).eps(o.layerNormEps)));
        norm3 = registerModule("norm3", new LayerNorm(LayerNorm.options(o.dModel).eps(o.layerNormEps)));
        dropout1 = registerModule("dropout1", new Dropout(o.dropout));
        dropout2 = registerModule("dropout2", new Dropout(o.dropout));
        dropout3 = registerModule("dropout3", new Dropout(o.dropout));
        activation = o.activation;
        activationModule = o.activationModule == null ? null : registerModule("activation", o.activationModule);
    }

    /** {@code layer(tgt, memory)}. */
    public Tensor forward(Tensor tgt, Tensor memory) { return forward(tgt, memory, null, null, null, null); }

    /**
     * {@code layer(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask)}:
     * attention masks {@code (T, T)} and {@code (T, S)} (or per head, {@code (N*nhead, ., .)}), key
     * padding masks {@code (N, T)} and {@code (N, S)}; bool masks mark what is not attended, float
     * masks are added; any may be null.
     */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask) {
        jtorch.ops.Args.notNull("TransformerDecoderLayer", "tgt", tgt);
        jtorch.ops.Args.notNull("TransformerDecoderLayer", "memory", memory);
        Tensor x = tgt;
        if (normFirst) {
            x = x.add(selfAttentionBlock(norm1.call(x), tgtMask, tgtKeyPaddingMask));
            x = x.add(crossAttentionBlock(norm2.call(x), memory, memoryMask, memoryKeyPaddingMask));
            x = x.add(feedForwardBlock(norm3.call(x)));
        } else {
            x = norm1.call(x.add(selfAttentionBlock(x, tgtMask, tgtKeyPaddingMask)));
            x = norm2.call(x.add(crossAttentionBlock(x, memory, memoryMask, memoryKeyPaddingMask)));
            x = norm3.call(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor attnMask, Tensor keyPaddingMask) {
        return dropout1.call(selfAttn.forward(x, x, x, keyPaddingMask, false, attnMask).attnOutput());
    }

    private Tensor crossAttentionBlock(Tensor x, Tensor mem, Tensor attnMask, Tensor keyPaddingMask) {
        return dropout2.call(multiheadAttn.forward(x, mem, mem, keyPaddingMask, false, attnMask).attnOutput());
    }

    private Tensor feedForwardBlock(Tensor x) {
        Tensor h = linear1.call(x);
        h = activationModule != null ? activationModule.call(h) : activation.apply(h);
        return dropout3.call(linear2.call(dropout.call(h)));
    }
}
