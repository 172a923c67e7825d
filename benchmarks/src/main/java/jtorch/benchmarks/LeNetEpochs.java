package jtorch.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LeNet example against its PyTorch twin, epoch by epoch: runs {@code
 * jtorch.examples.lenet.TrainLeNet} (a fresh JVM, jtorch's default thread count) and {@code
 * tools/lenet_torch.py} (Debian's {@code /usr/bin/python3}, PyTorch's default thread count) with
 * the same model, seed and epochs, one after the other, and prints each epoch's seconds and test
 * accuracy, the ratio of the median seconds per epoch (jtorch / PyTorch) and the difference of
 * the final test accuracies. Needs the Fashion-MNIST files (see the README).
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -B -pl benchmarks exec:exec@lenet
 * mvn -q -B -pl benchmarks exec:exec@lenet -Dlenet.args="--model modern --epochs 10"
 * </pre>
 */
public final class LeNetEpochs {
    private LeNetEpochs() {}

    /** "epoch 3: loss 0.4021, train acc 0.8512, test acc 0.8431, 5.6 s (10714 img/s)", as both programs print it. */
    static final Pattern EPOCH = Pattern.compile("^epoch (\\d+): .*test acc ([0-9.]+), ([0-9.]+) s");

    record Epoch(int number, double testAccuracy, double seconds) {}

    public static void main(String[] args) throws Exception {
        String model = "modern", script = "tools/lenet_torch.py", python = "/usr/bin/python3", jvmArgs = "", data = null;
        int epochs = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model": model = args[++i]; break;
                case "--epochs": epochs = Integer.parseInt(args[++i]); break;
                case "--script": script = args[++i]; break;
                case "--python": python = args[++i]; break;
                case "--jvm-args": jvmArgs = args[++i]; break;
                case "--data": data = args[++i]; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --model classic|modern, --epochs N, --data DIR, --script, --python, --jvm-args)");
            }
        }
        List<String> common = new ArrayList<>(List.of("--model", model, "--epochs", String.valueOf(epochs)));
        if (data != null) common.addAll(List.of("--data", data));
        Path plot = Files.createTempFile("lenet-", ".png");
        plot.toFile().deleteOnExit();

        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : jvmArgs.trim().split("\\s+")) if (!a.isEmpty()) java.add(a);
        java.addAll(List.of("-cp", System.getProperty("java.class.path"), "jtorch.examples.lenet.TrainLeNet", "--plot", plot.toString()));
        java.addAll(common);
        List<String> torch = new ArrayList<>(List.of(python, script));
        torch.addAll(common);

        List<Epoch> j = run(java), t = run(torch);
        System.out.println();
        System.out.printf(Locale.ROOT, "LeNet (%s), batch 256, seed 0: jtorch (default threads) vs PyTorch (default threads)%n", model);
        System.out.printf(Locale.ROOT, "%-6s %14s %14s %14s %14s%n", "epoch", "jtorch s", "PyTorch s", "jtorch acc", "PyTorch acc");
        for (int e = 0; e < Math.min(j.size(), t.size()); e++)
            System.out.printf(Locale.ROOT, "%-6d %14.1f %14.1f %14.4f %14.4f%n", e + 1, j.get(e).seconds(), t.get(e).seconds(),
                    j.get(e).testAccuracy(), t.get(e).testAccuracy());
        double mj = median(j), mt = median(t);
        System.out.printf(Locale.ROOT, "median s/epoch: jtorch %.1f, PyTorch %.1f, ratio %.2f; final test accuracy difference %+.4f%n",
                mj, mt, mj / mt, j.get(j.size() - 1).testAccuracy() - t.get(t.size() - 1).testAccuracy());
    }

    static double median(List<Epoch> epochs) {
        double[] s = epochs.stream().mapToDouble(Epoch::seconds).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Runs {@code cmd}, echoing its output, and returns the epochs it printed. */
    static List<Epoch> run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<Epoch> epochs = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println(line);
                Matcher m = EPOCH.matcher(line.trim());
                if (m.find())
                    epochs.add(new Epoch(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))));
            }
        }
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed");
        if (epochs.isEmpty()) throw new IllegalStateException(String.join(" ", cmd) + " printed no epoch line");
        return epochs;
    }
}
