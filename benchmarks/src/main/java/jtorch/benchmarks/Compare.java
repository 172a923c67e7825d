package jtorch.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the benchmark in jtorch ({@link Bench}, one fresh JVM per case, thread count and kernel provider)
 * and in PyTorch ({@code tools/bench_torch.py} with Debian's {@code /usr/bin/python3}, one process per
 * case and thread count), one thread
 * count after the other, and prints each case's median time and the jtorch/PyTorch time ratio
 * (below 1: jtorch is faster). The two sides of a case run back to back; {@code --rounds N}
 * alternates them N times per case and prints the median of the N ratios with their range. Both sides get {@code OMP_NUM_THREADS} and {@code
 * OPENBLAS_NUM_THREADS} set to the thread count; PyTorch also gets the allocator and OpenMP
 * settings its tuning guide advises. The cases are {@link Bench}'s (listed in its Javadoc); the
 * table labels each row with the case's description, e.g. {@code conv (N8,C64,56x56->64,k3,p1)
 * forward+backward} for {@code conv_c64_56x56_k3_fwdbwd}.
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -B -pl benchmarks exec:exec
 * mvn -q -B -pl benchmarks exec:exec -Dbench.args="--threads 1 --cases sgemm_1024,mlp_step"
 * mvn -q -B -pl benchmarks exec:exec -Dbench.args="--threads 1 --rounds 3 --cases lenet_step --memory-cases none"
 * </pre>
 */
public final class Compare {
    private Compare() {}

    /** One run's output: INFO lines, the median milliseconds of each case, and the MEMORY lines' figures (MB) by case. */
    record Run(Map<String, String> info, Map<String, Double> ms, Map<String, double[]> memory) {}

    /** The case whose memory is compared by default: the conv 3x3 forward + backward. */
    static final String MEMORY_CASES = "conv_c64_56x56_k3_fwdbwd";

    public static void main(String[] args) throws Exception {
        String script = "tools/bench_torch.py", python = "/usr/bin/python3", jvmArgs = "", cases = null;
        List<Integer> threadCounts = List.of(1, 2);
        List<String> providers = null;
        String memoryCases = MEMORY_CASES;
        int rounds = 1;
        List<String> passThrough = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--script": script = args[++i]; break;
                case "--python": python = args[++i]; break;
                case "--jvm-args": jvmArgs = args[++i]; break;
                case "--cases": cases = args[++i]; break;
                case "--threads": threadCounts = ints(args[++i]); break;
                case "--providers": providers = List.of(args[++i].split(",")); break;
                case "--memory-cases": memoryCases = args[++i]; break;
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--warmup": case "--samples": case "--sample-seconds":
                    passThrough.add(args[i]);
                    passThrough.add(args[++i]);
                    break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        String classPath = snapshot(System.getProperty("java.class.path"));
        System.out.println("machine: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        List<String> selected = cases != null ? List.of(cases.split(",")) : new ArrayList<>(Bench.cases().keySet());
        for (int threads : threadCounts) {
            // Case by case, PyTorch's process and then jtorch's (each provider's), --rounds times: the
            // two sides of a case run minutes apart otherwise, and this guest drifts by more than the
            // gaps being measured. Each side's time is the median over the rounds, the ratio the median
            // of the rounds' own ratios.
            Side torch = new Side();
            Map<String, Side> jtorch = new LinkedHashMap<>();
            for (String c : selected) {
                List<String> options = withCase(passThrough, c);
                for (int round = 0; round < rounds; round++) {
                    double t = torch.add(c, run(pythonCommand(python, script, threads, options), torchEnv(threads)));
                    if (providers == null) {
                        // The automatic choice, and the pure-Java Vector API path when the automatic choice is native BLAS.
                        Run auto = run(javaCommand(classPath, jvmArgs, threads, "auto", options), javaEnv(threads));
                        String chosen = auto.info().getOrDefault("provider", "auto").split(":")[0];
                        jtorch.computeIfAbsent(chosen, k -> new Side()).add(c, auto, t);
                        if (chosen.equals("native"))
                            jtorch.computeIfAbsent("vector", k -> new Side())
                                    .add(c, run(javaCommand(classPath, jvmArgs, threads, "vector", options), javaEnv(threads)), t);
                    } else {
                        for (String p : providers)
                            jtorch.computeIfAbsent(p, k -> new Side()).add(c, run(javaCommand(classPath, jvmArgs, threads, p, options), javaEnv(threads)), t);
                    }
                }
            }
            print(threads, rounds, new ArrayList<>(torch.ms.keySet()), torch, jtorch);
        }
        if (!memoryCases.equals("none")) memory(python, script, classPath, jvmArgs, List.of(memoryCases.split(",")));
    }

    /**
     * Memory of one iteration, each case in fresh processes at one thread. PyTorch: its peak RSS
     * growth during its first iteration; the bytes its profiled ops allocated (torch.profiler's
     * self_cpu_memory_usage, the figure this table showed alone before session 7); from the
     * profiler's allocator events, the bytes allocated in total and the peak bytes live above the
     * iteration's start. jtorch: the bytes allocated on the heap by all threads during the second
     * iteration (ThreadMXBean, the twin of PyTorch's total: it counts every short-lived temporary
     * the collector reclaims, the JIT's warm-up garbage included), the peak live heap above the heap
     * live before the iteration (the least free heap the iteration runs in, {@link Bench#peakLiveBytes},
     * the twin of PyTorch's peak live bytes), and the bytes allocated by an iteration once warm
     * ({@link Bench#WARM_ITERATIONS} more iterations first). The jtorch JVM runs
     * with the Serial collector and a 512 KB young generation for that bisection ({@link #MEMORY_JVM_ARGS}).
     */
    private static void memory(String python, String script, String classPath, String jvmArgs, List<String> cases)
            throws IOException, InterruptedException {
        System.out.println();
        System.out.println("== memory of one iteration, 1 thread (MB)");
        System.out.println(String.format(Locale.ROOT, "%-50s %10s %10s %10s %10s | %10s %10s %10s", "case", "PyTorch", "PyTorch", "PyTorch",
                "PyTorch", "jtorch", "jtorch", "jtorch"));
        System.out.println(String.format(Locale.ROOT, "%-50s %10s %10s %10s %10s | %10s %10s %10s", "", "RSS grows", "op allocs", "allocated",
                "peak live", "allocated", "peak live", "warm alloc"));
        for (String c : cases) {
            List<String> only = List.of("--cases", c, "--memory");
            double[] t = run(pythonCommand(python, script, 1, only), torchEnv(1)).memory().get(c);
            double[] j = run(javaCommand(classPath, jvmArgs + " " + MEMORY_JVM_ARGS, 1, "auto", only), javaEnv(1)).memory().get(c);
            System.out.println(String.format(Locale.ROOT, "%-50s %10.1f %10.1f %10.1f %10.1f | %10.1f %10.1f %10.1f", Bench.label(c),
                    t[0], t[1], t[2], t[3], j[0], j[1], j[2]));
        }
        System.out.flush();
    }

    /** The memory JVM's collector: Serial (its full GC compacts the old generation) with a 512 KB young generation, 1 GB heap. */
    static final String MEMORY_JVM_ARGS = "-XX:+UseSerialGC -Xmn512k -Xmx1g";

    /** One side's results over the rounds: INFO lines, and each case's times and ratios to PyTorch's time of the same round. */
    static final class Side {
        final Map<String, String> info = new LinkedHashMap<>();
        final Map<String, List<Double>> ms = new LinkedHashMap<>();
        final Map<String, List<Double>> ratios = new LinkedHashMap<>();

        /** Adds a PyTorch round and returns its time of {@code c}. */
        double add(String c, Run r) {
            r.info().forEach(info::putIfAbsent);
            double t = time(c, r);
            ms.computeIfAbsent(c, k -> new ArrayList<>()).add(t);
            return t;
        }

        /** Adds a jtorch round of {@code c} whose PyTorch twin took {@code torchMs}. */
        void add(String c, Run r, double torchMs) {
            ratios.computeIfAbsent(c, k -> new ArrayList<>()).add(add(c, r) / torchMs);
        }

        private static double time(String c, Run r) {
            Double t = r.ms().get(c);
            if (t == null) throw new IllegalStateException("no RESULT line for case " + c + " (cases of this run: " + r.ms().keySet() + ")");
            return t;
        }
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static void print(int threads, int rounds, List<String> order, Side torch, Map<String, Side> jtorch) {
        System.out.println();
        System.out.println("== " + threads + " thread" + (threads == 1 ? "" : "s") + ": PyTorch " + torch.info.getOrDefault("torch", "?")
                + " (" + torch.info.getOrDefault("blas", "?") + ")"
                + (rounds > 1 ? "; " + rounds + " alternating rounds per case, median times, median of the rounds' ratios (range)" : ""));
        for (Map.Entry<String, Side> e : jtorch.entrySet())
            System.out.println("   jtorch " + e.getKey() + ": " + e.getValue().info.getOrDefault("provider", "?"));
        // Rows are labelled with the cases' readable descriptions (Bench.label), as wide as the longest.
        int width = 4;
        for (String c : order) width = Math.max(width, Bench.label(c).length());
        String caseColumn = "%-" + width + "s %12s";
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, caseColumn, "case", "PyTorch ms"));
        for (String p : jtorch.keySet()) head.append(String.format(Locale.ROOT, " %12s %7s", p + " ms", "ratio"));
        System.out.println(head);
        for (String c : order) {
            double t = median(torch.ms.get(c));
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, caseColumn, Bench.label(c), fmt(t)));
            for (Side side : jtorch.values()) {
                List<Double> j = side.ms.get(c), q = side.ratios.get(c);
                row.append(j == null ? String.format(Locale.ROOT, " %12s %7s", "-", "-")
                        : String.format(Locale.ROOT, " %12s %7.2f", fmt(median(j)), median(q)));
                if (j != null && rounds > 1)
                    row.append(String.format(Locale.ROOT, " (%.2f-%.2f)", q.stream().mapToDouble(Double::doubleValue).min().getAsDouble(),
                            q.stream().mapToDouble(Double::doubleValue).max().getAsDouble()));
            }
            if (c.startsWith("sgemm_")) {
                double n = Double.parseDouble(c.substring(6)), flop = 2 * n * n * n;
                row.append(String.format(Locale.ROOT, "   GFLOP/s: PyTorch %.0f", flop / t / 1e6));
                for (Map.Entry<String, Side> e : jtorch.entrySet()) {
                    List<Double> j = e.getValue().ms.get(c);
                    if (j != null) row.append(String.format(Locale.ROOT, ", %s %.0f", e.getKey(), flop / median(j) / 1e6));
                }
            }
            System.out.println(row);
        }
        System.out.flush();
    }

    private static String fmt(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.1f", ms) : ms >= 1 ? String.format(Locale.ROOT, "%.3f", ms)
                : String.format(Locale.ROOT, "%.5f", ms);
    }

    private static List<String> withCase(List<String> options, String c) {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("--cases", c));
        return args;
    }

    private static List<String> pythonCommand(String python, String script, int threads, List<String> passThrough) {
        List<String> cmd = new ArrayList<>(List.of(python, script, "--threads", String.valueOf(threads)));
        cmd.addAll(passThrough);
        return cmd;
    }

    private static List<String> javaCommand(String classPath, String jvmArgs, int threads, String provider, List<String> passThrough) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : jvmArgs.trim().split("\\s+")) if (!a.isEmpty()) cmd.add(a);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(Bench.class.getName());
        cmd.addAll(List.of("--threads", String.valueOf(threads), "--provider", provider));
        cmd.addAll(passThrough);
        return cmd;
    }

    private static Map<String, String> javaEnv(int threads) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OMP_NUM_THREADS", String.valueOf(threads));
        env.put("OPENBLAS_NUM_THREADS", String.valueOf(threads));
        return env;
    }

    /** PyTorch's CPU tuning guide: keep freed memory mapped, and OpenMP threads passive between regions. */
    private static Map<String, String> torchEnv(int threads) {
        Map<String, String> env = javaEnv(threads);
        env.put("MALLOC_MMAP_THRESHOLD_", "33554432");
        env.put("MALLOC_TRIM_THRESHOLD_", "17179869184");
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        return env;
    }

    private static Run run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        Map<String, String> info = new LinkedHashMap<>();
        Map<String, Double> ms = new LinkedHashMap<>();
        Map<String, double[]> memory = new LinkedHashMap<>();
        StringBuilder all = new StringBuilder();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                all.append(line).append('\n');
                String[] f = line.split("\t");
                if (f.length == 3 && f[0].equals("INFO")) info.put(f[1], f[2]);
                else if (f.length >= 3 && f[0].equals("MEMORY")) {
                    double[] mb = new double[f.length - 2];
                    for (int i = 2; i < f.length; i++) mb[i - 2] = Double.parseDouble(f[i]);
                    memory.put(f[1], mb);
                }
                else if (f.length == 3 && f[0].equals("RESULT")) {
                    ms.put(f[1], Double.parseDouble(f[2]));
                    System.err.printf(Locale.ROOT, "  %-8s %-28s %s ms%n", cmd.get(0).endsWith("java") ? "jtorch" : "PyTorch", f[1], f[2]);
                }
                else if (f.length == 3 && f[0].equals("WARMUP")) {
                    System.err.printf(Locale.ROOT, "  %-8s %-28s warm-up %s%n", cmd.get(0).endsWith("java") ? "jtorch" : "PyTorch", f[1], f[2]);
                }
                else if (f.length == 3 && f[0].equals("CPU")) {
                    System.err.printf(Locale.ROOT, "  %-8s %-28s %s cores busy (process CPU time / wall time)%n",
                            cmd.get(0).endsWith("java") ? "jtorch" : "PyTorch", f[1], f[2]);
                }
            }
        }
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + all);
        return new Run(info, ms, memory);
    }

    /**
     * Copies the class path's jars to a temporary directory, so that an {@code mvn install} during
     * the run (which rewrites the snapshot jars in the local repository) cannot break the JVMs it starts.
     */
    private static String snapshot(String classPath) throws IOException {
        Path dir = Files.createTempDirectory("jtorch-bench-");
        dir.toFile().deleteOnExit(); // registered first, so deleted after the files in it
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p)) {
                Path copy = dir.resolve((i++) + "-" + p.getFileName());
                Files.copy(p, copy);
                copy.toFile().deleteOnExit();
                entries.add(copy.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static List<Integer> ints(String csv) {
        List<Integer> r = new ArrayList<>();
        for (String s : csv.split(",")) r.add(Integer.parseInt(s.trim()));
        return r;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
        return System.getProperty("os.arch");
    }
}
