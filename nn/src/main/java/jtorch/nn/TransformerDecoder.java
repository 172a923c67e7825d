package jtorch.nn;

import jtorch.Tensor;

/**
 * {@code nn.TransformerDecoder(decoder_layer, num_layers, norm=None)}: {@code numLayers} deep
 * copies of {@code decoderLayer} ({@link Module#deepCopy}, PyTorch's {@code _get_clones}) applied
 * in turn to the target with the same {@code memory}, then the optional final {@code norm}.
 * Children: {@code layers} and {@code norm}.
 *
 * <pre>{@code
 * var decoder = new TransformerDecoder(new TransformerDecoderLayer(512, 8), 6);
 * Tensor out = decoder.forward(Torch.rand(20, 32, 512), Torch.rand(10, 32, 512));
 * }</pre>
 */
public class TransformerDecoder extends Module {
    /** The {@code numLayers} copies of the decoder layer (child {@code layers}). */
    public final ModuleList layers;
    /** The number of layers. */
    public final int numLayers;
    /** The final norm, or null. */
    public final Module norm;

    /** {@code nn.TransformerDecoder(decoder_layer, num_layers)}: no final norm. */
    public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers) { this(decoderLayer, numLayers, null); }

    /**
     * {@code nn.TransformerDecoder(decoder_layer, num_layers, norm)}: {@code numLayers} deep copies of
     * {@code decoderLayer}, then {@code norm} (may be null).
     */
    public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers, Module norm) {
        jtorch.ops.Args.notNull("TransformerDecoder", "decoder_layer", decoderLayer);
        if (numLayers < 0) throw new IllegalArgumentException("TransformerDecoder: num_layers must be non-negative, got " + numLayers);
        layers = registerModule("layers", TransformerEncoder.clones(decoderLayer, numLayers));
        this.numLayers = numLayers;
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    /** {@code decoder(tgt, memory)}. */
    public Tensor forward(Tensor tgt, Tensor memory) { return forward(tgt, memory, null, null, null, null); }

    /** {@code decoder(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask)}, each layer with the same masks. */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask) {
        Tensor output = tgt;
        for (Module layer : layers)
            output = ((TransformerDecoderLayer) layer).forward(output, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
        if (norm != null) output = norm.call(output);
        return output;
    }
}
