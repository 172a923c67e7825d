package jtorch.kernels;

import java.util.ArrayList;
import java.util.List;

import jtorch.Torch;

/**
 * Runs a kernel check on every provider this machine has, on one and on two threads: the loop
 * that kernel tests share. A check that needs a provider the machine may lack (OpenBLAS not
 * installed, the Vector API module not added) is marked {@link RequiresProvider} instead, so
 * that it is reported as skipped there, not as passed.
 *
 * <pre>{@code
 * EveryProvider.onOneAndTwoThreads((provider, threads) -> assertEquals(want, kernel(x), provider + " " + threads + " threads"));
 * }</pre>
 */
final class EveryProvider {
    private EveryProvider() {}

    /** One run of a check under one provider and thread count. */
    @FunctionalInterface
    interface Check {
        void run(KernelProvider provider, int threads);
    }

    /** The providers this machine has, in declaration order (SCALAR always among them). */
    static List<KernelProvider> available() {
        List<KernelProvider> providers = new ArrayList<>();
        for (KernelProvider p : KernelProvider.values()) if (Kernels.isAvailable(p)) providers.add(p);
        return providers;
    }

    /**
     * For each available provider (its {@link Kernels#use} scope open), runs {@code check} on one
     * thread and then on two (so a check may compare the second run with the first); restores the
     * thread count afterwards.
     */
    static void onOneAndTwoThreads(Check check) {
        int previous = Torch.getNumThreads();
        try {
            for (KernelProvider p : available())
                for (int threads = 1; threads <= 2; threads++) {
                    Torch.setNumThreads(threads);
                    try (Kernels.Scope s = Kernels.use(p)) {
                        check.run(p, threads);
                    }
                }
        } finally {
            Torch.setNumThreads(previous);
        }
    }
}
