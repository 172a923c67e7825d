package jtorch.ops;

import java.util.List;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.autograd.GradMode;
import jtorch.internal.TensorInternals;
import jtorch.kernels.RnnCellKernels;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;

/**
 * The fused pointwise part of an LSTM and a GRU time step (PyTorch's
 * {@code _thnn_fused_lstm_cell} / {@code _thnn_fused_gru_cell}, which its CUDA cells run): the
 * gate nonlinearities and the state update in one pass instead of about ten elementwise ops.
 * The matrix products stay with the caller. Values equal the composition of
 * {@code sigmoid}/{@code tanh}/{@code mul}/{@code add} that PyTorch's CPU cells run (same
 * arithmetic, same rounding); the first-order backward is one fused pass over saved activations,
 * and a backward with {@code createGraph} computes the same rule with differentiable tensor ops,
 * so second derivatives work.
 *
 * <pre>{@code
 * Tensor gates = x.matmul(wIh.t()).add(bIh);                        // (N, 4H), bias folded in
 * Tensor hc = RnnCells.lstmCell(gates, h.matmul(wHh.t()).add(bHh), c); // (N, 2H) = [h' | c']
 * Tensor h1 = hc.narrow(1, 0, hidden), c1 = hc.narrow(1, hidden, hidden);
 * Tensor h2 = RnnCells.gruCell(x.matmul(wIh.t()).add(bIh), h.matmul(wHh.t()).add(bHh), h);
 * }</pre>
 */
public final class RnnCells {
    private RnnCells() {}

    /** {@link #lstmCell(Tensor, Tensor, Tensor)} with the gates already summed. */
    public static Tensor lstmCell(Tensor gates, Tensor cx) { return lstmCell(gates, null, cx); }

    /**
     * One LSTM step's pointwise part: with {@code gates = inputGates + hiddenGates} (each
     * {@code (N, 4H)} or unbatched {@code (4H)}, chunks in PyTorch's order i, f, g, o;
     * {@code hiddenGates} may be null) and the cell state {@code cx} ({@code (N, H)} / {@code (H)}):
     * {@code i, f, o = sigmoid}, {@code g = tanh} of the chunks, {@code c' = f*cx + i*g},
     * {@code h' = o*tanh(c')}. Returns one tensor {@code (N, 2H)} (or {@code (2H)}) holding
     * {@code [h' | c']}: take the halves with {@code narrow}.
     */
    public static Tensor lstmCell(Tensor inputGates, Tensor hiddenGates, Tensor cx) {
        Args.notNull("lstm_cell", "input_gates", inputGates);
        Args.notNull("lstm_cell", "cx", cx);
        int hidden = checkCell("lstm_cell", 4, inputGates, hiddenGates, cx, "cx");
        boolean batched = cx.dim() == 2;
        int rows = batched ? TensorInternals.sizes(cx)[0] : 1;
        Tensor[] outWs = lstmForward(inputGates, hiddenGates, cx, hidden);
        Tensor out = outWs[0], ws = outWs[1];
        boolean twoGates = hiddenGates != null;
        Tensor[] inputs = twoGates ? of(inputGates, hiddenGates, cx) : of(inputGates, cx);
        Tensor[] saved = twoGates ? of(ws, cx, inputGates, hiddenGates) : of(ws, cx, inputGates);
        return record(out, "ThnnFusedLstmCellBackward0", inputs, saved, (g, ctx) -> {
            Tensor[] grads = GradMode.isEnabled()
                    ? lstmBackwardComposite(g, ctx.saved(2), twoGates ? ctx.saved(3) : null, ctx.saved(1), hidden)
                    : lstmBackwardFused(g, ctx.saved(0), ctx.saved(1), rows, hidden, batched);
            return twoGates ? of(grads[0], grads[0], grads[1]) : grads;
        });
    }

    /** The fused forward on checked operands: {@code {[h' | c'], workspace [i | f | g | o | tanh(c')]}}. */
    private static Tensor[] lstmForward(Tensor inputGates, Tensor hiddenGates, Tensor cx, int hidden) {
        boolean batched = cx.dim() == 2;
        int rows = batched ? TensorInternals.sizes(cx)[0] : 1;
        DType dtype = cx.dtype();
        Tensor a = rowMajor(inputGates), b = hiddenGates == null ? null : rowMajor(hiddenGates), c = rowMajor(cx);
        Tensor out = TensorInternals.allocate(dtype, batched ? new int[] {rows, 2 * hidden} : new int[] {2 * hidden});
        Tensor ws = TensorInternals.allocate(dtype, new int[] {rows, 5 * hidden});
        if (rows > 0 && hidden > 0) {
            if (dtype == DType.FLOAT32)
                RnnCellKernels.lstmForwardF32(rows, hidden, a.storage().f32(), TensorInternals.offset(a), rowStride(a),
                        b == null ? null : b.storage().f32(), b == null ? 0 : TensorInternals.offset(b), b == null ? 0 : rowStride(b),
                        c.storage().f32(), TensorInternals.offset(c), rowStride(c), out.storage().f32(), ws.storage().f32());
            else
                RnnCellKernels.lstmForwardF64(rows, hidden, a.storage().f64(), TensorInternals.offset(a), rowStride(a),
                        b == null ? null : b.storage().f64(), b == null ? 0 : TensorInternals.offset(b), b == null ? 0 : rowStride(b),
                        c.storage().f64(), TensorInternals.offset(c), rowStride(c), out.storage().f64(), ws.storage().f64());
        }
        return new Tensor[] {out, ws};
    }

    /**
     * A whole LSTM layer in one direction over a padded sequence: from the input projections
     * {@code proj (T, N, 4H)} (biases folded in, gate order i, f, g, o), the initial states
     * {@code h0}, {@code c0} {@code (N, H)} and {@code weightHh (4H, H)}, each step computes
     * {@code gates = proj[t] + h W_hh^T} and the fused cell of {@link #lstmCell(Tensor, Tensor)}
     * (the same values as the step-by-step composition). {@code reverse} walks {@code t} from
     * {@code T-1} down to 0. Returns {@code (T, N, 2H)}: {@code [h_t | c_t]}, the states after the
     * step at time {@code t}; the final states are at {@code t = T-1} (or 0 in reverse).
     * <p>
     * Why one op: its backward forms the recurrent weight's gradient as one GEMM
     * {@code G^T H_prev} over the stacked gate gradients of all steps ({@code (4H, T*N)} times
     * {@code (T*N, H)}) instead of T products with {@code k = N} summed one by one. The rule is
     * written in tensor ops; under {@code createGraph} it recomputes the steps differentiably, so
     * higher derivatives work.
     *
     * <pre>{@code
     * Tensor proj = Torch.addmm(bIh.add(bHh), x, wIh.t()).view(T, N, 4 * H);
     * Tensor out = RnnCells.lstmLayer(proj, h0, c0, wHh, false);     // (T, N, 2H)
     * Tensor hs = out.narrow(2, 0, H), cN = out.select(0, T - 1).narrow(1, H, H);
     * }</pre>
     */
    public static Tensor lstmLayer(Tensor proj, Tensor h0, Tensor c0, Tensor weightHh, boolean reverse) {
        Args.notNull("lstm_layer", "input_projection", proj);
        Args.notNull("lstm_layer", "h0", h0);
        Args.notNull("lstm_layer", "c0", c0);
        Args.notNull("lstm_layer", "weight_hh", weightHh);
        if (c0.dim() != 2)
            throw new IllegalArgumentException("lstm_layer: expected c0 of shape (N, H), got " + Shapes.str(TensorInternals.sizes(c0)));
        int rows = TensorInternals.sizes(c0)[0], hidden = TensorInternals.sizes(c0)[1];
        if (proj.dim() != 3 || TensorInternals.sizes(proj)[0] < 1 || TensorInternals.sizes(proj)[1] != rows || TensorInternals.sizes(proj)[2] != 4 * hidden)
            throw new IllegalArgumentException("lstm_layer: expected input_projection of shape (T, " + rows + ", " + 4 * hidden
                    + ") with T >= 1 (4 gates of the hidden size of c0 " + Shapes.str(TensorInternals.sizes(c0)) + "), got "
                    + Shapes.str(TensorInternals.sizes(proj)));
        if (!java.util.Arrays.equals(TensorInternals.sizes(h0), TensorInternals.sizes(c0)))
            throw new IllegalArgumentException("lstm_layer: expected h0 of the shape of c0 " + Shapes.str(TensorInternals.sizes(c0)) + ", got "
                    + Shapes.str(TensorInternals.sizes(h0)));
        if (!java.util.Arrays.equals(TensorInternals.sizes(weightHh), new int[] {4 * hidden, hidden}))
            throw new IllegalArgumentException("lstm_layer: expected weight_hh of shape " + Shapes.str(new int[] {4 * hidden, hidden})
                    + ", got " + Shapes.str(TensorInternals.sizes(weightHh)));
        if (!c0.isFloatingPoint() || proj.dtype() != c0.dtype() || h0.dtype() != c0.dtype() || weightHh.dtype() != c0.dtype())
            throw new IllegalArgumentException("lstm_layer: expected floating point operands of one dtype, got input_projection "
                    + proj.dtype() + ", h0 " + h0.dtype() + ", c0 " + c0.dtype() + ", weight_hh " + weightHh.dtype());
        int steps = TensorInternals.sizes(proj)[0];
        Tensor[] ws = new Tensor[steps], hc = new Tensor[steps];
        try (GradMode.Guard off = GradMode.set(false)) {
            Tensor wT = weightHh.t(), h = h0, c = c0;
            for (int s = 0; s < steps; s++) {
                int t = reverse ? steps - 1 - s : s;
                Tensor[] r = lstmForward(Linalg.addmm(proj.select(0, t), h, wT, 1, 1), null, c, hidden);
                hc[t] = r[0];
                ws[t] = r[1];
                h = r[0].narrow(1, 0, hidden);
                c = r[0].narrow(1, hidden, hidden);
            }
        }
        Tensor out = steps == 1 ? hc[0].unsqueeze(0) : Torch.stack(java.util.Arrays.asList(hc), 0);
        Tensor[] saved = new Tensor[5 + steps];
        saved[0] = proj; saved[1] = h0; saved[2] = c0; saved[3] = weightHh; saved[4] = out;
        System.arraycopy(ws, 0, saved, 5, steps);
        return record(out, "LstmLayerBackward0", of(proj, h0, c0, weightHh), saved,
                (g, ctx) -> lstmLayerBackward(g, ctx, steps, rows, hidden, reverse));
    }

    /**
     * Back through the steps in reverse order of the forward: per step the cell's rule (fused, or
     * composite under grad mode) and {@code dh = dGates W_hh}; then {@code dW_hh = G^T H_prev} in
     * one GEMM over the stacked gate gradients {@code G}. Returns {@code [dProj, dh0, dc0, dW_hh]}.
     */
    private static Tensor[] lstmLayerBackward(Tensor grad, jtorch.autograd.FunctionNode ctx, int steps, int rows, int hidden,
                                              boolean reverse) {
        boolean composite = GradMode.isEnabled();
        Tensor proj = ctx.saved(0), h0 = ctx.saved(1), c0 = ctx.saved(2), w = ctx.saved(3), out = ctx.saved(4);
        Tensor g = Raw.expand(Raw.convert(grad, out.dtype()), TensorInternals.sizes(out));
        Tensor[] hPrev = new Tensor[steps], cPrev = new Tensor[steps], gates = composite ? new Tensor[steps] : null;
        Tensor h = h0, c = c0;
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            hPrev[t] = h;
            cPrev[t] = c;
            Tensor hcT;
            if (composite) {
                // recomputed in differentiable ops, so the rule's own graph reaches proj, h0, c0 and W_hh
                gates[t] = Linalg.addmm(proj.select(0, t), h, w.t(), 1, 1);
                hcT = lstmCell(gates[t], c);
            } else {
                hcT = out.select(0, t);
            }
            h = hcT.narrow(1, 0, hidden);
            c = hcT.narrow(1, hidden, hidden);
        }
        Tensor[] dGates = new Tensor[steps];
        Tensor dh = null, dc = null;
        for (int s = steps - 1; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            Tensor gt = g.select(0, t);
            if (dh != null) gt = gt.add(Torch.cat(List.of(dh, dc), 1));
            Tensor[] r = composite ? lstmBackwardComposite(gt, gates[t], null, cPrev[t], hidden)
                    : lstmBackwardFused(gt, ctx.saved(5 + t), cPrev[t], rows, hidden, true);
            dGates[t] = r[0];
            dc = r[1];
            dh = r[0].mm(w);
        }
        Tensor gStack = steps == 1 ? dGates[0].unsqueeze(0) : Torch.stack(java.util.Arrays.asList(dGates), 0);
        Tensor dW = null;
        if (ctx.needsInputGrad(3)) {
            Tensor hStack = steps == 1 ? hPrev[0] : Torch.cat(java.util.Arrays.asList(hPrev), 0);
            dW = gStack.reshape(steps * rows, 4 * hidden).t().mm(hStack);
        }
        return of(ctx.needsInputGrad(0) ? gStack : null, ctx.needsInputGrad(1) ? dh : null, ctx.needsInputGrad(2) ? dc : null, dW);
    }

    /** The first-order rule in one pass over the saved activations: {@code [dGates, dCx]}. */
    private static Tensor[] lstmBackwardFused(Tensor grad, Tensor ws, Tensor cx, int rows, int hidden, boolean batched) {
        DType dtype = ws.dtype();
        Tensor g = rowMajor(Raw.expand(Raw.convert(grad, dtype), batched ? new int[] {rows, 2 * hidden} : new int[] {2 * hidden}));
        Tensor c = rowMajor(cx);
        Tensor gGates = TensorInternals.allocate(dtype, batched ? new int[] {rows, 4 * hidden} : new int[] {4 * hidden});
        Tensor gC = TensorInternals.allocate(dtype, TensorInternals.sizes(cx));
        if (rows > 0 && hidden > 0) {
            if (dtype == DType.FLOAT32)
                RnnCellKernels.lstmBackwardF32(rows, hidden, g.storage().f32(), TensorInternals.offset(g), rowStride(g), ws.storage().f32(),
                        c.storage().f32(), TensorInternals.offset(c), rowStride(c), gGates.storage().f32(), gC.storage().f32());
            else
                RnnCellKernels.lstmBackwardF64(rows, hidden, g.storage().f64(), TensorInternals.offset(g), rowStride(g), ws.storage().f64(),
                        c.storage().f64(), TensorInternals.offset(c), rowStride(c), gGates.storage().f64(), gC.storage().f64());
        }
        return new Tensor[] {gGates, gC};
    }

    /** The same rule in differentiable tensor ops (a backward with createGraph): activations recomputed from the inputs. */
    private static Tensor[] lstmBackwardComposite(Tensor grad, Tensor inputGates, Tensor hiddenGates, Tensor cx, int hidden) {
        Tensor gates = hiddenGates == null ? inputGates : inputGates.add(hiddenGates);
        Tensor i = gates.narrow(-1, 0, hidden).sigmoid(), f = gates.narrow(-1, hidden, hidden).sigmoid();
        Tensor g = gates.narrow(-1, 2 * hidden, hidden).tanh(), o = gates.narrow(-1, 3 * hidden, hidden).sigmoid();
        Tensor tc = f.mul(cx).add(i.mul(g)).tanh();
        Tensor dh = grad.narrow(-1, 0, hidden), dcOut = grad.narrow(-1, hidden, hidden);
        Tensor dc = dh.mul(o).mul(tc.mul(tc).rsub(1.0)).add(dcOut);
        Tensor dI = dc.mul(g).mul(i.mul(i.rsub(1.0)));
        Tensor dF = dc.mul(cx).mul(f.mul(f.rsub(1.0)));
        Tensor dG = dc.mul(i).mul(g.mul(g).rsub(1.0));
        Tensor dO = dh.mul(tc).mul(o.mul(o.rsub(1.0)));
        return new Tensor[] {Torch.cat(List.of(dI, dF, dG, dO), -1), dc.mul(f)};
    }

    /**
     * One GRU step's pointwise part, as PyTorch's CPU {@code GRUCell} computes it: input gates
     * {@code gi = x W_ih^T + b_ih} and hidden gates {@code gh = h W_hh^T + b_hh} ({@code (N, 3H)}
     * or {@code (3H)}, chunks r, z, n) and {@code hx} ({@code (N, H)} / {@code (H)}):
     * {@code r = sigmoid(gi_r + gh_r)}, {@code z = sigmoid(gi_z + gh_z)},
     * {@code n = tanh(gi_n + r*gh_n)}, {@code h' = (1-z)*n + z*hx}, computed as PyTorch does as
     * {@code (hx - n)*z + n}. Returns {@code h'}.
     */
    public static Tensor gruCell(Tensor inputGates, Tensor hiddenGates, Tensor hx) {
        Args.notNull("gru_cell", "input_gates", inputGates);
        Args.notNull("gru_cell", "hidden_gates", hiddenGates);
        Args.notNull("gru_cell", "hx", hx);
        int hidden = checkCell("gru_cell", 3, inputGates, hiddenGates, hx, "hx");
        boolean batched = hx.dim() == 2;
        int rows = batched ? TensorInternals.sizes(hx)[0] : 1;
        DType dtype = hx.dtype();
        Tensor a = rowMajor(inputGates), b = rowMajor(hiddenGates), h = rowMajor(hx);
        Tensor out = TensorInternals.allocate(dtype, TensorInternals.sizes(hx));
        Tensor ws = TensorInternals.allocate(dtype, new int[] {rows, 4 * hidden});
        if (rows > 0 && hidden > 0) {
            if (dtype == DType.FLOAT32)
                RnnCellKernels.gruForwardF32(rows, hidden, a.storage().f32(), TensorInternals.offset(a), rowStride(a),
                        b.storage().f32(), TensorInternals.offset(b), rowStride(b), h.storage().f32(), TensorInternals.offset(h), rowStride(h),
                        out.storage().f32(), ws.storage().f32());
            else
                RnnCellKernels.gruForwardF64(rows, hidden, a.storage().f64(), TensorInternals.offset(a), rowStride(a),
                        b.storage().f64(), TensorInternals.offset(b), rowStride(b), h.storage().f64(), TensorInternals.offset(h), rowStride(h),
                        out.storage().f64(), ws.storage().f64());
        }
        return record(out, "ThnnFusedGruCellBackward0", of(inputGates, hiddenGates, hx), of(ws, hx, inputGates, hiddenGates),
                (g, ctx) -> GradMode.isEnabled()
                        ? gruBackwardComposite(g, ctx.saved(2), ctx.saved(3), ctx.saved(1), hidden)
                        : gruBackwardFused(g, ctx.saved(0), ctx.saved(1), rows, hidden, batched));
    }

    /** The first-order rule in one pass: {@code [dInputGates, dHiddenGates, dHx]}. */
    private static Tensor[] gruBackwardFused(Tensor grad, Tensor ws, Tensor hx, int rows, int hidden, boolean batched) {
        DType dtype = ws.dtype();
        Tensor g = rowMajor(Raw.expand(Raw.convert(grad, dtype), TensorInternals.sizes(hx)));
        Tensor h = rowMajor(hx);
        int[] gatesShape = batched ? new int[] {rows, 3 * hidden} : new int[] {3 * hidden};
        Tensor gGi = TensorInternals.allocate(dtype, gatesShape), gGh = TensorInternals.allocate(dtype, gatesShape);
        Tensor gHx = TensorInternals.allocate(dtype, TensorInternals.sizes(hx));
        if (rows > 0 && hidden > 0) {
            if (dtype == DType.FLOAT32)
                RnnCellKernels.gruBackwardF32(rows, hidden, g.storage().f32(), TensorInternals.offset(g), rowStride(g), ws.storage().f32(),
                        h.storage().f32(), TensorInternals.offset(h), rowStride(h), gGi.storage().f32(), gGh.storage().f32(), gHx.storage().f32());
            else
                RnnCellKernels.gruBackwardF64(rows, hidden, g.storage().f64(), TensorInternals.offset(g), rowStride(g), ws.storage().f64(),
                        h.storage().f64(), TensorInternals.offset(h), rowStride(h), gGi.storage().f64(), gGh.storage().f64(), gHx.storage().f64());
        }
        return new Tensor[] {gGi, gGh, gHx};
    }

    /** The same rule in differentiable tensor ops (a backward with createGraph). */
    private static Tensor[] gruBackwardComposite(Tensor grad, Tensor gi, Tensor gh, Tensor hx, int hidden) {
        Tensor r = gh.narrow(-1, 0, hidden).add(gi.narrow(-1, 0, hidden)).sigmoid();
        Tensor z = gh.narrow(-1, hidden, hidden).add(gi.narrow(-1, hidden, hidden)).sigmoid();
        Tensor hn = gh.narrow(-1, 2 * hidden, hidden);
        Tensor n = gi.narrow(-1, 2 * hidden, hidden).add(hn.mul(r)).tanh();
        Tensor dzx = grad.mul(z);
        Tensor dnPre = grad.sub(dzx).mul(n.mul(n).rsub(1.0));
        Tensor drPre = dnPre.mul(hn).mul(r.mul(r.rsub(1.0)));
        Tensor dzPre = grad.mul(hx.sub(n)).mul(z.mul(z.rsub(1.0)));
        return new Tensor[] {Torch.cat(List.of(drPre, dzPre, dnPre), -1), Torch.cat(List.of(drPre, dzPre, dnPre.mul(r)), -1), dzx};
    }

    /** Checks the shapes and dtypes of a cell's operands; returns the hidden size. */
    private static int checkCell(String op, int chunks, Tensor inputGates, Tensor hiddenGates, Tensor state, String stateName) {
        if (!state.isFloatingPoint())
            throw new IllegalArgumentException(op + ": expected a floating point " + stateName + ", got " + state.dtype());
        if (state.dim() != 1 && state.dim() != 2)
            throw new IllegalArgumentException(op + ": expected " + stateName + " of shape (N, H) or (H), got " + Shapes.str(TensorInternals.sizes(state)));
        int hidden = TensorInternals.sizes(state)[state.dim() - 1];
        int[] expected = state.dim() == 2 ? new int[] {TensorInternals.sizes(state)[0], chunks * hidden} : new int[] {chunks * hidden};
        for (Tensor t : hiddenGates == null ? new Tensor[] {inputGates} : new Tensor[] {inputGates, hiddenGates}) {
            String name = t == inputGates ? "input_gates" : "hidden_gates";
            if (t.dtype() != state.dtype())
                throw new IllegalArgumentException(op + ": expected " + name + " of dtype " + state.dtype() + " (the dtype of " + stateName
                        + "), got " + t.dtype());
            if (!java.util.Arrays.equals(TensorInternals.sizes(t), expected))
                throw new IllegalArgumentException(op + ": expected " + name + " of shape " + Shapes.str(expected) + " (" + chunks
                        + " gates of the hidden size " + hidden + " of " + stateName + " " + Shapes.str(TensorInternals.sizes(state))
                        + "), got " + Shapes.str(TensorInternals.sizes(t)));
        }
        return hidden;
    }

    /** {@code t} if its rows are unit-stride (any row stride), else a contiguous copy. */
    private static Tensor rowMajor(Tensor t) {
        int[] s = TensorInternals.sizes(t), st = TensorInternals.strides(t);
        int d = s.length;
        boolean innerUnit = d == 0 || s[d - 1] <= 1 || st[d - 1] == 1;
        boolean rowsOk = d < 2 || st[0] >= 0;
        return innerUnit && rowsOk ? t : Raw.copy(t, t.dtype());
    }

    /** The distance between rows of a {@link #rowMajor} tensor (a 1-D tensor is one row). */
    private static int rowStride(Tensor t) {
        int[] s = TensorInternals.sizes(t);
        if (s.length < 2 || s[0] <= 1) return s.length == 0 ? 1 : s[s.length - 1];
        return TensorInternals.strides(t)[0];
    }
}
