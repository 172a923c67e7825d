package jtorch.serialization;

import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;

/**
 * The <a href="https://huggingface.co/docs/safetensors">safetensors</a> format: an 8-byte
 * little-endian header length N, N bytes of UTF-8 JSON naming each tensor's {@code dtype},
 * {@code shape} and {@code data_offsets} (plus an optional {@code __metadata__} map of strings),
 * then the tensors' raw little-endian bytes in row-major order.
 *
 * <p>Data is laid out as the reference implementation lays it out, so that Python's
 * {@code safetensors} package reads it (zero-copy included): tensors sorted by descending
 * alignment of their dtype (I64, F64, F32, BOOL) then by name, the header padded with spaces to a
 * multiple of 8 bytes. The header lists the tensors in the saved map's order, which
 * {@link #load} returns (a JSON object's order is free; readers look tensors up by name). Saving is atomic. Reading checks the header strictly (valid UTF-8 JSON,
 * known dtypes, offsets that cover the data exactly) and fails with a {@link CheckpointException}
 * that says what is wrong. Besides F32, F64, I64 and BOOL, reading accepts F16 and BF16 (as
 * float32) and I8, U8, I16, U16, I32, U32 (as int64), converted exactly.
 *
 * <pre>{@code
 * Safetensors.save(model.stateDict(), Map.of("epoch", "3"), Path.of("model.safetensors"));
 * Map<String, Tensor> sd = Safetensors.load(Path.of("model.safetensors"));
 * String epoch = Safetensors.metadata(Path.of("model.safetensors")).get("epoch");
 * }</pre>
 */
public final class Safetensors {
    private Safetensors() {}

    /** The reference implementation's limit on the header: a larger length means a corrupt file. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";

    // ------------------------------------------------------------------------------- writing

    /** Writes {@code tensors} to {@code path} (atomically), without metadata. */
    public static void save(Map<String, ? extends Tensor> tensors, Path path) throws IOException {
        save(tensors, Map.of(), path);
    }

    /**
     * Writes {@code tensors} and the {@code __metadata__} map to {@code path}: to a temporary file
     * in the same directory, then renamed over {@code path}, so a failed or interrupted save leaves
     * any previous file intact. Each tensor is written in row-major order whatever its strides.
     *
     * @throws IllegalArgumentException for a null name or tensor, or a tensor named {@code __metadata__}
     * @throws IOException if the file cannot be written (the previous file, if any, is unchanged)
     */
    public static void save(Map<String, ? extends Tensor> tensors, Map<String, String> metadata, Path path) throws IOException {
        List<Map.Entry<String, Tensor>> sorted = sortedForWriting(tensors);
        byte[] header = header(new ArrayList<>(tensors.entrySet()), sorted, metadata);
        AtomicFiles.write(path, out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.writeLong(Long.reverseBytes(header.length));
            data.write(header);
            try (var g = Torch.noGrad()) {
                for (Map.Entry<String, Tensor> e : sorted) ElementType.encode(e.getValue(), data);
            }
            data.flush();
        });
    }

    private static List<Map.Entry<String, Tensor>> sortedForWriting(Map<String, ? extends Tensor> tensors) {
        if (tensors == null) throw new IllegalArgumentException("Safetensors.save: the map of tensors is null");
        List<Map.Entry<String, Tensor>> list = new ArrayList<>();
        for (Map.Entry<String, ? extends Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null) throw new IllegalArgumentException("Safetensors.save: a tensor name is null");
            if (name.equals(METADATA_KEY))
                throw new IllegalArgumentException("Safetensors.save: \"" + METADATA_KEY + "\" is reserved for the metadata and cannot name a tensor");
            if (!StandardCharsets.UTF_8.newEncoder().canEncode(name))
                throw new IllegalArgumentException("Safetensors.save: the name \"" + name + "\" is not valid Unicode (an unpaired surrogate)");
            if (e.getValue() == null) throw new IllegalArgumentException("Safetensors.save: the tensor \"" + name + "\" is null");
            list.add(Map.entry(name, e.getValue()));
        }
        // The reference writer's order: descending dtype alignment (so each tensor's data is
        // aligned to its element size), then names compared as UTF-8 bytes.
        list.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> -alignmentRank(ElementType.of(e.getValue().dtype())))
                .thenComparing((a, b) -> Arrays.compareUnsigned(a.getKey().getBytes(StandardCharsets.UTF_8),
                        b.getKey().getBytes(StandardCharsets.UTF_8))));
        return list;
    }

    /** The position of a dtype in the reference implementation's order of increasing alignment. */
    private static int alignmentRank(ElementType t) {
        switch (t) {
            case BOOL: return 0;
            case F32: return 11;
            case F64: return 12;
            case I64: return 13;
            default: throw new AssertionError(t);
        }
    }

    /** The header JSON: tensors in the caller's order (which load returns), their data laid out in {@code sorted} order. */
    private static byte[] header(List<? extends Map.Entry<String, ? extends Tensor>> callerOrder, List<Map.Entry<String, Tensor>> sorted,
            Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (metadata != null && !metadata.isEmpty()) {
            json.append(Json.quote(METADATA_KEY)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (m.getKey() == null || m.getValue() == null)
                    throw new IllegalArgumentException("Safetensors.save: metadata keys and values must not be null");
                json.append(first ? "" : ",").append(Json.quote(m.getKey())).append(':').append(Json.quote(m.getValue()));
                first = false;
            }
            json.append('}');
        }
        Map<String, Long> begin = new java.util.HashMap<>();
        long end = 0;
        for (Map.Entry<String, Tensor> e : sorted) {
            begin.put(e.getKey(), end);
            end += e.getValue().numel() * ElementType.of(e.getValue().dtype()).size;
        }
        for (Map.Entry<String, ? extends Tensor> e : callerOrder) {
            Tensor t = e.getValue();
            ElementType type = ElementType.of(t.dtype());
            long bytes = t.numel() * type.size;
            long offset = begin.get(e.getKey());
            if (json.length() > 1) json.append(',');
            json.append(Json.quote(e.getKey())).append(":{\"dtype\":\"").append(type.safetensorsName).append("\",\"shape\":[");
            long[] shape = t.shape().toArray();
            for (int i = 0; i < shape.length; i++) json.append(i == 0 ? "" : ",").append(shape[i]);
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
        }
        json.append('}');
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(text, padded);
        Arrays.fill(out, text.length, padded, (byte) ' ');
        return out;
    }

    // ------------------------------------------------------------------------------- reading

    /**
     * Reads every tensor of a safetensors file, in the order of the file's header (for files jtorch
     * wrote: the order of the saved map).
     *
     * @throws CheckpointException if the file is truncated or its header is malformed
     */
    public static Map<String, Tensor> load(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            Header header = readHeader(path, channel);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (TensorInfo info : header.tensors) {
                channel.position(8 + header.length + info.begin);
                Object data = info.type.decode(channel, info.numel, ByteOrder.LITTLE_ENDIAN, path, "tensor '" + Messages.clip(info.name) + "'");
                out.put(info.name, TensorInternals.wrap(data, info.shape));
            }
            return out;
        }
    }

    /** The {@code __metadata__} map of a safetensors file (empty if it has none). */
    public static Map<String, String> metadata(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return readHeader(path, channel).metadata;
        }
    }

    private static final class TensorInfo {
        final String name;
        final ElementType type;
        final int[] shape;
        final long numel, begin, end;

        TensorInfo(String name, ElementType type, int[] shape, long numel, long begin, long end) {
            this.name = name;
            this.type = type;
            this.shape = shape;
            this.numel = numel;
            this.begin = begin;
            this.end = end;
        }
    }

    private static final class Header {
        final long length;
        final Map<String, String> metadata;
        final List<TensorInfo> tensors;

        Header(long length, Map<String, String> metadata, List<TensorInfo> tensors) {
            this.length = length;
            this.metadata = metadata;
            this.tensors = tensors;
        }
    }

    private static Header readHeader(Path path, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8)
            throw new CheckpointException(path, "truncated: the file has " + fileSize
                    + " bytes, fewer than the 8-byte header length that starts a safetensors file");
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long n = lengthBytes.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES)
            throw new CheckpointException(path, "the header length " + Long.toUnsignedString(n) + " is larger than the "
                    + MAX_HEADER_BYTES + "-byte limit (a corrupt length, or not a safetensors file)");
        if (n > fileSize - 8)
            throw new CheckpointException(path, "truncated in the header: the header length says " + n
                    + " bytes, but only " + (fileSize - 8) + " bytes follow it");
        ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
        readFully(channel, headerBytes, 8);
        headerBytes.flip();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBytes).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(path, "the header is not valid UTF-8");
        }
        if (!text.startsWith("{"))
            throw new CheckpointException(path, "the header does not start with '{' (not a safetensors header)");
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.SyntaxException e) {
            throw new CheckpointException(path, "the header is not valid JSON: " + e.getMessage());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) parsed;   // the text starts with '{'
        Map<String, String> metadata = Map.of();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<String, Object> e : root.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) metadata = parseMetadata(path, e.getValue());
            else tensors.add(parseTensor(path, e.getKey(), e.getValue()));
        }
        List<TensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.<TensorInfo>comparingLong(t -> t.begin).thenComparingLong(t -> t.end));
        long dataSize = fileSize - 8 - n;
        long expectedBegin = 0;
        for (TensorInfo t : byOffset) {
            if (t.begin != expectedBegin)
                throw new CheckpointException(path, "tensor '" + Messages.clip(t.name) + "': data_offsets [" + t.begin + ", " + t.end + "] "
                        + (t.begin > expectedBegin ? "leave a gap after" : "overlap") + " the data before it, which ends at byte "
                        + expectedBegin + " (tensors must cover the data buffer exactly)");
            expectedBegin = t.end;
        }
        if (expectedBegin > dataSize)
            throw new CheckpointException(path, "truncated in the data: the header describes " + expectedBegin
                    + " bytes of tensor data, but the file has only " + dataSize + " after the header");
        if (expectedBegin < dataSize)
            throw new CheckpointException(path, "the file has " + (dataSize - expectedBegin) + " bytes after the last tensor's data"
                    + " (the header describes " + expectedBegin + " bytes; tensors must cover the data buffer exactly)");
        return new Header(n, metadata, tensors);
    }

    private static Map<String, String> parseMetadata(Path path, Object value) throws CheckpointException {
        if (!(value instanceof Map))
            throw new CheckpointException(path, "\"" + METADATA_KEY + "\" must be an object of strings, got " + jsonType(value));
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> m : ((Map<?, ?>) value).entrySet()) {
            if (!(m.getValue() instanceof String))
                throw new CheckpointException(path, "\"" + METADATA_KEY + "\" entry '" + Messages.clip((String) m.getKey()) + "' must be a string, got "
                        + jsonType(m.getValue()));
            out.put((String) m.getKey(), (String) m.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    private static TensorInfo parseTensor(Path path, String name, Object value) throws CheckpointException {
        String where = "tensor '" + Messages.clip(name) + "'";
        if (!(value instanceof Map))
            throw new CheckpointException(path, where + ": expected an object with dtype, shape and data_offsets, got " + jsonType(value));
        Map<?, ?> fields = (Map<?, ?>) value;
        for (Object k : fields.keySet())
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets"))
                throw new CheckpointException(path, where + ": unknown field \"" + Messages.clip(String.valueOf(k)) + "\" (expected dtype, shape and data_offsets)");
        Object dtype = fields.get("dtype");
        if (!(dtype instanceof String))
            throw new CheckpointException(path, where + ": \"dtype\" must be a string, got " + jsonType(dtype));
        ElementType type = ElementType.bySafetensorsName((String) dtype);
        if (type == null)
            throw new CheckpointException(path, where + ": unsupported dtype \"" + Messages.clip((String) dtype) + "\" (jtorch reads "
                    + ElementType.safetensorsNames() + ")");
        long[] shape = nonNegativeLongs(path, where, "shape", fields.get("shape"), -1);
        long[] offsets = nonNegativeLongs(path, where, "data_offsets", fields.get("data_offsets"), 2);
        int[] sizes = new int[shape.length];
        long numel = 1;
        try {
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] > Integer.MAX_VALUE)
                    throw new CheckpointException(path, where + ": dimension " + i + " has size " + shape[i]
                            + ", more than jtorch's tensors hold (" + Integer.MAX_VALUE + ")");
                sizes[i] = (int) shape[i];
                numel = Math.multiplyExact(numel, shape[i]);
            }
            long bytes = Math.multiplyExact(numel, (long) type.size);
            if (offsets[1] < offsets[0])
                throw new CheckpointException(path, where + ": data_offsets [" + offsets[0] + ", " + offsets[1] + "] end before they begin");
            if (offsets[1] - offsets[0] != bytes)
                throw new CheckpointException(path, where + ": data_offsets [" + offsets[0] + ", " + offsets[1] + "] hold "
                        + (offsets[1] - offsets[0]) + " bytes, but shape " + Arrays.toString(shape) + " of " + type.safetensorsName
                        + " needs " + bytes);
        } catch (ArithmeticException overflow) {
            throw new CheckpointException(path, where + ": shape " + Arrays.toString(shape) + " overflows a 64-bit byte count");
        }
        return new TensorInfo(name, type, sizes, numel, offsets[0], offsets[1]);
    }

    private static long[] nonNegativeLongs(Path path, String where, String field, Object value, int requiredLength)
            throws CheckpointException {
        if (!(value instanceof List))
            throw new CheckpointException(path, where + ": \"" + field + "\" must be a list of integers, got " + jsonType(value));
        List<?> list = (List<?>) value;
        if (requiredLength >= 0 && list.size() != requiredLength)
            throw new CheckpointException(path, where + ": \"" + field + "\" must have " + requiredLength + " entries, got " + list.size());
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            if (!(v instanceof Long) || (Long) v < 0)
                throw new CheckpointException(path, where + ": \"" + field + "\" must hold non-negative 64-bit integers, got "
                        + (v instanceof BigInteger || v instanceof Long ? v.toString() : jsonType(v)));
            out[i] = (Long) v;
        }
        return out;
    }

    private static String jsonType(Object v) {
        if (v == null) return "null";
        if (v instanceof Map) return "an object";
        if (v instanceof List) return "a list";
        if (v instanceof String) return "a string";
        if (v instanceof Boolean) return "a boolean";
        return "the number " + v;
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int r = channel.read(buf, at);
            if (r < 0) throw new java.io.EOFException("the file ended while reading at byte " + at);
            at += r;
        }
    }
}
