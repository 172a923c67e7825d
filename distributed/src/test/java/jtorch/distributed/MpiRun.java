package jtorch.distributed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a test program under {@code mpirun} on loopback, on this JVM and class path, and collects what it printed. */
final class MpiRun {
    /** The exit code, the merged output, and how long the job took. */
    record Result(int exitCode, String output, long millis) {
        /** Lines of the output starting with {@code prefix}. */
        List<String> lines(String prefix) {
            List<String> out = new ArrayList<>();
            for (String l : output.split("\n")) if (l.startsWith(prefix)) out.add(l);
            return out;
        }
    }

    private MpiRun() {}

    static Result run(int ranks, long timeoutSeconds, Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("mpirun", "--oversubscribe", "--allow-run-as-root", "-np", String.valueOf(ranks),
                "--mca", "btl", "self,vader,tcp", "--mca", "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo"));
        cmd.addAll(javaCommand(main, args));
        return start(cmd, timeoutSeconds);
    }

    /** The java command line running {@code main} in a fresh JVM (also used without mpirun). */
    static List<String> javaCommand(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1"); // short programs: C1 is enough and starts faster
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    static Result start(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("reading the output failed: ").append(e);
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            reader.join(5000);
            throw new AssertionError("the job did not end within " + timeoutSeconds + " s: " + String.join(" ", cmd) + "\n" + out);
        }
        reader.join(10000);
        return new Result(p.exitValue(), out.toString(), (System.nanoTime() - t0) / 1_000_000);
    }
}
