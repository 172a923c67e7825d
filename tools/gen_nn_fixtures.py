#!/usr/bin/python3
"""Write the torch.nn fixtures that jtorch's nn parity tests check against.

Run with a real PyTorch (Debian's python3-torch, 1.13):

    /usr/bin/python3 tools/gen_nn_fixtures.py > nn/src/test/resources/jtorch/nn/nn_fixtures.txt

The Java test (jtorch.nn.NnParityTest) reads the file, rebuilds every case's inputs bit for bit,
runs the same computation with jtorch and compares. One record per line, tab-separated ('#' starts
a comment line):

    case    <name>  <op>  <k=v;k=v;...>     starts a case; the op and its keyword arguments
    t       <role>  <arg>  <dtype>  <shape>  <tol>  <values>
                                            a tensor of the current case. Roles:
                                              in    an input (no grad)
                                              ing   an input that requires grad
                                              gout  the gradient fed to out.backward()
                                              out   an expected result named <arg> ('out' is the
                                                    one that is back-propagated)
                                              grad  the expected gradient of input <arg>
    repr    <name>  <text>                  str() of a module
    error   <name>  <Python exception type>  <message>

Keyword values are Python reprs: ints, floats (repr round-trips exactly), 'None', True/False,
quoted strings, and tuples written as comma-separated ints without parentheses.
<dtype> is FLOAT32, FLOAT64, INT64 or BOOL; <shape> is comma-separated (empty for 0-dim). <values>
are the row-major elements written to round-trip exactly: float32 as the 8 hex digits of its IEEE
bits, float64 as 16, int64 in decimal, bool as 0/1.

<tol> says how closely jtorch must agree:
  exact      bit for bit (any NaN matches any NaN)
  rel:R      |a - b| <= R * max_j |b_j| for every element: R relative to the largest magnitude in
             the expected tensor (a normwise bound; infinities and NaNs must match exactly)
  rel:R:S    the same with the scale max(max_j |b_j|, S); gradients use S = max |gout|, since an
             element of a gradient that is a difference of O(|gout|) terms (softmax - onehot,
             batch-norm's centring) carries their absolute rounding error however small it is
  ulp:N      |a - b| <= N ulps of b, elementwise
The tolerances are chosen per kind of computation below (TOLERANCES), each with the reason.

Everything is deterministic (seeded inputs), so running the script again reproduces the file byte
for byte.
"""
import struct
import sys
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

F32, F64, I64, BOOL = torch.float32, torch.float64, torch.int64, torch.bool
DTYPE_NAMES = {F32: "FLOAT32", F64: "FLOAT64", I64: "INT64", BOOL: "BOOL"}
ULP32 = 2.0 ** -23

# TOLERANCES, by kind of computation. jtorch composes each function from Tensor ops in PyTorch's
# order of evaluation (batch norm even reproduces the kernel's float/double mix and its FMAs), so
# float32 results agree to within a couple of ulps and float64 ones to within a few ulps. What
# remains comes from (1) PyTorch's vectorised exp/log/erf/tanh (SLEEF or polynomial
# approximations) against Java's correctly rounded Math functions, (2) float32 sums: PyTorch sums
# in float with a cascade, jtorch in double, and (3) gradients: PyTorch's hand-written backward
# formulas against the autograd of jtorch's composition (equal in exact arithmetic, rounded
# differently). The largest errors observed (NnParityTest prints them) are 2.5 float32 ulps for
# outputs and gradients, 6e-16 relative in float64, and 1 ulp for erf.
F64_TOL = 1e-12                  # float64, outputs and gradients: ~1000x the observed error
F32_ELEMENTWISE = 4 * ULP32      # float32 elementwise formulas (losses, GELU)
F32_REDUCED = 8 * ULP32          # float32 results that went through sums, softmax or normalisation
F32_GRAD = 16 * ULP32            # float32 gradients (different formulas, float vs double sums)


def tol_for(t, kind, scale=None):
    if t.dtype in (I64, BOOL) or kind == "exact":
        return "exact"
    if kind.startswith("ulp:"):
        return kind
    r = F64_TOL if t.dtype == F64 else {"elementwise": F32_ELEMENTWISE, "reduced": F32_REDUCED, "grad": F32_GRAD}[kind]
    return "rel:%r" % r if scale is None else "rel:%r:%r" % (r, scale)


out_lines = []


def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def values_of(t):
    flat = t.detach().contiguous().reshape(-1).tolist()
    if t.dtype == F32:
        return " ".join(struct.pack(">f", v).hex() for v in flat)
    if t.dtype == F64:
        return " ".join(struct.pack(">d", v).hex() for v in flat)
    if t.dtype == I64:
        return " ".join(str(v) for v in flat)
    if t.dtype == BOOL:
        return " ".join("1" if v else "0" for v in flat)
    raise ValueError(t.dtype)


def t_record(role, arg, t, tol="-"):
    out_lines.append("\t".join(["t", role, arg, DTYPE_NAMES[t.dtype], ",".join(str(s) for s in t.shape), tol, values_of(t)]))


def kw_value(v):
    if isinstance(v, (tuple, list)):
        return ",".join(str(x) for x in v)
    return repr(v)


names_seen = set()


def seed_of(name):
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def case(name, op, kw, inputs, fn, kind="elementwise", grad_kind="grad", backward=True):
    """Records inputs, fn(**inputs)'s outputs (a tensor, or a dict whose 'out' is back-propagated)
    and the gradients of the inputs that require grad (given as (tensor, requires_grad) pairs)."""
    assert name not in names_seen, name
    names_seen.add(name)
    out_lines.append("\t".join(["case", name, op, ";".join("%s=%s" % (k, kw_value(v)) for k, v in kw.items())]))
    live = {}
    for arg, (t, rg) in inputs.items():
        if t is None:
            continue
        t_record("ing" if rg else "in", arg, t)
        x = t.detach().clone()
        if rg:
            x.requires_grad_(True)
        live[arg] = x
    res = fn(**live)
    if not isinstance(res, dict):
        res = {"out": res}
    out = res["out"]
    needs = [a for a, (t, rg) in inputs.items() if t is not None and rg]
    if backward and needs and out.requires_grad:
        g = torch.Generator().manual_seed(seed_of(name + "#gout"))
        gout = (torch.rand(out.shape, generator=g, dtype=F64) * 2 - 1).to(out.dtype)
        t_record("gout", "out", gout)
        out.backward(gout)
    for k, v in res.items():
        t_record("out", k, v.detach(), tol_for(v, kind))
    if backward and needs and out.requires_grad:
        for a in needs:
            gr = live[a].grad
            if gr is None:
                gr = torch.zeros_like(live[a])
            t_record("grad", a, gr, tol_for(gr, grad_kind, gout.abs().max().item()))


def repr_case(name, module):
    assert name not in names_seen, name
    names_seen.add(name)
    out_lines.append("\t".join(["repr", name, esc(str(module))]))


def error_case(name, fn):
    assert name not in names_seen, name
    names_seen.add(name)
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - recording whatever PyTorch raises
        out_lines.append("\t".join(["error", name, type(e).__name__, esc(str(e))]))
        return
    raise AssertionError("no error for " + name)


def rnd(name, shape, dtype, lo=-2.0, hi=2.0):
    g = torch.Generator().manual_seed(seed_of(name))
    return (torch.rand(shape, generator=g, dtype=F64) * (hi - lo) + lo).to(dtype)


def rnd_int(name, shape, high, low=0):
    g = torch.Generator().manual_seed(seed_of(name) + 1)
    return torch.randint(low, high, shape, generator=g)


def rnd_prob(name, shape, dtype, dim):
    return torch.softmax(rnd(name + "#p", shape, F64, -2, 2), dim).to(dtype)


DTYPES = [("f64", F64), ("f32", F32)]
REDUCTIONS = ["mean", "sum", "none"]


# ------------------------------------------------------------------------------------------ losses

def losses():
    for dn, dt in DTYPES:
        for red in REDUCTIONS:
            p = "%s.%s" % (dn, red)
            n = "l1.%s" % p
            case(n, "l1_loss", {"reduction": red}, {"input": (rnd(n, (3, 4), dt), True), "target": (rnd(n + "t", (3, 4), dt), False)},
                 lambda input, target: F.l1_loss(input, target, reduction=red))
            n = "l1_broadcast.%s" % p
            case(n, "l1_loss", {"reduction": red}, {"input": (rnd(n, (3, 4), dt), True), "target": (rnd(n + "t", (4,), dt), False)},
                 lambda input, target: F.l1_loss(input, target.expand(3, 4), reduction=red))
            n = "mse.%s" % p
            case(n, "mse_loss", {"reduction": red}, {"input": (rnd(n, (2, 5), dt), True), "target": (rnd(n + "t", (2, 5), dt), False)},
                 lambda input, target: F.mse_loss(input, target, reduction=red))
            for beta in (1.0, 0.5, 0.0):
                n = "smooth_l1.beta%r.%s" % (beta, p)
                case(n, "smooth_l1_loss", {"reduction": red, "beta": beta},
                     {"input": (rnd(n, (4, 5), dt, -3, 3), True), "target": (rnd(n + "t", (4, 5), dt, -3, 3), False)},
                     lambda input, target: F.smooth_l1_loss(input, target, reduction=red, beta=beta))

            # nll_loss: plain, class weights, ignore_index, unbatched, 3-D and 4-D inputs
            for variant in ["plain", "weight", "ignore", "weight_ignore", "unbatched", "unbatched_weight", "3d", "4d_weight_ignore",
                            "5d", "all_ignored"]:
                n = "nll.%s.%s" % (variant, p)
                C = 5
                if variant.startswith("unbatched"):
                    shape, tshape = (C,), ()
                elif variant == "3d":
                    shape, tshape = (3, C, 4), (3, 4)
                elif variant == "4d_weight_ignore":
                    shape, tshape = (2, C, 3, 2), (2, 3, 2)
                elif variant == "5d":
                    shape, tshape = (2, C, 2, 1, 3), (2, 2, 1, 3)
                else:
                    shape, tshape = (6, C), (6,)
                x = torch.log_softmax(rnd(n, shape, F64), 0 if len(shape) == 1 else 1).to(dt)
                tg = rnd_int(n, tshape, C)
                ignore = -100
                if variant in ("ignore", "weight_ignore", "4d_weight_ignore"):
                    ignore = 2 if variant == "weight_ignore" else -1
                    tg = tg.masked_fill(rnd_int(n + "m", tshape, 3) == 0, ignore)
                if variant == "all_ignored":
                    tg = torch.full(tshape, -100, dtype=I64)
                w = rnd(n + "w", (C,), dt, 0.2, 2.0) if "weight" in variant else None
                case(n, "nll_loss", {"reduction": red, "ignore_index": ignore},
                     {"input": (x, True), "target": (tg, False), "weight": (w, False)},
                     lambda input, target, weight=None: F.nll_loss(input, target, weight=weight, ignore_index=ignore, reduction=red),
                     kind="reduced")

            # cross_entropy: class indices (with weight / ignore_index / label smoothing), class
            # probabilities (with weight / label smoothing), unbatched, N-d, extreme logits
            for variant in ["idx", "idx_weight", "idx_ignore", "idx_ls", "idx_ls_weight_ignore", "idx_ls_ignore", "prob",
                            "prob_weight", "prob_ls", "prob_ls_weight", "unbatched_idx", "unbatched_prob", "unbatched_ls",
                            "4d_idx_weight_ignore", "4d_prob", "3d_ls_weight", "extreme_idx", "extreme_ls_weight",
                            "extreme_prob"]:
                n = "ce.%s.%s" % (variant, p)
                C = 4
                if variant.startswith("unbatched"):
                    shape, tshape, cdim = (C,), (), 0
                elif variant.startswith("4d"):
                    shape, tshape, cdim = (2, C, 3, 2), (2, 3, 2), 1
                elif variant.startswith("3d"):
                    shape, tshape, cdim = (3, C, 2), (3, 2), 1
                else:
                    shape, tshape, cdim = (5, C), (5,), 1
                x = rnd(n, shape, dt, -3, 3)
                if variant.startswith("extreme"):
                    # logits of +-1000: log_softmax must stay finite, the gradient exact 0/1 terms
                    x = x.clone()
                    flat = x.view(-1)
                    flat[0::3] = 1000.0
                    flat[1::5] = -1000.0
                prob = "prob" in variant
                tg = rnd_prob(n, shape, dt, cdim) if prob else rnd_int(n, tshape, C)
                ignore = -100
                if "ignore" in variant:
                    ignore = 1
                    tg = tg.masked_fill(rnd_int(n + "m", tshape, 3) == 0, ignore)
                w = rnd(n + "w", (C,), dt, 0.2, 2.0) if "weight" in variant else None
                ls = 0.0
                if "ls" in variant:
                    ls = 0.15
                case(n, "cross_entropy", {"reduction": red, "ignore_index": ignore, "label_smoothing": ls},
                     {"input": (x, True), "target": (tg, prob), "weight": (w, False)},
                     lambda input, target, weight=None: F.cross_entropy(input, target, weight=weight, ignore_index=ignore,
                                                                        reduction=red, label_smoothing=ls),
                     kind="reduced")

            # binary cross entropy on probabilities, with weights (full and broadcast)
            for variant in ["plain", "weight", "weight_broadcast", "near_edges"]:
                n = "bce.%s.%s" % (variant, p)
                x = rnd(n, (4, 3), F64, 0.02, 0.98)
                if variant == "near_edges":
                    x = x.clone()
                    x.view(-1)[0::4] = 1e-6
                    x.view(-1)[1::4] = 1 - 1e-6
                x = x.to(dt)
                tg = rnd(n + "t", (4, 3), dt, 0, 1)
                if variant == "near_edges":
                    tg = (tg > 0.5).to(dt)
                w = None
                if variant == "weight":
                    w = rnd(n + "w", (4, 3), dt, 0.2, 2.0)
                elif variant == "weight_broadcast":
                    w = rnd(n + "w", (3,), dt, 0.2, 2.0)
                case(n, "bce", {"reduction": red}, {"input": (x, True), "target": (tg, False), "weight": (w, False)},
                     lambda input, target, weight=None: F.binary_cross_entropy(input, target, weight=weight, reduction=red))
            # the log clamp at -100: inputs exactly 0 and 1 (forward only: PyTorch's backward uses
            # its own formula with an 1e-12 clamp, jtorch the derivative of the clamped function)
            n = "bce.clamped.%s" % p
            x = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5, 1e-45 if dt == F32 else 1e-300], dtype=dt)
            tg = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.3, 1.0], dtype=dt)
            case(n, "bce", {"reduction": red}, {"input": (x, False), "target": (tg, False)},
                 lambda input, target: F.binary_cross_entropy(input, target, reduction=red))

            for variant in ["plain", "weight", "pos_weight", "weight_pos_weight", "extreme"]:
                n = "bce_logits.%s.%s" % (variant, p)
                x = rnd(n, (4, 3), dt, -4, 4)
                if variant == "extreme":
                    x = x.clone()
                    x.view(-1)[0::4] = 1000.0
                    x.view(-1)[1::4] = -1000.0
                    x.view(-1)[2::4] = 60.0
                tg = rnd(n + "t", (4, 3), dt, 0, 1)
                w = rnd(n + "w", (4, 3), dt, 0.2, 2.0) if variant in ("weight", "weight_pos_weight") else None
                pw = rnd(n + "pw", (3,), dt, 0.5, 3.0) if "pos_weight" in variant else None
                case(n, "bce_logits", {"reduction": red},
                     {"input": (x, True), "target": (tg, False), "weight": (w, False), "pos_weight": (pw, False)},
                     lambda input, target, weight=None, pos_weight=None: F.binary_cross_entropy_with_logits(
                         input, target, weight=weight, reduction=red, pos_weight=pos_weight))


# ------------------------------------------------------------------------------------ activations

def activations():
    for dn, dt in DTYPES:
        for slope in (0.01, 0.2, -0.5):
            n = "leaky_relu.%r.%s" % (slope, dn)
            case(n, "leaky_relu", {"negative_slope": slope}, {"input": (rnd(n, (3, 7), dt, -3, 3), True)},
                 lambda input: F.leaky_relu(input, slope), kind="exact", grad_kind="exact")
        for approx in ("none", "tanh"):
            n = "gelu.%s.%s" % (approx, dn)
            x = rnd(n, (5, 8), dt, -4, 4)
            x.view(-1)[:6] = torch.tensor([0.0, -6.0, 6.0, -10.0, 10.0, 1e-3], dtype=dt)
            case(n, "gelu", {"approximate": approx}, {"input": (x, True)}, lambda input: F.gelu(input, approximate=approx),
                 kind="elementwise")
        for dim in (0, 1, -1):
            for fn, op in ((F.softmax, "softmax"), (F.log_softmax, "log_softmax")):
                n = "%s.dim%d.%s" % (op, dim, dn)
                x = rnd(n, (2, 3, 4), dt, -5, 5)
                case(n, op, {"dim": dim}, {"input": (x, True)}, lambda input: fn(input, dim), kind="reduced")
                n = "%s.extreme.dim%d.%s" % (op, dim, dn)
                x = rnd(n, (3, 4), dt, -5, 5)
                x.view(-1)[0::3] = 1000.0
                x.view(-1)[1::5] = -1000.0
                case(n, op, {"dim": dim}, {"input": (x, True)}, lambda input: fn(input, dim), kind="reduced")


def erf_cases():
    # The error function GELU is built on (jtorch composes it from Tensor ops after fdlibm): PyTorch's
    # float64 erf (SLEEF, within 1 ulp) against jtorch's (within 1 ulp), elementwise on a grid over
    # every interval of the approximation, with special values.
    xs = torch.cat([torch.linspace(-7, 7, 1401, dtype=F64), torch.tensor([0.0, -0.0, 1e-300, -1e-20, 0.84375, 1.25, 1 / 0.35, 6.0,
                                                                      27.0, 40.0, float("inf"), float("-inf"), float("nan")],
                                                                     dtype=F64)])
    case("erf.f64", "erf", {}, {"input": (xs, False)}, lambda input: torch.erf(input), kind="ulp:2")


# ---------------------------------------------------------------------------------- normalisation

def normalisation():
    for dn, dt in DTYPES:
        # functional batch_norm, training (running stats updated) and evaluation, with grads
        for shape in [(6, 3), (4, 3, 5), (2, 3, 4, 3)]:
            sn = "x".join(str(s) for s in shape)
            for training in (True, False):
                for affine in (True, False):
                    for momentum in (0.1, 0.7):
                        n = "batch_norm.%s.%s.%s.%s.m%r" % (sn, "train" if training else "eval", "affine" if affine else "plain",
                                                           dn, momentum)
                        x = rnd(n, shape, dt, -3, 5)
                        rm = rnd(n + "rm", (3,), dt, -1, 1)
                        rv = rnd(n + "rv", (3,), dt, 0.5, 2)
                        w = rnd(n + "w", (3,), dt, 0.5, 2) if affine else None
                        b = rnd(n + "b", (3,), dt, -1, 1) if affine else None

                        def bn(input, running_mean, running_var, weight=None, bias=None):
                            out = F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, 1e-5)
                            return {"out": out, "running_mean": running_mean, "running_var": running_var}
                        case(n, "batch_norm", {"training": training, "momentum": momentum, "eps": 1e-5},
                             {"input": (x, True), "running_mean": (rm, False), "running_var": (rv, False), "weight": (w, affine),
                              "bias": (b, affine)}, bn, kind="reduced")
        n = "batch_norm.nostats.%s" % dn
        case(n, "batch_norm", {"training": True, "momentum": 0.1, "eps": 1e-3},
             {"input": (rnd(n, (5, 2, 3), dt), True), "weight": (rnd(n + "w", (2,), dt), True), "bias": (rnd(n + "b", (2,), dt), True)},
             lambda input, weight, bias: F.batch_norm(input, None, None, weight, bias, True, 0.1, 1e-3), kind="reduced")

    # modules over several steps: train steps update the running stats, then evaluation (float32:
    # jtorch's modules hold float32 parameters; the float64 arithmetic is covered by batch_norm above)
    for dn, dt in DTYPES[1:]:
        for mod, shape, kw in [("BatchNorm1d", (8, 4), {}), ("BatchNorm1d", (5, 4, 3), {"momentum": 0.3}),
                               ("BatchNorm2d", (3, 4, 2, 3), {}), ("BatchNorm2d", (2, 4, 3, 3), {"momentum": None}),
                               ("BatchNorm1d", (6, 4), {"affine": False, "eps": 1e-3}),
                               ("BatchNorm2d", (2, 4, 2, 2), {"track_running_stats": False})]:
            n = "bn_module.%s.%s.%s" % (mod, "x".join(str(s) for s in shape), "_".join("%s%r" % kv for kv in kw.items()) or "default")
            n = n + "." + dn
            xs = {"x%d" % i: (rnd(n + str(i), shape, dt, -2, 4), False) for i in range(4)}
            if kw.get("affine", True):
                xs["weight"] = (rnd(n + "w", (4,), dt, 0.5, 2), False)
                xs["bias"] = (rnd(n + "b", (4,), dt, -1, 1), False)

            def run(**xs):
                m = getattr(nn, mod)(4, **kw).to(dt)
                if m.affine:
                    with torch.no_grad():
                        m.weight.copy_(xs["weight"])
                        m.bias.copy_(xs["bias"])
                res = {}
                for i in range(3):
                    res["train%d" % i] = m(xs["x%d" % i]).detach()
                m.eval()
                res["out"] = m(xs["x3"]).detach()
                if m.track_running_stats:
                    res["running_mean"] = m.running_mean
                    res["running_var"] = m.running_var
                    res["num_batches_tracked"] = m.num_batches_tracked
                return res
            case(n, "bn_module", {"module": mod, "shape": shape, **{k: v for k, v in kw.items()}}, xs, run, kind="reduced")

    for dn, dt in DTYPES:
        for shape, ns, affine in [((4, 10), (10,), True), ((2, 3, 4, 5), (4, 5), True), ((3, 6), (6,), False),
                                  ((2, 2, 7), (2, 7), True)]:
            n = "layer_norm.%s.%s.%s" % ("x".join(str(s) for s in shape), "affine" if affine else "plain", dn)
            x = rnd(n, shape, dt, -3, 5)
            w = rnd(n + "w", ns, dt, 0.5, 2) if affine else None
            b = rnd(n + "b", ns, dt, -1, 1) if affine else None
            case(n, "layer_norm", {"normalized_shape": ns, "eps": 1e-5},
                 {"input": (x, True), "weight": (w, affine), "bias": (b, affine)},
                 lambda input, weight=None, bias=None: F.layer_norm(input, ns, weight, bias, 1e-5), kind="reduced")


# ------------------------------------------------------------------------------ embedding, dropout

def embedding_and_dropout():
    for dn, dt in DTYPES:
        for variant, idx, pad, max_norm, norm_type in [
                ("plain", [[1, 2, 4], [4, 3, 9]], None, None, 2.0),
                ("pad0", [[0, 2, 0, 5], [7, 0, 2, 2]], 0, None, 2.0),
                ("pad_neg", [3, 9, 9, 1, 8], -1, None, 2.0),
                ("repeated", [2, 2, 2, 5], None, None, 2.0),
                ("max_norm", [[1, 2], [2, 6]], None, 1.5, 2.0),
                ("max_norm_l1", [0, 3, 3, 8], 3, 2.0, 1.0)]:
            n = "embedding.%s.%s" % (variant, dn)
            w = rnd(n, (10, 3), dt, -2, 2)
            ix = torch.tensor(idx, dtype=I64)

            def emb(input, weight):
                out = F.embedding(input, weight, padding_idx=pad, max_norm=max_norm, norm_type=norm_type)
                return {"out": out, "weight_after": weight.detach().clone()}
            case(n, "embedding", {"padding_idx": pad, "max_norm": max_norm, "norm_type": norm_type},
                 {"input": (ix, False), "weight": (w, True)}, emb, kind="exact" if max_norm is None else "reduced",
                 grad_kind="exact")

    for seed, (p, shape, dt, training) in enumerate([(0.5, (8,), F32, True), (0.3, (3, 5), F32, True), (0.1, (4, 6), F64, True),
                                                      (0.9, (2, 3, 4), F32, True), (0.5, (3, 3), F32, False),
                                                      (1.0, (5,), F32, True), (0.0, (5,), F64, True), (0.25, (40,), F64, True)]):
        for s in (0, 42, seed + 7):
            n = "dropout.p%r.%s.%s.%s.seed%d" % (p, "x".join(str(v) for v in shape), DTYPE_NAMES[dt], "train" if training else "eval", s)
            if n in names_seen:
                continue
            x = rnd(n, shape, dt, -2, 2)

            def drop(input):
                torch.manual_seed(s)
                return F.dropout(input, p, training)
            case(n, "dropout", {"seed": s, "p": p, "training": training}, {"input": (x, True)}, drop, kind="exact", grad_kind="exact")

    for seed in (0, 42):
        n = "embedding_init.seed%d" % seed
        torch.manual_seed(seed)
        case(n, "embedding_init", {"seed": seed, "num_embeddings": 10, "embedding_dim": 3, "padding_idx": 0}, {},
             lambda: nn.Embedding(10, 3, padding_idx=0).weight.detach(), kind="exact")
        n = "embedding_init_large.seed%d" % seed
        torch.manual_seed(seed)
        case(n, "embedding_init", {"seed": seed, "num_embeddings": 7, "embedding_dim": 5, "padding_idx": None}, {},
             lambda: nn.Embedding(7, 5).weight.detach(), kind="exact")


# ------------------------------------------------------------------------------------ reprs, errors

def reprs():
    repr_case("BatchNorm2d", nn.BatchNorm2d(16))
    repr_case("BatchNorm1d_options", nn.BatchNorm1d(16, eps=1e-3, momentum=None, affine=False, track_running_stats=False))
    repr_case("BatchNorm2d_small_momentum", nn.BatchNorm2d(3, momentum=1e-7))
    repr_case("CrossEntropyLoss", nn.CrossEntropyLoss())
    repr_case("CrossEntropyLoss_options", nn.CrossEntropyLoss(weight=torch.ones(3), label_smoothing=0.1, reduction="sum"))
    repr_case("NLLLoss", nn.NLLLoss())
    repr_case("BCELoss", nn.BCELoss())
    repr_case("BCEWithLogitsLoss", nn.BCEWithLogitsLoss(pos_weight=torch.ones(2)))
    repr_case("L1Loss", nn.L1Loss())
    repr_case("SmoothL1Loss", nn.SmoothL1Loss(beta=0.5))
    repr_case("LeakyReLU", nn.LeakyReLU())
    repr_case("LeakyReLU_options", nn.LeakyReLU(0.2, inplace=True))
    repr_case("LeakyReLU_tiny", nn.LeakyReLU(1e-5))
    repr_case("LeakyReLU_huge", nn.LeakyReLU(1e16))
    repr_case("LeakyReLU_sum", nn.LeakyReLU(0.1 + 0.2))
    repr_case("GELU", nn.GELU())
    repr_case("GELU_tanh", nn.GELU(approximate="tanh"))
    repr_case("Softmax", nn.Softmax(dim=1))
    repr_case("Softmax_none", nn.Softmax())
    repr_case("LogSoftmax", nn.LogSoftmax(dim=-1))
    repr_case("Dropout", nn.Dropout())
    repr_case("Dropout_options", nn.Dropout(0.25, inplace=True))
    repr_case("LayerNorm", nn.LayerNorm(10))
    repr_case("LayerNorm_options", nn.LayerNorm([2, 3], eps=1e-12, elementwise_affine=False))
    repr_case("Embedding", nn.Embedding(10, 3, padding_idx=0))
    repr_case("Embedding_negative_pad", nn.Embedding(10, 3, padding_idx=-1))
    repr_case("Embedding_max_norm", nn.Embedding(10, 3, max_norm=2.0, norm_type=1.0))
    repr_case("Unflatten", nn.Unflatten(1, (2, 5)))
    repr_case("ModuleList", nn.ModuleList([nn.ReLU(), nn.Linear(2, 3), nn.ModuleList([nn.Tanh()])]))
    repr_case("ModuleList_empty", nn.ModuleList())
    repr_case("Sequential_mixed", nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.LeakyReLU(0.1), nn.Dropout(0.2),
                                                nn.Linear(8, 3), nn.LogSoftmax(dim=1)))


def errors():
    x = torch.zeros(3, 5)
    error_case("err.ce_batch", lambda: F.cross_entropy(x, torch.tensor([1, 0])))
    error_case("err.ce_target_oob", lambda: F.cross_entropy(x, torch.tensor([1, 0, 5])))
    error_case("err.ce_target_negative", lambda: F.cross_entropy(x, torch.tensor([1, 0, -1])))
    error_case("err.ce_weight", lambda: F.cross_entropy(x, torch.tensor([1, 0, 4]), weight=torch.ones(4)))
    error_case("err.ce_prob_weight", lambda: F.cross_entropy(x, torch.zeros(3, 5), weight=torch.ones(4)))
    error_case("err.ce_prob_ignore", lambda: F.cross_entropy(x, torch.zeros(3, 5), ignore_index=1))
    error_case("err.ce_prob_long", lambda: F.cross_entropy(x, torch.zeros(3, 5, dtype=I64)))
    error_case("err.ce_label_smoothing", lambda: F.cross_entropy(x, torch.tensor([1, 0, 4]), label_smoothing=1.5))
    error_case("err.ce_prob_label_smoothing", lambda: F.cross_entropy(x, torch.zeros(3, 5), label_smoothing=1.5))
    error_case("err.ce_float_target", lambda: F.cross_entropy(x, torch.zeros(3)))
    error_case("err.ce_reduction", lambda: F.cross_entropy(x, torch.tensor([1, 0, 4]), reduction="avg"))
    error_case("err.ce_4d_target", lambda: F.cross_entropy(torch.zeros(2, 3, 4, 5), torch.zeros(2, 4, 6, dtype=I64)))
    error_case("err.ce_4d_target_dims", lambda: F.cross_entropy(torch.zeros(2, 3, 4, 5), torch.zeros(2, 4, dtype=I64)))
    error_case("err.ce_3d_target", lambda: F.cross_entropy(torch.zeros(2, 3, 4), torch.zeros(2, 5, dtype=I64)))
    error_case("err.ce_unbatched_target", lambda: F.cross_entropy(torch.zeros(5), torch.tensor([1])))
    error_case("err.ce_long_input", lambda: F.cross_entropy(torch.zeros(2, 3, dtype=I64), torch.tensor([1, 0])))
    error_case("err.nll_0d", lambda: F.nll_loss(torch.tensor(1.0), torch.tensor(0)))
    error_case("err.nll_target_2d", lambda: F.nll_loss(x, torch.zeros(3, 2, dtype=I64)))
    error_case("err.nll_weight_4d", lambda: F.nll_loss(torch.zeros(2, 3, 4, 5), torch.zeros(2, 4, 5, dtype=I64), weight=torch.ones(2)))
    error_case("err.nll_oob_4d", lambda: F.nll_loss(torch.zeros(2, 3, 4, 5), torch.full((2, 4, 5), 7, dtype=I64)))
    error_case("err.nll_batch_3d", lambda: F.nll_loss(torch.zeros(2, 3, 4), torch.zeros(3, 4, dtype=I64)))
    error_case("err.bce_range", lambda: F.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0])))
    error_case("err.bce_nan", lambda: F.binary_cross_entropy(torch.tensor([float("nan")]), torch.tensor([1.0])))
    error_case("err.bce_size", lambda: F.binary_cross_entropy(torch.tensor([0.5, 0.5]), torch.tensor([1.0])))
    error_case("err.bce_weight", lambda: F.binary_cross_entropy(torch.tensor([0.5, 0.5]), torch.tensor([1.0, 0.0]), weight=torch.ones(3)))
    error_case("err.bce_logits_size", lambda: F.binary_cross_entropy_with_logits(torch.tensor([0.5, 0.5]), torch.tensor([1.0])))
    error_case("err.smooth_l1_beta", lambda: F.smooth_l1_loss(torch.tensor([0.5]), torch.tensor([1.0]), beta=-1.0))
    error_case("err.l1_reduction", lambda: F.l1_loss(torch.tensor([0.5]), torch.tensor([1.0]), reduction="avg"))
    error_case("err.bn1d_rank4", lambda: nn.BatchNorm1d(3)(torch.zeros(2, 3, 4, 4)))
    error_case("err.bn1d_rank1", lambda: nn.BatchNorm1d(3)(torch.zeros(3)))
    error_case("err.bn2d_rank3", lambda: nn.BatchNorm2d(3)(torch.zeros(2, 3, 4)))
    error_case("err.bn_channels", lambda: nn.BatchNorm2d(3)(torch.zeros(2, 4, 4, 4)))
    error_case("err.bn_channels_eval", lambda: nn.BatchNorm2d(3).eval()(torch.zeros(2, 4, 4, 4)))
    error_case("err.bn_single_value", lambda: nn.BatchNorm1d(3)(torch.zeros(1, 3)))
    error_case("err.bn_weight", lambda: F.batch_norm(torch.zeros(2, 3), torch.zeros(3), torch.ones(3), weight=torch.ones(2), training=True))
    error_case("err.bn_eval_no_stats", lambda: F.batch_norm(torch.ones(2, 3), None, None, training=False))
    error_case("err.bn_negative", lambda: nn.BatchNorm1d(-1))
    error_case("err.ln_shape", lambda: nn.LayerNorm(10)(torch.zeros(3, 5)))
    error_case("err.ln_shape2", lambda: nn.LayerNorm([2, 5])(torch.zeros(3, 5)))
    error_case("err.ln_empty_shape", lambda: F.layer_norm(torch.ones(2, 3), []))
    error_case("err.ln_weight_shape", lambda: F.layer_norm(torch.ones(2, 3), [3], weight=torch.ones(2)))
    error_case("err.emb_oob", lambda: nn.Embedding(10, 3)(torch.tensor([10])))
    error_case("err.emb_negative_index", lambda: nn.Embedding(10, 3)(torch.tensor([-1])))
    error_case("err.emb_float_index", lambda: nn.Embedding(10, 3)(torch.tensor([1.0])))
    error_case("err.emb_padding", lambda: nn.Embedding(10, 3, padding_idx=10))
    error_case("err.emb_padding_negative", lambda: nn.Embedding(10, 3, padding_idx=-11))
    error_case("err.emb_negative", lambda: nn.Embedding(-1, 3))
    error_case("err.emb_weight_1d", lambda: F.embedding(torch.tensor([1]), torch.zeros(5)))
    error_case("err.dropout_p", lambda: nn.Dropout(1.5))
    error_case("err.dropout_p_functional", lambda: F.dropout(torch.ones(2), -0.5))
    error_case("err.softmax_dim", lambda: nn.Softmax(dim=3)(torch.ones(2, 2)))
    error_case("err.gelu_approximate", lambda: F.gelu(torch.ones(2), approximate="foo"))
    error_case("err.gelu_long", lambda: F.gelu(torch.tensor([1, 2])))
    error_case("err.leaky_relu_long", lambda: F.leaky_relu(torch.tensor([1, -2])))
    error_case("err.unflatten_sizes", lambda: nn.Unflatten(1, (2, 3))(torch.ones(2, 5)))
    error_case("err.unflatten_two_inferred", lambda: nn.Unflatten(1, (-1, -1))(torch.ones(2, 6)))
    error_case("err.modulelist_index", lambda: nn.ModuleList([nn.ReLU()])[3])
    error_case("err.modulelist_forward", lambda: nn.ModuleList([nn.ReLU()])(torch.ones(1)))


def main():
    losses()
    activations()
    erf_cases()
    normalisation()
    embedding_and_dropout()
    reprs()
    errors()
    n_cases = sum(1 for line in out_lines if line.startswith("case\t"))
    n_tensors = sum(1 for line in out_lines if line.startswith("t\t"))
    n_reprs = sum(1 for line in out_lines if line.startswith("repr\t"))
    n_errors = sum(1 for line in out_lines if line.startswith("error\t"))
    sys.stdout.write("# Generated by tools/gen_nn_fixtures.py with torch %s; do not edit.\n" % torch.__version__)
    sys.stdout.write("# Format: see the script's docstring. %d cases (%d tensors), %d reprs, %d errors.\n"
                     % (n_cases, n_tensors, n_reprs, n_errors))
    for line in out_lines:
        sys.stdout.write(line + "\n")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
