#!/usr/bin/python3
"""Write the fixtures of torch.nn.utils that jtorch's ClipGrad/ConvertParameters tests read.

Run with a real PyTorch (Debian's python3-torch, 1.13) from the repository root:

    /usr/bin/python3 tools/gen_nn_utils_fixtures.py

It writes nn/src/test/resources/jtorch/nn/utils_fixtures.txt: the gradients of three float32
parameters of shapes (3, 4), (5,) and (2, 1, 3) (drawn with torch.manual_seed(0), scaled so that
the 2-norm is about 3), then for each case the total norm that clip_grad_norm_ returned and the
gradients after it, and the gradients after clip_grad_value_:

    norm_<p>_max_<m>   clip_grad_norm_(params, max_norm=m, norm_type=p) for p in 2, 1, inf, 3.5,
                       0.5 with m = 1.0, and p = 2 with m = 100 (no clipping)
    value_0.4          clip_grad_value_(params, 0.4)
    vector             parameters_to_vector(params) of parameters with those values

Records use the format of tools/gen_checkpoint_fixtures.py (whose helpers this script reuses):
one tensor per tab-separated line, <case> <key> <dtype> <shape> <values>, float32 as the 8 hex
digits of its bits. Everything is seeded, so running the script again reproduces the file.
"""
import math
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_checkpoint_fixtures import line  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "nn/src/test/resources/jtorch/nn/utils_fixtures.txt")
SHAPES = [(3, 4), (5,), (2, 1, 3)]


def params_with(grads):
    ps = [nn.Parameter(torch.zeros(s)) for s in SHAPES]
    for p, g in zip(ps, grads):
        p.grad = g.clone()
    return ps


def main():
    torch.manual_seed(0)
    grads = [torch.randn(s) * 0.6 for s in SHAPES]
    lines = ["# written by tools/gen_nn_utils_fixtures.py (PyTorch %s); format in its docstring" % torch.__version__]
    lines += [line("grads", "grad%d" % i, g) for i, g in enumerate(grads)]
    for p, m in [(2.0, 1.0), (1.0, 1.0), (math.inf, 1.0), (3.5, 1.0), (0.5, 1.0), (2.0, 100.0)]:
        case = "norm_%s_max_%s" % (p, m)
        ps = params_with(grads)
        total = nn.utils.clip_grad_norm_(ps, max_norm=m, norm_type=p)
        lines.append(line(case, "total", total))
        lines += [line(case, "grad%d" % i, q.grad) for i, q in enumerate(ps)]
    ps = params_with(grads)
    nn.utils.clip_grad_value_(ps, 0.4)
    lines += [line("value_0.4", "grad%d" % i, q.grad) for i, q in enumerate(ps)]
    ps = [nn.Parameter(g.clone()) for g in grads]
    lines.append(line("vector", "vec", nn.utils.parameters_to_vector(ps).detach()))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
