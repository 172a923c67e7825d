package jtorch.ops;

import java.util.Arrays;

/**
 * Argument checks shared by the ops and {@code nn.functional}: the length rules of PyTorch's
 * int-list arguments and window geometry computed in {@code long}, so that a bad argument is
 * refused with a message naming the op and the argument instead of overflowing an index.
 *
 * <pre>{@code
 * int[] k = Args.poolPair("max_pool2d", "kernel_size", kernel, null);   // {2} -> {2, 2}
 * int[] s = Args.poolPair("max_pool2d", "stride", stride, k);           // {} or null -> k
 * int oh = Args.outputDim("max_pool2d", "output height", 4L + 2L * pad - 1); // refuses > int
 * }</pre>
 */
public final class Args {
    private Args() {}

    /**
     * Window extents (d*(k-1)+1) and padded input sizes jtorch accepts in one dim. Window positions
     * are 32-bit ints in the kernels, and their loops run over the kernel's offsets: this bound
     * keeps both exact and fast. PyTorch accepts more, but only for windows almost wholly padding.
     */
    public static final long MAX_WINDOW_EXTENT = 1L << 24;

    /** A non-null argument, or an error naming the op and argument. */
    public static <T> T notNull(String op, String name, T value) {
        if (value == null) throw new IllegalArgumentException(op + ": " + name + " must not be null");
        return value;
    }

    /**
     * An argument that must hold exactly two ints (unfold and fold, PyTorch's
     * "It is expected kernel_size equals to 2, but got size 1").
     */
    public static int[] exactlyTwo(String op, String name, int[] v) {
        notNull(op, name, v);
        if (v.length != 2)
            throw new IllegalArgumentException(op + ": It is expected " + name + " equals to 2, but got size " + v.length);
        return v;
    }

    /**
     * A pooling argument: one int (square) or two; empty or null only when {@code ifEmpty} is given
     * (the stride, which then defaults to the kernel size). PyTorch's messages otherwise.
     */
    public static int[] poolPair(String op, String name, int[] v, int[] ifEmpty) {
        if ((v == null || v.length == 0) && ifEmpty != null) return ifEmpty.clone();
        if (v == null || v.length < 1 || v.length > 2) {
            String what = ifEmpty != null ? "must either be omitted, a single int, or a tuple of two ints"
                    : "must either be a single int, or a tuple of two ints";
            throw new IllegalArgumentException(op + ": " + name + " " + what + ", but got "
                    + (v == null ? "null" : Arrays.toString(v)));
        }
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    /** A computed output size: refused with a message naming the op when it does not fit an int. */
    public static int outputDim(String op, String what, long size) {
        if (size > Integer.MAX_VALUE)
            throw new IllegalArgumentException(op + ": calculated " + what + " " + size + " is too large (at most "
                    + Integer.MAX_VALUE + ")");
        return (int) size;
    }

    /** Checks that a tensor of these sizes fits one Java array, naming the op otherwise. */
    public static void checkNumel(String op, long... sizes) {
        long numel = 1;
        for (long s : sizes) {
            if (s < 0) throw new IllegalArgumentException(op + ": negative size " + s + " in " + Arrays.toString(sizes));
            if (s == 0) return;
        }
        for (long s : sizes) {
            if (s > Integer.MAX_VALUE || (numel = numel * s) > Integer.MAX_VALUE - 8)
                throw new IllegalArgumentException(op + ": an output of shape " + Arrays.toString(sizes)
                        + " has more elements than a Java array can hold");
        }
    }

    /**
     * Refuses window geometry outside what the kernels index exactly: the padded input
     * {@code size + 2*pad} and the window extent {@code d*(k-1)+1} at most {@link #MAX_WINDOW_EXTENT}
     * (32-bit positions with room for one more stride).
     */
    public static void checkWindow(String op, String dimName, long size, long kernel, long dilation, long pad) {
        long extent = dilation * (kernel - 1) + 1, padded = size + 2 * pad;
        if (extent > MAX_WINDOW_EXTENT || padded > MAX_WINDOW_EXTENT + size)
            throw new IllegalArgumentException(op + ": window along " + dimName + " too large: input size " + size
                    + ", kernel_size " + kernel + ", dilation " + dilation + ", padding " + pad + " (jtorch supports a window "
                    + "extent dilation*(kernel_size-1)+1 and a padding of at most " + MAX_WINDOW_EXTENT + ")");
    }

    /**
     * A dim of a tensor that must have dims ({@code size(d)}, {@code stride(d)}, {@code unflatten}):
     * PyTorch's IndexError for a 0-dim tensor, else the usual wrapping.
     */
    public static int dimOfNonScalar(int dim, int ndim) {
        if (ndim == 0)
            throw new IndexOutOfBoundsException("Dimension specified as " + dim + " but tensor has no dimensions");
        return Shapes.wrapDim(dim, ndim);
    }

    /** The elements of an array argument as a list, refusing a null array or a null element by name. */
    public static <T> java.util.List<T> listOf(String op, String name, T[] values) {
        notNull(op, name, values);
        for (int i = 0; i < values.length; i++)
            if (values[i] == null) throw new IllegalArgumentException(op + ": element " + i + " of " + name + " is null");
        return Arrays.asList(values);
    }
}
