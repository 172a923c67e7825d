package jtorch.nn;

import jtorch.Tensor;

/**
 * {@code nn.TransformerEncoder(encoder_layer, num_layers, norm=None)}: {@code numLayers} deep
 * copies of {@code encoderLayer} (PyTorch's {@code _get_clones}: {@link Module#deepCopy}, so the
 * copies start with the layer's parameters and the layer itself is not part of the encoder),
 * applied in turn, then the optional final {@code norm}. Children: {@code layers}
 * ({@code layers.0.self_attn.in_proj_weight}, ...) and {@code norm}.
 * <p>PyTorch 1.13's nested-tensor path ({@code enable_nested_tensor=True}, taken only in inference
 * with a key padding mask and no gradient) is not implemented: jtorch always gives the padded
 * result, which is PyTorch's with {@code enable_nested_tensor=False} (the nested path returns 0 at
 * the padded positions instead; the other positions agree).
 *
 * <pre>{@code
 * var layer = new TransformerEncoderLayer(512, 8);
 * var encoder = new TransformerEncoder(layer, 6);
 * Tensor out = encoder.forward(Torch.rand(10, 32, 512));
 * }</pre>
 */
public class TransformerEncoder extends Module {
    /** The {@code numLayers} copies of the encoder layer (child {@code layers}). */
    public final ModuleList layers;
    /** The number of layers. */
    public final int numLayers;
    /** The final norm, or null. */
    public final Module norm;

    /** {@code nn.TransformerEncoder(encoder_layer, num_layers)}: no final norm. */
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers) { this(encoderLayer, numLayers, null); }

    /**
     * {@code nn.TransformerEncoder(encoder_layer, num_layers, norm)}: {@code numLayers} deep copies of
     * {@code encoderLayer}, then {@code norm} (may be null).
     */
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, Module norm) {
        jtorch.ops.Args.notNull("TransformerEncoder", "encoder_layer", encoderLayer);
        if (numLayers < 0) throw new IllegalArgumentException("TransformerEncoder: num_layers must be non-negative, got " + numLayers);
        layers = registerModule("layers", clones(encoderLayer, numLayers));
        this.numLayers = numLayers;
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    /** PyTorch's {@code _get_clones(module, N)}. */
    static ModuleList clones(Module module, int n) {
        ModuleList list = new ModuleList();
        for (int i = 0; i < n; i++) list.append(Module.deepCopy(module));
        return list;
    }

    /** {@code encoder(src)}. */
    @Override public Tensor forward(Tensor src) { return forward(src, null, null); }

    /** {@code encoder(src, mask, src_key_padding_mask)}: the masks of {@link TransformerEncoderLayer#forward(Tensor, Tensor, Tensor)}, given to every layer. */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        TransformerEncoderLayer.checkKeyPaddingMask(srcKeyPaddingMask);
        Tensor output = src;
        for (Module layer : layers) output = ((TransformerEncoderLayer) layer).forward(output, mask, srcKeyPaddingMask);
        if (norm != null) output = norm.call(output);
        return output;
    }
}
