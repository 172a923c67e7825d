#!/usr/bin/python3
"""Write the index order of PyTorch 1.13's DistributedSampler, checked by distributed's
DistributedSamplerTest. Run with a real PyTorch (Debian's python3-torch):

    /usr/bin/python3 tools/gen_distributed_fixtures.py > distributed/src/test/resources/jtorch/distributed_sampler.txt

One line per rank of each case: `n replicas shuffle seed epoch drop_last rank: indices`.
Deterministic: running it again reproduces the file byte for byte.
"""
import torch
from torch.utils.data.distributed import DistributedSampler

CASES = [  # n, replicas, shuffle, seed, epoch, drop_last
    (10, 2, True, 0, 0, False), (10, 3, True, 0, 0, False), (10, 3, True, 0, 0, True),
    (10, 3, True, 0, 1, False), (10, 3, True, 7, 2, False), (11, 4, False, 0, 0, False),
    (11, 4, False, 0, 0, True), (3, 5, True, 0, 0, False), (3, 5, False, 0, 0, False),
    (3, 5, True, 0, 0, True), (1000, 3, True, 42, 5, False), (12000, 2, True, 0, 3, False),
    (0, 2, True, 0, 0, False),
]

print("# DistributedSampler index order, PyTorch " + torch.__version__.split("+")[0])
for n, replicas, shuffle, seed, epoch, drop_last in CASES:
    for rank in range(replicas):
        s = DistributedSampler(range(n), num_replicas=replicas, rank=rank, shuffle=shuffle, seed=seed, drop_last=drop_last)
        s.set_epoch(epoch)
        idx = list(s)
        assert len(idx) == len(s)
        print(f"{n} {replicas} {str(shuffle).lower()} {seed} {epoch} {str(drop_last).lower()} {rank}: " + " ".join(map(str, idx)))
