package jtorch.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The two bindings of the native GEMM ({@link NetlibBlas} JNI, {@link ForeignBlas} {@code
 * java.lang.foreign}) and the two libraries (the system OpenBLAS, the one bundled in {@code
 * org.bytedeco:openblas}, a test dependency of core). CI installs the system OpenBLAS, so every
 * test runs on JDK 17 and 25; where a JDK lacks a binding, the test checks that it says why.
 */
class NativeBlasBindingTest {
    private static final GemmKernel JAVA = new ScalarGemm();

    private static Path systemOpenBlas() {
        Path p = NativeGemm.findOpenBlas();
        assumeTrue(p != null, "no system OpenBLAS (CI installs libopenblas0-pthread)");
        return p;
    }

    /** The test class path carries org.bytedeco:openblas's linux-x86_64 jar only. */
    private static void assumeBundledPlatform() {
        String arch = System.getProperty("os.arch", "");
        assumeTrue(NativeGemm.onLinux() && (arch.equals("amd64") || arch.equals("x86_64")),
                "the test class path has org.bytedeco:openblas for linux-x86_64 only");
    }

    /** One product of the sweep: sizes, which operands are transposed views, offsets, accumulation, threads. */
    private static final class Case {
        final int m, n, k, threads;
        final boolean ta, tb, accumulate;
        final int ao, bo, co;

        Case(int m, int n, int k, boolean ta, boolean tb, int ao, int bo, int co, boolean accumulate, int threads) {
            this.m = m; this.n = n; this.k = k; this.ta = ta; this.tb = tb;
            this.ao = ao; this.bo = bo; this.co = co; this.accumulate = accumulate; this.threads = threads;
        }

        @Override public String toString() {
            return m + "x" + k + (ta ? "(t)" : "") + " @ " + k + "x" + n + (tb ? "(t)" : "") + " offsets " + ao + "/" + bo + "/" + co
                    + (accumulate ? " accumulate" : "") + ", " + threads + " threads";
        }
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true}) {
                cases.add(new Case(67, 45, 130, ta, tb, 0, 0, 0, false, 1));
                cases.add(new Case(67, 45, 130, ta, tb, 5, 11, 3, true, 1));
                // 517 rows on 2 threads: 4 row blocks (GemmTest#nativeBalancedBlocksGiveTheOneThreadBits), one OpenBLAS call each
                cases.add(new Case(517, 300, 300, ta, tb, 7, 2, 9, false, 2));
                cases.add(new Case(517, 300, 300, ta, tb, 0, 0, 0, true, 2));
            }
        return cases;
    }

    /** Runs {@code c} on {@code gemm} in float32 and float64 (same seeds every time); returns both outputs. */
    private static Object[] run(GemmKernel gemm, Case c) {
        Random rnd = new Random(c.m * 31 + c.n * 7 + c.k);
        int aLen = c.ao + c.m * c.k, bLen = c.bo + c.k * c.n, cLen = c.co + c.m * c.n;
        float[] a = new float[aLen], b = new float[bLen], out = new float[cLen];
        double[] ad = new double[aLen], bd = new double[bLen], outd = new double[cLen];
        for (int i = 0; i < aLen; i++) ad[i] = a[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < bLen; i++) bd[i] = b[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < cLen; i++) outd[i] = out[i] = (float) rnd.nextGaussian();
        // A transposed: A is stored k x m and read with strides (1, m); likewise B
        int ars = c.ta ? 1 : c.k, acs = c.ta ? c.m : 1, brs = c.tb ? 1 : c.n, bcs = c.tb ? c.k : 1;
        gemm.sgemm(c.m, c.n, c.k, a, c.ao, ars, acs, b, c.bo, brs, bcs, out, c.co, c.n, c.accumulate, c.threads);
        gemm.dgemm(c.m, c.n, c.k, ad, c.ao, ars, acs, bd, c.bo, brs, bcs, outd, c.co, c.n, c.accumulate, c.threads);
        return new Object[] {out, outd};
    }

    /**
     * On JDK 22+ the foreign binding and netlib's JNI, on the same system OpenBLAS, give the same
     * bits for every case (both precisions, transposed operands, offsets, row blocks over two
     * threads), and those agree with the Java GEMM. On JDK 17 the foreign binding is refused with
     * the JDK it needs.
     */
    @Test
    void foreignAndNetlibGiveTheSameBits() throws Exception {
        Path lib = systemOpenBlas();
        if (Runtime.version().feature() < 22) {
            NativeGemm.Unavailable e = assertThrows(NativeGemm.Unavailable.class, () -> NativeGemm.load(JAVA, lib, "system", "foreign"));
            assertTrue(e.getMessage().contains("need JDK 22 or later; this is JDK " + Runtime.version().feature()), e.getMessage());
            // and the provider this JDK uses is netlib's
            assertTrue(Kernels.describe(KernelProvider.NATIVE).contains("dev.ludovic.netlib JNIBLAS"), Kernels.describe(KernelProvider.NATIVE));
            return;
        }
        NativeGemm foreign = NativeGemm.load(JAVA, lib, "system", "foreign"), netlib = NativeGemm.load(JAVA, lib, "system", "netlib");
        assertTrue(foreign.describe().contains("java.lang.foreign"), foreign.describe());
        assertTrue(netlib.describe().contains("JNIBLAS"), netlib.describe());
        for (Case c : cases()) {
            Object[] f = run(foreign, c), j = run(netlib, c), ref = run(JAVA, c);
            assertArrayEquals((float[]) j[0], (float[]) f[0], c + ", float32");
            assertArrayEquals((double[]) j[1], (double[]) f[1], c + ", float64");
            float[] fr = (float[]) ref[0];
            for (int i = 0; i < fr.length; i++)
                assertEquals(fr[i], ((float[]) f[0])[i], 1e-3f * (1 + Math.abs(fr[i])), c + ": against the Java GEMM at " + i);
        }
    }

    /**
     * With {@code -Djtorch.blas.path=bundled} the provider binds the library javacpp extracted,
     * through this JDK's binding, with OpenBLAS's threads set to one (by java.lang.foreign on JDK
     * 22+, by javacpp's JNI on JDK 17 without flags), and its products agree with the Java GEMM.
     */
    @Test
    void bundledLibraryIsFoundAndUsed() throws Exception {
        assumeBundledPlatform();
        Map<String, String> out = probe("-Djtorch.blas.path=bundled");
        String d = out.get("describe");
        assertEquals("null", out.get("reason"), String.valueOf(out));
        assertTrue(d.contains("bundled org.bytedeco:openblas") && d.contains(".javacpp"), d);
        assertTrue(d.contains(Runtime.version().feature() >= 22 ? "java.lang.foreign (critical" : "dev.ludovic.netlib JNIBLAS"), d);
        assertTrue(d.contains(Runtime.version().feature() >= 22 ? "threads set through java.lang.foreign" : "threads set through javacpp"), d);
        assertEquals("1", out.get("threads"), String.valueOf(out));
        assertEquals("true", out.get("agrees"), String.valueOf(out));
    }

    /**
     * Without a property the system OpenBLAS comes first where its threads can be set (JDK 22+);
     * on JDK 17 run without the incubating foreign linker (as this child is) the bundled one does,
     * because javacpp sets its threads through JNI and nothing could set the system library's.
     */
    @Test
    void searchOrderFollowsThreadControl() throws Exception {
        assumeBundledPlatform();
        systemOpenBlas();
        Map<String, String> out = probe();
        String d = out.get("describe");
        assertEquals("null", out.get("reason"), String.valueOf(out));
        if (Runtime.version().feature() >= 22) assertTrue(d.contains(", system) through java.lang.foreign"), d);
        else assertTrue(d.contains(", bundled org.bytedeco:openblas) through dev.ludovic.netlib JNIBLAS"), d);
        assertEquals("1", out.get("threads"), String.valueOf(out));
    }

    /** A wrong path, a library that is not OpenBLAS, or an unknown binding: each says what was asked and why it failed. */
    @Test
    void wrongRequestsFailClearly(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        NativeGemm.Unavailable missing = assertThrows(NativeGemm.Unavailable.class,
                () -> NativeGemm.load(JAVA, Path.of("/nonexistent/libopenblas.so.0"), "-Djtorch.blas.path=/nonexistent/libopenblas.so.0", "auto"));
        assertEquals("-Djtorch.blas.path=/nonexistent/libopenblas.so.0: /nonexistent/libopenblas.so.0 does not exist", missing.getMessage());
        Path reference = java.nio.file.Files.createFile(dir.resolve("libblas.so.3"));
        NativeGemm.Unavailable notBlas = assertThrows(NativeGemm.Unavailable.class, () -> NativeGemm.load(JAVA, reference, "test", "auto"));
        assertEquals(reference + " resolves to " + reference.toRealPath() + ", which is not OpenBLAS (a reference BLAS is slower "
                + "than the Java kernels, so it is refused)", notBlas.getMessage());
        NativeGemm.Unavailable binding = assertThrows(NativeGemm.Unavailable.class,
                () -> NativeGemm.load(JAVA, systemOpenBlas(), "system", "jni"));
        assertEquals("-Djtorch.blas.binding=jni is not one of foreign, netlib, auto", binding.getMessage());
    }

    /** Runs {@link BundledBlasProbe} in a child JVM on this test's class path; returns its key=value lines. */
    private static Map<String, String> probe(String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : jvmArgs) cmd.add(a);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BundledBlasProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, String> out = new HashMap<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                all.append(line).append('\n');
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).matches("[a-zA-Z]+")) out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertEquals(0, p.waitFor(), "the probe JVM failed:\n" + all);
        assertTrue(out.containsKey("describe"), "no description from the probe:\n" + all);
        return out;
    }
}
