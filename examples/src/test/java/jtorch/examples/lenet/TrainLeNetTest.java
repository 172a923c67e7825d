package jtorch.examples.lenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jtorch.datasets.DatasetNotFoundException;

/**
 * The LeNet example on the committed Fashion-MNIST subset (1,000 training and 200 test images, in
 * core's test resources), against its PyTorch twin on the same subset:
 *
 * <pre>
 * /usr/bin/python3 tools/lenet_torch.py --data core/src/test/resources/jtorch/datasets/fashion-mnist --epochs 3 --model MODEL \
 *     | sed -E 's/, [0-9.]+ s \([0-9]+ img\/s\)//; s/, [0-9]+ threads//' > examples/src/test/resources/jtorch/examples/lenet_subset_torch_MODEL.txt
 * </pre>
 *
 * Same seed, so same initial weights and same batches: the numbers agree up to float32 rounding,
 * which differs only because the two libraries sum GEMM products in different orders. Tolerances:
 * the first loss to 2e-6 (two units of its last printed digit), epoch losses to 2e-4, accuracies
 * to two images.
 */
class TrainLeNetTest {

    static final Path SUBSET = Path.of("../core/src/test/resources/jtorch/datasets/fashion-mnist");

    @TempDir
    Path tmp;

    private static final Pattern EPOCH = Pattern.compile("epoch (\\d+): loss ([0-9.]+), train acc ([0-9.]+), test acc ([0-9.]+)");
    private static final Pattern FIRST = Pattern.compile("first batch loss ([0-9.]+)");

    static String torchOutput(String model) throws IOException {
        try (InputStream in = TrainLeNetTest.class.getResourceAsStream("/jtorch/examples/lenet_subset_torch_" + model + ".txt")) {
            assertNotNull(in, "fixture for " + model + " is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<double[]> epochs(String output) {
        List<double[]> rows = new ArrayList<>();
        Matcher m = EPOCH.matcher(output);
        while (m.find()) {
            rows.add(new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))});
        }
        return rows;
    }

    static double firstLoss(String output) {
        Matcher m = FIRST.matcher(output);
        assertTrue(m.find(), output);
        return Double.parseDouble(m.group(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"modern", "classic"})
    void trainsLikeThePyTorchTwinAndDrawsTheCurves(String model) throws IOException {
        assertTrue(Files.isDirectory(SUBSET), "run from the examples module: " + SUBSET.toAbsolutePath());
        var config = TrainLeNet.Config.parse(new String[] {"--data", SUBSET.toString(), "--epochs", "3", "--model", model,
                "--plot", tmp.resolve("curves").toString()});
        var buffer = new ByteArrayOutputStream();
        var history = TrainLeNet.run(config, false, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String output = buffer.toString(StandardCharsets.UTF_8);
        String expected = torchOutput(model);

        assertEquals(firstLoss(expected), firstLoss(output), 2e-6, output);
        List<double[]> ours = epochs(output), theirs = epochs(expected);
        assertEquals(3, ours.size(), output);
        assertEquals(3, theirs.size());
        assertEquals(3, history.size());
        for (int e = 0; e < 3; e++) {
            assertEquals(theirs.get(e)[0], ours.get(e)[0], 2e-4, "loss, epoch " + (e + 1));
            assertEquals(theirs.get(e)[1], ours.get(e)[1], 2.0 / 1000, "train accuracy, epoch " + (e + 1));
            assertEquals(theirs.get(e)[2], ours.get(e)[2], 2.0 / 200, "test accuracy, epoch " + (e + 1));
            assertEquals(ours.get(e)[2], history.get(e).testAccuracy(), 5e-5);
        }

        Path png = tmp.resolve("curves.png");
        assertTrue(output.contains("curves written to " + png.toAbsolutePath()), output);
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "not a readable PNG: " + png);
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
    }

    @Test
    void missingDataNamesThePackageToInstall() {
        var config = TrainLeNet.Config.parse(new String[] {"--data", tmp.toString(), "--epochs", "1"});
        var e = assertThrows(DatasetNotFoundException.class, () -> TrainLeNet.run(config, false, new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void commandLineDefaultsAndMistakes() {
        var defaults = TrainLeNet.Config.parse(new String[0]);
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), defaults.data());
        assertEquals(10, defaults.epochs());
        assertEquals("modern", defaults.model());
        assertEquals(3e-3, defaults.lr());
        assertEquals(Path.of("lenet-modern.png"), defaults.plot());
        assertEquals(0.9, TrainLeNet.Config.parse(new String[] {"--model", "classic"}).lr());

        var e = assertThrows(TrainLeNet.UsageException.class, () -> TrainLeNet.Config.parse(new String[] {"--model", "alexnet"}));
        assertEquals("--model is classic or modern, got alexnet", e.getMessage());
        e = assertThrows(TrainLeNet.UsageException.class, () -> TrainLeNet.Config.parse(new String[] {"--epochs"}));
        assertEquals("--epochs needs a value", e.getMessage());
        e = assertThrows(TrainLeNet.UsageException.class, () -> TrainLeNet.Config.parse(new String[] {"--epochs", "ten"}));
        assertEquals("--epochs needs a number, got ten", e.getMessage());
        e = assertThrows(TrainLeNet.UsageException.class, () -> TrainLeNet.Config.parse(new String[] {"--colour", "red"}));
        assertEquals("unknown option --colour", e.getMessage());
    }

    @Test
    void terminalProgressRedrawsOneLine() {
        var buffer = new ByteArrayOutputStream();
        var progress = new EpochProgress("epoch 1/2", 4, true, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        progress.update(4, 0.5, 1024);
        progress.finish();
        String shown = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(shown.startsWith("\repoch 1/2 [" + "#".repeat(30) + "] 4/4  loss 0.5000  "), shown);
        assertTrue(shown.endsWith("img/s  ETA 0:00" + System.lineSeparator()), shown);
    }

    @Test
    void clockFormatsMinutesAndHours() {
        assertEquals("0:07", EpochProgress.clock(7.4));
        assertEquals("2:05", EpochProgress.clock(125));
        assertEquals("1:01:01", EpochProgress.clock(3661));
    }
}
