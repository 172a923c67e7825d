package jtorch.utils.data;

import static jtorch.Torch.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Returns once the one worker of {@code data} has read {@code reads} samples and waits (for room
     * in its queue: nothing else it does waits), or has read more, or has ended. No deadline and no
     * sleep: each of these comes, whether the loader bounds its prefetching or not.
     */
    private static void awaitWorkerWaitingAfter(WatchedDataset data, int reads) {
        while (data.readers.isEmpty()) Thread.onSpinWait();
        Thread worker = data.readers.iterator().next();
        while (true) {
            int n = data.reads.get();
            Thread.State state = worker.getState();
            if (n > reads || state == Thread.State.TERMINATED
                    || n == reads && (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)) return;
            Thread.onSpinWait();
        }
    }

    /** Whether {@code target} is reachable from {@code root} through fields, arrays and the JDK's collections (not through threads). */
    static boolean reaches(Object root, Object target) throws IllegalAccessException {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (o == target) return true;
            if (seen.put(o, Boolean.TRUE) != null) continue;
            Class<?> c = o.getClass();
            String name = c.getName();
            if (c.isArray()) {
                if (!c.getComponentType().isPrimitive()) for (Object e : (Object[]) o) if (e != null) todo.push(e);
            } else if (o instanceof Thread) {
                // a thread holds its runnable; the workers' runnables hold only the workers, the root here
            } else if (o instanceof Collection<?> col) {
                for (Object e : col.toArray()) if (e != null) todo.push(e);
            } else if (o instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (e.getKey() != null) todo.push(e.getKey());
                    if (e.getValue() != null) todo.push(e.getValue());
                }
            } else if (!name.startsWith("java.") && !name.startsWith("jdk.") && !name.startsWith("sun.")) {
                for (Class<?> k = c; k != null && !k.getName().startsWith("java."); k = k.getSuperclass())
                    for (Field f : k.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
                        f.setAccessible(true);
                        Object v = f.get(o);
                        if (v != null) todo.push(v);
                    }
            }
        }
        return false;
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
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
    void prefetchingIsBoundedByThePrefetchFactor() {
        var data = new WatchedDataset(100);
        var loader = new DataLoader<>(data, DataLoader.options().batchSize(1).numWorkers(1).prefetchFactor(2));
        try (var it = loader.iterator()) {
            assertArrayEquals(new long[] {0}, it.next().toLongArray());
            // one batch taken, two waiting in the queue, one loaded and waiting for room: four reads, then nothing
            awaitWorkerWaitingAfter(data, 4);
            assertEquals(4, data.reads.get());
            assertArrayEquals(new long[] {1}, it.next().toLongArray());
            awaitWorkerWaitingAfter(data, 5);
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

    /**
     * What collecting an abandoned epoch does, step by step and without waiting for a GC: nothing
     * its workers hold (their threads' state, queues, loader and the Cleaner's action, which is
     * {@code workers::stop}) reaches the iterator, so an abandoned iterator is collectable; and the
     * action the Cleaner runs then stops the workers, which end (joined, no timeout).
     */
    @Test
    void anAbandonedEpochIsCollectableAndItsCleanerStopsTheWorkers() throws Exception {
        var data = new WatchedDataset(100_000);
        var loader = new DataLoader<>(data, DataLoader.options().batchSize(1).numWorkers(2));
        var it = loader.iterator();
        assertEquals(0, it.next().toLongArray()[0]);
        Object workers = field(it, "workers");
        assertTrue(reaches(it, workers) && reaches(workers, data), "the walk follows fields");
        assertFalse(reaches(workers, it), "the workers hold their iterator, which can then never be collected");
        ((java.lang.ref.Cleaner.Cleanable) field(it, "cleanable")).clean();   // what the Cleaner runs once `it` is unreachable
        for (Thread t : data.readers) t.join();
        data.assertReadersEnded();
        assertTrue(data.reads.get() < 100_000);
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
