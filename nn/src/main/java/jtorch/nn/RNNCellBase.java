package jtorch.nn;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code nn.RNNCellBase}: the parameters of {@link RNNCell}, {@link LSTMCell} and {@link GRUCell},
 * {@code weight_ih (G, input_size)}, {@code weight_hh (G, hidden_size)}, {@code bias_ih} and
 * {@code bias_hh (G)} ({@code G = gates * hidden_size}), registered in that order and initialised
 * uniform in ±1/sqrt(hidden_size) from the default generator, as PyTorch does.
 *
 * <pre>{@code
 * var cell = new LSTMCell(10, 20);
 * cell.weightIh.shape();                   // torch.Size([80, 10])
 * }</pre>
 */
public abstract class RNNCellBase extends Module {
    /** The input feature size and the hidden state's size. */
    public final long inputSize, hiddenSize;
    /** Whether the cell has {@code bias_ih} and {@code bias_hh}. */
    public final boolean bias;
    /** Not final, so that {@code setParameter} re-points them. */
    public Parameter weightIh, weightHh;
    /** Null when built with {@code bias=false}. */
    public Parameter biasIh, biasHh;
    final Recurrent.Mode mode;
    private final String name;

    RNNCellBase(String name, Recurrent.Mode mode, long inputSize, long hiddenSize, boolean bias) {
        Checks.nonNegative(inputSize, hiddenSize);
        this.name = name;
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        long gates = mode.gates * hiddenSize;
        weightIh = registerParameter("weight_ih", Torch.empty(gates, inputSize));
        weightHh = registerParameter("weight_hh", Torch.empty(gates, hiddenSize));
        biasIh = registerParameter("bias_ih", bias ? Torch.empty(gates) : null);
        biasHh = registerParameter("bias_hh", bias ? Torch.empty(gates) : null);
        resetParameters();
    }

    /** PyTorch's {@code reset_parameters()}: every parameter uniform in ±1/sqrt(hidden_size), in registration order. */
    public void resetParameters() {
        double stdv = hiddenSize > 0 ? 1.0 / Math.sqrt(hiddenSize) : 0;
        for (Parameter p : parameters()) init.uniform_(p, -stdv, stdv);
    }

    /** The input as a batch: {@code (N, input_size)}, a 1-D input made {@code (1, input_size)}; checked as ATen checks it. */
    Tensor batchedInput(Tensor input) {
        jtorch.ops.Args.notNull(name, "input", input);
        if (input.dim() != 1 && input.dim() != 2)
            throw new IllegalArgumentException(name + ": Expected input to be 1-D or 2-D but received " + input.dim() + "-D tensor");
        Tensor x = input.dim() == 1 ? input.unsqueeze(0) : input;
        if (x.size(1) != inputSize)
            throw new IllegalArgumentException("input has inconsistent input_size: got " + x.size(1) + " expected " + inputSize);
        return x;
    }

    /** A state for the batched input {@code x}: zeros when null, else made 2-D like the input and checked. */
    Tensor batchedState(Tensor x, boolean batched, Tensor state) {
        if (state == null) return Torch.zeros(new long[] {x.size(0), hiddenSize}, x.dtype());
        Tensor h = batched ? state : state.unsqueeze(0);
        if (h.dim() != 2)
            throw new IllegalArgumentException(name + ": Expected hidden state to be " + (batched ? 2 : 1) + "-D like the input, got "
                    + state.dim() + "-D tensor");
        if (h.size(0) != x.size(0))
            throw new IllegalArgumentException("Input batch size " + x.size(0) + " doesn't match hidden0 batch size " + h.size(0));
        if (h.size(1) != hiddenSize)
            throw new IllegalArgumentException("hidden0 has inconsistent hidden_size: got " + h.size(1) + ", expected " + hiddenSize);
        return h;
    }

    /** The input projection {@code x W_ih^T + b} of the batch (see {@link Recurrent#inputProjection}). */
    Tensor inputProjection(Tensor x) {
        return Recurrent.inputProjection(mode, x, new Recurrent.Weights(weightIh, weightHh, biasIh, biasHh, null));
    }

    @Override protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=False");
    }
}
