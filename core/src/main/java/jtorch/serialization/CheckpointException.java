package jtorch.serialization;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file that cannot be read or written: truncated, corrupt, of an unknown format, or
 * holding something jtorch refuses to load. The message starts with the file's path and says what
 * is wrong and where.
 *
 * <pre>{@code
 * try {
 *     model.loadStateDict(Torch.load(path));
 * } catch (CheckpointException e) {
 *     System.err.println(e.getMessage());  // "/tmp/m.pt: truncated in the data: ..."
 * }
 * }</pre>
 */
public class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final String problem;

    /**
     * A checkpoint problem; the message is {@code path + ": " + problem}.
     *
     * @param path the file being read or written
     * @param problem what is wrong, without the path
     */
    public CheckpointException(Path path, String problem) {
        this(path, problem, null);
    }

    /**
     * A checkpoint problem with the error that caused it.
     *
     * @param path the file being read or written
     * @param problem what is wrong, without the path
     * @param cause the underlying error
     */
    public CheckpointException(Path path, String problem, Throwable cause) {
        super(path + ": " + problem, cause);
        this.path = path;
        this.problem = problem;
    }

    /** The file that was being read or written. */
    public Path path() { return path; }

    /** What is wrong, without the path. */
    public String problem() { return problem; }
}
