package jtorch.distributed;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A collective in flight, {@code torch.distributed.Work}: what an {@code asyncOp} collective
 * returns. Its tensors must not be read or written until {@link #await()} returns. A synchronous
 * collective returns its work already completed.
 *
 * <pre>{@code
 * Work w = Dist.allReduce(grad, ReduceOp.SUM, true);   // dist.all_reduce(grad, async_op=True)
 * ...                                                  // other work meanwhile
 * w.await();                                           // w.wait()
 * }</pre>
 */
public final class Work {
    private final String collective;
    private final CompletableFuture<Void> done;
    private final Duration timeout;
    private final ProcessGroupMpi group;

    Work(String collective, CompletableFuture<Void> done, Duration timeout, ProcessGroupMpi group) {
        this.collective = collective;
        this.done = done;
        this.timeout = timeout;
        this.group = group;
    }

    /** Whether the collective has finished (successfully or not), {@code work.is_completed()}. */
    public boolean isCompleted() { return done.isDone(); }

    /**
     * Waits for the collective, {@code work.wait()} ({@code wait} is {@code Object}'s in Java).
     * Returns true; throws the collective's {@link DistributedException} if it failed. After the
     * process group's timeout the whole job is aborted (a peer that never joins would otherwise
     * leave every rank waiting forever) and this throws.
     */
    public boolean await() {
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            String message = collective + " did not complete within " + timeout + " on rank " + group.rank()
                    + ": a peer never joined it; aborting the job";
            group.abortJob(message);
            throw new DistributedException(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributedException(collective + ": interrupted while waiting", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DistributedException) throw new DistributedException(cause.getMessage(), cause);
            throw new DistributedException(collective + " failed: " + cause, cause);
        }
    }
}
