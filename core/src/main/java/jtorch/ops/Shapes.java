package jtorch.ops;

import java.util.Arrays;

/** Shape arithmetic shared by the ops: broadcasting, dim wrapping, contiguous strides. */
public final class Shapes {
    private Shapes() {}

    /** Wraps a possibly negative dim into {@code [0, ndim)}, with PyTorch's error otherwise. */
    public static int wrapDim(int dim, int ndim) {
        int n = Math.max(ndim, 1); // a 0-dim tensor accepts dims -1 and 0
        if (dim < -n || dim >= n)
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [" + (-n) + ", "
                    + (n - 1) + "], but got " + dim + ")");
        return dim < 0 ? dim + n : dim;
    }

    /**
     * The broadcast shape of two shapes, or PyTorch's error naming the first mismatching dim. The
     * result may be one of the arguments (when they are equal): treat it as read-only.
     */
    public static int[] broadcast(int[] a, int[] b) {
        if (java.util.Arrays.equals(a, b)) return a; // the common case, without an allocation per op
        int n = Math.max(a.length, b.length);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            int ai = i - (n - a.length), bi = i - (n - b.length);
            int x = ai >= 0 ? a[ai] : 1, y = bi >= 0 ? b[bi] : 1;
            if (x != y && x != 1 && y != 1)
                throw new IllegalArgumentException("The size of tensor a (" + x + ") must match the size of tensor b ("
                        + y + ") at non-singleton dimension " + i);
            r[i] = x == 1 ? y : x;
        }
        return r;
    }

    /** Whether a tensor of shape {@code from} can be expanded to {@code to}. */
    public static boolean expandable(int[] from, int[] to) {
        if (from.length > to.length) return false;
        int off = to.length - from.length;
        for (int i = 0; i < from.length; i++)
            if (from[i] != 1 && from[i] != to[i + off]) return false;
        return true;
    }

    /** Row-major strides of a shape. */
    public static int[] contiguousStrides(int[] sizes) {
        int[] s = new int[sizes.length];
        int acc = 1;
        for (int i = sizes.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(sizes[i], 1);
        }
        return s;
    }

    public static long numel(int[] sizes) {
        Args.notNull("numel", "sizes", sizes);
        long p = 1;
        for (int s : sizes) p *= s;
        return p;
    }

    /** Checked conversion of user sizes ({@code long}) to the internal {@code int} form. */
    public static int[] toInts(long[] sizes) {
        if (sizes == null) throw new IllegalArgumentException("expected a size (a long[]), but got null");
        int[] r = new int[sizes.length];
        long numel = 1;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 0)
                throw new IllegalArgumentException("Trying to create tensor with negative dimension " + sizes[i] + ": "
                        + Arrays.toString(sizes));
            if (sizes[i] > Integer.MAX_VALUE) throw new IllegalArgumentException("size " + sizes[i] + " is too large");
            r[i] = (int) sizes[i];
            numel *= sizes[i];
            if (numel > Integer.MAX_VALUE - 8)
                throw new IllegalArgumentException("tensor of shape " + Arrays.toString(sizes)
                        + " has more elements than a Java array can hold");
        }
        return r;
    }

    public static long[] toLongs(int[] sizes) {
        long[] r = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++) r[i] = sizes[i];
        return r;
    }

    /** Python-style list, {@code [2, 3]}. */
    public static String str(int[] sizes) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < sizes.length; i++) b.append(i == 0 ? "" : ", ").append(sizes[i]);
        return b.append(']').toString();
    }

    /** Normalises a dim list: wrapped, sorted, no repeats (PyTorch's error on repeats). Empty = all dims. */
    public static boolean[] dimMask(int[] dims, int ndim, String op) {
        boolean[] mask = new boolean[ndim];
        if (dims == null || dims.length == 0) {
            Arrays.fill(mask, true);
            return mask;
        }
        boolean scalarSeen = false;
        for (int d : dims) {
            int w = wrapDim(d, ndim);
            if (ndim == 0) { // dims -1 and 0 both name the one "dim" of a 0-dim tensor
                if (scalarSeen) throw new IllegalArgumentException("dim 0 appears multiple times in the list of dims");
                scalarSeen = true;
                continue;
            }
            if (mask[w]) throw new IllegalArgumentException("dim " + w + " appears multiple times in the list of dims");
            mask[w] = true;
        }
        return mask;
    }
}
