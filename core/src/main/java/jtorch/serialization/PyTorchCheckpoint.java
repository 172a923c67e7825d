package jtorch.serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import jtorch.Storage;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.ops.Conversions;

/**
 * PyTorch's own checkpoint format, as Python's {@code torch.save} writes it (PyTorch 1.6 and
 * later): a zip archive holding {@code <archive>/data.pkl} (the pickled object),
 * {@code <archive>/data/<key>} (each storage's raw bytes), {@code <archive>/version} and
 * possibly {@code <archive>/byteorder}.
 *
 * <p>The pickle is read by a restricted unpickler that runs nothing: it accepts the globals a
 * state dict contains ({@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter}, storage classes) and refuses any other with an
 * {@link UnsafePickleException} naming it, e.g. {@code posix.system}. Tensors are rebuilt over
 * their storage with the saved offset, sizes and strides, as torch.load does: tensors that were
 * views of one storage share its memory again (writing one shows through the others, as in
 * PyTorch), and a view such as a stride-0 expansion costs no memory. Storages of float16/bfloat16
 * load as float32, of int8/uint8/int16/int32 as int64. The zip archive is read as PyTorch's reader
 * reads it ({@link TorchZip}: bytes appended to the file are ignored, of duplicate record names
 * the one torch.load reads is used); unlike PyTorch 1.13, each record's CRC is checked, so a
 * corrupted byte is reported instead of loaded.
 *
 * <pre>{@code
 * Map<String, Tensor> sd = PyTorchCheckpoint.load(Path.of("model.pt"));   // torch.save(model.state_dict(), ...)
 * model.loadStateDict(sd);
 *
 * // nested objects: torch.save(optimizer.state_dict(), ...) or {'model': ..., 'epoch': 3}
 * Map<?, ?> opt = (Map<?, ?>) PyTorchCheckpoint.loadObject(Path.of("optimizer.pt"));
 * Map<?, ?> state = (Map<?, ?>) opt.get("state");                         // {0: {'momentum_buffer': tensor}}
 *
 * PyTorchCheckpoint.save(model.stateDict(), Path.of("from_java.pt"));     // readable by torch.load
 * }</pre>
 */
public final class PyTorchCheckpoint {
    private PyTorchCheckpoint() {}

    /** Pickle nesting deeper than this is refused rather than risking a stack overflow. */
    private static final int MAX_NESTING = 1000;

    /** The first bytes of PyTorch's pre-1.6 format: PROTO 2, then LONG1 of the magic number 0x1950a86a20f9469cfc6c. */
    private static final byte[] LEGACY_MAGIC = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46,
            (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

    // ------------------------------------------------------------------------------- reading

    /**
     * Reads a checkpoint that holds a flat dict of tensors ({@code torch.save(model.state_dict(), path)}),
     * keys in the saved order.
     *
     * @throws CheckpointException if the file is corrupt, refused, or holds anything other than a
     *         dict from strings to tensors (read such files with {@link #loadObject(Path)})
     */
    public static Map<String, Tensor> load(Path path) throws IOException {
        return asStateDict(path, loadObject(path));
    }

    /**
     * Reads any object a state dict or an optimizer state dict is made of: dicts (as
     * {@link LinkedHashMap}, keys as saved: {@link String}, {@link Long}...), lists, tuples
     * (unmodifiable lists), {@link Long} (or {@link java.math.BigInteger}), {@link Double},
     * {@link Boolean}, {@link String}, null and {@link Tensor}.
     */
    public static Object loadObject(Path path) throws IOException {
        return loadObject(path, true);
    }

    /** The most bytes jtorch reads from a {@code version} record. */
    private static final long MAX_SMALL_RECORD = 1 << 20;

    /**
     * {@link #loadObject(Path)}, with or without checking each record's CRC-32 (PyTorch 1.13's
     * reader does not check it: with {@code verifyCrc} false jtorch accepts exactly the archives
     * it accepts; the tests compare both).
     */
    static Object loadObject(Path path, boolean verifyCrc) throws IOException {
        byte[] start = readStart(path, LEGACY_MAGIC.length);
        if (!isZip(start)) {
            if (startsWith(start, LEGACY_MAGIC))
                throw new CheckpointException(path, "PyTorch's legacy (pre-1.6, not zip) checkpoint format is not supported;"
                        + " re-save it with torch.save(obj, path) from PyTorch 1.6 or later, or as safetensors");
            throw new CheckpointException(path, "not a PyTorch checkpoint (a zip archive starts with \"PK\"; this file starts with "
                    + hex(start) + ")");
        }
        if (start[2] != 3)   // torch.load, like this reader, wants a local header first ("PK\3\4")
            throw new CheckpointException(path, "the zip archive is empty (not a torch.save checkpoint)");
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            TorchZip zip = TorchZip.open(path, channel);
            String archive = archiveName(path, zip);
            for (TorchZip.Record r : zip.records()) {
                String name = latin1(r.name);
                if (!name.startsWith(archive))
                    throw new CheckpointException(path, "the record '" + r.displayName() + "' is not in the archive's directory '"
                            + Messages.clip(archive) + "' (torch.load refuses such archives)");
                if (name.equals(archive + "constants.pkl"))
                    throw new CheckpointException(path, "a TorchScript archive (torch.jit.save), not a torch.save checkpoint");
            }
            checkVersion(path, zip, archive, verifyCrc);
            ByteOrder order = byteOrder(path, zip, archive, verifyCrc);
            TorchZip.Record pickleRecord = zip.locate(archive + "data.pkl");
            if (pickleRecord == null)
                throw new CheckpointException(path, "the zip archive has no " + Messages.clip(archive) + "data.pkl record (not a torch.save checkpoint)");
            RestrictedUnpickler unpickler = new RestrictedUnpickler(zip.readAll(pickleRecord, verifyCrc, Integer.MAX_VALUE), path);
            Object tree = unpickler.load();
            Map<RestrictedUnpickler.TensorRef, Tensor> tensors = materialize(path, zip, archive, order, unpickler, verifyCrc);
            return replacePlaceholders(path, tree, tensors, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
        }
    }

    /** Names compared as miniz compares them: bytes (one char per byte here). */
    private static String latin1(byte[] name) { return new String(name, StandardCharsets.ISO_8859_1); }

    private static String latin1(String utf8Text) { return latin1(utf8Text.getBytes(StandardCharsets.UTF_8)); }

    static Map<String, Tensor> asStateDict(Path path, Object tree) throws CheckpointException {
        if (tree instanceof Tensor)
            throw new CheckpointException(path, "holds a single tensor, not a dict of tensors; read it with PyTorchCheckpoint.loadObject");
        if (!(tree instanceof Map))
            throw new CheckpointException(path, "holds " + kind(tree) + ", not a dict of tensors; read it with PyTorchCheckpoint.loadObject");
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) tree).entrySet()) {
            if (!(e.getKey() instanceof String))
                throw new CheckpointException(path, "is not a state dict: it has the key " + Messages.repr(e.getKey()) + " (" + kind(e.getKey())
                        + ", not a string); read it with PyTorchCheckpoint.loadObject");
            if (!(e.getValue() instanceof Tensor))
                throw new CheckpointException(path, "is not a flat state dict: '" + Messages.clip((String) e.getKey()) + "' holds " + kind(e.getValue())
                        + ", not a tensor (an optimizer state dict, or a checkpoint dict of several things?);"
                        + " read it with PyTorchCheckpoint.loadObject");
            out.put((String) e.getKey(), (Tensor) e.getValue());
        }
        return out;
    }

    private static String kind(Object v) {
        if (v == null) return "None";
        if (v instanceof Map) return "a dict";
        if (v instanceof PickleTuple) return "a tuple";
        if (v instanceof List) return "a list";
        if (v instanceof Long || v instanceof java.math.BigInteger) return "an int";
        if (v instanceof Double) return "a float";
        if (v instanceof Boolean) return "a bool";
        if (v instanceof String) return "a str";
        return v.getClass().getSimpleName();
    }

    /** As PyTorch's reader: the archive's name is the directory of its first record. */
    private static String archiveName(Path path, TorchZip zip) throws CheckpointException {
        if (zip.records().isEmpty()) throw new CheckpointException(path, "the zip archive is empty (not a torch.save checkpoint)");
        TorchZip.Record first = zip.records().get(0);
        String name = latin1(first.name);
        int slash = name.indexOf('/');
        if (slash < 0)
            throw new CheckpointException(path, "the zip archive's first record '" + first.displayName()
                    + "' is not in a directory (not a torch.save checkpoint)");
        return name.substring(0, slash + 1);
    }

    /** The format versions PyTorch 1.13's reader accepts. */
    private static final long MIN_VERSION = 1, MAX_VERSION = 10;

    /** The format version record, parsed and checked as PyTorch's reader does (torch.save has written 3 since PyTorch 1.6). */
    private static void checkVersion(Path path, TorchZip zip, String archive, boolean verifyCrc) throws IOException {
        TorchZip.Record r = zip.locate(archive + ".data/version");
        if (r == null) r = zip.locate(archive + "version");
        if (r == null)
            throw new CheckpointException(path, "the zip archive has no " + Messages.clip(archive) + "version record (not a torch.save checkpoint)");
        String text = new String(zip.readAll(r, verifyCrc, MAX_SMALL_RECORD), StandardCharsets.ISO_8859_1);
        // std::stoull: leading white space, an optional sign (a '-' wraps around), then decimal digits
        int i = 0;
        while (i < text.length() && " \t\n\u000b\f\r".indexOf(text.charAt(i)) >= 0) i++;
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) negative = text.charAt(i++) == '-';
        int digits = i;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') i++;
        if (i == digits)
            throw new CheckpointException(path, "the record " + r.displayName() + " says '" + Messages.clip(text.trim())
                    + "', not a format version number");
        java.math.BigInteger v = new java.math.BigInteger(text.substring(digits, i));
        if (v.bitLength() > 64)
            throw new CheckpointException(path, "the record " + r.displayName() + " holds a format version too large for 64 bits");
        if (negative && v.signum() != 0) v = java.math.BigInteger.ONE.shiftLeft(64).subtract(v);
        if (v.compareTo(java.math.BigInteger.valueOf(MIN_VERSION)) < 0)
            throw new CheckpointException(path, "format version " + v + " is older than any torch.save wrote (" + MIN_VERSION + ")");
        if (v.compareTo(java.math.BigInteger.valueOf(MAX_VERSION)) > 0)
            throw new CheckpointException(path, "format version " + v + " is newer than PyTorch 1.13 reads (" + MAX_VERSION + ")");
    }

    private static ByteOrder byteOrder(Path path, TorchZip zip, String archive, boolean verifyCrc) throws IOException {
        TorchZip.Record r = zip.locate(archive + "byteorder");
        if (r == null) return ByteOrder.LITTLE_ENDIAN;   // PyTorch before 2.1 wrote none: the x86 / ARM order
        String text = new String(zip.readAll(r, verifyCrc, MAX_SMALL_RECORD), StandardCharsets.US_ASCII).trim();
        if (text.equals("little")) return ByteOrder.LITTLE_ENDIAN;
        if (text.equals("big")) return ByteOrder.BIG_ENDIAN;
        throw new CheckpointException(path, "the byteorder record says '" + Messages.clip(text) + "', not 'little' or 'big'");
    }

    /**
     * Reads every storage the pickle named and makes each tensor over its storage with the saved
     * offset, sizes and strides, as torch.load does: tensors saved as views of one storage share
     * its memory again, and a view such as a stride-0 expansion costs nothing.
     */
    private static Map<RestrictedUnpickler.TensorRef, Tensor> materialize(Path path, TorchZip zip, String archive, ByteOrder order,
            RestrictedUnpickler unpickler, boolean verifyCrc) throws IOException {
        Map<String, Storage> loaded = new HashMap<>();
        for (RestrictedUnpickler.StorageRef s : unpickler.storages().values())
            loaded.put(s.key, Storage.wrap(readStorage(path, zip, archive, order, s, verifyCrc)));
        Map<RestrictedUnpickler.TensorRef, Tensor> out = new IdentityHashMap<>();
        for (RestrictedUnpickler.TensorRef t : unpickler.tensors())
            out.put(t, Tensor.overStorage(loaded.get(t.storage.key), t.offset, t.sizes, t.strides));
        return out;
    }

    private static Object readStorage(Path path, TorchZip zip, String archive, ByteOrder order, RestrictedUnpickler.StorageRef s,
            boolean verifyCrc) throws IOException {
        String name = archive + "data/" + latin1(s.key);
        TorchZip.Record r = zip.locate(name);
        String shown = Messages.clip(new String(name.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        if (r == null) throw new CheckpointException(path, "the record " + shown + " of storage '" + Messages.clip(s.key) + "' is missing");
        long expected;
        try {
            expected = Math.multiplyExact(s.numel, (long) s.type.size);
        } catch (ArithmeticException overflow) {
            expected = Long.MAX_VALUE;
        }
        // torch.load makes a storage of the declared size over whatever the record holds: a
        // shorter record would be read past its end (memory that is not the file's), so it is refused
        if (r.size < expected)
            throw new CheckpointException(path, "the record " + shown + " holds " + r.size + " bytes, but storage '" + Messages.clip(s.key)
                    + "' (torch." + s.type.storageClass + " of " + s.numel + " elements) needs " + expected);
        Object array;
        try (java.io.InputStream in = zip.open(r, verifyCrc)) {
            array = s.type.decode(Channels.newChannel(in), s.numel, order, path, "record " + shown);
            TorchZip.finish(in);
        }
        return array;
    }

    private static Object replacePlaceholders(Path path, Object v, Map<RestrictedUnpickler.TensorRef, Tensor> tensors,
            Set<Object> visited, int depth) throws CheckpointException {
        if (depth > MAX_NESTING) throw new CheckpointException(path, "data.pkl: objects nested deeper than " + MAX_NESTING + " levels");
        if (v instanceof RestrictedUnpickler.TensorRef) return tensors.get(v);
        if (v instanceof RestrictedUnpickler.StorageRef)
            throw new CheckpointException(path, "holds a bare storage (torch.save of tensor.storage()), which jtorch does not load");
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) return v;
        if (!visited.add(v)) return v;
        if (v instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> map = (Map<Object, Object>) v;
            List<Map.Entry<Object, Object>> entries = new ArrayList<>(map.entrySet());
            map.clear();
            for (Map.Entry<Object, Object> e : entries)
                map.put(replacePlaceholders(path, e.getKey(), tensors, visited, depth + 1),
                        replacePlaceholders(path, e.getValue(), tensors, visited, depth + 1));
            return map;
        }
        if (v instanceof PickleTuple) {
            PickleTuple t = (PickleTuple) v;
            for (int i = 0; i < t.size(); i++) t.replace(i, replacePlaceholders(path, t.get(i), tensors, visited, depth + 1));
            return t;
        }
        if (v instanceof ArrayList) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) v;
            for (int i = 0; i < list.size(); i++) list.set(i, replacePlaceholders(path, list.get(i), tensors, visited, depth + 1));
            return list;
        }
        throw new CheckpointException(path, "holds a Python class object (" + Messages.repr(v) + ") where a value was expected");
    }

    // ------------------------------------------------------------------------------- writing

    /**
     * Writes {@code tensors} (atomically) as Python's {@code torch.save(state_dict, path)} does, so
     * that {@code torch.load(path)} in Python returns an {@code OrderedDict} of the same tensors
     * (contiguous, each with its own storage) in the same order.
     *
     * @throws IllegalArgumentException for a null name or tensor
     */
    public static void save(Map<String, ? extends Tensor> tensors, Path path) throws IOException {
        if (tensors == null) throw new IllegalArgumentException("PyTorchCheckpoint.save: the map of tensors is null");
        List<Map.Entry<String, Tensor>> entries = new ArrayList<>();
        for (Map.Entry<String, ? extends Tensor> e : tensors.entrySet()) {
            if (e.getKey() == null) throw new IllegalArgumentException("PyTorchCheckpoint.save: a tensor name is null");
            if (!StandardCharsets.UTF_8.newEncoder().canEncode(e.getKey()))
                throw new IllegalArgumentException("PyTorchCheckpoint.save: the name \"" + e.getKey() + "\" is not valid Unicode");
            if (e.getValue() == null) throw new IllegalArgumentException("PyTorchCheckpoint.save: the tensor \"" + e.getKey() + "\" is null");
            entries.add(Map.entry(e.getKey(), e.getValue()));
        }
        writeArchive(path, StateDictPickler.pickle(entries), entries);
    }

    /** The zip torch.save writes: data.pkl, byteorder, data/<i> for the i-th tensor, version. */
    private static void writeArchive(Path path, byte[] pickle, List<Map.Entry<String, Tensor>> entries) throws IOException {
        String archive = archiveNameFor(path);
        AtomicFiles.write(path, out -> {
            ZipOutputStream zip = new ZipOutputStream(nonClosing(out));
            zip.setMethod(ZipOutputStream.STORED);
            storedEntry(zip, archive + "data.pkl", pickle);
            storedEntry(zip, archive + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            try (var g = Torch.noGrad()) {
                for (int i = 0; i < entries.size(); i++) {
                    Tensor t = entries.get(i).getValue();
                    CRC32 crc = new CRC32();
                    ElementType.encode(t, new CheckedOutputStream(OutputStream.nullOutputStream(), crc));
                    ZipEntry e = entry(archive + "data/" + i, t.numel() * ElementType.of(t.dtype()).size, crc.getValue());
                    zip.putNextEntry(e);
                    ElementType.encode(t, zip);
                    zip.closeEntry();
                }
            }
            storedEntry(zip, archive + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
            zip.finish();
        });
    }

    /**
     * Writes any checkpoint object (atomically) as Python's {@code torch.save(obj, path)} does: a
     * single tensor, a list, or nested maps of tensors, numbers, strings, booleans and null, e.g.
     * a training checkpoint. {@code torch.load(path)} in Python returns the same structure (dicts,
     * lists, Python ints and floats, tensors each with its own contiguous storage).
     *
     * <pre>{@code
     * PyTorchCheckpoint.saveObject(Map.of("model", model.stateDict(), "epoch", 3L), Path.of("ckpt.pt"));
     * Map<?, ?> ckpt = (Map<?, ?>) PyTorchCheckpoint.loadObject(Path.of("ckpt.pt"));
     * }</pre>
     *
     * @throws IllegalArgumentException for values of other types or a container that contains itself
     */
    public static void saveObject(Object obj, Path path) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        byte[] pickle = StateDictPickler.pickleObject(obj, tensors);
        List<Map.Entry<String, Tensor>> storages = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) storages.add(Map.entry(Integer.toString(i), tensors.get(i)));
        writeArchive(path, pickle, storages);
    }

    /** PyTorch names the archive after the file, without its extension. */
    private static String archiveNameFor(Path path) {
        String file = path.getFileName() == null ? "archive" : path.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        StringBuilder b = new StringBuilder();
        for (char c : stem.toCharArray()) b.append(c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '-') ? c : '_');
        return (b.length() == 0 ? "archive" : b.toString()) + "/";
    }

    private static void storedEntry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        zip.putNextEntry(entry(name, bytes.length, crc.getValue()));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static ZipEntry entry(String name, long size, long crc) {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(size);
        e.setCompressedSize(size);
        e.setCrc(crc);
        e.setTimeLocal(LocalDateTime.of(1980, 1, 1, 0, 0));   // reproducible bytes, as PyTorch's writer
        return e;
    }

    /** The zip stream must not close the atomic writer's stream (it syncs it before closing). */
    private static OutputStream nonClosing(OutputStream out) {
        return new OutputStream() {
            @Override public void write(int b) throws IOException { out.write(b); }
            @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
            @Override public void flush() throws IOException { out.flush(); }
            @Override public void close() throws IOException { out.flush(); }
        };
    }

    // ------------------------------------------------------------------------------- detection

    static boolean isZip(byte[] start) {
        return start.length >= 4 && start[0] == 'P' && start[1] == 'K'
                && ((start[2] == 3 && start[3] == 4) || (start[2] == 5 && start[3] == 6));
    }

    static boolean isLegacy(byte[] start) { return startsWith(start, LEGACY_MAGIC); }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        if (a.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (a[i] != prefix[i]) return false;
        return true;
    }

    /** Up to {@code n} bytes from the start of the file. */
    static byte[] readStart(Path path, int n) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(n);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 8); i++) b.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xff));
        return bytes.length == 0 ? "nothing (the file is empty)" : b.toString();
    }
}
