#!/usr/bin/python3
"""Write the fixtures of jtorch's recurrent modules (nn.RNN, nn.LSTM, nn.GRU and the three cells).

Run with a real PyTorch (Debian's python3-torch, 1.13) from the repository root:

    /usr/bin/python3 tools/gen_rnn_fixtures.py

It writes nn/src/test/resources/jtorch/nn/rnn_fixtures.txt and, for the state-dict cases,
nn/src/test/resources/jtorch/nn/checkpoints/rnn_<case>.pt (torch.save(module.state_dict())).
The Java test (jtorch.nn.RnnParityTest) reads them. One record per line, tab-separated, in the
format of tools/gen_nn_fixtures.py ('#' starts a comment line):

    case    <name>  <module>  <k=v;k=v;...>  a module built with these keyword arguments (Python
                                            reprs) after torch.manual_seed(seed); extra keys:
                                            seed, dtype, train (training mode), dropout_seed (the
                                            seed set right before forward), state_dict (the
                                            module's parameters come from that .pt file instead)
    t       <role>  <arg>  <dtype>  <shape>  <tol>  <values>
                                            roles: param (the initial value of parameter <arg>,
                                            bit for bit), in / ing (an input, ing requiring grad:
                                            input, h0, c0, or the packed sequence's data,
                                            batch_sizes, sorted_indices, unsorted_indices), w (the
                                            weight of result <arg> in the loss), out (an expected
                                            result: output, h_n, c_n), grad (the expected gradient
                                            of input or parameter <arg>)
    repr    <name>  <text>
    error   <name>  <Python exception type>  <message>

The loss back-propagated is sum over the results r of (r * w_r).sum(), so every gradient is a
random weighted sum's. Tolerances (<tol>, as in gen_nn_fixtures.py): float64 rel 1e-12; float32
outputs rel 1e-5 and gradients rel 2e-5 of the largest magnitude: the recurrence runs the same
GEMMs and pointwise formulas as PyTorch's CPU kernel (RNN.cpp), but its GEMMs sum in another order
and PyTorch's tanh/sigmoid are vectorised approximations, and those few-ulp differences travel
through up to 3 layers x 6 steps (RnnParityTest prints the largest errors observed).
"""
import os
import struct

import torch
import torch.nn as nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence

F32, F64, I64 = torch.float32, torch.float64, torch.int64
NAMES = {F32: "FLOAT32", F64: "FLOAT64", I64: "INT64"}
OUT = "nn/src/test/resources/jtorch/nn/rnn_fixtures.txt"
CKPT = "nn/src/test/resources/jtorch/nn/checkpoints"

lines = []


def values(t):
    t = t.detach().contiguous().reshape(-1)
    if t.dtype == F32:
        return " ".join("%08x" % struct.unpack("<I", struct.pack("<f", v))[0] for v in t.tolist())
    if t.dtype == F64:
        return " ".join("%016x" % struct.unpack("<Q", struct.pack("<d", v))[0] for v in t.tolist())
    return " ".join(str(v) for v in t.tolist())


def tol(t, kind):
    if t.dtype == I64 or kind == "exact":
        return "exact"
    if t.dtype == F64:
        return "rel:1e-12"
    return {"out": "rel:1e-05", "grad": "rel:2e-05"}[kind]


def rec(role, arg, t, kind="exact"):
    lines.append("\t".join(["t", role, arg, NAMES[t.dtype], ",".join(str(s) for s in t.shape), tol(t, kind), values(t)]))


def kwtext(kw):
    def r(v):
        return ",".join(str(x) for x in v) if isinstance(v, (list, tuple)) else repr(v)
    return ";".join("%s=%s" % (k, r(v)) for k, v in kw.items())


MODULES = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU, "RNNCell": nn.RNNCell, "LSTMCell": nn.LSTMCell, "GRUCell": nn.GRUCell}
MODULE_KEYS = ("input_size", "hidden_size", "num_layers", "nonlinearity", "bias", "batch_first", "dropout",
               "bidirectional", "proj_size")


def build(kind, kw):
    args = {k: v for k, v in kw.items() if k in MODULE_KEYS}
    return MODULES[kind](**args)


def case(name, kind, seed=0, dtype=F32, seq=5, batch=3, unbatched=False, init_state=True, train=False,
         dropout_seed=None, lengths=None, enforce_sorted=True, state_dict=False, **kw):
    """A module case: init values, then forward on random input, outputs and every gradient."""
    kw = dict(kw)
    meta = dict(seed=seed, dtype=NAMES[dtype], train=train, unbatched=unbatched, init_state=init_state)
    if dropout_seed is not None:
        meta["dropout_seed"] = dropout_seed
    if lengths is not None:
        meta["lengths"] = lengths
        meta["enforce_sorted"] = enforce_sorted
    if state_dict:
        meta["state_dict"] = "rnn_%s.pt" % name
    lines.append("\t".join(["case", name, kind, kwtext({**kw, **meta})]))
    torch.manual_seed(seed)
    m = build(kind, kw)
    if not state_dict:
        for pn, p in m.named_parameters():
            rec("param", pn, p)
    else:
        # Values unlike the default initialisation, so that loading them is what the test sees.
        with torch.no_grad():
            for p in m.parameters():
                p.copy_(torch.randn_like(p) * 0.3)
        torch.save(m.state_dict(), os.path.join(CKPT, meta["state_dict"]))
    m = m.to(dtype)
    m.train(train)
    g = torch.Generator().manual_seed(1000 + seed)
    is_cell = kind.endswith("Cell")
    H = kw["hidden_size"]
    inp = kw["input_size"]
    dirs = 2 if kw.get("bidirectional") else 1
    L = kw.get("num_layers", 1)
    proj = kw.get("proj_size", 0)
    hout = proj if proj > 0 else H

    def rnd(*shape):
        return torch.randn(*shape, generator=g, dtype=dtype)

    inputs = {}
    packed = None
    if is_cell:
        x = rnd(inp) if unbatched else rnd(batch, inp)
        inputs["input"] = x
        if init_state:
            inputs["h0"] = rnd(H) if unbatched else rnd(batch, H)
            if kind == "LSTMCell":
                inputs["c0"] = rnd(H) if unbatched else rnd(batch, H)
    elif lengths is not None:
        batch = len(lengths)
        padded = rnd(max(lengths), batch, inp)
        p = pack_padded_sequence(padded, torch.tensor(lengths), enforce_sorted=enforce_sorted)
        inputs["data"] = p.data.clone()
        rec("in", "batch_sizes", p.batch_sizes)
        if p.sorted_indices is not None:
            rec("in", "sorted_indices", p.sorted_indices)
            rec("in", "unsorted_indices", p.unsorted_indices)
        packed = p
    else:
        if unbatched:
            x = rnd(seq, inp)
        else:
            x = rnd(batch, seq, inp) if kw.get("batch_first") else rnd(seq, batch, inp)
        inputs["input"] = x
    if not is_cell and init_state:
        sb = () if unbatched else (batch,)
        inputs["h0"] = rnd(L * dirs, *sb, hout)
        if kind == "LSTM":
            inputs["c0"] = rnd(L * dirs, *sb, H)
    for k, v in inputs.items():
        v.requires_grad_(True)
        rec("ing", k, v)
    if dropout_seed is not None:
        torch.manual_seed(dropout_seed)
    if is_cell:
        if kind == "LSTMCell":
            res = m(inputs["input"], (inputs["h0"], inputs["c0"]) if init_state else None)
            results = {"h_n": res[0], "c_n": res[1]}
        else:
            results = {"h_n": m(inputs["input"], inputs.get("h0"))}
    else:
        x = inputs["input"] if packed is None else PackedSequence(inputs["data"], packed.batch_sizes,
                                                                   packed.sorted_indices, packed.unsorted_indices)
        hx = None
        if init_state:
            hx = (inputs["h0"], inputs["c0"]) if kind == "LSTM" else inputs["h0"]
        out, h = m(x, hx)
        if packed is not None:
            out = out.data
        results = {"output": out}
        if kind == "LSTM":
            results["h_n"], results["c_n"] = h
        else:
            results["h_n"] = h
    loss = 0
    for k, r in results.items():
        w = rnd(*r.shape)
        rec("w", k, w)
        loss = loss + (r * w).sum()
    loss.backward()
    for k, r in results.items():
        rec("out", k, r, "out")
    for k, v in inputs.items():
        rec("grad", k, v.grad, "grad")
    for pn, p in m.named_parameters():
        rec("grad", pn, p.grad, "grad")


def main():
    os.makedirs(CKPT, exist_ok=True)
    for dt in (F32, F64):
        s = "_f64" if dt == F64 else ""
        # RNN
        case("rnn_tanh" + s, "RNN", 1, dt, input_size=4, hidden_size=5)
        case("rnn_relu_2layers" + s, "RNN", 2, dt, input_size=4, hidden_size=5, num_layers=2, nonlinearity="relu")
        case("rnn_bidir_batch_first_nobias" + s, "RNN", 3, dt, input_size=3, hidden_size=4, bidirectional=True,
             batch_first=True, bias=False)
        case("rnn_zero_state_unbatched" + s, "RNN", 4, dt, unbatched=True, init_state=False, input_size=3, hidden_size=4,
             num_layers=2, bidirectional=True)
        case("rnn_unbatched_h0" + s, "RNN", 5, dt, unbatched=True, input_size=3, hidden_size=4)
        # LSTM
        case("lstm" + s, "LSTM", 6, dt, input_size=4, hidden_size=5)
        case("lstm_3layers_bidir" + s, "LSTM", 7, dt, input_size=3, hidden_size=4, num_layers=3, bidirectional=True)
        case("lstm_proj" + s, "LSTM", 8, dt, input_size=4, hidden_size=6, proj_size=3, num_layers=2)
        case("lstm_proj_bidir_batch_first_nobias" + s, "LSTM", 9, dt, input_size=4, hidden_size=5, proj_size=2,
             bidirectional=True, batch_first=True, bias=False)
        case("lstm_zero_state" + s, "LSTM", 10, dt, init_state=False, input_size=4, hidden_size=5, num_layers=2)
        case("lstm_unbatched" + s, "LSTM", 11, dt, unbatched=True, input_size=4, hidden_size=5, bidirectional=True)
        case("lstm_unbatched_zero_state_batch_first" + s, "LSTM", 12, dt, unbatched=True, init_state=False, input_size=4,
             hidden_size=5, batch_first=True)
        # GRU
        case("gru" + s, "GRU", 13, dt, input_size=4, hidden_size=5)
        case("gru_2layers_bidir_batch_first" + s, "GRU", 14, dt, input_size=3, hidden_size=4, num_layers=2,
             bidirectional=True, batch_first=True)
        case("gru_nobias_zero_state" + s, "GRU", 15, dt, init_state=False, input_size=4, hidden_size=3, bias=False)
        case("gru_unbatched" + s, "GRU", 16, dt, unbatched=True, input_size=4, hidden_size=5, num_layers=3)
        # dropout between layers (training; the mask drawn after manual_seed(dropout_seed)), and eval mode
        case("lstm_dropout_train" + s, "LSTM", 17, dt, train=True, dropout_seed=99, input_size=4, hidden_size=5,
             num_layers=3, dropout=0.4, bidirectional=True)
        case("gru_dropout_train" + s, "GRU", 18, dt, train=True, dropout_seed=98, input_size=4, hidden_size=5,
             num_layers=2, dropout=0.5)
        case("rnn_dropout_eval" + s, "RNN", 19, dt, train=False, input_size=4, hidden_size=5, num_layers=2, dropout=0.5)
        # packed input (sorted and unsorted lengths; the initial state in the caller's batch order)
        case("lstm_packed_sorted" + s, "LSTM", 20, dt, lengths=[5, 3, 3, 1], input_size=3, hidden_size=4, num_layers=2)
        case("lstm_packed_unsorted_bidir_proj" + s, "LSTM", 21, dt, lengths=[2, 5, 1, 4], enforce_sorted=False,
             input_size=3, hidden_size=5, proj_size=2, bidirectional=True, num_layers=2)
        case("gru_packed_unsorted_bidir" + s, "GRU", 22, dt, lengths=[3, 1, 4], enforce_sorted=False, input_size=3,
             hidden_size=4, bidirectional=True)
        case("rnn_packed_zero_state" + s, "RNN", 23, dt, lengths=[4, 4, 2], init_state=False, input_size=3, hidden_size=4,
             bidirectional=True, nonlinearity="relu")
        case("lstm_packed_dropout_train" + s, "LSTM", 24, dt, lengths=[4, 2, 3], enforce_sorted=False, train=True,
             dropout_seed=97, input_size=3, hidden_size=4, num_layers=2, dropout=0.3)
        # cells
        case("rnncell" + s, "RNNCell", 30, dt, input_size=4, hidden_size=5)
        case("rnncell_relu_nobias_zero_state" + s, "RNNCell", 31, dt, init_state=False, input_size=4, hidden_size=5,
             bias=False, nonlinearity="relu")
        case("rnncell_unbatched" + s, "RNNCell", 32, dt, unbatched=True, input_size=4, hidden_size=5)
        case("lstmcell" + s, "LSTMCell", 33, dt, input_size=4, hidden_size=5)
        case("lstmcell_zero_state_nobias" + s, "LSTMCell", 34, dt, init_state=False, input_size=4, hidden_size=5, bias=False)
        case("lstmcell_unbatched" + s, "LSTMCell", 35, dt, unbatched=True, input_size=4, hidden_size=5)
        case("grucell" + s, "GRUCell", 36, dt, input_size=4, hidden_size=5)
        case("grucell_unbatched_zero_state" + s, "GRUCell", 37, dt, unbatched=True, init_state=False, input_size=4,
             hidden_size=5)
        case("grucell_nobias" + s, "GRUCell", 38, dt, input_size=4, hidden_size=5, bias=False)
    # state dicts written by torch.save, loaded by jtorch, same outputs
    case("sd_lstm_proj_bidir", "LSTM", 40, F32, state_dict=True, input_size=4, hidden_size=5, proj_size=3,
         num_layers=2, bidirectional=True)
    case("sd_gru", "GRU", 41, F32, state_dict=True, input_size=4, hidden_size=5, num_layers=2)
    case("sd_rnn_relu_nobias", "RNN", 42, F32, state_dict=True, input_size=4, hidden_size=5, nonlinearity="relu",
         bias=False)
    case("sd_lstmcell", "LSTMCell", 43, F32, state_dict=True, input_size=4, hidden_size=5)
    case("sd_grucell", "GRUCell", 44, F32, state_dict=True, input_size=4, hidden_size=5)
    case("sd_rnncell", "RNNCell", 45, F32, state_dict=True, input_size=4, hidden_size=5, nonlinearity="relu")

    # reprs
    for name, m in [("RNN", nn.RNN(10, 20)), ("RNN_options", nn.RNN(10, 20, 2, nonlinearity="relu", dropout=0.5, batch_first=True)),
                    ("LSTM_proj", nn.LSTM(3, 4, proj_size=2, bidirectional=True, batch_first=True, bias=False)),
                    ("GRU", nn.GRU(3, 4, num_layers=3, dropout=0.25)),
                    ("RNNCell_relu", nn.RNNCell(3, 4, bias=False, nonlinearity="relu")), ("LSTMCell", nn.LSTMCell(3, 4)),
                    ("GRUCell", nn.GRUCell(3, 4, bias=False))]:
        lines.append("\t".join(["repr", name, str(m).replace("\\", "\\\\").replace("\n", "\\n")]))

    # errors
    def err(name, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            lines.append("\t".join(["error", name, type(e).__name__, str(e).replace("\n", "\\n")]))
            return
        raise AssertionError(name + " did not fail")

    lstm = nn.LSTM(10, 20, 2)
    rnn = nn.RNN(10, 20, 2)
    err("input_size", lambda: lstm(torch.randn(5, 3, 7)))
    err("hidden_size", lambda: rnn(torch.randn(5, 3, 10), torch.randn(2, 3, 7)))
    err("hidden_batch", lambda: rnn(torch.randn(5, 3, 10), torch.randn(2, 4, 20)))
    err("lstm_h0_size", lambda: lstm(torch.randn(5, 3, 10), (torch.randn(1, 3, 20), torch.randn(2, 3, 20))))
    err("lstm_c0_size", lambda: lstm(torch.randn(5, 3, 10), (torch.randn(2, 3, 20), torch.randn(2, 3, 21))))
    err("input_dims", lambda: rnn(torch.randn(2, 5, 3, 10)))
    err("batched_hx_dims", lambda: rnn(torch.randn(5, 3, 10), torch.randn(3, 20)))
    err("unbatched_hx_dims", lambda: rnn(torch.randn(5, 10), torch.randn(2, 1, 20)))
    err("lstm_batched_hx_dims", lambda: lstm(torch.randn(5, 3, 10), (torch.randn(2, 3, 20), torch.randn(3, 20))))
    err("lstm_unbatched_hx_dims", lambda: lstm(torch.randn(5, 10), (torch.randn(2, 1, 20), torch.randn(2, 20))))
    err("proj_too_large", lambda: nn.LSTM(10, 20, proj_size=20))
    err("proj_negative", lambda: nn.LSTM(10, 20, proj_size=-1))
    err("dropout_range", lambda: nn.GRU(10, 20, dropout=1.5))
    err("nonlinearity", lambda: nn.RNN(10, 20, nonlinearity="sigmoid"))
    err("cell_nonlinearity", lambda: nn.RNNCell(10, 20, nonlinearity="sigmoid")(torch.randn(3, 10)))
    cell = nn.LSTMCell(10, 20)
    err("cell_input_size", lambda: cell(torch.randn(3, 7)))
    err("cell_batch", lambda: cell(torch.randn(3, 10), (torch.randn(4, 20), torch.randn(3, 20))))
    err("cell_hidden_size", lambda: nn.GRUCell(10, 20)(torch.randn(3, 10), torch.randn(3, 5)))
    err("cell_c_size", lambda: cell(torch.randn(3, 10), (torch.randn(3, 20), torch.randn(3, 5))))
    err("cell_input_dims", lambda: cell(torch.randn(2, 3, 10)))

    with open(OUT, "w") as f:
        f.write("# Written by tools/gen_rnn_fixtures.py with PyTorch %s; do not edit.\n" % torch.__version__)
        for l in lines:
            f.write(l + "\n")


if __name__ == "__main__":
    main()
