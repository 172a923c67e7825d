package jtorch.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import jtorch.datasets.DatasetNotFoundException;

/**
 * The port of pytorch/examples {@code mnist/main.py} on the committed Fashion-MNIST subset
 * (1,000 training and 200 test images in core's test resources, the IDX format of MNIST), two
 * epochs of three batches, against its PyTorch twin's output ({@code tools/mnist_torch.py}, the
 * command is in its docstring; {@code mnist_subset_torch.txt}).
 *
 * <p>Same seed, so the same initial weights, dropout masks and batches. Every line must have the
 * script's text; the numbers may differ by float32 rounding only (the libraries sum the
 * convolutions' products in different orders, and Adadelta with {@code lr=1.0} carries that
 * into the next steps): training losses (printed to 6 decimals) within 1e-5 (measured: 1e-6 apart
 * at most), test losses (4 decimals) within one unit of the last digit; the accuracy counts and
 * percentages must be equal (no test image lies close enough to a decision boundary to flip).
 */
class MnistExampleTest {

    static final Path SUBSET = Path.of("../core/src/test/resources/jtorch/datasets/fashion-mnist");
    static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");

    static String torchOutput() throws IOException {
        try (InputStream in = MnistExampleTest.class.getResourceAsStream("/jtorch/examples/mnist_subset_torch.txt")) {
            assertNotNull(in, "mnist_subset_torch.txt is missing; see tools/mnist_torch.py");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void printsWhatThePyTorchTwinPrints() throws IOException {
        assertTrue(Files.isDirectory(SUBSET), "run from the examples module: " + SUBSET.toAbsolutePath());
        var args = MnistExample.Args.parse("--data", SUBSET.toString(), "--epochs", "2", "--train-batches", "3", "--log-interval", "1");
        var buffer = new ByteArrayOutputStream();
        MnistExample.run(args, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String[] ours = buffer.toString(StandardCharsets.UTF_8).split("\n", -1);
        String[] theirs = torchOutput().split("\n", -1);
        assertEquals(theirs.length, ours.length, String.join("\n", ours));
        int trainLines = 0, testLines = 0;
        for (int i = 0; i < theirs.length; i++) {
            String e = theirs[i], a = ours[i];
            // the same words and punctuation around the numbers
            assertEquals(NUMBER.matcher(e).replaceAll("#"), NUMBER.matcher(a).replaceAll("#"), "line " + (i + 1));
            Matcher me = NUMBER.matcher(e), ma = NUMBER.matcher(a);
            while (me.find()) {
                assertTrue(ma.find());
                String ev = me.group(), av = ma.group();
                if (e.startsWith("Train Epoch") && ev.contains(".")) {
                    assertEquals(Double.parseDouble(ev), Double.parseDouble(av), 1e-5, "training loss, line " + (i + 1) + ": " + a);
                    trainLines++;
                } else if (e.startsWith("Test set") && ev.contains(".")) {
                    assertEquals(Double.parseDouble(ev), Double.parseDouble(av), 1e-4, "test loss, line " + (i + 1) + ": " + a);
                    testLines++;
                } else if (e.startsWith("Test set") && e.indexOf(ev + "/") == me.start()) {
                    assertEquals(ev, av, "correct count, line " + (i + 1) + ": " + a);
                } else if (e.startsWith("Test set") && e.indexOf("(" + ev + "%") == me.start() - 1) {
                    assertEquals(ev, av, "accuracy %, line " + (i + 1) + ": " + a);
                } else {
                    assertEquals(ev, av, "line " + (i + 1));
                }
            }
        }
        assertEquals(6, trainLines);
        assertEquals(2, testLines);
    }

    @Test
    void formatsNumbersAsPython() {
        assertEquals("12", MnistExample.fixed(12.5, 0));     // '{:.0f}'.format(12.5): half to even
        assertEquals("14", MnistExample.fixed(13.5, 0));
        assertEquals("2.330319", MnistExample.fixed(2.3303194, 6));
        assertEquals("0.1000", MnistExample.fixed(0.1, 4));
    }

    @Test
    void optionsAreTheScripts() {
        var d = MnistExample.Args.parse();
        assertEquals(64, d.batchSize());
        assertEquals(1000, d.testBatchSize());
        assertEquals(14, d.epochs());
        assertEquals(1.0, d.lr());
        assertEquals(0.7, d.gamma());
        assertEquals(1, d.seed());
        assertEquals(10, d.logInterval());
        var e = assertThrows(IllegalArgumentException.class, () -> MnistExample.Args.parse("--epochs"));
        assertEquals("argument --epochs: expected one argument", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MnistExample.Args.parse("--bogus", "1"));
        assertThrows(IllegalArgumentException.class, () -> MnistExample.Args.parse("--lr", "fast"));
    }

    @Test
    void missingDataIsReported() {
        var args = MnistExample.Args.parse("--data", "/nonexistent/mnist");
        assertThrows(DatasetNotFoundException.class, () -> MnistExample.run(args, new PrintStream(new ByteArrayOutputStream())));
    }
}
