package jtorch.datasets;

import java.nio.file.Path;
import java.util.List;

/**
 * The files of a data set are not where they were looked for. The message says which files are
 * missing and how to get them (which package to install, or where to download them from).
 */
public class DatasetNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Path> missing;

    /**
     * A data set whose files were not found.
     *
     * @param message what is missing and how to get it
     * @param missing the files looked for and not found
     */
    public DatasetNotFoundException(String message, List<Path> missing) {
        super(message);
        this.missing = List.copyOf(missing);
    }

    /** The files that were looked for and not found. */
    public List<Path> missing() {
        return missing;
    }
}
