package jtorch.nn;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jtorch.DType;
import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.utils.rnn.PackedSequence;

/**
 * {@code nn.RNNBase}: what {@link RNN}, {@link LSTM} and {@link GRU} share. The parameters of layer
 * {@code k} are {@code weight_ih_l{k}} {@code (G, in)}, {@code weight_hh_l{k}} {@code (G, Hout)},
 * {@code bias_ih_l{k}}, {@code bias_hh_l{k}} {@code (G)} and, for an LSTM with {@code projSize > 0},
 * {@code weight_hr_l{k}} {@code (projSize, H)}, with {@code G = gates * hiddenSize}; the reverse
 * direction's names end in {@code _reverse}. They are registered in PyTorch's order (so the state
 * dict lists PyTorch's keys in its order) and initialised in that order from the default generator,
 * each uniform in ±1/sqrt(hiddenSize): after {@code Torch.manualSeed(s)} a module holds PyTorch's
 * values.
 *
 * <pre>{@code
 * var lstm = new LSTM(LSTM.options(10, 20).numLayers(2));      // nn.LSTM(10, 20, num_layers=2)
 * lstm.getParameter("weight_ih_l1").shape();                  // torch.Size([80, 20])
 * }</pre>
 */
public abstract class RNNBase extends Module {
    private static final Logger LOG = LoggerFactory.getLogger(RNNBase.class);

    /** Keyword arguments shared by {@code nn.RNN}, {@code nn.LSTM} and {@code nn.GRU}. */
    public abstract static class Options<O extends Options<O>> {
        final long inputSize, hiddenSize;
        long numLayers = 1;
        boolean bias = true, batchFirst, bidirectional;
        double dropout;

        Options(long inputSize, long hiddenSize) {
            this.inputSize = inputSize;
            this.hiddenSize = hiddenSize;
        }

        @SuppressWarnings("unchecked")
        private O self() { return (O) this; }

        /** Stacked layers, each taking the previous one's output (default 1). */
        public O numLayers(long numLayers) { this.numLayers = numLayers; return self(); }

        /** Whether the layers have {@code b_ih} and {@code b_hh} (default true). */
        public O bias(boolean bias) { this.bias = bias; return self(); }

        /** Input and output as {@code (batch, seq, feature)} instead of {@code (seq, batch, feature)} (default false). */
        public O batchFirst(boolean batchFirst) { this.batchFirst = batchFirst; return self(); }

        /** Dropout probability on the outputs of each layer but the last, in training (default 0). */
        public O dropout(double dropout) { this.dropout = dropout; return self(); }

        /** A second pass over the reversed sequence per layer, outputs concatenated (default false). */
        public O bidirectional(boolean bidirectional) { this.bidirectional = bidirectional; return self(); }

        /** The input feature size {@code H_in} set. */
        public long inputSize() { return inputSize; }

        /** The hidden state's size set. */
        public long hiddenSize() { return hiddenSize; }

        /** The number of stacked layers set (default 1). */
        public long numLayers() { return numLayers; }

        /** Whether the layers have biases (default true). */
        public boolean bias() { return bias; }

        /** Whether inputs are batch first (default false). */
        public boolean batchFirst() { return batchFirst; }

        /** The between-layer dropout set (default 0). */
        public double dropout() { return dropout; }

        /** Whether bidirectional (default false). */
        public boolean bidirectional() { return bidirectional; }
    }

    /** What {@code rnn(input, h_0)} returns for RNN and GRU: {@code output, h_n}. */
    public record Output(Tensor output, Tensor hN) {}

    /** What {@code rnn(packed, h_0)} returns for RNN and GRU: a packed {@code output} and {@code h_n}. */
    public record PackedOutput(PackedSequence output, Tensor hN) {}

    final Recurrent.Mode mode;
    /** {@code input_size}, {@code hidden_size}, {@code num_layers} and {@code proj_size} (0 but for a projected LSTM). */
    public final long inputSize, hiddenSize, numLayers, projSize;
    /** As in PyTorch: {@code bias}, {@code batch_first} and {@code bidirectional}. */
    public final boolean bias, batchFirst, bidirectional;
    /** The dropout probability on each layer's output but the last, in training. */
    public final double dropout;
    /** Per (layer, direction): the parameter names in PyTorch's order. */
    private final List<String[]> names = new ArrayList<>();

    RNNBase(Recurrent.Mode mode, Options<?> o, long projSize) {
        jtorch.ops.Args.notNull(modeName(mode), "options", o);
        this.mode = mode;
        this.inputSize = o.inputSize;
        this.hiddenSize = o.hiddenSize;
        this.numLayers = o.numLayers;
        this.bias = o.bias;
        this.batchFirst = o.batchFirst;
        this.dropout = o.dropout;
        this.bidirectional = o.bidirectional;
        this.projSize = projSize;
        if (!(o.dropout >= 0 && o.dropout <= 1))
            throw new IllegalArgumentException("dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
        if (o.dropout > 0 && o.numLayers == 1)
            LOG.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers "
                    + "greater than 1, but got dropout={} and num_layers={}", PyFormat.repr(o.dropout), o.numLayers);
        if (projSize < 0) throw new IllegalArgumentException("proj_size should be a positive integer or zero to disable projections");
        if (projSize >= o.hiddenSize) throw new IllegalArgumentException("proj_size has to be smaller than hidden_size");
        if (o.numLayers < 1) throw new IllegalArgumentException(modeName(mode) + ": num_layers must be at least 1, got " + o.numLayers);
        Checks.nonNegative(o.inputSize, o.hiddenSize);
        long gateSize = mode.gates * o.hiddenSize;
        int dirs = o.bidirectional ? 2 : 1;
        long realHidden = projSize > 0 ? projSize : o.hiddenSize;
        for (long layer = 0; layer < o.numLayers; layer++)
            for (int d = 0; d < dirs; d++) {
                long layerInput = layer == 0 ? o.inputSize : realHidden * dirs;
                String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                List<String> n = new ArrayList<>(List.of("weight_ih" + suffix, "weight_hh" + suffix));
                registerParameter("weight_ih" + suffix, Torch.empty(gateSize, layerInput));
                registerParameter("weight_hh" + suffix, Torch.empty(gateSize, realHidden));
                if (o.bias) {
                    registerParameter("bias_ih" + suffix, Torch.empty(gateSize));
                    registerParameter("bias_hh" + suffix, Torch.empty(gateSize));
                    n.add("bias_ih" + suffix);
                    n.add("bias_hh" + suffix);
                }
                if (projSize > 0) {
                    registerParameter("weight_hr" + suffix, Torch.empty(projSize, o.hiddenSize));
                    n.add("weight_hr" + suffix);
                }
                names.add(n.toArray(new String[0]));
            }
        resetParameters();
    }

    private static String modeName(Recurrent.Mode mode) {
        return mode == Recurrent.Mode.LSTM ? "LSTM" : mode == Recurrent.Mode.GRU ? "GRU" : "RNN";
    }

    /** PyTorch's {@code reset_parameters()}: every parameter uniform in ±1/sqrt(hiddenSize), in registration order. */
    public void resetParameters() {
        double stdv = hiddenSize > 0 ? 1.0 / Math.sqrt(hiddenSize) : 0;
        for (Parameter p : parameters()) init.uniform_(p, -stdv, stdv);
    }

    /** {@code rnn.all_weights}: per layer and direction, its parameters in PyTorch's order. */
    public List<List<Parameter>> allWeights() {
        List<List<Parameter>> all = new ArrayList<>();
        for (String[] n : names) {
            List<Parameter> ps = new ArrayList<>();
            for (String s : n) ps.add(getParameter(s));
            all.add(ps);
        }
        return all;
    }

    /** The weights as the computation reads them (looked up by name: {@code setParameter} may have replaced one). */
    private List<Recurrent.Weights> weights() {
        List<Recurrent.Weights> ws = new ArrayList<>(names.size());
        for (String[] n : names) {
            String suffix = n[0].substring("weight_ih".length());
            ws.add(new Recurrent.Weights(getParameter(n[0]), getParameter(n[1]),
                    bias ? getParameter("bias_ih" + suffix) : null, bias ? getParameter("bias_hh" + suffix) : null,
                    projSize > 0 ? getParameter("weight_hr" + suffix) : null));
        }
        return ws;
    }

    int numDirections() { return bidirectional ? 2 : 1; }

    long realHiddenSize() { return projSize > 0 ? projSize : hiddenSize; }

    // ------------------------------------------------------------ forward, shared by the three modules

    /** {@code check_input}: the input's rank (3, or 2 when packed) and its feature size. */
    void checkInput(Tensor input, boolean packed) {
        int expected = packed ? 2 : 3;
        if (input.dim() != expected)
            throw new IllegalArgumentException("input must have " + expected + " dimensions, got " + input.dim());
        if (input.size(-1) != inputSize)
            throw new IllegalArgumentException("input.size(-1) must be equal to input_size. Expected " + inputSize + ", got " + input.size(-1));
    }

    /** {@code check_hidden_size}: {@code hx} must have shape {@code (L * D, N, size)}. */
    void checkHiddenSize(Tensor hx, long miniBatch, long size, String what) {
        long[] expected = {numLayers * numDirections(), miniBatch, size};
        long[] actual = hx.shape().toArray();
        if (!java.util.Arrays.equals(expected, actual))
            throw new IllegalArgumentException("Expected " + what + " size (" + expected[0] + ", " + expected[1] + ", " + expected[2]
                    + "), got " + java.util.Arrays.toString(actual));
    }

    /** Zeros of shape {@code (L * D, N, size)} in the input's dtype: the default initial state. */
    Tensor zeroState(long miniBatch, long size, DType dtype) {
        return Torch.zeros(new long[] {numLayers * numDirections(), miniBatch, size}, dtype);
    }

    /**
     * The stack on a padded (or, {@code batchSizes != null}, packed) input already checked, with
     * initial states of the right shapes: for a padded input, its layout as given (batch first or
     * not) in, and out.
     */
    Recurrent.Result runChecked(Tensor input, long[] batchSizes, Tensor h0, Tensor c0) {
        List<Recurrent.Weights> ws = weights();
        if (batchSizes != null)
            return Recurrent.run(mode, input, batchSizes, h0, c0, ws, (int) numLayers, bidirectional, dropout, isTraining());
        Tensor seq = batchFirst ? input.transpose(0, 1) : input;
        long steps = seq.size(0), batch = seq.size(1);
        if (steps == 0 || batch == 0)
            throw new IllegalArgumentException(modeName(mode) + ": expected a non-empty input, got shape " + input.shape());
        long[] sizes = new long[(int) steps];
        java.util.Arrays.fill(sizes, batch);
        Recurrent.Result r = Recurrent.run(mode, seq.reshape(steps * batch, inputSize), sizes, h0, c0, ws, (int) numLayers,
                bidirectional, dropout, isTraining());
        Tensor out = r.output().view(steps, batch, r.output().size(1));
        return new Recurrent.Result(batchFirst ? out.transpose(0, 1) : out, r.hN(), r.cN());
    }

    /** The packed input's batch sizes as a Java array, checked (positive, non-increasing, summing to the rows of data). */
    static long[] batchSizes(PackedSequence input) {
        long[] bs = input.batchSizes().toLongArray();
        long total = 0;
        for (int t = 0; t < bs.length; t++) {
            if (bs[t] <= 0 || t > 0 && bs[t] > bs[t - 1])
                throw new IllegalArgumentException("PackedSequence: batch_sizes must be positive and non-increasing, got "
                        + java.util.Arrays.toString(bs));
            total += bs[t];
        }
        if (bs.length == 0) throw new IllegalArgumentException("PackedSequence: batch_sizes must not be empty");
        if (input.data().dim() >= 1 && input.data().size(0) != total)
            throw new IllegalArgumentException("PackedSequence: data has " + input.data().size(0) + " rows but batch_sizes sum to " + total);
        return bs;
    }

    /** {@code permute_hidden}: {@code hx.index_select(1, permutation)}, or {@code hx} when there is none. */
    static Tensor permuteHidden(Tensor hx, Tensor permutation) {
        return permutation == null ? hx : hx.indexSelect(1, permutation);
    }

    /** RNN and GRU on a padded or unbatched input: PyTorch's {@code forward} for a tensor. */
    Output forwardSingleState(Tensor input, Tensor hx) {
        jtorch.ops.Args.notNull(modeName(mode), "input", input);
        boolean batched = input.dim() == 3;
        int batchDim = batchFirst ? 0 : 1;
        if (!batched) {
            input = input.unsqueeze(batchDim);
            if (hx != null) {
                if (hx.dim() != 2)
                    throw new IllegalArgumentException("For unbatched 2-D input, hx should also be 2-D but got " + hx.dim() + "-D tensor");
                hx = hx.unsqueeze(1);
            }
        } else if (hx != null && hx.dim() != 3) {
            throw new IllegalArgumentException("For batched 3-D input, hx should also be 3-D but got " + hx.dim() + "-D tensor");
        }
        long miniBatch = input.size(batchFirst ? 0 : 1);
        if (hx == null) hx = zeroState(miniBatch, hiddenSize, input.dtype());
        checkInput(input, false);
        checkHiddenSize(hx, miniBatch, hiddenSize, "hidden");
        Recurrent.Result r = runChecked(input, null, hx, null);
        if (!batched) return new Output(r.output().squeeze(batchDim), r.hN().squeeze(1));
        return new Output(r.output(), r.hN());
    }

    /** RNN and GRU on a packed input: PyTorch's {@code forward} for a {@code PackedSequence}. */
    PackedOutput forwardSingleState(PackedSequence input, Tensor hx) {
        jtorch.ops.Args.notNull(modeName(mode), "input", input);
        Tensor data = input.data();
        long[] bs = batchSizes(input);
        long miniBatch = bs[0];
        hx = hx == null ? zeroState(miniBatch, hiddenSize, data.dtype()) : permuteHidden(hx, input.sortedIndices());
        checkInput(data, true);
        checkHiddenSize(hx, miniBatch, hiddenSize, "hidden");
        Recurrent.Result r = runChecked(data, bs, hx, null);
        return new PackedOutput(new PackedSequence(r.output(), input.batchSizes(), input.sortedIndices(), input.unsortedIndices()),
                permuteHidden(r.hN(), input.unsortedIndices()));
    }

    @Override protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (projSize != 0) s.append(", proj_size=").append(projSize);
        if (numLayers != 1) s.append(", num_layers=").append(numLayers);
        if (!bias) s.append(", bias=False");
        if (batchFirst) s.append(", batch_first=True");
        if (dropout != 0) s.append(", dropout=").append(PyFormat.repr(dropout));
        if (bidirectional) s.append(", bidirectional=True");
        return s.toString();
    }
}
