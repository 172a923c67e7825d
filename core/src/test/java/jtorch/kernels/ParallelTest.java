package jtorch.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;

import jtorch.Props;
import jtorch.Torch;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AfterExample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The intra-op pool: every index exactly once, chunk sizes, nesting, errors, concurrent callers, thread counts. */
class ParallelTest {
    @AfterProperty
    @AfterExample
    void restore() { Torch.setNumThreads(Parallel.defaultNumThreads()); }

    @Property(seed = Props.SEED, tries = 60)
    void everyIndexRunsExactlyOnce(@ForAll @IntRange(min = -5, max = 5) int begin, @ForAll @IntRange(min = 0, max = 300) int length,
                                   @ForAll @IntRange(min = 0, max = 40) int grain, @ForAll @IntRange(min = 1, max = 4) int threads) {
        Torch.setNumThreads(threads);
        AtomicIntegerArray hits = new AtomicIntegerArray(length);
        List<int[]> chunks = java.util.Collections.synchronizedList(new ArrayList<>());
        Parallel.parallelFor(begin, begin + length, grain, (lo, hi) -> {
            chunks.add(new int[] {lo, hi});
            for (int i = lo; i < hi; i++) hits.incrementAndGet(i - begin);
        });
        for (int i = 0; i < length; i++) assertEquals(1, hits.get(i), "index " + (begin + i));
        assertTrue(chunks.size() <= threads, chunks.size() + " chunks for " + threads + " threads");
        // Chunks are at least the grain, except the one that ends the range.
        for (int[] c : chunks) assertTrue(c[1] - c[0] >= Math.min(grain, length) || c[1] == begin + length, "chunk " + c[0] + ".." + c[1]);
    }

    /**
     * Each chunk of a two-chunk region waits until both chunks have started: the thread that
     * claimed one cannot claim the other, so the caller and the worker run one each, every round.
     * (Should the region run whole on one thread, its one call counts both chunks down and the
     * assertion below fails instead of the latch waiting forever.)
     */
    @Example
    void workersShareTheRangeAndNestedCallsRunInline() {
        Torch.setNumThreads(2);
        List<String> mismatches = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int round = 0; round < 20; round++) {
            Set<String> outer = ConcurrentHashMap.newKeySet();
            CountDownLatch bothStarted = new CountDownLatch(2);
            Parallel.parallelFor(0, 2, 1, (lo, hi) -> {
                for (int i = lo; i < hi; i++) bothStarted.countDown();  // first, so that no failure below leaves the other chunk waiting
                String me = Thread.currentThread().getName();
                outer.add(me);
                if (!Parallel.inParallelRegion()) mismatches.add(me + " outside a parallel region");
                Parallel.parallelFor(0, 10, 1, (a, b) -> {
                    if (!Thread.currentThread().getName().equals(me) || a != 0 || b != 10) mismatches.add(me + " " + a + ".." + b);
                });
                try {
                    bothStarted.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(2, outer.size(), "round " + round + ": the caller and a worker each ran a chunk: " + outer);
        }
        assertTrue(mismatches.isEmpty(), "chunks run in a parallel region, nested regions whole on the calling thread: " + mismatches);
        assertTrue(!Parallel.inParallelRegion());
    }

    @Example
    void aFailingChunkFailsTheCallAndThePoolKeepsWorking() {
        Torch.setNumThreads(2);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.parallelFor(0, 100, 1, (lo, hi) -> {
            if (lo == 0) throw boom;
        }));
        assertSame(boom, thrown);
        AtomicIntegerArray hits = new AtomicIntegerArray(100);
        Parallel.parallelFor(0, 100, 1, (lo, hi) -> { for (int i = lo; i < hi; i++) hits.incrementAndGet(i); });
        for (int i = 0; i < 100; i++) assertEquals(1, hits.get(i));
    }

    @Example
    void concurrentCallersEachGetTheirWholeRange() throws InterruptedException {
        Torch.setNumThreads(2);
        int callers = 4, length = 1000;
        AtomicIntegerArray hits = new AtomicIntegerArray(callers * length);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            int base = t * length;
            Thread th = new Thread(() -> {
                for (int r = 0; r < 50; r++)
                    Parallel.parallelFor(0, length, 16, (lo, hi) -> { for (int i = lo; i < hi; i++) hits.incrementAndGet(base + i); });
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        for (int i = 0; i < callers * length; i++) assertEquals(50, hits.get(i), "index " + i);
    }

    @Example
    void threadCountIsPyTorchs() {
        int dflt = Parallel.defaultNumThreads();
        assertTrue(dflt >= 1, "at least one thread");
        if (System.getenv("OMP_NUM_THREADS") == null)
            assertTrue(dflt <= Runtime.getRuntime().availableProcessors(), "physical cores, capped by the processors available");
        Torch.setNumThreads(3);
        assertEquals(3, Torch.getNumThreads());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Torch.setNumThreads(0));
        assertEquals("set_num_threads expects a positive integer, but got 0", e.getMessage());
        assertEquals(3, Torch.getNumThreads());
    }
}
