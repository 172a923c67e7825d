package jtorch.nn;

import java.util.function.Function;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
 * dim_feedforward=2048, dropout=0.1, activation=F.relu, custom_encoder=None, custom_decoder=None,
 * layer_norm_eps=1e-5, batch_first=False, norm_first=False)}: a {@link TransformerEncoder} and a
 * {@link TransformerDecoder}, each with a final layer norm, built as PyTorch 1.13 builds them (the
 * same random draws, then {@code _reset_parameters}: {@code xavier_uniform_} on every parameter of
 * more than one dim, in {@link #parameters()} order), so that after {@code Torch.manualSeed(s)}
 * the parameters are PyTorch's. Children: {@code encoder}, {@code decoder}
 * ({@code encoder.layers.0.self_attn.in_proj_weight}, ..., {@code decoder.norm.weight}).
 *
 * <pre>{@code
 * var model = new Transformer(Transformer.options().nhead(16).numEncoderLayers(12));
 * Tensor src = Torch.rand(10, 32, 512), tgt = Torch.rand(20, 32, 512);
 * Tensor out = model.forward(src, tgt, null, Transformer.generateSquareSubsequentMask(20), null, null, null, null);
 * }</pre>
 */
public class Transformer extends Module {
    /** Keyword arguments of {@code nn.Transformer}. */
    public static final class Options {
        private long dModel = 512, nhead = 8, dimFeedforward = 2048;
        private int numEncoderLayers = 6, numDecoderLayers = 6;
        private double dropout = 0.1, layerNormEps = 1e-5;
        private Object activation = "relu";
        private TransformerEncoder customEncoder;
        private TransformerDecoder customDecoder;
        private boolean batchFirst, normFirst;

        /** {@code d_model}: the feature size of the encoder and decoder inputs (default 512). */
        public Options dModel(long dModel) { this.dModel = dModel; return this; }

        /** {@code nhead}: the number of attention heads (default 8; {@code d_model} must divide by it). */
        public Options nhead(long nhead) { this.nhead = nhead; return this; }

        /** {@code num_encoder_layers} (default 6). */
        public Options numEncoderLayers(int n) { this.numEncoderLayers = n; return this; }

        /** {@code num_decoder_layers} (default 6). */
        public Options numDecoderLayers(int n) { this.numDecoderLayers = n; return this; }

        /** {@code dim_feedforward}: the hidden size of each layer's feed-forward network (default 2048). */
        public Options dimFeedforward(long dimFeedforward) { this.dimFeedforward = dimFeedforward; return this; }

        /** {@code dropout} (default 0.1). */
        public Options dropout(double dropout) { this.dropout = dropout; return this; }

        /** {@code "relu"} (default) or {@code "gelu"}. */
        public Options activation(String name) {
            TransformerEncoderLayer.activationFunction(name);
            this.activation = name;
            return this;
        }

        /** A unary function as the activation of every layer. */
        public Options activation(Function<Tensor, Tensor> fn) {
            this.activation = jtorch.ops.Args.notNull("Transformer", "activation", fn);
            return this;
        }

        /** A module as the activation of every layer (each layer's copy gets its own copy of it). */
        public Options activation(Module module) {
            this.activation = jtorch.ops.Args.notNull("Transformer", "activation", module);
            return this;
        }

        /** Use this encoder instead of building one (its parameters are reset with the rest, as in PyTorch). */
        public Options customEncoder(TransformerEncoder encoder) { this.customEncoder = encoder; return this; }

        /** Use this decoder instead of building one (its parameters are reset with the rest, as in PyTorch). */
        public Options customDecoder(TransformerDecoder decoder) { this.customDecoder = decoder; return this; }

        /** {@code layer_norm_eps}: the epsilon of every layer norm (default 1e-5). */
        public Options layerNormEps(double layerNormEps) { this.layerNormEps = layerNormEps; return this; }

        /** {@code batch_first}: inputs and outputs {@code (N, S, E)} instead of {@code (S, N, E)} (default false). */
        public Options batchFirst(boolean batchFirst) { this.batchFirst = batchFirst; return this; }

        /** {@code norm_first}: layer norm before each block (pre-LN) instead of after the residual (default false). */
        public Options normFirst(boolean normFirst) { this.normFirst = normFirst; return this; }

        @SuppressWarnings("unchecked")
        TransformerEncoderLayer.Options layer() {
            var o = TransformerEncoderLayer.options(dModel, nhead).dimFeedforward(dimFeedforward).dropout(dropout)
                    .layerNormEps(layerNormEps).batchFirst(batchFirst).normFirst(normFirst);
            if (activation instanceof String) o.activation((String) activation);
            else if (activation instanceof Module) o.activation((Module) activation);
            else o.activation((Function<Tensor, Tensor>) activation);
            return o;
        }
    }

    /**
     * The default options of {@code nn.Transformer}, to chain keyword arguments on:
     * {@code Transformer.options().dModel(64).nhead(4)}.
     */
    public static Options options() { return new Options(); }

    /** The encoder (child {@code encoder}): the custom one, or {@code num_encoder_layers} layers and a final layer norm. */
    public final TransformerEncoder encoder;
    /** The decoder (child {@code decoder}): the custom one, or {@code num_decoder_layers} layers and a final layer norm. */
    public final TransformerDecoder decoder;
    /** The feature size and the number of heads. */
    public final long dModel, nhead;
    /** Whether inputs and outputs are batch first. */
    public final boolean batchFirst;

    /** {@code nn.Transformer()} with PyTorch's defaults. */
    public Transformer() { this(options()); }

    /**
     * {@code nn.Transformer} with the given options: builds the encoder and decoder (unless custom ones
     * are given), then resets the parameters.
     */
    public Transformer(Options o) {
        jtorch.ops.Args.notNull("Transformer", "options", o);
        if (o.customEncoder != null) encoder = registerModule("encoder", o.customEncoder);
        else {
            var encoderLayer = new TransformerEncoderLayer(o.layer());
            var encoderNorm = new LayerNorm(LayerNorm.options(o.dModel).eps(o.layerNormEps));
            encoder = registerModule("encoder", new TransformerEncoder(encoderLayer, o.numEncoderLayers, encoderNorm));
        }
        if (o.customDecoder != null) decoder = registerModule("decoder", o.customDecoder);
        else {
            var decoderLayer = new TransformerDecoderLayer(o.layer());
            var decoderNorm = new LayerNorm(LayerNorm.options(o.dModel).eps(o.layerNormEps));
            decoder = registerModule("decoder", new TransformerDecoder(decoderLayer, o.numDecoderLayers, decoderNorm));
        }
        resetParameters();
        dModel = o.dModel;
        nhead = o.nhead;
        batchFirst = o.batchFirst;
    }

    /** PyTorch's {@code _reset_parameters()}: {@code xavier_uniform_} on each parameter with more than one dim, in order. */
    public void resetParameters() {
        for (Parameter p : parameters()) if (p.dim() > 1) init.xavierUniform_(p);
    }

    /** {@code model(src, tgt)}. */
    public Tensor forward(Tensor src, Tensor tgt) { return forward(src, tgt, null, null, null, null, null, null); }

    /**
     * {@code model(src, tgt, src_mask, tgt_mask, memory_mask, src_key_padding_mask,
     * tgt_key_padding_mask, memory_key_padding_mask)}: the encoder on {@code src}, then the decoder
     * on {@code tgt} and the encoder's output; any mask may be null.
     */
    public Tensor forward(Tensor src, Tensor tgt, Tensor srcMask, Tensor tgtMask, Tensor memoryMask, Tensor srcKeyPaddingMask,
                          Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        jtorch.ops.Args.notNull("Transformer", "src", src);
        jtorch.ops.Args.notNull("Transformer", "tgt", tgt);
        boolean isBatched = src.dim() == 3;
        if (isBatched && tgt.dim() >= 2 && src.size(batchFirst ? 0 : 1) != tgt.size(batchFirst ? 0 : 1))
            throw new IllegalArgumentException("the batch number of src and tgt must be equal");
        if (src.dim() == 0 || tgt.dim() == 0 || src.size(-1) != dModel || tgt.size(-1) != dModel)
            throw new IllegalArgumentException("the feature number of src and tgt must be equal to d_model");
        Tensor memory = encoder.forward(src, srcMask, srcKeyPaddingMask);
        return decoder.forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
    }

    /**
     * {@code Transformer.generate_square_subsequent_mask(sz)}: the float mask {@code (sz, sz)} with
     * {@code -inf} above the diagonal and 0 elsewhere (position i attends to positions up to i).
     */
    public static Tensor generateSquareSubsequentMask(long sz) {
        if (sz < 0) throw new IllegalArgumentException("generate_square_subsequent_mask: sz must be non-negative, got " + sz);
        return Torch.triu(Torch.full(new long[] {sz, sz}, Double.NEGATIVE_INFINITY), 1);
    }
}
