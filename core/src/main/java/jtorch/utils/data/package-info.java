/**
 * Data loading, as {@code torch.utils.data}: {@link jtorch.utils.data.Dataset} (with
 * {@code randomSplit}), {@link jtorch.utils.data.TensorDataset}, {@link jtorch.utils.data.Subset}, and
 * {@link jtorch.utils.data.DataLoader}, which batches, shuffles (in PyTorch's order for the same seed),
 * collates ({@link jtorch.utils.data.Collate}) and prefetches on worker threads.
 *
 * <pre>{@code
 * var train = new TensorDataset(X, y);
 * for (List<Tensor> batch : new DataLoader<>(train, DataLoader.options().batchSize(32).shuffle(true))) {
 *     Tensor loss = F.mseLoss(net.forward(batch.get(0)), batch.get(1));
 * }
 * }</pre>
 */
package jtorch.utils.data;
