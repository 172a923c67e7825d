package jtorch.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * jtorch.distributed against Open MPI itself, in one command, on 2 ranks on loopback:
 * <ol>
 *   <li>{@code allreduce_bench.c} (built here with {@code mpicc}; Debian's {@code libopenmpi-dev})
 *       and {@link DistBench} time an in-place float32 all-reduce of each size the same way; the
 *       ratio jtorch / Open MPI per size (target: 10 MB within 1.5x);</li>
 *   <li>the DDP step of a compute-bound CNN: one rank on the whole batch, then 2 ranks on half
 *       each; the ratio 2-rank step / 1-rank step (target at most 0.6; 0.5 is perfect scaling).</li>
 * </ol>
 * The four programs alternate for {@code --rounds} rounds (3) and the medians of the rounds' ratios
 * are printed last. Needs JDK 22+ (run Maven with it) and an otherwise idle machine.
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -q -B -pl benchmarks exec:exec@dist
 * </pre>
 */
public final class DistCompare {
    private DistCompare() {}

    static final List<String> MPIRUN = List.of("mpirun", "--oversubscribe", "--allow-run-as-root", "--bind-to", "core", "--mca", "btl",
            "self,vader,tcp", "--mca", "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo", "-np");

    public static void main(String[] args) throws Exception {
        int reps = 50, steps = 40, batch = 64, rounds = 3;
        String sizes = "1048576,10485760,104857600";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps": reps = Integer.parseInt(args[++i]); break;
                case "--sizes": sizes = args[++i]; break;
                case "--steps": steps = Integer.parseInt(args[++i]); break;
                case "--batch": batch = Integer.parseInt(args[++i]); break;
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--reps N, --sizes B,B,..., --steps N, --batch N, --rounds N)");
            }
        }
        Path source = Path.of("src/main/c/allreduce_bench.c"), binary = Path.of("target/allreduce_bench");
        run(List.of("mpicc", "-O2", "-o", binary.toString(), source.toString()));
        List<String> sizeList = List.of(sizes.split(","));

        List<String> c = new ArrayList<>(MPIRUN);
        c.addAll(List.of("2", binary.toString(), String.valueOf(reps)));
        c.addAll(sizeList);
        List<String> j = new ArrayList<>(MPIRUN);
        j.add("2");
        j.addAll(java("allreduce", String.valueOf(reps)));
        j.addAll(sizeList);
        List<String> one = new ArrayList<>(MPIRUN);
        one.add("1");
        one.addAll(java("ddp", String.valueOf(steps), String.valueOf(2 * batch)));
        List<String> two = new ArrayList<>(MPIRUN);
        two.add("2");
        two.addAll(java("ddp", String.valueOf(steps), String.valueOf(batch)));
        // Open MPI's own time moves by 2x from one launch to the next on this machine: the programs
        // alternate, and each round's ratio compares neighbouring launches.
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        List<Double> ddpRatios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Map<String, double[]> openmpi = results(run(c), "openmpi");
            Map<String, double[]> jtorch = results(run(j), "jtorch");
            System.out.println("round " + round + ": all-reduce, float32 in place, 2 ranks, ms: median (min-max) over " + reps + " calls");
            for (String s : sizeList) {
                double[] o = openmpi.get(s), t = jtorch.get(s);
                ratios.computeIfAbsent(s, k -> new ArrayList<>()).add(t[0] / o[0]);
                System.out.printf(Locale.ROOT, "  %9.1f MB  Open MPI %8.3f (%.3f-%.3f)  jtorch %8.3f (%.3f-%.3f)  ratio %.2f%n",
                        Long.parseLong(s) / 1048576.0, o[0], o[1], o[2], t[0], t[1], t[2], t[0] / o[0]);
            }
            double[] single = results(run(one), "ddp").get("1");
            double[] pair = results(run(two), "ddp").get("2");
            ddpRatios.add(pair[0] / single[0]);
            System.out.printf(Locale.ROOT, "  DDP step, CNN, %d images: 1 rank %.1f ms (%.1f-%.1f), 2 ranks x %d images %.1f ms (%.1f-%.1f), "
                    + "ratio %.2f%n", 2 * batch, single[0], single[1], single[2], batch, pair[0], pair[1], pair[2], pair[0] / single[0]);
        }
        System.out.println("median of " + rounds + " rounds:");
        for (Map.Entry<String, List<Double>> e : ratios.entrySet())
            System.out.printf(Locale.ROOT, "  all-reduce %.1f MB: jtorch / Open MPI %.2f (rounds %s)%n", Long.parseLong(e.getKey()) / 1048576.0,
                    median(e.getValue()), format(e.getValue()));
        System.out.printf(Locale.ROOT, "  DDP step: 2 ranks / 1 rank %.2f (rounds %s)%n", median(ddpRatios), format(ddpRatios));
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        java.util.Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static String format(List<Double> v) {
        List<String> out = new ArrayList<>();
        for (double d : v) out.add(String.format(Locale.ROOT, "%.2f", d));
        return String.join(" ", out);
    }

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                DistBench.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** RESULT lines of {@code kind}: the key (size, or world size for ddp) to {median, min, max}. */
    private static Map<String, double[]> results(String out, String kind) {
        Map<String, double[]> r = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length >= 5 && f[0].equals("RESULT") && f[1].equals(kind)) {
                int n = f.length;
                r.put(f[2], new double[] {Double.parseDouble(f[n - 3]), Double.parseDouble(f[n - 2]), Double.parseDouble(f[n - 1])});
            }
        }
        if (r.isEmpty()) throw new IllegalStateException("no RESULT " + kind + " lines in:\n" + out);
        return r;
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

}
