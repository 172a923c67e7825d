package jtorch.serialization;

import java.nio.file.Path;

/**
 * A PyTorch checkpoint whose pickle names a Python global that state dicts never contain (for
 * example {@code posix.system} or {@code builtins.eval}): loading it with Python's
 * {@code torch.load} could run arbitrary code, so jtorch refuses it before reading further.
 *
 * <pre>{@code
 * try {
 *     Torch.load(Path.of("downloaded.pt"));
 * } catch (UnsafePickleException e) {
 *     System.err.println("refused " + e.global());   // refused posix.system
 * }
 * }</pre>
 */
public final class UnsafePickleException extends CheckpointException {
    private static final long serialVersionUID = 1L;

    private final String global;

    UnsafePickleException(Path path, String global, String problem) {
        super(path, problem);
        this.global = global;
    }

    /** The refused global as {@code module.name}, e.g. {@code "posix.system"}. */
    public String global() { return global; }
}
