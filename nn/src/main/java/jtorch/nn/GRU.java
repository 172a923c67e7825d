package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.utils.rnn.PackedSequence;

/**
 * {@code nn.GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.,
 * bidirectional=False)}: a gated recurrent unit per layer, gates in PyTorch's order r, z, n:
 * {@code r = σ(W_ir x + b_ir + W_hr h + b_hr)}, {@code z = σ(W_iz x + b_iz + W_hz h + b_hz)},
 * {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))}, {@code h' = (1 - z) * n + z * h}.
 * Parameters, initialisation and shapes as in {@link RNNBase}.
 *
 * <pre>{@code
 * var gru = new GRU(GRU.options(10, 20).numLayers(2));        // nn.GRU(10, 20, 2)
 * var r = gru.forward(Torch.randn(5, 3, 10), null);           // output, hn = gru(input)
 * r.hN().shape();                                             // torch.Size([2, 3, 20])
 * }</pre>
 */
public class GRU extends RNNBase {
    /** Keyword arguments of {@code nn.GRU}. */
    public static final class Options extends RNNBase.Options<Options> {
        Options(long inputSize, long hiddenSize) { super(inputSize, hiddenSize); }
    }

    /**
     * {@code nn.GRU(input_size, hidden_size)}'s options, to chain keyword arguments on:
     * {@code GRU.options(10, 20).batchFirst(true)}.
     */
    public static Options options(long inputSize, long hiddenSize) { return new Options(inputSize, hiddenSize); }

    /** {@code nn.GRU(input_size, hidden_size)}: one layer, with biases, sequence first, unidirectional. */
    public GRU(long inputSize, long hiddenSize) { this(options(inputSize, hiddenSize)); }

    /** {@code nn.GRU(input_size, hidden_size, num_layers)}. */
    public GRU(long inputSize, long hiddenSize, long numLayers) { this(options(inputSize, hiddenSize).numLayers(numLayers)); }

    /** {@code nn.GRU} with the given options; the weights get PyTorch's uniform initialisation in ±1/sqrt(hidden_size). */
    public GRU(Options options) { super(Recurrent.Mode.GRU, options, 0); }

    /** {@code output, h_n = gru(input, h_0)}; {@code hx} null means zeros. */
    public Output forward(Tensor input, Tensor hx) { return forwardSingleState(input, hx); }

    /** {@code output, h_n = gru(packed, h_0)}: the output packed like the input. */
    public PackedOutput forward(PackedSequence input, Tensor hx) { return forwardSingleState(input, hx); }

    /** {@code gru(input)[0]}: the output sequence, from a zero initial state. */
    @Override public Tensor forward(Tensor input) { return forward(input, null).output(); }
}
