/**
 * Readers for standard data sets, in the spirit of {@code torchvision.datasets}: {@link jtorch.datasets.MNIST}
 * and {@link jtorch.datasets.FashionMNIST} from their IDX files ({@link jtorch.datasets.IdxFile}). They are
 * {@link jtorch.utils.data.Dataset}s for {@link jtorch.utils.data.DataLoader}. Nothing is downloaded: a
 * missing file is a {@link jtorch.datasets.DatasetNotFoundException} that says where to get it.
 */
package jtorch.datasets;
