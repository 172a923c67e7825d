package jtorch.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jtorch.DType;
import jtorch.Size;
import jtorch.Tensor;
import jtorch.utils.data.DataLoader;

/**
 * {@link FashionMNIST} and {@link MNIST} on the committed subset of Fashion-MNIST (the first 1,000
 * training and 200 test images, {@code tools/make_fashion_mnist_subset.py}), checked against the
 * facts that script computed with its own IDX parser ({@code expected.txt}); and the errors for
 * missing and inconsistent files.
 */
class FashionMNISTTest {

    @TempDir
    Path tmp;

    static Path subsetDir() {
        try {
            var url = FashionMNISTTest.class.getResource("/jtorch/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
            assertNotNull(url, "the Fashion-MNIST subset is missing; run tools/make_fashion_mnist_subset.py");
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** expected.txt's records, keyed by their fields before the value ("labels\ttrain" -> "9 0 0 ..."). */
    static Map<String, String> expected() throws IOException {
        Map<String, String> facts = new TreeMap<>();
        for (String line : Files.readAllLines(subsetDir().resolve("expected.txt"), StandardCharsets.UTF_8)) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            int lastTab = line.lastIndexOf('\t');
            facts.put(line.substring(0, lastTab), line.substring(lastTab + 1));
        }
        return facts;
    }

    static long[] longs(String spaceSeparated) {
        return Arrays.stream(spaceSeparated.split(" ")).mapToLong(Long::parseLong).toArray();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void subsetMatchesWhatThePythonScriptRead(boolean train) throws IOException {
        Map<String, String> facts = expected();
        String split = train ? "train" : "t10k";
        var data = new FashionMNIST(subsetDir(), train);
        int n = Integer.parseInt(facts.get("count\t" + split));
        assertEquals(n, data.size());
        assertEquals(Size.of(n, 1, 28, 28), data.images().shape());
        assertEquals(DType.FLOAT32, data.images().dtype());
        assertEquals(Size.of(n), data.labels().shape());
        assertEquals(DType.INT64, data.labels().dtype());
        assertEquals(FashionMNIST.CLASSES, data.classes());
        assertEquals(train, data.train());

        long[] labels = data.labels().toLongArray();
        assertArrayEquals(longs(facts.get("labels\t" + split)), Arrays.copyOf(labels, 20));
        long[] histogram = new long[10];
        for (long l : labels) histogram[(int) l]++;
        assertArrayEquals(longs(facts.get("histogram\t" + split)), histogram);

        float[] pixels = data.images().toFloatArray();
        for (int i : new int[] {0, 1, n / 2, n - 1}) {
            long sum = 0;
            for (int k = i * 784; k < (i + 1) * 784; k++) sum += Math.round(pixels[k] * 255);
            assertEquals(Long.parseLong(facts.get("pixelsum\t" + split + "\t" + i)), sum, "pixel sum of image " + i);
        }
        for (String key : facts.keySet()) {
            if (!key.startsWith("row\t" + split + "\t")) continue;
            String[] f = key.split("\t");
            int image = Integer.parseInt(f[2]), row = Integer.parseInt(f[3]);
            long[] bytes = longs(facts.get(key));
            for (int c = 0; c < 28; c++) {
                float v = pixels[image * 784 + row * 28 + c];
                assertEquals((float) bytes[c] / 255f, v, "image " + image + " row " + row + " col " + c);  // exactly ToTensor's value
            }
        }
    }

    @Test
    void samplesAreImageAndScalarLabelAndBatchThroughADataLoader() {
        var data = new FashionMNIST(subsetDir(), true);
        List<Tensor> sample = data.get(0);
        assertEquals(Size.of(1, 28, 28), sample.get(0).shape());
        assertEquals(0, sample.get(1).dim());
        assertEquals(9, sample.get(1).itemLong());
        assertEquals("Ankle boot", data.classes().get(9));

        List<Integer> batchSizes = new ArrayList<>();
        long labelSum = 0;
        for (List<Tensor> batch : new DataLoader<>(data, DataLoader.options().batchSize(64).shuffle(true))) {
            assertEquals(Size.of(batch.get(1).size(0), 1, 28, 28), batch.get(0).shape());
            batchSizes.add((int) batch.get(1).size(0));
            for (long l : batch.get(1).toLongArray()) labelSum += l;
        }
        assertEquals(16, batchSizes.size());
        assertEquals(40, batchSizes.get(15));
        assertEquals(Arrays.stream(data.labels().toLongArray()).sum(), labelSum);
    }

    @Test
    void missingFilesNameThePackageAndTheFiles() throws IOException {
        var e = assertThrows(DatasetNotFoundException.class, () -> new FashionMNIST(tmp, true));
        assertEquals("Fashion-MNIST training set not found: " + tmp + " has no train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz. "
                + "Install Debian's package dataset-fashion-mnist (apt-get install dataset-fashion-mnist), which puts the files in "
                + "/usr/share/datasets/fashion-mnist/, or download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from https://github.com/zalandoresearch/fashion-mnist "
                + "(folder data/fashion) into a directory and pass that directory.", e.getMessage());
        assertEquals(List.of(tmp.resolve("train-images-idx3-ubyte.gz"), tmp.resolve("train-labels-idx1-ubyte.gz")), e.missing());

        Files.copy(subsetDir().resolve("t10k-images-idx3-ubyte.gz"), tmp.resolve("t10k-images-idx3-ubyte.gz"));
        e = assertThrows(DatasetNotFoundException.class, () -> new MNIST(tmp, false));
        assertTrue(e.getMessage().startsWith("MNIST test set not found: " + tmp + " has no t10k-labels-idx1-ubyte.gz. Download "),
                e.getMessage());

        Path nowhere = tmp.resolve("nowhere");
        e = assertThrows(DatasetNotFoundException.class, () -> new FashionMNIST(nowhere, false));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST test set not found: directory " + nowhere
                + " does not exist (looked for t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz). Install Debian's package"), e.getMessage());
    }

    @Test
    void uncompressedFilesAreFoundToo() throws IOException {
        Files.write(tmp.resolve("t10k-images-idx3-ubyte"), IdxFileTest.idx(IdxFile.IMAGES_MAGIC, new int[] {2, 28, 28}, new byte[2 * 784]));
        Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), IdxFileTest.idx(IdxFile.LABELS_MAGIC, new int[] {2}, new byte[] {3, 7}));
        var data = new MNIST(tmp, false);
        assertEquals(2, data.size());
        assertEquals(7, data.get(1).get(1).itemLong());
        assertEquals("7 - seven", data.classes().get(7));
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Files.write(tmp.resolve("train-images-idx3-ubyte.gz"),
                IdxFileTest.gzip(IdxFileTest.idx(IdxFile.IMAGES_MAGIC, new int[] {3, 28, 28}, new byte[3 * 784])));
        Files.write(tmp.resolve("train-labels-idx1-ubyte.gz"),
                IdxFileTest.gzip(IdxFileTest.idx(IdxFile.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2})));
        var e = assertThrows(IdxFormatException.class, () -> new FashionMNIST(tmp, true));
        assertEquals("Fashion-MNIST training set: " + tmp.resolve("train-images-idx3-ubyte.gz") + " holds 3 images but "
                + tmp.resolve("train-labels-idx1-ubyte.gz") + " holds 2 labels", e.getMessage());
    }

    @Test
    void labelsOutsideTheClassesAreRejected() throws IOException {
        Files.write(tmp.resolve("train-images-idx3-ubyte.gz"),
                IdxFileTest.gzip(IdxFileTest.idx(IdxFile.IMAGES_MAGIC, new int[] {3, 28, 28}, new byte[3 * 784])));
        Files.write(tmp.resolve("train-labels-idx1-ubyte.gz"),
                IdxFileTest.gzip(IdxFileTest.idx(IdxFile.LABELS_MAGIC, new int[] {3}, new byte[] {1, 10, 2})));
        var e = assertThrows(IdxFormatException.class, () -> new FashionMNIST(tmp, true));
        assertEquals("Fashion-MNIST training set: label 10 at index 1 of " + tmp.resolve("train-labels-idx1-ubyte.gz")
                + " is not a class index (expected 0..9)", e.getMessage());
    }

    @Test
    void aTruncatedCopyOfTheRealFileFailsClearly() throws IOException {
        byte[] gz = Files.readAllBytes(subsetDir().resolve("train-images-idx3-ubyte.gz"));
        Files.write(tmp.resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(gz, gz.length * 2 / 3));
        Files.copy(subsetDir().resolve("train-labels-idx1-ubyte.gz"), tmp.resolve("train-labels-idx1-ubyte.gz"));
        var e = assertThrows(IdxFormatException.class, () -> new FashionMNIST(tmp, true));
        assertTrue(e.getMessage().startsWith(tmp.resolve("train-images-idx3-ubyte.gz") + " is truncated: its header declares 1000 items of 28x28 "
                + "(784000 bytes after the header) but the data ends after "), e.getMessage());
    }
}
