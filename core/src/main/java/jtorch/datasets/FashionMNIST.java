package jtorch.datasets;

import java.nio.file.Path;
import java.util.List;

/**
 * Zalando's Fashion-MNIST ({@code torchvision.datasets.FashionMNIST(root, train, transform=ToTensor())}):
 * 60,000 training and 10,000 test images of clothes, 28x28 grey levels, ten classes; sample
 * {@code i} is {@code [image (1, 28, 28) float32 in [0, 1], label 0-dim int64]}.
 *
 * <pre>{@code
 * var train = new FashionMNIST(true);                    // from /usr/share/datasets/fashion-mnist/
 * var test = new FashionMNIST(Path.of("data"), false);   // from data/t10k-*-ubyte.gz
 * String name = train.classes().get((int) train.get(0).get(1).itemLong());
 * }</pre>
 *
 * Debian's package {@code dataset-fashion-mnist} installs the files in {@link #DEFAULT_ROOT}. The
 * data set is MIT-licensed (Copyright 2017 Zalando SE).
 */
public final class FashionMNIST extends MNIST {

    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    public static final Path DEFAULT_ROOT = Path.of("/usr/share/datasets/fashion-mnist");

    /** torchvision's {@code FashionMNIST.classes}. */
    public static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String HOW_TO_GET =
            "Install Debian's package dataset-fashion-mnist (apt-get install dataset-fashion-mnist), which puts the files in "
            + DEFAULT_ROOT + "/, or download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
            + "t10k-labels-idx1-ubyte.gz from https://github.com/zalandoresearch/fashion-mnist (folder data/fashion) into a "
            + "directory and pass that directory.";

    /** Reads the training or test set from {@code root}. */
    public FashionMNIST(Path root, boolean train) {
        super(root, train, "Fashion-MNIST", CLASSES, HOW_TO_GET);
    }

    /** Reads the training or test set from {@link #DEFAULT_ROOT}. */
    public FashionMNIST(boolean train) {
        this(DEFAULT_ROOT, train);
    }
}
