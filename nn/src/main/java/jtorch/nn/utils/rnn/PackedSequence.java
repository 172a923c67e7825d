package jtorch.nn.utils.rnn;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.nn.utils.rnn.PackedSequence}: a batch of variable-length sequences packed time step
 * by time step. {@code data} holds the steps of all sequences, step 0 of every sequence first, then
 * step 1 of every sequence still running, ...; {@code batchSizes} (int64, one entry per time step)
 * says how many sequences run at each step. Sequences are packed longest first:
 * {@code sortedIndices} maps a packed position to the original batch index and
 * {@code unsortedIndices} is its inverse (both null when the batch was already sorted and
 * {@code enforceSorted} was true).
 *
 * <pre>{@code
 * PackedSequence packed = Rnn.packPaddedSequence(padded, lengths, true, false);  // pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
 * Tensor data = packed.data();                 // packed.data
 * Tensor batchSizes = packed.batchSizes();     // packed.batch_sizes
 * }</pre>
 *
 * Users build one through {@code Rnn.packPaddedSequence} or {@code Rnn.packSequence}, as in PyTorch.
 */
public final class PackedSequence {
    private final Tensor data;
    private final Tensor batchSizes;
    private final Tensor sortedIndices;
    private final Tensor unsortedIndices;

    /**
     * {@code PackedSequence(data, batch_sizes, sorted_indices, unsorted_indices)}; a null
     * {@code unsortedIndices} with non-null {@code sortedIndices} is computed as its inverse
     * permutation, as PyTorch's constructor does.
     */
    public PackedSequence(Tensor data, Tensor batchSizes, Tensor sortedIndices, Tensor unsortedIndices) {
        if (data == null) throw new IllegalArgumentException("PackedSequence: data must not be null");
        if (batchSizes == null) throw new IllegalArgumentException("PackedSequence: batch_sizes must not be null");
        if (batchSizes.dim() != 1 || batchSizes.dtype() != DType.INT64)
            throw new IllegalArgumentException("PackedSequence: batch_sizes should always be a 1D int64 CPU tensor, got "
                    + batchSizes.dim() + "-D " + batchSizes.dtype());
        this.data = data;
        this.batchSizes = batchSizes;
        this.sortedIndices = sortedIndices;
        this.unsortedIndices = unsortedIndices == null && sortedIndices != null ? invertPermutation(sortedIndices) : unsortedIndices;
    }

    /** {@code PackedSequence(data, batch_sizes)}: no permutation (the batch was sorted). */
    public PackedSequence(Tensor data, Tensor batchSizes) { this(data, batchSizes, null, null); }

    /** {@code packed.data}: the packed steps, shape {@code (sum(lengths), *)}. */
    public Tensor data() { return data; }

    /** {@code packed.batch_sizes}: int64, how many sequences run at each time step. */
    public Tensor batchSizes() { return batchSizes; }

    /** {@code packed.sorted_indices}: int64 or null. */
    public Tensor sortedIndices() { return sortedIndices; }

    /** {@code packed.unsorted_indices}: int64 or null. */
    public Tensor unsortedIndices() { return unsortedIndices; }

    /**
     * {@code packed.to(dtype)}: {@code data} converted (differentiably), the int64 index tensors
     * kept; {@code this} when the dtype already matches, as PyTorch returns self.
     */
    public PackedSequence to(DType dtype) {
        if (data.dtype() == dtype) return this;
        return new PackedSequence(data.to(dtype), batchSizes, sortedIndices, unsortedIndices);
    }

    /** {@code packed.double()}. */
    public PackedSequence double_() { return to(DType.FLOAT64); }

    /** {@code packed.float()}. */
    public PackedSequence float_() { return to(DType.FLOAT32); }

    /** {@code packed.is_cuda}: always false, jtorch is CPU only. */
    public boolean isCuda() { return false; }

    /** The inverse permutation ({@code unsorted[sorted[i]] = i}), as PyTorch's {@code invert_permutation}. */
    static Tensor invertPermutation(Tensor permutation) {
        long[] p = permutation.toLongArray();
        long[] inv = new long[p.length];
        for (int i = 0; i < p.length; i++) inv[(int) p[i]] = i;
        return Torch.tensor(inv);
    }

    @Override public String toString() {
        return "PackedSequence(data=" + data + ", batch_sizes=" + batchSizes + ", sorted_indices=" + sortedIndices
                + ", unsorted_indices=" + unsortedIndices + ")";
    }
}
