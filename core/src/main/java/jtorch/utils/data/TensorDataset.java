package jtorch.utils.data;

import java.util.List;
import java.util.Objects;

import jtorch.Tensor;

/**
 * Tensors that share their first dimension, read row by row ({@code torch.utils.data.TensorDataset}):
 * sample {@code i} is the list of {@code tensor[i]} for each tensor, as views (no copy).
 *
 * <pre>{@code
 * var data = new TensorDataset(X, y);                  // X: (1000, 20), y: (1000,)
 * List<Tensor> sample = data.get(0);                   // [X[0] (20,), y[0] 0-dim]
 * for (List<Tensor> batch : new DataLoader<>(data, 32)) { Tensor xb = batch.get(0), yb = batch.get(1); }
 * }</pre>
 */
public final class TensorDataset implements Dataset<List<Tensor>> {
    private final List<Tensor> tensors;
    private final int size;

    /**
     * @throws IllegalArgumentException if no tensor is given, one is 0-dim, or their first
     *     dimensions differ
     */
    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("TensorDataset needs at least one tensor");
        }
        for (int i = 0; i < tensors.length; i++) {
            Objects.requireNonNull(tensors[i], "tensor " + i);
            if (tensors[i].dim() == 0) {
                throw new IllegalArgumentException("TensorDataset: tensor " + i + " is 0-dim; every tensor needs a first dimension to index samples by");
            }
            if (tensors[i].size(0) != tensors[0].size(0)) {
                throw new IllegalArgumentException("Size mismatch between tensors: tensor 0 has " + tensors[0].size(0)
                        + " rows but tensor " + i + " has " + tensors[i].size(0));
            }
        }
        this.tensors = List.of(tensors);
        this.size = Math.toIntExact(tensors[0].size(0));
    }

    @Override
    public List<Tensor> get(int index) {
        Objects.checkIndex(index, size);
        Tensor[] row = new Tensor[tensors.size()];
        for (int k = 0; k < row.length; k++) row[k] = tensors.get(k).select(0, index);
        return List.of(row);
    }

    @Override
    public int size() {
        return size;
    }

    /** The wrapped tensors ({@code dataset.tensors}). */
    public List<Tensor> tensors() {
        return tensors;
    }
}
