package consumer;

import java.lang.management.ManagementFactory;
import java.util.Locale;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.Conv2d;
import jtorch.nn.CrossEntropyLoss;
import jtorch.nn.Linear;
import jtorch.nn.Module;
import jtorch.nn.functional.F;
import jtorch.optim.Adam;

/**
 * What a user's project does with jtorch, run with no JVM flags: trains a small CNN on a synthetic
 * two-class image task until it separates the classes, then checks that {@code
 * Torch.setNumThreads(1)} holds for a matmul loop (process CPU time over wall time near 1, so no
 * BLAS or pool thread keeps working beside the caller). Exits with status 1 when either fails.
 */
public final class SmallCnn {
    private SmallCnn() {}

    /** A user's model: a subclass of Module in the user's own package (and module). */
    static final class Net extends Module {
        final Conv2d conv = registerModule("conv", new Conv2d(Conv2d.options(1, 4, 3).padding(1)));
        final Linear fc = registerModule("fc", new Linear(4 * 4 * 4, 2));

        @Override
        public Tensor forward(Tensor x) { return fc.forward(F.maxPool2d(F.relu(conv.forward(x)), 2).flatten(1)); }
    }

    public static void main(String[] args) {
        Torch.manualSeed(0);
        int n = 128;
        Tensor y = Torch.randint(0, 2, n);
        // Class 0 lights the top half of an 8x8 image, class 1 the bottom half, under unit noise.
        float[] pixels = new float[n * 64];
        long[] labels = y.toLongArray();
        float[] noise = Torch.randn(n, 64).toFloatArray();
        for (int i = 0; i < n; i++)
            for (int p = 0; p < 64; p++)
                pixels[i * 64 + p] = noise[i * 64 + p] + ((p < 32) == (labels[i] == 0) ? 1.5f : 0f);
        Tensor x = Torch.tensor(pixels).view(n, 1, 8, 8);

        Net model = new Net();
        Adam optimizer = new Adam(model.parameters(), 0.01);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++) {
            Tensor loss = lossFn.forward(model.forward(x), y);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        double accuracy = Torch.noGrad(() -> model.forward(x).argmax(1).eq(y).sum().itemLong()) / (double) n;
        System.out.printf(Locale.ROOT, "small CNN: loss %.4f -> %.4f, training accuracy %.3f%n", first, last, accuracy);
        boolean ok = last < first / 4 && accuracy >= 0.95;

        Torch.setNumThreads(1);
        Tensor a = Torch.randn(512, 512), b = Torch.randn(512, 512);
        for (int i = 0; i < 20; i++) a.matmul(b); // warm-up: the JIT's compiler threads settle first
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime(), wall0 = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - wall0 < 2_000_000_000L || calls < 20) {
            a.matmul(b);
            calls++;
        }
        double busy = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - wall0);
        System.out.printf(Locale.ROOT, "setNumThreads(1): %d matmuls of 512x512, process CPU / wall %.2f (JDK %s)%n",
                calls, busy, Runtime.version());
        ok &= busy < 1.3;
        if (!ok) {
            System.out.println("FAILED: the CNN did not learn the task, or more than one core worked after setNumThreads(1)");
            System.exit(1);
        }
        System.out.println("OK");
    }
}
