package jtorch.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.ops.RnnCells;
import jtorch.nn.functional.F;

/**
 * The computation of the recurrent modules, composed of tensor ops (autograd derives every
 * gradient): PyTorch's CPU algorithm ({@code aten/src/ATen/native/RNN.cpp}). Per layer and
 * direction the input projection of all time steps is one GEMM over the (time * batch) rows; each
 * step then does one recurrent GEMM for all gates, the input projection of its rows added in the
 * GEMM, and the gate nonlinearities. Every sequence layout (padded, unbatched, packed) is reduced
 * to a 2-D {@code (rows, features)} input whose time step {@code t} is the {@code batchSizes[t]}
 * rows starting at {@code sum(batchSizes[0..t))} (a padded batch has all steps equal), so packed
 * input is the general case, as in PyTorch's {@code PackedLayer}.
 */
final class Recurrent {
    private Recurrent() {}

    enum Mode {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        final int gates;

        Mode(int gates) { this.gates = gates; }
    }

    /** One direction of one layer: {@code weight_ih, weight_hh, bias_ih, bias_hh, weight_hr}, absent ones null. */
    record Weights(Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, Tensor wHr) {}

    /** The stacked result: {@code output (rows, D * Hout)}, {@code hN (L * D, N, Hout)}, {@code cN} (LSTM, else null). */
    record Result(Tensor output, Tensor hN, Tensor cN) {}

    /**
     * The whole stack on {@code x (rows, inputSize)}. {@code h0 (L * D, N, Hout)}, {@code c0} for
     * LSTM; dropout on each layer's output but the last's, in training only.
     */
    static Result run(Mode mode, Tensor x, long[] batchSizes, Tensor h0, Tensor c0, List<Weights> weights,
                      int numLayers, boolean bidirectional, double dropout, boolean training) {
        int dirs = bidirectional ? 2 : 1;
        long[] offsets = new long[batchSizes.length];
        for (int t = 1; t < batchSizes.length; t++) offsets[t] = offsets[t - 1] + batchSizes[t - 1];
        List<Tensor> hN = new ArrayList<>(numLayers * dirs), cN = new ArrayList<>(numLayers * dirs);
        Tensor layerInput = x;
        for (int layer = 0; layer < numLayers; layer++) {
            Tensor[] outs = new Tensor[dirs];
            for (int d = 0; d < dirs; d++) {
                int k = layer * dirs + d;
                Tensor[] r = direction(mode, layerInput, batchSizes, offsets, d == 1, h0.select(0, k),
                        c0 == null ? null : c0.select(0, k), weights.get(k));
                outs[d] = r[0];
                hN.add(r[1]);
                if (c0 != null) cN.add(r[2]);
            }
            Tensor out = dirs == 1 ? outs[0] : Torch.cat(Arrays.asList(outs), 1);
            if (dropout != 0 && training && layer < numLayers - 1) out = F.dropout(out, dropout, true);
            layerInput = out;
        }
        return new Result(layerInput, Torch.stack(hN, 0), c0 == null ? null : Torch.stack(cN, 0));
    }

    /** One layer in one direction: {@code {output (rows, Hout), h_T (N, Hout), c_T or null}}. */
    private static Tensor[] direction(Mode mode, Tensor x, long[] batchSizes, long[] offsets, boolean reverse,
                                      Tensor h0, Tensor c0, Weights w) {
        Tensor proj = inputProjection(mode, x, w);
        int steps = batchSizes.length;
        if (mode == Mode.LSTM && w.wHr() == null && allEqual(batchSizes, h0.size(0))) {
            // a padded batch without projection: the whole layer as one op (one GEMM for dW_hh in its backward)
            long batch = h0.size(0), hidden = h0.size(1);
            Tensor hc = RnnCells.lstmLayer(proj.view(steps, batch, 4 * hidden), h0, c0, w.wHh(), reverse);
            Tensor last = hc.select(0, reverse ? 0 : steps - 1);
            return new Tensor[] {hc.narrow(2, 0, hidden).reshape(steps * batch, hidden), last.narrow(1, 0, hidden),
                    last.narrow(1, hidden, hidden)};
        }
        Tensor wHhT = w.wHh().t(), wHrT = w.wHr() == null ? null : w.wHr().t();
        Tensor[] outs = new Tensor[steps];
        Tensor h, c;
        if (!reverse) {
            // Sequences end (batch sizes shrink) as time goes on: the rows that stop keep their last state.
            List<Tensor> doneH = new ArrayList<>(), doneC = new ArrayList<>();
            h = h0;
            c = c0;
            long rows = h0.size(0);
            for (int t = 0; t < steps; t++) {
                long bs = batchSizes[t];
                if (bs < rows) {
                    doneH.add(h.narrow(0, bs, rows - bs));
                    h = h.narrow(0, 0, bs);
                    if (c != null) {
                        doneC.add(c.narrow(0, bs, rows - bs));
                        c = c.narrow(0, 0, bs);
                    }
                    rows = bs;
                }
                Tensor[] hc = step(mode, proj.narrow(0, offsets[t], bs), h, c, wHhT, w.bHh(), wHrT);
                h = hc[0];
                c = hc[1];
                outs[t] = h;
            }
            if (!doneH.isEmpty()) {
                h = Torch.cat(lastFirst(h, doneH), 0);
                if (c != null) c = Torch.cat(lastFirst(c, doneC), 0);
            }
        } else {
            // Backwards in time the batch grows: rows that start late begin from their initial state.
            long rows = batchSizes[steps - 1];
            h = rows < h0.size(0) ? h0.narrow(0, 0, rows) : h0;
            c = c0 == null || rows >= c0.size(0) ? c0 : c0.narrow(0, 0, rows);
            for (int t = steps - 1; t >= 0; t--) {
                long bs = batchSizes[t];
                if (bs > rows) {
                    h = Torch.cat(List.of(h, h0.narrow(0, rows, bs - rows)), 0);
                    if (c != null) c = Torch.cat(List.of(c, c0.narrow(0, rows, bs - rows)), 0);
                    rows = bs;
                }
                Tensor[] hc = step(mode, proj.narrow(0, offsets[t], bs), h, c, wHhT, w.bHh(), wHrT);
                h = hc[0];
                c = hc[1];
                outs[t] = h;
            }
        }
        Tensor out = steps == 1 ? outs[0] : Torch.cat(Arrays.asList(outs), 0);
        return new Tensor[] {out, h, c};
    }

    /** Whether every step has {@code rows} rows (a padded batch, no sequence ending early). */
    private static boolean allEqual(long[] batchSizes, long rows) {
        for (long b : batchSizes) if (b != rows) return false;
        return true;
    }

    /** {@code current} then the finished rows, latest finished first: back in batch order. */
    private static List<Tensor> lastFirst(Tensor current, List<Tensor> done) {
        List<Tensor> parts = new ArrayList<>(done.size() + 1);
        parts.add(current);
        for (int i = done.size() - 1; i >= 0; i--) parts.add(done.get(i));
        return parts;
    }

    /**
     * {@code x W_ih^T + b} for all rows in one GEMM. For RNN and LSTM {@code b = b_ih + b_hh} (both
     * biases simply add to the gates); GRU keeps {@code b_hh} apart, since {@code r} scales it.
     */
    static Tensor inputProjection(Mode mode, Tensor x, Weights w) {
        Tensor bias = w.bIh();
        if (bias != null && mode != Mode.GRU) bias = bias.add(w.bHh());
        return bias == null ? x.mm(w.wIh().t()) : Torch.addmm(bias, x, w.wIh().t());
    }

    /** One time step: {@code {h', c'}} ({@code c'} null but for LSTM) from this step's input projection. */
    static Tensor[] step(Mode mode, Tensor xProj, Tensor h, Tensor c, Tensor wHhT, Tensor bHh, Tensor wHrT) {
        switch (mode) {
            case RNN_TANH: return new Tensor[] {Torch.addmm(xProj, h, wHhT).tanh(), null};
            case RNN_RELU: return new Tensor[] {Torch.addmm(xProj, h, wHhT).relu(), null};
            case LSTM: {
                Tensor[] hc = lstmCellStep(Torch.addmm(xProj, h, wHhT), c);
                if (wHrT != null) hc[0] = hc[0].mm(wHrT);
                return hc;
            }
            case GRU: {
                Tensor hGates = bHh == null ? h.mm(wHhT) : Torch.addmm(bHh, h, wHhT);
                return new Tensor[] {gruCellStep(xProj, hGates, h), null};
            }
            default: throw new IllegalStateException(mode.name());
        }
    }

    /**
     * The LSTM cell's pointwise part on {@code gates (N, 4H)} (order i, f, g, o):
     * {@code c' = f * c + i * g}, {@code h' = o * tanh(c')}; returns {@code {h', c'}}.
     */
    static Tensor[] lstmCellStep(Tensor gates, Tensor c) {
        // one fused pass (core's RnnCells), bit-equal to sigmoid/tanh/mul/add; [h' | c'] in one tensor
        Tensor hc = RnnCells.lstmCell(gates, c);
        long hidden = c.size(-1);
        int d = hc.dim() - 1;
        return new Tensor[] {hc.narrow(d, 0, hidden), hc.narrow(d, hidden, hidden)};
    }

    /**
     * The GRU cell's pointwise part on the input gates {@code (N, 3H)} and hidden gates
     * {@code (N, 3H)} (order r, z, n): {@code n = tanh(x_n + r * h_n)}, {@code h' = (h - n) * z + n}.
     */
    static Tensor gruCellStep(Tensor inputGates, Tensor hiddenGates, Tensor h) {
        return RnnCells.gruCell(inputGates, hiddenGates, h);   // one fused pass, bit-equal to the composition
    }
}
