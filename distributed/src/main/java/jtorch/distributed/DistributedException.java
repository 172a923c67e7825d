package jtorch.distributed;

/**
 * A collective that could not complete: an MPI call that failed (its message names the call and
 * MPI's error string), ranks that disagree on a collective's tensors, a timeout, or a process group
 * that cannot start (no Open MPI, a JDK without {@code java.lang.foreign}, not run by {@code mpirun}).
 */
public class DistributedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with this message. */
    public DistributedException(String message) { super(message); }

    /** An exception with this message and cause. */
    public DistributedException(String message, Throwable cause) { super(message, cause); }
}
