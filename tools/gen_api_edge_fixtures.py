#!/usr/bin/python3
"""Differential check of the public API on bad and edge arguments: PyTorch raises or computes.

Run with a real PyTorch (Debian's python3-torch, 1.13):

    /usr/bin/python3 tools/gen_api_edge_fixtures.py core > nn/src/test/resources/jtorch/nn/api_edge_core.txt
    /usr/bin/python3 tools/gen_api_edge_fixtures.py nn > nn/src/test/resources/jtorch/nn/api_edge_nn.txt

Each case is a call written in a small argument language that the Java replay (nn's
ApiEdgeDifferentialTest, which replays both files: the nn module sees Tensor, Torch and F) parses
the same way:

    <op>|<arg>|<arg>...

    Tf(2,3)   a float32 tensor of shape (2, 3); Td, Tl, Tb: float64, int64, bool; Tf() is 0-dim.
              Values are deterministic and distinct: element k is (k - n/2) * 0.75 + 0.25 for the
              floats, k - n/2 for int64 and k % 3 == 0 for bool. A trailing ^ makes the tensor
              non-contiguous: it is built with its last two dims swapped and then transposed.
    i3 l3     an int, a long;   d2.5 dinf dnan   a double;   btrue bfalse   a boolean
    I[2,2]    an int array;     L[2,3]  a long array;       smean  a string;   N  null
    Pfloat64  a dtype

The record after the call is the core fixtures' format (see gen_core_fixtures.py), with the call
as the name: 'tensor' (dtype, shape, exact values), 'list' of tensors, 'text', or 'error' with
PyTorch's exception type and message. The Java side asserts that jtorch raises a deliberate
exception (with a message) where PyTorch raises, and computes PyTorch's dtype, shape and values
where PyTorch computes. Everything is deterministic: running the script again reproduces the
file byte for byte.
"""
import math
import struct
import sys

import torch
import torch.nn.functional as F

F32, F64, I64, BOOL = torch.float32, torch.float64, torch.int64, torch.bool
DTYPES = {"f": F32, "d": F64, "l": I64, "b": BOOL}
DTYPE_NAMES = {F32: "FLOAT32", F64: "FLOAT64", I64: "INT64", BOOL: "BOOL"}
MAX = 2 ** 31 - 1


def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


# ----------------------------------------------------------------------------- the argument language

def make_tensor(code, shape, noncontig):
    dtype = DTYPES[code]
    build = list(shape)
    if noncontig:
        build[-1], build[-2] = build[-2], build[-1]
    n = 1
    for s in build:
        n *= s
    k = torch.arange(n, dtype=F64)
    if dtype == BOOL:
        t = (torch.arange(n) % 3 == 0)
    elif dtype == I64:
        t = torch.arange(n) - n // 2
    else:
        t = ((k - n // 2) * 0.75 + 0.25).to(dtype)
    t = t.reshape(build)
    return t.transpose(-1, -2) if noncontig else t


def parse(arg):
    c, rest = arg[0], arg[1:]
    if c == "T":
        noncontig = rest.endswith("^")
        body = rest[:-1] if noncontig else rest
        code, dims = body[0], body[2:-1]
        shape = [int(x) for x in dims.split(",")] if dims else []
        return make_tensor(code, shape, noncontig)
    if c in "il":
        return int(rest)
    if c == "d":
        return float(rest)
    if c == "b":
        return rest == "true"
    if c in "IL":
        inner = rest[1:-1]
        return [int(x) for x in inner.split(",")] if inner else []
    if c == "s":
        return rest
    if c == "N":
        return None
    if c == "P":
        return getattr(torch, rest)
    raise ValueError(arg)


def T(code, *shape, nc=False):
    return "T%s(%s)%s" % (code, ",".join(str(s) for s in shape), "^" if nc else "")


def I(*v):
    return "I[%s]" % ",".join(str(x) for x in v)


def L(*v):
    return "L[%s]" % ",".join(str(x) for x in v)


def i(v):
    return "i%d" % v


def l(v):
    return "l%d" % v


def d(v):
    return "d" + ("inf" if v == math.inf else "-inf" if v == -math.inf else "nan" if v != v else repr(float(v)))


def s(v):
    return "s" + v


def b(v):
    return "btrue" if v else "bfalse"


N = "N"

# ----------------------------------------------------------------------------- recording

def values_of(t):
    flat = t.detach().contiguous().reshape(-1).tolist()
    if t.dtype == F32:
        return " ".join(struct.pack(">f", v).hex() for v in flat)
    if t.dtype == F64:
        return " ".join(struct.pack(">d", v).hex() for v in flat)
    if t.dtype == I64:
        return " ".join(str(v) for v in flat)
    return " ".join("1" if v else "0" for v in flat)


def tensor_record(name, t):
    return "\t".join(["tensor", name, DTYPE_NAMES[t.dtype], ",".join(str(x) for x in t.shape), "-", "-", "-", "rel:1e-5",
                      values_of(t), "-"])


OPS = {}
lines = []
seen = set()


def op(name, fn):
    OPS[name] = fn


def pytorch_reads_garbage(name, args):
    """Calls whose result PyTorch 1.13 computes from uninitialised memory: there is nothing to compare."""
    if name == "pad" and args[2] == "scircular":
        size = [int(x) for x in args[0][3:-1].split(",")][-1]
        p = [int(x) for x in args[1][2:-1].split(",")] if args[1] != "I[]" else []
        return len(p) >= 2 and size + min(p[0], 0) + min(p[1], 0) <= 0
    return name == "indexSelect" and args[0] == "Tf()" and args[2] == "Tl(0)"


def case(name, *args):
    if pytorch_reads_garbage(name, args):
        return
    key = "|".join([name] + list(args))
    if key in seen:
        return
    seen.add(key)
    try:
        r = OPS[name](*[parse(a) for a in args])
    except Exception as e:  # the error is the expected result
        lines.append("\t".join(["error", key, type(e).__name__, esc(str(e).split("\n")[0][:300])]))
        return
    if isinstance(r, torch.Tensor):
        lines.append(tensor_record(key, r))
    elif isinstance(r, (list, tuple)) and not isinstance(r, torch.Size):
        lines.append("\t".join(["list", key, str(len(r))]))
        for k, t in enumerate(r):
            lines.append(tensor_record("%s[%d]" % (key, k), t))
    elif isinstance(r, bool):
        lines.append("\t".join(["text", key, "True" if r else "False"]))
    else:
        lines.append("\t".join(["text", key, esc(str(r))]))


# ----------------------------------------------------------------------------- core: Tensor and torch

def core_ops():
    op("sum", lambda x, *a: x.sum(*a) if not a else x.sum(a[0], keepdim=a[1]))
    op("mean", lambda x, *a: x.mean(*a) if not a else x.mean(a[0], keepdim=a[1]))
    op("prod", lambda x, *a: x.prod(*a))
    op("max", lambda x, *a: x.max() if not a else tuple(x.max(a[0], keepdim=a[1])))
    op("min", lambda x, *a: x.min() if not a else tuple(x.min(a[0], keepdim=a[1])))
    op("argmax", lambda x, *a: x.argmax(*a))
    op("argmin", lambda x, *a: x.argmin(*a))
    op("var", lambda x, *a: x.var(*a) if not a else x.var(a[0], unbiased=a[1], keepdim=a[2]))
    op("std", lambda x, *a: x.std(*a) if not a else x.std(a[0], unbiased=a[1], keepdim=a[2]))
    op("logsumexp", lambda x, dims: x.logsumexp(dims))
    op("softmax", lambda x, dim: x.softmax(dim))
    op("logSoftmax", lambda x, dim: x.log_softmax(dim))
    op("reshape", lambda x, shape: x.reshape(shape))
    op("view", lambda x, shape: x.view(shape))
    op("transpose", lambda x, a, c: x.transpose(a, c))
    op("permute", lambda x, dims: x.permute(dims))
    op("t", lambda x: x.t())
    op("squeeze", lambda x, *a: x.squeeze(*a))
    op("unsqueeze", lambda x, dim: x.unsqueeze(dim))
    op("flatten", lambda x, a, c: x.flatten(a, c))
    op("unflatten", lambda x, dim, sizes: x.unflatten(dim, sizes))
    op("expand", lambda x, sizes: x.expand(sizes))
    op("narrow", lambda x, dim, start, length: x.narrow(dim, start, length))
    op("select", lambda x, dim, index: x.select(dim, index))
    op("chunk", lambda x, n, dim: list(x.chunk(n, dim)))
    op("split", lambda x, size, dim: list(x.split(size, dim)))
    op("splitSizes", lambda x, sizes, dim: list(x.split(sizes, dim)))
    op("unbind", lambda x, dim: list(x.unbind(dim)))
    op("cat", lambda a, c, dim: torch.cat([a, c], dim))
    op("stack", lambda a, c, dim: torch.stack([a, c], dim))
    op("matmul", lambda a, c: a.matmul(c))
    op("mm", lambda a, c: a.mm(c))
    op("bmm", lambda a, c: a.bmm(c))
    op("dot", lambda a, c: a.dot(c))
    op("add", lambda a, c: a.add(c))
    op("sub", lambda a, c: a.sub(c))
    op("mul", lambda a, c: a.mul(c))
    op("div", lambda a, c: a.div(c))
    op("pow", lambda a, c: a.pow(c))
    op("maximum", lambda a, c: a.maximum(c))
    op("eq", lambda a, c: a.eq(c))
    op("lt", lambda a, c: a.lt(c))
    op("where", lambda c, a, o: torch.where(c, a, o))
    op("clamp", lambda x, lo, hi: x.clamp(lo, hi))
    op("clampMin", lambda x, lo: x.clamp_min(lo))
    op("clampMax", lambda x, hi: x.clamp_max(hi))
    op("neg", lambda x: x.neg())
    op("abs", lambda x: x.abs())
    op("sign", lambda x: x.sign())
    op("exp", lambda x: x.exp())
    op("log", lambda x: x.log())
    op("sqrt", lambda x: x.sqrt())
    op("sigmoid", lambda x: x.sigmoid())
    op("tanh", lambda x: x.tanh())
    op("relu", lambda x: x.relu())
    op("gather", lambda x, dim, idx: x.gather(dim, idx))
    op("indexSelect", lambda x, dim, idx: x.index_select(dim, idx))
    op("scatter", lambda x, dim, idx, src: x.scatter(dim, idx, src))
    op("scatterAdd", lambda x, dim, idx, src: x.scatter_add(dim, idx, src))
    op("to", lambda x, dt: x.to(dt))
    op("item", lambda x: x.item())
    op("add_", lambda a, c: a.clone().add_(c))
    op("mul_", lambda a, c: a.clone().mul_(c))
    op("div_", lambda a, c: a.clone().div_(c))
    op("fill_", lambda a, v: a.clone().fill_(v))
    op("copy_", lambda a, c: a.clone().copy_(c))
    op("zeros", lambda shape: torch.zeros(shape))
    op("ones", lambda shape: torch.ones(shape))
    op("full", lambda shape, v: torch.full(shape, v))
    op("eye", lambda n, m: torch.eye(n, m))
    op("arangeL", lambda a, e, st: torch.arange(a, e, st))
    op("arangeD", lambda a, e, st: torch.arange(a, e, st))
    op("linspace", lambda a, e, n: torch.linspace(a, e, n))
    op("nonzero", lambda x: torch.nonzero(x))
    op("equal", lambda a, c: torch.equal(a, c))
    op("allclose", lambda a, c: torch.allclose(a, c))


def core_cases():
    shapes = [(2, 3), (0, 3), (), (4,), (2, 3, 4)]
    dts = ["f", "l", "b"]
    for name in ["sum", "mean", "prod", "max", "min", "argmax", "argmin", "var", "std"]:
        for sh in shapes:
            for dt in dts + (["d"] if sh == (2, 3) else []):
                case(name, T(dt, *sh))
        for dim in [0, 1, -1, 2, -3, 5]:
            for sh in [(2, 3), (0, 3), ()]:
                if name in ("sum", "mean"):
                    case(name, T("f", *sh), I(dim), b(False))
                    case(name, T("f", *sh), I(dim, dim), b(True))
                elif name in ("max", "min"):
                    case(name, T("f", *sh), i(dim), b(False))
                    case(name, T("b", *sh), i(dim), b(True))
                elif name in ("var", "std"):
                    case(name, T("f", *sh), I(dim), b(True), b(False))
                elif name == "prod" or name.startswith("arg"):
                    case(name, T("f", *sh), i(dim))
    for name in ["logsumexp"]:
        for dims in [I(0), I(-1), I(2), I(), I(0, 0)]:
            for sh in [(2, 3), (0, 3), ()]:
                case(name, T("f", *sh), dims)
        case(name, T("l", 2, 3), I(1))
    for name in ["softmax", "logSoftmax"]:
        for dim in [0, -1, 2, -3]:
            for sh in [(2, 3), (0, 3), ()]:
                case(name, T("f", *sh), i(dim))
        case(name, T("l", 2, 3), i(1))
        case(name, T("f", 2, 3, nc=True), i(1))
    for shp in [L(3, 2), L(-1), L(-1, -1), L(7), L(0, -1), L(-2, 3), L(), L(6, 1, 1)]:
        for sh in [(2, 3), (0, 3), ()]:
            case("reshape", T("f", *sh), shp)
            case("view", T("f", *sh), shp)
        case("view", T("f", 2, 3, nc=True), shp)
    for a, c in [(0, 1), (1, 0), (-1, -2), (0, 2), (-3, 0), (0, 0)]:
        for sh in [(2, 3), ()]:
            case("transpose", T("f", *sh), i(a), i(c))
            case("flatten", T("f", *sh), i(a), i(c))
    for dims in [I(1, 0), I(0), I(0, 0), I(0, 1, 2), I(-1, 0), I(), I(2, 0)]:
        for sh in [(2, 3), ()]:
            case("permute", T("f", *sh), dims)
    for sh in [(2, 3), (3,), (), (2, 3, 4)]:
        case("t", T("f", *sh))
        case("squeeze", T("f", *sh))
    for dim in [0, -1, 1, 2, 3, -4]:
        for sh in [(1, 3), ()]:
            case("squeeze", T("f", *sh), i(dim))
            case("unsqueeze", T("f", *sh), i(dim))
    for dim, sizes in [(0, L(2, 3)), (0, L(3, 2)), (1, L(-1, 1)), (0, L()), (2, L(1)), (0, L(-1, -1)), (-1, L(3, 1))]:
        for sh in [(6,), (6, 1), ()]:
            case("unflatten", T("f", *sh), i(dim), sizes)
    for sizes in [L(2, 3), L(4, 2, 3), L(-1, 3), L(2), L(2, -1), L(3, 3), L(-1, -1, 3), L()]:
        for sh in [(2, 3), (1, 3), ()]:
            case("expand", T("f", *sh), sizes)
    for dim, start, length in [(0, 0, 1), (0, 1, 2), (1, -1, 1), (0, 3, 0), (0, 2, 1), (0, -3, 1), (0, 0, -1), (2, 0, 1), (0, 0, MAX)]:
        for sh in [(2, 3), ()]:
            case("narrow", T("f", *sh), i(dim), l(start), l(length))
    for dim, idx in [(0, 1), (0, -1), (0, 2), (1, -4), (2, 0), (0, 0)]:
        for sh in [(2, 3), (), (0, 3)]:
            case("select", T("f", *sh), i(dim), l(idx))
    for n, dim in [(2, 0), (3, 1), (0, 0), (-1, 0), (5, 0), (2, 2), (1, -1)]:
        for sh in [(4, 3), (0, 3), ()]:
            case("chunk", T("f", *sh), i(n), i(dim))
    for size, dim in [(2, 0), (0, 0), (-1, 0), (5, 1), (1, 2)]:
        for sh in [(4, 3), (0, 3), ()]:
            case("split", T("f", *sh), l(size), i(dim))
    for sizes, dim in [(L(1, 3), 0), (L(2, 2), 0), (L(4), 0), (L(5, -1), 0), (L(), 0), (L(1, 2), 1)]:
        case("splitSizes", T("f", 4, 3), sizes, i(dim))
    for dim in [0, 1, -1, 2]:
        for sh in [(2, 3), (), (0, 3)]:
            case("unbind", T("f", *sh), i(dim))
    for name in ["cat", "stack"]:
        for x, y in [(T("f", 2, 3), T("f", 2, 3)), (T("f", 2, 3), T("f", 1, 3)), (T("f", 2, 3), T("f", 2, 4)), (T("f", 2, 3), T("l", 2, 3)),
                     (T("f"), T("f")), (T("f", 0), T("f", 2, 3)), (T("f", 2, 3), T("f", 3)), (T("b", 2), T("l", 2))]:
            for dim in [0, 1, -1, 2, -3]:
                case(name, x, y, i(dim))
    mats = [T("f", 2, 3), T("f", 3, 2), T("f", 3), T("f"), T("f", 2, 2, 3), T("f", 2, 3, 2), T("l", 3, 2), T("f", 0, 3), T("f", 3, 0),
            T("d", 3, 2), T("f", 1, 3, 2), T("f", 2, 3, nc=True), T("b", 3, 2)]
    for name in ["matmul", "mm", "bmm", "dot"]:
        for x in mats:
            for y in mats:
                if name == "dot" and (x.count(",") > 0 or y.count(",") > 0):
                    continue
                case(name, x, y)
        case("dot", T("f", 3), T("f", 3))
        case("dot", T("f", 3), T("f", 4))
        case("dot", T("l", 3), T("f", 3))
    operands = [T("f", 2, 3), T("f", 3), T("f", 2, 1), T("f", 4), T("l", 2, 3), T("b", 2, 3), T("f"), T("d", 3), T("l"), T("f", 0, 3), T("f", 2, 3, nc=True)]
    for name in ["add", "sub", "mul", "div", "pow", "maximum", "eq", "lt", "add_", "mul_", "div_", "copy_"]:
        for x in operands:
            for y in operands:
                case(name, x, y)
    for c, x, y in [(T("b", 2, 3), T("f", 2, 3), T("f", 2, 3)), (T("f", 2, 3), T("f", 2, 3), T("f", 2, 3)), (T("b", 3), T("f", 2, 3), T("l", 2, 1)),
                    (T("b", 4), T("f", 2, 3), T("f", 2, 3)), (T("b"), T("f", 2), T("f")), (T("l", 2, 3), T("f", 2, 3), T("f", 2, 3))]:
        case("where", c, x, y)
    for x in [T("f", 2, 3), T("l", 2, 3), T("b", 2, 3), T("f"), T("f", 0, 3)]:
        # No NaN bounds: jtorch's clamp takes NaN for Python's None (a missing bound), by design.
        for lo, hi in [(d(-0.5), d(0.5)), (l(-1), l(1)), (d(1.0), d(-1.0))]:
            case("clamp", x, lo, hi)
        for v in [d(0.5), l(1)]:
            case("clampMin", x, v)
            case("clampMax", x, v)
        for name in ["neg", "abs", "sign", "exp", "log", "sqrt", "sigmoid", "tanh", "relu", "item", "nonzero"]:
            case(name, x)
    idx_ok, idx_bad, idx_f = T("l", 2, 3), "Tl(2,3)", T("f", 2, 3)
    for name in ["gather", "indexSelect"]:
        for x in [T("f", 2, 3), T("f"), T("f", 0, 3)]:
            for dim in [0, 1, -1, 2]:
                for ix in [T("l", 2), T("l", 1, 2), T("f", 2), T("l"), T("l", 0), T("l", 2, 3, 4)]:
                    case(name, x, i(dim), ix)
    for name in ["scatter", "scatterAdd"]:
        for dim in [0, 1, 2]:
            for ix in [T("l", 1, 2), T("l", 3, 3), T("f", 1, 2), T("l", 2)]:
                for src in [T("f", 2, 3), T("l", 2, 3), T("f", 1, 1)]:
                    case(name, T("f", 2, 3), i(dim), ix, src)
    for x in [T("f", 2, 3), T("l", 2), T("b", 2), T("f")]:
        for dt in ["Pfloat32", "Pfloat64", "Pint64", "Pbool"]:
            case("to", x, dt)
    for x in [T("f", 2, 3), T("l", 2), T("b", 2), T("f")]:
        for v in [d(2.5), l(3), b(True), d(math.nan)]:
            case("fill_", x, v)
    for shp in [L(2, 3), L(), L(0), L(-1), L(2, -3)]:
        case("zeros", shp)
        case("ones", shp)
        case("full", shp, d(1.5))
    for n, m in [(2, 3), (0, 0), (-1, 2), (3, -1)]:
        case("eye", l(n), l(m))
    for a, e, st in [(0, 5, 1), (5, 0, -2), (0, 5, 0), (0, 5, -1), (5, 0, 1), (0, 0, 1), (-3, 3, 2)]:
        case("arangeL", l(a), l(e), l(st))
    for a, e, st in [(0.0, 1.0, 0.25), (1.0, 0.0, -0.3), (0.0, 1.0, 0.0), (0.0, math.inf, 1.0), (0.0, math.nan, 1.0), (0.0, 1.0, -0.5), (1e300, -2.25, -3.0)]:
        case("arangeD", d(a), d(e), d(st))
    for a, e, n in [(0.0, 1.0, 5), (0.0, 1.0, 1), (0.0, 1.0, 0), (0.0, 1.0, -1), (1.0, 1.0, 3)]:
        case("linspace", d(a), d(e), l(n))
    for x, y in [(T("f", 2, 3), T("f", 2, 3)), (T("f", 2, 3), T("f", 3)), (T("f", 2, 3), T("l", 2, 3)), (T("f", 0), T("f", 0))]:
        case("equal", x, y)
        case("allclose", x, y)


# ----------------------------------------------------------------------------- nn.functional

def nn_ops():
    op("linear", lambda x, w, bb: F.linear(x, w, bb))
    op("relu", lambda x: F.relu(x))
    op("softmax", lambda x, dim: F.softmax(x, dim))
    op("leakyRelu", lambda x, slope: F.leaky_relu(x, slope))
    op("gelu", lambda x, approx: F.gelu(x, approximate=approx))
    op("dropout", lambda x, p, train: F.dropout(x, p, train))
    op("mseLoss", lambda x, y, r: F.mse_loss(x, y, reduction=r))
    op("l1Loss", lambda x, y, r: F.l1_loss(x, y, reduction=r))
    op("smoothL1Loss", lambda x, y, r, beta: F.smooth_l1_loss(x, y, reduction=r, beta=beta))
    op("nllLoss", lambda x, y, w, ig, r: F.nll_loss(x, y, w, ignore_index=ig, reduction=r))
    op("crossEntropy", lambda x, y, w, ig, r, ls: F.cross_entropy(x, y, w, ignore_index=ig, reduction=r, label_smoothing=ls))
    op("binaryCrossEntropy", lambda x, y, w, r: F.binary_cross_entropy(x, y, w, reduction=r))
    op("bceWithLogits", lambda x, y, w, r, pw: F.binary_cross_entropy_with_logits(x, y, w, reduction=r, pos_weight=pw))
    op("batchNorm", lambda x, rm, rv, w, bb, tr, mo, eps: F.batch_norm(x, rm, rv, w, bb, tr, mo, eps))
    op("layerNorm", lambda x, shape, w, bb, eps: F.layer_norm(x, shape, w, bb, eps))
    op("embedding", lambda x, w: F.embedding(x, w))
    op("conv2d", lambda x, w, bb, st, pd, dl, g: F.conv2d(x, w, bb, st, pd, dl, g))
    op("unfold", lambda x, k, dl, pd, st: F.unfold(x, k, dl, pd, st))
    op("fold", lambda x, o, k, dl, pd, st: F.fold(x, o, k, dl, pd, st))
    op("pad", lambda x, p, mode, v: F.pad(x, p, mode, v))
    op("maxPool2d", lambda x, k, st, pd, dl, ceil: F.max_pool2d(x, k, st, pd, dl, ceil))
    op("avgPool2d", lambda x, k, st, pd, ceil, cip: F.avg_pool2d(x, k, st, pd, ceil, cip))
    op("adaptiveAvgPool2d", lambda x, o: F.adaptive_avg_pool2d(x, o))


def nn_cases():
    for x in [T("f", 2, 3), T("f", 3), T("f"), T("l", 2, 3), T("f", 0, 3)]:
        for w in [T("f", 4, 3), T("f", 3), T("f"), T("f", 4, 2), T("f", 2, 4, 3)]:
            for bb in [N, T("f", 4), T("f", 5), T("f")]:
                case("linear", x, w, bb)
    for x in [T("f", 2, 3), T("f"), T("l", 2, 3), T("b", 2), T("f", 0, 3)]:
        case("relu", x)
        for dim in [0, -1, 2]:
            case("softmax", x, i(dim))
        case("leakyRelu", x, d(0.1))
        for a in ["none", "tanh", "bad"]:
            case("gelu", x, s(a))
        for p in [0.0, 1.0, 1.5, -0.1]:
            case("dropout", x, d(p), b(False))
    pairs = [(T("f", 2, 3), T("f", 2, 3)), (T("f", 2, 3), T("f", 3)), (T("f", 2, 3), T("f", 4)), (T("f"), T("f")), (T("f", 0, 3), T("f", 0, 3)),
             (T("l", 2, 3), T("l", 2, 3)), (T("f", 2, 3), T("l", 2, 3)), (T("d", 2, 3), T("f", 2, 3))]
    for name in ["mseLoss", "l1Loss"]:
        for x, y in pairs:
            for r in ["mean", "sum", "none", "bad"]:
                case(name, x, y, s(r))
    for x, y in pairs:
        for beta in [1.0, 0.0, -1.0]:
            case("smoothL1Loss", x, y, s("mean"), d(beta))
    targets = [T("l", 2), T("l", 3), T("f", 2), T("l"), T("l", 2, 1), T("l", 0)]
    for x in [T("f", 2, 3), T("f", 3), T("f"), T("f", 2, 3, 4), T("l", 2, 3), T("f", 0, 3)]:
        for y in targets:
            for w in [N, T("f", 3), T("f", 2)]:
                case("nllLoss", x, y, w, l(-100), s("mean"))
                case("crossEntropy", x, y, w, l(-100), s("mean"), d(0.0))
        case("crossEntropy", x, T("l", 2), N, l(-100), s("bad"), d(0.0))
        case("crossEntropy", x, T("l", 2), N, l(-100), s("mean"), d(1.5))
        case("crossEntropy", x, T("f", 2, 3), N, l(-100), s("mean"), d(0.0))
    for x, y in pairs:
        for w in [N, T("f", 3), T("f", 4)]:
            case("bceWithLogits", x, y, w, s("mean"), N)
        case("bceWithLogits", x, y, N, s("mean"), T("f", 3))
    for x in [T("f", 2, 3), T("f", 3), T("f"), T("l", 2, 3), T("f", 1, 3), T("f", 0, 3), T("f", 2, 3, 4)]:
        for rm in [N, T("f", 3), T("f", 2)]:
            for tr in [True, False]:
                case("batchNorm", x, rm, rm, N, N, b(tr), d(0.1), d(1e-5))
        case("batchNorm", x, T("f", 3), T("f", 3), T("f", 4), N, b(True), d(0.1), d(1e-5))
    for x in [T("f", 2, 3), T("f", 3), T("f"), T("l", 2, 3)]:
        for shape in [L(3), L(2, 3), L(), L(4), L(1, 2, 3)]:
            case("layerNorm", x, shape, N, N, d(1e-5))
        case("layerNorm", x, L(3), T("f", 4), N, d(1e-5))
    for x in [T("l", 2), T("l"), T("f", 2), T("l", 0), T("l", 2, 2)]:
        for w in [T("f", 4, 3), T("f", 4), T("f")]:
            case("embedding", x, w)
    x4 = T("f", 1, 2, 5, 5)
    for x in [x4, T("f", 2, 5, 5), T("f", 5, 5), T("l", 1, 2, 5, 5), T("f", 0, 2, 5, 5), T("f", 1, 2, 2, 2)]:
        for w in [T("f", 3, 2, 3, 3), T("f", 3, 1, 3, 3), T("f", 3, 2, 3), T("f", 3, 2, 6, 6)]:
            case("conv2d", x, w, N, I(1, 1), I(0, 0), I(1, 1), i(1))
        case("conv2d", x, T("f", 4, 1, 3, 3), N, I(1, 1), I(0, 0), I(1, 1), i(2))
        case("conv2d", x, T("f", 3, 2, 3, 3), T("f", 4), I(1, 1), I(0, 0), I(1, 1), i(1))
    for st, pd, dl, g in [(I(0, 1), I(0, 0), I(1, 1), 1), (I(1, 1), I(-1, 0), I(1, 1), 1), (I(1, 1), I(0, 0), I(0, 1), 1), (I(1, 1), I(0, 0), I(1, 1), 0),
                          (I(1, 1), I(0, 0), I(1, 1), 3), (I(2, 2), I(1, 1), I(2, 2), 1), (I(MAX, MAX), I(0, 0), I(1, 1), 1)]:
        case("conv2d", x4, T("f", 3, 2, 3, 3), N, st, pd, dl, i(g))
    ks = [I(2, 2), I(2), I(2, 2, 2), I(), I(0, 2), I(-1, 2), I(6, 6)]
    for k in ks:
        for x in [x4, T("f", 2, 5, 5), T("f", 5, 5), T("l", 1, 2, 5, 5), T("f", 0, 2, 5, 5), T("f", 1, 0, 5, 5)]:
            case("unfold", x, k, I(1, 1), I(0, 0), I(1, 1))
            case("maxPool2d", x, k, I(), I(0, 0), I(1, 1), b(False))
            case("avgPool2d", x, k, I(), I(0), b(False), b(True))
    for st, pd, dl in [(I(1), I(1), I(1)), (I(0, 1), I(0, 0), I(1, 1)), (I(1, 1), I(2, 2), I(1, 1)), (I(1, 1), I(-1, 0), I(1, 1)),
                       (I(1, 1), I(0, 0), I(0, 1)), (I(1, 1, 1), I(0, 0), I(1, 1)), (I(MAX, MAX), I(0, 0), I(1, 1)), (I(1, 1), I(1, 1), I(MAX, 1)),
                       (I(2, 2), I(1, 1), I(2, 2))]:
        for ceil in [False, True]:
            case("maxPool2d", x4, I(3, 3), st, pd, dl, b(ceil))
            case("avgPool2d", x4, I(3, 3), st, pd, b(ceil), b(False))
        case("unfold", x4, I(3, 3), dl, pd, st)
    for o in [I(5, 5), I(5), I(4, 4), I(5, 5, 5), I(0, 5), I(-1, 5)]:
        for k in [I(2, 2), I(2), I(3, 3)]:
            for inp in [T("f", 1, 8, 16), T("f", 8, 16), T("f", 1, 8, 15), T("f", 1, 7, 16), T("f", 8), T("l", 1, 8, 16)]:
                case("fold", inp, o, k, I(1, 1), I(0, 0), I(1, 1))
    for o in [I(2, 2), I(2), I(1, 1), I(0, 2), I(-1, 2), I(3, 3, 3), I(7, 1)]:
        for x in [x4, T("f", 2, 5, 5), T("f", 5, 5), T("l", 1, 2, 5, 5), T("f", 0, 2, 5, 5), T("f", 1, 2, 0, 5)]:
            case("adaptiveAvgPool2d", x, o)
    for x in [T("f", 1, 3), T("f", 1, 1, 3), T("f", 3), T("f", 1, 1, 3, 3), T("f", 1, 0), T("f", 0, 3), T("l", 1, 3), T("f", 2, 0, 3), T("f", 1, 1, 1, 3, 3)]:
        for p in [I(1, 1), I(-1, -1), I(-2, -2), I(3, 0), I(1), I(1, 1, 1, 1), I(), I(1, 1, 1, 1, 1, 1), I(0, 0, -1, -1), I(-3, 1)]:
            for mode in ["constant", "reflect", "replicate", "circular"]:
                case("pad", x, p, s(mode), d(0.0))
        case("pad", x, I(1, 1), s("reflect"), d(1.0))
        case("pad", x, I(1, 1), s("bad"), d(0.0))


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "core"
    if which == "core":
        core_ops()
        core_cases()
    else:
        nn_ops()
        nn_cases()
    print("# written by tools/gen_api_edge_fixtures.py %s with PyTorch %s; do not edit" % (which, torch.__version__))
    print("\n".join(lines))
