package jtorch.serialization;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The zip reader of PyTorch's {@code torch.load} (caffe2's PyTorchStreamReader over miniz),
 * reimplemented so that jtorch reads the same archives the same way: the end-of-central-directory
 * record is the last signature within 64 KiB of the end (so bytes appended to a checkpoint are
 * ignored), entries are found by miniz's case-insensitive binary search over its heap-sorted
 * central directory (so of two records with one name, the one PyTorch reads), and every size is
 * checked against the file before anything is allocated. {@code java.util.zip} refuses trailing
 * bytes and reads the last of duplicate names, which is why it is not used.
 */
final class TorchZip implements AutoCloseable {
    /** One central directory record. */
    static final class Record {
        final byte[] name;
        final int method, flags, externalAttributes;
        final long crc, compressedSize, size, localHeaderOffset;

        Record(byte[] name, int method, int flags, int externalAttributes, long crc, long compressedSize, long size, long localHeaderOffset) {
            this.name = name;
            this.method = method;
            this.flags = flags;
            this.externalAttributes = externalAttributes;
            this.crc = crc;
            this.compressedSize = compressedSize;
            this.size = size;
            this.localHeaderOffset = localHeaderOffset;
        }

        /** The name as text (its bytes as UTF-8, invalid bytes replaced), for messages. */
        String displayName() { return Messages.clip(new String(name, StandardCharsets.UTF_8)); }

        /** miniz's test: a name ending in '/' or the DOS directory attribute. */
        boolean isDirectory() { return (name.length > 0 && name[name.length - 1] == '/') || (externalAttributes & 0x10) != 0; }
    }

    private static final int EOCD_SIZE = 22, CDH_SIZE = 46, LOCAL_HEADER_SIZE = 30;
    private static final int EOCD_SIG = 0x06054b50, CDH_SIG = 0x02014b50, LOCAL_SIG = 0x04034b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50, ZIP64_EOCD_SIG = 0x06064b50;
    private static final int ZIP64_LOCATOR_SIZE = 20, ZIP64_EOCD_SIZE = 56;
    /** Deflate cannot expand data more than about 1032 times: a larger declared size is a lie, refused before allocating. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final List<Record> records = new ArrayList<>();
    private int[] sorted;

    private TorchZip(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
    }

    /** Opens and indexes an archive; the caller closes the channel. */
    static TorchZip open(Path path, FileChannel channel) throws IOException {
        TorchZip zip = new TorchZip(path, channel);
        zip.readCentralDirectory();
        return zip;
    }

    @Override public void close() {}

    /** The records in central directory order. */
    List<Record> records() { return records; }

    private CheckpointException corrupt(String problem) {
        return new CheckpointException(path, "not a readable zip archive (truncated or corrupt): " + problem);
    }

    // ------------------------------------------------------------------ central directory

    private void readCentralDirectory() throws IOException {
        if (size < EOCD_SIZE) throw corrupt("the file has " + size + " bytes, fewer than a zip end record");
        long eocd = locateEndRecord();
        if (eocd < 0) throw corrupt("no zip end record in the last 64 KiB (failed finding central directory)");
        ByteBuffer end = read(eocd, EOCD_SIZE);
        long totalFiles = u16(end, 10), onThisDisk = u16(end, 8), thisDisk = u16(end, 4), cdirDisk = u16(end, 6);
        long cdirSize = u32(end, 12), cdirOffset = u32(end, 16);
        // as miniz 2.1: zip64 only if the locator and the record it points at both have their
        // signatures (else the 32-bit end record is used); a locator pointing outside the file is fatal
        boolean zip64 = false;
        ByteBuffer locator = null, e64 = null;
        if (eocd >= ZIP64_LOCATOR_SIZE + ZIP64_EOCD_SIZE) {
            locator = read(eocd - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE);
            if (locator.getInt(0) == ZIP64_LOCATOR_SIG) {
                long at = locator.getLong(8);
                if (at < 0 || at > size - ZIP64_EOCD_SIZE) throw corrupt("the zip64 end record's offset is outside the file (not a ZIP archive)");
                e64 = read(at, ZIP64_EOCD_SIZE);
                zip64 = e64.getInt(0) == ZIP64_EOCD_SIG;
            }
        }
        if (zip64) {
            if (locator.getInt(16) != 1) throw corrupt("a multi-disk zip64 archive");
            totalFiles = e64.getLong(32);
            onThisDisk = e64.getLong(24);
            if (totalFiles < 0 || totalFiles > 0xffffffffL || onThisDisk < 0 || onThisDisk > 0xffffffffL)
                throw corrupt("the zip64 end record declares " + Long.toUnsignedString(totalFiles) + " records");
            long size64 = e64.getLong(40);
            if (size64 < 0 || size64 > 0xffffffffL) throw corrupt("the zip64 central directory is larger than 4 GiB");
            cdirSize = size64;
            thisDisk = u32(e64, 16);
            cdirDisk = u32(e64, 20);
            cdirOffset = e64.getLong(48);
            if (cdirOffset < 0) throw corrupt("the central directory's offset is outside the file");
        }
        if (totalFiles != onThisDisk) throw corrupt("a multi-disk archive (" + onThisDisk + " of " + totalFiles + " records on this disk)");
        if ((thisDisk | cdirDisk) != 0 && (thisDisk != 1 || cdirDisk != 1)) throw corrupt("a multi-disk archive");
        if (cdirSize < totalFiles * CDH_SIZE)
            throw corrupt("the central directory's " + cdirSize + " bytes cannot hold its " + totalFiles + " records");
        if (cdirOffset > size - cdirSize)   // (no overflow: both are non-negative and cdirSize < 2^32)
            throw corrupt("the central directory (" + cdirSize + " bytes at " + cdirOffset + ") runs past the end of the file ("
                    + size + " bytes)");
        if (totalFiles == 0) return;
        if (cdirSize > Integer.MAX_VALUE - 8) throw corrupt("a central directory of " + cdirSize + " bytes");
        // cdirSize <= file size (checked above), so this allocation is bounded by the file
        ByteBuffer cdir = read(cdirOffset, (int) cdirSize);
        int p = 0;
        long n = cdirSize;
        for (long i = 0; i < totalFiles; i++) {
            if (n < CDH_SIZE || cdir.getInt(p) != CDH_SIG) throw corrupt("central directory record " + i + " is damaged");
            int method = u16(cdir, p + 10), flags = u16(cdir, p + 8);
            long crc = u32(cdir, p + 16), comp = u32(cdir, p + 20), decomp = u32(cdir, p + 24);
            int nameLength = u16(cdir, p + 28), extraLength = u16(cdir, p + 30), commentLength = u16(cdir, p + 32);
            int disk = u16(cdir, p + 34);
            int external = cdir.getInt(p + 38);
            long local = u32(cdir, p + 42);
            long total = (long) CDH_SIZE + nameLength + extraLength + commentLength;
            if (total > n) throw corrupt("central directory record " + i + " runs past the central directory");
            if (comp == 0xffffffffL || decomp == 0xffffffffL || local == 0xffffffffL) {
                long[] v = zip64Extra(cdir, p + CDH_SIZE + nameLength, extraLength, decomp, comp, local);
                decomp = v[0];
                comp = v[1];
                local = v[2];
            }
            if (comp != 0xffffffffL && decomp != 0xffffffffL && ((method == 0 && decomp != comp) || (decomp != 0 && comp == 0)))
                throw corrupt("record " + i + " declares " + comp + " stored bytes for " + decomp + " bytes of content");
            if (disk == 0xffff || (disk != thisDisk && disk != 1)) throw corrupt("a multi-disk archive");
            if (comp < 0 || decomp < 0 || local < 0 || comp > size || local > size || local + LOCAL_HEADER_SIZE + comp > size)
                throw corrupt("record " + i + " (" + comp + " bytes at " + local + ") runs past the end of the file");
            if ((flags & 0x2000) != 0) throw corrupt("an encrypted central directory");
            byte[] name = new byte[nameLength];
            cdir.get(p + CDH_SIZE, name);
            records.add(new Record(name, method, flags, external, crc, comp, decomp, local));
            n -= total;
            p += (int) total;
        }
        sortLikeMiniz();
    }

    /** The zip64 extended information field, where a 32-bit field is 0xffffffff. */
    private long[] zip64Extra(ByteBuffer b, int at, int length, long decomp, long comp, long local) throws CheckpointException {
        int remaining = length;
        int p = at;
        while (remaining > 0) {
            if (remaining < 4) throw corrupt("a damaged extra field");
            int id = u16(b, p), dataSize = u16(b, p + 2);
            if (dataSize + 4 > remaining) throw corrupt("a damaged extra field");
            if (id == 1) {
                int q = p + 4, left = dataSize;
                if (decomp == 0xffffffffL) {
                    if (left < 8) throw corrupt("a damaged zip64 field");
                    decomp = b.getLong(q);
                    q += 8;
                    left -= 8;
                }
                if (comp == 0xffffffffL) {
                    if (left < 8) throw corrupt("a damaged zip64 field");
                    comp = b.getLong(q);
                    q += 8;
                    left -= 8;
                }
                if (local == 0xffffffffL) {
                    if (left < 8) throw corrupt("a damaged zip64 field");
                    local = b.getLong(q);
                }
                break;
            }
            p += 4 + dataSize;
            remaining -= 4 + dataSize;
        }
        return new long[] {decomp, comp, local};
    }

    /** miniz's mz_zip_reader_locate_header_sig: the last signature with a whole record after it, within 64 KiB of the end. */
    private long locateEndRecord() throws IOException {
        int window = 4096;
        long at = Math.max(size - window, 0);
        while (true) {
            int n = (int) Math.min(window, size - at);
            ByteBuffer buf = read(at, n);
            for (int i = n - 4; i >= 0; i--)
                if (buf.getInt(i) == EOCD_SIG && size - (at + i) >= EOCD_SIZE) return at + i;
            if (at == 0 || size - at >= 0xffff + EOCD_SIZE) return -1;
            // miniz 2.1 (PyTorch 1.13) computes the next window start in unsigned arithmetic: from
            // below 4093 it wraps to a negative offset and the read fails, so such files (bytes
            // appended past a few KiB) are refused by torch.load, and here too
            if (at < window - 3) return -1;
            at -= window - 3;
        }
    }

    // ------------------------------------------------------------------ lookup, as miniz

    private static int lower(byte b) {
        int c = b & 0xff;
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private boolean nameLess(int l, int r) {
        byte[] a = records.get(l).name, b = records.get(r).name;
        int n = Math.min(a.length, b.length);
        int i = 0, x = 0, y = 0;
        for (; i < n; i++) {
            x = lower(a[i]);
            y = lower(b[i]);
            if (x != y) break;
        }
        return i == n ? a.length < b.length : x < y;
    }

    /** miniz's heap sort (not stable: which of two equal names comes first is miniz's choice, reproduced). */
    private void sortLikeMiniz() {
        int size = records.size();
        sorted = new int[size];
        for (int i = 0; i < size; i++) sorted[i] = i;
        if (size <= 1) return;
        int start = (size - 2) >>> 1;
        while (true) {
            siftDown(start, size);
            if (start == 0) break;
            start--;
        }
        for (int end = size - 1; end > 0; end--) {
            swap(end, 0);
            siftDown(0, end);
        }
    }

    private void siftDown(int from, int end) {
        long root = from;
        while (true) {
            long child = root * 2 + 1;
            if (child >= end) break;
            if (child + 1 < end && nameLess(sorted[(int) child], sorted[(int) child + 1])) child++;
            if (!nameLess(sorted[(int) root], sorted[(int) child])) break;
            swap((int) root, (int) child);
            root = child;
        }
    }

    private void swap(int i, int j) {
        int t = sorted[i];
        sorted[i] = sorted[j];
        sorted[j] = t;
    }

    /** mz_zip_locate_file_binary_search: the record PyTorch reads for {@code name} (one char per byte), or null. */
    Record locate(String name) {
        byte[] want = name.getBytes(StandardCharsets.ISO_8859_1);   // one char per byte, as the caller built it
        long l = 0, h = records.size() - 1L;
        while (l <= h) {
            long m = l + ((h - l) >> 1);
            Record r = records.get(sorted[(int) m]);
            int cmp = compare(r.name, want);
            if (cmp == 0) return r;
            if (cmp < 0) l = m + 1;
            else h = m - 1;
        }
        return null;
    }

    private static int compare(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0, x = 0, y = 0;
        for (; i < n; i++) {
            x = lower(a[i]);
            y = lower(b[i]);
            if (x != y) break;
        }
        return i == n ? a.length - b.length : x - y;
    }

    // ------------------------------------------------------------------ reading records

    /**
     * The content of a record as miniz extracts it: stored or deflated, {@code record.size}
     * bytes, the CRC checked if {@code verifyCrc} (PyTorch 1.13 does not check it).
     */
    InputStream open(Record r, boolean verifyCrc) throws IOException {
        String what = "record " + r.displayName();
        if ((r.flags & (0x1 | 0x40 | 0x20)) != 0)
            throw new CheckpointException(path, what + " is encrypted or a patch, which torch.load does not read");
        if (r.method != 0 && r.method != 8)
            throw new CheckpointException(path, what + " uses zip compression method " + r.method + " (torch.load reads stored and deflated records)");
        if (r.isDirectory())
            throw new CheckpointException(path, what + " is marked as a directory, so torch.load reads no content for it (its memory is left uninitialised)");
        if (r.method == 8 && r.size > r.compressedSize * MAX_DEFLATE_RATIO + 1024)
            throw new CheckpointException(path, what + " claims " + r.size + " bytes from " + r.compressedSize
                    + " compressed bytes, more than deflate can produce");
        ByteBuffer local = read(r.localHeaderOffset, LOCAL_HEADER_SIZE);
        if (local.getInt(0) != LOCAL_SIG) throw corrupt(what + " has no local header at byte " + r.localHeaderOffset);
        long data = r.localHeaderOffset + LOCAL_HEADER_SIZE + u16(local, 26) + u16(local, 28);
        if (data + r.compressedSize > size)
            throw corrupt(what + "'s " + r.compressedSize + " bytes at " + data + " run past the end of the file (" + size + " bytes)");
        InputStream raw = new ChannelSlice(channel, data, r.compressedSize);
        InputStream content = r.method == 0 ? raw : new Inflating(raw, r.size, what);
        return new Checked(content, r, verifyCrc, what);
    }

    /** The whole content of a record, which must be at most {@code limit} bytes. */
    byte[] readAll(Record r, boolean verifyCrc, long limit) throws IOException {
        if (r.size > limit || r.size > Integer.MAX_VALUE - 8)
            throw new CheckpointException(path, "record " + r.displayName() + " is too large (" + r.size + " bytes)");
        try (InputStream in = open(r, verifyCrc)) {
            byte[] out = in.readNBytes((int) r.size);
            ((Checked) in).finish();
            return out;
        }
    }

    /** Bytes {@code [from, from + length)} of the file. */
    private final class ChannelSlice extends InputStream {
        private long position;
        private final long end;

        ChannelSlice(FileChannel channel, long from, long length) {
            this.position = from;
            this.end = from + length;
        }

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) return -1;
            int n = (int) Math.min(len, end - position);
            int r = channel.read(ByteBuffer.wrap(b, off, n), position);
            if (r < 0) throw corrupt("the file ended at byte " + position);
            position += r;
            return r;
        }
    }

    /** Inflates raw deflate data to exactly {@code expected} bytes, as miniz requires. */
    private final class Inflating extends InputStream {
        private final InputStream in;
        private final Inflater inflater = new Inflater(true);
        private final byte[] input = new byte[1 << 16];
        private final long expected;
        private final String what;
        private long produced;
        private boolean dummyGiven;

        Inflating(InputStream in, long expected, String what) {
            this.in = in;
            this.expected = expected;
            this.what = what;
        }

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            try {
                while (true) {
                    if (inflater.finished()) {
                        if (produced != expected)
                            throw new CheckpointException(path, what + " inflates to " + produced + " bytes, but the archive says " + expected);
                        return -1;
                    }
                    int n = inflater.inflate(b, off, (int) Math.min(len, Math.max(1, expected - produced + 1)));
                    if (n > 0) {
                        produced += n;
                        if (produced > expected)
                            throw new CheckpointException(path, what + " inflates to more than the " + expected + " bytes the archive says");
                        return n;
                    }
                    if (inflater.needsDictionary()) throw new CheckpointException(path, what + ": deflate data needs a preset dictionary");
                    if (inflater.needsInput()) {
                        int r = in.read(input);
                        if (r < 0) {
                            // raw deflate may need one byte past its end to finish (Inflater's 'nowrap' contract)
                            if (dummyGiven) throw new CheckpointException(path, what + ": the deflate data ends early (truncated)");
                            dummyGiven = true;
                            input[0] = 0;
                            r = 1;
                        }
                        inflater.setInput(input, 0, r);
                    }
                }
            } catch (DataFormatException e) {
                throw new CheckpointException(path, what + ": invalid deflate data (" + e.getMessage() + ")");
            }
        }

        @Override public void close() { inflater.end(); }
    }

    /** Counts and checksums what is read; {@link #finish} reads the rest and checks the CRC. */
    private final class Checked extends InputStream {
        private final InputStream in;
        private final Record record;
        private final boolean verify;
        private final String what;
        private final CRC32 crc = new CRC32();
        private long count;

        Checked(InputStream in, Record record, boolean verify, String what) {
            this.in = in;
            this.record = record;
            this.verify = verify;
            this.what = what;
        }

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                if (verify) crc.update(b, off, n);
                count += n;
            }
            return n;
        }

        /** Reads (and checks) whatever of the record was not consumed, as miniz extracts it whole. */
        void finish() throws IOException {
            if (record.method == 0 && !verify) return;   // nothing left to check
            byte[] skip = new byte[1 << 16];
            while (read(skip, 0, skip.length) >= 0) { /* drain */ }
            if (count != record.size)
                throw new CheckpointException(path, what + " holds " + count + " bytes, but the archive says " + record.size);
            if (verify && crc.getValue() != record.crc)
                throw new CheckpointException(path, what + " is corrupt (CRC-32 " + Long.toHexString(crc.getValue())
                        + ", the archive says " + Long.toHexString(record.crc) + ")");
        }

        @Override public void close() throws IOException { in.close(); }
    }

    /** Finishes a stream from {@link #open}. */
    static void finish(InputStream in) throws IOException { ((Checked) in).finish(); }

    // ------------------------------------------------------------------ bytes

    private ByteBuffer read(long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        long p = at;
        while (b.hasRemaining()) {
            int r = channel.read(b, p);
            if (r < 0) throw corrupt("the file ended at byte " + p);
            p += r;
        }
        b.flip();
        return b;
    }

    private static int u16(ByteBuffer b, int at) { return b.getShort(at) & 0xffff; }

    private static long u32(ByteBuffer b, int at) { return b.getInt(at) & 0xffffffffL; }
}
