#!/usr/bin/python3
"""Write the tensor-repr fixtures that jtorch.TensorFormatterTest checks against.

Run with a real PyTorch (Debian's python3-torch, 1.13):

    /usr/bin/python3 tools/gen_print_fixtures.py

It writes core/src/test/resources/jtorch/print_fixtures.txt, one record per line,
tab-separated (lines starting with '#' are comments):

    case  <name>  <dtype>  <shape>  <requires_grad 0|1>  <grad_fn or ->  <values>  <repr>
    size  <name>  <shape>  <repr>

<shape> is comma-separated sizes (empty for a 0-dim tensor). <values> are the
contiguous row-major elements separated by spaces, written so they round-trip
exactly: float32 as the 8 hex digits of the IEEE bits, float64 as 16 hex
digits, int64 in decimal, bool as 0/1. <repr> is repr(tensor) with '\\' and
newlines escaped as '\\\\' and '\\n'.

Everything is deterministic (literal values and seeded generators), so running
the script again reproduces the file byte for byte.
"""
import math
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                   "core", "src", "test", "resources", "jtorch", "print_fixtures.txt")

F32, F64, I64, BOOL = torch.float32, torch.float64, torch.int64, torch.bool
NAN, INF = float("nan"), float("inf")


def build_cases():
    torch.manual_seed(0)
    cases = []

    def add(name, t):
        cases.append((name, t))

    def t32(values):
        return torch.tensor(values, dtype=F32)

    # --- 0-dim ---------------------------------------------------------------
    add("scalar_float", t32(3.5))
    add("scalar_float_int_mode", t32(2.0))
    add("scalar_float_neg", t32(-0.1234567))
    add("scalar_float_sci_small", t32(1e-5))
    add("scalar_float_sci_large", t32(1.23456789e10))
    add("scalar_float_int_mode_sci", t32(3e9))
    add("scalar_zero", t32(0.0))
    add("scalar_neg_zero", t32(-0.0))
    add("scalar_nan", t32(NAN))
    add("scalar_neg_inf", t32(-INF))
    add("scalar_int", torch.tensor(42))
    add("scalar_int_neg", torch.tensor(-7))
    add("scalar_bool_true", torch.tensor(True))
    add("scalar_bool_false", torch.tensor(False))
    add("scalar_float64", torch.tensor(2.5, dtype=F64))
    add("scalar_float64_pi", torch.tensor(math.pi, dtype=F64))

    # --- 1-D -------------------------------------------------------------------
    add("vec_short", t32([1.5, -2.25, 3.0]))
    add("vec_single", t32([0.5]))
    add("vec_int_mode", t32([1.0, 2.0, 3.0]))
    add("vec_int_mode_neg", t32([-1.0, 0.0, 10.0]))
    add("vec_zeros", torch.zeros(4))
    add("vec_randn_30", torch.randn(30))
    add("vec_rand_100_x100", torch.rand(100) * 100)
    add("vec_arange_100", torch.arange(100.0))
    add("vec_randn_1000_threshold", torch.randn(1000))  # numel == threshold: not summarized
    add("vec_randn_1001", torch.randn(1001))
    add("vec_randn_2000", torch.randn(2000))
    add("vec_half_even_fixed", t32([1.03125, 0.5, -2.09375]))
    add("vec_half_even_sci", t32([1.03125, 1e-5]))
    add("vec_round_up_carry", t32([9.99999, 0.5]))
    add("vec_round_up_carry_sci", t32([9.99999, 1e-5]))
    add("vec_neg_zero_int_mode", t32([-0.0, 0.0, 1.0]))
    add("vec_neg_zero_fixed", t32([-0.0, 1.5]))
    add("vec_neg_zero_sci", t32([-0.0, 1e-5, 3.0]))

    # --- sci mode and magnitudes ----------------------------------------------
    add("sci_small", t32([1e-5, 2e-5, 3e-5]))
    add("sci_mixed_small", t32([1e-5, 1.0, 100.0]))
    add("sci_large", t32([1e9, 1.0]))
    add("sci_very_mixed", t32([1e-5, 1e9, -3.3]))
    add("sci_ratio_boundary_fixed", t32([0.001, 1.0]))  # ratio exactly 1000 stays fixed
    add("sci_ratio_over", t32([0.001, 1.5]))
    add("int_mode_sci_ratio", t32([1.0, 2000.0]))
    add("int_mode_sci_large", t32([1e8, 3e8]))
    add("int_mode_no_sci_1e8", t32([1e8, 2e7]))
    add("int_mode_wide", t32([-12345.0, 7.0, 100.0]))
    add("sci_randn_20_x1e-6", torch.randn(20) * 1e-6)
    for exp in (-8, -3, 0, 1, 3, 5, 10):
        add("rand5_x1e%d" % exp, torch.rand(5) * 10.0 ** exp)
        add("randn2x3_x1e%d" % exp, torch.randn(2, 3) * 10.0 ** exp)
    add("fixed_large_values", t32([12345.678, 20000.1, -999.5]))

    # --- nan / inf -------------------------------------------------------------
    add("nan_inf_int_mode", t32([NAN, 1.0, INF]))
    add("nan_inf_fixed", t32([NAN, 1.5, -INF]))
    add("nan_only", t32([NAN, NAN]))
    add("inf_only", t32([INF, -INF]))
    add("zero_and_nan", t32([0.0, NAN]))
    add("nan_inf_sci", t32([1e-5, NAN, INF, -2.0]))
    add("nan_2d", t32([[1.25, NAN], [-INF, 4.0]]))

    # --- 2-D -------------------------------------------------------------------
    x = torch.ones((6, 8))
    x[:, 2:6] = 0
    add("tutorial_X", x)
    y = torch.zeros((6, 7))
    y[:, 1] = 1
    y[:, 5] = -1
    add("tutorial_Y", y)
    add("tutorial_K", t32([[1.0058, -0.9686]]))
    add("mat_randn_3x4", torch.randn(3, 4))
    add("mat_randn_3x20_wrap", torch.randn(3, 20))
    add("mat_1x1", t32([[7.0]]))
    add("mat_1x5", torch.randn(1, 5))
    add("mat_5x1", torch.randn(5, 1))
    add("mat_randn_50x50", torch.randn(50, 50))
    add("mat_randn_400x3_summarized", torch.randn(400, 3))
    add("mat_4x4_x1e6_wide_fixed", torch.randn(4, 4) * 1e6)

    # --- 3-D / 4-D -------------------------------------------------------------
    add("t3_randn_2x3x4", torch.randn(2, 3, 4))
    add("t3_1x1x1", t32([[[0.25]]]))
    add("t3_2x1x3", torch.arange(6.0).reshape(2, 1, 3))
    add("t3_randn_10x20x30", torch.randn(10, 20, 30))
    add("t4_randn_2x2x2x3", torch.randn(2, 2, 2, 3))
    add("t4_randn_8x3x8x8", torch.randn(8, 3, 8, 8))

    # --- int64 -----------------------------------------------------------------
    add("int_vec", torch.tensor([1, -2, 3]))
    add("int_extremes", torch.tensor([-9223372036854775808, 9223372036854775807, 0]))
    add("int_mat_widths", torch.tensor([[1, 200, -3], [40000, 5, -600]]))
    add("int_arange_100", torch.arange(100))
    add("int_arange_2000", torch.arange(2000) - 1000)
    add("int_3d", torch.arange(24).reshape(2, 3, 4))

    # --- bool ------------------------------------------------------------------
    add("bool_vec", torch.tensor([True, False, True]))
    add("bool_mat", torch.tensor([[True, False], [False, False]]))
    add("bool_vec_100", torch.arange(100) % 3 == 0)
    add("bool_1500_summarized", torch.arange(1500) % 2 == 0)

    # --- float64 ---------------------------------------------------------------
    add("f64_vec", torch.tensor([1.5, 2.0], dtype=F64))
    add("f64_int_mode", torch.tensor([1.0, 2.0, -3.0], dtype=F64))
    add("f64_randn_3x4", torch.randn(3, 4, dtype=F64))
    add("f64_sci_3digit_exp", torch.tensor([1e-300, 1e300], dtype=F64))
    add("f64_sci_tiny", torch.tensor([5e-324, 1.0], dtype=F64))
    add("f64_randn_2000", torch.randn(2000, dtype=F64))
    for n in range(5, 13):
        add("f64_requires_grad_%d" % n,
            torch.randn(n, dtype=F64).requires_grad_(True))

    # --- empty -----------------------------------------------------------------
    add("empty_f32", torch.tensor([]))
    add("empty_0x3", torch.zeros(0, 3))
    add("empty_2x0", torch.zeros(2, 0))
    add("empty_3x0x2", torch.zeros(3, 0, 2))
    add("empty_int", torch.zeros(0, dtype=I64))
    add("empty_int_0x4", torch.zeros(0, 4, dtype=I64))
    add("empty_bool_0x2", torch.zeros(0, 2, dtype=BOOL))
    add("empty_f64", torch.zeros(0, dtype=F64))
    add("empty_requires_grad", torch.zeros(0, 5, requires_grad=True))

    # --- autograd suffixes -----------------------------------------------------
    add("requires_grad_scalar", torch.tensor(1.0, requires_grad=True))
    add("requires_grad_mat", t32([[1.0058, -0.9686]]).requires_grad_(True))
    add("requires_grad_randn_30", torch.randn(30, requires_grad=True))
    leaf = torch.ones(2, 3, requires_grad=True)
    add("grad_fn_sum", (leaf * 2).sum())
    add("grad_fn_mul", leaf * 2)
    add("grad_fn_mean", leaf.mean())
    w = torch.randn(8, requires_grad=True)
    add("grad_fn_relu_wrap", torch.relu(w * 1000.5))
    add("grad_fn_f64", torch.randn(7, dtype=F64, requires_grad=True) * 3)
    # --- formatter corner cases ------------------------------------------------
    v = torch.randn(2000)
    v[1000] = 1e-8  # hidden by summarization: must not switch to sci mode
    add("summarized_hidden_outlier", v)
    m = torch.rand(30, 40) + 1
    m[15, 20] = 1e9
    m[0, 20] = float("nan")
    add("summarized_2d_hidden_outlier", m)
    add("int_mode_nan_padded", t32([NAN, 100.0, 5.0]))
    add("int_mode_inf_wider_than_width", t32([1.0, -INF, 2.0]))
    add("fixed_inf_wider_than_width", t32([0.5, -INF]))
    add("t5_randn_2x1x2x1x3", torch.randn(2, 1, 2, 1, 3))
    add("t3_sci_wrap", torch.randn(2, 2, 12) * 1e-7)
    add("int_mat_40x40", torch.arange(1600).reshape(40, 40) * 7 - 5000)
    add("bool_3d", torch.arange(12).reshape(2, 3, 2) % 5 == 0)
    add("bool_mat_40x40", torch.arange(1600).reshape(40, 40) % 3 == 1)
    add("int_mode_large_exact", t32([16777216.0, -3.0]))
    add("f64_int_mode_sci_big", torch.tensor([2.0 ** 60, 1.0], dtype=F64))
    return cases


def encode_values(t):
    flat = t.detach().reshape(-1).tolist()
    if t.dtype == F32:
        return " ".join(struct.pack(">f", v).hex() for v in flat)
    if t.dtype == F64:
        return " ".join(struct.pack(">d", v).hex() for v in flat)
    if t.dtype == I64:
        return " ".join(str(v) for v in flat)
    if t.dtype == BOOL:
        return " ".join("1" if v else "0" for v in flat)
    raise ValueError(t.dtype)


def escape(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n")


def main():
    names = {F32: "FLOAT32", F64: "FLOAT64", I64: "INT64", BOOL: "BOOL"}
    lines = ["# Generated by tools/gen_print_fixtures.py with torch %s; do not edit."
             % torch.__version__]
    seen = set()
    for name, t in build_cases():
        assert name not in seen, name
        seen.add(name)
        grad_fn = type(t.grad_fn).__name__ if t.grad_fn is not None else "-"
        fields = ["case", name, names[t.dtype], ",".join(str(d) for d in t.shape),
                  "1" if (t.requires_grad and t.grad_fn is None) else "0", grad_fn,
                  encode_values(t), escape(repr(t))]
        lines.append("\t".join(fields))
    for shape in [(), (0,), (3,), (8, 8), (2, 0, 4), (1, 2, 3, 4)]:
        lines.append("\t".join(["size", "size_" + "x".join(map(str, shape)),
                                ",".join(map(str, shape)), escape(repr(torch.Size(shape)))]))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %d records to %s" % (len(lines) - 1, os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
