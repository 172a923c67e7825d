#!/usr/bin/python3
"""Write the checkpoint fixtures that jtorch's serialization tests read.

Run with a real PyTorch (Debian's python3-torch, 1.13) from the repository root:

    /usr/bin/python3 tools/gen_checkpoint_fixtures.py

It writes, under core/src/test/resources/jtorch/serialization/ (read by jtorch.serialization tests):

    linear.pt             nn.Linear(3, 2).state_dict() (an OrderedDict with _metadata, set by BUILD)
    dtypes.pt             float64 (with -0.0, inf, nan, a subnormal), int64 (with +-2**63 edges),
                          bool, a 0-dim float32 and an empty (0, 3) float32 tensor
    views.pt              six float32 tensors that are views of ONE storage: the (4, 6) base, a
                          row, a column (stride 6, offset 2), a block, the transpose, a [::2, ::3]
                          slice; and a channels_last (2, 3, 4, 5) tensor (strides 60, 1, 15, 3)
    parameter.pt          {'p': nn.Parameter(...)}: torch._utils._rebuild_parameter
    bare_tensor.pt        torch.save(tensor): a tensor that is not in a dict
    list.pt, nested.pt    torch.save of a list and of a nested checkpoint dict (ints, floats, str,
                          bool, None, tensors): what jtorch's Torch.save(Object) writes too
    optimizer_sgd.pt      SGD(momentum=0.9).state_dict() after two steps (momentum_buffer tensors)
    optimizer_adam.pt     Adam(lr=0.01).state_dict() after two steps (step, exp_avg, exp_avg_sq)
    malicious_system.pt   a torch.save'd object whose __reduce__ calls os.system (posix.system)
    malicious_eval.pt     the same with builtins.eval
    legacy_format.pt      torch.save(..., _use_new_zipfile_serialization=False) (not supported)
    python_written.safetensors
                          F32, F64, I64 and BOOL tensors, an empty tensor, a non-ASCII name and
                          __metadata__, written by write_safetensors() below
    expected.txt          the exact contents of every tensor above

and under nn/src/test/resources/jtorch/nn/checkpoints/ (read by the nn module-loading test):

    sequential.pt         state_dict() of nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(),
                          nn.Flatten(), nn.Linear(2 * 4 * 4, 3)) made with torch.manual_seed(0)
    sequential.safetensors  the same state dict written by write_safetensors()
    sequential_io.txt     an input x of shape (2, 1, 6, 6) and the model's output on it

Debian has no python3-safetensors package, so write_safetensors() is a small writer that follows
the format's specification: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
({"name": {"dtype", "shape", "data_offsets": [begin, end]}} plus an optional "__metadata__" map of
strings), padded with spaces to a multiple of 8, then the tensors' little-endian bytes, sorted as
the reference implementation sorts them (by descending dtype alignment, then by name) and
covering the data buffer without holes.

expected.txt / sequential_io.txt: one tensor per line, tab-separated:

    <file>  <key>  <dtype>  <shape>  <values>

<key> is the state dict key (a dotted path such as state.0.exp_avg for the nested optimizer
dicts); <dtype> is FLOAT32, FLOAT64, INT64 or BOOL; <shape> is comma-separated (empty for 0-dim);
<values> are the row-major elements written to round-trip exactly: float32 as the 8 hex digits of
its IEEE bits, float64 as 16, int64 in decimal, bool as 0/1. Lines appear in the order of the keys
in the file as torch.load returns them. '#' starts a comment line.

The model's output is compared with a tolerance (|a - b| <= 8 float32 ulps * max |b|): jtorch's
convolution is unfold + matmul and sums in another order than PyTorch's kernel.

Everything is seeded or constructed, so running the script again reproduces every file byte for
byte, except legacy_format.pt (the legacy format names its storages by memory address).
"""
import collections
import json
import os
import struct
import sys

import torch
import torch.nn as nn

F32, F64, I64, BOOL = torch.float32, torch.float64, torch.int64, torch.bool
DTYPE_NAMES = {F32: "FLOAT32", F64: "FLOAT64", I64: "INT64", BOOL: "BOOL"}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORE_DIR = os.path.join(ROOT, "core/src/test/resources/jtorch/serialization")
NN_DIR = os.path.join(ROOT, "nn/src/test/resources/jtorch/nn/checkpoints")


def values_text(t):
    t = t.detach().contiguous().reshape(-1)
    if t.dtype == F32:
        return " ".join("%08x" % struct.unpack("<I", struct.pack("<f", v))[0] for v in t.tolist())
    if t.dtype == F64:
        return " ".join("%016x" % struct.unpack("<Q", struct.pack("<d", v))[0] for v in t.tolist())
    if t.dtype == I64:
        return " ".join(str(v) for v in t.tolist())
    if t.dtype == BOOL:
        return " ".join("1" if v else "0" for v in t.tolist())
    raise ValueError(t.dtype)


def line(file, key, t):
    shape = ",".join(str(s) for s in t.shape)
    return "\t".join([file, key, DTYPE_NAMES[t.dtype], shape, values_text(t)])


def flatten(prefix, obj, out):
    """The tensors of a nested dict/list as (dotted key, tensor), in iteration order."""
    if isinstance(obj, torch.Tensor):
        out.append((prefix, obj))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            flatten(k if prefix == "" else "%s.%s" % (prefix, k), v, out)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            flatten("%s.%d" % (prefix, i), v, out)
    return out


# --------------------------------------------------------------------------- safetensors writer

SAFETENSORS_DTYPES = {F32: "F32", F64: "F64", I64: "I64", BOOL: "BOOL"}
# The reference implementation's dtype order (increasing alignment); files are laid out in
# descending order so that every tensor's data is aligned to its element size.
SAFETENSORS_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16",
                     "I32", "U32", "F32", "F64", "I64", "U64"]


def write_safetensors(tensors, path, metadata=None):
    assert sys.byteorder == "little"
    items = sorted(tensors.items(),
                   key=lambda kv: (-SAFETENSORS_ORDER.index(SAFETENSORS_DTYPES[kv[1].dtype]),
                                   kv[0].encode("utf-8")))
    header = collections.OrderedDict()
    if metadata is not None:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, t in items:
        data = t.detach().contiguous().numpy().tobytes()  # native order: little-endian (asserted)
        header[name] = collections.OrderedDict([
            ("dtype", SAFETENSORS_DTYPES[t.dtype]),
            ("shape", list(t.shape)),
            ("data_offsets", [offset, offset + len(data)]),
        ])
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


# --------------------------------------------------------------------------- fixtures

class CallsSystem:
    """Unpickling this runs os.system: what a malicious checkpoint does."""
    def __reduce__(self):
        return (os.system, ("echo jtorch-fixture-must-never-run",))


class CallsEval:
    def __reduce__(self):
        return (eval, ("print('jtorch-fixture-must-never-run')",))


def core_fixtures():
    os.makedirs(CORE_DIR, exist_ok=True)
    expected = ["# written by tools/gen_checkpoint_fixtures.py (PyTorch %s); format in its docstring"
                % torch.__version__]

    def save(name, obj, **kwargs):
        torch.save(obj, os.path.join(CORE_DIR, name), **kwargs)
        expected.extend(line(name, k, t) for k, t in flatten("", obj, []))

    torch.manual_seed(0)
    save("linear.pt", nn.Linear(3, 2).state_dict())

    dtypes = collections.OrderedDict()
    dtypes["f64"] = torch.tensor([[1.5, -0.0, float("inf")], [float("nan"), 5e-324, -1e300]], dtype=F64)
    dtypes["i64"] = torch.tensor([2 ** 63 - 1, -2 ** 63, 0, -1, 2 ** 40], dtype=I64)
    dtypes["bool"] = torch.tensor([[True, False], [False, True]])
    dtypes["scalar"] = torch.tensor(3.25, dtype=F32)
    dtypes["empty"] = torch.zeros(0, 3, dtype=F32)
    save("dtypes.pt", dtypes)

    base = torch.arange(24, dtype=F32).reshape(4, 6)
    views = collections.OrderedDict()
    views["base"] = base
    views["row"] = base[1]
    views["col"] = base[:, 2]
    views["block"] = base[1:3, 2:5]
    views["transposed"] = base.t()
    views["strided"] = base[::2, ::3]
    views["channels_last"] = torch.arange(2 * 3 * 4 * 5, dtype=F32).reshape(2, 3, 4, 5) \
        .contiguous(memory_format=torch.channels_last)
    assert views["col"].storage_offset() == 2 and views["col"].stride() == (6,)
    assert views["channels_last"].stride() == (60, 1, 15, 3)
    save("views.pt", views)

    save("parameter.pt", {"p": nn.Parameter(torch.tensor([1.5, -2.0, 0.25]))})

    bare = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=F64)
    torch.save(bare, os.path.join(CORE_DIR, "bare_tensor.pt"))
    expected.append(line("bare_tensor.pt", "", bare))

    # what Torch.save writes in the zip format too (a list, a nested checkpoint dict): jtorch's
    # tests save the same objects and compare what loads
    save("list.pt", [torch.tensor([1.0, -2.5]), 3, "x", [torch.tensor([True, False])], None])
    nested = {"model": collections.OrderedDict([("w", torch.arange(6, dtype=F32).reshape(2, 3)),
                                                ("b", torch.tensor([0.5], dtype=F32))]),
              "epoch": 3, "lr": 0.1, "history": [1.5, 2.25], "name": "run-\u00e9", "done": True, "note": None,
              "steps": {"0": torch.tensor([7, -8], dtype=I64)}}
    save("nested.pt", nested)

    for name, make in [("optimizer_sgd.pt", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
                       ("optimizer_adam.pt", lambda p: torch.optim.Adam(p, lr=0.01))]:
        torch.manual_seed(0)
        model = nn.Linear(3, 2)
        opt = make(model.parameters())
        x = torch.arange(12, dtype=F32).reshape(4, 3) / 10
        for _ in range(2):
            opt.zero_grad()
            model(x).pow(2).sum().backward()
            opt.step()
        save(name, opt.state_dict())

    torch.save({"x": CallsSystem()}, os.path.join(CORE_DIR, "malicious_system.pt"))
    torch.save({"x": CallsEval()}, os.path.join(CORE_DIR, "malicious_eval.pt"))
    torch.save({"w": torch.ones(2)}, os.path.join(CORE_DIR, "legacy_format.pt"),
               _use_new_zipfile_serialization=False)

    st = collections.OrderedDict()
    st["weight"] = torch.arange(6, dtype=F32).reshape(2, 3) / 4
    st["double"] = torch.tensor([0.1, -2.5, 1e-310], dtype=F64)
    st["long"] = torch.tensor([[-3, 2 ** 50], [7, 0]], dtype=I64)
    st["mask"] = torch.tensor([True, False, True])
    st["empty"] = torch.zeros(2, 0, dtype=F32)
    st["gr\u00fc\u00dfe.\u03b8"] = torch.tensor([1.0, 2.0], dtype=F32)
    write_safetensors(st, os.path.join(CORE_DIR, "python_written.safetensors"),
                      metadata={"format": "pt", "written_by": "tools/gen_checkpoint_fixtures.py"})
    # The order torch.load-like readers see: the file's data order.
    for k in sorted(st, key=lambda k: (-SAFETENSORS_ORDER.index(SAFETENSORS_DTYPES[st[k].dtype]),
                                       k.encode("utf-8"))):
        expected.append(line("python_written.safetensors", k, st[k]))

    with open(os.path.join(CORE_DIR, "expected.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(expected) + "\n")


def nn_fixtures():
    os.makedirs(NN_DIR, exist_ok=True)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 4 * 4, 3))
    sd = model.state_dict()
    torch.save(sd, os.path.join(NN_DIR, "sequential.pt"))
    write_safetensors(dict(sd), os.path.join(NN_DIR, "sequential.safetensors"))
    torch.manual_seed(1)
    x = torch.randn(2, 1, 6, 6)
    with torch.no_grad():
        y = model(x)
    lines = ["# written by tools/gen_checkpoint_fixtures.py (PyTorch %s); format in its docstring"
             % torch.__version__]
    lines += [line("sequential.pt", k, t) for k, t in sd.items()]
    lines.append(line("input", "x", x))
    lines.append(line("output", "y", y))
    with open(os.path.join(NN_DIR, "sequential_io.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    core_fixtures()
    nn_fixtures()
