package jtorch.nn;

import java.util.function.Function;

import jtorch.Tensor;

/**
 * {@code nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1,
 * activation=F.relu, layer_norm_eps=1e-5, batch_first=False, norm_first=False)}: self-attention
 * and a feed-forward network, each with dropout, a residual connection and a layer norm (after
 * the residual, or before the block with {@code normFirst}), as PyTorch 1.13 computes it:
 * <pre>
 * x = norm1(x + dropout1(self_attn(x, x, x)))          x = x + dropout1(self_attn(norm1(x), ...))
 * x = norm2(x + dropout2(linear2(dropout(act(linear1(x))))))   (normFirst: x = x + ff(norm2(x)))
 * </pre>
 * Children, in PyTorch's order (so its state-dict keys): {@code self_attn}, {@code linear1},
 * {@code dropout}, {@code linear2}, {@code norm1}, {@code norm2}, {@code dropout1},
 * {@code dropout2} (and {@code activation} when the activation is a module). Inputs are
 * {@code (S, N, E)}, {@code (N, S, E)} with {@code batchFirst}, or unbatched {@code (S, E)}.
 * PyTorch's inference fast path ({@code torch._transformer_encoder_layer_fwd}) computes the same
 * function; jtorch always takes the composed path.
 *
 * <pre>{@code
 * var layer = new TransformerEncoderLayer(TransformerEncoderLayer.options(512, 8).batchFirst(true));
 * Tensor out = layer.forward(Torch.rand(32, 10, 512));   // (32, 10, 512)
 * }</pre>
 */
public class TransformerEncoderLayer extends Module {
    /** Keyword arguments of {@code nn.TransformerEncoderLayer} (and the layers of {@link Transformer}). */
    public static final class Options {
        final long dModel, nhead;
        long dimFeedforward = 2048;
        double dropout = 0.1;
        Function<Tensor, Tensor> activation = jtorch.nn.functional.F::relu;
        String activationName = "relu";
        Module activationModule;
        double layerNormEps = 1e-5;
        boolean batchFirst, normFirst;

        Options(long dModel, long nhead) {
            this.dModel = dModel;
            this.nhead = nhead;
        }

        /** The hidden size of the feed-forward network (default 2048). */
        public Options dimFeedforward(long dimFeedforward) { this.dimFeedforward = dimFeedforward; return this; }

        /** The dropout of the attention weights and of the three dropout layers (default 0.1). */
        public Options dropout(double dropout) { this.dropout = dropout; return this; }

        /** {@code "relu"} (default) or {@code "gelu"}; any other name is refused, as in PyTorch. */
        public Options activation(String name) {
            this.activation = activationFunction(name);
            this.activationName = name;
            this.activationModule = null;
            return this;
        }

        /** A unary function as the activation, e.g. {@code Tensor::tanh} ({@code activation=torch.tanh}). */
        public Options activation(Function<Tensor, Tensor> fn) {
            this.activation = jtorch.ops.Args.notNull("TransformerEncoderLayer", "activation", fn);
            this.activationName = null;
            this.activationModule = null;
            return this;
        }

        /** A module as the activation ({@code activation=nn.GELU()}): registered as child {@code activation}, as in PyTorch. */
        public Options activation(Module module) {
            this.activationModule = jtorch.ops.Args.notNull("TransformerEncoderLayer", "activation", module);
            this.activation = null;
            this.activationName = null;
            return this;
        }

        /** {@code layer_norm_eps}: the epsilon of the layer norms (default 1e-5). */
        public Options layerNormEps(double layerNormEps) { this.layerNormEps = layerNormEps; return this; }

        /** Inputs and outputs {@code (batch, seq, feature)} instead of {@code (seq, batch, feature)}. */
        public Options batchFirst(boolean batchFirst) { this.batchFirst = batchFirst; return this; }

        /** Layer norm before each block (pre-LN) instead of after the residual. */
        public Options normFirst(boolean normFirst) { this.normFirst = normFirst; return this; }

        /** The feature size set. */
        public long dModel() { return dModel; }

        /** The number of heads set. */
        public long nhead() { return nhead; }

        /** The feed-forward hidden size set (default 2048). */
        public long dimFeedforward() { return dimFeedforward; }

        /** The dropout set (default 0.1). */
        public double dropout() { return dropout; }

        /** The layer-norm epsilon set (default 1e-5). */
        public double layerNormEps() { return layerNormEps; }

        /** Whether batch first (default false). */
        public boolean batchFirst() { return batchFirst; }

        /** Whether pre-LN (default false). */
        public boolean normFirst() { return normFirst; }
    }

    /**
     * {@code nn.TransformerEncoderLayer(d_model, nhead)}'s options, to chain keyword arguments on:
     * {@code TransformerEncoderLayer.options(512, 8).batchFirst(true)}.
     */
    public static Options options(long dModel, long nhead) { return new Options(dModel, nhead); }

    /** PyTorch's {@code _get_activation_fn}. */
    static Function<Tensor, Tensor> activationFunction(String name) {
        if ("relu".equals(name)) return jtorch.nn.functional.F::relu;
        if ("gelu".equals(name)) return jtorch.nn.functional.F::gelu;
        throw new IllegalArgumentException("activation should be relu/gelu, not " + name);
    }

    /** PyTorch's check of a key padding mask's dtype, in both layers and the encoder. */
    static void checkKeyPaddingMask(Tensor mask) {
        if (mask != null && mask.dtype() != jtorch.DType.BOOL && !mask.isFloatingPoint())
            throw new IllegalArgumentException("only bool and floating types of key_padding_mask are supported");
    }

    /** Whether each block is pre-LN. */
    public final boolean normFirst;
    /** The self-attention block's attention. */
    public final MultiheadAttention selfAttn;
    /** The feed-forward network's two layers, {@code d_model -> dim_feedforward -> d_model}. */
    public final Linear linear1, linear2;
    /** The feed-forward network's dropout and the dropout of each of the two blocks. */
    public final Dropout dropout, dropout1, dropout2;
    /** The layer norms of the two blocks. */
    public final LayerNorm norm1, norm2;
    /** The activation function, or null when it is the module {@link #activationModule}. */
    public final Function<Tensor, Tensor> activation;
    /** The activation when given as a module (child {@code activation}), else null. */
    public final Module activationModule;
    private final String activationName;

    /** {@code nn.TransformerEncoderLayer(d_model, nhead)} with the other options at PyTorch's defaults. */
    public TransformerEncoderLayer(long dModel, long nhead) { this(options(dModel, nhead)); }

    /** {@code nn.TransformerEncoderLayer} with the given options; children registered in PyTorch's order. */
    public TransformerEncoderLayer(Options o) {
        jtorch.ops.Args.notNull("TransformerEncoderLayer", "options", o);
        selfAttn = registerModule("self_attn", new MultiheadAttention(MultiheadAttention.options(o.dModel, o.nhead)
                .dropout(o.dropout).batchFirst(o.batchFirst)));
        linear1 = registerModule("linear1", new Linear(o.dModel, o.dimFeedforward));
        dropout = registerModule("dropout", new Dropout(o.dropout));
        linear2 = registerModule("linear2", new Linear(o.dimFeedforward, o.dModel));
        normFirst = o.normFirst;
        norm1 = registerModule("norm1", new LayerNorm(LayerNorm.options(o.dModel).eps(o.layerNormEps)));
        norm2 = registerModule("norm2", new LayerNorm(LayerNorm.options(o.dModel).eps(o.layerNormEps)));
        dropout1 = registerModule("dropout1", new Dropout(o.dropout));
        dropout2 = registerModule("dropout2", new Dropout(o.dropout));
        activation = o.activation;
        activationName = o.activationName;
        activationModule = o.activationModule == null ? null : registerModule("activation", o.activationModule);
    }

    /** {@code layer(src)}. */
    @Override public Tensor forward(Tensor src) { return forward(src, null, null); }

    /**
     * {@code layer(src, src_mask, src_key_padding_mask)}: {@code srcMask} is an attention mask
     * {@code (S, S)} or {@code (N*nhead, S, S)} (bool: true = not attended; float: added), and
     * {@code srcKeyPaddingMask} {@code (N, S)} (bool: true = padding; float: added); either may be null.
     */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        jtorch.ops.Args.notNull("TransformerEncoderLayer", "src", src);
        checkKeyPaddingMask(srcKeyPaddingMask);
        Tensor x = src;
        if (normFirst) {
            x = x.add(selfAttentionBlock(norm1.call(x), srcMask, srcKeyPaddingMask));
            x = x.add(feedForwardBlock(norm2.call(x)));
        } else {
            x = norm1.call(x.add(selfAttentionBlock(x, srcMask, srcKeyPaddingMask)));
            x = norm2.call(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor attnMask, Tensor keyPaddingMask) {
        return dropout1.call(selfAttn.forward(x, x, x, keyPaddingMask, false, attnMask).attnOutput());
    }

    private Tensor feedForwardBlock(Tensor x) {
        Tensor h = linear1.call(x);
        h = activationModule != null ? activationModule.call(h) : activation.apply(h);
        return dropout2.call(linear2.call(dropout.call(h)));
    }

    /** The activation's name ({@code "relu"}, {@code "gelu"}), or null when it is a function or a module. */
    public String activationName() { return activationName; }
}
