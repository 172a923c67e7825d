package jtorch.utils.data;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import jtorch.Generator;

/**
 * Batches of a {@link Dataset}, one epoch per {@link #iterator()} ({@code torch.utils.data.DataLoader}):
 * {@code batchSize} samples per batch, optionally shuffled with a {@link Generator}, the last
 * partial batch kept or dropped, collated by {@link Collate#defaultCollate(List)} or a function
 * of your own, and loaded ahead of the consumer on background worker threads.
 *
 * <pre>{@code
 * var loader = new DataLoader<>(trainSet, DataLoader.options().batchSize(256).shuffle(true));
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (List<Tensor> batch : loader) {             // for X, y in loader:
 *         Tensor X = batch.get(0), y = batch.get(1);
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <h2>Same order as PyTorch</h2>
 * Shuffling follows PyTorch 1.13's {@code RandomSampler} and {@code DataLoader} draw for draw, so
 * the same seed gives the same batches:
 * <ul>
 *   <li>every {@code iterator()} first draws one 64-bit value from {@code generator} (or the
 *       default generator), as PyTorch draws {@code _base_seed} for its workers on every
 *       {@code iter(loader)}, with or without shuffling;</li>
 *   <li>with {@code shuffle} and a generator, the epoch's order is
 *       {@code randperm(n, generator)};</li>
 *   <li>with {@code shuffle} and no generator, a fresh generator is seeded each epoch from the
 *       default generator ({@code int(torch.empty((), dtype=torch.int64).random_().item())}, a
 *       63-bit value) and the order is that generator's {@code randperm(n)};</li>
 *   <li>with {@code shuffle} and a generator, an epoch that runs to its end draws one more
 *       {@code randperm(n, generator)} and discards it, as PyTorch's sampler does when it runs
 *       dry: when {@code hasNext()} first returns false, or when a short last batch is taken.
 *       An epoch left early (a {@code break} before that) does not, in PyTorch either.</li>
 * </ul>
 * PyTorch draws the sampler's values lazily at the first {@code next()}; jtorch draws them in
 * {@code iterator()}, on the calling thread, so the worker threads never touch a shared
 * generator. The two agree unless something else draws from the same generator between
 * {@code iterator()} and the first {@code next()}.
 *
 * <h2>Samplers</h2>
 * {@code sampler} (a {@link Sampler} of indices, batched by {@code batchSize}/{@code dropLast})
 * or {@code batchSampler} (a sampler of index lists) replace the built-in orders, as PyTorch's
 * {@code sampler=} and {@code batch_sampler=}, with PyTorch's mutual-exclusion errors. The loader
 * still draws its base seed first; then the epoch's index batches are all taken from the sampler
 * in {@code iterator()}, on the calling thread (PyTorch takes them as batches are requested: for
 * an epoch run to its end the draws are the same):
 *
 * <pre>{@code
 * var sampler = new WeightedRandomSampler(weights, 1000, true, new Generator(0));
 * var loader = new DataLoader<>(trainSet, DataLoader.options().batchSize(64).sampler(sampler));
 * }</pre>
 *
 * <h2>Workers</h2>
 * With {@code numWorkers(k)}, {@code k >= 1} (default 1), {@code k} threads load batches
 * {@code i, i + k, i + 2k, ...} (thread {@code i}) and each keeps up to {@code prefetchFactor}
 * finished batches in a bounded queue; batches still come out in order. PyTorch's default is
 * {@code num_workers=0}; jtorch prefetches by default because a thread is cheap and shares the
 * data set's memory, unlike PyTorch's worker processes. {@code numWorkers(0)} loads each batch on
 * the calling thread. The data set's {@code get} and the collate function run on the worker
 * threads. An exception thrown there is rethrown by {@code next()} at the batch it belongs to
 * (same exception object, with a suppressed exception naming the worker and batch), and the
 * epoch ends.
 *
 * <p>An epoch's threads end when its last batch has been taken, when its iterator is
 * {@linkplain BatchIterator#close() closed}, or, for an iterator abandoned mid-epoch (a
 * {@code break} out of a for-each loop), once the garbage collector finds it unreachable. Close
 * the iterator to stop its threads right away:
 *
 * <pre>{@code
 * try (var batches = loader.iterator()) {
 *     while (batches.hasNext()) { if (step(batches.next())) break; }
 * }
 * }</pre>
 *
 * @param <B> the batch type (for the default collate, the sample type)
 */
public final class DataLoader<B> implements Iterable<B> {

    /**
     * {@code DataLoader}'s keyword arguments, one fluent setter each (PyTorch's defaults, except
     * {@code numWorkers}, see the class comment). Setters check their argument.
     *
     * <pre>{@code
     * DataLoader.options().batchSize(64).shuffle(true).dropLast(true).generator(new Generator(0))
     * }</pre>
     */
    public static final class Options {
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private Generator generator;
        private int numWorkers = 1;
        private int prefetchFactor = 2;
        private Sampler<Integer> sampler;
        private Sampler<List<Integer>> batchSampler;

        private Options() {}

        /**
         * {@code sampler}: the order of the indices, e.g. a {@link WeightedRandomSampler}
         * (mutually exclusive with {@code shuffle}); batched by {@code batchSize} and
         * {@code dropLast}.
         */
        public Options sampler(Sampler<Integer> sampler) {
            this.sampler = sampler;
            return this;
        }

        /**
         * {@code batch_sampler}: the batches of indices themselves, e.g. a {@link BatchSampler}
         * (mutually exclusive with {@code batchSize}, {@code shuffle}, {@code sampler} and {@code dropLast}).
         */
        public Options batchSampler(Sampler<List<Integer>> batchSampler) {
            this.batchSampler = batchSampler;
            return this;
        }

        /** {@code batch_size}: samples per batch (default 1). */
        public Options batchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** {@code shuffle}: a new random order every epoch (default false). */
        public Options shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** {@code drop_last}: drop the last batch when it is smaller than {@code batchSize} (default false). */
        public Options dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** {@code generator}: the generator shuffling draws from; {@code null} (default) uses the default generator. */
        public Options generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /** {@code num_workers}: background threads loading batches; 0 loads on the calling thread (default 1). */
        public Options numWorkers(int numWorkers) {
            if (numWorkers < 0) {
                throw new IllegalArgumentException("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.");
            }
            this.numWorkers = numWorkers;
            return this;
        }

        /** {@code prefetch_factor}: finished batches each worker may hold ahead of the consumer (default 2). */
        public Options prefetchFactor(int prefetchFactor) {
            if (prefetchFactor <= 0) {
                throw new IllegalArgumentException("prefetch_factor should be a positive integer value, but got prefetch_factor=" + prefetchFactor);
            }
            this.prefetchFactor = prefetchFactor;
            return this;
        }

        /** The batch size set (default 1). */
        public int batchSize() { return batchSize; }

        /** Whether each epoch is shuffled (default false). */
        public boolean shuffle() { return shuffle; }

        /** Whether the last partial batch is dropped (default false). */
        public boolean dropLast() { return dropLast; }

        /** The generator set for shuffling, or null for the default generator. */
        public Generator generator() { return generator; }

        /** The number of worker threads set (default 1; 0 loads each batch on the calling thread). */
        public int numWorkers() { return numWorkers; }

        /** The batches each worker may hold ahead (default 2). */
        public int prefetchFactor() { return prefetchFactor; }

        /** The sampler set, or null. */
        public Sampler<Integer> sampler() { return sampler; }

        /** The batch sampler set, or null. */
        public Sampler<List<Integer>> batchSampler() { return batchSampler; }
    }

    /** Fresh options with PyTorch's defaults. */
    public static Options options() {
        return new Options();
    }

    /** Loads samples {@code order[from..to)} and collates them; returns {@link #STOPPED} if told to stop first. */
    @FunctionalInterface
    private interface BatchLoader {
        Object load(int[] order, int from, int to, AtomicBoolean stop);
    }

    private static final Object STOPPED = new Object();

    private final Dataset<?> dataset;
    private final BatchLoader loader;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Generator generator;
    private final int numWorkers;
    private final int prefetchFactor;
    /** The batches of indices of a sampler or batch sampler of the caller's; null for the built-in orders. */
    private final Sampler<List<Integer>> indexBatches;

    /**
     * A loader with a collate function of your own ({@code collate_fn}), for batches of another
     * type than the samples.
     *
     * <pre>{@code
     * DataLoader<Tensor> images = new DataLoader<>(train, DataLoader.options().batchSize(64),
     *         samples -> stack(samples.stream().map(s -> s.get(0)).toList()));
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code shuffle} is set and the data set is empty (as
     *     PyTorch's {@code RandomSampler}), or with PyTorch's messages if {@code sampler} is given
     *     with {@code shuffle}, or {@code batchSampler} with {@code batchSize}, {@code shuffle},
     *     {@code sampler} or {@code dropLast}
     */
    public <T> DataLoader(Dataset<T> dataset, Options options, Function<? super List<T>, ? extends B> collateFn) {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(collateFn, "collateFn");
        this.dataset = dataset;
        this.batchSize = options.batchSize;
        this.shuffle = options.shuffle;
        this.dropLast = options.dropLast;
        this.generator = options.generator;
        this.numWorkers = options.numWorkers;
        this.prefetchFactor = options.prefetchFactor;
        if (options.sampler != null && shuffle) {
            throw new IllegalArgumentException("sampler option is mutually exclusive with shuffle");
        }
        if (options.batchSampler != null
                && (batchSize != 1 || shuffle || options.sampler != null || dropLast)) {
            throw new IllegalArgumentException("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last");
        }
        this.indexBatches = options.batchSampler != null ? options.batchSampler
                : options.sampler != null ? new BatchSampler(options.sampler, batchSize, dropLast) : null;
        if (shuffle && dataset.size() == 0) {
            throw new IllegalArgumentException("num_samples should be a positive integer value, but got num_samples=0");
        }
        this.loader = (order, from, to, stop) -> {
            List<T> samples = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                if (stop.get()) return STOPPED;
                samples.add(dataset.get(order[i]));
            }
            return collateFn.apply(samples);
        };
    }

    /** A loader that collates with {@link Collate#defaultCollate(List)}. */
    public DataLoader(Dataset<B> dataset, Options options) {
        this(dataset, options, Collate::defaultCollate);
    }

    /** {@code DataLoader(dataset, batch_size)}, in order. */
    public DataLoader(Dataset<B> dataset, int batchSize) {
        this(dataset, options().batchSize(batchSize));
    }

    /** {@code DataLoader(dataset, batch_size, shuffle)}. */
    public DataLoader(Dataset<B> dataset, int batchSize, boolean shuffle) {
        this(dataset, options().batchSize(batchSize).shuffle(shuffle));
    }

    /** The data set ({@code loader.dataset}). */
    public Dataset<?> dataset() {
        return dataset;
    }

    /** {@code loader.batch_size}: the batch size, as given. */
    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch for the data set's current size ({@code len(loader)}). */
    public int size() {
        return indexBatches != null ? indexBatches.size() : numBatches(dataset.size());
    }

    private int numBatches(int n) {
        return (int) (dropLast ? n / batchSize : ((long) n + batchSize - 1) / batchSize);
    }

    /**
     * Starts an epoch: draws the epoch's sample order (see the class comment) and, with workers,
     * starts loading. Each call is an independent epoch.
     */
    @Override
    public BatchIterator<B> iterator() {
        if (indexBatches != null) return samplerEpoch();
        int n = dataset.size();
        int[] order = sampleOrder(n);
        // PyTorch's RandomSampler ends with randperm(n, generator)[:num_samples % n], an empty slice
        // that still draws a permutation from a user-given generator once the sampler is run dry
        Runnable samplerRunDry = shuffle && generator != null ? () -> generator.randperm(n) : null;
        int numBatches = numBatches(n);
        int[] offsets = new int[numBatches + 1];
        for (int b = 0; b < numBatches; b++) offsets[b + 1] = batchEnd(b, batchSize, n);
        return new BatchIterator<>(loader, order, offsets, batchSize, numWorkers, prefetchFactor, samplerRunDry);
    }

    /**
     * An epoch over the caller's sampler or batch sampler: the base seed as always, then all of
     * the epoch's index batches, drawn here on the calling thread (PyTorch draws them as batches
     * are taken; for an epoch run to its end the draws are the same).
     */
    private BatchIterator<B> samplerEpoch() {
        (generator != null ? generator : Generator.defaultGenerator()).random64();   // _base_seed
        List<List<Integer>> batches = new ArrayList<>();
        int total = 0;
        for (List<Integer> b : indexBatches) {
            batches.add(b);
            total += b.size();
        }
        int[] order = new int[total];
        int[] offsets = new int[batches.size() + 1];
        int pos = 0;
        for (int b = 0; b < batches.size(); b++) {
            for (Integer i : batches.get(b)) order[pos++] = i;
            offsets[b + 1] = pos;
        }
        return new BatchIterator<>(loader, order, offsets, batchSize, numWorkers, prefetchFactor, null);
    }

    private int[] sampleOrder(int n) {
        Generator loaderGenerator = generator != null ? generator : Generator.defaultGenerator();
        loaderGenerator.random64();                              // PyTorch's _base_seed, drawn on every iter(loader)
        int[] order = new int[n];
        if (!shuffle) {
            for (int i = 0; i < n; i++) order[i] = i;
            return order;
        }
        Generator g = generator;
        if (g == null) {
            // RandomSampler without a generator: int(torch.empty((), dtype=torch.int64).random_().item()),
            // i.e. random64() mod 2^63, seeds a fresh torch.Generator for this epoch
            g = new Generator(Generator.defaultGenerator().random64() & Long.MAX_VALUE);
        }
        long[] permutation = g.randperm(n);
        for (int i = 0; i < n; i++) order[i] = (int) permutation[i];
        return order;
    }

    /**
     * One epoch's batches. {@link #close()} ends the epoch early and stops its worker threads;
     * after the last batch, or after a batch failed, the epoch ends by itself.
     *
     * @param <B> the batch type
     */
    public static final class BatchIterator<B> implements Iterator<B>, AutoCloseable {
        private final BatchLoader loader;
        private final int[] order;
        private final int[] offsets;                             // batch b is order[offsets[b] .. offsets[b + 1])
        private final int batchSize;
        private final int numBatches;
        private final Workers workers;                           // null: load on the calling thread
        private final Cleaner.Cleanable cleanable;
        private Runnable samplerRunDry;                          // null once run, or when there is nothing to draw
        private int nextBatch;
        private boolean closed;

        private BatchIterator(BatchLoader loader, int[] order, int[] offsets, int batchSize, int numWorkers, int prefetchFactor,
                              Runnable samplerRunDry) {
            this.loader = loader;
            this.order = order;
            this.offsets = offsets;
            this.batchSize = batchSize;
            this.numBatches = offsets.length - 1;
            this.samplerRunDry = samplerRunDry;
            if (numWorkers > 0 && numBatches > 0) {
                workers = new Workers(loader, order, offsets, Math.min(numWorkers, numBatches), prefetchFactor);
                // the cleaning action holds the workers, never this iterator, so an abandoned iterator is collectable
                cleanable = CleanerHolder.CLEANER.register(this, workers::stop);
                workers.start();
            } else {
                workers = null;
                cleanable = null;
            }
        }

        /** The number of batches in this epoch. */
        public int size() {
            return numBatches;
        }

        /**
         * Whether another batch follows. The first {@code false} at the end of an epoch is where
         * PyTorch's sampler runs dry, so the generator draws PyTorch makes there happen here.
         */
        @Override
        public boolean hasNext() {
            if (closed) return false;
            if (nextBatch < numBatches) return true;
            runSamplerDry();
            return false;
        }

        private void runSamplerDry() {
            if (samplerRunDry != null) {
                Runnable draw = samplerRunDry;
                samplerRunDry = null;
                draw.run();
            }
        }

        /**
         * The next batch; with workers, waits until it is loaded.
         *
         * @throws NoSuchElementException after the last batch or after {@link #close()}
         * @throws RuntimeException whatever the data set or collate function threw for this batch
         */
        @Override
        @SuppressWarnings("unchecked")
        public B next() {
            if (closed || nextBatch >= numBatches) {
                throw new NoSuchElementException(closed && nextBatch < numBatches
                        ? "this epoch's iterator was closed after " + nextBatch + " of " + numBatches + " batches"
                        : "no more batches in this epoch (" + numBatches + ")");
            }
            int b = nextBatch++;
            Object batch;
            try {
                if (workers == null) {
                    batch = loader.load(order, offsets[b], offsets[b + 1], NEVER_STOP);
                } else {
                    batch = workers.take(b);
                }
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
            if (nextBatch == numBatches) {
                // a short last batch is only known to be the last once PyTorch's sampler has run dry
                if (offsets[b + 1] - offsets[b] < batchSize) runSamplerDry();
                stopWorkers();
            }
            return (B) batch;
        }

        /**
         * Ends the epoch: stops the worker threads, drops prefetched batches and returns once the
         * threads have ended (a worker finishes the sample it is reading first). Idempotent.
         */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            stopWorkers();
        }

        private void stopWorkers() {
            if (workers != null) {
                cleanable.clean();
                workers.join();
            }
        }
    }

    private static final AtomicBoolean NEVER_STOP = new AtomicBoolean();

    /** One past the last position of batch {@code b} in the epoch's order (long arithmetic: no overflow near 2^31 samples). */
    private static int batchEnd(int b, int batchSize, int n) {
        return (int) Math.min((long) (b + 1) * batchSize, n);
    }

    private static final class CleanerHolder {
        static final Cleaner CLEANER = Cleaner.create();
    }

    /** One finished batch, or the exception that loading it threw. */
    private static final class Slot {
        final Object batch;
        final Throwable error;

        Slot(Object batch, Throwable error) {
            this.batch = batch;
            this.error = error;
        }
    }

    /** The threads of one epoch and their queues; knows nothing of the iterator (see the Cleaner). */
    private static final class Workers {
        private static final long POLL_MILLIS = 100;

        private final BatchLoader loader;
        private final int[] order;
        private final int[] offsets;
        private final int numBatches;
        private final Thread[] threads;
        private final List<ArrayBlockingQueue<Slot>> queues;
        private final AtomicBoolean stop = new AtomicBoolean();

        Workers(BatchLoader loader, int[] order, int[] offsets, int count, int prefetchFactor) {
            this.loader = loader;
            this.order = order;
            this.offsets = offsets;
            this.numBatches = offsets.length - 1;
            this.threads = new Thread[count];
            this.queues = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                queues.add(new ArrayBlockingQueue<>(prefetchFactor));
                final int worker = k;
                threads[k] = new Thread(() -> work(worker), "jtorch-DataLoader-worker-" + k);
                threads[k].setDaemon(true);
            }
        }

        void start() {
            for (Thread t : threads) t.start();
        }

        private void work(int worker) {
            for (int b = worker; b < numBatches; b += threads.length) {
                if (stop.get()) return;
                Slot slot;
                try {
                    Object batch = loader.load(order, offsets[b], offsets[b + 1], stop);
                    if (batch == STOPPED) return;
                    slot = new Slot(batch, null);
                } catch (Throwable t) {
                    slot = new Slot(null, t);
                }
                if (!put(queues.get(worker), slot) || slot.error != null) return;
            }
        }

        /** Waits for room in the queue, giving up when told to stop; no thread interrupts, so a data set's I/O is never cut. */
        private boolean put(ArrayBlockingQueue<Slot> queue, Slot slot) {
            try {
                while (!stop.get()) {
                    if (queue.offer(slot, POLL_MILLIS, TimeUnit.MILLISECONDS)) return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        /** Batch {@code b}, from the queue of the worker that loads it; rethrows the worker's exception. */
        Object take(int b) {
            int worker = b % threads.length;
            ArrayBlockingQueue<Slot> queue = queues.get(worker);
            Slot slot;
            try {
                while ((slot = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS)) == null) {
                    if (!threads[worker].isAlive() && queue.isEmpty()) {
                        throw new IllegalStateException("DataLoader worker " + worker + " exited unexpectedly before loading batch " + b);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for batch " + b + " from DataLoader worker " + worker, e);
            }
            if (slot.error == null) return slot.batch;
            Throwable error = slot.error;
            RuntimeException context = new RuntimeException("Caught " + error.getClass().getName() + " in DataLoader worker " + worker
                    + " while loading batch " + b + "; rethrown in the consumer thread");
            error.addSuppressed(context);
            if (error instanceof RuntimeException) throw (RuntimeException) error;
            if (error instanceof Error) throw (Error) error;
            throw new IllegalStateException(context.getMessage(), error);
        }

        /** Tells the threads to stop and drops prefetched batches (the Cleaner's action). */
        void stop() {
            stop.set(true);
            for (ArrayBlockingQueue<Slot> q : queues) q.clear();
        }

        void join() {
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
