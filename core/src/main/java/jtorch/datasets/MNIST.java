package jtorch.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import jtorch.Tensor;
import jtorch.utils.data.Dataset;

/**
 * The MNIST handwritten digits ({@code torchvision.datasets.MNIST(root, train, transform=ToTensor())})
 * read from the four IDX files as distributed: sample {@code i} is
 * {@code [image (1, 28, 28) float32 in [0, 1], label 0-dim int64]}.
 *
 * <pre>{@code
 * var train = new MNIST(Path.of("data/mnist"), true);    // 60,000 samples
 * var loader = new DataLoader<>(train, DataLoader.options().batchSize(256).shuffle(true));
 * }</pre>
 *
 * {@code root} is the directory that holds {@code train-images-idx3-ubyte.gz},
 * {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz} and
 * {@code t10k-labels-idx1-ubyte.gz} (each may also be there uncompressed, without {@code .gz}).
 * Nothing is downloaded. {@link FashionMNIST} reads Fashion-MNIST, which has the same format.
 */
public class MNIST implements Dataset<List<Tensor>> {

    /** torchvision's {@code MNIST.classes}. */
    public static final List<String> CLASSES = List.of(
            "0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
            "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine");

    private static final String MNIST_SOURCE =
            "Download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
            + "t10k-labels-idx1-ubyte.gz from the MNIST database (http://yann.lecun.com/exdb/mnist/) into a directory "
            + "and pass that directory.";

    private final Path root;
    private final boolean train;
    private final List<String> classes;
    private final Tensor images;
    private final Tensor labels;

    /**
     * Reads the training set ({@code train}) or the test set from {@code root}.
     *
     * @throws DatasetNotFoundException if a file is missing (the message says where to get it)
     * @throws IdxFormatException if a file is corrupt, truncated or inconsistent with the other
     */
    public MNIST(Path root, boolean train) {
        this(root, train, "MNIST", CLASSES, MNIST_SOURCE);
    }

    /**
     * For data sets in MNIST's format ({@link FashionMNIST}): {@code name} and {@code howToGet}
     * go into the error messages.
     */
    protected MNIST(Path root, boolean train, String name, List<String> classes, String howToGet) {
        this.root = Objects.requireNonNull(root, "root");
        this.train = train;
        this.classes = List.copyOf(classes);
        String prefix = train ? "train" : "t10k";
        String split = name + (train ? " training set" : " test set");
        Path imagesFile = find(root, prefix + "-images-idx3-ubyte");
        Path labelsFile = find(root, prefix + "-labels-idx1-ubyte");
        List<Path> missing = new ArrayList<>();
        if (imagesFile == null) missing.add(root.resolve(prefix + "-images-idx3-ubyte.gz"));
        if (labelsFile == null) missing.add(root.resolve(prefix + "-labels-idx1-ubyte.gz"));
        if (!missing.isEmpty()) {
            StringBuilder files = new StringBuilder();
            for (Path p : missing) files.append(files.length() == 0 ? "" : ", ").append(p.getFileName());
            String where = Files.isDirectory(root) ? root + " has no " + files : "directory " + root + " does not exist (looked for " + files + ")";
            throw new DatasetNotFoundException(split + " not found: " + where + ". " + howToGet, missing);
        }
        this.images = IdxFile.readImages(imagesFile);
        this.labels = IdxFile.readLabels(labelsFile);
        if (images.size(0) != labels.size(0)) {
            throw new IdxFormatException(split + ": " + imagesFile + " holds " + images.size(0) + " images but " + labelsFile
                    + " holds " + labels.size(0) + " labels");
        }
        long[] values = labels.storage().i64();
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= classes.size()) {
                throw new IdxFormatException(split + ": label " + values[i] + " at index " + i + " of " + labelsFile
                        + " is not a class index (expected 0.." + (classes.size() - 1) + ")");
            }
        }
    }

    /** {@code dir/name.gz}, else {@code dir/name}, else null. */
    private static Path find(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        Path plain = dir.resolve(name);
        return Files.isRegularFile(plain) ? plain : null;
    }

    /** Sample {@code index}: {@code [image (1, rows, cols) float32, label 0-dim int64]}, views into {@link #images()} and {@link #labels()}. */
    @Override
    public List<Tensor> get(int index) {
        Objects.checkIndex(index, size());
        return List.of(images.select(0, index), labels.select(0, index));
    }

    @Override
    public int size() {
        return (int) images.size(0);
    }

    /** All images, float32 {@code (N, 1, rows, cols)} in {@code [0, 1]}. */
    public Tensor images() {
        return images;
    }

    /** All labels, int64 {@code (N,)} ({@code dataset.targets}). */
    public Tensor labels() {
        return labels;
    }

    /** The class names, indexed by label ({@code dataset.classes}). */
    public List<String> classes() {
        return classes;
    }

    /** Whether this is the training set ({@code dataset.train}). */
    public boolean train() {
        return train;
    }

    /** The directory the files were read from. */
    public Path root() {
        return root;
    }
}
