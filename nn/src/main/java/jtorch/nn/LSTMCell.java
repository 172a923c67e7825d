package jtorch.nn;

import jtorch.Tensor;

/**
 * {@code nn.LSTMCell(input_size, hidden_size, bias=True)}: one LSTM step (gates i, f, g, o as in
 * {@link LSTM}). Input {@code (N, input_size)} or {@code (input_size)}, states {@code (N, hidden_size)}
 * or {@code (hidden_size)}; returns {@code (h', c')}.
 *
 * <pre>{@code
 * var cell = new LSTMCell(10, 20);
 * var s = cell.forward(Torch.randn(3, 10), Torch.randn(3, 20), Torch.randn(3, 20));   // hx, cx = cell(input, (hx, cx))
 * s.h().shape();                           // torch.Size([3, 20])
 * }</pre>
 */
public class LSTMCell extends RNNCellBase {
    /** What {@code cell(input, (h, c))} returns: {@code (h', c')}. */
    public record Output(Tensor h, Tensor c) {}

    /** {@code nn.LSTMCell(input_size, hidden_size)}, with biases. */
    public LSTMCell(long inputSize, long hiddenSize) { this(inputSize, hiddenSize, true); }

    /**
     * {@code nn.LSTMCell(input_size, hidden_size, bias)}; the weights get PyTorch's uniform
     * initialisation in ±1/sqrt(hidden_size).
     */
    public LSTMCell(long inputSize, long hiddenSize, boolean bias) { super("LSTMCell", Recurrent.Mode.LSTM, inputSize, hiddenSize, bias); }

    /** {@code h', c' = cell(input, (h, c))}; {@code h} and {@code c} both null mean zeros. */
    public Output forward(Tensor input, Tensor h, Tensor c) {
        if ((h == null) != (c == null))
            throw new IllegalArgumentException("LSTMCell: the states h and c must be given together (or both be null for zeros)");
        Tensor x = batchedInput(input);
        boolean batched = input.dim() == 2;
        Tensor hb = batchedState(x, batched, h), cb = batchedState(x, batched, c);
        Tensor[] hc = Recurrent.step(mode, inputProjection(x), hb, cb, weightHh.t(), biasHh, null);
        return batched ? new Output(hc[0], hc[1]) : new Output(hc[0].squeeze(0), hc[1].squeeze(0));
    }

    /** {@code cell(input)[0]}: h' from zero states. */
    @Override public Tensor forward(Tensor input) { return forward(input, null, null).h(); }
}
