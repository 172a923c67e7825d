package jtorch.examples.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The custom-function tutorial against its PyTorch twin's output (tools/polynomial_custom_function.py):
 * the same lines, the losses within 1e-5 relative and the fitted coefficients within 1e-6 absolute
 * (float32 sums of 2000 terms run in another order; a and c are rounding noise around 0).
 */
class PolynomialCustomFunctionTest {
    private static final Pattern RESULT = Pattern.compile(
            "Result: y = (\\S+) \\+ (\\S+) \\* P3\\((\\S+) \\+ (\\S+) x\\)");

    @Test
    void printsWhatPyTorchPrints() throws IOException {
        String[] expected;
        try (InputStream in = getClass().getResourceAsStream("/jtorch/examples/polynomial_custom_function.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
        }
        List<String> actual = PolynomialCustomFunction.run();
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length - 1; i++) {
            String[] e = expected[i].split(" "), a = actual.get(i).split(" ");
            assertEquals(e[0], a[0], "step");
            double want = Double.parseDouble(e[1]), got = Double.parseDouble(a[1]);
            assertEquals(want, got, 1e-5 * want, "loss at step " + e[0]);
        }
        Matcher e = RESULT.matcher(expected[expected.length - 1]), a = RESULT.matcher(actual.get(actual.size() - 1));
        assertTrue(e.matches() && a.matches(), actual.get(actual.size() - 1));
        for (int k = 1; k <= 4; k++)
            assertEquals(Double.parseDouble(e.group(k)), Double.parseDouble(a.group(k)), 1e-6, "coefficient " + k);
    }
}
