#!/usr/bin/python3
"""Write the fixtures of jtorch's sampler tests: the indices that torch.utils.data's samplers
(SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler) and
DataLoaders built on them (sampler=, batch_sampler=) produce in PyTorch 1.13 for fixed seeds.

Run with a real PyTorch (Debian's python3-torch, 1.13) from the repository root:

    /usr/bin/python3 tools/gen_sampler_fixtures.py > core/src/test/resources/jtorch/utils/data/sampler_fixtures.txt

One record per line, tab-separated, '#' starts a comment line:

    case   <name>  <manual_seed>  <epochs>
    epoch  <name>  <k>  <values>
    after  <name>  <default>  <generator|->
    error  <name>  <Python exception type>  <message>

A case runs torch.manual_seed(<manual_seed>), builds the sampler or loader that build(name)
describes (the Java test builds the same one by name), and iterates it <epochs> times, each epoch
to its end. <values> are the indices separated by ' ', and for batch samplers and loaders the
batches separated by '|' (a loader's batches are the values of TensorDataset(arange(n))). 'after'
is the next value torch.empty((), dtype=torch.int64).random_() draws from the default generator,
and from the case's generator G if it has one: it pins how many values the case consumed.
An 'error' record is a call PyTorch refuses (the Java test makes the same call by name).

Everything is seeded, so running the script again reproduces the file byte for byte.
"""

import torch
from torch.utils.data import (BatchSampler, DataLoader, RandomSampler, SequentialSampler, SubsetRandomSampler,
                              TensorDataset, WeightedRandomSampler)

WEIGHTS = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6]
LARGE_WEIGHTS = [(i % 7) + 0.5 for i in range(200)]


def G(seed):
    return torch.Generator().manual_seed(seed)


def ds(n):
    return TensorDataset(torch.arange(n))


def build(name):
    """(iterable, generator or None, is_batches, is_loader) for a case name."""
    if name == "sequential":
        return SequentialSampler(range(7)), None, False, False
    if name == "random_default":
        return RandomSampler(range(10)), None, False, False
    if name == "random_generator":
        g = G(5)
        return RandomSampler(range(10), generator=g), g, False, False
    if name == "random_num_samples_more":
        g = G(3)
        return RandomSampler(range(7), num_samples=17, generator=g), g, False, False
    if name == "random_num_samples_fewer":
        return RandomSampler(range(10), num_samples=4), None, False, False
    if name == "random_num_samples_multiple":
        g = G(8)
        return RandomSampler(range(5), num_samples=10, generator=g), g, False, False
    if name == "random_replacement":
        g = G(2)
        return RandomSampler(range(10), replacement=True, generator=g), g, False, False
    if name == "random_replacement_chunks":
        return RandomSampler(range(1000), replacement=True, num_samples=100), None, False, False
    if name == "subset_random":
        g = G(11)
        return SubsetRandomSampler([3, 9, 4, 1, 7, 0], generator=g), g, False, False
    if name == "subset_random_default":
        return SubsetRandomSampler([10, 20, 30, 40, 50]), None, False, False
    if name == "weighted_replacement":
        g = G(0)
        return WeightedRandomSampler(WEIGHTS, 20, generator=g), g, False, False
    if name == "weighted_no_replacement":
        g = G(1)
        return WeightedRandomSampler(WEIGHTS, 4, replacement=False, generator=g), g, False, False
    if name == "weighted_no_replacement_all":
        g = G(12)
        return WeightedRandomSampler(WEIGHTS, 6, replacement=False, generator=g), g, False, False
    if name == "weighted_one":
        return WeightedRandomSampler(WEIGHTS, 1), None, False, False
    if name == "weighted_large_replacement":
        g = G(9)
        return WeightedRandomSampler(LARGE_WEIGHTS, 500, generator=g), g, False, False
    if name == "weighted_large_no_replacement":
        g = G(10)
        return WeightedRandomSampler(LARGE_WEIGHTS, 150, replacement=False, generator=g), g, False, False
    if name == "batch_sequential":
        return BatchSampler(SequentialSampler(range(10)), 3, False), None, True, False
    if name == "batch_sequential_drop_last":
        return BatchSampler(SequentialSampler(range(10)), 3, True), None, True, False
    if name == "batch_random":
        g = G(4)
        return BatchSampler(RandomSampler(range(10), generator=g), 4, False), g, True, False
    if name == "loader_weighted_sampler":
        g = G(6)
        return DataLoader(ds(6), batch_size=5, sampler=WeightedRandomSampler(WEIGHTS, 12, generator=g)), g, True, True
    if name == "loader_batch_sampler":
        g = G(7)
        d = ds(10)
        return DataLoader(d, batch_sampler=BatchSampler(RandomSampler(d, generator=g), 3, True)), g, True, True
    if name == "loader_subset_sampler_drop_last":
        return DataLoader(ds(20), batch_size=2, drop_last=True, sampler=SubsetRandomSampler([1, 3, 5, 7, 9, 11, 13])), \
            None, True, True
    if name == "loader_random_sampler_replacement":
        g = G(13)
        d = ds(8)
        return DataLoader(d, batch_size=4, sampler=RandomSampler(d, replacement=True, num_samples=10, generator=g),
                          generator=G(14)), g, True, True
    raise KeyError(name)


CASES = [
    # name, manual_seed, epochs
    ("sequential", 0, 1),
    ("random_default", 0, 3),
    ("random_generator", 0, 2),
    ("random_num_samples_more", 0, 2),
    ("random_num_samples_fewer", 1, 2),
    ("random_num_samples_multiple", 0, 2),
    ("random_replacement", 0, 2),
    ("random_replacement_chunks", 4, 2),
    ("subset_random", 0, 2),
    ("subset_random_default", 2, 2),
    ("weighted_replacement", 0, 2),
    ("weighted_no_replacement", 0, 2),
    ("weighted_no_replacement_all", 0, 2),
    ("weighted_one", 3, 3),
    ("weighted_large_replacement", 0, 1),
    ("weighted_large_no_replacement", 0, 1),
    ("batch_sequential", 0, 1),
    ("batch_sequential_drop_last", 0, 1),
    ("batch_random", 0, 2),
    ("loader_weighted_sampler", 0, 2),
    ("loader_batch_sampler", 0, 2),
    ("loader_subset_sampler_drop_last", 5, 2),
    ("loader_random_sampler_replacement", 0, 2),
]


def _d():
    return ds(4)


ERRORS = [
    ("loader_sampler_and_shuffle", lambda: DataLoader(_d(), sampler=SequentialSampler(_d()), shuffle=True)),
    ("loader_batch_sampler_and_batch_size",
     lambda: DataLoader(_d(), batch_size=2, batch_sampler=BatchSampler(SequentialSampler(_d()), 2, False))),
    ("loader_batch_sampler_and_shuffle",
     lambda: DataLoader(_d(), shuffle=True, batch_sampler=BatchSampler(SequentialSampler(_d()), 2, False))),
    ("loader_batch_sampler_and_sampler",
     lambda: DataLoader(_d(), sampler=SequentialSampler(_d()), batch_sampler=BatchSampler(SequentialSampler(_d()), 2, False))),
    ("loader_batch_sampler_and_drop_last",
     lambda: DataLoader(_d(), drop_last=True, batch_sampler=BatchSampler(SequentialSampler(_d()), 2, False))),
    ("random_num_samples", lambda: RandomSampler(_d(), num_samples=0)),
    ("random_empty", lambda: RandomSampler(ds(0))),
    ("weighted_num_samples", lambda: WeightedRandomSampler(WEIGHTS, 0)),
    ("batch_size", lambda: BatchSampler(SequentialSampler(_d()), 0, False)),
    ("weighted_too_many_without_replacement", lambda: list(WeightedRandomSampler(WEIGHTS, 7, replacement=False))),
    ("weighted_negative", lambda: list(WeightedRandomSampler([1.0, -1.0, 2.0], 2))),
    ("weighted_negative_without_replacement", lambda: list(WeightedRandomSampler([1.0, -1.0, 2.0], 2, replacement=False))),
    ("weighted_zero_sum", lambda: list(WeightedRandomSampler([0.0, 0.0], 2))),
    ("weighted_infinite", lambda: list(WeightedRandomSampler([1.0, float("inf")], 2))),
]


def values(batch, is_loader):
    if is_loader:
        return " ".join(str(v) for v in batch[0].tolist())
    return " ".join(str(v) for v in batch)


def next_draw(g=None):
    return str(torch.empty((), dtype=torch.int64).random_(generator=g).item())


def main():
    out = ["# Generated by tools/gen_sampler_fixtures.py with torch %s; do not edit." % torch.__version__,
           "# Format: see the script's docstring."]
    for name, seed, epochs in CASES:
        torch.manual_seed(seed)
        it, g, is_batches, is_loader = build(name)
        out.append("\t".join(["case", name, str(seed), str(epochs)]))
        for k in range(epochs):
            if is_batches:
                v = "|".join(values(b, is_loader) for b in it)
            else:
                v = " ".join(str(i) for i in it)
            out.append("\t".join(["epoch", name, str(k), v]))
        out.append("\t".join(["after", name, next_draw(), next_draw(g) if g is not None else "-"]))
    for name, fn in ERRORS:
        try:
            fn()
        except (ValueError, RuntimeError) as e:
            out.append("\t".join(["error", name, type(e).__name__, str(e.args[0]).split("\n")[0]]))
        else:
            raise AssertionError("no error for " + name)
    print("\n".join(out))


if __name__ == "__main__":
    main()
