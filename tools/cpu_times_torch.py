"""PyTorch twin of jtorch.benchmarks.CpuTimes: the calling thread's CPU time per call of
bench_torch.py's sgemm_N and per phase of its mlp_step, for a machine shared with other work (where
wall-clock medians mostly measure the scheduler). Prints the same lines as CpuTimes. Run on one
thread, as Compare runs PyTorch:

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MALLOC_MMAP_THRESHOLD_=33554432 \
        MALLOC_TRIM_THRESHOLD_=17179869184 /usr/bin/python3 tools/cpu_times_torch.py --case sgemm_2048
"""
import argparse
import time

import torch

sink = None


def switches():
    """The calling thread's voluntary and involuntary context switches."""
    v = n = 0
    try:
        with open("/proc/thread-self/status") as f:
            for line in f:
                if line.startswith("voluntary_ctxt_switches:"):
                    v = int(line.split()[1])
                elif line.startswith("nonvoluntary_ctxt_switches:"):
                    n = int(line.split()[1])
    except OSError:
        pass
    return v, n


def minor_faults():
    try:
        with open("/proc/self/stat") as f:
            stat = f.read()
        return int(stat[stat.rindex(")") + 2:].split()[7])
    except (OSError, ValueError):
        return 0


class Sampler:
    def __init__(self, calls):
        self.calls, self.cpu, self.wall = calls, {}, []
        self.wall0, self.process0, self.faults0, self.switches0 = time.perf_counter(), time.process_time(), minor_faults(), switches()

    def begin(self):
        self.call_wall = time.perf_counter()
        self.call_cpu = self.lap_cpu = time.thread_time()

    def lap(self, phase):
        now = time.thread_time()
        self.cpu.setdefault(phase, []).append(now - self.lap_cpu)
        self.lap_cpu = now

    def end(self, total):
        now = time.thread_time()
        self.wall.append(time.perf_counter() - self.call_wall)
        self.cpu.setdefault(total, []).append(now - self.call_cpu)

    def print(self, name):
        wall_all = time.perf_counter() - self.wall0
        sw = switches()
        w = sorted(self.wall)
        print("%s: %d calls, wall median %.3f ms, process CPU / wall %.2f, GC pause %.2f ms and %d minor faults per call, "
              "main thread switches per call: %.1f voluntary, %.1f involuntary"
              % (name, self.calls, w[self.calls // 2] * 1e3, (time.process_time() - self.process0) / wall_all, 0.0,
                 (minor_faults() - self.faults0) // self.calls, (sw[0] - self.switches0[0]) / self.calls,
                 (sw[1] - self.switches0[1]) / self.calls))
        for phase, v in self.cpu.items():
            v = sorted(v)
            print("  %-10s thread CPU median %9.3f ms  min %9.3f ms" % (phase, v[self.calls // 2] * 1e3, v[0] * 1e3))


def sgemm(n, calls, rounds):
    global sink
    a, b = torch.rand(n, n), torch.rand(n, n)
    for _ in range(rounds):
        s = Sampler(calls)
        for _ in range(calls):
            s.begin()
            sink = torch.mm(a, b)
            s.end("mm")
        s.print("sgemm_%d" % n)


def mlp_step(calls, rounds):
    global sink
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    x, target = torch.randn(256, 784), torch.randint(0, 10, (256,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(rounds):
        s = Sampler(calls)
        for _ in range(calls):
            s.begin()
            opt.zero_grad(set_to_none=True)
            s.lap("zero_grad")
            out = model(x)
            s.lap("forward")
            loss = loss_fn(out, target)
            s.lap("loss")
            loss.backward()
            s.lap("backward")
            opt.step()
            s.lap("sgd step")
            s.end("step")
            sink = loss
        s.print("mlp_step")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--case", default="sgemm_2048")
    p.add_argument("--calls", type=int, default=10)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    torch.set_num_threads(1)
    if args.case.startswith("sgemm_"):
        sgemm(int(args.case[6:]), args.calls, args.rounds)
    elif args.case == "mlp_step":
        mlp_step(args.calls, args.rounds)
    else:
        raise SystemExit("unknown case %s (sgemm_N, mlp_step)" % args.case)


if __name__ == "__main__":
    main()
