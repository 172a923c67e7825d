package jtorch.utils.data;

import static jtorch.Torch.arange;
import static jtorch.Torch.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jtorch.DType;
import jtorch.Generator;
import jtorch.Props;
import jtorch.Size;
import jtorch.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Batching, shuffling, dropLast and the per-epoch contract of {@link DataLoader}. */
class DataLoaderTest {

    /** The sample indices of each batch of one epoch over {@code TensorDataset(arange(n))}. */
    static List<long[]> epoch(DataLoader<List<Tensor>> loader) {
        List<long[]> batches = new ArrayList<>();
        for (List<Tensor> batch : loader) {
            assertEquals(1, batch.size());
            assertEquals(DType.INT64, batch.get(0).dtype());
            assertEquals(1, batch.get(0).dim());
            batches.add(batch.get(0).toLongArray());
        }
        return batches;
    }

    static DataLoader<List<Tensor>> indexLoader(int n, DataLoader.Options options) {
        return new DataLoader<>(new TensorDataset(arange(n)), options);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void batchesInOrderWithASmallerLastBatch(int numWorkers) {
        var loader = indexLoader(10, DataLoader.options().batchSize(4).numWorkers(numWorkers));
        assertEquals(3, loader.size());
        List<long[]> batches = epoch(loader);
        assertEquals(3, batches.size());
        assertArrayEquals(new long[] {0, 1, 2, 3}, batches.get(0));
        assertArrayEquals(new long[] {4, 5, 6, 7}, batches.get(1));
        assertArrayEquals(new long[] {8, 9}, batches.get(2));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void dropLastDropsOnlyTheIncompleteBatch(int numWorkers) {
        var loader = indexLoader(10, DataLoader.options().batchSize(4).dropLast(true).numWorkers(numWorkers));
        assertEquals(2, loader.size());
        List<long[]> batches = epoch(loader);
        assertEquals(2, batches.size());
        assertArrayEquals(new long[] {4, 5, 6, 7}, batches.get(1));

        var exact = indexLoader(8, DataLoader.options().batchSize(4).dropLast(true).numWorkers(numWorkers));
        assertEquals(2, exact.size());
        assertEquals(2, epoch(exact).size());

        var tooFew = indexLoader(3, DataLoader.options().batchSize(4).dropLast(true).numWorkers(numWorkers));
        assertEquals(0, tooFew.size());
        assertFalse(tooFew.iterator().hasNext());
    }

    @Test
    void batchesStackEveryFieldOfTheSamples() {
        Tensor x = arange(24).reshape(6, 2, 2).to(DType.FLOAT32);
        Tensor y = arange(6).mul(10);
        var loader = new DataLoader<>(new TensorDataset(x, y), 4);
        var it = loader.iterator();
        List<Tensor> first = it.next();
        assertEquals(Size.of(4, 2, 2), first.get(0).shape());
        assertEquals(DType.FLOAT32, first.get(0).dtype());
        assertArrayEquals(x.index("0:4").toFloatArray(), first.get(0).toFloatArray());
        assertArrayEquals(new long[] {0, 10, 20, 30}, first.get(1).toLongArray());
        List<Tensor> second = it.next();
        assertEquals(Size.of(2, 2, 2), second.get(0).shape());
        assertArrayEquals(new long[] {40, 50}, second.get(1).toLongArray());
        assertFalse(it.hasNext());
    }

    @Test
    void customCollateFunctionShapesTheBatch() {
        var data = new TensorDataset(arange(5));
        DataLoader<long[]> loader = new DataLoader<>(data, DataLoader.options().batchSize(2),
                samples -> samples.stream().mapToLong(s -> s.get(0).itemLong() * 100).toArray());
        List<long[]> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, batches.size());
        assertArrayEquals(new long[] {200, 300}, batches.get(1));
        assertArrayEquals(new long[] {400}, batches.get(2));
    }

    @Test
    void everyIteratorIsANewEpochAndShuffledEpochsDiffer() {
        var loader = indexLoader(50, DataLoader.options().batchSize(50).shuffle(true).generator(new Generator(1)));
        long[] first = epoch(loader).get(0);
        long[] second = epoch(loader).get(0);
        assertNotEquals(Arrays.toString(first), Arrays.toString(second));
        long[] sorted = first.clone();
        Arrays.sort(sorted);
        assertArrayEquals(arange(50).toLongArray(), sorted);
    }

    @Test
    void sameGeneratorSeedGivesTheSameEpochs() {
        var a = indexLoader(30, DataLoader.options().batchSize(7).shuffle(true).generator(new Generator(5)));
        var b = indexLoader(30, DataLoader.options().batchSize(7).shuffle(true).generator(new Generator(5)).numWorkers(0));
        for (int e = 0; e < 3; e++) {
            List<long[]> ea = epoch(a), eb = epoch(b);
            assertEquals(ea.size(), eb.size());
            for (int i = 0; i < ea.size(); i++) assertArrayEquals(ea.get(i), eb.get(i));
        }
    }

    @Test
    void nextAfterTheLastBatchThrows() {
        var it = indexLoader(2, DataLoader.options().batchSize(2)).iterator();
        it.next();
        assertFalse(it.hasNext());
        var e = assertThrows(NoSuchElementException.class, it::next);
        assertEquals("no more batches in this epoch (1)", e.getMessage());
    }

    @Test
    void optionsRejectBadValuesWithPyTorchsMessages() {
        var e = assertThrows(IllegalArgumentException.class, () -> DataLoader.options().batchSize(0));
        assertEquals("batch_size should be a positive integer value, but got batch_size=0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DataLoader.options().numWorkers(-1));
        assertEquals("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DataLoader.options().prefetchFactor(0));
        assertEquals("prefetch_factor should be a positive integer value, but got prefetch_factor=0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader<>(Dataset.of(List.<Tensor>of()), DataLoader.options().shuffle(true)));
        assertEquals("num_samples should be a positive integer value, but got num_samples=0", e.getMessage());
    }

    @Test
    void emptyDatasetWithoutShuffleHasNoBatches() {
        var loader = new DataLoader<>(Dataset.of(List.<Tensor>of()), 3);
        assertEquals(0, loader.size());
        assertFalse(loader.iterator().hasNext());
    }

    @Test
    void defaultCollateWorksThroughTheLoaderForScalarTensors() {
        var data = Dataset.of(List.of(tensor(1.5), tensor(2.5), tensor(3.5)));
        var it = new DataLoader<>(data, 3).iterator();
        Tensor batch = it.next();
        assertEquals(Size.of(3), batch.shape());
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f}, batch.toFloatArray());
    }

    /**
     * For any size, batch size, shuffling, dropLast and worker count: every sample appears exactly
     * once per epoch (only the incomplete last batch is missing under dropLast), batches have the
     * promised sizes, and without shuffling the order is 0..n-1.
     */
    @Property(seed = Props.SEED, tries = 60)
    void everySampleIsSeenExactlyOncePerEpoch(@ForAll @IntRange(min = 0, max = 200) int n,
                                               @ForAll @IntRange(min = 1, max = 40) int batchSize,
                                               @ForAll boolean shuffle, @ForAll boolean dropLast,
                                               @ForAll @IntRange(min = 0, max = 3) int numWorkers,
                                               @ForAll long seed) {
        if (shuffle && n == 0) return;                         // rejected by construction, tested above
        var loader = indexLoader(n, DataLoader.options().batchSize(batchSize).shuffle(shuffle).dropLast(dropLast)
                .numWorkers(numWorkers).generator(new Generator(seed)));
        int expectedBatches = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        int expectedSamples = dropLast ? expectedBatches * batchSize : n;
        assertEquals(expectedBatches, loader.size());
        for (int epoch = 0; epoch < 2; epoch++) {
            List<long[]> batches = epoch(loader);
            assertEquals(expectedBatches, batches.size());
            boolean[] seen = new boolean[n];
            long[] order = new long[expectedSamples];
            int k = 0;
            for (int b = 0; b < batches.size(); b++) {
                long[] batch = batches.get(b);
                int expectedSize = b < batches.size() - 1 || dropLast || n % batchSize == 0 ? batchSize : n % batchSize;
                assertEquals(expectedSize, batch.length, "size of batch " + b);
                for (long i : batch) {
                    assertFalse(seen[(int) i], "sample " + i + " seen twice");
                    seen[(int) i] = true;
                    order[k++] = i;
                }
            }
            assertEquals(expectedSamples, k);
            if (!dropLast) {
                for (int i = 0; i < n; i++) assertTrue(seen[i], "sample " + i + " never seen");
            }
            if (!shuffle) {
                for (int i = 0; i < k; i++) assertEquals(i, order[i]);
            }
        }
    }
}
