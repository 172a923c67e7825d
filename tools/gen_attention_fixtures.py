#!/usr/bin/python3
"""Write the attention fixtures that jtorch's AttentionParityTest checks against.

Run with a real PyTorch (Debian's python3-torch, 1.13) from the repository root:

    /usr/bin/python3 tools/gen_attention_fixtures.py

It writes nn/src/test/resources/jtorch/nn/attention_fixtures.txt in the format of
tools/gen_nn_fixtures.py (whose docstring describes it, and whose helpers this script reuses), plus
state dicts saved by torch.save under nn/src/test/resources/jtorch/nn/attention/.

Records, besides gen_nn_fixtures' 'ing'/'in'/'gout'/'out'/'grad':
  t param <name> ...     a parameter of the module (state-dict name), loaded before the forward;
                         its 'grad' record is the gradient of the weighted sum
  case init_<...> mha_init <kw>     with 'param' records only: the parameters right after
                         torch.manual_seed(seed) and nn.MultiheadAttention(**kw), bit for bit
  case state_<...> mha_state <kw>   the state dict file (kw 'file'), an input and the output of the
                         module that loaded it

nn.MultiheadAttention cases ('mha') run the module in PyTorch 1.13 with the given constructor and
forward arguments; the back-propagated quantity is sum(out * gout) + sum(weights * gout_w) (the
second term when the weights are returned). q/k/v identity matters (self-attention takes the packed
projection), so kw 'inputs' says which of query/key/value are the same tensor: 'qkv' (all three),
'q_kv' (key is value) or 'q_k_v'.

F.scaled_dot_product_attention does not exist in PyTorch 1.13: 'sdpa' cases compute its documented
definition (PyTorch 2.x's docs) in torch ops, see sdpa_reference below.

Dropout cases (kw 'seed'): the default generator is seeded with it right before the call, and
dropout draws PyTorch's CPU mask, which jtorch reproduces bit for bit.

Tolerances are gen_nn_fixtures' 'reduced' (outputs) and 'grad' kinds: the computation is GEMMs,
a softmax and sums, composed in PyTorch's order.
"""
import math
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_nn_fixtures as nnf  # noqa: E402

F32, F64, BOOL = torch.float32, torch.float64, torch.bool
OUT = "nn/src/test/resources/jtorch/nn/attention_fixtures.txt"
STATE_DIR = "nn/src/test/resources/jtorch/nn/attention"


def gout_for(name, t):
    g = torch.Generator().manual_seed(nnf.seed_of(name))
    return (torch.rand(t.shape, generator=g, dtype=F64) * 2 - 1).to(t.dtype)


def kw_text(kw):
    return ";".join("%s=%s" % (k, nnf.kw_value(v)) for k, v in kw.items())


# ------------------------------------------------------------------------------ MultiheadAttention

def padding_mask(name, bsz, src_len, kind, dtype):
    """A key padding mask that masks a suffix of some rows but never a whole row."""
    g = torch.Generator().manual_seed(nnf.seed_of(name + "#kpm"))
    m = torch.zeros(bsz, src_len, dtype=BOOL)
    for b in range(bsz):
        n = int(torch.randint(0, src_len, (1,), generator=g))  # 0 .. src_len - 1 masked keys
        if n:
            m[b, src_len - n:] = True
    if kind == "bool":
        return m
    # float: large negative values where masked, small offsets elsewhere
    return torch.where(m, torch.tensor(-1e4, dtype=F64), nnf.rnd(name + "#kpmf", (bsz, src_len), F64, -0.5, 0.5)).to(dtype)


def attn_mask(name, shape, kind, dtype):
    """A bool mask (True = masked) that leaves at least the first key of every row, or a float one."""
    if kind == "causal":
        lq, s = shape[-2], shape[-1]
        m = torch.ones(lq, s, dtype=BOOL).triu(1)
        return m.expand(shape).clone()
    if kind == "bool":
        g = torch.Generator().manual_seed(nnf.seed_of(name + "#am"))
        m = torch.rand(shape, generator=g) < 0.4
        m[..., 0] = False
        return m
    if kind == "float":
        return nnf.rnd(name + "#amf", shape, dtype, -1.0, 1.0)
    if kind == "float_inf":  # -inf where a bool mask would be True
        b = attn_mask(name, shape, "bool", dtype)
        return torch.zeros(shape, dtype=dtype).masked_fill(b, float("-inf"))
    raise ValueError(kind)


def mha_case(name, ctor, dtype=F32, L=3, S=4, N=2, inputs="qkv", kpm=None, am=None, am3d=False, need_weights=True,
             average=True, training=False, unbatched=False, seed=None):
    assert name not in nnf.names_seen, name
    nnf.names_seen.add(name)
    torch.manual_seed(nnf.seed_of(name) % 1000)
    m = nn.MultiheadAttention(**ctor)
    if dtype == F64:
        m = m.double()
    # Non-zero biases, so that their gradients and effects are visible.
    with torch.no_grad():
        for pn, p in m.named_parameters():
            if "bias" in pn:
                p.copy_(nnf.rnd(name + "#" + pn, p.shape, dtype, -0.5, 0.5))
    m.train(training)
    E, H = ctor["embed_dim"], ctor["num_heads"]
    kdim, vdim = ctor.get("kdim") or E, ctor.get("vdim") or E
    bf = ctor.get("batch_first", False)

    def shp(seq, feat):
        if unbatched:
            return (seq, feat)
        return (N, seq, feat) if bf else (seq, N, feat)
    if inputs == "qkv":
        S = L
    kw = dict(ctor)
    kw.update(dtype=nnf.DTYPE_NAMES[dtype], inputs=inputs, need_weights=need_weights, average_attn_weights=average,
              training=training, unbatched=unbatched, seed=seed)
    nnf.out_lines.append("\t".join(["case", name, "mha", kw_text(kw)]))
    for pn, p in m.state_dict().items():
        nnf.t_record("param", pn, p)
    q = nnf.rnd(name + "#q", shp(L, E), dtype).requires_grad_()
    if inputs == "qkv":
        k = v = q
    elif inputs == "q_kv":
        k = v = nnf.rnd(name + "#k", shp(S, kdim), dtype).requires_grad_()
    else:
        k = nnf.rnd(name + "#k", shp(S, kdim), dtype).requires_grad_()
        v = nnf.rnd(name + "#v", shp(S, vdim), dtype).requires_grad_()
    nnf.t_record("ing", "query", q.detach())
    if inputs != "qkv":
        nnf.t_record("ing", "key", k.detach())
    if inputs == "q_k_v":
        nnf.t_record("ing", "value", v.detach())
    kpm_t = None
    if kpm is not None:
        kpm_t = padding_mask(name, N, S, kpm, dtype)
        if unbatched:
            kpm_t = kpm_t[0]
        nnf.t_record("in", "key_padding_mask", kpm_t)
    am_t = None
    if am is not None:
        am_shape = ((1 if unbatched else N) * H, L, S) if am3d else (L, S)
        am_t = attn_mask(name, am_shape, am, dtype)
        nnf.t_record("in", "attn_mask", am_t)
    if seed is not None:
        torch.manual_seed(seed)
    out, w = m(q, k, v, key_padding_mask=kpm_t, need_weights=need_weights, attn_mask=am_t, average_attn_weights=average)
    loss = (out * gout_for(name + "#gout", out)).sum()
    nnf.t_record("gout", "out", gout_for(name + "#gout", out))
    if w is not None:
        gw = gout_for(name + "#goutw", w)
        nnf.t_record("gout", "weights", gw)
        loss = loss + (w * gw).sum()
    loss.backward()
    nnf.t_record("out", "out", out.detach(), nnf.tol_for(out, "reduced"))
    if w is not None:
        nnf.t_record("out", "weights", w.detach(), nnf.tol_for(w, "reduced"))
    else:
        nnf.out_lines.append("\t".join(["t", "none", "weights", "BOOL", "", "-", ""]))
    scale = 1.0  # the gout values lie in [-1, 1]
    grads = [("query", q)] + ([("key", k)] if inputs != "qkv" else []) + ([("value", v)] if inputs == "q_k_v" else [])
    for arg, t in grads:
        nnf.t_record("grad", arg, t.grad, nnf.tol_for(t.grad, "grad", scale))
    for pn, p in m.named_parameters():
        gr = p.grad if p.grad is not None else torch.zeros_like(p)
        nnf.t_record("grad", pn, gr, nnf.tol_for(gr, "grad", scale))


def mha_cases():
    for dn, dt in (("f32", F32), ("f64", F64)):
        base = dict(embed_dim=8, num_heads=2)
        mha_case("mha_self_" + dn, base, dt)
        mha_case("mha_self_1head_" + dn, dict(embed_dim=6, num_heads=1), dt, L=4)
        mha_case("mha_cross_" + dn, base, dt, inputs="q_kv", S=5)
        mha_case("mha_qkv_distinct_" + dn, base, dt, inputs="q_k_v", S=5)
        mha_case("mha_batch_first_" + dn, dict(base, batch_first=True), dt)
        mha_case("mha_batch_first_cross_" + dn, dict(base, batch_first=True), dt, inputs="q_k_v", S=5)
        mha_case("mha_kdim_vdim_" + dn, dict(base, kdim=5, vdim=3), dt, inputs="q_k_v", S=4)
        mha_case("mha_kdim_bf_" + dn, dict(base, kdim=6, vdim=6, batch_first=True), dt, inputs="q_kv", S=3)
        mha_case("mha_nobias_" + dn, dict(base, bias=False), dt)
        mha_case("mha_bias_kv_" + dn, dict(base, add_bias_kv=True), dt, inputs="q_k_v", S=5)
        mha_case("mha_zero_attn_" + dn, dict(base, add_zero_attn=True), dt, inputs="q_kv", S=5)
        mha_case("mha_bias_kv_zero_attn_masks_" + dn, dict(base, add_bias_kv=True, add_zero_attn=True), dt, inputs="q_kv", S=5,
                 kpm="bool", am="bool")
        mha_case("mha_causal_" + dn, base, dt, L=4, am="causal")
        mha_case("mha_am_bool_" + dn, base, dt, inputs="q_kv", S=5, am="bool")
        mha_case("mha_am_float_" + dn, base, dt, inputs="q_kv", S=5, am="float")
        mha_case("mha_am_float_inf_" + dn, base, dt, inputs="q_kv", S=5, am="float_inf")
        mha_case("mha_am_3d_bool_" + dn, base, dt, inputs="q_kv", S=5, am="bool", am3d=True)
        mha_case("mha_am_3d_float_" + dn, base, dt, inputs="q_kv", S=5, am="float", am3d=True)
        mha_case("mha_kpm_bool_" + dn, base, dt, inputs="q_kv", S=5, N=3, kpm="bool")
        mha_case("mha_kpm_float_" + dn, base, dt, inputs="q_kv", S=5, N=3, kpm="float")
        mha_case("mha_kpm_am_bool_" + dn, base, dt, inputs="q_kv", S=5, N=3, kpm="bool", am="bool")
        mha_case("mha_kpm_am_float_" + dn, base, dt, inputs="q_kv", S=5, N=3, kpm="bool", am="float")
        mha_case("mha_kpm_causal_bf_" + dn, dict(base, batch_first=True), dt, L=5, N=3, kpm="bool", am="causal")
        mha_case("mha_no_weights_" + dn, base, dt, need_weights=False, kpm="bool")
        mha_case("mha_heads_weights_" + dn, base, dt, inputs="q_kv", S=5, average=False, am="bool")
        mha_case("mha_4heads_" + dn, dict(embed_dim=8, num_heads=4), dt, L=5, average=False)
        mha_case("mha_unbatched_" + dn, base, dt, unbatched=True)
        mha_case("mha_unbatched_masks_" + dn, base, dt, inputs="q_kv", S=5, unbatched=True, kpm="bool", am="bool", am3d=True)
        mha_case("mha_unbatched_kdim_" + dn, dict(base, kdim=3, vdim=5), dt, inputs="q_k_v", S=4, unbatched=True, need_weights=False)
        mha_case("mha_train_dropout0_" + dn, base, dt, training=True)
        mha_case("mha_train_dropout_" + dn, dict(base, dropout=0.3), dt, training=True, seed=7, am="bool", inputs="q_kv", S=5)
        mha_case("mha_eval_dropout_" + dn, dict(base, dropout=0.3), dt, training=False)


def init_cases():
    for name, seed, ctor in (
            ("init_default", 0, dict(embed_dim=8, num_heads=2)),
            ("init_nobias", 1, dict(embed_dim=6, num_heads=3, bias=False)),
            ("init_bias_kv", 2, dict(embed_dim=8, num_heads=4, add_bias_kv=True)),
            ("init_kdim_vdim", 3, dict(embed_dim=8, num_heads=2, kdim=5, vdim=3, add_bias_kv=True)),
            ("init_large", 4, dict(embed_dim=64, num_heads=8))):
        torch.manual_seed(seed)
        m = nn.MultiheadAttention(**ctor)
        nnf.out_lines.append("\t".join(["case", name, "mha_init", kw_text(dict(ctor, seed=seed))]))
        for pn, p in m.state_dict().items():
            nnf.t_record("param", pn, p, "exact")
        nnf.repr_case("repr_" + name, m)


def state_cases():
    os.makedirs(STATE_DIR, exist_ok=True)
    for name, seed, ctor, inputs in (
            ("state_self_bf", 10, dict(embed_dim=8, num_heads=2, batch_first=True, add_bias_kv=True), "qkv"),
            ("state_kdim_vdim", 11, dict(embed_dim=8, num_heads=4, kdim=5, vdim=6), "q_k_v")):
        torch.manual_seed(seed)
        m = nn.MultiheadAttention(**ctor)
        with torch.no_grad():  # as after some training: no zero biases
            for p in m.parameters():
                p.add_(torch.randn(p.shape) * 0.1)
        m.eval()
        path = os.path.join(STATE_DIR, name + ".pt")
        torch.save(m.state_dict(), path)
        bf = ctor.get("batch_first", False)
        shp = (lambda s, f: (2, s, f) if bf else (s, 2, f))
        q = nnf.rnd(name + "#q", shp(3, 8), F32)
        if inputs == "qkv":
            k = v = q
        else:
            k = nnf.rnd(name + "#k", shp(4, ctor["kdim"]), F32)
            v = nnf.rnd(name + "#v", shp(4, ctor["vdim"]), F32)
        with torch.no_grad():
            out, w = m(q, k, v)
        nnf.out_lines.append("\t".join(["case", name, "mha_state", kw_text(dict(ctor, file=name + ".pt", inputs=inputs))]))
        nnf.t_record("in", "query", q)
        if inputs != "qkv":
            nnf.t_record("in", "key", k)
            nnf.t_record("in", "value", v)
        nnf.t_record("out", "out", out, nnf.tol_for(out, "reduced"))
        nnf.t_record("out", "weights", w, nnf.tol_for(w, "reduced"))


def mha_errors():
    def mha(**kw):
        torch.manual_seed(0)
        return nn.MultiheadAttention(**kw)
    x = torch.randn(3, 2, 8)
    nnf.error_case("err.mha_not_divisible", lambda: mha(embed_dim=8, num_heads=3))
    nnf.error_case("err.mha_embed_dim", lambda: mha(embed_dim=8, num_heads=2)(torch.randn(3, 2, 6), torch.randn(3, 2, 6),
                                                                              torch.randn(3, 2, 6)))
    nnf.error_case("err.mha_query_4d", lambda: mha(embed_dim=8, num_heads=2)(torch.randn(1, 3, 2, 8), x, x))
    nnf.error_case("err.mha_key_2d", lambda: mha(embed_dim=8, num_heads=2)(x, torch.randn(3, 8), torch.randn(3, 8)))
    nnf.error_case("err.mha_unbatched_key_3d", lambda: mha(embed_dim=8, num_heads=2)(torch.randn(3, 8), x, x))
    nnf.error_case("err.mha_kv_shape", lambda: mha(embed_dim=8, num_heads=2)(x, torch.randn(4, 2, 8), torch.randn(5, 2, 8)))
    nnf.error_case("err.mha_kv_seq_batch", lambda: mha(embed_dim=8, num_heads=2, kdim=4, vdim=4)(
        x, torch.randn(4, 2, 4), torch.randn(5, 2, 4)))
    nnf.error_case("err.mha_kdim_weights", lambda: mha(embed_dim=8, num_heads=2, kdim=4, vdim=4)(
        x, torch.randn(4, 2, 5), torch.randn(4, 2, 4)))
    nnf.error_case("err.mha_attn_mask_2d_shape", lambda: mha(embed_dim=8, num_heads=2)(x, x, x, attn_mask=torch.zeros(3, 4)))
    nnf.error_case("err.mha_attn_mask_3d_shape", lambda: mha(embed_dim=8, num_heads=2)(x, x, x, attn_mask=torch.zeros(2, 3, 3)))
    nnf.error_case("err.mha_attn_mask_4d", lambda: mha(embed_dim=8, num_heads=2)(x, x, x, attn_mask=torch.zeros(1, 4, 3, 3)))
    nnf.error_case("err.mha_attn_mask_dtype", lambda: mha(embed_dim=8, num_heads=2)(x, x, x, attn_mask=torch.zeros(3, 3,
                                                                                                                 dtype=torch.int64)))
    nnf.error_case("err.mha_kpm_dtype", lambda: mha(embed_dim=8, num_heads=2)(x, x, x, key_padding_mask=torch.zeros(
        2, 3, dtype=torch.int64)))
    nnf.error_case("err.mha_kpm_dim", lambda: mha(embed_dim=8, num_heads=2)(x, x, x, key_padding_mask=torch.zeros(2, 3, 1,
                                                                                                               dtype=BOOL)))
    nnf.error_case("err.mha_kpm_shape", lambda: mha(embed_dim=8, num_heads=2)(x, x, x, key_padding_mask=torch.zeros(
        2, 4, dtype=BOOL)))
    nnf.error_case("err.mha_kpm_shape_bias_kv", lambda: mha(embed_dim=8, num_heads=2, add_bias_kv=True)(
        x, x, x, key_padding_mask=torch.zeros(3, 3, dtype=BOOL)))
    nnf.error_case("err.mha_unbatched_kpm_dim", lambda: mha(embed_dim=8, num_heads=2)(
        torch.randn(3, 8), torch.randn(3, 8), torch.randn(3, 8), key_padding_mask=torch.zeros(1, 3, dtype=BOOL)))
    nnf.error_case("err.mha_unbatched_attn_mask_3d", lambda: mha(embed_dim=8, num_heads=2)(
        torch.randn(3, 8), torch.randn(4, 8), torch.randn(4, 8), attn_mask=torch.zeros(1, 3, 4)))
    nnf.error_case("err.mha_attn_mask_1d", lambda: mha(embed_dim=8, num_heads=2)(x, x, x, attn_mask=torch.zeros(3)))


# ------------------------------------------------------------------------------ scaled_dot_product_attention

def sdpa_reference(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
    """torch.nn.functional.scaled_dot_product_attention as PyTorch 2.x documents it."""
    L, S = query.size(-2), key.size(-2)
    scale_factor = 1 / math.sqrt(query.size(-1)) if scale is None else scale
    attn_bias = torch.zeros(L, S, dtype=query.dtype)
    if is_causal:
        assert attn_mask is None
        temp_mask = torch.ones(L, S, dtype=torch.bool).tril(diagonal=0)
        attn_bias = attn_bias.masked_fill(temp_mask.logical_not(), float("-inf"))
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            attn_bias = attn_bias.masked_fill(attn_mask.logical_not(), float("-inf"))
        else:
            attn_bias = attn_bias + attn_mask
    attn_weight = query @ key.transpose(-2, -1) * scale_factor
    attn_weight = attn_weight + attn_bias
    attn_weight = torch.softmax(attn_weight, dim=-1)
    attn_weight = torch.dropout(attn_weight, dropout_p, train=True)
    return attn_weight @ value


def sdpa_case(name, dtype, qs, ks, vs, mask=None, mask_shape=None, dropout_p=0.0, is_causal=False, scale=None, seed=None):
    q = nnf.rnd(name + "#q", qs, dtype)
    k = nnf.rnd(name + "#k", ks, dtype)
    v = nnf.rnd(name + "#v", vs, dtype)
    inputs = {"query": (q, True), "key": (k, True), "value": (v, True)}
    if mask is not None:
        m = attn_mask(name, mask_shape, mask, dtype)
        if mask == "bool" or mask == "causal":
            m = m.logical_not()  # SDPA's bool masks say True = take part
        inputs["attn_mask"] = (m, mask == "float")

    def fn(query, key, value, attn_mask=None):
        if seed is not None:
            torch.manual_seed(seed)
        return sdpa_reference(query, key, value, attn_mask, dropout_p, is_causal, scale)
    nnf.case(name, "sdpa", dict(dropout_p=dropout_p, is_causal=is_causal, scale=scale, seed=seed), inputs, fn, "reduced")


def sdpa_cases():
    for dn, dt in (("f32", F32), ("f64", F64)):
        sdpa_case("sdpa_3d_" + dn, dt, (2, 3, 4), (2, 5, 4), (2, 5, 3))
        sdpa_case("sdpa_4d_" + dn, dt, (2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 6))
        sdpa_case("sdpa_2d_" + dn, dt, (3, 4), (5, 4), (5, 2))
        sdpa_case("sdpa_causal_" + dn, dt, (2, 4, 3), (2, 4, 3), (2, 4, 3), is_causal=True)
        sdpa_case("sdpa_causal_rect_" + dn, dt, (2, 3, 3), (2, 5, 3), (2, 5, 3), is_causal=True)
        sdpa_case("sdpa_bool_mask_" + dn, dt, (2, 3, 4), (2, 5, 4), (2, 5, 3), mask="bool", mask_shape=(2, 3, 5))
        sdpa_case("sdpa_bool_mask_bcast_" + dn, dt, (2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 3), mask="bool", mask_shape=(3, 5))
        sdpa_case("sdpa_float_mask_" + dn, dt, (2, 3, 4), (2, 5, 4), (2, 5, 3), mask="float", mask_shape=(2, 3, 5))
        sdpa_case("sdpa_float_mask_bcast_" + dn, dt, (2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 3), mask="float", mask_shape=(1, 2, 3, 5))
        sdpa_case("sdpa_scale_" + dn, dt, (2, 3, 4), (2, 5, 4), (2, 5, 3), scale=0.3)
        sdpa_case("sdpa_dropout_" + dn, dt, (2, 3, 4), (2, 5, 4), (2, 5, 3), dropout_p=0.4, seed=5)
        sdpa_case("sdpa_bcast_batch_" + dn, dt, (2, 2, 3, 4), (1, 2, 5, 4), (1, 2, 5, 3))


def main():
    mha_cases()
    init_cases()
    state_cases()
    mha_errors()
    sdpa_cases()
    lines = nnf.out_lines
    n_cases = sum(1 for line in lines if line.startswith("case\t"))
    n_tensors = sum(1 for line in lines if line.startswith("t\t"))
    n_errors = sum(1 for line in lines if line.startswith("error\t"))
    with open(OUT, "w") as f:
        f.write("# Generated by tools/gen_attention_fixtures.py with torch %s; do not edit.\n" % torch.__version__)
        f.write("# Format: see the script's docstring. %d cases (%d tensors), %d errors.\n" % (n_cases, n_tensors, n_errors))
        for line in lines:
            f.write(line + "\n")
    print("wrote %s: %d cases, %d tensors, %d errors" % (OUT, n_cases, n_tensors, n_errors))


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
