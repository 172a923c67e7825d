package jtorch.utils.data;

import static jtorch.Torch.arange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import jtorch.Generator;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * Shuffled and ordered epochs of {@link DataLoader} and the subsets of {@link Dataset#randomSplit}
 * against what PyTorch 1.13 produced for the same seeds ({@code tools/gen_data_fixtures.py},
 * {@code data_fixtures.txt}), including how many values each generator gave up.
 */
class PyTorchDataParityTest {

    private static List<String[]> records() { return records("data_fixtures.txt", "tools/gen_data_fixtures.py"); }

    /** The tab-split records of a fixture file under {@code /jtorch/utils/data/} (also SamplerParityTest's). */
    static List<String[]> records(String file, String generator) {
        List<String[]> records = new ArrayList<>();
        try (InputStream in = PyTorchDataParityTest.class.getResourceAsStream("/jtorch/utils/data/" + file)) {
            assertNotNull(in, file + " is missing; run " + generator);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isEmpty() && !line.startsWith("#")) records.add(line.split("\t", -1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    private static List<String[]> recordsOf(String kind, String name) {
        return records().stream().filter(r -> r[0].equals(kind) && r[1].equals(name)).collect(Collectors.toList());
    }

    /** PyTorch's {@code torch.empty((), dtype=torch.int64).random_(generator=g).item()}. */
    private static String nextDraw(Generator g) {
        return Long.toString(g.random64() & Long.MAX_VALUE);
    }

    private static Generator generator(String spec) {
        return spec.equals("default") ? null : new Generator(Long.parseLong(spec.substring("seed:".length())));
    }

    private static void assertAfter(String name, Generator g) {
        String[] after = recordsOf("after", name).get(0);
        assertEquals(after[2], nextDraw(Generator.defaultGenerator()), name + ": next draw of the default generator");
        if (g != null) assertEquals(after[3], nextDraw(g), name + ": next draw of the loader's generator");
    }

    @TestFactory
    Stream<DynamicTest> shuffledBatchesMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] r : records()) {
            if (!r[0].equals("loader")) continue;
            for (int numWorkers : new int[] {0, 2}) {
                tests.add(DynamicTest.dynamicTest(r[1] + " with " + numWorkers + " workers", () -> runLoaderCase(r, numWorkers)));
            }
        }
        assertEquals(30, tests.size());
        return tests.stream();
    }

    private static void runLoaderCase(String[] r, int numWorkers) {
        String name = r[1];
        int n = Integer.parseInt(r[2]);
        int batchSize = Integer.parseInt(r[3]);
        boolean shuffle = r[4].equals("1");
        boolean dropLast = r[5].equals("1");
        int epochs = Integer.parseInt(r[8]);
        int take = r[9].equals("all") ? Integer.MAX_VALUE : Integer.parseInt(r[9]);
        Torch.manualSeed(Long.parseLong(r[7]));
        Generator g = generator(r[6]);
        var loader = new DataLoader<>(new TensorDataset(arange(n)), DataLoader.options().batchSize(batchSize)
                .shuffle(shuffle).dropLast(dropLast).generator(g).numWorkers(numWorkers));
        List<String[]> expectedEpochs = recordsOf("epoch", name);
        assertEquals(epochs, expectedEpochs.size());
        for (int e = 0; e < epochs; e++) {
            List<String> batches = new ArrayList<>();
            for (List<Tensor> batch : loader) {
                batches.add(Arrays.stream(batch.get(0).toLongArray()).mapToObj(Long::toString).collect(Collectors.joining(" ")));
                if (batches.size() == take) break;             // as PyTorch's loop breaks: no end-of-epoch draws
            }
            assertEquals(expectedEpochs.get(e)[3], String.join("|", batches), name + ", epoch " + e);
        }
        assertAfter(name, g);
    }

    @TestFactory
    Stream<DynamicTest> randomSplitMatchesPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] r : records()) {
            if (r[0].equals("split")) tests.add(DynamicTest.dynamicTest(r[1], () -> runSplitCase(r)));
        }
        assertEquals(8, tests.size());
        return tests.stream();
    }

    private static void runSplitCase(String[] r) {
        String name = r[1];
        int n = Integer.parseInt(r[2]);
        Dataset<Integer> range = Dataset.of(IntStream.range(0, n).boxed().collect(Collectors.toList()));
        Torch.manualSeed(Long.parseLong(r[6]));
        Generator g = generator(r[5]);
        String[] lengths = r[4].split(",");
        List<Subset<Integer>> subsets;
        if (r[3].equals("int")) {
            int[] ints = Arrays.stream(lengths).mapToInt(Integer::parseInt).toArray();
            subsets = g == null ? Dataset.randomSplit(range, ints) : Dataset.randomSplit(range, ints, g);
        } else {
            double[] fractions = Arrays.stream(lengths).mapToDouble(Double::parseDouble).toArray();
            subsets = g == null ? Dataset.randomSplit(range, fractions) : Dataset.randomSplit(range, fractions, g);
        }
        List<String> actual = new ArrayList<>();
        for (Subset<Integer> s : subsets) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) items.add(Integer.toString(s.get(i)));
            actual.add(String.join(" ", items));
            assertEquals(Arrays.stream(s.indices()).mapToObj(Integer::toString).collect(Collectors.joining(" ")), actual.get(actual.size() - 1));
        }
        assertEquals(recordsOf("subsets", name).get(0)[2], String.join("|", actual), name);
        assertAfter(name, g);
    }

    @Test
    void samplerSeedIsPyTorchsRandomInt64() {
        // torch.manual_seed(0); torch.empty((), dtype=torch.int64).random_().item() == 900450186894289455
        assertEquals("900450186894289455", nextDraw(new Generator(0)));
    }
}
