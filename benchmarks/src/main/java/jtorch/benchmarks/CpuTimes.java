package jtorch.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.CrossEntropyLoss;
import jtorch.nn.Linear;
import jtorch.nn.ReLU;
import jtorch.nn.Sequential;
import jtorch.optim.SGD;

/**
 * The calling thread's CPU time per call of {@link Bench}'s {@code sgemm_N} and per phase of its
 * {@code mlp_step}, for a machine shared with other work, where {@link Bench}'s wall-clock medians
 * mostly measure the scheduler. At one thread the main thread does all the work (OpenBLAS runs on
 * it), so its CPU time isolates the kernels; {@code tools/cpu_times_torch.py} prints the same lines
 * for PyTorch. Per case: median and minimum thread CPU ms, wall median, process CPU / wall, GC
 * pause ms and minor page faults per call, and the main thread's context switches per call
 * (voluntary ones mean it blocked, involuntary ones that it was preempted).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector,jdk.incubator.foreign --enable-native-access=ALL-UNNAMED \
 *     -cp ... jtorch.benchmarks.CpuTimes --case sgemm_2048 --calls 10 --rounds 3
 * /usr/bin/python3 tools/cpu_times_torch.py --case sgemm_2048 --calls 10 --rounds 3   # OPENBLAS_NUM_THREADS=1
 * </pre>
 */
public final class CpuTimes {
    private CpuTimes() {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Keeps results reachable. */
    static volatile Object sink;

    public static void main(String[] args) {
        String name = "sgemm_2048";
        int calls = 10, rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--case": name = args[++i]; break;
                case "--calls": calls = Integer.parseInt(args[++i]); break;
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i] + " (--case, --calls, --rounds)");
            }
        }
        Torch.setNumThreads(1);
        if (name.startsWith("sgemm_")) sgemm(Integer.parseInt(name.substring(6)), calls, rounds);
        else if (name.equals("mlp_step")) mlpStep(calls, rounds);
        else throw new IllegalArgumentException("unknown case " + name + " (sgemm_N, mlp_step)");
    }

    /** {@code a.mm(b)} of two n x n float32 matrices, as Bench's sgemm_N. */
    private static void sgemm(int n, int calls, int rounds) {
        Tensor a = Torch.rand(n, n), b = Torch.rand(n, n);
        for (int r = 0; r < rounds; r++) {
            Sampler s = new Sampler(calls);
            for (int i = 0; i < calls; i++) {
                s.begin();
                sink = a.mm(b);
                s.end("mm");
            }
            s.print("sgemm_" + n);
        }
    }

    /** Bench's mlp_step (784-256-10 ReLU MLP, batch 256, SGD), each phase timed. */
    private static void mlpStep(int calls, int rounds) {
        Torch.manualSeed(0);
        Sequential model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        Tensor x = Torch.randn(256, 784), target = Torch.randint(0, 10, 256);
        SGD opt = new SGD(model.parameters(), 0.01);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        for (int r = 0; r < rounds; r++) {
            Sampler s = new Sampler(calls);
            for (int i = 0; i < calls; i++) {
                s.begin();
                opt.zeroGrad();
                s.lap("zero_grad");
                Tensor out = model.forward(x);
                s.lap("forward");
                Tensor l = loss.forward(out, target);
                s.lap("loss");
                l.backward();
                s.lap("backward");
                opt.step();
                s.lap("sgd step");
                s.end("step");
                sink = l;
            }
            s.print("mlp_step");
        }
    }

    /** Per-call thread CPU and wall times of one round, with the round's process-wide counters. */
    private static final class Sampler {
        final int calls;
        final Map<String, long[]> cpu = new LinkedHashMap<>();
        final long[] wall;
        int call;
        long callCpu, callWall, lapCpu;
        final long wall0 = System.nanoTime(), process0 = OS.getProcessCpuTime(), gc0 = gcMillis(), faults0 = minorFaults();
        final long[] switches0 = switches();

        Sampler(int calls) {
            this.calls = calls;
            this.wall = new long[calls];
        }

        void begin() {
            callWall = System.nanoTime();
            callCpu = lapCpu = THREADS.getCurrentThreadCpuTime();
        }

        void lap(String phase) {
            long now = THREADS.getCurrentThreadCpuTime();
            cpu.computeIfAbsent(phase, k -> new long[calls])[call] = now - lapCpu;
            lapCpu = now;
        }

        void end(String total) {
            long now = THREADS.getCurrentThreadCpuTime();
            wall[call] = System.nanoTime() - callWall;
            cpu.computeIfAbsent(total, k -> new long[calls])[call] = now - callCpu;
            call++;
        }

        void print(String name) {
            long wallAll = System.nanoTime() - wall0;
            long[] sw = switches();
            long[] w = wall.clone();
            Arrays.sort(w);
            System.out.printf(Locale.ROOT, "%s: %d calls, wall median %.3f ms, process CPU / wall %.2f, GC pause %.2f ms and %d minor faults"
                    + " per call, main thread switches per call: %.1f voluntary, %.1f involuntary%n", name, calls, w[calls / 2] / 1e6,
                    (OS.getProcessCpuTime() - process0) / (double) wallAll, (gcMillis() - gc0) / (double) calls,
                    (minorFaults() - faults0) / calls, (sw[0] - switches0[0]) / (double) calls, (sw[1] - switches0[1]) / (double) calls);
            for (Map.Entry<String, long[]> e : cpu.entrySet()) {
                long[] v = e.getValue().clone();
                Arrays.sort(v);
                System.out.printf(Locale.ROOT, "  %-10s thread CPU median %9.3f ms  min %9.3f ms%n", e.getKey(), v[calls / 2] / 1e6, v[0] / 1e6);
            }
        }
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) t += Math.max(0, g.getCollectionTime());
        return t;
    }

    /** The process's minor page faults (field 10 of /proc/self/stat), or 0 where there is no /proc. */
    private static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The calling thread's voluntary and involuntary context switches (/proc/thread-self/status). */
    private static long[] switches() {
        long[] r = new long[2];
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("voluntary_ctxt_switches:")) r[0] = Long.parseLong(line.substring(24).trim());
                else if (line.startsWith("nonvoluntary_ctxt_switches:")) r[1] = Long.parseLong(line.substring(27).trim());
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: zeros
        }
        return r;
    }
}
