package jtorch.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The d2l parameter-management port prints, character for character, what its PyTorch twin
 * ({@code tools/d2l_parameters.py}, whose output for each seed is committed next to this test) prints.
 */
class ParameterManagementTest {
    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void printsWhatPyTorchPrints(long seed) throws IOException {
        String expected;
        try (InputStream in = getClass().getResourceAsStream("/jtorch/examples/d2l_parameters_seed" + seed + ".txt")) {
            assertNotNull(in, "missing fixture (run tools/d2l_parameters.py --seed " + seed + ")");
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            ParameterManagement.main(new String[] {"--seed", Long.toString(seed)});
        } finally {
            System.setOut(original);
        }
        assertEquals(expected, buffer.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
