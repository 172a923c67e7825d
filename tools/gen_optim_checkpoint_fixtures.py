#!/usr/bin/python3
"""Write the optimizer-checkpoint fixtures: optimizer state dicts saved by Python's torch.save,
and how training continues after them.

Run with a real PyTorch (Debian's python3-torch, 1.13) from the repository root:

    /usr/bin/python3 tools/gen_optim_checkpoint_fixtures.py

It writes, under optim/src/test/resources/jtorch/optim/checkpoints/ (read by
jtorch.optim.OptimizerCheckpointTest):

    adam_amsgrad.pt     torch.save(opt.state_dict(), ...) of Adam(lr=0.05, betas=(0.9, 0.5),
                        weight_decay=0.01, amsgrad=True) after 3 steps (step, exp_avg,
                        exp_avg_sq, max_exp_avg_sq; beta2 = 0.5 makes max_exp_avg_sq differ
                        from exp_avg_sq, which the script checks)
    sgd_momentum.pt     the same for SGD with two param groups: [W] with lr=0.1, momentum=0.9,
                        dampening=0.1, weight_decay=0.01 and [b] with lr=0.05, momentum=0.5,
                        nesterov=True
    expected.txt        the model, the parameters after 3 and 6 steps, and PyTorch's messages

The "model" is two float32 leaf tensors, W of shape (3, 4) and b of shape (3,), with targets tW
and tb. Each step sets every gradient directly to ((p*p)*p) - t (the gradient of
sum(p**4/4 - t*p)), so the Java test needs no autograd and computes the same float32 numbers
with the same three operations. expected.txt is tab-separated, '#' starts a comment:

    model   <name>  <shape>  <values>          (W, b, tW, tb: the initial values and targets)
    case    <name>  <Optimizer>  <file.pt>
    params  <after k steps>  <name>  <values>  (k = 3: when the state dict was saved; k = 6:
                                                after 3 more steps with the same optimizer)
    end
    error   <name>  <Python exception type>  <str(exception)>

Values are Python's float.hex() of each float32 element widened to double (exact). The error
records are what PyTorch does with a state dict that does not fit the optimizer:

    groups_mismatch    sgd_momentum.pt (2 groups) loaded into SGD([W, b]) (1 group)
    size_mismatch      sgd_momentum.pt loaded into SGD with groups [W, b] and [c]
    adam_into_sgd      adam_amsgrad.pt loaded into SGD([W, b]), then a step: PyTorch's
                       load_state_dict accepts it, and the step fails on the first group key
                       SGD reads that Adam's group lacks
    sgd_into_adam      sgd_momentum.pt (with one group) loaded into Adam, then a step

The script also asserts what the Java tests rely on PyTorch doing: it resumes bit for bit from
each file; a file whose groups lack 'maximize' (older PyTorch) resumes with maximize=False even in
an optimizer that had maximize=True; a file whose Adam steps are ints (before PyTorch 1.12)
resumes identically.

Everything is deterministic; running the script again reproduces expected.txt byte for byte (the
.pt files hold the same pickles and data, though the zip's timestamps may differ).
"""

import copy
import os
import sys

import torch

OUT = os.path.join("optim", "src", "test", "resources", "jtorch", "optim", "checkpoints")
lines = []


def emit(*fields):
    lines.append("\t".join(str(f) for f in fields))


def hexes(t):
    return " ".join(float(v).hex() for v in t.detach().reshape(-1).tolist())


def shape_str(t):
    return ",".join(str(s) for s in t.shape)


W0 = torch.tensor([[0.5, -1.2, 0.8, 0.3], [1.5, -0.3, 0.05, -0.9], [0.7, 1.1, -1.4, 0.2]], dtype=torch.float32)
B0 = torch.tensor([-0.7, 0.6, 1.3], dtype=torch.float32)
TW = torch.tensor([[0.1, 0.2, -0.3, 0.4], [-0.5, 0.6, 0.15, -0.25], [0.35, -0.45, 0.05, 0.55]], dtype=torch.float32)
TB = torch.tensor([0.3, -0.2, 0.1], dtype=torch.float32)


def fresh_model():
    return [W0.clone().requires_grad_(), B0.clone().requires_grad_()]


def set_grads(params):
    for p, t in zip(params, (TW, TB)):
        d = p.detach()
        p.grad = ((d * d) * d) - t


def make_adam(params):
    return torch.optim.Adam(params, lr=0.05, betas=(0.9, 0.5), weight_decay=0.01, amsgrad=True)


def make_sgd(params):
    W, b = params
    return torch.optim.SGD([{"params": [W], "lr": 0.1, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01},
                            {"params": [b], "lr": 0.05, "momentum": 0.5, "nesterov": True}], lr=0.1)


def run_case(name, make):
    params = fresh_model()
    opt = make(params)
    path = os.path.join(OUT, name + ".pt")
    emit("case", name, type(opt).__name__, name + ".pt")
    for k in range(1, 7):
        set_grads(params)
        opt.step()
        if k == 3:
            torch.save(opt.state_dict(), path)
            after3 = [p.detach().clone() for p in params]
            for pname, p in zip(("W", "b"), params):
                emit("params", 3, pname, hexes(p))
    for pname, p in zip(("W", "b"), params):
        emit("params", 6, pname, hexes(p))
    emit("end")

    # PyTorch itself resumes from the file exactly: load into a fresh optimizer on the 3-step values.
    resumed = [p.clone().requires_grad_() for p in after3]
    opt2 = make(resumed)
    opt2.load_state_dict(torch.load(path))
    for _ in range(3):
        set_grads(resumed)
        opt2.step()
    for a, b in zip(params, resumed):
        assert torch.equal(a, b), name + ": PyTorch does not resume bit for bit"
    return path, after3, [p.detach().clone() for p in params]


def resume(make, sd, after3):
    """Loads sd into a fresh optimizer on copies of the 3-step parameters and runs 3 more steps."""
    ps = [p.clone().requires_grad_() for p in after3]
    opt = make(ps)
    opt.load_state_dict(sd)
    for _ in range(3):
        step_once(opt, ps)
    return ps


def record_error(name, fn):
    try:
        fn()
    except Exception as e:  # the fixture is the exception PyTorch raises
        emit("error", name, type(e).__name__, str(e))
        return
    raise AssertionError(name + ": PyTorch accepted it")


def step_once(opt, params):
    set_grads(params)
    opt.step()


def main():
    if not os.path.isdir(os.path.join("optim", "src")):
        sys.exit("run from the repository root")
    os.makedirs(OUT, exist_ok=True)
    emit("# Generated by tools/gen_optim_checkpoint_fixtures.py with torch %s; do not edit." % torch.__version__)
    emit("# Format: see the script's docstring.")
    for name, t in (("W", W0), ("b", B0), ("tW", TW), ("tb", TB)):
        emit("model", name, shape_str(t), hexes(t))

    adam_path, adam_after3, adam_after6 = run_case("adam_amsgrad", make_adam)
    sgd_path, sgd_after3, sgd_after6 = run_case("sgd_momentum", make_sgd)

    st = torch.load(adam_path)["state"]
    assert any(not torch.equal(s["max_exp_avg_sq"], s["exp_avg_sq"]) for s in st.values()), \
        "amsgrad's max_exp_avg_sq should differ from exp_avg_sq somewhere"

    # A state dict from before 'maximize' existed: __setstate__ gives it False, whatever the
    # optimizer had, so training continues as from the file.
    old = torch.load(sgd_path)
    for g in old["param_groups"]:
        del g["maximize"]

    def make_maximizing_sgd(ps):
        opt = make_sgd(ps)
        for g in opt.param_groups:
            g["maximize"] = True
        return opt
    for a, b in zip(sgd_after6, resume(make_maximizing_sgd, old, sgd_after3)):
        assert torch.equal(a, b), "a state dict without 'maximize' should resume with maximize=False"

    # From before PyTorch 1.12 Adam's step was an int; __setstate__ makes it a tensor again.
    old = torch.load(adam_path)
    for st in old["state"].values():
        st["step"] = int(st["step"].item())
    for a, b in zip(adam_after6, resume(make_adam, old, adam_after3)):
        assert torch.equal(a, b), "a state dict with int steps should resume identically"

    def groups_mismatch():
        torch.optim.SGD(fresh_model(), lr=0.1).load_state_dict(torch.load(sgd_path))

    def size_mismatch():
        opt = torch.optim.SGD(fresh_model(), lr=0.1)
        opt.add_param_group({"params": [torch.zeros(1, requires_grad=True)]})
        opt.load_state_dict(torch.load(sgd_path))

    def adam_into_sgd():
        ps = fresh_model()
        opt = torch.optim.SGD(ps, lr=0.1, momentum=0.9)
        opt.load_state_dict(torch.load(adam_path))
        step_once(opt, ps)

    def sgd_into_adam():
        sd = copy.deepcopy(torch.load(sgd_path))
        sd["param_groups"][0]["params"] = [0, 1]
        del sd["param_groups"][1]
        ps = fresh_model()
        opt = torch.optim.Adam(ps)
        opt.load_state_dict(sd)
        step_once(opt, ps)

    record_error("groups_mismatch", groups_mismatch)
    record_error("size_mismatch", size_mismatch)
    record_error("adam_into_sgd", adam_into_sgd)
    record_error("sgd_into_adam", sgd_into_adam)

    with open(os.path.join(OUT, "expected.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
