package jtorch.utils.data;

import static jtorch.Torch.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jtorch.Tensor;

/** The background workers of {@link DataLoader}: bounded prefetching, shutdown, errors, order. */
class DataLoaderWorkersTest {

    /** Samples {@code tensor(i)}; counts reads, remembers the threads that read, and can be told to fail at one index. */
    static final class WatchedDataset implements Dataset<Tensor> {
        final int size;
        final int failAt;
        final RuntimeException failure;
        final AtomicInteger reads = new AtomicInteger();
        final Set<Thread> readers = ConcurrentHashMap.newKeySet();
        volatile int sleepMillis;

        WatchedDataset(int size) {
            this(size, -1, null);
        }

        WatchedDataset(int size, int failAt, RuntimeException failure) {
            this.size = size;
            this.failAt = failAt;
            this.failure = failure;
        }

        @Override
        public Tensor get(int index) {
            readers.add(Thread.currentThread());
            reads.incrementAndGet();
            if (index == failAt) throw failure;
            int sleep = sleepMillis;
            if (sleep > 0) {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(sleep + 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return tensor((long) index);
        }

        @Override
        public int size() {
            return size;
        }

        void assertReadersEnded() {
            for (Thread t : readers) {
                assertFalse(t.isAlive(), t.getName() + " is still running");
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void loadingRunsOnWorkerThreadsNotTheCaller() {
        var data = new WatchedDataset(8);
        var loader = new DataLoader<>(data, DataLoader.options().batchSize(2).numWorkers(2));
        for (Tensor ignored : loader) { }
        assertFalse(data.readers.contains(Thread.currentThread()));
        assertEquals(2, data.readers.size());
        data.assertReadersEnded();                             // the epoch ended its threads itself

        var sync = new WatchedDataset(8);
        for (Tensor ignored : new DataLoader<>(sync, DataLoader.options().batchSize(2).numWorkers(0))) { }
        assertEquals(Set.of(Thread.currentThread()), sync.readers);
    }

    @Test
    void prefetchingIsBoundedByThePrefetchFactor() throws InterruptedException {
        var data = new WatchedDataset(100);
        var loader = new DataLoader<>(data, DataLoader.options().batchSize(1).numWorkers(1).prefetchFactor(2));
        try (var it = loader.iterator()) {
            assertArrayEquals(new long[] {0}, it.next().toLongArray());
            // one batch taken, two waiting in the queue, one loaded and waiting for room: four reads, then nothing
            waitUntil(() -> data.reads.get() >= 4, "the worker filled its queue");
            Thread.sleep(300);
            assertEquals(4, data.reads.get());
            assertArrayEquals(new long[] {1}, it.next().toLongArray());
            waitUntil(() -> data.reads.get() >= 5, "the worker loaded one more batch");
            Thread.sleep(300);
            assertEquals(5, data.reads.get());
        }
    }

    @Test
    void closingAnEpochEarlyStopsItsWorkers() {
        var data = new WatchedDataset(1000);
        var loader = new DataLoader<>(data, DataLoader.options().batchSize(10).numWorkers(3));
        var it = loader.iterator();
        it.next();
        it.next();
        it.close();
        assertFalse(data.readers.isEmpty());
        data.assertReadersEnded();
        assertTrue(data.reads.get() < 1000, "workers kept reading after close: " + data.reads.get());
        assertFalse(it.hasNext());
        var e = assertThrows(NoSuchElementException.class, it::next);
        assertEquals("this epoch's iterator was closed after 2 of 100 batches", e.getMessage());
        it.close();                                            // idempotent
    }

    @Test
    void tryWithResourcesStopsWorkersAfterABreak() {
        var data = new WatchedDataset(500);
        data.sleepMillis = 2;
        var loader = new DataLoader<>(data, DataLoader.options().batchSize(5).numWorkers(2));
        try (var it = loader.iterator()) {
            while (it.hasNext()) {
                if (it.next().toLongArray()[0] == 15) break;
            }
        }
        data.assertReadersEnded();
    }

    @Test
    void anAbandonedEpochsWorkersEndOnceItIsCollected() throws InterruptedException {
        var data = new WatchedDataset(100_000);
        var loader = new DataLoader<>(data, DataLoader.options().batchSize(1).numWorkers(2));
        abandonAfterOneBatch(loader);
        waitUntil(() -> {
            System.gc();
            return data.readers.stream().noneMatch(Thread::isAlive);
        }, "the abandoned epoch's workers ended");
        assertTrue(data.reads.get() < 100_000);
    }

    private static void abandonAfterOneBatch(DataLoader<Tensor> loader) {
        for (Tensor batch : loader) {
            assertEquals(0, batch.toLongArray()[0]);
            break;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void aWorkersExceptionReachesTheConsumerAtItsBatch(int numWorkers) {
        var failure = new IllegalStateException("cannot decode sample 5");
        var data = new WatchedDataset(20, 5, failure);
        var loader = new DataLoader<>(data, DataLoader.options().batchSize(2).numWorkers(numWorkers));
        var it = loader.iterator();
        assertArrayEquals(new long[] {0, 1}, it.next().toLongArray());
        assertArrayEquals(new long[] {2, 3}, it.next().toLongArray());
        var thrown = assertThrows(IllegalStateException.class, it::next);
        assertSame(failure, thrown);
        if (numWorkers > 0) {
            int worker = 2 % numWorkers;
            assertTrue(Arrays.stream(thrown.getSuppressed()).anyMatch(s -> s.getMessage().equals(
                    "Caught java.lang.IllegalStateException in DataLoader worker " + worker
                            + " while loading batch 2; rethrown in the consumer thread")),
                    Arrays.toString(thrown.getSuppressed()));
        }
        assertFalse(it.hasNext());
        if (numWorkers > 0) data.assertReadersEnded();
    }

    @Test
    void errorsFromWorkersAreRethrownToo() {
        var data = new Dataset<Tensor>() {
            @Override public Tensor get(int index) { throw new AssertionError("broken sample " + index); }
            @Override public int size() { return 3; }
        };
        var it = new DataLoader<>(data, DataLoader.options().batchSize(1)).iterator();
        var e = assertThrows(AssertionError.class, it::next);
        assertEquals("broken sample 0", e.getMessage());
    }

    @Test
    void collateFailuresAreRethrownToo() {
        var data = Dataset.of(List.of(tensor(1.0), tensor(2.0), tensor(new double[] {3.0, 4.0})));
        var it = new DataLoader<>(data, DataLoader.options().batchSize(3).numWorkers(1)).iterator();
        var e = assertThrows(IllegalArgumentException.class, it::next);
        assertEquals("stack expects each tensor to be equal size, but got [] at entry 0 and [2] at entry 2", e.getMessage());
    }

    @Test
    void manyWorkersDeliverBatchesInOrder() {
        var data = new WatchedDataset(300);
        data.sleepMillis = 1;
        var loader = new DataLoader<>(data, DataLoader.options().batchSize(7).numWorkers(4).prefetchFactor(1));
        long expected = 0;
        for (Tensor batch : loader) {
            for (long v : batch.toLongArray()) assertEquals(expected++, v);
        }
        assertEquals(300, expected);
        assertEquals(4, data.readers.size());
        data.assertReadersEnded();
    }

    @Test
    void concurrentEpochsOfOneLoaderAreIndependent() {
        var loader = new DataLoader<>(new WatchedDataset(20), DataLoader.options().batchSize(4).numWorkers(2));
        try (var a = loader.iterator(); var b = loader.iterator()) {
            for (long i = 0; i < 5; i++) {
                assertEquals(4 * i, a.next().toLongArray()[0]);
                assertEquals(4 * i, b.next().toLongArray()[0]);
            }
            assertFalse(a.hasNext());
            assertFalse(b.hasNext());
        }
    }
}
