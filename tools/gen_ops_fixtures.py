#!/usr/bin/python3
"""Write the fixtures of the tensor ops added for issue #11 (norms, tril/triu, masked_fill, topk,
sort, multinomial, cumsum/cumprod, einsum, repeat/tile/roll/flip/diag, nan_to_num, lerp, atan2,
hardtanh/softplus/silu/mish, view_as, new_*), checked by core's OpsParityTest.

Run with a real PyTorch (Debian's python3-torch, 1.13):

    /usr/bin/python3 tools/gen_ops_fixtures.py > core/src/test/resources/jtorch/ops_fixtures.txt

The record format, the helpers and the shared inputs (A, M, R, V, E, S) are gen_core_fixtures.py's;
see its docstring. Names start with 'ops.'; 'ops.err.' cases record PyTorch's error messages.
Deterministic: running it again reproduces the file byte for byte.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from gen_core_fixtures import A, E, M, R, S, V, case, out_lines, write_records, rg  # noqa: E402

F32, F64, I64, BOOL = torch.float32, torch.float64, torch.int64, torch.bool
INF, NAN = float("inf"), float("nan")


def P():  # 3x4 float32, distinct values, some negative
    return torch.tensor([[0.5, -1.25, 2.0, 3.5], [-0.75, 4.0, 1.5, -2.5], [2.25, 0.25, -3.0, 1.0]])


def T():  # ties and NaN for sorting
    return torch.tensor([[3.0, 1.0, 3.0, NAN, -1.0, 1.0], [2.0, 2.0, -INF, 0.0, INF, 2.0]])


def norms():
    case("ops.norm", lambda: R().norm(), "ulp:2")
    case("ops.norm_1", lambda: R().norm(1), "ulp:2")
    case("ops.norm_inf", lambda: R().norm(INF))
    case("ops.norm_neg_inf", lambda: R().norm(-INF))
    case("ops.norm_0", lambda: torch.tensor([0.0, 2.0, -0.0, 3.0]).norm(0))
    case("ops.norm_3", lambda: R().norm(3), "ulp:4")
    case("ops.norm_half", lambda: R().norm(0.5), "ulp:4")
    case("ops.norm_dim", lambda: R().norm(2, dim=1), "ulp:2")
    case("ops.norm_dim_keepdim", lambda: R().norm(2, dim=0, keepdim=True), "ulp:2")
    case("ops.norm_dims", lambda: A().norm(1, dim=(0, 2)), "ulp:2")
    case("ops.norm_fro", lambda: R().norm("fro"), "ulp:2")
    case("ops.norm_double", lambda: R().double().norm(), "ulp:2")
    case("ops.norm_empty_inf", lambda: torch.zeros(0).norm(INF))
    case("ops.norm_0d", lambda: torch.tensor(-3.0).norm())
    case("ops.vector_norm", lambda: torch.linalg.vector_norm(R()), "ulp:2")
    case("ops.vector_norm_inf_dim", lambda: torch.linalg.vector_norm(R(), INF, dim=1))
    case("ops.vector_norm_p3_keepdim", lambda: torch.linalg.vector_norm(A(), 3, dim=(1,), keepdim=True), "ulp:4")
    case("ops.matrix_norm", lambda: torch.linalg.matrix_norm(R()), "ulp:2")
    case("ops.matrix_norm_1", lambda: torch.linalg.matrix_norm(R(), 1))
    case("ops.matrix_norm_neg1", lambda: torch.linalg.matrix_norm(R(), -1))
    case("ops.matrix_norm_inf", lambda: torch.linalg.matrix_norm(R(), INF), "ulp:2")
    case("ops.matrix_norm_neg_inf_batched", lambda: torch.linalg.matrix_norm(A(), -INF))
    case("ops.matrix_norm_dims_keepdim", lambda: torch.linalg.matrix_norm(A(), 1, dim=(0, 2), keepdim=True))
    case("ops.amax", lambda: A().amax(1))
    case("ops.amin_dims_keepdim", lambda: A().amin((0, 2), keepdim=True))
    case("ops.grad.norm", lambda: grad_of(lambda x: x.norm(), R()), "ulp:4")
    case("ops.grad.norm_inf_ties", lambda: grad_of(lambda x: x.norm(INF), torch.tensor([1.0, -3.0, 3.0, 2.0])))
    case("ops.grad.norm_1_dim", lambda: grad_of(lambda x: x.norm(1, dim=1).sum(), R()))
    case("ops.grad.norm_3", lambda: grad_of(lambda x: x.norm(3), R()), "ulp:8")
    case("ops.grad.norm_zero", lambda: grad_of(lambda x: x.norm(), torch.zeros(3)))
    case("ops.grad.matrix_norm_1", lambda: grad_of(lambda x: torch.linalg.matrix_norm(x, 1), R()))
    case("ops.repr.norm", lambda: repr(rg(R()).norm().grad_fn.name()))
    case("ops.repr.vector_norm", lambda: repr(torch.linalg.vector_norm(rg(R())).grad_fn.name()))


def grad_of(f, x):
    x = x.clone().requires_grad_()
    (g,) = torch.autograd.grad(f(x), [x])
    return g


def shapes_and_moves():
    case("ops.tril", lambda: M()[:4, :5].tril())
    case("ops.tril_pos", lambda: M()[:4, :5].tril(1))
    case("ops.tril_neg", lambda: M()[:4, :5].tril(-2))
    case("ops.triu", lambda: M()[:4, :5].triu())
    case("ops.triu_pos", lambda: M()[:4, :5].triu(2))
    case("ops.triu_neg_batched", lambda: A().triu(-1))
    case("ops.tril_long", lambda: torch.ones(3, 3, dtype=I64).tril())
    case("ops.tril_bool_causal", lambda: torch.ones(4, 4).tril() == 0)
    case("ops.tril_transposed", lambda: M()[:3, :3].t().tril())
    case("ops.diag_1d", lambda: V().diag())
    case("ops.diag_1d_pos", lambda: V().diag(1))
    case("ops.diag_1d_neg", lambda: V().diag(-2))
    case("ops.diag_2d", lambda: M()[:3, :5].diag())
    case("ops.diag_2d_pos", lambda: M()[:3, :5].diag(2))
    case("ops.diag_2d_neg", lambda: M()[:4, :3].diag(-1))
    case("ops.diag_2d_past_the_end", lambda: M()[:2, :2].diag(2))
    case("ops.diag_transposed", lambda: M()[:3, :4].t().diag(1))
    case("ops.flip", lambda: A().flip(0))
    case("ops.flip_two", lambda: A().flip((0, -1)))
    case("ops.flip_bool", lambda: torch.tensor([True, False, False]).flip(0))
    case("ops.roll", lambda: torch.arange(10).roll(3))
    case("ops.roll_flat_2d", lambda: M()[:2, :3].roll(-1))
    case("ops.roll_dim", lambda: A().roll(1, 2))
    case("ops.roll_dims", lambda: A().roll((1, -4), (1, 0)))
    case("ops.roll_big_shift", lambda: M()[:2].roll(19, 1))
    case("ops.repeat", lambda: R()[:2, :2].repeat(2, 3))
    case("ops.repeat_new_dims", lambda: V().repeat(2, 1, 2))
    case("ops.repeat_zero", lambda: V().repeat(0, 2))
    case("ops.repeat_0d", lambda: torch.tensor(1.5).repeat(3))
    case("ops.tile", lambda: R()[:2, :2].tile((2,)))
    case("ops.tile_more", lambda: V().tile((2, 2)))
    case("ops.outer", lambda: torch.outer(V(), torch.tensor([1.0, -2.0, 0.5])))
    case("ops.outer_long", lambda: torch.outer(torch.tensor([1, 2]), torch.tensor([3, 4, 5])))
    case("ops.view_as", lambda: M().view_as(torch.zeros(4, 12)), "exact", True)
    case("ops.flatten_start", lambda: A().flatten(1), "exact", True)
    case("ops.movedim", lambda: A().movedim(0, 2), "exact", True)
    case("ops.new_zeros", lambda: torch.ones(2, dtype=F64).new_zeros(2, 3))
    case("ops.new_ones", lambda: torch.ones(2, dtype=I64).new_ones(3))
    case("ops.new_full", lambda: torch.ones(2).new_full((2, 2), 2.5))
    case("ops.new_tensor", lambda: torch.ones(2, dtype=F64).new_tensor([1.0, 2.0]))
    case("ops.new_empty_shape", lambda: torch.ones(2).new_empty(0, 3))


def masked():
    case("ops.masked_fill", lambda: R().masked_fill(R() > 0, -1.0))
    case("ops.masked_fill_broadcast_mask", lambda: R().masked_fill(torch.tensor([True, False, True, False]), 9.0))
    case("ops.masked_fill_broadcast_self", lambda: V().masked_fill(torch.tensor([[True], [False]]), 0.5))
    case("ops.masked_fill_tensor_value", lambda: R().masked_fill(R() < 0, torch.tensor(7.0)))
    case("ops.masked_fill_double_value", lambda: R().masked_fill(R() < 0, torch.tensor(0.1, dtype=F64)))
    case("ops.masked_fill_long", lambda: torch.arange(5).masked_fill(torch.arange(5) > 2, 2.7))
    case("ops.masked_fill_neg_inf", lambda: torch.zeros(3, 3).masked_fill(torch.ones(3, 3).tril() == 0, -INF).softmax(-1), "ulp:1")
    case("ops.masked_fill_", lambda: inplace(R(), lambda t: t.masked_fill_(R() > 1, 0.0)))
    case("ops.masked_fill_tensor_", lambda: inplace(R(), lambda t: t.masked_fill_(torch.tensor([True, False, True, False]), torch.tensor(-2.0))))
    case("ops.grad.masked_fill", lambda: grad_of(lambda x: (x.masked_fill(x > 0, 2.0) * x).sum(), R()))
    case("ops.grad.masked_fill_value", lambda: grad_of(lambda v: (R().masked_fill(R() > 0, v) * R()).sum(), torch.tensor(1.0)), "ulp:2")


def inplace(t, f):
    r = f(t)
    assert r is t
    return t


def sorting():
    case("ops.sort", lambda: P().sort())
    case("ops.sort_dim0_desc", lambda: P().sort(0, descending=True))
    case("ops.sort_ties_stable", lambda: T().sort(stable=True))
    case("ops.sort_ties_desc_stable", lambda: T().sort(descending=True, stable=True))
    case("ops.sort_ties_default", lambda: T().sort())
    case("ops.sort_long", lambda: torch.tensor([5, -2, 7, 5, 0]).sort(descending=True))
    case("ops.sort_bool", lambda: torch.tensor([True, False, True, False]).sort())
    case("ops.sort_0d", lambda: torch.tensor(2.5).sort())
    case("ops.sort_empty", lambda: torch.zeros(2, 0).sort())
    case("ops.sort_transposed", lambda: P().t().sort(1))
    case("ops.sort_signed_zeros", lambda: torch.tensor([0.0, -0.0, 0.0, -1.0, -0.0]).sort(stable=True))
    case("ops.sort_double_desc_stable", lambda: torch.tensor([0.5, -0.0, NAN, 0.5, 0.0, -INF], dtype=F64).sort(descending=True, stable=True))
    case("ops.topk_nan", lambda: torch.tensor([1.0, NAN, 3.0, -INF]).topk(2))
    case("ops.topk_smallest_inf", lambda: torch.tensor([1.0, -INF, 3.0, -2.0]).topk(2, largest=False))
    case("ops.argsort", lambda: P().argsort())
    case("ops.argsort_desc", lambda: P().argsort(0, descending=True))
    case("ops.topk", lambda: P().topk(2))
    case("ops.topk_dim0_smallest", lambda: P().topk(2, dim=0, largest=False))
    case("ops.topk_all", lambda: V().topk(4))
    case("ops.topk_zero", lambda: V().topk(0))
    case("ops.topk_long", lambda: torch.tensor([4, 9, -1, 3]).topk(3))
    case("ops.repr.sort", lambda: str(P()[0].sort()))
    case("ops.repr.topk", lambda: str(P()[0].topk(2)))
    case("ops.grad.sort", lambda: grad_of(lambda x: (x.sort(1)[0] * torch.arange(4.0)).sum(), P()))
    case("ops.grad.topk", lambda: grad_of(lambda x: (x.topk(2, 0)[0] * torch.tensor([[1.0], [-2.0]])).sum(), P()))


def cumulative():
    case("ops.cumsum", lambda: R().cumsum(1), "ulp:1")
    case("ops.cumsum_dim0", lambda: A().cumsum(0))
    case("ops.cumsum_neg_dim", lambda: A().cumsum(-1))
    case("ops.cumsum_long", lambda: torch.tensor([1, 2, 3]).cumsum(0))
    case("ops.cumsum_bool", lambda: torch.tensor([True, False, True]).cumsum(0))
    case("ops.cumsum_dtype", lambda: torch.tensor([1, 2, 3]).cumsum(0, dtype=F32))
    case("ops.cumsum_float_rounding", lambda: torch.full((1000,), 0.1).cumsum(0))
    case("ops.cumsum_0d", lambda: torch.tensor(2.0).cumsum(0))
    case("ops.cumsum_empty", lambda: torch.zeros(0, 3).cumsum(0))
    case("ops.cumprod", lambda: R().cumprod(1))
    case("ops.cumprod_long", lambda: torch.tensor([1, -2, 3, 4]).cumprod(0))
    case("ops.cumprod_dtype", lambda: R().cumprod(0, dtype=F64))
    case("ops.grad.cumsum", lambda: grad_of(lambda x: (x.cumsum(1) * R()).sum(), R()), "ulp:2")
    case("ops.grad.cumprod", lambda: grad_of(lambda x: (x.cumprod(1) * R()).sum(), R()), "ulp:8")
    case("ops.grad.cumprod_zero", lambda: grad_of(lambda x: (x.cumprod(0) * torch.tensor([1.0, 2.0, -1.0, 0.5])).sum(), torch.tensor([2.0, 0.0, 3.0, -1.5])), "ulp:2")
    case("ops.grad.cumprod_two_zeros", lambda: grad_of(lambda x: (x.cumprod(0) * torch.tensor([1.0, 2.0, -1.0, 0.5])).sum(), torch.tensor([2.0, 0.0, 3.0, 0.0])), "ulp:2")


def einsum():
    case("ops.einsum_matmul", lambda: torch.einsum("ij,jk->ik", R(), P().t()), "ulp:4")
    case("ops.einsum_implicit", lambda: torch.einsum("ij,jk", R(), P().t()), "ulp:4")
    case("ops.einsum_implicit_sorted", lambda: torch.einsum("ba", R()), "exact", True)
    case("ops.einsum_transpose", lambda: torch.einsum("ij->ji", R()), "exact", True)
    case("ops.einsum_sum", lambda: torch.einsum("ij->", R()), "ulp:4")
    case("ops.einsum_row_sum", lambda: torch.einsum("ij->i", R()), "ulp:2")
    case("ops.einsum_trace", lambda: torch.einsum("ii", M()[:4, :4]))
    case("ops.einsum_diag", lambda: torch.einsum("ii->i", M()[:4, :4]))
    case("ops.einsum_batched", lambda: torch.einsum("bij,bjk->bik", A(), A().transpose(1, 2)), "ulp:4")
    case("ops.einsum_ellipsis", lambda: torch.einsum("...ij,...jk->...ik", A(), R().t()), "ulp:4")
    case("ops.einsum_ellipsis_implicit", lambda: torch.einsum("...ij,jk", A(), R().t()), "ulp:4")
    case("ops.einsum_outer", lambda: torch.einsum("i,j->ij", V(), torch.tensor([1.0, 2.0])))
    case("ops.einsum_dot", lambda: torch.einsum("i,i->", V(), V()), "ulp:2")
    case("ops.einsum_hadamard", lambda: torch.einsum("ij,ij->ij", R(), R()))
    case("ops.einsum_three", lambda: torch.einsum("ij,jk,kl->il", R(), P().t(), R()), "ulp:8")
    case("ops.einsum_bilinear", lambda: torch.einsum("bn,anm,bm->ba", R()[:2], A()[:, :3, :4].transpose(1, 2), R()[:2, :3]), "ulp:8")
    case("ops.einsum_broadcast_ellipsis", lambda: torch.einsum("...i,...i->...", A(), V()), "ulp:4")
    case("ops.einsum_long", lambda: torch.einsum("ij,j->i", torch.arange(6).reshape(2, 3), torch.tensor([1, -1, 2])))
    case("ops.einsum_spaces", lambda: torch.einsum("i j , j k -> i k", R(), P().t()), "ulp:4")
    case("ops.grad.einsum", lambda: grad_of(lambda x: (torch.einsum("ij,jk->ik", x, P().t()) * torch.arange(9.0).reshape(3, 3)).sum(), R()), "ulp:4")
    case("ops.grad.einsum_trace", lambda: grad_of(lambda x: torch.einsum("ii", x), M()[:3, :3]))


def pointwise():
    case("ops.nan_to_num", lambda: S().nan_to_num())
    case("ops.nan_to_num_args", lambda: S().nan_to_num(nan=1.5, posinf=9.0, neginf=-9.0))
    case("ops.nan_to_num_double", lambda: S().double().nan_to_num())
    case("ops.nan_to_num_long", lambda: torch.tensor([1, 2]).nan_to_num())
    case("ops.lerp", lambda: R().lerp(P(), 0.3))
    case("ops.lerp_high_weight", lambda: R().lerp(P(), 0.8))
    case("ops.lerp_tensor_weight", lambda: R().lerp(P(), torch.tensor([0.0, 0.25, 0.5, 1.0])))
    case("ops.lerp_broadcast", lambda: V().lerp(torch.tensor([[1.0], [2.0]]), 0.5))
    case("ops.atan2", lambda: torch.atan2(R(), P()), "ulp:1")
    case("ops.atan2_special", lambda: torch.atan2(torch.tensor([0.0, -0.0, 1.0, -1.0, INF, NAN]), torch.tensor([-0.0, -1.0, 0.0, INF, INF, 1.0])), "ulp:1")
    case("ops.atan2_long", lambda: torch.atan2(torch.tensor([1, -1]), torch.tensor([2, 2])), "ulp:1")
    case("ops.atan2_broadcast", lambda: torch.atan2(V(), torch.tensor([[1.0], [-2.0]])), "ulp:1")
    x = lambda: torch.tensor([-30.0, -3.0, -1.0, -0.5, 0.0, 0.25, 1.0, 2.5, 15.0, 25.0, INF, -INF, NAN])
    case("ops.hardtanh", lambda: F.hardtanh(E()))
    case("ops.hardtanh_args", lambda: F.hardtanh(E(), -0.5, 2.0))
    case("ops.hardtanh_long", lambda: F.hardtanh(torch.tensor([-3, 0, 5])))
    case("ops.softplus", lambda: F.softplus(x()), "ulp:2")
    case("ops.softplus_beta", lambda: F.softplus(x(), beta=2.0, threshold=5.0), "ulp:2")
    case("ops.softplus_double", lambda: F.softplus(x().double()), "ulp:2")
    case("ops.silu", lambda: F.silu(x()), "ulp:2")
    case("ops.silu_double", lambda: F.silu(x().double()), "ulp:2")
    case("ops.mish", lambda: F.mish(x()), "ulp:2")
    case("ops.mish_double", lambda: F.mish(x().double()), "ulp:2")
    case("ops.grad.softplus", lambda: grad_of(lambda t: F.softplus(t, 2.0, 3.0).sum(), x()[:10]), "ulp:4")
    case("ops.grad.silu", lambda: grad_of(lambda t: F.silu(t).sum(), x()[:10]), "ulp:16")
    case("ops.grad.mish", lambda: grad_of(lambda t: F.mish(t).sum(), x()[:10]), "ulp:8")
    case("ops.grad.hardtanh", lambda: grad_of(lambda t: F.hardtanh(t).sum(), E()))
    case("ops.grad.atan2", lambda: grad_of(lambda t: torch.atan2(t, P()).sum(), R()), "ulp:4")
    case("ops.grad.lerp_weight", lambda: grad_of(lambda w: R().lerp(P(), w).sum(), torch.tensor([0.0, 0.25, 0.5, 1.0])), "ulp:2")
    case("ops.grad.nan_to_num", lambda: grad_of(lambda t: t.nan_to_num().sum(), S()))


def more():
    case("ops.isnan", lambda: S().isnan())
    case("ops.isinf", lambda: S().isinf())
    case("ops.isfinite", lambda: S().isfinite())
    case("ops.isfinite_long", lambda: torch.tensor([1, 2]).isfinite())
    case("ops.floor", lambda: E().floor())
    case("ops.ceil", lambda: E().ceil())
    case("ops.round", lambda: torch.tensor([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49, -0.51]).round())
    case("ops.trunc", lambda: R().mul(3).trunc())
    case("ops.frac", lambda: R().mul(3).frac())
    case("ops.floor_special", lambda: S().floor())
    case("ops.floor_long", lambda: torch.tensor([3, -2]).floor())
    case("ops.remainder", lambda: torch.tensor([5.0, -5.0, 5.0, -5.0, 0.0, 7.5]).remainder(torch.tensor([3.0, 3.0, -3.0, -3.0, 2.0, 2.0])))
    case("ops.remainder_scalar", lambda: R().remainder(1.5), "ulp:1")
    case("ops.remainder_long", lambda: torch.tensor([5, -5, 5, -5]).remainder(torch.tensor([3, 3, -3, -3])))
    case("ops.remainder_long_scalar", lambda: torch.tensor([5, -7]) % 3)
    case("ops.fmod", lambda: torch.tensor([5.0, -5.0, 5.0, -5.0, 0.0, 7.5]).fmod(torch.tensor([3.0, 3.0, -3.0, -3.0, 2.0, 2.0])))
    case("ops.fmod_long", lambda: torch.tensor([5, -5, 5, -5]).fmod(torch.tensor([3, 3, -3, -3])))
    case("ops.fmod_scalar_double", lambda: R().double().fmod(0.7))
    case("ops.logical_and", lambda: torch.tensor([1.0, 0.0, 2.0, 0.0]).logical_and(torch.tensor([True, True, False, False])))
    case("ops.logical_or", lambda: torch.tensor([1, 0, 2, 0]).logical_or(torch.tensor([0, 0, 3, 1])))
    case("ops.logical_xor", lambda: torch.tensor([True, False, True]).logical_xor(torch.tensor([[True], [False]])))
    case("ops.any", lambda: torch.tensor([0.0, 0.0, 1.0]).any())
    case("ops.all", lambda: torch.tensor([1, 2, 0]).all())
    case("ops.any_dim", lambda: (R() > 2).any(1))
    case("ops.all_dim_keepdim", lambda: (R() > -2).all(0, keepdim=True))
    case("ops.any_empty", lambda: torch.zeros(0).any())
    case("ops.all_empty", lambda: torch.zeros(0).all())
    case("ops.meshgrid_ij", lambda: torch.meshgrid(torch.arange(3.0), torch.tensor([1.5, 2.5]), indexing="ij"))
    case("ops.err.meshgrid_dtypes", lambda: torch.meshgrid(torch.arange(3), torch.tensor([1.5, 2.5]), indexing="ij"))
    case("ops.meshgrid_xy", lambda: torch.meshgrid(torch.arange(3), torch.arange(2), torch.arange(2), indexing="xy"))
    case("ops.where_scalar_first", lambda: torch.where(R() > 0, 1.0, R()))
    case("ops.where_scalars", lambda: torch.where(R() > 0, 1.0, -1.0))
    case("ops.grad.remainder", lambda: grad_of(lambda b: torch.tensor([5.0, -5.0, 7.5]).remainder(b).sum(), torch.tensor([3.0, 3.0, -2.0])))
    case("ops.grad.fmod", lambda: grad_of(lambda b: torch.tensor([5.0, -5.0, 7.5]).fmod(b).sum(), torch.tensor([3.0, 3.0, -2.0])))
    case("ops.grad.frac", lambda: grad_of(lambda t: t.frac().sum() + t.floor().sum(), R()))
    case("ops.err.remainder_zero", lambda: torch.tensor([1, 2]).remainder(torch.tensor([1, 0])))
    case("ops.err.frac_long", lambda: torch.tensor([1, 2]).frac())


def reductions_more():
    case("ops.trace", lambda: M()[:3, :4].trace())
    case("ops.trace_long", lambda: torch.arange(9).reshape(3, 3).trace())
    case("ops.var_mean", lambda: torch.var_mean(R(), dim=1), "ulp:4")
    case("ops.std_mean_all", lambda: torch.std_mean(R()), "ulp:4")
    case("ops.std_mean_correction_keepdim", lambda: torch.std_mean(A(), dim=(0, 2), correction=0, keepdim=True), "ulp:4")
    case("ops.grad.trace", lambda: grad_of(lambda t: t.trace(), R()))
    case("ops.err.trace_1d", lambda: torch.ones(3).trace())


def multinomial():
    def draw(f, seed=0):
        g = torch.Generator()
        g.manual_seed(seed)
        return f(g)
    p = torch.tensor([0.1, 0.2, 0.3, 0.4])
    p2 = torch.tensor([[0.5, 0.0, 2.0, 1.0, 0.25], [1.0, 1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 3.0, 0.0, 0.1]])
    case("ops.multinomial_one", lambda: draw(lambda g: torch.multinomial(p, 1, generator=g)))
    case("ops.multinomial_no_replacement", lambda: draw(lambda g: torch.multinomial(p, 4, generator=g)))
    case("ops.multinomial_2d", lambda: draw(lambda g: torch.multinomial(p2, 2, generator=g), 7))
    case("ops.multinomial_replacement", lambda: draw(lambda g: torch.multinomial(p, 20, replacement=True, generator=g), 3))
    case("ops.multinomial_replacement_2d", lambda: draw(lambda g: torch.multinomial(p2, 10, True, generator=g), 11))
    case("ops.multinomial_double", lambda: draw(lambda g: torch.multinomial(p2.double(), 2, generator=g), 5))
    case("ops.multinomial_double_replacement", lambda: draw(lambda g: torch.multinomial(p2.double(), 8, True, generator=g), 5))
    case("ops.multinomial_many", lambda: draw(lambda g: torch.multinomial(torch.arange(1.0, 101.0), 50, generator=g), 42))
    case("ops.multinomial_many_replacement", lambda: draw(lambda g: torch.multinomial(torch.arange(1.0, 101.0).reshape(4, 25), 200, True, generator=g), 42))
    case("ops.multinomial_unnormalised", lambda: draw(lambda g: torch.multinomial(torch.tensor([3.0, 1.0, 6.0]), 2, generator=g), 1))

    def default_gen():
        torch.manual_seed(123)
        a = torch.multinomial(p, 3)
        return torch.cat([a, torch.multinomial(p, 5, True)])
    case("ops.multinomial_default_generator", default_gen)


def errors():
    case("ops.err.norm_long", lambda: torch.ones(3, dtype=I64).norm())
    case("ops.err.vector_norm_long", lambda: torch.linalg.vector_norm(torch.ones(3, dtype=I64)))
    case("ops.err.matrix_norm_1d", lambda: torch.linalg.matrix_norm(torch.ones(3)))
    case("ops.err.tril_1d", lambda: torch.ones(3).tril())
    case("ops.err.diag_3d", lambda: torch.ones(2, 2, 2).diag())
    case("ops.err.topk_k", lambda: torch.ones(2).topk(3))
    case("ops.err.topk_bool", lambda: torch.tensor([True, False]).topk(1))
    case("ops.err.outer_2d", lambda: torch.ones(2, 2).outer(torch.ones(2)))
    case("ops.err.repeat_dims", lambda: torch.ones(2, 3).repeat(2))
    case("ops.err.roll_align", lambda: torch.ones(2).roll((1, 2), (0,)))
    case("ops.err.flip_repeat", lambda: torch.ones(2).flip((0, 0)))
    case("ops.err.flip_dim", lambda: torch.ones(2).flip(1))
    case("ops.err.lerp_long", lambda: torch.ones(2, dtype=I64).lerp(torch.ones(2, dtype=I64), 0.5))
    case("ops.err.lerp_dtype", lambda: torch.ones(2).lerp(torch.ones(2, dtype=F64), 0.5))
    case("ops.err.softplus_long", lambda: F.softplus(torch.ones(2, dtype=I64)))
    case("ops.err.silu_long", lambda: F.silu(torch.ones(2, dtype=I64)))
    case("ops.err.mish_long", lambda: F.mish(torch.ones(2, dtype=I64)))
    case("ops.err.hardtanh_bool", lambda: F.hardtanh(torch.ones(2, dtype=BOOL)))
    case("ops.err.masked_fill_value_dim", lambda: torch.ones(2).masked_fill(torch.ones(2) > 0, torch.ones(2)))
    case("ops.err.masked_fill_inplace_shape", lambda: torch.ones(2).masked_fill_(torch.ones(3, 2) > 0, 1.0))
    case("ops.err.cumsum_bool_dtype", lambda: torch.ones(2, 3).cumsum(0, dtype=BOOL))
    case("ops.err.cumsum_dim", lambda: torch.ones(2, 3).cumsum(2))
    case("ops.err.sort_dim", lambda: torch.ones(2, 3).sort(3))
    case("ops.err.multinomial_long", lambda: torch.multinomial(torch.ones(3, dtype=I64), 1))
    case("ops.err.multinomial_3d", lambda: torch.multinomial(torch.ones(1, 1, 3), 1))
    case("ops.err.multinomial_too_many", lambda: torch.multinomial(torch.ones(3), 4))
    case("ops.err.multinomial_zero_samples", lambda: torch.multinomial(torch.ones(3), 0))
    case("ops.err.multinomial_negative", lambda: torch.multinomial(torch.tensor([1.0, -1.0]), 1))
    case("ops.err.multinomial_zero_sum", lambda: torch.multinomial(torch.zeros(3), 2))
    case("ops.err.multinomial_replacement_negative", lambda: torch.multinomial(torch.tensor([1.0, -1.0]), 3, True))
    case("ops.err.multinomial_replacement_zero_sum", lambda: torch.multinomial(torch.zeros(3), 3, True))
    case("ops.err.einsum_operands", lambda: torch.einsum("ij,jk", torch.ones(2, 2)))
    case("ops.err.einsum_too_many", lambda: torch.einsum("ij", torch.ones(2, 2), torch.ones(2, 2)))
    case("ops.err.einsum_dims", lambda: torch.einsum("ijk", torch.ones(2, 2)))
    case("ops.err.einsum_output_label", lambda: torch.einsum("ij->k", torch.ones(2, 2)))


def main():
    norms()
    shapes_and_moves()
    masked()
    sorting()
    cumulative()
    einsum()
    pointwise()
    more()
    reductions_more()
    multinomial()
    errors()
    write_records("gen_ops_fixtures.py", "tools/gen_core_fixtures.py's docstring")


if __name__ == "__main__":
    main()
