#!/usr/bin/python3
"""Write the addmm / baddbmm fixtures that jtorch's LinalgParityTest checks against.

Run with a real PyTorch (Debian's python3-torch, 1.13):

    /usr/bin/python3 tools/gen_linalg_fixtures.py > core/src/test/resources/jtorch/linalg_fixtures.txt

The records have the format of tools/gen_core_fixtures.py (whose helpers this script reuses);
every case is named 'linalg.*' and LinalgParityTest evaluates an expression of the same name.
Inputs are float32 normals of a seeded generator, which jtorch draws bit for bit the same
(float64 inputs are those float32 draws converted, so they too are exact on both sides).
Products of non-integer float32 add their terms in another order than oneDNN/OpenBLAS, hence the 'abs:'
tolerances (a few float32 ulps of the largest partial sums).
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_core_fixtures as core  # noqa: E402

case, rg, out_lines = core.case, core.rg, core.out_lines
F64, I64 = torch.float64, torch.int64


def rn(seed, *shape):
    torch.manual_seed(seed)
    return torch.randn(*shape)


def ri(seed, *shape):
    """Small integers as float32: large products of them are exact, so even their repr agrees."""
    torch.manual_seed(seed)
    return torch.randint(-4, 5, shape).float()


def addmm_cases():
    case("linalg.addmm_row_bias", lambda: torch.addmm(rn(1, 4), rn(2, 2, 3), rn(3, 3, 4)), "abs:1e-5")
    case("linalg.addmm_full_input", lambda: torch.addmm(rn(1, 2, 4), rn(2, 2, 3), rn(3, 3, 4)), "abs:1e-5")
    case("linalg.addmm_column_input", lambda: torch.addmm(rn(1, 2, 1), rn(2, 2, 3), rn(3, 3, 4)), "abs:1e-5")
    case("linalg.addmm_scalar_input", lambda: torch.addmm(torch.tensor(0.5), rn(2, 2, 3), rn(3, 3, 4)), "abs:1e-5")
    case("linalg.addmm_beta_alpha", lambda: torch.addmm(rn(1, 4), rn(2, 2, 3), rn(3, 3, 4), beta=0.5, alpha=-2.0),
         "abs:2e-5")
    case("linalg.addmm_alpha_only", lambda: torch.addmm(rn(1, 4), rn(2, 2, 3), rn(3, 3, 4), alpha=3.0), "abs:2e-5")
    case("linalg.addmm_beta0_ignores_nan",
         lambda: torch.addmm(torch.full((4,), float("nan")), rn(2, 2, 3), rn(3, 3, 4), beta=0.0), "abs:1e-5")
    case("linalg.addmm_beta0_alpha", lambda: torch.addmm(rn(1, 4), rn(2, 2, 3), rn(3, 3, 4), beta=0.0, alpha=0.25),
         "abs:1e-5")
    case("linalg.addmm_transposed", lambda: torch.addmm(rn(1, 5), rn(2, 3, 2).t(), rn(3, 5, 3).t()), "abs:1e-5")
    case("linalg.addmm_float64",
         lambda: torch.addmm(rn(1, 4).double(), rn(2, 2, 3).double(), rn(3, 3, 4).double(), beta=2.0, alpha=0.5),
         "abs:1e-12")
    case("linalg.addmm_int64",
         lambda: torch.addmm(torch.ones(4, dtype=I64), torch.arange(6).reshape(2, 3), torch.arange(12).reshape(3, 4) - 5,
                             beta=2, alpha=3))
    case("linalg.addmm_k0", lambda: torch.addmm(rn(1, 2, 4), torch.zeros(2, 0), torch.zeros(0, 4), beta=2.0))
    # Large enough for the native provider's GEMM (which then adds the bias with beta = 1).
    case("linalg.addmm_large", lambda: torch.addmm(ri(1, 50), ri(2, 40, 70), ri(3, 70, 50)))
    case("linalg.addmm_requires_grad", lambda: torch.addmm(rg(rn(1, 4)), rn(2, 2, 3), rn(3, 3, 4)), "abs:1e-5")

    def grads(beta, alpha, input_shape):
        def run():
            i, a, b = rg(rn(1, *input_shape)), rg(rn(2, 3, 5)), rg(rn(3, 5, 4))
            w = rn(4, 3, 4)
            (torch.addmm(i, a, b, beta=beta, alpha=alpha) * w).sum().backward()
            return [i.grad, a.grad, b.grad]
        return run
    case("linalg.addmm_grads", grads(1.0, 1.0, (4,)), "abs:2e-5")
    case("linalg.addmm_grads_beta_alpha", grads(0.5, -1.5, (3, 1)), "abs:4e-5")
    case("linalg.addmm_grads_full", grads(2.0, 1.0, (3, 4)), "abs:2e-5")

    case("linalg.err_addmm_expand", lambda: torch.addmm(rn(1, 3), rn(2, 2, 3), rn(3, 3, 4)))
    case("linalg.err_addmm_mat1_1d", lambda: torch.addmm(rn(1, 4), rn(2, 3), rn(3, 3, 4)))
    case("linalg.err_addmm_mat2_1d", lambda: torch.addmm(rn(1, 4), rn(2, 2, 3), rn(3, 3)))
    case("linalg.err_addmm_shapes", lambda: torch.addmm(rn(1, 4), rn(2, 2, 3), rn(3, 2, 4)))
    case("linalg.err_addmm_input_dims", lambda: torch.addmm(rn(1, 1, 2, 4), rn(2, 2, 3), rn(3, 3, 4)))


def baddbmm_cases():
    case("linalg.baddbmm_row_bias", lambda: torch.baddbmm(rn(1, 4), rn(2, 2, 2, 3), rn(3, 2, 3, 4)), "abs:1e-5")
    case("linalg.baddbmm_batch_input", lambda: torch.baddbmm(rn(1, 2, 1, 4), rn(2, 2, 2, 3), rn(3, 2, 3, 4)), "abs:1e-5")
    case("linalg.baddbmm_beta_alpha",
         lambda: torch.baddbmm(rn(1, 2, 3, 4), rn(2, 2, 3, 3), rn(3, 2, 3, 4), beta=-1.0, alpha=0.5), "abs:2e-5")
    case("linalg.baddbmm_beta0_ignores_nan",
         lambda: torch.baddbmm(torch.full((1, 4), float("nan")), rn(2, 2, 2, 3), rn(3, 2, 3, 4), beta=0.0), "abs:1e-5")
    case("linalg.baddbmm_float64",
         lambda: torch.baddbmm(rn(1, 3, 4).double(), rn(2, 2, 3, 5).double(), rn(3, 2, 5, 4).double(), alpha=2.0),
         "abs:1e-12")
    case("linalg.baddbmm_large", lambda: torch.baddbmm(ri(1, 40), ri(2, 3, 32, 48), ri(3, 3, 48, 40)))
    case("linalg.baddbmm_requires_grad", lambda: torch.baddbmm(rn(1, 4), rg(rn(2, 2, 2, 3)), rn(3, 2, 3, 4)), "abs:1e-5")

    def grads(beta, alpha, input_shape):
        def run():
            i, a, b = rg(rn(1, *input_shape)), rg(rn(2, 2, 3, 5)), rg(rn(3, 2, 5, 4))
            w = rn(4, 2, 3, 4)
            (torch.baddbmm(i, a, b, beta=beta, alpha=alpha) * w).sum().backward()
            return [i.grad, a.grad, b.grad]
        return run
    case("linalg.baddbmm_grads", grads(1.0, 1.0, (3, 4)), "abs:2e-5")
    case("linalg.baddbmm_grads_beta_alpha", grads(0.25, 2.0, (2, 1, 4)), "abs:4e-5")

    case("linalg.err_baddbmm_expand", lambda: torch.baddbmm(rn(1, 3), rn(2, 2, 2, 3), rn(3, 2, 3, 4)))
    case("linalg.err_baddbmm_batch1_2d", lambda: torch.baddbmm(rn(1, 4), rn(2, 2, 3), rn(3, 2, 3, 4)))
    case("linalg.err_baddbmm_sizes", lambda: torch.baddbmm(rn(1, 4), rn(2, 2, 2, 3), rn(3, 3, 3, 4)))
    case("linalg.err_baddbmm_inner", lambda: torch.baddbmm(rn(1, 4), rn(2, 2, 2, 3), rn(3, 2, 2, 4)))


def main():
    addmm_cases()
    baddbmm_cases()
    core.write_records("gen_linalg_fixtures.py", "tools/gen_core_fixtures.py")


if __name__ == "__main__":
    main()
