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
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from gen_core_fixtures import case, out_lines, write_records  # noqa: E402

F32, F64, I64 = torch.float32, torch.float64, torch.int64
INF, NAN = float("inf"), float("nan")

# The ops of the op path that PyTorch has under these names (Tensor methods of the same names in jtorch).
UNARY = ["sinh", "cosh", "log2", "log10", "exp2"]


def X(dtype=F32):  # PointwiseOpParityTest.X
    return torch.tensor([0.0, -0.0, 1e-3, -0.5, 0.75, 1.0, 2.0, -3.0, 10.0, 30.0, 100.0, INF, -INF, NAN], dtype=dtype)


def S():  # PointwiseOpParityTest.S: a 3x4 float32 view with strides (1, 3)
    return torch.tensor([0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0]).reshape(4, 3).t()


def G():  # PointwiseOpParityTest.G: inside every op's domain
    return torch.tensor([0.5, 1.25, 2.0, 3.0], dtype=F64)


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
    write_records("gen_pointwise_fixtures.py", "tools/gen_core_fixtures.py's docstring")


if __name__ == "__main__":
    main()
