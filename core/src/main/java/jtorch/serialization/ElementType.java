package jtorch.serialization;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.internal.TensorInternals;

/**
 * The element types checkpoint files store, with their names in safetensors headers and in
 * PyTorch's storage classes, their size on disk and the jtorch dtype they load as. Types jtorch
 * has no dtype for are widened exactly (float16 and bfloat16 to float32, narrower integers to
 * int64); only float32, float64, int64 and bool are written.
 */
enum ElementType {
    BOOL("BOOL", "BoolStorage", 1, DType.BOOL),
    U8("U8", "ByteStorage", 1, DType.INT64),
    I8("I8", "CharStorage", 1, DType.INT64),
    I16("I16", "ShortStorage", 2, DType.INT64),
    U16("U16", null, 2, DType.INT64),
    I32("I32", "IntStorage", 4, DType.INT64),
    U32("U32", null, 4, DType.INT64),
    I64("I64", "LongStorage", 8, DType.INT64),
    F16("F16", "HalfStorage", 2, DType.FLOAT32),
    BF16("BF16", "BFloat16Storage", 2, DType.FLOAT32),
    F32("F32", "FloatStorage", 4, DType.FLOAT32),
    F64("F64", "DoubleStorage", 8, DType.FLOAT64);

    /** Bytes decoded per read from a channel: large tensors are converted piece by piece. */
    private static final int CHUNK = 1 << 20;

    final String safetensorsName;
    /** The class name in module {@code torch}, e.g. {@code FloatStorage}; null if PyTorch has none. */
    final String storageClass;
    final int size;
    final DType dtype;

    ElementType(String safetensorsName, String storageClass, int size, DType dtype) {
        this.safetensorsName = safetensorsName;
        this.storageClass = storageClass;
        this.size = size;
        this.dtype = dtype;
    }

    /** The type jtorch writes for {@code dtype}. */
    static ElementType of(DType dtype) {
        switch (dtype) {
            case FLOAT32: return F32;
            case FLOAT64: return F64;
            case INT64: return I64;
            case BOOL: return BOOL;
            default: throw new AssertionError(dtype);
        }
    }

    static ElementType bySafetensorsName(String name) {
        for (ElementType t : values()) if (t.safetensorsName.equals(name)) return t;
        return null;
    }

    static ElementType byStorageClass(String name) {
        for (ElementType t : values()) if (name.equals(t.storageClass)) return t;
        return null;
    }

    /** The safetensors names this reader accepts, for error messages. */
    static String safetensorsNames() {
        StringBuilder b = new StringBuilder();
        for (ElementType t : values()) b.append(b.length() == 0 ? "" : ", ").append(t.safetensorsName);
        return b.toString();
    }

    /**
     * Reads {@code numel} elements from {@code in} into a new array of {@link #dtype}'s Java type.
     *
     * @param what names the tensor or storage in error messages
     * @throws CheckpointException if the channel ends early or a bool byte is neither 0 nor 1
     */
    Object decode(ReadableByteChannel in, long numel, ByteOrder order, Path path, String what) throws IOException {
        if (numel > Integer.MAX_VALUE - 8)
            throw new CheckpointException(path, what + " has " + numel + " elements: more than a Java array holds");
        int n = (int) numel;
        Object out;
        switch (dtype) {
            case FLOAT32: out = new float[n]; break;
            case FLOAT64: out = new double[n]; break;
            case INT64: out = new long[n]; break;
            default: out = new boolean[n]; break;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min((long) CHUNK, Math.max(1L, numel * size))).order(order);
        long totalBytes = numel * size;
        long readBytes = 0;
        int done = 0;
        while (done < n) {
            buf.clear();
            int want = (int) Math.min(buf.capacity() / size * (long) size, (long) (n - done) * size);
            buf.limit(want);
            while (buf.hasRemaining()) {
                int r = in.read(buf);
                if (r < 0)
                    throw new CheckpointException(path, "truncated data: " + what + " needs " + totalBytes + " bytes, only "
                            + (readBytes + buf.position()) + " are there");
            }
            readBytes += want;
            buf.flip();
            int count = want / size;
            decodeChunk(buf, out, done, count, path, what);
            done += count;
        }
        return out;
    }

    private void decodeChunk(ByteBuffer b, Object out, int at, int count, Path path, String what) throws CheckpointException {
        switch (this) {
            case F32: b.asFloatBuffer().get((float[]) out, at, count); break;
            case F64: b.asDoubleBuffer().get((double[]) out, at, count); break;
            case I64: b.asLongBuffer().get((long[]) out, at, count); break;
            case BOOL: {
                boolean[] o = (boolean[]) out;
                for (int i = 0; i < count; i++) {
                    byte v = b.get();
                    if (v != 0 && v != 1)
                        throw new CheckpointException(path, what + ": bool element " + (at + i) + " is the byte "
                                + (v & 0xff) + ", not 0 or 1");
                    o[at + i] = v == 1;
                }
                break;
            }
            case U8: { long[] o = (long[]) out; for (int i = 0; i < count; i++) o[at + i] = b.get() & 0xffL; break; }
            case I8: { long[] o = (long[]) out; for (int i = 0; i < count; i++) o[at + i] = b.get(); break; }
            case I16: { long[] o = (long[]) out; for (int i = 0; i < count; i++) o[at + i] = b.getShort(); break; }
            case U16: { long[] o = (long[]) out; for (int i = 0; i < count; i++) o[at + i] = b.getShort() & 0xffffL; break; }
            case I32: { long[] o = (long[]) out; for (int i = 0; i < count; i++) o[at + i] = b.getInt(); break; }
            case U32: { long[] o = (long[]) out; for (int i = 0; i < count; i++) o[at + i] = b.getInt() & 0xffffffffL; break; }
            case F16: { float[] o = (float[]) out; for (int i = 0; i < count; i++) o[at + i] = halfToFloat(b.getShort()); break; }
            case BF16: { float[] o = (float[]) out; for (int i = 0; i < count; i++) o[at + i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16); break; }
            default: throw new AssertionError(this);
        }
    }

    /** IEEE 754 binary16 to float, exactly (every half value is a float). */
    static float halfToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));   // inf, nan (payload kept)
        if (exp != 0) return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        // zero or subnormal: mant * 2^-24, exact in float
        float magnitude = mant * 0x1p-24f;
        return sign != 0 ? -magnitude : magnitude;
    }

    /**
     * Writes the elements of {@code t} (whose dtype is {@link #dtype}) in row-major order, whatever
     * its strides, as little-endian bytes.
     */
    static void encode(Tensor t, OutputStream out) throws IOException {
        ElementType type = of(t.dtype());
        Tensor c = t.contiguous();   // strided or offset views are written in row-major order
        int offset = TensorInternals.offset(c);
        long numel = c.numel();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min((long) CHUNK, Math.max(1L, numel * type.size)))
                .order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = buf.capacity() / type.size;
        for (long start = 0; start < numel; start += perChunk) {
            int count = (int) Math.min(perChunk, numel - start);
            int from = offset + (int) start;
            buf.clear();
            switch (type) {
                case F32: buf.asFloatBuffer().put(c.storage().f32(), from, count); break;
                case F64: buf.asDoubleBuffer().put(c.storage().f64(), from, count); break;
                case I64: buf.asLongBuffer().put(c.storage().i64(), from, count); break;
                default: {
                    boolean[] a = c.storage().bool();
                    for (int i = 0; i < count; i++) buf.put(i, a[from + i] ? (byte) 1 : (byte) 0);
                    break;
                }
            }
            out.write(buf.array(), 0, count * type.size);
        }
    }
}
