package jtorch.datasets;

/**
 * A data file that is not what it should be: wrong IDX magic number, truncated, longer than its
 * header says, corrupt compression, or contents that disagree (image and label counts, labels out
 * of range). The message names the file and what was expected.
 */
public class IdxFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A malformed data file.
     *
     * @param message the file and what was expected
     */
    public IdxFormatException(String message) {
        super(message);
    }

    /**
     * A malformed data file found through another error.
     *
     * @param message the file and what was expected
     * @param cause the underlying error (e.g. from decompression)
     */
    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
