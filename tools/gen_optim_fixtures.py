#!/usr/bin/python3
"""Write the optimizer and learning-rate scheduler fixtures that jtorch's optim tests check against.

Run with a real PyTorch (Debian's python3-torch, 1.13) from the repository root:

    /usr/bin/python3 tools/gen_optim_fixtures.py

It writes optim/src/test/resources/jtorch/optim/optim_fixtures.txt. One record per line,
tab-separated, '#' starts a comment line. Floating-point numbers are written as Python's
float.hex() (exact; Java's Double.parseDouble reads them); float32 values are the hex of the
float32 value widened to double. Option values are Python reprs ('0.9', 'True', tuples as '0.9,0.999').

Optimizer trajectories
----------------------
A fixed model of three parameters (p0 of shape (2, 3), p1 of shape (5,), p2 0-dim) with targets
t0, t1, t2 of the same shapes, in float64 and in float32:

    model   <dtype>  <name>  <shape>  <values>          (p0 p1 p2 t0 t1 t2)

Each step sets the gradient of every parameter directly to ``p*p*p - t`` (the gradient of
sum(p**4/4 - t*p), computed as ((p*p)*p) - t), except that p1 gets no gradient (None) on every
third step (steps 3, 6, ...) so that skipped parameters are covered too. Setting the gradient
rather than calling backward() keeps the fixture about the optimizer's arithmetic only. Then:

    case    <name>  <Optimizer>  <dtype>  <steps>
    group   <param indices>  <key=value;key=value...>   (one per param group, in order; the
                                                          first group's options are the defaults)
    step    <k>  <param index>  <values>                 (parameter values after step k)
    state   <param index>  <key>  <kind>  <values>       (the final state_dict()['state'] entry:
                                                          kind 'tensor:<dtype>:<shape>', 'int',
                                                          'float' or 'None')
    pgroup  <group index>  <repr of the final state_dict()['param_groups'][i]>
                                                          (keys jtorch has: foreach, capturable,
                                                          differentiable and fused are dropped)
    end

LBFGS
-----
    lbfgs   <name>  <dtype>  <steps>  <options>
    loss    <k>  <loss returned by step k>
    step    <k>  <param index>  <values>
    state   <key>  <kind>  <values>                      (see run_lbfgs)
    end

Learning-rate schedulers
------------------------
    sched   <name>  <Scheduler>  <Optimizer>  <group options, '|' between groups>  <args>  <steps>
    metrics <values>                                     (ReduceLROnPlateau: step(metric) inputs)
    lr      <group>  <values>                            (get_last_lr() after construction (for
                                                          ReduceLROnPlateau: the initial lrs), then
                                                          after each of <steps> steps)
    momentum <group> <values>                            (OneCycleLR, CyclicLR: the group's momentum or
                                                          betas[0], at the same points)
    end

<args> are the scheduler's keyword arguments as key=value separated by ';' (lists
comma-separated). Each scheduler step is preceded by an optimizer.step() (with no gradients, so
nothing moves) as PyTorch wants. The name 'chained' is LinearLR(start_factor=0.5, total_iters=4)
and ExponentialLR(gamma=0.9) on the same optimizer, both stepped every epoch.
LambdaLR and MultiplicativeLR name their functions (see LAMBDAS); SequentialLR and ChainedScheduler
records combine the schedulers that sub_schedulers() builds for the record's name.

Errors, reprs and defaults
--------------------------
    error    <name>  <Python exception type>  <message>   (a call that PyTorch refuses; the Java
                                                          test makes the same call, by name)
    repr     <hex>   <Python's repr of that float>        (for jtorch.optim.PyFormat)
    defaults <Optimizer>  <repr of the param group of Optimizer([p]) (SGD: lr=0.1)>

Everything is deterministic, so running the script again reproduces the file byte for byte.
"""
import os
import sys

import torch
from torch import optim
from torch.optim import lr_scheduler as S

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "optim", "src", "test", "resources",
                   "jtorch", "optim", "optim_fixtures.txt")

F32, F64 = torch.float32, torch.float64
DTYPE_NAMES = {F32: "FLOAT32", F64: "FLOAT64", torch.int64: "INT64"}
DROPPED_KEYS = {"foreach", "capturable", "differentiable", "fused"}

lines = []


def emit(*fields):
    lines.append("\t".join(str(f) for f in fields))


def hexes(t):
    return " ".join(float(v).hex() for v in t.detach().reshape(-1).tolist())


def shape_str(t):
    return ",".join(str(s) for s in t.shape)


def opt_value(v):
    if isinstance(v, bool):
        return repr(v)
    if isinstance(v, (tuple, list)):
        return ",".join(opt_value(x) for x in v)
    return repr(v)


def opts_str(opts):
    return ";".join("%s=%s" % (k, opt_value(v)) for k, v in opts.items())


# ------------------------------------------------------------------ optimizer trajectories

MODEL = {
    "p0": [[0.5, -1.2, 0.8], [1.5, -0.3, 0.05]],
    "p1": [-0.7, 0.2, 1.1, -1.4, 0.9],
    "p2": 0.6,
    "t0": [[0.1, 0.2, -0.3], [0.4, -0.5, 0.6]],
    "t1": [0.3, -0.2, 0.1, 0.5, -0.4],
    "t2": -0.25,
}


def model(dtype):
    params = [torch.tensor(MODEL[n], dtype=dtype, requires_grad=True) for n in ("p0", "p1", "p2")]
    targets = [torch.tensor(MODEL[n], dtype=dtype) for n in ("t0", "t1", "t2")]
    return params, targets


def set_grads(params, targets, k):
    with torch.no_grad():
        for i, (p, t) in enumerate(zip(params, targets)):
            if i == 1 and k % 3 == 0:
                p.grad = None
            else:
                p.grad = p * p * p - t


OPTIMIZERS = {"SGD": optim.SGD, "Adam": optim.Adam, "AdamW": optim.AdamW, "RMSprop": optim.RMSprop,
              "Adagrad": optim.Adagrad, "Adadelta": optim.Adadelta, "Adamax": optim.Adamax, "NAdam": optim.NAdam,
              "RAdam": optim.RAdam, "ASGD": optim.ASGD}

# name, optimizer, dtype, groups: list of (param indices, options)
CASES = [
    ("sgd_plain", "SGD", F64, [([0, 1, 2], dict(lr=0.05))]),
    ("sgd_momentum", "SGD", F64, [([0, 1, 2], dict(lr=0.05, momentum=0.9))]),
    ("sgd_dampening_wd", "SGD", F64, [([0, 1, 2], dict(lr=0.05, momentum=0.5, dampening=0.3, weight_decay=0.1))]),
    ("sgd_nesterov_wd", "SGD", F64, [([0, 1, 2], dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01))]),
    ("sgd_maximize", "SGD", F64, [([0, 1, 2], dict(lr=0.005, momentum=0.8, maximize=True))]),
    ("sgd_groups", "SGD", F64, [([0], dict(lr=0.05, momentum=0.9)), ([1, 2], dict(lr=0.02, weight_decay=0.2))]),
    ("adam_default", "Adam", F64, [([0, 1, 2], dict(lr=0.01))]),
    ("adam_wd_amsgrad", "Adam", F64, [([0, 1, 2], dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1,
                                                       amsgrad=True))]),
    ("adam_maximize", "Adam", F64, [([0, 1, 2], dict(lr=0.01, maximize=True))]),
    ("adam_groups", "Adam", F64, [([0, 2], dict(lr=0.01)), ([1], dict(lr=0.05, betas=(0.5, 0.9), amsgrad=True))]),
    ("adamw_default", "AdamW", F64, [([0, 1, 2], dict(lr=0.01))]),
    ("adamw_amsgrad", "AdamW", F64, [([0, 1, 2], dict(lr=0.02, weight_decay=0.1, amsgrad=True))]),
    ("adamw_no_amsgrad_wd", "AdamW", F64, [([0, 1, 2], dict(lr=0.02, weight_decay=0.1, eps=1e-4))]),
    ("adamw_maximize", "AdamW", F64, [([0, 1, 2], dict(lr=0.01, betas=(0.85, 0.995), maximize=True))]),
    ("rmsprop_default", "RMSprop", F64, [([0, 1, 2], dict(lr=0.01))]),
    ("rmsprop_centered", "RMSprop", F64, [([0, 1, 2], dict(lr=0.01, alpha=0.9, centered=True))]),
    ("rmsprop_momentum", "RMSprop", F64, [([0, 1, 2], dict(lr=0.01, momentum=0.9))]),
    ("rmsprop_centered_momentum_wd", "RMSprop", F64, [([0, 1, 2], dict(lr=0.005, momentum=0.5, centered=True,
                                                                        weight_decay=0.1, eps=1e-4))]),
    ("rmsprop_maximize", "RMSprop", F64, [([0, 1, 2], dict(lr=0.001, maximize=True))]),
    ("adagrad_default", "Adagrad", F64, [([0, 1, 2], dict(lr=0.1))]),
    ("adagrad_all", "Adagrad", F64, [([0, 1, 2], dict(lr=0.1, lr_decay=0.05, weight_decay=0.05,
                                                      initial_accumulator_value=0.1, eps=1e-3))]),
    ("adagrad_maximize", "Adagrad", F64, [([0, 1, 2], dict(lr=0.05, maximize=True))]),
    ("sgd_nesterov_f32", "SGD", F32, [([0, 1, 2], dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01))]),
    ("adam_amsgrad_f32", "Adam", F32, [([0, 1, 2], dict(lr=0.01, weight_decay=0.1, amsgrad=True))]),
    ("adamw_f32", "AdamW", F32, [([0, 1, 2], dict(lr=0.01))]),
    ("rmsprop_centered_momentum_f32", "RMSprop", F32, [([0, 1, 2], dict(lr=0.01, momentum=0.9, centered=True))]),
    ("adagrad_f32", "Adagrad", F32, [([0, 1, 2], dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1))]),
    # Adadelta, Adamax, NAdam, RAdam, ASGD
    ("adadelta_default", "Adadelta", F64, [([0, 1, 2], dict(lr=1.0))]),
    ("adadelta_all", "Adadelta", F64, [([0, 1, 2], dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1))]),
    ("adadelta_maximize", "Adadelta", F64, [([0, 1, 2], dict(lr=0.1, maximize=True))]),
    ("adadelta_groups", "Adadelta", F64, [([0], dict(lr=1.0)), ([1, 2], dict(lr=2.0, rho=0.5))]),
    ("adamax_default", "Adamax", F64, [([0, 1, 2], dict(lr=0.02))]),
    ("adamax_all", "Adamax", F64, [([0, 1, 2], dict(lr=0.05, betas=(0.8, 0.99), eps=1e-3, weight_decay=0.1))]),
    ("adamax_maximize", "Adamax", F64, [([0, 1, 2], dict(lr=0.002, maximize=True))]),
    ("nadam_default", "NAdam", F64, [([0, 1, 2], dict(lr=0.02))]),
    ("nadam_all", "NAdam", F64, [([0, 1, 2], dict(lr=0.05, betas=(0.8, 0.99), eps=1e-4, weight_decay=0.1,
                                                momentum_decay=0.01))]),
    ("nadam_groups", "NAdam", F64, [([0, 2], dict(lr=0.01)), ([1], dict(lr=0.03, momentum_decay=0.1))]),
    ("radam_default", "RAdam", F64, [([0, 1, 2], dict(lr=0.02))]),
    ("radam_all", "RAdam", F64, [([0, 1, 2], dict(lr=0.05, betas=(0.8, 0.9), eps=1e-4, weight_decay=0.1))]),
    ("asgd_default", "ASGD", F64, [([0, 1, 2], dict(lr=0.05))]),
    ("asgd_averaging", "ASGD", F64, [([0, 1, 2], dict(lr=0.05, lambd=1e-2, alpha=0.6, t0=5.0, weight_decay=0.05))]),
    ("asgd_maximize", "ASGD", F64, [([0, 1, 2], dict(lr=0.005, t0=2.0, maximize=True))]),
    ("adadelta_f32", "Adadelta", F32, [([0, 1, 2], dict(lr=1.0, weight_decay=0.01))]),
    ("adamax_f32", "Adamax", F32, [([0, 1, 2], dict(lr=0.02, weight_decay=0.01))]),
    ("nadam_f32", "NAdam", F32, [([0, 1, 2], dict(lr=0.02, weight_decay=0.01))]),
    ("radam_f32", "RAdam", F32, [([0, 1, 2], dict(lr=0.02, weight_decay=0.01))]),
    ("asgd_f32", "ASGD", F32, [([0, 1, 2], dict(lr=0.05, lambd=1e-2, t0=3.0))]),
]

STEPS = 20


def state_value(v):
    if v is None:
        return "None", ""
    if isinstance(v, torch.Tensor):
        return "tensor:%s:%s" % (DTYPE_NAMES[v.dtype], shape_str(v)), hexes(v)
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, int):
        return "int", str(v)
    return "float", float(v).hex()


def packed_group(opt, g):
    """A state_dict() param group with the keys jtorch has, in the order of the optimizer's
    defaults (the order of a group made from a plain list of parameters), 'params' last.
    Integer-valued options (PyTorch's int defaults, e.g. weight_decay=0) are written as floats:
    jtorch's options are doubles."""
    keys = [k for k in opt.defaults if k not in DROPPED_KEYS]
    keys += [k for k in g if k not in keys and k not in DROPPED_KEYS and k != "params"]
    out = {}
    for k in keys:
        v = g[k]
        out[k] = float(v) if isinstance(v, int) and not isinstance(v, bool) else v
    out["params"] = g["params"]
    return out


def run_case(name, opt_name, dtype, groups):
    params, targets = model(dtype)
    cls = OPTIMIZERS[opt_name]
    # The first group's options are the constructor's keywords; later groups are dicts of
    # overrides, as a PyTorch user writes them.
    first_idx, first_opts = groups[0]
    opt = cls([params[i] for i in first_idx], foreach=False, **first_opts)
    for idx, o in groups[1:]:
        opt.add_param_group(dict(params=[params[i] for i in idx], **o))
    emit("case", name, opt_name, DTYPE_NAMES[dtype], STEPS)
    for idx, o in groups:
        emit("group", ",".join(map(str, idx)), opts_str(o))
    for k in range(1, STEPS + 1):
        set_grads(params, targets, k)
        opt.step()
        for i, p in enumerate(params):
            assert torch.isfinite(p).all(), (name, k)
            assert p.abs().max() < 100, (name, k)
            emit("step", k, i, hexes(p))
    sd = opt.state_dict()
    for i, st in sorted(sd["state"].items()):
        for key, v in st.items():
            kind, vals = state_value(v)
            emit("state", i, key, kind, vals)
    for gi, g in enumerate(sd["param_groups"]):
        emit("pgroup", gi, repr(packed_group(opt, g)))
    emit("end")


# ------------------------------------------------------------------ LBFGS

# name, dtype, steps, options
LBFGS_CASES = [
    ("lbfgs_default", F64, 4, dict()),
    ("lbfgs_history_lr", F64, 6, dict(lr=0.5, max_iter=5, history_size=3)),
    ("lbfgs_max_eval", F64, 5, dict(max_iter=8, max_eval=5, history_size=4, tolerance_change=1e-7)),
    ("lbfgs_strong_wolfe", F64, 4, dict(max_iter=10, line_search_fn="strong_wolfe")),
    ("lbfgs_strong_wolfe_history", F64, 5, dict(lr=0.8, max_iter=4, history_size=2, line_search_fn="strong_wolfe")),
    ("lbfgs_strong_wolfe_f32", F32, 2, dict(max_iter=6, line_search_fn="strong_wolfe")),
]


def lbfgs_loss(params, targets):
    return sum(((p * p * p * p) / 4 - t * p).sum() for p, t in zip(params, targets))


def run_lbfgs(name, dtype, steps, opts):
    """LBFGS records: each step(closure) minimises sum(p**4/4 - t*p) over the three parameters (its
    gradient p**3 - t by autograd); 'loss' is what step(closure) returned, 'step' the parameters
    after it, 'state' the final state of the first parameter (numbers as floats or ints; the
    tensors d and prev_flat_grad; old_dirs as its length, kind 'len')."""
    params, targets = model(dtype)
    opt = optim.LBFGS(params, **opts)

    def closure():
        opt.zero_grad()
        loss = lbfgs_loss(params, targets)
        loss.backward()
        return loss

    emit("lbfgs", name, DTYPE_NAMES[dtype], steps, opts_str({k: v for k, v in opts.items()}))
    for k in range(1, steps + 1):
        loss = opt.step(closure)
        emit("loss", k, float(loss).hex())
        for i, p in enumerate(params):
            emit("step", k, i, hexes(p))
    st = opt.state[params[0]]
    for key in ("func_evals", "n_iter"):
        emit("state", key, "int", str(st[key]))
    for key in ("t", "H_diag", "prev_loss"):
        emit("state", key, "float", float(st[key]).hex())
    for key in ("d", "prev_flat_grad"):
        emit("state", key, "tensor:%s:%s" % (DTYPE_NAMES[st[key].dtype], shape_str(st[key])), hexes(st[key]))
    emit("state", "old_dirs", "len", str(len(st["old_dirs"])))
    emit("state", "keys", "list", ",".join(st.keys()))
    emit("end")


# ------------------------------------------------------------------ schedulers

SCHED_STEPS = 30

METRICS_MIN = [1.0, 0.9, 0.8, 0.79995, 0.81, 0.8, 0.75, 0.75, 0.76, 0.74, 0.7401, 0.74, 0.74, 0.73, 0.6,
               0.61, 0.62, 0.6, 0.6, 0.59, 0.59, 0.595, 0.58, 0.6, 0.6, 0.6, 0.6, 0.57, 0.57, 0.57]
METRICS_MAX = [0.1, 0.2, 0.25, 0.3, 0.31, 0.35, 0.5, 0.45, 0.55, 0.58, 0.62, 0.6, 0.7, 0.71, 0.69,
               0.8, 0.85, 0.86, 0.9, 0.95, 0.96, 0.97, 1.1, 1.12, 1.15, 1.3, 1.3, 1.3, 1.3, 1.45]

# name, scheduler, optimizer, group options, scheduler kwargs
SCHEDULERS = [
    ("step_lr", "StepLR", "SGD", [dict(lr=0.1), dict(lr=0.03)], dict(step_size=7, gamma=0.5)),
    ("step_lr_default_gamma", "StepLR", "SGD", [dict(lr=0.1)], dict(step_size=3)),
    ("multi_step_lr", "MultiStepLR", "SGD", [dict(lr=0.1), dict(lr=0.5)], dict(milestones=[3, 7, 7, 12], gamma=0.3)),
    ("exponential_lr", "ExponentialLR", "SGD", [dict(lr=0.1), dict(lr=0.02)], dict(gamma=0.9)),
    ("cosine_annealing_lr", "CosineAnnealingLR", "SGD", [dict(lr=0.1)], dict(T_max=10)),
    ("cosine_annealing_lr_eta_min", "CosineAnnealingLR", "Adam", [dict(lr=0.1), dict(lr=0.01)],
     dict(T_max=7, eta_min=0.001)),
    ("cosine_annealing_lr_resume", "CosineAnnealingLR", "SGD", [dict(lr=0.07, initial_lr=0.1)],
     dict(T_max=10, eta_min=0.001, last_epoch=4)),
    ("linear_lr_default", "LinearLR", "SGD", [dict(lr=0.1), dict(lr=0.3)], dict()),
    ("linear_lr_decay", "LinearLR", "SGD", [dict(lr=0.1)], dict(start_factor=1.0, end_factor=0.1, total_iters=20)),
    ("one_cycle_cos_sgd", "OneCycleLR", "SGD", [dict(lr=0.1, momentum=0.9), dict(lr=0.1, momentum=0.9)],
     dict(max_lr=[0.1, 0.05], total_steps=30)),
    ("one_cycle_linear_three_phase_adam", "OneCycleLR", "Adam", [dict(lr=0.001)],
     dict(max_lr=0.01, total_steps=30, pct_start=0.25, anneal_strategy="linear", three_phase=True,
          div_factor=10.0, final_div_factor=100.0, base_momentum=0.8, max_momentum=0.9)),
    ("one_cycle_epochs_no_momentum", "OneCycleLR", "SGD", [dict(lr=0.1)],
     dict(max_lr=0.2, epochs=5, steps_per_epoch=6, cycle_momentum=False, pct_start=0.4)),
    ("one_cycle_cos_three_phase_adamw", "OneCycleLR", "AdamW", [dict(lr=0.001)],
     dict(max_lr=0.02, total_steps=30, three_phase=True)),
    ("plateau_min_rel", "ReduceLROnPlateau", "SGD", [dict(lr=0.1)], dict(factor=0.5, patience=2)),
    ("plateau_max_abs_cooldown", "ReduceLROnPlateau", "SGD", [dict(lr=0.1), dict(lr=0.05)],
     dict(mode="max", factor=0.5, patience=1, threshold=0.1, threshold_mode="abs", cooldown=2, min_lr=[0.01, 0.02])),
    ("plateau_eps", "ReduceLROnPlateau", "SGD", [dict(lr=0.1)], dict(factor=0.1, patience=0, eps=1e-3)),
    ("plateau_min_abs", "ReduceLROnPlateau", "Adam", [dict(lr=0.01)],
     dict(threshold=0.01, threshold_mode="abs", patience=3, min_lr=0.002, factor=0.3)),
    ("chained", "LinearLR+ExponentialLR", "SGD", [dict(lr=0.1)], dict()),
    # LambdaLR, MultiplicativeLR, CyclicLR, CosineAnnealingWarmRestarts, PolynomialLR, SequentialLR, ChainedScheduler
    ("lambda_lr", "LambdaLR", "SGD", [dict(lr=0.1), dict(lr=0.05)], dict(lr_lambda="pow095")),
    ("lambda_lr_per_group", "LambdaLR", "Adam", [dict(lr=0.1), dict(lr=0.05)], dict(lr_lambda=["pow095", "inverse"])),
    ("multiplicative_lr", "MultiplicativeLR", "SGD", [dict(lr=0.1)], dict(lr_lambda="const09")),
    ("multiplicative_lr_per_group", "MultiplicativeLR", "SGD", [dict(lr=0.1), dict(lr=0.2)],
     dict(lr_lambda=["const09", "alternate"])),
    ("cyclic_triangular", "CyclicLR", "SGD", [dict(lr=0.1, momentum=0.9)], dict(base_lr=0.01, max_lr=0.1, step_size_up=4)),
    ("cyclic_triangular2_groups", "CyclicLR", "SGD", [dict(lr=0.1, momentum=0.9), dict(lr=0.1, momentum=0.5)],
     dict(base_lr=[0.01, 0.02], max_lr=[0.1, 0.05], step_size_up=3, step_size_down=5, mode="triangular2",
          base_momentum=[0.7, 0.8], max_momentum=[0.9, 0.95])),
    ("cyclic_exp_range", "CyclicLR", "SGD", [dict(lr=0.1, momentum=0.9)],
     dict(base_lr=0.001, max_lr=0.1, step_size_up=5, mode="exp_range", gamma=0.95, base_momentum=0.75, max_momentum=0.95)),
    ("cyclic_no_momentum_adam", "CyclicLR", "Adam", [dict(lr=0.1)],
     dict(base_lr=0.001, max_lr=0.01, step_size_up=2.5, step_size_down=4, cycle_momentum=False)),
    ("cosine_warm_restarts", "CosineAnnealingWarmRestarts", "SGD", [dict(lr=0.1)], dict(T_0=5)),
    ("cosine_warm_restarts_mult", "CosineAnnealingWarmRestarts", "SGD", [dict(lr=0.1), dict(lr=0.01)],
     dict(T_0=3, T_mult=2, eta_min=0.001)),
    ("polynomial_lr_default", "PolynomialLR", "SGD", [dict(lr=0.1), dict(lr=0.3)], dict()),
    ("polynomial_lr_power", "PolynomialLR", "Adam", [dict(lr=0.1)], dict(total_iters=20, power=2.0)),
    ("sequential_warmup_exp", "SequentialLR", "SGD", [dict(lr=0.1)], dict(milestones=[5])),
    ("sequential_three", "SequentialLR", "SGD", [dict(lr=0.1), dict(lr=0.02)], dict(milestones=[4, 12])),
    ("sequential_warm_restarts", "SequentialLR", "SGD", [dict(lr=0.1)], dict(milestones=[3])),
    ("chained_scheduler", "ChainedScheduler", "SGD", [dict(lr=0.1), dict(lr=0.5)], dict()),
]

# the functions LambdaLR and MultiplicativeLR take, by name (the Java test has the same table)
LAMBDAS = {
    "pow095": lambda epoch: 0.95 ** epoch,
    "inverse": lambda epoch: 1.0 / (epoch + 1),
    "const09": lambda epoch: 0.9,
    "alternate": lambda epoch: 0.5 if epoch % 3 == 0 else 1.1,
}


def sub_schedulers(name, opt):
    """The schedulers that the SequentialLR and ChainedScheduler records combine, by record name."""
    if name == "sequential_warmup_exp":
        return [S.LinearLR(opt, start_factor=0.1, total_iters=5), S.ExponentialLR(opt, gamma=0.9)]
    if name == "sequential_three":
        return [S.LinearLR(opt, start_factor=0.5, total_iters=4), S.StepLR(opt, step_size=3, gamma=0.5),
                S.CosineAnnealingLR(opt, T_max=8, eta_min=0.001)]
    if name == "sequential_warm_restarts":
        return [S.PolynomialLR(opt, total_iters=3, power=2.0), S.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=2)]
    if name == "chained_scheduler":
        return [S.MultiStepLR(opt, milestones=[4, 9], gamma=0.5), S.ExponentialLR(opt, gamma=0.95),
                S.PolynomialLR(opt, total_iters=20, power=0.5)]
    raise KeyError(name)


def sched_arg(v):
    if isinstance(v, (list, tuple)):
        return ",".join(sched_arg(x) for x in v)
    if isinstance(v, str):
        return v
    return repr(v)


def momentum_of(group):
    return group["betas"][0] if "betas" in group else group["momentum"]


def run_sched(name, sched_name, opt_name, groups, kwargs):
    cls = OPTIMIZERS[opt_name]
    params = [torch.zeros(1, requires_grad=True) for _ in groups]
    pgroups = []
    for p, o in zip(params, groups):
        d = {k: v for k, v in o.items() if k != "initial_lr"}
        d["params"] = [p]
        pgroups.append(d)
    opt = cls(pgroups, foreach=False) if opt_name != "SGD" else cls(pgroups, lr=groups[0]["lr"], foreach=False)
    for g, o in zip(opt.param_groups, groups):
        if "initial_lr" in o:
            g["initial_lr"] = o["initial_lr"]
    emit("sched", name, sched_name, opt_name, "|".join(opts_str(o) for o in groups),
         ";".join("%s=%s" % (k, sched_arg(v)) for k, v in kwargs.items()), SCHED_STEPS)
    plateau = sched_name == "ReduceLROnPlateau"
    if sched_name == "LinearLR+ExponentialLR":
        scheds = [S.LinearLR(opt, start_factor=0.5, total_iters=4), S.ExponentialLR(opt, gamma=0.9)]
    elif sched_name == "SequentialLR":
        scheds = [S.SequentialLR(opt, sub_schedulers(name, opt), **kwargs)]
    elif sched_name == "ChainedScheduler":
        scheds = [S.ChainedScheduler(sub_schedulers(name, opt))]
    elif sched_name in ("LambdaLR", "MultiplicativeLR"):
        fn = kwargs["lr_lambda"]
        fn = [LAMBDAS[f] for f in fn] if isinstance(fn, list) else LAMBDAS[fn]
        scheds = [getattr(S, sched_name)(opt, lr_lambda=fn)]
    else:
        scheds = [getattr(S, sched_name)(opt, **kwargs)]
    metrics = None
    if plateau:
        metrics = METRICS_MAX if kwargs.get("mode") == "max" else METRICS_MIN
        emit("metrics", " ".join(float(m).hex() for m in metrics))
    one_cycle = sched_name in ("OneCycleLR", "CyclicLR")
    lrs = [[g["lr"]] for g in opt.param_groups]
    if not plateau:
        lrs = [[v] for v in scheds[-1].get_last_lr()]
    moms = [[momentum_of(g)] for g in opt.param_groups] if one_cycle else None
    for k in range(SCHED_STEPS):
        opt.step()
        for s in scheds:
            if plateau:
                s.step(metrics[k])
            else:
                s.step()
        # ReduceLROnPlateau has no get_last_lr() in 1.13, only the _last_lr its step() sets
        last = scheds[-1]._last_lr if plateau else scheds[-1].get_last_lr()
        for gi, g in enumerate(opt.param_groups):
            assert last[gi] == g["lr"]
            lrs[gi].append(last[gi])
            if one_cycle:
                moms[gi].append(momentum_of(g))
    for gi, vals in enumerate(lrs):
        emit("lr", gi, " ".join(float(v).hex() for v in vals))
    if one_cycle:
        for gi, vals in enumerate(moms):
            emit("momentum", gi, " ".join(float(v).hex() for v in vals))
    emit("end")


# ------------------------------------------------------------------ errors, defaults, reprs

def _p():
    return [torch.zeros(2, requires_grad=True)]


def _sgd2():
    a, b = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
    return optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1)


def _load_groups_mismatch():
    src = optim.SGD(_p(), lr=0.1)
    _sgd2().load_state_dict(src.state_dict())


def _load_size_mismatch():
    src = optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    dst = optim.SGD([torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)], lr=0.1)
    dst.load_state_dict(src.state_dict())


def _resume_without_initial_lr():
    S.StepLR(optim.SGD(_p(), lr=0.1), step_size=3, last_epoch=5)


def _one_cycle_past_end():
    opt = optim.SGD(_p(), lr=0.1, momentum=0.9)
    s = S.OneCycleLR(opt, max_lr=0.1, total_steps=3)
    for _ in range(4):
        opt.step()
        s.step()


# name -> a call that raises; the Java tests do the same and expect the same message
ERRORS = [
    ("sgd_lr", lambda: optim.SGD(_p(), lr=-0.1)),
    ("sgd_momentum", lambda: optim.SGD(_p(), lr=0.1, momentum=-0.5)),
    ("sgd_weight_decay", lambda: optim.SGD(_p(), lr=0.1, weight_decay=-1e-4)),
    ("sgd_nesterov", lambda: optim.SGD(_p(), lr=0.1, nesterov=True)),
    ("sgd_nesterov_dampening", lambda: optim.SGD(_p(), lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)),
    ("adam_lr", lambda: optim.Adam(_p(), lr=-1e-3)),
    ("adam_eps", lambda: optim.Adam(_p(), eps=-1e-8)),
    ("adam_beta0", lambda: optim.Adam(_p(), betas=(1.0, 0.999))),
    ("adam_beta1", lambda: optim.Adam(_p(), betas=(0.9, -0.1))),
    ("adam_weight_decay", lambda: optim.Adam(_p(), weight_decay=-0.01)),
    ("adamw_lr", lambda: optim.AdamW(_p(), lr=-2.5)),
    ("adamw_beta0", lambda: optim.AdamW(_p(), betas=(-0.5, 0.999))),
    ("adamw_beta1", lambda: optim.AdamW(_p(), betas=(0.9, 1.5))),
    ("adamw_eps", lambda: optim.AdamW(_p(), eps=-1e-12)),
    ("adamw_weight_decay", lambda: optim.AdamW(_p(), weight_decay=-1e-2)),
    ("rmsprop_lr", lambda: optim.RMSprop(_p(), lr=-0.01)),
    ("rmsprop_eps", lambda: optim.RMSprop(_p(), eps=-1.0)),
    ("rmsprop_momentum", lambda: optim.RMSprop(_p(), momentum=-0.9)),
    ("rmsprop_weight_decay", lambda: optim.RMSprop(_p(), weight_decay=-0.1)),
    ("rmsprop_alpha", lambda: optim.RMSprop(_p(), alpha=-0.99)),
    ("adagrad_lr", lambda: optim.Adagrad(_p(), lr=-0.01)),
    ("adagrad_lr_decay", lambda: optim.Adagrad(_p(), lr_decay=-0.1)),
    ("adagrad_weight_decay", lambda: optim.Adagrad(_p(), weight_decay=-1e-5)),
    ("adagrad_initial_accumulator_value", lambda: optim.Adagrad(_p(), initial_accumulator_value=-1.0)),
    ("adagrad_eps", lambda: optim.Adagrad(_p(), eps=-1e-10)),
    ("adadelta_lr", lambda: optim.Adadelta(_p(), lr=-1.0)),
    ("adadelta_rho", lambda: optim.Adadelta(_p(), rho=1.5)),
    ("adadelta_eps", lambda: optim.Adadelta(_p(), eps=-1e-6)),
    ("adadelta_weight_decay", lambda: optim.Adadelta(_p(), weight_decay=-0.1)),
    ("adamax_lr", lambda: optim.Adamax(_p(), lr=-2e-3)),
    ("adamax_beta0", lambda: optim.Adamax(_p(), betas=(1.0, 0.999))),
    ("adamax_eps", lambda: optim.Adamax(_p(), eps=-1.0)),
    ("nadam_beta1", lambda: optim.NAdam(_p(), betas=(0.9, 1.0))),
    ("nadam_momentum_decay", lambda: optim.NAdam(_p(), momentum_decay=-4e-3)),
    ("nadam_weight_decay", lambda: optim.NAdam(_p(), weight_decay=-0.5)),
    ("radam_lr", lambda: optim.RAdam(_p(), lr=-0.5)),
    ("radam_beta0", lambda: optim.RAdam(_p(), betas=(-0.1, 0.999))),
    ("asgd_lr", lambda: optim.ASGD(_p(), lr=-0.01)),
    ("asgd_weight_decay", lambda: optim.ASGD(_p(), weight_decay=-0.01)),
    ("lbfgs_groups", lambda: optim.LBFGS([{"params": _p()}, {"params": _p()}])),
    ("empty_params", lambda: optim.SGD([], lr=0.1)),
    ("non_leaf", lambda: optim.SGD([torch.zeros(1, requires_grad=True) * 2], lr=0.1)),
    ("duplicate_across_groups", lambda: (lambda p: optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1))(
        torch.zeros(1, requires_grad=True))),
    ("load_groups_mismatch", _load_groups_mismatch),
    ("load_size_mismatch", _load_size_mismatch),
    ("resume_without_initial_lr", _resume_without_initial_lr),
    ("linear_lr_start", lambda: S.LinearLR(optim.SGD(_p(), lr=0.1), start_factor=1.5)),
    ("linear_lr_end", lambda: S.LinearLR(optim.SGD(_p(), lr=0.1), end_factor=-0.5)),
    ("one_cycle_no_steps", lambda: S.OneCycleLR(optim.SGD(_p(), lr=0.1), max_lr=0.1)),
    ("one_cycle_total_steps", lambda: S.OneCycleLR(optim.SGD(_p(), lr=0.1), max_lr=0.1, total_steps=0)),
    ("one_cycle_epochs", lambda: S.OneCycleLR(optim.SGD(_p(), lr=0.1), max_lr=0.1, epochs=-2, steps_per_epoch=3)),
    ("one_cycle_steps_per_epoch", lambda: S.OneCycleLR(optim.SGD(_p(), lr=0.1), max_lr=0.1, epochs=2,
                                                       steps_per_epoch=0)),
    ("one_cycle_pct_start", lambda: S.OneCycleLR(optim.SGD(_p(), lr=0.1), max_lr=0.1, total_steps=10, pct_start=1.5)),
    ("one_cycle_anneal", lambda: S.OneCycleLR(optim.SGD(_p(), lr=0.1), max_lr=0.1, total_steps=10,
                                              anneal_strategy="exp")),
    ("one_cycle_max_lr_list", lambda: S.OneCycleLR(_sgd2(), max_lr=[0.1], total_steps=10)),
    ("one_cycle_no_momentum", lambda: S.OneCycleLR(optim.Adagrad(_p()), max_lr=0.1, total_steps=10)),
    ("one_cycle_past_end", _one_cycle_past_end),
    ("lambda_lr_count", lambda: S.LambdaLR(_sgd2(), lr_lambda=[lambda e: 1.0])),
    ("multiplicative_lr_count", lambda: S.MultiplicativeLR(_sgd2(), lr_lambda=[lambda e: 1.0] * 3)),
    ("cyclic_mode", lambda: S.CyclicLR(optim.SGD(_p(), lr=0.1), base_lr=0.01, max_lr=0.1, mode="cosine")),
    ("cyclic_no_momentum", lambda: S.CyclicLR(optim.Adam(_p()), base_lr=0.01, max_lr=0.1)),
    ("cyclic_base_lr_list", lambda: S.CyclicLR(_sgd2(), base_lr=[0.01, 0.02, 0.03], max_lr=0.1)),
    ("warm_restarts_t0", lambda: S.CosineAnnealingWarmRestarts(optim.SGD(_p(), lr=0.1), T_0=0)),
    ("warm_restarts_t_mult", lambda: S.CosineAnnealingWarmRestarts(optim.SGD(_p(), lr=0.1), T_0=2, T_mult=0)),
    ("warm_restarts_epoch", lambda: S.CosineAnnealingWarmRestarts(optim.SGD(_p(), lr=0.1), T_0=2).step(-1)),
    ("sequential_milestones", lambda: (lambda o: S.SequentialLR(o, [S.StepLR(o, 2), S.StepLR(o, 3)], milestones=[2, 4]))(
        optim.SGD(_p(), lr=0.1))),
    ("sequential_optimizer", lambda: (lambda o, o2: S.SequentialLR(o, [S.StepLR(o, 2), S.StepLR(o2, 3)], milestones=[2]))(
        optim.SGD(_p(), lr=0.1), optim.SGD(_p(), lr=0.1))),
    ("chained_optimizer", lambda: S.ChainedScheduler([S.StepLR(optim.SGD(_p(), lr=0.1), 2),
                                                      S.StepLR(optim.SGD(_p(), lr=0.1), 3)])),
    ("plateau_factor", lambda: S.ReduceLROnPlateau(optim.SGD(_p(), lr=0.1), factor=1.0)),
    ("plateau_min_lrs", lambda: S.ReduceLROnPlateau(_sgd2(), min_lr=[0.1])),
    ("plateau_mode", lambda: S.ReduceLROnPlateau(optim.SGD(_p(), lr=0.1), mode="avg")),
    ("plateau_threshold_mode", lambda: S.ReduceLROnPlateau(optim.SGD(_p(), lr=0.1), threshold_mode="pct")),
]

REPR_VALUES = [0.1, 1e-3, 1e-4, 1e-5, 1e-8, 1e-10, 0.999, 1.0 / 3, 2.0 / 3, 100.0, 1e15, 1e16, 1.5e16,
               123456789.125, -0.0, 0.0, -2.5, 5e-324, 1.7976931348623157e308, 2 ** -1074 * 3, 0.30000000000000004,
               9.999999999999999e-05, 1e22, 1e23, 2e23, 123e-7, 0.00012345, float("inf"), float("-inf"),
               float("nan"), 25.0, 1e4]


def errors_and_reprs():
    for name, fn in ERRORS:
        try:
            fn()
        except (ValueError, KeyError, TypeError) as e:
            emit("error", name, type(e).__name__, e.args[0])
        else:
            raise AssertionError("no error for " + name)
    for v in REPR_VALUES:
        emit("repr", v.hex(), repr(v))
    for name, cls in OPTIMIZERS.items():
        opt = cls(_p(), lr=0.1) if name == "SGD" else cls(_p())
        emit("defaults", name, repr(packed_group(opt, opt.state_dict()["param_groups"][0])))


def main():
    emit("# Generated by tools/gen_optim_fixtures.py with torch %s; do not edit." % torch.__version__)
    emit("# Format: see the script's docstring.")
    for dtype in (F64, F32):
        params, targets = model(dtype)
        for n, t in zip(("p0", "p1", "p2", "t0", "t1", "t2"), params + targets):
            emit("model", DTYPE_NAMES[dtype], n, shape_str(t), hexes(t))
    for c in CASES:
        run_case(*c)
    for c in LBFGS_CASES:
        run_lbfgs(*c)
    for s in SCHEDULERS:
        run_sched(*s)
    errors_and_reprs()
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %s: %d optimizer cases, %d scheduler cases, %d lines"
          % (os.path.normpath(OUT), len(CASES), len(SCHEDULERS), len(lines)), file=sys.stderr)


if __name__ == "__main__":
    main()
