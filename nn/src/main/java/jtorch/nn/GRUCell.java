package jtorch.nn;

import jtorch.Tensor;

/**
 * {@code nn.GRUCell(input_size, hidden_size, bias=True)}: one GRU step (gates r, z, n as in
 * {@link GRU}). Input {@code (N, input_size)} or {@code (input_size)}, state {@code (N, hidden_size)}
 * or {@code (hidden_size)}.
 *
 * <pre>{@code
 * var cell = new GRUCell(10, 20);
 * Tensor hx = cell.forward(Torch.randn(3, 10), Torch.randn(3, 20));   // hx = cell(input, hx)
 * }</pre>
 */
public class GRUCell extends RNNCellBase {
    /** {@code nn.GRUCell(input_size, hidden_size)}, with biases. */
    public GRUCell(long inputSize, long hiddenSize) { this(inputSize, hiddenSize, true); }

    /**
     * {@code nn.GRUCell(input_size, hidden_size, bias)}; the weights get PyTorch's uniform
     * initialisation in ±1/sqrt(hidden_size).
     */
    public GRUCell(long inputSize, long hiddenSize, boolean bias) { super("GRUCell", Recurrent.Mode.GRU, inputSize, hiddenSize, bias); }

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
}
