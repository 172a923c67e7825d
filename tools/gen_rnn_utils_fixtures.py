#!/usr/bin/python3
"""Write the fixtures of torch.nn.utils.rnn that jtorch's Rnn/PackedSequence tests read.

Run with a real PyTorch (Debian's python3-torch, 1.13) from the repository root:

    /usr/bin/python3 tools/gen_rnn_utils_fixtures.py

It writes nn/src/test/resources/jtorch/nn/rnn_utils_fixtures.txt. Tensor records use the format
of tools/gen_checkpoint_fixtures.py (whose helpers this script reuses): one tensor per
tab-separated line, <case> <key> <dtype> <shape> <values>, float32 as the 8 hex digits of its
bits, int64 in decimal. Each case holds its inputs (in0, in1, ... and lengths), a weight w of the
shape of the output, the outputs, and the gradients of sum(output * w) with respect to the inputs
(grad0, ...):

    pad_<n>       pad_sequence(seqs, batch_first, padding_value) for several shapes, a zero-length
                  sequence, float64, and 1-D sequences
    pack_<n>      pack_padded_sequence(input, lengths, batch_first, enforce_sorted): data,
                  batch_sizes, sorted_indices, unsorted_indices (absent when None), grad of
                  sum(data * w); then pad_packed_sequence(packed, batch_first, padding_value,
                  total_length): padded, lens, and grad of sum(padded * w2) through pack -> pad
    packseq_<n>   pack_sequence(seqs, enforce_sorted) and unpack_sequence of it (out0, ...)
    unpad_<n>     unpad_sequence(padded, lengths, batch_first) (out0, ...)

Error cases are lines `error <case> <PyTorch exception type> <message>` with the message that
PyTorch 1.13 raises. All pack/pad results are data movement, so the test compares exactly.
Everything is seeded, so running the script again reproduces the file.
"""
import os
import sys

import torch
from torch.nn.utils.rnn import (pack_padded_sequence, pad_packed_sequence, pad_sequence,
                                pack_sequence, unpack_sequence, unpad_sequence)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_checkpoint_fixtures import line  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "nn/src/test/resources/jtorch/nn/rnn_utils_fixtures.txt")


def pad_case(lines, name, shapes, batch_first, padding_value, dtype=torch.float32):
    seqs = [torch.randn(s, dtype=dtype).requires_grad_() for s in shapes]
    out = pad_sequence(seqs, batch_first=batch_first, padding_value=padding_value)
    w = torch.randn(out.shape, dtype=dtype)
    (out * w).sum().backward()
    lines += [line(name, "in%d" % i, s.detach()) for i, s in enumerate(seqs)]
    lines += [line(name, "w", w), line(name, "out", out.detach())]
    lines += [line(name, "grad%d" % i, s.grad) for i, s in enumerate(seqs)]


def pack_case(lines, name, shape, lengths, batch_first, enforce_sorted, padding_value, total_length,
              dtype=torch.float32):
    x = torch.randn(shape, dtype=dtype).requires_grad_()
    packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=enforce_sorted)
    w = torch.randn(packed.data.shape, dtype=dtype)
    (packed.data * w).sum().backward()
    lines += [line(name, "in0", x.detach()), line(name, "lengths", torch.tensor(lengths)), line(name, "w", w),
              line(name, "data", packed.data.detach()), line(name, "batch_sizes", packed.batch_sizes),
              line(name, "grad0", x.grad)]
    if packed.sorted_indices is not None:
        lines += [line(name, "sorted_indices", packed.sorted_indices),
                  line(name, "unsorted_indices", packed.unsorted_indices)]
    x.grad = None
    packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=enforce_sorted)
    padded, lens = pad_packed_sequence(packed, batch_first=batch_first, padding_value=padding_value,
                                       total_length=total_length)
    w2 = torch.randn(padded.shape, dtype=dtype)
    (padded * w2).sum().backward()
    lines += [line(name, "w2", w2), line(name, "padded", padded.detach()), line(name, "lens", lens),
              line(name, "grad_roundtrip", x.grad)]


def main():
    torch.manual_seed(0)
    lines = ["# written by tools/gen_rnn_utils_fixtures.py (PyTorch %s); format in its docstring" % torch.__version__]
    pad_case(lines, "pad_0", [(4, 3), (2, 3), (5, 3)], False, 0.0)
    pad_case(lines, "pad_1", [(4, 3), (2, 3), (5, 3)], True, -1.5)
    pad_case(lines, "pad_2", [(3, 2, 2), (0, 2, 2), (1, 2, 2)], True, 0.25)
    pad_case(lines, "pad_3", [(6,), (2,), (6,), (3,)], False, 7.0, torch.float64)
    pad_case(lines, "pad_4", [(1, 4)], False, 0.0)

    pack_case(lines, "pack_0", (5, 4, 2), [5, 3, 3, 1], False, True, 0.0, None)
    pack_case(lines, "pack_1", (5, 4, 2), [2, 5, 1, 3], False, False, -2.0, None)
    pack_case(lines, "pack_2", (4, 6, 3), [3, 6, 6, 1], True, False, 0.5, 9)
    pack_case(lines, "pack_3", (3, 7), [7, 7, 4], True, True, 0.0, None, torch.float64)
    pack_case(lines, "pack_4", (6, 3), [2, 4, 2], False, False, 1.0, 6)
    pack_case(lines, "pack_5", (4, 1, 2, 2), [3], False, True, 0.0, 4)

    for n, (shapes, enforce) in enumerate([([(4, 2), (3, 2), (1, 2)], True), ([(2,), (5,), (5,), (1,)], False)]):
        name = "packseq_%d" % n
        seqs = [torch.randn(s) for s in shapes]
        packed = pack_sequence(seqs, enforce_sorted=enforce)
        lines += [line(name, "in%d" % i, s) for i, s in enumerate(seqs)]
        lines += [line(name, "data", packed.data), line(name, "batch_sizes", packed.batch_sizes)]
        if packed.sorted_indices is not None:
            lines += [line(name, "sorted_indices", packed.sorted_indices),
                      line(name, "unsorted_indices", packed.unsorted_indices)]
        lines += [line(name, "out%d" % i, s) for i, s in enumerate(unpack_sequence(packed))]

    for n, (shape, lengths, batch_first) in enumerate([((5, 3, 2), [5, 1, 3], False), ((3, 4), [2, 4, 1], True)]):
        name = "unpad_%d" % n
        x = torch.randn(shape)
        lines += [line(name, "in0", x), line(name, "lengths", torch.tensor(lengths))]
        outs = unpad_sequence(x.clone(), torch.tensor(lengths), batch_first=batch_first)
        lines += [line(name, "out%d" % i, s) for i, s in enumerate(outs)]

    x = torch.randn(4, 3, 2)
    packed = pack_padded_sequence(x, [3, 2, 1])
    errors = [
        ("unsorted", lambda: pack_padded_sequence(x, [2, 3, 1])),
        ("zero_length", lambda: pack_padded_sequence(x, [3, 0, 0])),
        ("negative_unsorted", lambda: pack_padded_sequence(x, [3, -1, 1], enforce_sorted=False)),
        ("lengths_count", lambda: pack_padded_sequence(x, [3, 2])),
        ("lengths_2d", lambda: pack_padded_sequence(x, torch.tensor([[3, 2, 1]]))),
        ("empty_input", lambda: pack_padded_sequence(torch.randn(0, 0, 2), [])),
        ("total_length", lambda: pad_packed_sequence(packed, total_length=2)),
        ("pad_empty", lambda: pad_sequence([])),
        ("pack_sequence_unsorted", lambda: pack_sequence([torch.ones(1), torch.ones(3)])),
    ]
    for case, f in errors:
        try:
            f()
            raise AssertionError("no error for " + case)
        except (RuntimeError, ValueError) as e:
            lines.append("\t".join(["error", case, type(e).__name__, str(e)]))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
