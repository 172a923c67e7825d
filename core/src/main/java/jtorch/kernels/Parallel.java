package jtorch.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The intra-op thread pool, PyTorch's {@code at::parallel_for}: a range is cut into at most
 * {@link #numThreads()} chunks that the calling thread and the pool's workers claim and run. The
 * pool starts with one thread per physical core (PyTorch's default; {@code OMP_NUM_THREADS}
 * overrides it, as it does for PyTorch) and is resized by {@link #setNumThreads(int)}.
 *
 * <p>A body runs once per chunk, never per element. Calls from inside a chunk (nested
 * parallelism), or while another thread holds the pool, run the whole range inline on the caller.
 *
 * <pre>{@code
 * Parallel.parallelFor(0, rows, 64, (begin, end) -> {
 *     for (int i = begin; i < end; i++) scaleRow(data, i);
 * });
 * }</pre>
 */
public final class Parallel {
    private Parallel() {}

    /** The work of one chunk: the half-open index range {@code [begin, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int begin, int end);
    }

    private static final ReentrantLock DISPATCH = new ReentrantLock();
    private static volatile int numThreads = defaultNumThreads();
    private static volatile Pool pool;
    /** Set while the current thread runs chunks of a parallel region (so nested calls run inline). */
    private static final ThreadLocal<boolean[]> IN_REGION = ThreadLocal.withInitial(() -> new boolean[1]);

    /** {@code torch.get_num_threads()}. */
    public static int numThreads() { return numThreads; }

    /**
     * {@code torch.set_num_threads(n)}: the number of threads intra-op work (GEMM above a size
     * threshold, native BLAS included) may use, the calling thread counted.
     */
    public static void setNumThreads(int n) {
        if (n <= 0) throw new IllegalArgumentException("set_num_threads expects a positive integer, but got " + n);
        DISPATCH.lock();
        try {
            if (n == numThreads) return;
            numThreads = n;
            Pool old = pool;
            pool = null;
            if (old != null) old.shutdown();
        } finally {
            DISPATCH.unlock();
        }
        Kernels.threadsChanged(n);
    }

    /** Whether the current thread is running a chunk of a parallel region. */
    public static boolean inParallelRegion() { return IN_REGION.get()[0]; }

    /**
     * Runs {@code body} over {@code [begin, end)} in at most {@link #numThreads()} chunks, each of at
     * least {@code grain} indices except the last (a range below twice the grain runs as one chunk). Returns when every
     * chunk has run; the first exception thrown by a chunk is rethrown here.
     */
    public static void parallelFor(int begin, int end, int grain, RangeBody body) {
        int range = end - begin;
        if (range <= 0) return;
        int threads = numThreads;
        // As many chunks as threads, but none below the grain (so a small range stays on the caller).
        int tasks = grain <= 0 ? Math.min(threads, range) : Math.max(1, Math.min(threads, range / grain));
        boolean[] inRegion = IN_REGION.get();
        if (tasks <= 1 || inRegion[0] || !DISPATCH.tryLock()) {
            runInline(body, begin, end, inRegion);
            return;
        }
        try {
            Pool p = pool;
            if (p == null || p.workers.length != threads - 1) {
                if (p != null) p.shutdown();
                pool = p = new Pool(threads - 1);
            }
            p.run(body, begin, end, tasks, inRegion);
        } finally {
            DISPATCH.unlock();
        }
    }

    private static void runInline(RangeBody body, int begin, int end, boolean[] inRegion) {
        boolean was = inRegion[0];
        inRegion[0] = true;
        try {
            body.run(begin, end);
        } finally {
            inRegion[0] = was;
        }
    }

    /**
     * Threads per physical core are not counted twice: the number of distinct (package, core)
     * pairs in {@code /proc/cpuinfo}, capped by the processors this JVM may use. {@code
     * OMP_NUM_THREADS} wins when set, as in PyTorch.
     */
    static int defaultNumThreads() {
        int available = Runtime.getRuntime().availableProcessors();
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp != null) {
            try {
                int n = Integer.parseInt(omp.trim());
                if (n > 0) return n;
            } catch (NumberFormatException ignored) {
                // PyTorch ignores a malformed value too
            }
        }
        int physical = physicalCores();
        return physical > 0 ? Math.min(physical, available) : available;
    }

    private static int physicalCores() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            Set<String> cores = new HashSet<>();
            String pkg = "0";
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String key = line.substring(0, colon).trim(), value = line.substring(colon + 1).trim();
                if (key.equals("physical id")) pkg = value;
                else if (key.equals("core id")) cores.add(pkg + "/" + value);
            }
            return cores.size();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Workers wait for a region by spinning briefly (a GEMM is often followed by another) and then
     * parking. A region's chunks are claimed from one atomic counter tagged with the region's
     * generation, so a worker that wakes late can never claim a chunk of a later region.
     */
    private static final class Pool {
        /** How long a waiting thread spins before parking (a few GEMM calls' gap; PAUSE costs differ by CPU, so time it). */
        private static final long SPIN_NANOS = 50_000;

        final Worker[] workers;
        /** (generation << 32) | index of the next unclaimed chunk. */
        final AtomicLong claim = new AtomicLong();
        final AtomicInteger remaining = new AtomicInteger();
        volatile boolean stopped;
        // The current region; written before its generation is published through `claim`.
        RangeBody body;
        int begin, end, chunk, tasks;
        volatile Throwable failure;
        volatile Thread caller;

        Pool(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(this, i + 1);
                workers[i].start();
            }
        }

        void run(RangeBody body, int begin, int end, int tasks, boolean[] inRegion) {
            this.body = body;
            this.begin = begin;
            this.end = end;
            this.tasks = tasks;
            this.chunk = (end - begin + tasks - 1) / tasks;
            this.failure = null;
            this.caller = Thread.currentThread();
            remaining.set(tasks);
            long generation = (claim.get() >>> 32) + 1;
            claim.set(generation << 32);
            for (Worker w : workers) if (w.parked) LockSupport.unpark(w);
            inRegion[0] = true;
            try {
                work(generation);
            } finally {
                inRegion[0] = false;
            }
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            for (int spins = 1; remaining.get() != 0; spins++) {
                if ((spins & 63) != 0 || System.nanoTime() < spinUntil) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 50_000);
            }
            this.body = null;
            Throwable t = failure;
            if (t instanceof RuntimeException) throw (RuntimeException) t;
            if (t instanceof Error) throw (Error) t;
            if (t != null) throw new RuntimeException(t);
        }

        /** Claims and runs chunks of region {@code generation} until none is left. */
        void work(long generation) {
            while (true) {
                long s = claim.get();
                if (s >>> 32 != generation) return;
                int index = (int) s;
                if (index >= tasks) return;
                if (!claim.compareAndSet(s, s + 1)) continue;
                int lo = begin + index * chunk, hi = Math.min(end, lo + chunk);
                try {
                    if (lo < hi) body.run(lo, hi);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                } finally {
                    if (remaining.decrementAndGet() == 0) {
                        Thread c = caller;
                        if (c != null && c != Thread.currentThread()) LockSupport.unpark(c);
                    }
                }
            }
        }

        void shutdown() {
            stopped = true;
            for (Worker w : workers) LockSupport.unpark(w);
        }
    }

    private static final class Worker extends Thread {
        final Pool pool;
        volatile boolean parked;

        Worker(Pool pool, int index) {
            super("jtorch-intraop-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            IN_REGION.get()[0] = true;
            long seen = 0;
            while (!pool.stopped) {
                long generation = pool.claim.get() >>> 32;
                if (generation != seen) {
                    seen = generation;
                    pool.work(generation);
                    continue;
                }
                long spinUntil = System.nanoTime() + Pool.SPIN_NANOS;
                for (int spins = 1; pool.claim.get() >>> 32 == seen && !pool.stopped; spins++) {
                    if ((spins & 63) != 0 || System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (pool.claim.get() >>> 32 == seen && !pool.stopped) LockSupport.park(pool);
                        parked = false;
                    }
                }
            }
        }
    }
}
