#!/usr/bin/python3
"""Write the fixtures of a model that uses one module at two places (d2l's shared layer).

Run with a real PyTorch (Debian's python3-torch, 1.13) from the repository root:

    /usr/bin/python3 tools/gen_shared_module_fixtures.py

It writes, under nn/src/test/resources/jtorch/nn/checkpoints/ (read by SharedModuleCheckpointTest):

    shared_sequential.pt      state_dict() of d2l's
                              shared = nn.Linear(8, 8)
                              nn.Sequential(nn.Linear(4, 8), nn.ReLU(), shared, nn.ReLU(), shared,
                                            nn.ReLU(), nn.Linear(8, 1))
                              made with torch.manual_seed(0): keys 2.* and 4.* are the same tensors
                              (torch.save writes their storage once and refers to it twice)
    shared_sequential_io.txt  the state dict's tensors in its key order, an input x of shape (2, 4)
                              and the model's output y on it

The records use the format of tools/gen_checkpoint_fixtures.py (whose helpers this script reuses):
one tensor per tab-separated line, <file> <key> <dtype> <shape> <values>, float32 as the 8 hex
digits of its bits. Everything is seeded, so running the script again reproduces both files.
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_checkpoint_fixtures import NN_DIR, line  # noqa: E402


def main():
    os.makedirs(NN_DIR, exist_ok=True)
    torch.manual_seed(0)
    shared = nn.Linear(8, 8)
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(8, 1))
    sd = net.state_dict()
    assert sd["2.weight"].data_ptr() == sd["4.weight"].data_ptr()
    torch.save(sd, os.path.join(NN_DIR, "shared_sequential.pt"))
    torch.manual_seed(1)
    x = torch.rand(2, 4)
    with torch.no_grad():
        y = net(x)
    lines = ["# written by tools/gen_shared_module_fixtures.py (PyTorch %s); format in its docstring" % torch.__version__]
    lines += [line("shared_sequential.pt", k, t) for k, t in sd.items()]
    lines.append(line("input", "x", x))
    lines.append(line("output", "y", y))
    with open(os.path.join(NN_DIR, "shared_sequential_io.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
