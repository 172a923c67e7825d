package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.utils.rnn.PackedSequence;

/**
 * {@code nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True,
 * batch_first=False, dropout=0., bidirectional=False)}: an Elman RNN,
 * {@code h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh)} (or ReLU) per layer. Parameters,
 * initialisation and shapes as in {@link RNNBase}; input {@code (L, N, H_in)} ({@code (N, L, H_in)}
 * batch first), {@code (L, H_in)} unbatched, or a {@link PackedSequence}.
 *
 * <pre>{@code
 * var rnn = new RNN(RNN.options(10, 20).numLayers(2));        // nn.RNN(10, 20, 2)
 * var r = rnn.forward(Torch.randn(5, 3, 10), Torch.randn(2, 3, 20));   // output, hn = rnn(input, h0)
 * r.output().shape();                                         // torch.Size([5, 3, 20])
 * r.hN().shape();                                             // torch.Size([2, 3, 20])
 * }</pre>
 */
public class RNN extends RNNBase {
    /** Keyword arguments of {@code nn.RNN}. */
    public static final class Options extends RNNBase.Options<Options> {
        private String nonlinearity = "tanh";

        Options(long inputSize, long hiddenSize) { super(inputSize, hiddenSize); }

        /** {@code "tanh"} (default) or {@code "relu"}. */
        public Options nonlinearity(String nonlinearity) { this.nonlinearity = nonlinearity; return this; }

        /** The nonlinearity set ({@code "tanh"} unless changed). */
        public String nonlinearity() { return nonlinearity; }
    }

    /**
     * {@code nn.RNN(input_size, hidden_size)}'s options, to chain keyword arguments on:
     * {@code RNN.options(10, 20).nonlinearity("relu")}.
     */
    public static Options options(long inputSize, long hiddenSize) { return new Options(inputSize, hiddenSize); }

    /** {@code "tanh"} or {@code "relu"}. */
    public final String nonlinearity;

    /** {@code nn.RNN(input_size, hidden_size)}: one layer, tanh, with biases, sequence first, unidirectional. */
    public RNN(long inputSize, long hiddenSize) { this(options(inputSize, hiddenSize)); }

    /** {@code nn.RNN(input_size, hidden_size, num_layers)}. */
    public RNN(long inputSize, long hiddenSize, long numLayers) { this(options(inputSize, hiddenSize).numLayers(numLayers)); }

    /** {@code nn.RNN} with the given options; another nonlinearity than {@code "tanh"} or {@code "relu"} is refused. */
    public RNN(Options options) {
        super(mode(options), options, 0);
        this.nonlinearity = options.nonlinearity;
    }

    private static Recurrent.Mode mode(Options options) {
        jtorch.ops.Args.notNull("RNN", "options", options);
        if ("tanh".equals(options.nonlinearity)) return Recurrent.Mode.RNN_TANH;
        if ("relu".equals(options.nonlinearity)) return Recurrent.Mode.RNN_RELU;
        throw new IllegalArgumentException("Unknown nonlinearity '" + options.nonlinearity + "'");
    }

    /** {@code output, h_n = rnn(input, h_0)}; {@code hx} null means zeros. */
    public Output forward(Tensor input, Tensor hx) { return forwardSingleState(input, hx); }

    /** {@code output, h_n = rnn(packed, h_0)}: the output packed like the input. */
    public PackedOutput forward(PackedSequence input, Tensor hx) { return forwardSingleState(input, hx); }

    /** {@code rnn(input)[0]}: the output sequence, from a zero initial state. */
    @Override public Tensor forward(Tensor input) { return forward(input, null).output(); }
}
