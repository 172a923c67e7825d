package jtorch.nn;

import jtorch.Tensor;

/**
 * {@code nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh')}: one step of an Elman
 * RNN, {@code h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)} (or ReLU). Input {@code (N, input_size)}
 * or {@code (input_size)}, state {@code (N, hidden_size)} or {@code (hidden_size)}.
 *
 * <pre>{@code
 * var cell = new RNNCell(10, 20);
 * Tensor hx = Torch.randn(3, 20);
 * for (int i = 0; i < 6; i++) hx = cell.forward(input.select(0, i), hx);   // hx = rnn(input[i], hx)
 * }</pre>
 */
public class RNNCell extends RNNCellBase {
    /** {@code "tanh"} or {@code "relu"}. */
    public final String nonlinearity;

    /** {@code nn.RNNCell(input_size, hidden_size)}: tanh, with biases. */
    public RNNCell(long inputSize, long hiddenSize) { this(inputSize, hiddenSize, true, "tanh"); }

    /** {@code nn.RNNCell(input_size, hidden_size, bias, nonlinearity)}: {@code "tanh"} or {@code "relu"}. */
    public RNNCell(long inputSize, long hiddenSize, boolean bias, String nonlinearity) {
        super("RNNCell", mode(nonlinearity), inputSize, hiddenSize, bias);
        this.nonlinearity = nonlinearity;
    }

    private static Recurrent.Mode mode(String nonlinearity) {
        if ("tanh".equals(nonlinearity)) return Recurrent.Mode.RNN_TANH;
        if ("relu".equals(nonlinearity)) return Recurrent.Mode.RNN_RELU;
        throw new IllegalArgumentException("Unknown nonlinearity: " + nonlinearity);
    }

    /** {@code h' = cell(input, hx)}; {@code hx} null means zeros. */
    public Tensor forward(Tensor input, Tensor hx) {
        Tensor x = batchedInput(input);
        boolean batched = input.dim() == 2;
        Tensor h = batchedState(x, batched, hx);
        Tensor out = Recurrent.step(mode, inputProjection(x), h, null, weightHh.t(), biasHh, null)[0];
        return batched ? out : out.squeeze(0);
    }

    /** {@code cell(input)}: from a zero state. */
    @Override public Tensor forward(Tensor input) { return forward(input, null); }

    @Override protected String extraRepr() {
        return super.extraRepr() + (nonlinearity.equals("tanh") ? "" : ", nonlinearity=" + nonlinearity);
    }
}
