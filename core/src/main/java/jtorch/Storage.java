package jtorch;

/**
 * The flat memory behind one or more tensors. Exactly one of the primitive arrays is non-null,
 * chosen by the dtype, so kernels read and write primitive arrays directly (no boxing).
 * Views of a tensor share its {@code Storage}.
 */
public final class Storage {
    private final DType dtype;
    private final float[] f32;
    private final double[] f64;
    private final long[] i64;
    private final boolean[] bool;
    private final int size;

    private Storage(DType dtype, float[] f32, double[] f64, long[] i64, boolean[] bool, int size) {
        this.dtype = dtype;
        this.f32 = f32;
        this.f64 = f64;
        this.i64 = i64;
        this.bool = bool;
        this.size = size;
    }

    /** Fresh zero-filled storage of {@code n} elements. */
    public static Storage allocate(DType dtype, long n) {
        if (dtype == null) throw new IllegalArgumentException("expected a dtype, but got null");
        if (n < 0 || n > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("Storage of " + n + " elements is not supported (at most "
                    + (Integer.MAX_VALUE - 8) + " elements fit a Java array)");
        int s = (int) n;
        long bytes = n * (dtype == DType.BOOL ? 1 : dtype == DType.FLOAT32 ? 4 : 8);
        // One tensor may take at most half the maximum heap: beyond that the JVM thrashes in GC for
        // a long time before it fails, so refuse at once, naming the size.
        if (bytes > Runtime.getRuntime().maxMemory() / 2)
            throw new IllegalArgumentException("Storage of " + n + " " + dtype + " elements (" + bytes + " bytes) is larger than "
                    + "half the JVM's maximum heap (" + Runtime.getRuntime().maxMemory() + " bytes)");
        try {
            switch (dtype) {
                case FLOAT32: return new Storage(dtype, new float[s], null, null, null, s);
                case FLOAT64: return new Storage(dtype, null, new double[s], null, null, s);
                case INT64: return new Storage(dtype, null, null, new long[s], null, s);
                case BOOL: return new Storage(dtype, null, null, null, new boolean[s], s);
                default: throw new AssertionError(dtype);
            }
        } catch (OutOfMemoryError e) { // one failed array allocation: nothing was half-built, so report it as a refusal
            throw new IllegalStateException("out of memory allocating " + n + " " + dtype + " elements (" + bytes + " bytes)", e);
        }
    }

    /** Wraps an existing array without copying; the array type selects the dtype. */
    public static Storage wrap(Object array) {
        if (array instanceof float[]) return new Storage(DType.FLOAT32, (float[]) array, null, null, null, ((float[]) array).length);
        if (array instanceof double[]) return new Storage(DType.FLOAT64, null, (double[]) array, null, null, ((double[]) array).length);
        if (array instanceof long[]) return new Storage(DType.INT64, null, null, (long[]) array, null, ((long[]) array).length);
        if (array instanceof boolean[]) return new Storage(DType.BOOL, null, null, null, (boolean[]) array, ((boolean[]) array).length);
        throw new IllegalArgumentException("Storage.wrap: expected float[], double[], long[] or boolean[], got "
                + (array == null ? "null" : array.getClass().getSimpleName()));
    }

    /** The element type, fixed by the backing array's type. */
    public DType dtype() { return dtype; }
    /** The number of elements, {@code storage.size()}. */
    public int size() { return size; }

    /** The backing float[] of a float32 storage (shared, no copy); null for other dtypes. */
    public float[] f32() { return f32; }
    /** The backing double[] of a float64 storage (shared, no copy); null for other dtypes. */
    public double[] f64() { return f64; }
    /** The backing long[] of an int64 storage (shared, no copy); null for other dtypes. */
    public long[] i64() { return i64; }
    /** The backing boolean[] of a bool storage (shared, no copy); null for other dtypes. */
    public boolean[] bool() { return bool; }

    /** The backing primitive array, typed by {@link #dtype()}. */
    public Object array() {
        switch (dtype) {
            case FLOAT32: return f32;
            case FLOAT64: return f64;
            case INT64: return i64;
            default: return bool;
        }
    }
}
