package jtorch.examples.wordlm;

import java.util.List;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.Dropout;
import jtorch.nn.Embedding;
import jtorch.nn.Linear;
import jtorch.nn.Module;
import jtorch.nn.Transformer;
import jtorch.nn.TransformerEncoder;
import jtorch.nn.TransformerEncoderLayer;
import jtorch.nn.functional.F;
import jtorch.nn.init;

/**
 * pytorch/examples {@code word_language_model/model.py}'s {@code TransformerModel}: an embedding
 * ({@code encoder}) scaled by {@code sqrt(ninp)}, sine/cosine {@link PositionalEncoding}, an
 * {@code nn.TransformerEncoder} of {@code nlayers} post-norm ReLU layers under the square subsequent
 * (causal) mask, and a Linear {@code decoder} to log-probabilities; sequence-first {@code (S, N)}.
 * Its state-dict keys are the script's ({@code pos_encoder.pe}, {@code transformer_encoder.layers.0.self_attn.in_proj_weight}, ...).
 *
 * <pre>{@code
 * var model = new TransformerModel(ntokens, 200, 2, 200, 2, 0.2);
 * Tensor logProbs = model.forward(data);          // (S, N, ntokens), position i sees words 0..i
 * }</pre>
 */
public final class TransformerModel extends Module {
    /**
     * {@code PositionalEncoding(d_model, dropout, max_len=5000)}: {@code pe[pos, 2i] = sin(pos / 10000^(2i/d))},
     * {@code pe[pos, 2i+1] = cos(...)}, a buffer {@code (max_len, 1, d_model)} added to the input, then dropout.
     */
    public static final class PositionalEncoding extends Module {
        final Dropout dropout;
        final Tensor pe;

        public PositionalEncoding(long dModel, double dropout, long maxLen) {
            // pe[:, 0::2] = sin, pe[:, 1::2] = cos: the script needs an even d_model (its slice assignment fails otherwise)
            if (dModel % 2 != 0) throw new IllegalArgumentException("PositionalEncoding: d_model must be even, got " + dModel);
            this.dropout = registerModule("dropout", new Dropout(dropout));
            Tensor position = Torch.arange(0.0, (double) maxLen).unsqueeze(1);
            Tensor divTerm = Torch.arange(0.0, (double) dModel, 2.0).mul(-Math.log(10000.0) / dModel).exp();
            Tensor angle = position.mul(divTerm);                                   // (max_len, d_model / 2)
            Tensor pe = Torch.stack(List.of(angle.sin(), angle.cos()), 2).reshape(maxLen, dModel);   // interleaved
            this.pe = registerBuffer("pe", pe.unsqueeze(0).transpose(0, 1).contiguous());
        }

        @Override public Tensor forward(Tensor x) {
            if (x.size(0) > pe.size(0))
                throw new IllegalArgumentException("PositionalEncoding: sequence length " + x.size(0) + " exceeds max_len " + pe.size(0));
            return dropout.call(x.add(pe.narrow(0, 0, x.size(0))));
        }
    }

    public final String modelType = "Transformer";
    public final long ninp, ntoken;
    final PositionalEncoding posEncoder;
    final TransformerEncoder transformerEncoder;
    final Embedding encoder;
    final Linear decoder;
    private Tensor srcMask;

    /**
     * {@code TransformerModel(ntoken, ninp, nhead, nhid, nlayers, dropout)}.
     *
     * @throws IllegalArgumentException if {@code ninp} is odd or not divisible by {@code nhead}
     */
    public TransformerModel(long ntoken, long ninp, long nhead, long nhid, long nlayers, double dropout) {
        posEncoder = registerModule("pos_encoder", new PositionalEncoding(ninp, dropout, 5000));
        var layer = new TransformerEncoderLayer(TransformerEncoderLayer.options(ninp, nhead).dimFeedforward(nhid).dropout(dropout));
        transformerEncoder = registerModule("transformer_encoder", new TransformerEncoder(layer, Math.toIntExact(nlayers)));
        encoder = registerModule("encoder", new Embedding(ntoken, ninp));
        this.ninp = ninp;
        this.ntoken = ntoken;
        decoder = registerModule("decoder", new Linear(ninp, ntoken));
        initWeights();
    }

    /** {@code init_weights}: U(-0.1, 0.1) embedding and decoder weights, a zero decoder bias. */
    void initWeights() {
        double initrange = 0.1;
        init.uniform_(encoder.weight, -initrange, initrange);
        init.zeros_(decoder.bias);
        init.uniform_(decoder.weight, -initrange, initrange);
    }

    /** {@code forward(src)}: {@code src} {@code (S, N)} word ids, causal mask; log-probabilities {@code (S, N, ntoken)}. */
    @Override public Tensor forward(Tensor src) { return forward(src, true); }

    /** {@code forward(src, has_mask)}: without the mask every position sees the whole sequence. */
    public Tensor forward(Tensor src, boolean hasMask) {
        if (hasMask) {
            if (srcMask == null || srcMask.size(0) != src.size(0)) srcMask = Transformer.generateSquareSubsequentMask(src.size(0));
        } else {
            srcMask = null;
        }
        Tensor x = encoder.call(src).mul(Math.sqrt(ninp));
        x = posEncoder.call(x);
        Tensor output = transformerEncoder.forward(x, srcMask, null);
        output = decoder.call(output);
        return F.logSoftmax(output, -1);
    }
}
