package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.utils.rnn.PackedSequence;

/**
 * {@code nn.LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.,
 * bidirectional=False, proj_size=0)}: a long short-term memory per layer, gates in PyTorch's order
 * i, f, g, o: {@code c' = f * c + i * g}, {@code h' = o * tanh(c')}, and with {@code projSize > 0}
 * {@code h' = (o * tanh(c')) W_hr^T}. Parameters, initialisation and shapes as in {@link RNNBase}.
 *
 * <pre>{@code
 * var lstm = new LSTM(LSTM.options(10, 20).numLayers(2));     // nn.LSTM(10, 20, 2)
 * var r = lstm.forward(Torch.randn(5, 3, 10), Torch.randn(2, 3, 20), Torch.randn(2, 3, 20));
 * // output, (hn, cn) = rnn(input, (h0, c0))
 * r.output().shape();                                         // torch.Size([5, 3, 20])
 * r.cN().shape();                                             // torch.Size([2, 3, 20])
 * }</pre>
 */
public class LSTM extends RNNBase {
    /** Keyword arguments of {@code nn.LSTM}. */
    public static final class Options extends RNNBase.Options<Options> {
        private long projSize;

        Options(long inputSize, long hiddenSize) { super(inputSize, hiddenSize); }

        /** The size of the projected hidden state, 0 (default) for none; below {@code hiddenSize}. */
        public Options projSize(long projSize) { this.projSize = projSize; return this; }

        /** The projection size set (default 0). */
        public long projSize() { return projSize; }
    }

    /**
     * {@code nn.LSTM(input_size, hidden_size)}'s options, to chain keyword arguments on:
     * {@code LSTM.options(10, 20).projSize(5)}.
     */
    public static Options options(long inputSize, long hiddenSize) { return new Options(inputSize, hiddenSize); }

    /** What {@code lstm(input, (h_0, c_0))} returns: {@code output, (h_n, c_n)}. */
    public record Output(Tensor output, Tensor hN, Tensor cN) {}

    /** What {@code lstm(packed, (h_0, c_0))} returns: a packed {@code output} and {@code (h_n, c_n)}. */
    public record PackedOutput(PackedSequence output, Tensor hN, Tensor cN) {}

    /** {@code nn.LSTM(input_size, hidden_size)}: one layer, with biases, sequence first, unidirectional, no projection. */
    public LSTM(long inputSize, long hiddenSize) { this(options(inputSize, hiddenSize)); }

    /** {@code nn.LSTM(input_size, hidden_size, num_layers)}. */
    public LSTM(long inputSize, long hiddenSize, long numLayers) { this(options(inputSize, hiddenSize).numLayers(numLayers)); }

    /** {@code nn.LSTM} with the given options; the weights get PyTorch's uniform initialisation in ±1/sqrt(hidden_size). */
    public LSTM(Options options) { super(Recurrent.Mode.LSTM, options, jtorch.ops.Args.notNull("LSTM", "options", options).projSize); }

    /**
     * {@code output, (h_n, c_n) = lstm(input, (h_0, c_0))}; {@code h0} and {@code c0} both null
     * mean zeros ({@code lstm(input)}).
     */
    public Output forward(Tensor input, Tensor h0, Tensor c0) {
        jtorch.ops.Args.notNull("LSTM", "input", input);
        checkPair(h0, c0);
        boolean batched = input.dim() == 3;
        int batchDim = batchFirst ? 0 : 1;
        if (!batched) input = input.unsqueeze(batchDim);
        long miniBatch = input.size(batchDim);
        if (h0 == null) {
            h0 = zeroState(miniBatch, realHiddenSize(), input.dtype());
            c0 = zeroState(miniBatch, hiddenSize, input.dtype());
        } else if (batched) {
            if (h0.dim() != 3 || c0.dim() != 3)
                throw new IllegalArgumentException("For batched 3-D input, hx and cx should also be 3-D but got (" + h0.dim() + "-D, "
                        + c0.dim() + "-D) tensors");
        } else {
            if (h0.dim() != 2 || c0.dim() != 2)
                throw new IllegalArgumentException("For unbatched 2-D input, hx and cx should also be 2-D but got (" + h0.dim() + "-D, "
                        + c0.dim() + "-D) tensors");
            h0 = h0.unsqueeze(1);
            c0 = c0.unsqueeze(1);
        }
        checkArgs(input, false, miniBatch, h0, c0);
        Recurrent.Result r = runChecked(input, null, h0, c0);
        if (!batched) return new Output(r.output().squeeze(batchDim), r.hN().squeeze(1), r.cN().squeeze(1));
        return new Output(r.output(), r.hN(), r.cN());
    }

    /** {@code output, (h_n, c_n) = lstm(input, hx)} with {@code hx = {h_0, c_0}}, or null for zeros. */
    public Output forward(Tensor input, Tensor[] hx) {
        if (hx == null) return forward(input, null, null);
        if (hx.length != 2) throw new IllegalArgumentException("LSTM: hx must be (h_0, c_0), got " + hx.length + " tensors");
        return forward(input, hx[0], hx[1]);
    }

    /** {@code output, (h_n, c_n) = lstm(packed, (h_0, c_0))}: the output packed like the input. */
    public PackedOutput forward(PackedSequence input, Tensor h0, Tensor c0) {
        jtorch.ops.Args.notNull("LSTM", "input", input);
        checkPair(h0, c0);
        Tensor data = input.data();
        long[] bs = batchSizes(input);
        long miniBatch = bs[0];
        if (h0 == null) {
            h0 = zeroState(miniBatch, realHiddenSize(), data.dtype());
            c0 = zeroState(miniBatch, hiddenSize, data.dtype());
        } else {
            h0 = permuteHidden(h0, input.sortedIndices());
            c0 = permuteHidden(c0, input.sortedIndices());
        }
        checkArgs(data, true, miniBatch, h0, c0);
        Recurrent.Result r = runChecked(data, bs, h0, c0);
        return new PackedOutput(new PackedSequence(r.output(), input.batchSizes(), input.sortedIndices(), input.unsortedIndices()),
                permuteHidden(r.hN(), input.unsortedIndices()), permuteHidden(r.cN(), input.unsortedIndices()));
    }

    /** {@code lstm(input)[0]}: the output sequence, from zero states. */
    @Override public Tensor forward(Tensor input) { return forward(input, null, null).output(); }

    private static void checkPair(Tensor h0, Tensor c0) {
        if ((h0 == null) != (c0 == null))
            throw new IllegalArgumentException("LSTM: the initial states h_0 and c_0 must be given together (or both be null for zeros)");
    }

    private void checkArgs(Tensor input, boolean packed, long miniBatch, Tensor h0, Tensor c0) {
        checkInput(input, packed);
        checkHiddenSize(h0, miniBatch, realHiddenSize(), "hidden[0]");
        checkHiddenSize(c0, miniBatch, hiddenSize, "hidden[1]");
    }
}
