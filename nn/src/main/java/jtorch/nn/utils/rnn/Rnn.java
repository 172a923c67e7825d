package jtorch.nn.utils.rnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.nn.utils.rnn} (PyTorch's {@code torch/nn/utils/rnn.py}): padding a list of
 * variable-length sequences into one tensor, packing a padded batch into a {@link PackedSequence}
 * for the recurrent modules, and back.
 *
 * <pre>{@code
 * Tensor padded = Rnn.padSequence(List.of(a, b, c), true);                  // pad_sequence([a, b, c], batch_first=True)
 * PackedSequence packed = Rnn.packPaddedSequence(padded, new long[] {3, 1, 2}, true, false);
 * Rnn.Padded out = Rnn.padPackedSequence(packed, true);                    // out, lens = pad_packed_sequence(packed, batch_first=True)
 * Tensor output = out.output(), lengths = out.lengths();
 * }</pre>
 *
 * Every function is differentiable: the data moves through one {@code index_select} (and a
 * {@code cat}) with a precomputed flat index, so the gradient is one {@code index_add} back,
 * whatever the number of sequences or time steps.
 */
public final class Rnn {
    private Rnn() {}

    /** What {@code pad_packed_sequence} returns: the padded batch and each sequence's length (int64). */
    public record Padded(Tensor output, Tensor lengths) {}

    // ------------------------------------------------------------------ pad_sequence

    /** {@code pad_sequence(sequences)}: time first, {@code (T, B, *)}, padded with 0. */
    public static Tensor padSequence(List<Tensor> sequences) { return padSequence(sequences, false, 0.0); }

    /** {@code pad_sequence(sequences, batch_first)}. */
    public static Tensor padSequence(List<Tensor> sequences, boolean batchFirst) { return padSequence(sequences, batchFirst, 0.0); }

    /** {@code pad_sequence(tensor, ...)}: the sequences are the tensor's slices along dim 0, as Python iterates it. */
    public static Tensor padSequence(Tensor sequences, boolean batchFirst, double paddingValue) {
        if (sequences == null) throw new IllegalArgumentException("pad_sequence: Expected iterable for input sequences, but got null");
        if (sequences.dim() == 0) throw new IllegalArgumentException("pad_sequence: Expected iterable for input sequences, but got a 0-dim tensor");
        return padSequence(sequences.unbind(0), batchFirst, paddingValue);
    }

    /**
     * {@code pad_sequence(sequences, batch_first, padding_value)}: the sequences (each
     * {@code L_i x *}) stacked along a new batch dimension and padded with {@code paddingValue}
     * to the longest length {@code T}: {@code (T, B, *)}, or {@code (B, T, *)} with
     * {@code batchFirst}. The trailing dimensions and the dtype are the first sequence's (the
     * others are converted, and broadcast to its trailing dimensions as PyTorch's {@code copy_}
     * does); zero-length sequences are allowed.
     */
    public static Tensor padSequence(List<Tensor> sequences, boolean batchFirst, double paddingValue) {
        if (sequences == null) throw new IllegalArgumentException("pad_sequence: Expected iterable for input sequences, but got null");
        int b = sequences.size();
        if (b == 0) throw new IllegalArgumentException("pad_sequence: received an empty list of sequences");
        for (int i = 0; i < b; i++) {
            Tensor s = sequences.get(i);
            if (s == null) throw new IllegalArgumentException("pad_sequence: sequences[" + i + "] is null");
            if (s.dim() == 0)
                throw new IllegalArgumentException("pad_sequence: sequences[" + i + "] is a 0-dim tensor; every sequence must be L x * "
                        + "(Dimension specified as 0 but tensor has no dimensions)");
        }
        Tensor first = sequences.get(0);
        DType dtype = first.dtype();
        long[] trailing = Arrays.copyOfRange(first.shape().toArray(), 1, first.dim());
        long rowSize = 1;
        for (long d : trailing) rowSize *= d;
        long[] lengths = new long[b];
        long maxLen = 0;
        for (int i = 0; i < b; i++) { lengths[i] = sequences.get(i).size(0); maxLen = Math.max(maxLen, lengths[i]); }

        // all rows one after the other, then one padding row; the output picks a row per (t, i)
        List<Tensor> rows = new ArrayList<>(b + 1);
        long[] offsets = new long[b];
        long total = 0;
        for (int i = 0; i < b; i++) {
            Tensor s = sequences.get(i);
            long[] target = concat(lengths[i], trailing);
            if (!Arrays.equals(s.shape().toArray(), target)) s = s.expand(target);
            if (s.dtype() != dtype) s = s.to(dtype);
            rows.add(s);
            offsets[i] = total;
            total += lengths[i];
        }
        rows.add(Torch.full(concat(1, trailing), paddingValue, dtype));
        long padRow = total;
        long[] index = new long[Math.toIntExact(maxLen * b)];
        for (int i = 0; i < b; i++)
            for (long t = 0; t < maxLen; t++)
                index[(int) (batchFirst ? i * maxLen + t : t * b + i)] = t < lengths[i] ? offsets[i] + t : padRow;
        Tensor flat = Torch.cat(rows, 0).reshape(concat(total + 1, rowSize == 0 ? new long[] {0} : new long[] {rowSize}));
        Tensor picked = flat.indexSelect(0, Torch.tensor(index));
        long[] outDims = batchFirst ? concat(b, concat(maxLen, trailing)) : concat(maxLen, concat(b, trailing));
        return picked.reshape(outDims);
    }

    // ------------------------------------------------------------------ pack_padded_sequence

    /** {@code pack_padded_sequence(input, lengths)}: time first, sorted lengths required. */
    public static PackedSequence packPaddedSequence(Tensor input, long[] lengths) { return packPaddedSequence(input, lengths, false, true); }

    /** {@code pack_padded_sequence(input, lengths, batch_first)}. */
    public static PackedSequence packPaddedSequence(Tensor input, long[] lengths, boolean batchFirst) {
        return packPaddedSequence(input, lengths, batchFirst, true);
    }

    /** {@code pack_padded_sequence(input, lengths, batch_first, enforce_sorted)} with the lengths as a Java array. */
    public static PackedSequence packPaddedSequence(Tensor input, long[] lengths, boolean batchFirst, boolean enforceSorted) {
        if (lengths == null) throw new IllegalArgumentException("pack_padded_sequence: lengths must not be null");
        return pack(input, lengths.clone(), batchFirst, enforceSorted);
    }

    /** {@code pack_padded_sequence(input, lengths)} with a lengths tensor. */
    public static PackedSequence packPaddedSequence(Tensor input, Tensor lengths) { return packPaddedSequence(input, lengths, false, true); }

    /** {@code pack_padded_sequence(input, lengths, batch_first)} with a lengths tensor. */
    public static PackedSequence packPaddedSequence(Tensor input, Tensor lengths, boolean batchFirst) {
        return packPaddedSequence(input, lengths, batchFirst, true);
    }

    /**
     * {@code pack_padded_sequence(input, lengths, batch_first, enforce_sorted)}: packs a padded
     * batch {@code (T, B, *)} ({@code (B, T, *)} with {@code batchFirst}) of sequences of the given
     * lengths (converted to int64 as {@code torch.as_tensor(lengths, dtype=torch.int64)} does; must
     * be 1-D, one per batch element, all &gt; 0). With {@code enforceSorted} the lengths must be
     * decreasing and no permutation is recorded; without it the batch is sorted by decreasing
     * length (stably) and {@code sortedIndices} / {@code unsortedIndices} record the permutation.
     */
    public static PackedSequence packPaddedSequence(Tensor input, Tensor lengths, boolean batchFirst, boolean enforceSorted) {
        if (lengths == null) throw new IllegalArgumentException("pack_padded_sequence: lengths must not be null");
        if (lengths.dim() != 1)
            throw new IllegalArgumentException("pack_padded_sequence: 'lengths' argument should be a 1D CPU int64 tensor, but got "
                    + lengths.dim() + "D cpu " + scalarTypeName(lengths.dtype()) + " tensor");
        return pack(input, lengths.toLongArray(), batchFirst, enforceSorted);
    }

    private static PackedSequence pack(Tensor input, long[] lengths, boolean batchFirst, boolean enforceSorted) {
        if (input == null) throw new IllegalArgumentException("pack_padded_sequence: input must not be null");
        if (input.dim() < 2)
            throw new IllegalArgumentException("pack_padded_sequence: expected a padded input of at least 2 dimensions ("
                    + (batchFirst ? "B x T x *" : "T x B x *") + "), got " + input.dim() + "-D input of shape " + input.shape());
        int timeDim = batchFirst ? 1 : 0, batchDim = batchFirst ? 0 : 1;
        long steps = input.size(timeDim), batch = input.size(batchDim);
        long[] sortedIndices = null;
        if (!enforceSorted) {
            sortedIndices = sortDescending(lengths);
            long[] sortedLengths = new long[lengths.length];
            for (int i = 0; i < lengths.length; i++) sortedLengths[i] = lengths[(int) sortedIndices[i]];
            lengths = sortedLengths;
            // PyTorch index_selects the batch with sorted_indices before the checks below
            for (long s : sortedIndices)
                if (s >= batch) throw new IndexOutOfBoundsException("index_select(): index " + s + " out of range in self (size " + batch + ")");
        }
        if (input.numel() == 0) throw new IllegalArgumentException("pack_padded_sequence: Cannot pack empty tensors.");
        if (lengths.length != batch)
            throw new IllegalArgumentException("pack_padded_sequence: Expected `len(lengths)` to be equal to batch_size, but got "
                    + lengths.length + " (batch_size=" + batch + ")");
        int b = lengths.length;
        if (lengths[b - 1] <= 0)
            throw new IllegalArgumentException("pack_padded_sequence: Length of all samples has to be greater than 0, but found an element "
                    + "in 'lengths' that is <= 0");
        for (int i = 0; i < b - 1; i++)
            if (lengths[b - 1 - i] > lengths[b - 2 - i])
                throw new IllegalArgumentException("pack_padded_sequence: `lengths` array must be sorted in decreasing order when "
                        + "`enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence "
                        + "to sidestep this requirement if you do not need ONNX exportability.");
        // PyTorch 1.13 reads past the input here; refuse instead
        if (lengths[0] > steps)
            throw new IllegalArgumentException("pack_padded_sequence: the longest length (" + lengths[0] + ") exceeds the padded input's "
                    + "sequence length (" + steps + ") of input of shape " + input.shape() + (batchFirst ? " (batch_first)" : ""));

        int maxLen = (int) lengths[0];
        long[] batchSizes = new long[maxLen];
        long total = 0;
        for (long len : lengths) { total += len; for (int t = 0; t < len; t++) batchSizes[t]++; }
        // packed row p = (t, j): the j-th longest sequence at step t; in the padded input that is
        // batch element sorted[j], flattened over (time, batch) or (batch, time)
        long[] index = new long[Math.toIntExact(total)];
        int p = 0;
        for (int t = 0; t < maxLen; t++)
            for (int j = 0; j < batchSizes[t]; j++) {
                long e = sortedIndices == null ? j : sortedIndices[j];
                index[p++] = batchFirst ? e * steps + t : t * batch + e;
            }
        long[] rest = Arrays.copyOfRange(input.shape().toArray(), 2, input.dim());
        Tensor flat = input.reshape(concat(steps * batch, rest));
        Tensor data = flat.indexSelect(0, Torch.tensor(index));
        return new PackedSequence(data, Torch.tensor(batchSizes), sortedIndices == null ? null : Torch.tensor(sortedIndices), null);
    }

    /** The permutation sorting {@code lengths} in decreasing order, equal lengths in their original order. */
    private static long[] sortDescending(long[] lengths) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Long.compare(lengths[y], lengths[x]));   // stable (merge sort)
        long[] out = new long[order.length];
        for (int i = 0; i < order.length; i++) out[i] = order[i];
        return out;
    }

    // ------------------------------------------------------------------ pad_packed_sequence

    /** {@code pad_packed_sequence(sequence)}: time first, padded with 0. */
    public static Padded padPackedSequence(PackedSequence sequence) { return padPackedSequence(sequence, false, 0.0); }

    /** {@code pad_packed_sequence(sequence, batch_first)}. */
    public static Padded padPackedSequence(PackedSequence sequence, boolean batchFirst) { return padPackedSequence(sequence, batchFirst, 0.0); }

    /** {@code pad_packed_sequence(sequence, batch_first, padding_value)}: padded to the longest sequence. */
    public static Padded padPackedSequence(PackedSequence sequence, boolean batchFirst, double paddingValue) {
        if (sequence == null) throw new IllegalArgumentException("pad_packed_sequence: sequence must not be null");
        return unpack(sequence, batchFirst, paddingValue, sequence.batchSizes().size(0));
    }

    /**
     * {@code pad_packed_sequence(sequence, batch_first, padding_value, total_length)}: the inverse
     * of {@link #packPaddedSequence(Tensor, Tensor, boolean, boolean)}: {@code (T, B, *)} (or
     * {@code (B, T, *)}) with {@code T = totalLength}, which must be at least the longest
     * sequence's length; the batch back in its original order ({@code unsortedIndices}) and the
     * lengths (int64) in that order.
     */
    public static Padded padPackedSequence(PackedSequence sequence, boolean batchFirst, double paddingValue, long totalLength) {
        if (sequence == null) throw new IllegalArgumentException("pad_packed_sequence: sequence must not be null");
        long maxSeqLength = sequence.batchSizes().size(0);
        if (totalLength < maxSeqLength)
            throw new IllegalArgumentException("pad_packed_sequence: Expected total_length to be at least the length of the longest sequence "
                    + "in input, but got total_length=" + totalLength + " and max sequence length being " + maxSeqLength);
        return unpack(sequence, batchFirst, paddingValue, totalLength);
    }

    private static Padded unpack(PackedSequence sequence, boolean batchFirst, double paddingValue, long steps) {
        Tensor data = sequence.data();
        long[] batchSizes = sequence.batchSizes().toLongArray();
        int realSteps = batchSizes.length;
        if (realSteps == 0) throw new IllegalArgumentException("pad_packed_sequence: batch_sizes is empty; cannot unpack an empty PackedSequence");
        int batch = Math.toIntExact(batchSizes[0]);
        long total = 0;
        for (int t = 0; t < realSteps; t++) {
            if (batchSizes[t] <= 0 || batchSizes[t] > (t == 0 ? batch : batchSizes[t - 1]))
                throw new IllegalArgumentException("pad_packed_sequence: batch_sizes must be positive and non-increasing, got "
                        + Arrays.toString(batchSizes));
            total += batchSizes[t];
        }
        if (data.dim() == 0 || data.size(0) != total)
            throw new IllegalArgumentException("pad_packed_sequence: data has shape " + data.shape() + " but batch_sizes "
                    + Arrays.toString(batchSizes) + " sum to " + total + " rows");
        long[] unsorted = sequence.unsortedIndices() == null ? null : sequence.unsortedIndices().toLongArray();
        if (unsorted != null && unsorted.length != batch)
            throw new IllegalArgumentException("pad_packed_sequence: unsorted_indices has " + unsorted.length + " entries for a batch of " + batch);
        long[] sortedLengths = new long[batch];
        for (int t = 0; t < realSteps; t++) for (int j = 0; j < batchSizes[t]; j++) sortedLengths[j]++;
        // where each (t, j) of the sorted batch sits in the packed data
        long[] stepStart = new long[realSteps];
        for (int t = 1; t < realSteps; t++) stepStart[t] = stepStart[t - 1] + batchSizes[t - 1];

        long[] rest = Arrays.copyOfRange(data.shape().toArray(), 1, data.dim());
        long padRow = total;
        long[] index = new long[Math.toIntExact(steps * batch)];
        long[] lengths = new long[batch];
        for (int e = 0; e < batch; e++) {
            int j = unsorted == null ? e : (int) unsorted[e];   // output column e is sorted column j
            lengths[e] = sortedLengths[j];
            for (long t = 0; t < steps; t++)
                index[(int) (batchFirst ? e * steps + t : t * batch + e)] = t < sortedLengths[j] ? stepStart[(int) t] + j : padRow;
        }
        Tensor rows = Torch.cat(List.of(data, Torch.full(concat(1, rest), paddingValue, data.dtype())), 0);
        Tensor picked = rows.indexSelect(0, Torch.tensor(index));
        long[] outDims = batchFirst ? concat(batch, concat(steps, rest)) : concat(steps, concat(batch, rest));
        return new Padded(picked.reshape(outDims), Torch.tensor(lengths));
    }

    // ------------------------------------------------------------------ pack_sequence and the inverses

    /** {@code pack_sequence(sequences)}: sequences sorted by decreasing length. */
    public static PackedSequence packSequence(List<Tensor> sequences) { return packSequence(sequences, true); }

    /**
     * {@code pack_sequence(sequences, enforce_sorted)}: {@code pad_sequence} then
     * {@code pack_padded_sequence} with each sequence's length.
     */
    public static PackedSequence packSequence(List<Tensor> sequences, boolean enforceSorted) {
        if (sequences == null) throw new IllegalArgumentException("pack_sequence: sequences must not be null");
        long[] lengths = new long[sequences.size()];
        for (int i = 0; i < lengths.length; i++) {
            Tensor s = sequences.get(i);
            if (s == null) throw new IllegalArgumentException("pack_sequence: sequences[" + i + "] is null");
            if (s.dim() == 0) throw new IllegalArgumentException("pack_sequence: sequences[" + i + "] is a 0-dim tensor; every sequence must be L x *");
            lengths[i] = s.size(0);
        }
        return packPaddedSequence(padSequence(sequences), lengths, false, enforceSorted);
    }

    /** {@code unpad_sequence(padded_sequences, lengths)}: time first. */
    public static List<Tensor> unpadSequence(Tensor paddedSequences, Tensor lengths) { return unpadSequence(paddedSequences, lengths, false); }

    /**
     * {@code unpad_sequence(padded_sequences, lengths, batch_first)}: the padded batch split back
     * into a list of sequences, the first {@code lengths[i]} steps of batch element {@code i}
     * (copies, as PyTorch's mask indexing makes). Unlike PyTorch, the input is not transposed in place.
     */
    public static List<Tensor> unpadSequence(Tensor paddedSequences, Tensor lengths, boolean batchFirst) {
        if (paddedSequences == null || lengths == null) throw new IllegalArgumentException("unpad_sequence: arguments must not be null");
        return unpadSequence(paddedSequences, lengths.reshape(-1).toLongArray(), batchFirst);
    }

    /** {@code unpad_sequence(padded_sequences, lengths, batch_first)} with the lengths as a Java array. */
    public static List<Tensor> unpadSequence(Tensor paddedSequences, long[] lengths, boolean batchFirst) {
        if (paddedSequences == null || lengths == null) throw new IllegalArgumentException("unpad_sequence: arguments must not be null");
        if (paddedSequences.dim() < 2)
            throw new IllegalArgumentException("unpad_sequence: expected padded sequences of at least 2 dimensions, got shape " + paddedSequences.shape());
        Tensor batchMajor = batchFirst ? paddedSequences : paddedSequences.transpose(0, 1);
        long maxLength = batchMajor.size(1);
        int n = (int) Math.min(batchMajor.size(0), lengths.length);   // Python's zip stops at the shorter
        List<Tensor> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long len = Math.max(0, Math.min(maxLength, lengths[i]));
            out.add(batchMajor.select(0, i).narrow(0, 0, len).clone());
        }
        return out;
    }

    /** {@code unpack_sequence(packed_sequences)}: the list of sequences, in their original order. */
    public static List<Tensor> unpackSequence(PackedSequence packedSequences) {
        Padded padded = padPackedSequence(packedSequences, true);
        return unpadSequence(padded.output(), padded.lengths(), true);
    }

    /** c10's ScalarType names, as PyTorch's checkLongTensor prints them. */
    private static String scalarTypeName(DType dtype) {
        switch (dtype) {
            case FLOAT32: return "Float";
            case FLOAT64: return "Double";
            case INT64: return "Long";
            case BOOL: return "Bool";
            default: return dtype.toString();
        }
    }

    private static long[] concat(long head, long[] tail) {
        long[] out = new long[tail.length + 1];
        out[0] = head;
        System.arraycopy(tail, 0, out, 1, tail.length);
        return out;
    }
}
