"""PyTorch twin of jtorch's benchmark (benchmarks/src/main/java/jtorch/benchmarks/Bench.java).

Runs the same cases with the same timing rule (warm up, then samples of at least --sample-seconds,
median time per iteration) and prints one RESULT<TAB>case<TAB>ms line per case (then a CPU<TAB>case<TAB>cores line: process CPU time / wall time); the cases are
listed in Bench's Javadoc. The LeNet models come from tools/lenet_torch.py and the tutorial's
corr2d, Conv2D and edge image from tools/tutorial.py, the twins of the Java examples. Run by
jtorch.benchmarks.Compare with Debian's /usr/bin/python3 and
MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=17179869184 OMP_WAIT_POLICY=PASSIVE
OMP_NUM_THREADS=<n> OPENBLAS_NUM_THREADS=<n>; alone:

    /usr/bin/python3 tools/bench_torch.py --threads 1 --cases sgemm_1024,mlp_step

With --memory, each case instead prints MEMORY<TAB>case<TAB>peak RSS MB<TAB>allocated MB<TAB>
total allocated MB<TAB>peak live MB: the growth of the process's peak resident set (ru_maxrss)
during its first iteration after set-up (run it in a fresh process per case: the peak only grows);
the sum of every profiled op's own allocations during one later iteration (torch.profiler with
profile_memory, FunctionEvent.self_cpu_memory_usage: it misses allocations made outside a profiled
op, such as the autograd engine's); and, from the same profile's allocator events ("[memory]", one
per allocation and per free, in time order), the bytes allocated in total and the peak of the bytes
live above those live when the iteration starts. The peak live figure is the one jtorch's Bench
--memory measures for itself (peak live heap above the live heap before the iteration); the total,
the one its allocated figure measures. Memory a library allocates past PyTorch's allocator (oneDNN's
own scratch buffers, if any) is not in the two profile figures, only in the RSS growth.
"""
import argparse
import re
import resource
import time

import torch
import torch.nn.functional as F

import lenet_torch  # tools/, this script's directory, is on sys.path
import tutorial

sink = None


def sgemm(n):
    def setup():
        a, b = torch.rand(n, n), torch.rand(n, n)

        def body():
            global sink
            sink = torch.mm(a, b)
        return body
    return setup


def add_grad():
    x, y = torch.rand(1).requires_grad_(), torch.rand(1)

    def body():
        global sink
        sink = x + y
    return body


def add_sum_backward():
    x, y = torch.rand(1).requires_grad_(), torch.rand(1)

    def body():
        (x + y).sum().backward()
    return body


def conv(input_shape, weight_shape, padding, stride, groups, input_grad, backward):
    def setup():
        x = torch.randn(input_shape)
        w = torch.randn(weight_shape).requires_grad_()
        b = torch.randn(weight_shape[0]).requires_grad_()
        if backward:
            if input_grad:
                x.requires_grad_()

            def body():
                F.conv2d(x, w, b, stride, padding, 1, groups).sum().backward()
        else:
            def body():
                global sink
                with torch.no_grad():
                    sink = F.conv2d(x, w, b, stride, padding, 1, groups)
        return body
    return setup


def mul_nograd():
    x, y = torch.rand(1), torch.rand(1)

    def body():
        global sink
        sink = x * y
    return body


def training_step(model, lr, x, target):
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()

    def body():
        global sink
        opt.zero_grad(set_to_none=True)  # jtorch's zeroGrad() default, PyTorch 2.x's default
        loss = loss_fn(model(x), target)
        loss.backward()
        opt.step()
        sink = loss
    return body


def mlp_step():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    return training_step(model, 0.01, torch.randn(256, 784), torch.randint(0, 10, (256,)))


def lstm_lm_step():
    # pytorch/examples' word language model without dropout (see Bench.java's lstm_lm_step)
    torch.manual_seed(0)
    emb, lstm, dec = torch.nn.Embedding(10000, 256), torch.nn.LSTM(256, 256, 2), torch.nn.Linear(256, 10000)
    params = list(emb.parameters()) + list(lstm.parameters()) + list(dec.parameters())
    x, target = torch.randint(0, 10000, (35, 20)), torch.randint(0, 10000, (35 * 20,))
    opt = torch.optim.SGD(params, lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()

    def body():
        global sink
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(dec(lstm(emb(x))[0]).reshape(-1, 10000), target)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 0.25)
        opt.step()
        sink = loss
    return body


# The LeNet example's learning rates; both models train with SGD here (see Bench.CLASSIC_LR).
CLASSIC_LR, MODERN_LR = 0.9, 3e-3


def lenet_step(model, lr):
    def setup():
        torch.manual_seed(0)
        net = model()
        return training_step(net, lr, torch.randn(256, 1, 28, 28), torch.randint(0, 10, (256,)))
    return setup


def tutorial_train(conv2d, X, Y):
    """tutorial.train without the printing: the loss it prints every second step is still computed."""
    global sink
    for i in range(10):
        Y_hat = conv2d(X)
        l = (Y_hat - Y) ** 2
        conv2d.zero_grad(set_to_none=True)  # as jtorch's zeroGrad(); 1.13's zero_grad() would zero in place
        l.sum().backward()
        conv2d.weight.data[:] -= 3e-2 * conv2d.weight.grad
        if (i + 1) % 2 == 0:
            sink = l.sum().item()
    sink = conv2d.weight.data


def tutorial_corr2d_loop():
    X = tutorial.edge_image()
    Y = tutorial.corr2d(X, torch.tensor([[1.0, -1.0]]))

    def body():
        tutorial_train(tutorial.Conv2D(kernel_size=(1, 2)), X, Y)
    return body


def tutorial_conv2d_loop():
    X = tutorial.edge_image()
    Y = tutorial.corr2d(X, torch.tensor([[1.0, -1.0]]))
    X, Y = X.reshape((1, 1, 6, 8)), Y.reshape((1, 1, 6, 7))

    def body():
        tutorial_train(torch.nn.Conv2d(1, 1, kernel_size=(1, 2), bias=False), X, Y)
    return body


CASES = {}
for n in (256, 512, 1024, 2048):
    CASES["sgemm_%d" % n] = sgemm(n)
CASES["add_grad_1elem"] = add_grad
CASES["add_sum_backward"] = add_sum_backward
CASES["mul_1elem_nograd"] = mul_nograd
for name, inp, wt, pad, stride, groups, in_grad in (
        ("conv_c1_28x28_k5", (64, 1, 28, 28), (6, 1, 5, 5), 2, 1, 1, False),
        ("conv_c6_14x14_k5", (64, 6, 14, 14), (16, 6, 5, 5), 0, 1, 1, True),
        ("conv_c64_56x56_k3", (8, 64, 56, 56), (64, 64, 3, 3), 1, 1, 1, True),
        ("conv_c64_56x56_k3_s2", (8, 64, 56, 56), (128, 64, 3, 3), 1, 2, 1, True),
        ("conv_dw_c64_56x56_k3", (8, 64, 56, 56), (64, 1, 3, 3), 1, 1, 64, True)):
    CASES[name + "_fwd"] = conv(inp, wt, pad, stride, groups, in_grad, False)
    CASES[name + "_fwdbwd"] = conv(inp, wt, pad, stride, groups, in_grad, True)
CASES["mlp_step"] = mlp_step
CASES["lstm_lm_step"] = lstm_lm_step
CASES["lenet_step"] = lenet_step(lenet_torch.modern, MODERN_LR)
CASES["lenet_step_classic"] = lenet_step(lenet_torch.classic, CLASSIC_LR)
CASES["tutorial_corr2d_loop"] = tutorial_corr2d_loop
CASES["tutorial_conv2d_loop"] = tutorial_conv2d_loop


def transformer_encoder_layer_step():
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(256, 4, dim_feedforward=1024)
    x, target = torch.randn(64, 32, 256), torch.randn(64, 32, 256)
    opt = torch.optim.SGD(layer.parameters(), lr=0.01)

    def body():
        global sink
        opt.zero_grad(set_to_none=True)
        loss = F.mse_loss(layer(x), target)
        loss.backward()
        opt.step()
        sink = loss
    return body


CASES["transformer_encoder_layer_step"] = transformer_encoder_layer_step


# As Bench.MIN_WARMUP_ITERATIONS: the same timing rule on both sides.
MIN_WARMUP_ITERATIONS = 10


def timed(body, warmup, samples, sample_seconds):
    start, warm = time.perf_counter(), 0
    while warm < MIN_WARMUP_ITERATIONS or time.perf_counter() - start < warmup:
        body()
        warm += 1
    per_iteration = (time.perf_counter() - start) / warm
    iterations = int(max(1, min(1_000_000, sample_seconds / per_iteration)))
    times = []
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(iterations):
            body()
        times.append((time.perf_counter() - t0) / iterations)
    # Process CPU time (all threads) per wall time over the timed samples: how many cores were busy.
    timed.cpu_per_wall = (time.process_time() - cpu0) / max(1e-9, time.perf_counter() - wall0)
    times.sort()
    return times[samples // 2]


def memory(setup):
    """(peak RSS growth of the first iteration, bytes allocated by the ops of one later iteration,
    bytes allocated in total by that iteration, peak bytes live above its start), in MB."""
    body = setup()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    body()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before  # KiB on Linux
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], profile_memory=True) as prof:
        body()
    allocated = sum(e.self_cpu_memory_usage for e in prof.events() if e.self_cpu_memory_usage > 0)
    # The allocator's own events, one per allocation (+bytes) and per free (-bytes): their running sum
    # in time order is the bytes live above the iteration's start, its maximum the peak.
    events = sorted((e for e in prof.profiler.kineto_results.events() if e.name() == "[memory]"),
                    key=lambda e: e.start_us())
    live = live_peak = total = 0
    for e in events:
        live += e.nbytes()
        live_peak = max(live_peak, live)
        total += max(0, e.nbytes())
    return peak / 1024.0, allocated / 1048576.0, total / 1048576.0, live_peak / 1048576.0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    p.add_argument("--cases", default=",".join(CASES))
    p.add_argument("--warmup", type=float, default=1.5)
    p.add_argument("--samples", type=int, default=7)
    p.add_argument("--sample-seconds", type=float, default=0.25)
    p.add_argument("--memory", action="store_true", help="print MEMORY lines instead of timing")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    config = torch.__config__.show()
    found = [re.search(pattern, config) for pattern in (r"BLAS_INFO=([^,\s]+)", r"MKL-DNN (v[\d.]+)", r"CPU capability usage: (\w+)")]
    blas, onednn, capability = (m.group(1) if m else "?" for m in found)
    print("INFO\ttorch\t%s" % torch.__version__)
    print("INFO\tthreads\t%d" % torch.get_num_threads())
    print("INFO\tblas\tBLAS %s, oneDNN %s, %s kernels" % (blas, onednn, capability))
    for name in args.cases.split(","):
        if name not in CASES:
            raise SystemExit("no case %s; cases: %s" % (name, ", ".join(CASES)))
        if args.memory:
            print("MEMORY\t%s\t%.3f\t%.3f\t%.3f\t%.3f" % ((name,) + memory(CASES[name])), flush=True)
            continue
        seconds = timed(CASES[name](), args.warmup, args.samples, args.sample_seconds)
        print("RESULT\t%s\t%.6f" % (name, seconds * 1e3), flush=True)
        print("CPU\t%s\t%.2f" % (name, timed.cpu_per_wall), flush=True)


if __name__ == "__main__":
    main()
