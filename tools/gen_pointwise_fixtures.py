#!/usr/bin/python3
"""Write the fixtures of the pointwise ops defined as rows of the op table (issue 13's op path),
checked by core's PointwiseOpParityTest.

Run with a real PyTorch (Debian's python3-torch, 1.13):

    /usr/bin/python3 tools/gen_pointwise_fixtures.py > core/src/test/resources/jtorch/pointwise_fixtures.txt

The record format and helpers are gen_core_fixtures.py's (see its docstring). The test is driven
by this file: every name of UNARY gets the records below, and the Java test calls the Tensor
method of that name (camelCase of PyTorch's) on the same inputs, so adding an op's parity check
is adding its name here and regenerating. Deterministic: running it again reproduces the file
byte for byte.

    pw.<op>.f32       op of X (float32: zeros of both signs, infinities, NaN, small and large values)
    pw.<op>.f64       op of X in float64
    pw.<op>.int64     op of an int64 tensor (computed in the default float dtype)
    pw.<op>.strided   op of a transposed 3x4 float32 view
    pw.<op>.grad      the gradient of op(x).sum() at a point of every op's domain
    pw.<op>.node      the name of the autograd node

Binary ops (every name of BINARY and COMPARISONS; the Java test calls the Tensor method of that
name with a Tensor, a double or, for ALPHA, a Tensor and alpha):

    pw2.<op>.f32      op of X as a column (14, 1) and X as a row (1, 14): every pair of specials, broadcast
                      (XB: without -0 for SIGNED_ZERO_TIES)
    pw2.<op>.f64      the same in float64
    pw2.<op>.int64    op of int64 (5, 1) and (1, 3) tensors (the promotion of int operands)
    pw2.<op>.strided  op of the transposed view S and a contiguous (3, 4) T
    pw2.<op>.scalar   op of X and the Python float 2.5 (a wrapped number), for the ops of SCALAR
    pw2.<op>.alpha    op(X column, X row, alpha=ALPHA[op]) for add and sub (one fma in float32)
    pw2.<op>.inplace  the in-place op_ of a (14, 14) float32 tensor and the X row, for INPLACE
    pw2.<op>.inplace_strided  the same into a transposed (14, 14) view (strides (1, 14) kept)
    pw2.<op>.inplace_int  op_ of an int64 tensor and 2.5 (refused: the result type cannot be cast)
    pw2.<op>.grad_a, .grad_b, .node   gradients of op(a, b).sum() at G and H and the node name (BINARY only)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from gen_core_fixtures import case, out_lines, write_records  # noqa: E402

F32, F64, I64 = torch.float32, torch.float64, torch.int64
INF, NAN = float("inf"), float("nan")

# The ops of the op path that PyTorch has under these names (Tensor methods of the same names in jtorch).
UNARY = ["sinh", "cosh", "log2", "log10", "exp2", "neg", "abs", "sign", "relu"]
# Binary ops with a gradient, and comparisons (bool results, no gradient).
BINARY = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "atan2", "remainder", "fmod", "xlogy"]
COMPARISONS = ["eq", "ne", "lt", "le", "gt", "ge"]
SCALAR = ["add", "sub", "mul", "div", "remainder", "fmod"] + COMPARISONS
ALPHA = {"add": 2.0, "sub": 0.37}
INPLACE = ["add", "sub", "mul", "div"]
# Ops whose choice between -0 and +0 on a tie depends on PyTorch's vector lanes (its AVX2 max
# returns the second operand, its scalar tail the first): their pairs leave out -0.
SIGNED_ZERO_TIES = ["maximum", "minimum"]


def X(dtype=F32):  # PointwiseOpParityTest.X
    return torch.tensor([0.0, -0.0, 1e-3, -0.5, 0.75, 1.0, 2.0, -3.0, 10.0, 30.0, 100.0, INF, -INF, NAN], dtype=dtype)


def S():  # PointwiseOpParityTest.S: a 3x4 float32 view with strides (1, 3)
    return torch.tensor([0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0]).reshape(4, 3).t()


def G():  # PointwiseOpParityTest.G: inside every op's domain
    return torch.tensor([0.5, 1.25, 2.0, 3.0], dtype=F64)


def XB(op, dtype=F32):  # PointwiseOpParityTest.XB: X, without -0 for SIGNED_ZERO_TIES
    x = X(dtype)
    return x[x.signbit().logical_not() | (x != 0)] if op in SIGNED_ZERO_TIES else x


def T():  # PointwiseOpParityTest.T: a contiguous 3x4 float32 partner of S
    return torch.tensor([1.5, -2.0, 0.5, 3.0, -0.25, 4.0, 2.0, -1.0, 0.75, 6.0, -3.5, 1.0]).reshape(3, 4)


def H():  # PointwiseOpParityTest.H: the second operand of the gradients, positive and no ties with G
    return torch.tensor([1.5, 0.75, 2.5, 1.25], dtype=F64)


def IA():  # PointwiseOpParityTest.IA
    return torch.tensor([-7, -1, 0, 3, 8]).reshape(5, 1)


def IB():  # PointwiseOpParityTest.IB
    return torch.tensor([1, 2, 5]).reshape(1, 3)


def binary_grads(op):
    a, b = G().requires_grad_(), H().requires_grad_()
    return torch.autograd.grad(getattr(a, op)(b).sum(), [a, b])


def inplace_of(op, transposed=False):
    a = X().reshape(14, 1).expand(14, 14).clone()
    if transposed:
        a = a.t()
    return getattr(a, op + "_")(X().reshape(1, 14))


def grad_of(op, x):
    x = x.clone().requires_grad_()
    (g,) = torch.autograd.grad(getattr(x, op)().sum(), [x])
    return g


def main():
    for op in UNARY:
        case("pw.%s.f32" % op, lambda: getattr(X(), op)(), "ulp:2")
        case("pw.%s.f64" % op, lambda: getattr(X(F64), op)(), "ulp:2")
        case("pw.%s.int64" % op, lambda: getattr(torch.tensor([1, 2, 3, 8]), op)(), "ulp:2")
        case("pw.%s.strided" % op, lambda: getattr(S(), op)(), "ulp:2")
        case("pw.%s.grad" % op, lambda: grad_of(op, G()), "ulp:4")
        case("pw.%s.node" % op, lambda: repr(getattr(G().requires_grad_(), op)().grad_fn.name()))
    for op in BINARY + COMPARISONS:
        f = lambda a, b: getattr(a, op)(b)  # noqa: E731
        case("pw2.%s.f32" % op, lambda: f(XB(op).reshape(-1, 1), XB(op).reshape(1, -1)), "ulp:2")
        case("pw2.%s.f64" % op, lambda: f(XB(op, F64).reshape(-1, 1), XB(op, F64).reshape(1, -1)), "ulp:2")
        case("pw2.%s.int64" % op, lambda: f(IA(), IB()), "ulp:2")
        case("pw2.%s.strided" % op, lambda: f(S(), T()), "ulp:2")
        if op in SCALAR:
            case("pw2.%s.scalar" % op, lambda: f(X(), 2.5), "ulp:2")
        if op in ALPHA:
            case("pw2.%s.alpha" % op, lambda: getattr(X().reshape(14, 1), op)(X().reshape(1, 14), alpha=ALPHA[op]))
        if op in INPLACE:
            case("pw2.%s.inplace" % op, lambda: inplace_of(op), "ulp:2")
            case("pw2.%s.inplace_strided" % op, lambda: inplace_of(op, True), "ulp:2", view=True)
            case("pw2.%s.inplace_int" % op, lambda: getattr(torch.tensor([1, 2]), op + "_")(2.5))
        if op in BINARY:
            case("pw2.%s.grad_a" % op, lambda: binary_grads(op)[0], "ulp:4")
            case("pw2.%s.grad_b" % op, lambda: binary_grads(op)[1], "ulp:4")
            case("pw2.%s.node" % op, lambda: repr(getattr(G().requires_grad_(), op)(H()).grad_fn.name()))
    write_records("gen_pointwise_fixtures.py", "tools/gen_core_fixtures.py's docstring")


if __name__ == "__main__":
    main()
