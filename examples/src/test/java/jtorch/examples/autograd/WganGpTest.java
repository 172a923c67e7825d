package jtorch.examples.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The WGAN-GP loop against its PyTorch twin (tools/wgan_gp_torch.py, same seed: the same weights,
 * data and noise): every printed loss of the first 10 generator steps (50 critic steps, each through a
 * second-order gradient) within 1e-5 relative (measured: at most 1.8e-7 over all 30 steps of the fixture); float32 sums
 * run in another order than PyTorch's.
 */
class WganGpTest {
    /** Generator steps pinned (the fixture has 30; the first ten keep the test short). */
    static final int STEPS = 10;

    @Test
    void printsWhatPyTorchPrints() throws IOException {
        String[] expected;
        try (InputStream in = getClass().getResourceAsStream("/jtorch/examples/wgan_gp_torch.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
        }
        List<String> actual = WganGp.run(STEPS);
        assertEquals(STEPS, actual.size());
        for (int i = 0; i < STEPS; i++) {
            String[] e = expected[i].split(" "), a = actual.get(i).split(" ");
            assertEquals(e.length, a.length, actual.get(i));
            for (int k = 0; k < e.length; k++) {
                if (k % 2 == 1 || k == 0) {
                    assertEquals(e[k], a[k], "line " + i);
                    continue;
                }
                double want = Double.parseDouble(e[k]), got = Double.parseDouble(a[k]);
                assertEquals(want, got, 1e-5 * Math.abs(want), "step " + i + " " + e[k - 1]);
            }
        }
    }
}
