package jtorch;

import java.util.Arrays;

/**
 * An immutable tensor shape, PyTorch's {@code torch.Size}. Prints as {@code torch.Size([8, 8])}.
 *
 * <pre>{@code
 * Size s = Size.of(1, 1).concat(x.shape());   // (1, 1) + x.shape
 * Size tail = y.shape().slice(2);             // y.shape[2:]
 * }</pre>
 */
public final class Size {
    private final long[] dims;

    private Size(long[] dims) { this.dims = dims; }

    /** {@code torch.Size(dims)}: a copy of the given sizes; negative sizes are refused. */
    public static Size of(long... dims) {
        for (long d : dims)
            if (d < 0) throw new IllegalArgumentException("Trying to create tensor with negative dimension " + d + ": " + Arrays.toString(dims));
        return new Size(dims.clone());
    }

    static Size ofInts(int[] dims) {
        long[] l = new long[dims.length];
        for (int i = 0; i < dims.length; i++) l[i] = dims[i];
        return new Size(l);
    }

    /** Number of dimensions, {@code len(size)}. */
    public int dim() { return dims.length; }

    /** Size of dimension {@code i}; negative counts from the end. */
    public long get(int i) {
        int n = dims.length;
        if (i < -n || i >= n) throw new IndexOutOfBoundsException("tuple index out of range: " + i + " for " + this);
        return dims[i < 0 ? i + n : i];
    }

    /** Product of the sizes, {@code size.numel()}. */
    public long numel() {
        long p = 1;
        for (long d : dims) p *= d;
        return p;
    }

    /** {@code size[from:]}. */
    public Size slice(int from) { return slice(from, dims.length); }

    /** {@code size[from:to]}, with Python's clamping of out-of-range bounds. */
    public Size slice(int from, int to) {
        int n = dims.length;
        if (from < 0) from = Math.max(0, from + n);
        if (to < 0) to = Math.max(0, to + n);
        from = Math.min(from, n);
        to = Math.min(Math.max(to, from), n);
        return new Size(Arrays.copyOfRange(dims, from, to));
    }

    /** {@code self + other}, tuple concatenation. */
    public Size concat(Size other) {
        long[] r = Arrays.copyOf(dims, dims.length + other.dims.length);
        System.arraycopy(other.dims, 0, r, dims.length, other.dims.length);
        return new Size(r);
    }

    /** The sizes as a new {@code long[]} (a copy), e.g. for {@link Tensor#view(long...)}. */
    public long[] toArray() { return dims.clone(); }

    @Override public boolean equals(Object o) { return o instanceof Size && Arrays.equals(dims, ((Size) o).dims); }
    @Override public int hashCode() { return Arrays.hashCode(dims); }
    @Override public String toString() { return TensorFormatter.sizeRepr(dims); }
}
