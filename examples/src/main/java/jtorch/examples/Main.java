package jtorch.examples;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static jtorch.Torch.manualSeed;

/**
 * Runs the tutorial's three programs in order, as one script: {@code --seed N} (default 0) seeds
 * the generator once at the start, as {@code torch.manual_seed(N)} at the top of the post's code.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    /** {@code --seed N} from the arguments, 0 by default. */
    static long seed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--seed")) {
                if (i + 1 >= args.length) throw new IllegalArgumentException("--seed needs a value");
                return Long.parseLong(args[i + 1]);
            }
            if (args[i].startsWith("--seed=")) return Long.parseLong(args[i].substring("--seed=".length()));
        }
        return 0;
    }

    public static void main(String[] args) {
        long seed = seed(args);
        LOG.info("tutorial with manual_seed({})", seed);
        manualSeed(seed);
        System.out.println("# 1. corr2d and a custom Conv2D module");
        CustomConv2D.run();
        System.out.println();
        System.out.println("# 2. nn.Conv2d(1, 1, kernel_size=(1, 2), bias=False)");
        BuiltinConv2d.run();
        System.out.println();
        System.out.println("# 3. padding and stride");
        PaddingAndStride.run();
    }
}
