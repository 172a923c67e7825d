#!/usr/bin/python3
"""Write the core semantics fixtures that jtorch's parity tests check against.

Run with a real PyTorch (Debian's python3-torch, 1.13):

    /usr/bin/python3 tools/gen_core_fixtures.py > core/src/test/resources/jtorch/core_fixtures.txt

Each case is a named expression; the Java tests (PyTorchParityTest, ErrorMessagesTest,
AutogradSemanticsTest, TutorialTest) evaluate an expression of the same name in Java and
compare. One record per line, tab-separated ('#' starts a comment line):

    tensor  <name>  <dtype>  <shape>  <strides|->  <contiguous 0|1|->  <is_view 0|1|->  <tol>  <values>  <repr>
    list    <name>  <n>          (followed by n tensor records named <name>[0] ... <name>[n-1])
    text    <name>  <text>       (str() of a non-tensor result: a torch.Size, a bool, a printed line)
    error   <name>  <Python exception type>  <message>

<dtype> is FLOAT32, FLOAT64, INT64 or BOOL; <shape> and <strides> are comma-separated (empty for
0-dim). Strides, contiguity and whether the result is a view (``t._base is not None``) are
recorded for view-producing cases only ('-' elsewhere: PyTorch's elementwise kernels keep the
input's memory layout, which jtorch does not promise). <values> are the row-major elements,
space-separated, written to round-trip exactly: float32 as the 8 hex digits of its IEEE bits,
float64 as 16, int64 in decimal, bool as 0/1. <tol> is how closely jtorch must agree:
'exact' (bit for bit; any NaN matches any NaN), 'ulp:N' (at most N units in the last place of
the dtype) or 'abs:X'. Text fields escape '\\' as '\\\\', newline as '\\n' and tab as '\\t'.

Name prefixes: 'err.' cases are ErrorMessagesTest's, 'grad.' AutogradSemanticsTest's,
'tutorial.' TutorialTest's; everything else is PyTorchParityTest's.

Everything is deterministic (literal inputs and a seeded generator), so running the script again
reproduces the file byte for byte.
"""
import struct
import sys

import torch

F32, F64, I64, BOOL = torch.float32, torch.float64, torch.int64, torch.bool
INF, NAN = float("inf"), float("nan")

DTYPE_NAMES = {F32: "FLOAT32", F64: "FLOAT64", I64: "INT64", BOOL: "BOOL"}

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


def csv(xs):
    return ",".join(str(x) for x in xs)


def tensor_record(name, t, tol, view):
    if view:
        geo = [csv(t.stride()), "1" if t.is_contiguous() else "0", "1" if t._base is not None else "0"]
    else:
        geo = ["-", "-", "-"]
    fields = ["tensor", name, DTYPE_NAMES[t.dtype], csv(t.shape)] + geo + [tol, values_of(t), esc(repr(t))]
    out_lines.append("\t".join(fields))


names_seen = set()


def case(name, fn, tol="exact", view=False):
    """Evaluates fn() and records its result (tensor, list of tensors, Size/bool/str) or its error."""
    assert name not in names_seen, name
    names_seen.add(name)
    try:
        r = fn()
    except Exception as e:  # the error is the expected result
        out_lines.append("\t".join(["error", name, type(e).__name__, esc(str(e))]))
        return
    if isinstance(r, torch.Tensor):
        tensor_record(name, r, tol, view)
    elif isinstance(r, (list, tuple)) and not isinstance(r, torch.Size):
        out_lines.append("\t".join(["list", name, str(len(r))]))
        for i, t in enumerate(r):
            tensor_record("%s[%d]" % (name, i), t, tol, view)
    elif isinstance(r, bool):
        out_lines.append("\t".join(["text", name, "True" if r else "False"]))
    else:
        out_lines.append("\t".join(["text", name, esc(str(r))]))


def rg(t):
    return t.clone().requires_grad_()


# ----------------------------------------------------------------------------- shared inputs
# Java builds the same tensors (see PyTorchParityTest's "inputs").

def A():  # 2x3x4 float32 0..23
    return torch.arange(24.).reshape(2, 3, 4)


def M():  # 6x8 float32 0..47
    return torch.arange(48.).reshape(6, 8)


def R():  # 3x4 float32 with non-integer values
    return torch.tensor([[0.3, -1.7, 2.2, 0.05], [1.1, -0.4, -3.3, 0.9], [2.5, 0.7, -0.2, -1.6]])


def V():  # float32 vector with a negative zero
    return torch.tensor([1.5, -2.0, -0.0, 3.25])


def E():  # elementwise inputs
    return torch.tensor([-2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, 100.0])


def S():  # special values
    return torch.tensor([INF, -INF, NAN, 1e-30, -1e30])


def creation():
    case("create.tensor_float_1d", lambda: torch.tensor([1.5, -2.0, 3.0]))
    case("create.tensor_float_2d", lambda: torch.tensor([[1.0, -1.0], [0.25, 8.0]]))
    case("create.tensor_float_3d", lambda: torch.tensor([[[1.0], [2.0]], [[3.0], [4.0]]]))
    case("create.tensor_float_empty", lambda: torch.tensor([], dtype=F32))
    case("create.tensor_double_2d", lambda: torch.tensor([[0.1, 0.2, 0.3]], dtype=F64))
    case("create.tensor_long_1d", lambda: torch.tensor([1, -2, 3000000000]))
    case("create.tensor_int_2d", lambda: torch.tensor([[1, 2], [3, 4]]))
    case("create.tensor_bool_1d", lambda: torch.tensor([True, False, True]))
    case("create.tensor_bool_2d", lambda: torch.tensor([[True], [False]]))
    case("create.tensor_float_as_double", lambda: torch.tensor([0.1, 0.5], dtype=F64))
    case("create.tensor_long_as_float", lambda: torch.tensor([1, 2], dtype=F32))
    case("create.scalar_float", lambda: torch.tensor(3.5))
    case("create.scalar_double", lambda: torch.tensor(3.5, dtype=F64))
    case("create.scalar_long", lambda: torch.tensor(7))
    case("create.scalar_bool", lambda: torch.tensor(True))
    case("create.zeros", lambda: torch.zeros(2, 3))
    case("create.zeros_empty", lambda: torch.zeros(0, 3))
    case("create.zeros_0d", lambda: torch.zeros(()))
    case("create.zeros_long", lambda: torch.zeros(3, dtype=I64))
    case("create.zeros_bool", lambda: torch.zeros(2, dtype=BOOL))
    case("create.ones", lambda: torch.ones(2, 2))
    case("create.ones_double", lambda: torch.ones(2, dtype=F64))
    case("create.ones_bool", lambda: torch.ones(2, dtype=BOOL))
    case("create.full_float", lambda: torch.full((2, 2), 1.5))
    case("create.full_int", lambda: torch.full((3,), 7))
    case("create.full_double", lambda: torch.full((2,), -0.1, dtype=F64))
    case("create.full_long_dtype", lambda: torch.full((2,), 2.0, dtype=I64))
    case("create.arange_int", lambda: torch.arange(5))
    case("create.arange_int_start", lambda: torch.arange(2, 6))
    case("create.arange_int_step", lambda: torch.arange(1, 10, 3))
    case("create.arange_int_neg_step", lambda: torch.arange(10, 0, -3))
    case("create.arange_int_empty", lambda: torch.arange(3, 3))
    case("create.arange_float", lambda: torch.arange(4.0))
    case("create.arange_float_step", lambda: torch.arange(0.0, 1.0, 0.25))
    case("create.arange_float_tenth", lambda: torch.arange(0.0, 1.0, 0.1))
    case("create.arange_float_neg", lambda: torch.arange(1.0, -1.0, -0.5))
    case("create.arange_float_frac_end", lambda: torch.arange(1.0, 2.5, 0.5))
    case("create.linspace_5", lambda: torch.linspace(0, 1, 5))
    case("create.linspace_7", lambda: torch.linspace(0, 1, 7))
    case("create.linspace_neg", lambda: torch.linspace(-1, 1, 6))
    case("create.linspace_1", lambda: torch.linspace(3, 10, 1))
    case("create.linspace_0", lambda: torch.linspace(0, 1, 0))
    case("create.linspace_tenth", lambda: torch.linspace(0.1, 0.9, 9))
    case("create.eye", lambda: torch.eye(3))
    case("create.eye_rect", lambda: torch.eye(2, 3))
    case("create.eye_tall", lambda: torch.eye(3, 2))
    case("create.zeros_like_long", lambda: torch.zeros_like(torch.tensor([[1, 2]])))
    case("create.ones_like_double", lambda: torch.ones_like(torch.zeros(2, dtype=F64)))
    case("create.ones_like_bool", lambda: torch.ones_like(torch.tensor([False, False])))
    case("create.full_like_long", lambda: torch.full_like(torch.tensor([1, 2]), 2.5))
    case("create.full_like_float", lambda: torch.full_like(torch.zeros(2, 1), 2.5))
    case("create.empty_like_shape", lambda: torch.zeros_like(torch.empty(2, 0, 3)))


# ----------------------------------------------------------------------------- type promotion

PROMO_OPERANDS = {
    "f32": lambda: torch.tensor([1.5, -2.0, 0.0]),
    "f64": lambda: torch.tensor([0.25, 3.0, -1.0], dtype=F64),
    "i64": lambda: torch.tensor([3, -2, 0]),
    "b": lambda: torch.tensor([True, False, True]),
    "f32_0d": lambda: torch.tensor(2.5),
    "f64_0d": lambda: torch.tensor(-0.5, dtype=F64),
    "i64_0d": lambda: torch.tensor(2),
    "b_0d": lambda: torch.tensor(True),
    "sf": lambda: 2.5,  # a Python float
    "si": lambda: 2,    # a Python int
}
TENSOR_OPERANDS = ["f32", "f64", "i64", "b", "f32_0d", "f64_0d", "i64_0d", "b_0d"]


def promotion():
    ops = {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b,
        "lt": lambda a, b: a < b,
        "eq": lambda a, b: a == b,
    }
    for op, f in ops.items():
        for x in TENSOR_OPERANDS:
            for y in PROMO_OPERANDS:
                case("promo.%s.%s.%s" % (op, x, y),
                     lambda f=f, x=x, y=y: f(PROMO_OPERANDS[x](), PROMO_OPERANDS[y]()))
    cond = lambda: torch.tensor([True, False, True])
    for x in TENSOR_OPERANDS:
        for y in TENSOR_OPERANDS + ["sf"]:
            case("promo.where.%s.%s" % (x, y),
                 lambda x=x, y=y: torch.where(cond(), PROMO_OPERANDS[x](), PROMO_OPERANDS[y]()))
    # result_type corner cases spelled out
    case("promo.rsub_float", lambda: 1.0 - torch.tensor([1, 2, 3]))
    case("promo.int_plus_float_scalar", lambda: torch.tensor([1, 2]) + 0.5)
    case("promo.int_0d_plus_float_vec", lambda: torch.tensor(1) + torch.tensor([0.5, 1.5]))
    case("promo.double_0d_plus_float_vec", lambda: torch.tensor(1e-10, dtype=F64) + torch.tensor([1.0]))
    case("promo.bool_times_float_scalar", lambda: torch.tensor([True, False]) * 2.5)
    case("promo.add_alpha", lambda: torch.tensor([1.0, 2.0]).add(torch.tensor([10.0, 20.0]), alpha=0.5))
    case("promo.sub_alpha_int", lambda: torch.tensor([1, 2]).sub(torch.tensor([10, 20]), alpha=3))
    case("promo.to_long_trunc", lambda: torch.tensor([-1.7, -0.5, 0.5, 2.9]).to(I64))
    case("promo.to_bool", lambda: torch.tensor([-1.7, 0.0, -0.0, NAN]).to(BOOL))
    case("promo.bool_to_float", lambda: torch.tensor([True, False]).to(F32))
    case("promo.double_to_float_round", lambda: torch.tensor([0.1, 1e-50, 1e300], dtype=F64).to(F32))
    case("promo.inplace_float_add_double", lambda: torch.tensor([1.0, 2.0]).add_(torch.tensor([0.1, 0.2], dtype=F64)))
    case("promo.inplace_long_add_int", lambda: torch.tensor([1, 2]).add_(3))
    case("promo.inplace_float_mul_long", lambda: torch.tensor([1.5, 2.0]).mul_(torch.tensor([2, 3])))
    case("promo.inplace_double_div_float", lambda: torch.tensor([1.0, 2.0], dtype=F64).div_(torch.tensor(3.0)))


# ----------------------------------------------------------------------------- elementwise

def elementwise():
    ulp = "ulp:2"
    case("ew.neg", lambda: E().neg())
    case("ew.abs", lambda: E().abs())
    case("ew.sign", lambda: E().sign())
    case("ew.exp", lambda: E().exp(), ulp)
    case("ew.expm1", lambda: E().expm1(), ulp)
    case("ew.log", lambda: E().log(), ulp)
    case("ew.log1p", lambda: E().log1p(), ulp)
    case("ew.sqrt", lambda: E().sqrt())
    case("ew.rsqrt", lambda: E().rsqrt(), ulp)
    case("ew.reciprocal", lambda: E().reciprocal())
    case("ew.sin", lambda: E().sin(), ulp)
    case("ew.cos", lambda: E().cos(), ulp)
    case("ew.tanh", lambda: E().tanh(), ulp)
    case("ew.sigmoid", lambda: E().sigmoid(), ulp)
    case("ew.relu", lambda: E().relu())
    case("ew.square", lambda: E().square())
    case("ew.pow2", lambda: E().pow(2))
    case("ew.pow3", lambda: E().pow(3))
    case("ew.pow_half", lambda: E().pow(0.5), ulp)
    case("ew.pow_neg1", lambda: E().pow(-1.0))
    case("ew.pow_neg2", lambda: E().pow(-2))
    case("ew.pow_neg_half", lambda: E().pow(-0.5), ulp)
    case("ew.pow3_R", lambda: R().pow(3))
    case("ew.pow_neg2_R", lambda: R().pow(-2))
    case("ew.pow_1_5_R", lambda: R().abs().pow(1.5), ulp)
    case("ew.special_sign", lambda: S().sign())
    case("ew.pow_tensor", lambda: torch.tensor([2.0, 0.0, -2.0, 4.0]).pow(torch.tensor([3.0, 0.0, 2.0, 0.5])))
    case("ew.pow_int", lambda: torch.tensor([2, -3, 0]).pow(3))
    case("ew.pow_int_float_exp", lambda: torch.tensor([4, 2]).pow(0.5), ulp)
    case("ew.clamp", lambda: E().clamp(-1.0, 1.0))
    case("ew.clamp_min", lambda: E().clamp(min=0.25))
    case("ew.clamp_max", lambda: E().clamp(max=0.25))
    case("ew.clamp_int", lambda: torch.tensor([-5, 0, 5]).clamp(-1, 1))
    case("ew.maximum", lambda: torch.maximum(E(), torch.tensor(0.5)))
    case("ew.minimum_nan", lambda: torch.minimum(torch.tensor([1.0, NAN, 3.0]), torch.tensor([2.0, 2.0, NAN])))
    case("ew.special_exp", lambda: S().exp(), ulp)
    case("ew.special_sigmoid", lambda: S().sigmoid(), ulp)
    case("ew.special_tanh", lambda: S().tanh(), ulp)
    case("ew.special_relu", lambda: S().relu())
    case("ew.special_abs", lambda: S().abs())
    case("ew.special_div", lambda: torch.tensor([1.0, -1.0, 0.0]) / torch.tensor([0.0, 0.0, 0.0]))
    case("ew.int_exp", lambda: torch.tensor([0, 1, 2]).exp(), ulp)
    case("ew.int_sqrt", lambda: torch.tensor([4, 2]).sqrt())
    case("ew.int_abs", lambda: torch.tensor([-4, 2]).abs())
    case("ew.int_neg", lambda: torch.tensor([-4, 2]).neg())
    case("ew.int_relu", lambda: torch.tensor([-4, 2]).relu())
    case("ew.int_sigmoid", lambda: torch.tensor([0, 1]).sigmoid(), ulp)
    case("ew.bool_abs", lambda: torch.tensor([True, False]).abs())
    case("ew.bool_relu", lambda: torch.tensor([True, False]).relu())
    case("ew.bool_sign", lambda: torch.tensor([True, False]).sign())
    case("ew.bool_square", lambda: torch.tensor([True, False]).square())
    case("ew.bool_exp", lambda: torch.tensor([True, False]).exp(), ulp)
    case("ew.bool_pow", lambda: torch.tensor([True, False]).pow(2))
    case("ew.int_div_int", lambda: torch.tensor([7, -7, 1]) / torch.tensor([2, 2, 3]))
    case("ew.double_exp", lambda: torch.tensor([1.0, -0.5], dtype=F64).exp(), ulp)
    case("ew.logical_not", lambda: torch.tensor([True, False]).logical_not())
    case("ew.logical_not_float", lambda: torch.tensor([0.0, 2.0]).logical_not())
    case("ew.compare_nan", lambda: torch.tensor([NAN, 1.0]) != torch.tensor([NAN, 1.0]))
    case("ew.ge_scalar", lambda: E() >= 0.5)
    case("ew.gt_int_vs_float", lambda: torch.tensor([1, 2, 3]) > 1.5)
    case("ew.le_broadcast", lambda: torch.tensor([[1.0], [2.0]]) <= torch.tensor([1.0, 2.0, 3.0]))
    case("ew.ne_bool", lambda: torch.tensor([True, False]) != torch.tensor(True))
    case("ew.broadcast_add_3d", lambda: torch.ones(2, 1, 3) + torch.arange(4.).reshape(4, 1))
    case("ew.add_noncontig", lambda: A().transpose(0, 2) + 1)
    case("ew.mul_expanded", lambda: torch.tensor([1.0, 2.0]).expand(3, 2) * torch.tensor([[1.0], [2.0], [3.0]]))


# ----------------------------------------------------------------------------- reductions

def reductions():
    u = "ulp:2"
    # log of a sum of exps: one ulp of the sum (summation order, exp's last bit) moves the log by
    # several of its own ulps, so these are compared absolutely.
    lg = "abs:1e-6"
    case("red.sum", lambda: A().sum())
    case("red.sum_dim0", lambda: A().sum(0))
    case("red.sum_dim_neg", lambda: A().sum(-1))
    case("red.sum_dims", lambda: A().sum((0, 2)))
    case("red.sum_keepdim", lambda: A().sum((0, 2), keepdim=True))
    case("red.sum_int", lambda: torch.tensor([[1, 2], [3, 4]]).sum(1))
    case("red.sum_bool", lambda: torch.tensor([True, False, True]).sum())
    case("red.sum_empty", lambda: torch.zeros(0, 3).sum(0))
    case("red.sum_R", lambda: R().sum(1), u)
    case("red.mean", lambda: A().mean())
    case("red.mean_dim", lambda: A().mean(1))
    case("red.mean_keepdim", lambda: A().mean(-1, keepdim=True))
    case("red.mean_R", lambda: R().mean(0), u)
    case("red.mean_double", lambda: torch.tensor([[1.0, 2.0], [4.0, 8.0]], dtype=F64).mean(0))
    case("red.prod", lambda: torch.tensor([[1.0, 2.0, 3.0], [4.0, 0.0, -1.0]]).prod())
    case("red.prod_dim", lambda: torch.tensor([[1.0, 2.0, 3.0], [4.0, 0.0, -1.0]]).prod(1))
    case("red.prod_keepdim", lambda: torch.tensor([[1.0, 2.0, 3.0], [4.0, 0.5, -1.0]]).prod(0, keepdim=True))
    case("red.prod_int", lambda: torch.tensor([2, 3, 4]).prod())
    case("red.max", lambda: R().max())
    case("red.min", lambda: R().min())
    case("red.max_int", lambda: torch.tensor([3, 9, -1]).max())
    case("red.max_nan", lambda: torch.tensor([1.0, NAN, 3.0]).max())
    case("red.max_dim_values", lambda: R().max(1).values)
    case("red.max_dim_indices", lambda: R().max(1).indices)
    case("red.max_dim_keepdim_values", lambda: R().max(0, keepdim=True).values)
    case("red.max_dim_keepdim_indices", lambda: R().max(0, keepdim=True).indices)
    case("red.min_dim_values", lambda: R().min(-1).values)
    case("red.min_dim_indices", lambda: R().min(-1).indices)
    case("red.max_dim_ties_indices", lambda: torch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]]).max(1).indices)
    case("red.min_dim_ties_indices", lambda: torch.tensor([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0]]).min(1).indices)
    case("red.max_dim_repr", lambda: repr(R().max(1)))
    case("red.min_dim_repr", lambda: repr(torch.min(torch.tensor([[1.0, 2.0], [0.0, 5.0]]), 0)))
    case("red.argmax", lambda: R().argmax())
    case("red.argmin", lambda: R().argmin())
    case("red.argmax_dim", lambda: R().argmax(0))
    case("red.argmin_dim_keepdim", lambda: R().argmin(1, keepdim=True))
    case("red.argmax_ties", lambda: torch.tensor([1.0, 5.0, 5.0, 2.0]).argmax())
    case("red.argmin_ties", lambda: torch.tensor([1.0, 0.0, 5.0, 0.0]).argmin())
    case("red.argmax_int", lambda: torch.tensor([[1, 9], [9, 1]]).argmax(1))
    case("red.var", lambda: R().var(), u)
    case("red.var_dim", lambda: R().var(1), u)
    case("red.var_biased", lambda: R().var(1, unbiased=False), u)
    case("red.var_correction2_keepdim", lambda: R().var(1, correction=2, keepdim=True), u)
    case("red.var_single", lambda: torch.tensor([2.0]).var())
    case("red.std", lambda: R().std(), u)
    case("red.std_dim", lambda: R().std(0), u)
    case("red.std_biased_keepdim", lambda: R().std(0, unbiased=False, keepdim=True), u)
    case("red.std_correction0", lambda: R().std(1, correction=0, keepdim=False), u)
    case("red.std_double", lambda: torch.tensor([1.0, 2.0, 4.0], dtype=F64).std(), u)
    case("red.logsumexp", lambda: R().logsumexp(1), lg)
    case("red.logsumexp_keepdim", lambda: R().logsumexp(0, keepdim=True), lg)
    case("red.logsumexp_extreme", lambda: torch.tensor([1000.0, 0.0, -1000.0]).logsumexp(0), u)
    case("red.logsumexp_neg_extreme", lambda: torch.tensor([-1000.0, -1000.0]).logsumexp(0), u)
    case("red.logsumexp_neg_inf", lambda: torch.tensor([-INF, -INF]).logsumexp(0), u)
    case("red.logsumexp_inf", lambda: torch.tensor([INF, 1.0]).logsumexp(0), u)
    case("red.softmax", lambda: R().softmax(1), u)
    case("red.softmax_dim0", lambda: R().softmax(0), u)
    case("red.softmax_extreme", lambda: torch.tensor([1000.0, 0.0, -1000.0]).softmax(0), u)
    case("red.softmax_extreme_equal", lambda: torch.tensor([[1000.0, 1000.0], [-1000.0, -1000.0]]).softmax(1), u)
    case("red.softmax_int", lambda: torch.tensor([1, 2, 3]).softmax(0), u)
    case("red.softmax_int_dim0", lambda: torch.tensor([[1, 2]]).softmax(0))
    case("red.log_softmax_int", lambda: torch.tensor([[1, 2]]).log_softmax(1))
    case("red.logsumexp_int", lambda: torch.tensor([[1, 2]]).logsumexp(1), lg)
    case("red.log_softmax", lambda: R().log_softmax(1), lg)
    case("red.log_softmax_extreme", lambda: torch.tensor([1000.0, 0.0, -1000.0]).log_softmax(0), u)
    case("red.log_softmax_extreme_neg", lambda: torch.tensor([-1000.0, -1000.0, -1001.0]).log_softmax(0), u)
    case("red.softmax_0d", lambda: torch.tensor(3.0).softmax(0))
    case("red.equal_true", lambda: torch.equal(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0])))
    case("red.equal_false_shape", lambda: torch.equal(torch.tensor([1.0, 2.0]), torch.tensor([[1.0, 2.0]])))
    case("red.allclose_true", lambda: torch.allclose(torch.tensor([1.0, 2.0]), torch.tensor([1.000001, 2.0])))
    case("red.allclose_false", lambda: torch.allclose(torch.tensor([1.0, NAN]), torch.tensor([1.0, NAN])))


# ----------------------------------------------------------------------------- matmul

def matmul():
    def m(*shape):  # integer-valued float32, so every product is exact
        n = 1
        for s in shape:
            n *= s
        return (torch.arange(float(n)) - n // 2).reshape(shape)
    combos = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 4)), ((2, 2, 3), (3,)),
              ((3,), (2, 3, 4)), ((2, 2, 3), (3, 4)), ((2, 3), (2, 3, 4)), ((2, 2, 3), (2, 3, 4)),
              ((2, 1, 2, 3), (3, 3, 2)), ((1, 2, 3), (4, 3, 1)), ((4,), (2, 2, 4, 1))]
    for sa, sb in combos:
        name = "mm.%s_%s" % ("x".join(map(str, sa)), "x".join(map(str, sb)))
        case(name, lambda sa=sa, sb=sb: torch.matmul(m(*sa), m(*sb)))
    case("mm.mm", lambda: torch.mm(m(2, 3), m(3, 2)))
    case("mm.bmm", lambda: torch.bmm(m(2, 2, 3), m(2, 3, 1)))
    case("mm.dot", lambda: torch.dot(m(4), m(4)))
    case("mm.int64", lambda: torch.matmul(torch.tensor([[1, 2], [3, 4]]), torch.tensor([[5], [6]])))
    case("mm.double", lambda: torch.matmul(torch.tensor([[0.1, 0.2]], dtype=F64), torch.tensor([[3.0], [4.0]], dtype=F64)), "ulp:2")
    case("mm.transposed", lambda: torch.matmul(m(3, 2).t(), m(3, 2)))
    case("mm.R", lambda: torch.matmul(R(), R().t()), "ulp:4")
    case("mm.empty_inner", lambda: torch.matmul(torch.zeros(2, 0), torch.zeros(0, 3)))


# ----------------------------------------------------------------------------- indexing

def indexing():
    v = dict(view=True)
    case("idx.int", lambda: A()[1], **v)
    case("idx.int_neg", lambda: A()[-1], **v)
    case("idx.int_int", lambda: A()[1, 2], **v)
    case("idx.int3_0d", lambda: A()[1, -1, 3], **v)
    case("idx.slice", lambda: A()[:, 1], **v)
    case("idx.slice_range", lambda: A()[:, 1:3], **v)
    case("idx.slice_step", lambda: A()[:, ::2, 1:4:2], **v)
    case("idx.slice_step3", lambda: M()[1::3, ::3], **v)
    case("idx.slice_clamp", lambda: A()[:, 1:100], **v)
    case("idx.slice_neg", lambda: A()[:, -2:], **v)
    case("idx.slice_neg_stop", lambda: A()[..., :-1], **v)
    case("idx.slice_empty", lambda: A()[:, 5:], **v)
    case("idx.slice_reversed_empty", lambda: A()[:, 2:1], **v)
    case("idx.ellipsis", lambda: A()[..., 1], **v)
    case("idx.ellipsis_mid", lambda: A()[0, ..., 2], **v)
    case("idx.ellipsis_only", lambda: A()[...], **v)
    case("idx.none", lambda: A()[None], **v)
    case("idx.none_mid", lambda: A()[:, None, 1], **v)
    case("idx.none_end", lambda: A()[..., None], **v)
    case("idx.none_0d", lambda: torch.tensor(5.0)[None], **v)
    case("idx.str_cols", lambda: M()[:, 2:6], **v)
    case("idx.str_last", lambda: M()[..., -1], **v)
    case("idx.str_step_none", lambda: M()[::2, None], **v)
    case("idx.str_row", lambda: M()[1, :], **v)
    case("idx.str_neg_row", lambda: M()[-1], **v)
    case("idx.str_spaces", lambda: M()[:, ::3], **v)
    case("idx.str_none_ellipsis_none", lambda: M()[None, ..., None], **v)
    case("idx.str_neg_step_bounds", lambda: M()[-3:-1, 1:7:2], **v)
    case("idx.tensor_1d", lambda: M()[torch.tensor([0, 2, 5])], **v)
    case("idx.tensor_neg", lambda: M()[torch.tensor([-1, -6])], **v)
    case("idx.tensor_2d", lambda: M()[torch.tensor([[0, 1], [2, 3]])], **v)
    case("idx.tensor_dup", lambda: M()[torch.tensor([1, 1, 0])], **v)
    case("idx.tensor_pair", lambda: M()[torch.tensor([0, 1]), torch.tensor([2, 3])], **v)
    case("idx.tensor_pair_broadcast", lambda: M()[torch.tensor([[0], [5]]), torch.tensor([1, 2, 3])], **v)
    case("idx.slice_then_tensor", lambda: M()[:, torch.tensor([1, 3])], **v)
    case("idx.adjacent", lambda: A()[:, torch.tensor([0, 2]), torch.tensor([1, 3])], **v)
    case("idx.non_adjacent", lambda: A()[torch.tensor([0, 1]), :, torch.tensor([1, 2])], **v)
    case("idx.non_adjacent_2d", lambda: A()[torch.tensor([[0], [1]]), :, torch.tensor([0, 3])], **v)
    case("idx.int_then_tensor", lambda: A()[1, :, torch.tensor([0, 2])], **v)
    case("idx.tensor_then_int", lambda: A()[torch.tensor([0, 1]), :, 1], **v)
    case("idx.tensor_0d_int", lambda: A()[torch.tensor(1)], **v)
    case("idx.tensor_empty", lambda: M()[torch.tensor([], dtype=I64)], **v)
    case("idx.tensor_long_values", lambda: torch.tensor([10, 20, 30])[torch.tensor([2, 0])], **v)
    case("idx.mask_gt", lambda: M()[M() > 40], **v)
    case("idx.mask_rows", lambda: A()[torch.tensor([True, False])], **v)
    case("idx.mask_cols", lambda: A()[:, torch.tensor([True, False, True])], **v)
    case("idx.mask_2d", lambda: A()[torch.tensor([[True, False, False], [False, False, True]])], **v)
    case("idx.mask_0d_true", lambda: A()[torch.tensor(True)], **v)
    case("idx.mask_0d_false", lambda: A()[torch.tensor(False)], **v)
    case("idx.mask_and_tensor", lambda: A()[torch.tensor([False, True]), :, torch.tensor([3])], **v)
    case("idx.bool_tensor_values", lambda: torch.tensor([True, False, True])[torch.tensor([2, 1])], **v)
    case("idx.select_method", lambda: A().select(1, -1), **v)
    case("idx.narrow", lambda: A().narrow(2, 1, 2), **v)
    case("idx.narrow_neg_start", lambda: A().narrow(-1, -2, 2), **v)
    case("idx.index_select", lambda: M().index_select(1, torch.tensor([7, 0, 7])), **v)

    def put(fn):
        def run():
            x = M()[:3, :4].clone()
            fn(x)
            return x
        return run
    case("put.tensor_value", put(lambda x: x.index_put_((torch.tensor([0, 2]),), torch.tensor([-1.0, -2.0, -3.0, -4.0]))))
    case("put.scalar_value", put(lambda x: x.index_put_((torch.tensor([0, 2]), torch.tensor([1, 3])), torch.tensor(-5.0))))
    case("put.accumulate_dups", lambda: torch.zeros(5).index_put_((torch.tensor([0, 2, 0, 0]),), torch.tensor([1.0, 2.0, 3.0, 4.0]), accumulate=True))
    case("put.accumulate_2d", put(lambda x: x.index_put_((torch.tensor([0, 0, 1]), torch.tensor([1, 1, 2])), torch.tensor([10.0, 20.0, 30.0]), accumulate=True)))
    case("put.dups_last_wins", lambda: torch.zeros(3).index_put_((torch.tensor([1, 1, 1]),), torch.tensor([1.0, 2.0, 3.0])))
    case("put.mask", put(lambda x: x.index_put_((x > 10,), torch.tensor(0.0))))
    case("put.mask_values", put(lambda x: x.index_put_((x < 5,), torch.tensor([-1.0, -2.0, -3.0, -4.0]))))
    case("put.mask_rows_broadcast", put(lambda x: x.index_put_((torch.tensor([True, False, True]),), torch.tensor([7.0, 8.0, 9.0, 10.0]))))
    case("put.slice_and_tensor", put(lambda x: x.__setitem__((slice(None), torch.tensor([1, 3])), 0.0)))
    case("put.basic_slice", put(lambda x: x.__setitem__((slice(None), slice(1, 3)), torch.tensor([5.0, 6.0]))))
    case("put.basic_int", put(lambda x: x.__setitem__((1, 2), 99.0)))
    case("put.long_accumulate", lambda: torch.tensor([1, 2, 3]).index_put_((torch.tensor([2, 2]),), torch.tensor([5, 5]), accumulate=True))
    case("put.negative_index", lambda: torch.zeros(4).index_put_((torch.tensor([-1]),), torch.tensor(1.0)))


# ----------------------------------------------------------------------------- joining

def joining():
    v = dict(view=True)
    a = lambda: torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    b = lambda: torch.tensor([[5.0, 6.0]])
    case("join.cat0", lambda: torch.cat([a(), b()]))
    case("join.cat1", lambda: torch.cat([a(), a() * 10], 1))
    case("join.cat_neg", lambda: torch.cat([a(), a()], -1))
    case("join.cat_promote", lambda: torch.cat([torch.tensor([1, 2]), torch.tensor([0.5])]))
    case("join.cat_bool_long", lambda: torch.cat([torch.tensor([True]), torch.tensor([7])]))
    case("join.cat_three", lambda: torch.cat([torch.tensor([1.0]), torch.zeros(0), torch.tensor([2.0, 3.0])]))
    case("join.cat_legacy_empty", lambda: torch.cat([torch.tensor([]), a()]))
    case("join.stack0", lambda: torch.stack([a(), a() + 1]))
    case("join.stack1", lambda: torch.stack([a(), a() + 1], 1))
    case("join.stack_neg", lambda: torch.stack([a(), a() + 1], -1))
    case("join.stack_0d", lambda: torch.stack([torch.tensor(1.0), torch.tensor(2.0)]))
    case("join.stack_promote", lambda: torch.stack([torch.tensor([1, 2]), torch.tensor([0.5, 1.5], dtype=F64)]))
    case("join.split", lambda: torch.arange(10.).reshape(5, 2).split(2), **v)
    case("join.split_dim1", lambda: A().split(3, 2), **v)
    case("join.split_sizes", lambda: A().split([1, 2], 1), **v)
    case("join.split_big", lambda: torch.arange(3.).split(5), **v)
    case("join.chunk", lambda: torch.arange(5.).chunk(3), **v)
    case("join.chunk_fewer", lambda: torch.arange(6.).chunk(4), **v)
    case("join.chunk_dim", lambda: A().chunk(2, -1), **v)
    case("join.chunk_more_than_size", lambda: torch.arange(2.).chunk(5), **v)
    case("join.unbind", lambda: A().unbind(1), **v)
    idx = lambda: torch.tensor([[0, 0, 2], [1, 0, 1]])
    case("join.gather1", lambda: R()[:2, :3].gather(1, idx()))
    case("join.gather0", lambda: R().gather(0, torch.tensor([[2, 1, 0, 0]])))
    case("join.gather_small_index", lambda: R().gather(1, torch.tensor([[3], [0]])))
    case("join.scatter", lambda: torch.zeros(2, 4).scatter(1, idx(), torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])))
    case("join.scatter_src_larger", lambda: torch.zeros(3, 3).scatter(0, torch.tensor([[2, 0]]), torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])))
    case("join.scatter_value", lambda: torch.zeros(2, 4).scatter(1, idx(), 7.5))
    case("join.scatter_add", lambda: torch.ones(2, 4).scatter_add(1, idx(), torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])))
    case("join.scatter_inplace", lambda: torch.zeros(4).scatter_(0, torch.tensor([3, 1]), torch.tensor([9.0, 8.0])))
    case("join.where_broadcast", lambda: torch.where(torch.tensor([[True], [False]]), torch.tensor([1.0, 2.0]), torch.tensor(0.0)))
    case("join.nonzero", lambda: torch.nonzero(torch.tensor([[0.0, 1.0], [2.0, 0.0]])))


# ----------------------------------------------------------------------------- shapes and strides

def shapes():
    v = dict(view=True)
    case("shape.base", lambda: A(), **v)
    case("shape.view", lambda: A().view(4, 6), **v)
    case("shape.view_infer", lambda: A().view(-1, 3), **v)
    case("shape.view_0d", lambda: torch.tensor([5.0]).view(()), **v)
    case("shape.view_of_transpose_ok", lambda: A().transpose(1, 2).view(2, 4, 3), **v)
    case("shape.view_split_dim", lambda: A().transpose(0, 1).view(3, 2, 2, 2), **v)
    case("shape.reshape_view", lambda: A().reshape(6, 4), **v)
    case("shape.reshape_copy", lambda: A().transpose(0, 2).reshape(-1), **v)
    case("shape.reshape_0d", lambda: torch.tensor(2.0).reshape(1, 1), **v)
    case("shape.transpose", lambda: A().transpose(0, 2), **v)
    case("shape.transpose_same", lambda: A().transpose(1, 1), **v)
    case("shape.t", lambda: M().t(), **v)
    case("shape.t_1d", lambda: V().t(), **v)
    case("shape.mT", lambda: A().mT, **v)
    case("shape.permute", lambda: A().permute(2, 0, 1), **v)
    case("shape.permute_neg", lambda: A().permute(-1, -3, -2), **v)
    case("shape.expand", lambda: torch.tensor([[1.0], [2.0], [3.0]]).expand(2, 3, 4), **v)
    case("shape.expand_keep", lambda: torch.tensor([[1.0], [2.0]]).expand(-1, 3), **v)
    case("shape.expand_0d", lambda: torch.tensor(7.0).expand(2, 2), **v)
    case("shape.expand_same", lambda: torch.tensor([1.0, 2.0]).expand(2), **v)
    case("shape.expand_as", lambda: torch.tensor([1.0, 2.0]).expand_as(torch.zeros(3, 2)), **v)
    case("shape.squeeze", lambda: torch.zeros(1, 2, 1, 3).squeeze(), **v)
    case("shape.squeeze_dim", lambda: torch.zeros(1, 2, 1, 3).squeeze(2), **v)
    case("shape.squeeze_dim_noop", lambda: torch.zeros(1, 2, 1, 3).squeeze(1), **v)
    case("shape.squeeze_0d", lambda: torch.tensor(1.0).squeeze(), **v)
    case("shape.unsqueeze0", lambda: A().unsqueeze(0), **v)
    case("shape.unsqueeze_mid", lambda: A().unsqueeze(2), **v)
    case("shape.unsqueeze_end", lambda: A().unsqueeze(-1), **v)
    case("shape.unsqueeze_of_transpose", lambda: A().transpose(0, 2).unsqueeze(1), **v)
    case("shape.flatten", lambda: A().flatten(), **v)
    case("shape.flatten_range", lambda: A().flatten(1, 2), **v)
    case("shape.flatten_noncontig", lambda: A().transpose(0, 1).flatten(), **v)
    case("shape.flatten_0d", lambda: torch.tensor(3.0).flatten(), **v)
    case("shape.flatten_same", lambda: A().flatten(1, 1), **v)
    case("shape.unflatten", lambda: torch.arange(12.).unflatten(0, (3, -1)), **v)
    case("shape.contiguous", lambda: A().transpose(0, 1).contiguous(), **v)
    case("shape.slice_view_of_view", lambda: M()[1:5][:, 2:6][1], **v)
    case("shape.expand_then_slice", lambda: torch.tensor([1.0, 2.0, 3.0]).expand(4, 3)[1:3, ::2], **v)
    case("shape.view_after_expand", lambda: torch.tensor([[1.0], [2.0]]).expand(2, 3).reshape(6), **v)
    case("shape.clone_of_view", lambda: M()[:, 1].clone(), **v)
    case("shape.stride_after_inplace", lambda: M().t().mul_(2), **v)
    case("size.A", lambda: A().shape)
    case("size.0d", lambda: torch.tensor(1.0).shape)
    case("size.empty", lambda: torch.zeros(0, 3).shape)
    case("size.slice", lambda: A().shape[1:])
    case("size.concat", lambda: torch.Size([1, 1]) + A().shape)
    case("size.size_method", lambda: A().size())
    case("size.one", lambda: torch.zeros(5).shape)


# ----------------------------------------------------------------------------- grad_fn in reprs

def reprs():
    x = lambda: rg(torch.tensor([1.0, 2.0, 3.0]))
    m = lambda: rg(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    case("repr.leaf", lambda: x())
    case("repr.leaf_double", lambda: rg(torch.tensor([1.0, 2.0], dtype=F64)))
    case("repr.detach", lambda: x().detach())
    case("repr.data", lambda: x().data)
    case("repr.sum", lambda: x().sum())
    case("repr.sum_dim", lambda: x().sum(0))
    case("repr.mean", lambda: x().mean())
    case("repr.mean_dim", lambda: m().mean(1))
    case("repr.mul", lambda: x() * 2)
    case("repr.add", lambda: x() + 1)
    case("repr.sub", lambda: x() - 1)
    case("repr.rsub", lambda: 1 - x())
    case("repr.div", lambda: x() / 2)
    case("repr.neg", lambda: -x())
    case("repr.pow", lambda: x() ** 2)
    case("repr.pow_tensor", lambda: x() ** x())
    case("repr.exp", lambda: x().exp(), "ulp:2")
    case("repr.log", lambda: x().log(), "ulp:2")
    case("repr.sqrt", lambda: x().sqrt())
    case("repr.abs", lambda: x().abs())
    case("repr.relu", lambda: x().relu())
    case("repr.sigmoid", lambda: x().sigmoid(), "ulp:2")
    case("repr.tanh", lambda: x().tanh(), "ulp:2")
    case("repr.clamp", lambda: x().clamp(1.5, 2.5))
    case("repr.maximum", lambda: torch.maximum(x(), torch.tensor(2.0)))
    case("repr.where", lambda: torch.where(torch.tensor([True, False, True]), x(), torch.tensor(0.0)))
    case("repr.select", lambda: x()[0])
    case("repr.slice", lambda: x()[1:])
    case("repr.alias", lambda: x()[...])
    case("repr.index", lambda: x()[torch.tensor([0, 2])])
    case("repr.mask", lambda: x()[torch.tensor([True, False, True])])
    case("repr.view", lambda: x().view(3, 1))
    case("repr.reshape", lambda: m().reshape(4))
    case("repr.reshape_copy", lambda: m().t().reshape(4))
    case("repr.flatten", lambda: m().flatten())
    case("repr.expand", lambda: x().expand(2, 3))
    case("repr.unsqueeze", lambda: x().unsqueeze(0))
    case("repr.squeeze", lambda: x().unsqueeze(0).squeeze())
    case("repr.squeeze_dim", lambda: x().unsqueeze(0).squeeze(0))
    case("repr.transpose", lambda: m().transpose(0, 1))
    case("repr.t", lambda: m().t())
    case("repr.permute", lambda: m().permute(1, 0))
    case("repr.narrow", lambda: x().narrow(0, 1, 2))
    case("repr.split", lambda: x().split(2))
    case("repr.chunk", lambda: x().chunk(2))
    case("repr.split_sizes", lambda: x().split([1, 2]))
    case("repr.unbind", lambda: m().unbind(0))
    case("repr.clone", lambda: x().clone())
    case("repr.to_double", lambda: x().to(F64))
    case("repr.max", lambda: x().max())
    case("repr.max_dim", lambda: m().max(1).values)
    case("repr.min_dim", lambda: m().min(1).values)
    case("repr.prod", lambda: x().prod())
    case("repr.prod_dim", lambda: m().prod(0))
    case("repr.var", lambda: x().var())
    case("repr.std", lambda: x().std())
    case("repr.logsumexp", lambda: x().logsumexp(0), "abs:1e-6")
    case("repr.softmax", lambda: x().softmax(0), "ulp:2")
    case("repr.log_softmax", lambda: x().log_softmax(0), "abs:1e-6")
    case("repr.cat", lambda: torch.cat([x(), x()]))
    case("repr.stack", lambda: torch.stack([x(), x()]))
    case("repr.mm", lambda: m().mm(m()))
    case("repr.matmul_2d", lambda: m().matmul(m()))
    case("repr.matmul_mv", lambda: m().matmul(torch.tensor([1.0, -1.0])))
    case("repr.matmul_vm", lambda: torch.tensor([1.0, -1.0]).matmul(m()))
    case("repr.matmul_3d_2d", lambda: m().expand(3, 2, 2).matmul(torch.ones(2, 1)))
    case("repr.matmul_batched", lambda: m().expand(3, 2, 2).matmul(torch.ones(3, 2, 1)))
    case("repr.dot", lambda: x().dot(x()))
    case("repr.bmm", lambda: m().unsqueeze(0).bmm(m().unsqueeze(0)))
    case("repr.gather", lambda: m().gather(1, torch.tensor([[1], [0]])))
    case("repr.scatter", lambda: m().scatter(1, torch.tensor([[1], [0]]), 0.0))
    case("repr.index_select", lambda: m().index_select(0, torch.tensor([1])))
    case("repr.no_grad", lambda: no_grad_mul(x()))
    case("repr.int_result_of_grad_input", lambda: x().argmax())
    case("repr.compare_of_grad_input", lambda: x() > 1.5)

    def copy_slices():
        w = rg(torch.tensor([2.0, 3.0]))
        Y = torch.zeros(2, 2)
        Y[0, 1] = (w * 2).sum()
        return Y

    def copy_slices_view():
        w = rg(torch.tensor([2.0, 3.0]))
        Y = torch.zeros(2, 2)
        Y[0, 1] = (w * 2).sum()
        return Y[0]

    def inplace_on_view_of_nonleaf():
        y = x() * 2
        v = y[1:]
        v.mul_(2)
        return v

    def inplace_base_of_view():
        y = x() * 2
        y[1:].mul_(2)
        return y

    def inplace_nonleaf(op):
        def run():
            y = x() * 1
            op(y)
            return y
        return run
    case("repr.copy_slices", copy_slices)
    case("repr.copy_slices_row", copy_slices_view)
    case("repr.inplace_view", inplace_on_view_of_nonleaf)
    case("repr.inplace_view_base", inplace_base_of_view)
    case("repr.inplace_add", inplace_nonleaf(lambda y: y.add_(1)))
    case("repr.inplace_mul", inplace_nonleaf(lambda y: y.mul_(2)))
    case("repr.inplace_exp", inplace_nonleaf(lambda y: y.exp_()), "ulp:2")
    case("repr.inplace_copy", inplace_nonleaf(lambda y: y.copy_(torch.tensor([7.0, 8.0, 9.0]))))
    case("repr.inplace_fill", inplace_nonleaf(lambda y: y.fill_(2.0)))
    case("repr.inplace_fill_tensor", inplace_nonleaf(lambda y: y.fill_(torch.tensor(2.0))))

    def fill_with_grad_value():
        v = rg(torch.tensor(2.0))
        y = torch.zeros(3)
        y.fill_(v)
        return y
    case("repr.fill_from_grad_value", fill_with_grad_value)
    case("repr.inplace_zero", inplace_nonleaf(lambda y: y.zero_()))
    case("repr.inplace_index_put", inplace_nonleaf(lambda y: y.index_put_((torch.tensor([0]),), torch.tensor(5.0))))
    case("repr.inplace_clamp", inplace_nonleaf(lambda y: y.clamp_(0.0, 2.0)))


def no_grad_mul(t):
    with torch.no_grad():
        return t * 2


# ----------------------------------------------------------------------------- gradients

def grads():
    def g(fn, which):
        def run():
            ins = fn()
            return ins[which].grad
        return run

    def broadcast():
        a = rg(R())
        b = rg(torch.tensor([1.0, 2.0, 3.0, 4.0]))
        s = rg(torch.tensor(2.0))
        c = rg(torch.tensor([[1.0], [-1.0], [0.5]]))
        ((a * b + s) * c).sum().backward()
        return a, b, s, c
    case("grad.broadcast_a", g(broadcast, 0), "ulp:1")
    case("grad.broadcast_b", g(broadcast, 1), "ulp:1")
    case("grad.broadcast_s", g(broadcast, 2), "ulp:1")
    case("grad.broadcast_c", g(broadcast, 3), "ulp:2")

    def mixed():
        x = rg(torch.tensor([1.0, 2.0]))
        y = rg(torch.tensor([0.1, 3.0], dtype=F64))
        (x * y).sum().backward()
        return x, y
    case("grad.mixed_float", g(mixed, 0))
    case("grad.mixed_double", g(mixed, 1))

    def mixed_int():
        x = rg(torch.tensor([1.5, 2.0]))
        (x * torch.tensor([3, 4]) / torch.tensor(2)).sum().backward()
        return (x,)
    case("grad.int_operand", g(mixed_int, 0))

    def to_double():
        x = rg(torch.tensor([1.0, 3.0]))
        (x.to(F64) * torch.tensor([0.1, 0.2], dtype=F64)).sum().backward()
        return (x,)
    case("grad.to_double", g(to_double, 0))

    def twice():
        x = rg(torch.tensor([1.0, 2.0, 3.0]))
        (x * x).sum().backward()
        (x * 3).sum().backward()
        return (x,)
    case("grad.accumulate_twice", g(twice, 0))

    def gradient_arg():
        x = rg(torch.tensor([1.0, 2.0, 3.0]))
        (x * x).backward(torch.tensor([1.0, 0.1, 0.01]))
        return (x,)
    case("grad.backward_gradient", g(gradient_arg, 0))

    def retained():
        x = rg(torch.tensor([1.0, 2.0, 3.0]))
        z = x * 2
        z.retain_grad()
        (z * z).sum().backward()
        return (z,)
    case("grad.retain_grad", g(retained, 0))

    def copy_slices():
        w = rg(torch.tensor([[0.5, -1.5]]))
        X = torch.tensor([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
        Y = torch.zeros(2, 2)
        for i in range(2):
            for j in range(2):
                Y[i, j] = (X[i:i + 1, j:j + 2] * w).sum()
        ((Y - torch.tensor([[0.0, 1.0], [-1.0, 0.0]])) ** 2).sum().backward()
        return (w,)
    case("grad.copy_slices", g(copy_slices, 0))

    def view_inplace():
        x = rg(torch.tensor([1.0, 2.0, 3.0]))
        y = x * 1
        y[1:].mul_(torch.tensor([2.0, 3.0]))
        (y * y).sum().backward()
        return (x,)
    case("grad.view_inplace", g(view_inplace, 0))

    def copy_over():
        x = rg(torch.tensor([1.0, 2.0, 3.0]))
        z = rg(torch.tensor([4.0]))
        y = x * 1
        y.copy_(z * 2)
        (y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
        return x, z
    case("grad.copy_self", g(copy_over, 0))
    case("grad.copy_src", g(copy_over, 1))

    def fill_over():
        x = rg(torch.tensor([1.0, 2.0, 3.0]))
        v = rg(torch.tensor(0.5))
        y = x * 1
        y.fill_(v * 2)
        (y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
        return x, v
    case("grad.fill_self", g(fill_over, 0))
    case("grad.fill_value", g(fill_over, 1))

    def index_dup():
        x = rg(torch.tensor([1.0, 2.0, 3.0]))
        x[torch.tensor([0, 0, 2])].sum().backward()
        return (x,)
    case("grad.index_dup", g(index_dup, 0))

    def put_acc():
        x = rg(torch.tensor([1.0, 2.0, 3.0]))
        base = rg(torch.tensor([1.0, 1.0, 1.0, 1.0]))
        y = base * 1
        y.index_put_((torch.tensor([0, 0, 3]),), x * x, accumulate=True)
        (y * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
        return x, base
    case("grad.index_put_acc_values", g(put_acc, 0))
    case("grad.index_put_acc_self", g(put_acc, 1))

    def put_overwrite():
        x = rg(torch.tensor([1.0, 2.0]))
        base = rg(torch.tensor([1.0, 1.0, 1.0, 1.0]))
        y = base * 1
        y[torch.tensor([1, 3])] = x * 5
        (y * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
        return x, base
    case("grad.index_put_values", g(put_overwrite, 0))
    case("grad.index_put_self", g(put_overwrite, 1))

    def softmax_extreme():
        x = rg(torch.tensor([1000.0, 0.0, -1000.0]))
        (x.softmax(0) * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
        return (x,)
    case("grad.softmax_extreme", g(softmax_extreme, 0), "ulp:2")

    def log_softmax_extreme():
        x = rg(torch.tensor([1000.0, 0.0, -1000.0]))
        (x.log_softmax(0) * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
        return (x,)
    case("grad.log_softmax_extreme", g(log_softmax_extreme, 0), "ulp:2")

    def logsumexp_inf():
        x = rg(torch.tensor([-INF, 0.0, 0.0]))
        x.logsumexp(0).backward()
        return (x,)
    case("grad.logsumexp_neg_inf", g(logsumexp_inf, 0), "ulp:2")

    def unary(op, values):
        def run():
            x = rg(torch.tensor(values))
            op(x).sum().backward()
            return (x,)
        return run
    case("grad.max_tie", g(unary(lambda x: x.max(), [1.0, 3.0, 3.0]), 0))
    case("grad.max_dim_tie", g(unary(lambda x: x.max(0).values, [1.0, 3.0, 3.0]), 0))
    case("grad.prod_zero", g(unary(lambda x: x.prod(), [2.0, 0.0, 3.0]), 0))
    case("grad.prod_two_zeros", g(unary(lambda x: x.prod(), [2.0, 0.0, 0.0]), 0))
    case("grad.prod_dim", g(unary(lambda x: x.reshape(2, 2).prod(1), [2.0, 0.0, 3.0, 4.0]), 0))
    case("grad.var", g(unary(lambda x: x.var(), [1.0, 2.0, 4.0]), 0), "ulp:2")
    case("grad.std", g(unary(lambda x: x.std(), [1.0, 2.0, 4.0]), 0), "ulp:2")
    case("grad.clamp_bounds", g(unary(lambda x: x.clamp(0.0, 1.0), [-1.0, 0.0, 0.5, 1.0, 2.0]), 0))
    case("grad.relu_zero", g(unary(lambda x: x.relu(), [-1.0, 0.0, 2.0]), 0))
    case("grad.abs_zero", g(unary(lambda x: x.abs(), [-1.0, 0.0, 2.0]), 0))
    case("grad.sqrt_zero", g(unary(lambda x: x.sqrt(), [0.0, 4.0]), 0))
    case("grad.pow_zero_base", g(unary(lambda x: x ** 2.5, [0.0, 4.0]), 0), "ulp:2")
    case("grad.maximum_tie", g(unary(lambda x: torch.maximum(x, torch.tensor([1.0, 5.0, 0.0])), [1.0, 2.0, 3.0]), 0))
    case("grad.where", g(unary(lambda x: torch.where(x > 1.5, x * x, -x), [1.0, 2.0, 3.0]), 0))
    case("grad.expand", g(unary(lambda x: x.expand(3, 2) * torch.tensor([[1.0], [2.0], [3.0]]), [1.0, 2.0]), 0))
    case("grad.gather", g(unary(lambda x: x.reshape(2, 2).gather(1, torch.tensor([[0, 0], [1, 0]])), [1.0, 2.0, 3.0, 4.0]), 0))
    case("grad.scatter_src", g(unary(lambda x: torch.zeros(2, 3).scatter(1, torch.tensor([[2], [0]]), x.reshape(2, 1) * 3), [1.0, 2.0]), 0))
    case("grad.cat", g(unary(lambda x: torch.cat([x, x * 2]) * torch.tensor([1.0, 2.0, 3.0, 4.0]), [1.0, 2.0]), 0))
    case("grad.stack", g(unary(lambda x: torch.stack([x, x], 1) * torch.tensor([[1.0, 2.0], [3.0, 4.0]]), [1.0, 2.0]), 0))
    case("grad.split", g(unary(lambda x: x.split(2)[1] * 5, [1.0, 2.0, 3.0]), 0))
    case("grad.matmul_batch", g(unary(lambda x: x.reshape(2, 1, 1, 2).matmul(torch.arange(12.).reshape(3, 2, 2)), [1.0, -1.0, 2.0, 0.5]), 0))
    case("grad.matmul_vec", g(unary(lambda x: torch.arange(6.).reshape(2, 3).matmul(x) ** 2, [1.0, -1.0, 2.0]), 0))
    case("grad.mean_keepdim", g(unary(lambda x: x.reshape(2, 2).mean(0, keepdim=True) * torch.tensor([[1.0, 3.0]]), [1.0, 2.0, 3.0, 4.0]), 0))
    case("grad.div", g(unary(lambda x: torch.tensor(1.0) / x, [2.0, -4.0]), 0))
    case("grad.sigmoid_tanh", g(unary(lambda x: x.sigmoid() * x.tanh(), [0.5, -1.0]), 0), "ulp:2")


# ----------------------------------------------------------------------------- errors

def errors():
    x3 = lambda: torch.tensor([1.0, 2.0, 3.0])
    case("err.broadcast", lambda: torch.ones(2, 3) + torch.ones(2, 4))
    case("err.broadcast_leading", lambda: torch.ones(5, 1, 3) * torch.ones(4, 2))
    case("err.view_stride", lambda: torch.arange(6.).reshape(2, 3).t().view(6))
    case("err.view_numel", lambda: torch.arange(6.).view(2, 5))
    case("err.view_infer_numel", lambda: torch.arange(6.).view(-1, 4))
    case("err.view_two_infer", lambda: torch.arange(6.).view(-1, -1))
    case("err.reshape_numel", lambda: torch.arange(6.).reshape(4, 2))
    case("err.dim_range", lambda: torch.ones(2, 3).sum(2))
    case("err.dim_range_neg", lambda: torch.ones(2, 3).transpose(0, -3))
    case("err.dim_range_softmax", lambda: torch.ones(2, 3).softmax(5))
    case("err.dim_range_unsqueeze", lambda: torch.ones(2, 3).unsqueeze(4))
    case("err.sum_dup_dims", lambda: torch.ones(2, 3).sum((0, -2)))
    case("err.index_oob", lambda: x3()[5])
    case("err.index_oob_neg", lambda: x3()[-4])
    case("err.index_oob_dim1", lambda: torch.ones(2, 3)[:, 3])
    case("err.index_tensor_oob", lambda: x3()[torch.tensor([0, 5])])
    case("err.index_tensor_oob_neg", lambda: x3()[torch.tensor([-4])])
    case("err.too_many_indices", lambda: torch.ones(2, 3)[0, 0, 0])
    case("err.too_many_indices_0d", lambda: torch.tensor(1.0)[0])
    case("err.negative_step", lambda: A()[::-1])
    case("err.mask_shape", lambda: x3()[torch.tensor([True, False])])
    case("err.index_float_tensor", lambda: x3()[torch.tensor([0.0])])
    case("err.select_oob", lambda: x3().select(0, 5))
    case("err.narrow_oob", lambda: x3().narrow(0, 2, 3))
    case("err.copy_shape", lambda: torch.zeros(3).copy_(torch.ones(2)))
    case("err.mm", lambda: torch.ones(2, 3).mm(torch.ones(4, 5)))
    case("err.matmul_2d", lambda: torch.ones(2, 3).matmul(torch.ones(4, 5)))
    case("err.matmul_1d", lambda: torch.ones(3).matmul(torch.ones(4)))
    case("err.matmul_0d", lambda: torch.tensor(1.0).matmul(torch.ones(3)))
    case("err.matmul_mv", lambda: torch.ones(2, 3).matmul(torch.ones(4)))
    case("err.matmul_1d_2d", lambda: torch.ones(4).matmul(torch.ones(3, 2)))
    case("err.matmul_3d_1d", lambda: torch.ones(2, 2, 3).matmul(torch.ones(4)))
    case("err.matmul_3d_2d", lambda: torch.ones(2, 2, 3).matmul(torch.ones(4, 2)))
    case("err.matmul_batch", lambda: torch.ones(2, 2, 3).matmul(torch.ones(3, 3, 2)))
    case("err.matmul_dtype", lambda: torch.ones(2, 2).matmul(torch.ones(2, 2, dtype=F64)))
    case("err.dot_dtype", lambda: torch.ones(2).dot(torch.ones(2, dtype=F64)))
    case("err.bmm", lambda: torch.ones(2, 2, 3).bmm(torch.ones(2, 4, 5)))
    case("err.mm_dtype", lambda: torch.ones(2, 2).mm(torch.ones(2, 2, dtype=F64)))
    case("err.requires_grad_int", lambda: torch.tensor([1, 2]).requires_grad_())
    case("err.requires_grad_bool", lambda: torch.tensor([True]).requires_grad_())
    case("err.mean_int", lambda: torch.tensor([1, 2]).mean())
    case("err.mean_bool", lambda: torch.tensor([True]).mean())
    case("err.var_int", lambda: torch.tensor([1, 2]).var())
    case("err.sub_bools", lambda: torch.tensor([True]) - torch.tensor([False]))
    case("err.sub_bool_float", lambda: torch.tensor([True]) - torch.tensor([1.0]))
    case("err.neg_bool", lambda: -torch.tensor([True]))
    case("err.inplace_cast", lambda: torch.tensor([1, 2]).add_(1.5))
    case("err.inplace_cast_tensor", lambda: torch.tensor([1, 2]).mul_(torch.tensor([1.5, 2.0])))
    case("err.inplace_cast_div", lambda: torch.tensor([1, 2]).div_(2))
    case("err.inplace_cast_bool", lambda: torch.tensor([True]).add_(torch.tensor([1])))
    case("err.inplace_broadcast", lambda: torch.ones(3).add_(torch.ones(2, 3)))
    case("err.alpha_float_int", lambda: torch.tensor([1]).add(torch.tensor([2]), alpha=0.5))
    case("err.pow_int_neg", lambda: torch.tensor([2]).pow(-1))
    case("err.where_cond", lambda: torch.where(torch.tensor([1, 0]), torch.ones(2), torch.zeros(2)))

    def backward_nonscalar():
        (rg(x3()) * 2).backward()
    case("err.backward_nonscalar", backward_nonscalar)
    case("err.backward_no_grad", lambda: x3().sum().backward())

    def backward_shape():
        (rg(x3()) * 2).backward(torch.ones(2))
    case("err.backward_shape", backward_shape)

    def twice():
        y = (rg(x3()) ** 2).sum()
        y.backward()
        y.backward()
    case("err.backward_twice", twice)

    def saved():
        x = rg(x3())
        y = x.exp()
        y.add_(1)
        y.sum().backward()
    case("err.saved_modified", saved)

    def saved_input():
        x = rg(x3())
        y = x * 1
        z = y * y
        y.mul_(2)
        z.sum().backward()
    case("err.saved_input_modified", saved_input)

    def saved_view():
        x = rg(x3())
        y = x.sigmoid()
        y[0].mul_(2)
        y.sum().backward()
    case("err.saved_modified_through_view", saved_view)
    case("err.leaf_inplace", lambda: rg(x3()).add_(1))
    case("err.leaf_inplace_fill", lambda: rg(x3()).fill_(1))
    case("err.leaf_view_inplace", lambda: rg(x3())[0].mul_(2))
    case("err.leaf_index_put", lambda: rg(x3()).index_put_((torch.tensor([0]),), torch.tensor(1.0)))

    def grad_unused():
        x, z = rg(x3()), rg(x3())
        torch.autograd.grad((x * 2).sum(), [x, z])
    case("err.grad_unused", grad_unused)

    def grad_no_rg():
        x = rg(x3())
        torch.autograd.grad((x * 2).sum(), [x3()])
    case("err.grad_input_no_grad", grad_no_rg)
    case("err.retain_grad", lambda: x3().retain_grad())
    case("err.register_hook", lambda: x3().register_hook(lambda g: g))
    case("err.requires_grad_false_nonleaf", lambda: (rg(x3()) * 2).requires_grad_(False))
    case("err.cat_size", lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)]))
    case("err.cat_dims", lambda: torch.cat([torch.ones(2, 2), torch.ones(2)]))
    case("err.cat_0d", lambda: torch.cat([torch.tensor(1.0), torch.tensor(2.0)]))
    case("err.cat_dim_range", lambda: torch.cat([torch.ones(2, 2), torch.ones(2, 2)], 2))
    case("err.stack", lambda: torch.stack([torch.ones(2, 3), torch.ones(2, 4)]))
    case("err.stack_dim_range", lambda: torch.stack([torch.ones(2), torch.ones(2)], 3))
    case("err.expand", lambda: torch.ones(3).expand(2, 4))
    case("err.expand_fewer", lambda: torch.ones(2, 3).expand(3))
    case("err.expand_leading_neg", lambda: torch.ones(3).expand(-1, 3))
    # Python's Tensor.item() has its own message; libtorch's (which Java follows) is at::item's:
    case("err.item", lambda: torch.ops.aten.item(torch.ones(2)))
    case("err.item_empty", lambda: torch.ops.aten.item(torch.ones(0)))
    case("err.ragged", lambda: torch.tensor([[1.0, 2.0], [3.0]]))
    case("err.ragged_deep", lambda: torch.tensor([[[1, 2]], [[3, 4], [5, 6]]]))
    case("err.gather_oob", lambda: torch.ones(2, 3).gather(1, torch.tensor([[0, 3]])))
    case("err.gather_neg", lambda: torch.ones(2, 3).gather(1, torch.tensor([[-1]])))
    case("err.gather_dims", lambda: torch.ones(2, 3).gather(1, torch.tensor([0, 1])))
    case("err.scatter_oob", lambda: torch.zeros(3).scatter(0, torch.tensor([3]), torch.tensor([1.0])))
    case("err.index_select_2d", lambda: torch.ones(2, 3).index_select(0, torch.tensor([[0]])))
    case("err.negative_size", lambda: torch.zeros(-1))
    case("err.negative_size_2d", lambda: torch.ones(2, -3))
    case("err.arange_zero_step", lambda: torch.arange(0, 5, 0))
    case("err.arange_sign", lambda: torch.arange(5, 0))
    case("err.index_put_dtype", lambda: torch.tensor([1, 2]).index_put_((torch.tensor([0]),), torch.tensor([1.5])))
    case("err.index_put_shape", lambda: torch.zeros(3).index_put_((torch.tensor([0, 1]),), torch.tensor([1.0, 2.0, 3.0])))
    case("err.permute_dup", lambda: torch.ones(2, 3).permute(0, 0))
    case("err.permute_len", lambda: torch.ones(2, 3).permute(0))
    case("err.flatten_order", lambda: torch.ones(2, 3, 4).flatten(2, 1))
    case("err.t_3d", lambda: torch.ones(2, 3, 4).t())
    case("err.chunk_zero", lambda: torch.ones(4).chunk(0))
    case("err.split_0d", lambda: torch.tensor(1.0).split(1))
    case("err.fill_tensor_dim", lambda: torch.ones(2).fill_(torch.tensor([1.0])))
    case("err.max_empty", lambda: torch.ones(0).max())
    case("err.argmax_empty", lambda: torch.ones(0).argmax())
    case("err.max_dim_empty", lambda: torch.ones(2, 0).max(1))
    case("err.randint_range", lambda: torch.randint(5, 5, (2,)))
    case("err.set_grad_size", lambda: setattr(rg(x3()), "grad", torch.ones(2)))
    case("err.min_max_clamp", lambda: torch.ones(2).clamp())
    case("err.dot_dims", lambda: torch.ones(2, 2).dot(torch.ones(2)))


# ----------------------------------------------------------------------------- tutorial

def tutorial():
    def corr2d(X, K):
        h, w = K.shape
        Y = torch.zeros(X.shape[0] - h + 1, X.shape[1] - w + 1)
        for i in range(Y.shape[0]):
            for j in range(Y.shape[1]):
                Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
        return Y

    Xg = torch.ones((6, 8))
    Xg[:, 2:6] = 0
    wg = torch.tensor([[0.5, 0.25]], requires_grad=True)
    out_lines.append("\t".join(["text", "tutorial.Y_of_grad_weight", esc(repr(corr2d(Xg, wg)))]))

    torch.manual_seed(0)
    X = torch.ones((6, 8))
    X[:, 2:6] = 0
    out_lines.append("\t".join(["text", "tutorial.X", esc(repr(X))]))
    K = torch.tensor([[1.0, -1.0]])
    Y = corr2d(X, K)
    out_lines.append("\t".join(["text", "tutorial.Y", esc(repr(Y))]))
    weight = torch.nn.Parameter(torch.rand((1, 2)))
    bias = torch.nn.Parameter(torch.zeros(1))
    out_lines.append("\t".join(["text", "tutorial.weight0", esc(repr(weight.data))]))
    losses = []
    for i in range(10):
        Y_hat = corr2d(X, weight) + bias
        l = (Y_hat - Y) ** 2
        weight.grad = None
        bias.grad = None
        l.sum().backward()
        weight.data[:] -= 3e-2 * weight.grad
        losses.append(l.sum().item())
        if (i + 1) % 2 == 0:
            out_lines.append("\t".join(["text", "tutorial.line%d" % (i + 1), f'batch {i+1}, loss {l.sum():.3f}']))
    tensor_record("tutorial.losses", torch.tensor(losses), "ulp:8", False)
    out_lines.append("\t".join(["text", "tutorial.weight", esc(repr(weight.data))]))
    tensor_record("tutorial.weight_values", weight.data, "ulp:8", False)
    out_lines.append("\t".join(["text", "tutorial.bias", esc(repr(bias.data))]))


def main():
    creation()
    promotion()
    elementwise()
    reductions()
    matmul()
    indexing()
    joining()
    shapes()
    reprs()
    grads()
    errors()
    tutorial()
    write_records("gen_core_fixtures.py", "the script's docstring")


def write_records(script, format_source):
    """Writes the header every generator's fixture file starts with, then the records collected in out_lines."""
    sys.stdout.write("# Generated by tools/%s with torch %s; do not edit.\n" % (script, torch.__version__))
    sys.stdout.write("# Format: see %s. %d records.\n" % (format_source, len(out_lines)))
    for line in out_lines:
        sys.stdout.write(line + "\n")


if __name__ == "__main__":
    main()
