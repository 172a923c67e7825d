package jtorch.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jtorch.DType;
import jtorch.Size;
import jtorch.Tensor;

/** {@link IdxFile}: well-formed files (gzip'd and plain), and each way a file can be wrong. */
class IdxFileTest {

    @TempDir
    Path dir;

    /** An IDX file: big-endian magic, the dims, then the payload as given. */
    static byte[] idx(int magic, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        b.put(payload);
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** Three 2x2 images with pixel bytes 0, 1, 2, ..., 11 except pixel 3 = 255 and pixel 5 = 128. */
    static byte[] imagePixels() {
        byte[] p = new byte[12];
        for (int i = 0; i < p.length; i++) p[i] = (byte) i;
        p[3] = (byte) 255;
        p[5] = (byte) 128;
        return p;
    }

    static float[] scaled(byte[] pixels) {
        float[] f = new float[pixels.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) (pixels[i] & 0xFF) / 255f;
        return f;
    }

    @Test
    void readsGzippedImagesAsFloatScaledToUnitRange() throws IOException {
        Path file = write("images.gz", gzip(idx(IdxFile.IMAGES_MAGIC, new int[] {3, 2, 2}, imagePixels())));
        Tensor images = IdxFile.readImages(file);
        assertEquals(DType.FLOAT32, images.dtype());
        assertEquals(Size.of(3, 1, 2, 2), images.shape());
        float[] values = images.toFloatArray();
        assertArrayEquals(scaled(imagePixels()), values);
        assertEquals(1.0f, values[3]);
        assertEquals(0.0f, values[0]);
        assertEquals(0x3F008081, Float.floatToIntBits(values[5]));   // torch: tensor(128, dtype=uint8).float().div(255)
    }

    @Test
    void readsPlainFilesTooRecognisedByContent() throws IOException {
        Path file = write("images.gz", idx(IdxFile.IMAGES_MAGIC, new int[] {3, 2, 2}, imagePixels()));  // misleading name, not gzip'd
        assertArrayEquals(scaled(imagePixels()), IdxFile.readImages(file).toFloatArray());
    }

    @Test
    void readsLabelsAsInt64() throws IOException {
        Path file = write("labels.gz", gzip(idx(IdxFile.LABELS_MAGIC, new int[] {4}, new byte[] {9, 0, 3, (byte) 200})));
        Tensor labels = IdxFile.readLabels(file);
        assertEquals(DType.INT64, labels.dtype());
        assertEquals(Size.of(4), labels.shape());
        assertArrayEquals(new long[] {9, 0, 3, 200}, labels.toLongArray());
    }

    @Test
    void readsAnEmptyFile() throws IOException {
        Path file = write("labels", idx(IdxFile.LABELS_MAGIC, new int[] {0}, new byte[0]));
        assertEquals(Size.of(0), IdxFile.readLabels(file).shape());
    }

    @Test
    void wrongMagicNumberNamesBothKinds() throws IOException {
        Path labels = write("train-labels-idx1-ubyte.gz", gzip(idx(IdxFile.LABELS_MAGIC, new int[] {4}, new byte[4])));
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(labels));
        assertEquals(labels + ": wrong magic number 0x00000801 (2049, an IDX label file); expected 0x00000803 (2051, an IDX image file)",
                e.getMessage());

        Path images = write("images", idx(IdxFile.IMAGES_MAGIC, new int[] {1, 1, 1}, new byte[1]));
        e = assertThrows(IdxFormatException.class, () -> IdxFile.readLabels(images));
        assertEquals(images + ": wrong magic number 0x00000803 (2051, an IDX image file); expected 0x00000801 (2049, an IDX label file)",
                e.getMessage());

        Path png = write("picture.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0});
        e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(png));
        assertEquals(png + ": wrong magic number 0x89504E47 (2303741511, not an IDX file); expected 0x00000803 (2051, an IDX image file)",
                e.getMessage());

        Path floats = write("floats", idx(0x00000D02, new int[] {1, 1}, new byte[4]));
        e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(floats));
        assertEquals(floats + ": wrong magic number 0x00000D02 (3330, IDX data type 0x0D with 2 dimensions); expected 0x00000803 (2051, an IDX image file)",
                e.getMessage());
    }

    @Test
    void truncatedDataSaysHowMuchIsMissing() throws IOException {
        byte[] full = idx(IdxFile.IMAGES_MAGIC, new int[] {3, 2, 2}, imagePixels());
        Path plain = write("plain", Arrays.copyOf(full, full.length - 5));
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(plain));
        assertEquals(plain + " is truncated: its header declares 3 items of 2x2 (12 bytes after the header) but the data ends after 7 bytes",
                e.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path file = write("short", new byte[] {0, 0, 8, 3, 0, 0});
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(file));
        assertEquals(file + " is truncated: it ends inside the IDX header, after 6 bytes", e.getMessage());
        Path empty = write("empty", new byte[0]);
        e = assertThrows(IdxFormatException.class, () -> IdxFile.readLabels(empty));
        assertEquals(empty + " is truncated: it ends inside the IDX header, after 0 bytes", e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsReportedAsTruncated() throws IOException {
        byte[] pixels = new byte[50 * 28 * 28];
        new java.util.Random(1).nextBytes(pixels);
        byte[] gz = gzip(idx(IdxFile.IMAGES_MAGIC, new int[] {50, 28, 28}, pixels));

        Path half = write("half.gz", Arrays.copyOf(gz, gz.length / 2));
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(half));
        assertTrue(e.getMessage().startsWith(half + " is truncated: its header declares 50 items of 28x28 (39200 bytes after the header) but the data ends after "),
                e.getMessage());

        Path noTrailer = write("notrailer.gz", Arrays.copyOf(gz, gz.length - 4));
        e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(noTrailer));
        assertEquals(noTrailer + " is truncated: the gzip stream ends before its trailer", e.getMessage());

        Path headerOnly = write("gzipheader.gz", Arrays.copyOf(gz, 5));
        e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(headerOnly));
        assertEquals(headerOnly + " is truncated: its gzip header is incomplete", e.getMessage());
    }

    @Test
    void corruptGzipDataIsReported() throws IOException {
        byte[] gz = gzip(idx(IdxFile.LABELS_MAGIC, new int[] {1000}, new byte[1000]));
        byte[] flipped = gz.clone();
        flipped[flipped.length - 6] ^= 0x55;                    // inside the CRC-32 of the trailer
        Path file = write("flipped.gz", flipped);
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readLabels(file));
        assertEquals(file + " is corrupt: its gzip data does not decompress (Corrupt GZIP trailer)", e.getMessage());

        byte[] garbage = gz.clone();
        for (int i = 10; i < garbage.length - 8; i++) garbage[i] = (byte) 0xFF;
        Path file2 = write("garbage.gz", garbage);
        e = assertThrows(IdxFormatException.class, () -> IdxFile.readLabels(file2));
        assertTrue(e.getMessage().startsWith(file2 + " is corrupt: its gzip data does not decompress ("), e.getMessage());
    }

    @Test
    void dataBeyondTheDeclaredCountIsAnError() throws IOException {
        Path file = write("long.gz", gzip(idx(IdxFile.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 3, 4, 5})));
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readLabels(file));
        assertEquals(file + ": 2 bytes follow the 3 items its header declares; the header's counts are wrong or the file is not what its name says",
                e.getMessage());
    }

    @Test
    void impossibleCountsAreRejectedBeforeAllocating() throws IOException {
        Path huge = write("huge", idx(IdxFile.IMAGES_MAGIC, new int[] {60000, 28000, 28}, new byte[0]));
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(huge));
        assertEquals(huge + ": its header declares 60000 items of 28000x28, more than a Java array holds", e.getMessage());

        Path negative = write("negative", idx(IdxFile.LABELS_MAGIC, new int[] {0x80000000}, new byte[0]));
        e = assertThrows(IdxFormatException.class, () -> IdxFile.readLabels(negative));
        assertEquals(negative + ": dimension 0 of the header is 2147483648, more than a Java array holds", e.getMessage());
    }

    @Test
    void missingFileIsAnIoError() {
        Path missing = dir.resolve("nothing.gz");
        var e = assertThrows(UncheckedIOException.class, () -> IdxFile.readLabels(missing));
        assertEquals(missing + " does not exist", e.getMessage());
    }
}
