package jtorch.utils.data;

import static jtorch.Torch.arange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import jtorch.Generator;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * The samplers ({@link SequentialSampler}, {@link RandomSampler}, {@link SubsetRandomSampler},
 * {@link WeightedRandomSampler}, {@link BatchSampler}) and DataLoaders built on them
 * ({@code sampler}, {@code batchSampler}) against what PyTorch 1.13 produced for the same seeds
 * ({@code tools/gen_sampler_fixtures.py}, {@code sampler_fixtures.txt}): every index of every
 * epoch, and the next value of each generator afterwards (so the number of values drawn is
 * PyTorch's too). Also the errors PyTorch raises for the same calls, message for message.
 */
class SamplerParityTest {

    private static final List<String[]> RECORDS = read();

    private static List<String[]> read() {
        return PyTorchDataParityTest.records("sampler_fixtures.txt", "tools/gen_sampler_fixtures.py");
    }

    private static List<String[]> recordsOf(String kind, String name) {
        return RECORDS.stream().filter(r -> r[0].equals(kind) && r[1].equals(name)).collect(Collectors.toList());
    }

    static final double[] WEIGHTS = {0.1, 0.9, 0.4, 0.7, 3.0, 0.6};

    static double[] largeWeights() {
        double[] w = new double[200];
        for (int i = 0; i < w.length; i++) w[i] = (i % 7) + 0.5;
        return w;
    }

    static Dataset<List<Tensor>> ds(int n) { return new TensorDataset(arange(n)); }

    /** What a case iterates, and the generator its 'after' record checks besides the default one. */
    record Built(Iterable<?> iterable, Generator generator, boolean loader) {}

    /** The same objects as the generator's build(name). */
    static Built build(String name) {
        Generator g;
        switch (name) {
            case "sequential": return new Built(new SequentialSampler(ds(7)), null, false);
            case "random_default": return new Built(new RandomSampler(ds(10)), null, false);
            case "random_generator":
                g = new Generator(5);
                return new Built(new RandomSampler(ds(10), RandomSampler.options().generator(g)), g, false);
            case "random_num_samples_more":
                g = new Generator(3);
                return new Built(new RandomSampler(ds(7), RandomSampler.options().numSamples(17).generator(g)), g, false);
            case "random_num_samples_fewer":
                return new Built(new RandomSampler(ds(10), RandomSampler.options().numSamples(4)), null, false);
            case "random_num_samples_multiple":
                g = new Generator(8);
                return new Built(new RandomSampler(ds(5), RandomSampler.options().numSamples(10).generator(g)), g, false);
            case "random_replacement":
                g = new Generator(2);
                return new Built(new RandomSampler(ds(10), RandomSampler.options().replacement(true).generator(g)), g, false);
            case "random_replacement_chunks":
                return new Built(new RandomSampler(ds(1000), RandomSampler.options().replacement(true).numSamples(100)), null, false);
            case "subset_random":
                g = new Generator(11);
                return new Built(new SubsetRandomSampler(List.of(3, 9, 4, 1, 7, 0), g), g, false);
            case "subset_random_default": return new Built(new SubsetRandomSampler(List.of(10, 20, 30, 40, 50)), null, false);
            case "weighted_replacement":
                g = new Generator(0);
                return new Built(new WeightedRandomSampler(WEIGHTS, 20, true, g), g, false);
            case "weighted_no_replacement":
                g = new Generator(1);
                return new Built(new WeightedRandomSampler(WEIGHTS, 4, false, g), g, false);
            case "weighted_no_replacement_all":
                g = new Generator(12);
                return new Built(new WeightedRandomSampler(WEIGHTS, 6, false, g), g, false);
            case "weighted_one": return new Built(new WeightedRandomSampler(WEIGHTS, 1), null, false);
            case "weighted_large_replacement":
                g = new Generator(9);
                return new Built(new WeightedRandomSampler(largeWeights(), 500, true, g), g, false);
            case "weighted_large_no_replacement":
                g = new Generator(10);
                return new Built(new WeightedRandomSampler(largeWeights(), 150, false, g), g, false);
            case "batch_sequential": return new Built(new BatchSampler(new SequentialSampler(ds(10)), 3, false), null, false);
            case "batch_sequential_drop_last": return new Built(new BatchSampler(new SequentialSampler(ds(10)), 3, true), null, false);
            case "batch_random":
                g = new Generator(4);
                return new Built(new BatchSampler(new RandomSampler(ds(10), RandomSampler.options().generator(g)), 4, false), g, false);
            case "loader_weighted_sampler":
                g = new Generator(6);
                return new Built(new DataLoader<>(ds(6), DataLoader.options().batchSize(5).numWorkers(0)
                        .sampler(new WeightedRandomSampler(WEIGHTS, 12, true, g))), g, true);
            case "loader_batch_sampler": {
                g = new Generator(7);
                var d = ds(10);
                return new Built(new DataLoader<>(d, DataLoader.options().numWorkers(2)
                        .batchSampler(new BatchSampler(new RandomSampler(d, RandomSampler.options().generator(g)), 3, true))), g, true);
            }
            case "loader_subset_sampler_drop_last":
                return new Built(new DataLoader<>(ds(20), DataLoader.options().batchSize(2).dropLast(true)
                        .sampler(new SubsetRandomSampler(List.of(1, 3, 5, 7, 9, 11, 13)))), null, true);
            case "loader_random_sampler_replacement": {
                g = new Generator(13);
                var d = ds(8);
                return new Built(new DataLoader<>(d, DataLoader.options().batchSize(4).generator(new Generator(14))
                        .sampler(new RandomSampler(d, RandomSampler.options().replacement(true).numSamples(10).generator(g)))), g, true);
            }
            default: throw new IllegalArgumentException(name);
        }
    }

    /** One epoch as the generator writes it: indices by ' ', batches by '|'. */
    @SuppressWarnings("unchecked")
    static String epoch(Built b) {
        List<String> parts = new ArrayList<>();
        boolean batches = false;
        for (Object o : b.iterable()) {
            if (b.loader()) {
                batches = true;
                Tensor t = ((List<Tensor>) o).get(0);
                parts.add(java.util.Arrays.stream(t.toLongArray()).mapToObj(Long::toString).collect(Collectors.joining(" ")));
            } else if (o instanceof List) {
                batches = true;
                parts.add(((List<Integer>) o).stream().map(String::valueOf).collect(Collectors.joining(" ")));
            } else {
                parts.add(String.valueOf(o));
            }
        }
        return String.join(batches ? "|" : " ", parts);
    }

    static void runCase(String[] c) {
        String name = c[1];
        Torch.manualSeed(Long.parseLong(c[2]));
        int epochs = Integer.parseInt(c[3]);
        Built b = build(name);
        List<String[]> expected = recordsOf("epoch", name);
        assertEquals(epochs, expected.size());
        for (int k = 0; k < epochs; k++) assertEquals(expected.get(k)[3], epoch(b), name + " epoch " + k);
        if (b.iterable() instanceof Sampler) {
            String[] first = expected.get(0)[3].split(b.iterable() instanceof BatchSampler ? "\\|" : " ");
            assertEquals(first.length, ((Sampler<?>) b.iterable()).size(), name + ": size()");
        } else {
            assertEquals(expected.get(0)[3].split("\\|").length, ((DataLoader<?>) b.iterable()).size(), name + ": len(loader)");
        }
        String[] after = recordsOf("after", name).get(0);
        assertEquals(after[2], Long.toString(Generator.defaultGenerator().random64() & Long.MAX_VALUE), name + ": next draw of the default generator");
        if (b.generator() != null)
            assertEquals(after[3], Long.toString(b.generator().random64() & Long.MAX_VALUE), name + ": next draw of the case's generator");
    }

    @TestFactory
    Stream<DynamicTest> indicesMatchPyTorch() {
        List<String[]> cases = RECORDS.stream().filter(r -> r[0].equals("case")).collect(Collectors.toList());
        assertEquals(23, cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c[1], () -> runCase(c)));
    }

    static Dataset<List<Tensor>> d4() { return ds(4); }

    static final Map<String, Executable> ERROR_CALLS = new LinkedHashMap<>();

    static {
        ERROR_CALLS.put("loader_sampler_and_shuffle",
                () -> new DataLoader<>(d4(), DataLoader.options().sampler(new SequentialSampler(d4())).shuffle(true)));
        Supplier<BatchSampler> bs = () -> new BatchSampler(new SequentialSampler(d4()), 2, false);
        ERROR_CALLS.put("loader_batch_sampler_and_batch_size", () -> new DataLoader<>(d4(), DataLoader.options().batchSize(2).batchSampler(bs.get())));
        ERROR_CALLS.put("loader_batch_sampler_and_shuffle", () -> new DataLoader<>(d4(), DataLoader.options().shuffle(true).batchSampler(bs.get())));
        ERROR_CALLS.put("loader_batch_sampler_and_sampler",
                () -> new DataLoader<>(d4(), DataLoader.options().sampler(new SequentialSampler(d4())).batchSampler(bs.get())));
        ERROR_CALLS.put("loader_batch_sampler_and_drop_last", () -> new DataLoader<>(d4(), DataLoader.options().dropLast(true).batchSampler(bs.get())));
        ERROR_CALLS.put("random_num_samples", () -> new RandomSampler(d4(), RandomSampler.options().numSamples(0)));
        ERROR_CALLS.put("random_empty", () -> new RandomSampler(ds(0)));
        ERROR_CALLS.put("weighted_num_samples", () -> new WeightedRandomSampler(WEIGHTS, 0));
        ERROR_CALLS.put("batch_size", () -> new BatchSampler(new SequentialSampler(d4()), 0, false));
        ERROR_CALLS.put("weighted_too_many_without_replacement", () -> new WeightedRandomSampler(WEIGHTS, 7, false, null).iterator().next());
        ERROR_CALLS.put("weighted_negative", () -> new WeightedRandomSampler(new double[] {1, -1, 2}, 2).iterator().next());
        ERROR_CALLS.put("weighted_negative_without_replacement",
                () -> new WeightedRandomSampler(new double[] {1, -1, 2}, 2, false, null).iterator().next());
        ERROR_CALLS.put("weighted_zero_sum", () -> new WeightedRandomSampler(new double[] {0, 0}, 2).iterator().next());
        ERROR_CALLS.put("weighted_infinite", () -> new WeightedRandomSampler(new double[] {1, Double.POSITIVE_INFINITY}, 2).iterator().next());
    }

    @TestFactory
    Stream<DynamicTest> errorsAreTorchs() {
        List<String[]> errors = RECORDS.stream().filter(r -> r[0].equals("error")).collect(Collectors.toList());
        assertEquals(ERROR_CALLS.keySet(), errors.stream().map(r -> r[1]).collect(Collectors.toCollection(java.util.LinkedHashSet::new)));
        return errors.stream().map(r -> DynamicTest.dynamicTest(r[1], () -> {
            var e = assertThrows(IllegalArgumentException.class, ERROR_CALLS.get(r[1]));
            assertEquals(r[3], e.getMessage());
        }));
    }

    @Test
    void collateFnShapesTheBatches() {
        var loader = new DataLoader<>(ds(7), DataLoader.options().batchSize(3).sampler(new SequentialSampler(ds(7))),
                samples -> samples.stream().mapToLong(s -> (long) s.get(0).item()).sum());
        List<Long> sums = new ArrayList<>();
        for (Long s : loader) sums.add(s);
        assertEquals(List.of(0L + 1 + 2, 3L + 4 + 5, 6L), sums);
    }

    @Test
    void weightedDrawsFollowTheWeights() {
        // 20,000 draws from weights 1:3: the share of index 1 is 0.75 within 5 standard deviations (0.015)
        var s = new WeightedRandomSampler(new double[] {1, 3}, 20_000, true, new Generator(0));
        int ones = 0;
        for (int i : s) ones += i;
        assertTrue(Math.abs(ones / 20_000.0 - 0.75) < 0.015, "share of index 1: " + ones / 20_000.0);
        Map<Integer, Integer> seen = new HashMap<>();
        for (int i : new WeightedRandomSampler(new double[] {1, 0, 2, 5}, 3, false, new Generator(1))) seen.merge(i, 1, Integer::sum);
        assertEquals(3, seen.size(), "without replacement every index at most once: " + seen);
    }
}
