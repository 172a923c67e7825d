package jtorch.datasets;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import jtorch.Tensor;
import jtorch.internal.TensorInternals;

/**
 * Reads the IDX files of MNIST-style data sets (MNIST, Fashion-MNIST): unsigned-byte images and
 * labels, gzip-compressed as distributed or plain (recognised by content, not by name).
 *
 * <pre>{@code
 * Tensor images = IdxFile.readImages(dir.resolve("train-images-idx3-ubyte.gz")); // (60000, 1, 28, 28) float32
 * Tensor labels = IdxFile.readLabels(dir.resolve("train-labels-idx1-ubyte.gz")); // (60000,) int64
 * }</pre>
 *
 * The format: a big-endian 32-bit magic number {@code 0x000008NN} (unsigned bytes, {@code NN}
 * dimensions: {@value #IMAGES_MAGIC} for images, {@value #LABELS_MAGIC} for labels), one
 * big-endian 32-bit size per dimension, then the bytes in row-major order and nothing after them.
 * Anything else fails with an {@link IdxFormatException} naming the file and the problem.
 */
public final class IdxFile {
    private IdxFile() {}

    /** Magic number of an image file: unsigned bytes, 3 dimensions (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a label file: unsigned bytes, 1 dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** ToTensor's scaling, {@code float32(b) / 255} in float32 arithmetic, for each byte value. */
    private static final float[] UNIT_SCALE = new float[256];

    static {
        for (int b = 0; b < 256; b++) UNIT_SCALE[b] = (float) b / 255f;
    }

    /**
     * An image file as float32 {@code (N, 1, rows, cols)} scaled to {@code [0, 1]}, as
     * torchvision's {@code ToTensor} gives them: each pixel is {@code byte / 255} in float32.
     *
     * @throws IdxFormatException if the file is not a well-formed IDX image file
     * @throws UncheckedIOException if it cannot be read (also when it does not exist)
     */
    public static Tensor readImages(Path file) {
        Contents c = read(file, IMAGES_MAGIC);
        float[] pixels = new float[c.data.length];
        for (int i = 0; i < pixels.length; i++) pixels[i] = UNIT_SCALE[c.data[i] & 0xFF];
        return TensorInternals.wrap(pixels, new int[] {c.dims[0], 1, c.dims[1], c.dims[2]});
    }

    /**
     * A label file as int64 {@code (N,)}.
     *
     * @throws IdxFormatException if the file is not a well-formed IDX label file
     * @throws UncheckedIOException if it cannot be read
     */
    public static Tensor readLabels(Path file) {
        Contents c = read(file, LABELS_MAGIC);
        long[] labels = new long[c.data.length];
        for (int i = 0; i < labels.length; i++) labels[i] = c.data[i] & 0xFF;
        return TensorInternals.wrap(labels, new int[] {c.dims[0]});
    }

    private static final class Contents {
        final int[] dims;
        final byte[] data;

        Contents(int[] dims, byte[] data) {
            this.dims = dims;
            this.data = data;
        }
    }

    private static Contents read(Path file, int expectedMagic) {
        try (InputStream in = open(file)) {
            int magic = readHeaderInt(in, file, 0);
            if (magic != expectedMagic) {
                throw new IdxFormatException(file + ": wrong magic number " + hex(magic) + " (" + describe(magic) + "); expected "
                        + hex(expectedMagic) + " (" + describe(expectedMagic) + ")");
            }
            int ndim = expectedMagic & 0xFF;
            int[] dims = new int[ndim];
            long numel = 1;
            for (int d = 0; d < ndim; d++) {
                dims[d] = readHeaderInt(in, file, 4 + 4 * d);
                if (dims[d] < 0) {
                    throw new IdxFormatException(file + ": dimension " + d + " of the header is " + Integer.toUnsignedString(dims[d])
                            + ", more than a Java array holds");
                }
                numel *= dims[d];
                if (numel > Integer.MAX_VALUE - 8) {
                    throw new IdxFormatException(file + ": its header declares " + shape(dims, d + 1) + ", more than a Java array holds");
                }
            }
            byte[] data = new byte[(int) numel];
            int got = readFully(in, data, file);
            if (got < data.length) {
                throw new IdxFormatException(file + " is truncated: its header declares " + shape(dims, ndim) + " (" + data.length
                        + " bytes after the header) but the data ends after " + got + " bytes");
            }
            long extra = countRemaining(in, file);
            if (extra > 0) {
                throw new IdxFormatException(file + ": " + extra + " bytes follow the " + shape(dims, ndim)
                        + " its header declares; the header's counts are wrong or the file is not what its name says");
            }
            return new Contents(dims, data);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file's bytes, through a gzip decoder when it starts with gzip's magic bytes. */
    private static InputStream open(Path file) throws IOException {
        BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            } catch (EOFException e) {
                raw.close();
                throw new IdxFormatException(file + " is truncated: its gzip header is incomplete", e);
            } catch (ZipException e) {
                raw.close();
                throw new IdxFormatException(file + " is not a valid gzip file: " + e.getMessage(), e);
            }
        }
        return raw;
    }

    private static int readHeaderInt(InputStream in, Path file, int position) throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int b = readByte(in, file);
            if (b < 0) {
                throw new IdxFormatException(file + " is truncated: it ends inside the IDX header, after " + (position + i) + " bytes");
            }
            v = (v << 8) | b;
        }
        return v;
    }

    private static int readByte(InputStream in, Path file) throws IOException {
        try {
            return in.read();
        } catch (EOFException e) {
            return -1;                                           // GZIPInputStream's "Unexpected end of ZLIB input stream"
        } catch (ZipException e) {
            throw corrupt(file, e);
        }
    }

    /** Reads until {@code data} is full or the stream ends; returns how many bytes were read. */
    private static int readFully(InputStream in, byte[] data, Path file) throws IOException {
        int off = 0;
        try {
            while (off < data.length) {
                int n = in.read(data, off, data.length - off);
                if (n < 0) break;
                off += n;
            }
        } catch (EOFException e) {
            // a cut gzip stream: report it as truncated with the count so far
        } catch (ZipException e) {
            throw corrupt(file, e);
        }
        return off;
    }

    /** Bytes left after the declared data (reading to the end also makes gzip check its CRC and length). */
    private static long countRemaining(InputStream in, Path file) throws IOException {
        try {
            long extra = 0;
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) extra += n;
            return extra;
        } catch (EOFException e) {
            throw new IdxFormatException(file + " is truncated: the gzip stream ends before its trailer", e);
        } catch (ZipException e) {
            throw corrupt(file, e);
        }
    }

    private static IdxFormatException corrupt(Path file, ZipException e) {
        return new IdxFormatException(file + " is corrupt: its gzip data does not decompress (" + e.getMessage() + ")", e);
    }

    private static String hex(int magic) {
        return String.format("0x%08X", magic);
    }

    private static String describe(int magic) {
        if (magic == IMAGES_MAGIC) return "2051, an IDX image file";
        if (magic == LABELS_MAGIC) return "2049, an IDX label file";
        if ((magic >>> 16) != 0) return Integer.toUnsignedString(magic) + ", not an IDX file";
        return Integer.toUnsignedString(magic) + ", IDX data type 0x" + String.format("%02X", (magic >>> 8) & 0xFF)
                + " with " + (magic & 0xFF) + " dimensions";
    }

    private static String shape(int[] dims, int n) {
        if (n == 1) return dims[0] + " items";
        StringBuilder sb = new StringBuilder().append(dims[0]).append(" items of ");
        for (int d = 1; d < n; d++) sb.append(d > 1 ? "x" : "").append(dims[d]);
        return sb.toString();
    }
}
