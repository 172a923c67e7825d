package jtorch.serialization;

import static jtorch.serialization.Fixtures.assertBitEqual;
import static jtorch.serialization.Fixtures.assertSameTensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;

class SafetensorsTest {
    @TempDir Path dir;

    /** One tensor of every dtype with the values that are easy to get wrong, and tensors that are views. */
    static Map<String, Tensor> everyDtype() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("f32", TensorInternals.wrap(new float[] {1.5f, -0.0f, Float.POSITIVE_INFINITY, Float.NaN, Float.MIN_VALUE,
                -Float.MAX_VALUE, Float.intBitsToFloat(0x7fc00123)}, new int[] {7}));
        m.put("f64", TensorInternals.wrap(new double[] {0.1, -0.0, Double.NEGATIVE_INFINITY, Double.NaN, Double.MIN_VALUE, 1e300},
                new int[] {2, 3}));
        m.put("i64", TensorInternals.wrap(new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 1L << 40}, new int[] {3, 2}));
        m.put("bool", TensorInternals.wrap(new boolean[] {true, false, false, true, true}, new int[] {5}));
        m.put("scalar", Torch.tensor(2.75, DType.FLOAT64));
        m.put("empty", Torch.zeros(new long[] {0, 3}, DType.FLOAT32));
        Tensor base = Torch.arange(24L).reshape(4, 6).to(DType.FLOAT32);
        m.put("transposed", base.t());                                  // strides (1, 6)
        m.put("column", base.select(1, 2));                             // offset 2, stride 6
        m.put("expanded", Torch.arange(3L).reshape(3, 1).expand(3, 4)); // stride 0
        m.put("channels_last", Torch.arange(120.0).reshape(2, 4, 5, 3).permute(0, 3, 1, 2));
        m.put("bool_view", TensorInternals.wrap(new boolean[] {true, false, true, true, false, false}, new int[] {2, 3}).t());
        return m;
    }

    @Test
    void roundTripOfEveryDtypeAndOfViewsIsBitExact() throws IOException {
        Map<String, Tensor> saved = everyDtype();
        Path file = dir.resolve("all.safetensors");
        Torch.save(saved, file);
        Map<String, Tensor> loaded = Torch.load(file);
        assertEquals(new ArrayList<>(saved.keySet()), new ArrayList<>(loaded.keySet()), "in the saved order");
        for (String k : saved.keySet()) {
            assertBitEqual(saved.get(k), loaded.get(k), k);
            assertTrue(loaded.get(k).isContiguous(), k + " loads contiguous");
        }
    }

    @Test
    void savedLayoutFollowsTheReferenceWriterOrderAndAlignment() throws IOException {
        Path file = dir.resolve("order.safetensors");
        Safetensors.save(everyDtype(), file);
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "the header is padded to a multiple of 8");
        @SuppressWarnings("unchecked")
        Map<String, Object> header = assertDoesNotThrowParse(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        // the header in the saved order; the data by descending dtype alignment (I64, F64, F32, BOOL), then name
        assertEquals(new ArrayList<>(everyDtype().keySet()), new ArrayList<>(header.keySet()));
        List<String> byOffset = new ArrayList<>(header.keySet());
        java.util.function.BiFunction<String, Integer, Long> offset =
                (k, i) -> (Long) ((List<?>) ((Map<?, ?>) header.get(k)).get("data_offsets")).get(i);
        byOffset.sort(java.util.Comparator.<String>comparingLong(k -> offset.apply(k, 0)).thenComparingLong(k -> offset.apply(k, 1)));
        assertEquals(List.of("expanded", "i64", "f64", "scalar", "channels_last", "column", "empty", "f32", "transposed",
                "bool", "bool_view"), byOffset);
        Map<String, Integer> itemSize = Map.of("I64", 8, "F64", 8, "F32", 4, "BOOL", 1);
        for (Object v : header.values()) {
            Map<?, ?> info = (Map<?, ?>) v;
            long begin = (Long) ((List<?>) info.get("data_offsets")).get(0);
            assertEquals(0, (8 + n + begin) % itemSize.get((String) info.get("dtype")), "data aligned to the element size: " + info);
        }
        Map<String, Tensor> loaded = Safetensors.load(file);
        assertEquals(new ArrayList<>(header.keySet()), new ArrayList<>(loaded.keySet()), "load returns the file's order");
    }

    @Test
    void aMegabyteNameIsQuotedShortInMessages() throws IOException {
        String name = "n".repeat(1_000_000);
        Path file = dir.resolve("long_name.safetensors");
        Files.write(file, raw("{\"" + name + "\":{\"dtype\":\"" + name + "\",\"shape\":[0],\"data_offsets\":[0,0]}}", new byte[0]));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Torch.load(file));
        assertTrue(e.getMessage().contains("unsupported dtype \"nnnn"), e.getMessage().substring(0, 300));
        assertTrue(e.getMessage().length() < 1000, "a message of " + e.getMessage().length() + " characters");
    }

    @Test
    void loadKeepsTheHeadersOrderNotTheDataOrder() throws IOException {
        byte[] data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(3).array();
        Path file = dir.resolve("header_order.safetensors");
        Files.write(file, raw("{\"z\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", data));
        Map<String, Tensor> loaded = Torch.load(file);
        assertEquals(List.of("z", "a"), new ArrayList<>(loaded.keySet()));
        assertBitEqual(TensorInternals.wrap(new float[] {3}, new int[] {1}), loaded.get("z"), "z");
        assertBitEqual(TensorInternals.wrap(new float[] {1, 2}, new int[] {2}), loaded.get("a"), "a");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> assertDoesNotThrowParse(String json) {
        try {
            return (Map<String, Object>) Json.parse(json);
        } catch (Json.SyntaxException e) {
            throw new AssertionError("header is not JSON: " + json, e);
        }
    }

    /** The byte-exact outputs of the reference implementation's own serialization tests. */
    @Test
    void bytesEqualTheReferenceImplementationsTestVectors() throws IOException {
        float[] values = {0, 1, 2, 3, 4, 5};
        Path a = dir.resolve("a.safetensors");
        Safetensors.save(Map.of("attn.0", TensorInternals.wrap(values, new int[] {1, 2, 3})), a);
        assertArrayEquals(bytes(64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
                116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
                58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
                101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
                0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64), Files.readAllBytes(a));

        Path b = dir.resolve("b.safetensors");
        Safetensors.save(Map.of("attn0", TensorInternals.wrap(values, new int[] {1, 1, 2, 3})), b);
        assertArrayEquals(bytes(72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
                121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
                91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
                115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
                32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
                160, 64), Files.readAllBytes(b));

        Path empty = dir.resolve("empty.safetensors");
        Safetensors.save(Map.of(), empty);
        assertArrayEquals(bytes(8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32), Files.readAllBytes(empty));
        assertEquals(Map.of(), Safetensors.load(empty));

        Path meta = dir.resolve("meta.safetensors");
        Safetensors.save(Map.of(), Map.of("framework", "pt"), meta);
        assertArrayEquals(bytes(40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
                95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
                116, 34, 125, 125, 32, 32, 32, 32, 32), Files.readAllBytes(meta));
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }

    @Test
    void metadataAndUnusualNamesRoundTrip() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("epoch", "3");
        metadata.put("note", "quote \" backslash \\ newline \n tab \t bell \u0007 unicode \u00e9\u4e2d\ud83d\ude00");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a \"quoted\" \\ name\n", Torch.ones(2));
        tensors.put("\u00fcber.\u03b8.\ud83d\ude00", Torch.zeros(1));
        tensors.put("", Torch.ones(1));
        Path file = dir.resolve("names.safetensors");
        Safetensors.save(tensors, metadata, file);
        assertEquals(metadata, Safetensors.metadata(file));
        Map<String, Tensor> loaded = Safetensors.load(file);
        assertEquals(tensors.keySet(), loaded.keySet());
        for (String k : tensors.keySet()) assertBitEqual(tensors.get(k), loaded.get(k), k);
    }

    @Test
    void readsTheFileWrittenByPython() throws IOException {
        Path file = Fixtures.path("python_written.safetensors");
        assertSameTensors(Fixtures.expected("python_written.safetensors"), Torch.load(file), "python_written.safetensors");
        assertEquals(Map.of("format", "pt", "written_by", "tools/gen_checkpoint_fixtures.py"), Safetensors.metadata(file));
    }

    @Test
    void readsTheTypesItWidensExactly() throws IOException {
        // F16: 1, -2, 65504 (max), 2^-24 (smallest subnormal), 2^-14 (smallest normal), -0, inf, -inf, NaN, 0x3555
        short[] half = {0x3c00, (short) 0xc000, 0x7bff, 0x0001, 0x0400, (short) 0x8000, 0x7c00, (short) 0xfc00, 0x7e00, 0x3555};
        float[] halfValues = {1f, -2f, 65504f, 0x1p-24f, 0x1p-14f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.NaN, 0.333251953125f};
        ByteBuffer f16 = le(half.length * 2);
        for (short s : half) f16.putShort(s);
        ByteBuffer bf16 = le(6).putShort((short) 0x3f80).putShort((short) 0xc0a0).putShort((short) 0x0001);
        ByteBuffer i32 = le(12).putInt(-7).putInt(Integer.MAX_VALUE).putInt(Integer.MIN_VALUE);
        ByteBuffer u8 = le(3).put((byte) 255).put((byte) 0).put((byte) 128);
        ByteBuffer i8 = le(2).put((byte) -128).put((byte) 127);
        ByteBuffer u32 = le(4).putInt(-1);
        Path file = dir.resolve("widened.safetensors");
        Files.write(file, file(List.of(
                entry("f16", "F16", new long[] {half.length}, f16.array()),
                entry("bf16", "BF16", new long[] {3}, bf16.array()),
                entry("i32", "I32", new long[] {3}, i32.array()),
                entry("u8", "U8", new long[] {3}, u8.array()),
                entry("i8", "I8", new long[] {2}, i8.array()),
                entry("u32", "U32", new long[] {1}, u32.array()))));
        Map<String, Tensor> t = Safetensors.load(file);
        assertBitEqual(TensorInternals.wrap(halfValues, new int[] {half.length}), t.get("f16"), "f16");
        assertBitEqual(TensorInternals.wrap(new float[] {1f, -5f, Float.intBitsToFloat(0x00010000)}, new int[] {3}), t.get("bf16"), "bf16");
        assertBitEqual(TensorInternals.wrap(new long[] {-7, Integer.MAX_VALUE, Integer.MIN_VALUE}, new int[] {3}), t.get("i32"), "i32");
        assertBitEqual(TensorInternals.wrap(new long[] {255, 0, 128}, new int[] {3}), t.get("u8"), "u8");
        assertBitEqual(TensorInternals.wrap(new long[] {-128, 127}, new int[] {2}), t.get("i8"), "i8");
        assertBitEqual(TensorInternals.wrap(new long[] {0xffffffffL}, new int[] {1}), t.get("u32"), "u32");
    }

    private static ByteBuffer le(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }

    // ------------------------------------------------------------------ corrupt files

    /** A header entry written by hand (no checks), with its data. */
    record Entry(String name, String json, byte[] data) {}

    static Entry entry(String name, String dtype, long[] shape, byte[] data) {
        return new Entry(name, "{\"dtype\":\"" + dtype + "\",\"shape\":" + Arrays.toString(shape).replace(" ", "")
                + ",\"data_offsets\":[%d,%d]}", data);
    }

    /** A well-formed file of these entries, laid out in order. */
    static byte[] file(List<Entry> entries) {
        StringBuilder json = new StringBuilder("{");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Entry e : entries) {
            if (json.length() > 1) json.append(',');
            json.append(Json.quote(e.name())).append(':').append(String.format(e.json(), data.size(), data.size() + e.data().length));
            data.writeBytes(e.data());
        }
        return raw(json.append('}').toString(), data.toByteArray());
    }

    /** The 8-byte length, {@code header} as UTF-8 and {@code data}. */
    static byte[] raw(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    static Stream<Arguments> corruptFiles() {
        byte[] eight = new byte[8];
        String f32x2 = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        return Stream.of(
                Arguments.of("trailing comma", raw("{\"a\":" + f32x2 + ",}", eight), "the header is not valid JSON"),
                Arguments.of("duplicate name", raw("{\"a\":" + f32x2 + ",\"a\":" + f32x2 + "}", eight), "duplicate member name \"a\""),
                Arguments.of("single quotes", raw("{'a':1}", eight), "the header is not valid JSON"),
                Arguments.of("not an object", raw("[1,2]", eight), "does not start with '{'"),
                Arguments.of("truncated JSON", raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_off", eight), "not valid JSON"),
                Arguments.of("unknown dtype", raw("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': unsupported dtype \"F8_E4M3\""),
                Arguments.of("dtype of the wrong type", raw("{\"a\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': \"dtype\" must be a string"),
                Arguments.of("unknown field", raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", eight),
                        "tensor 'a': unknown field \"x\""),
                Arguments.of("missing field", raw("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': \"shape\" must be a list of integers, got null"),
                Arguments.of("negative size", raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", eight),
                        "\"shape\" must hold non-negative 64-bit integers, got -2"),
                Arguments.of("fractional size", raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", eight),
                        "\"shape\" must hold non-negative 64-bit integers, got the number 2.0"),
                Arguments.of("three offsets", raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,8]}}", eight),
                        "\"data_offsets\" must have 2 entries, got 3"),
                Arguments.of("offsets disagree with the shape", raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': data_offsets [0, 8] hold 8 bytes, but shape [3] of F32 needs 12"),
                Arguments.of("offsets backwards", raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", eight),
                        "end before they begin"),
                Arguments.of("gap before a tensor", raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", eight),
                        "tensor 'a': data_offsets [4, 8] leave a gap after the data before it, which ends at byte 0"),
                Arguments.of("overlapping tensors", raw("{\"a\":" + f32x2 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                        eight), "tensor 'b': data_offsets [4, 8] overlap the data before it"),
                Arguments.of("data cut short", raw("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", eight),
                        "truncated in the data: the header describes 16 bytes of tensor data, but the file has only 8"),
                Arguments.of("bytes after the data", raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", eight),
                        "the file has 4 bytes after the last tensor's data"),
                Arguments.of("shape overflows", raw("{\"a\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647],"
                        + "\"data_offsets\":[0,8]}}", eight), "overflows a 64-bit byte count"),
                Arguments.of("dimension too large", raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,0],\"data_offsets\":[0,0]}}", eight),
                        "dimension 0 has size 4294967296"),
                Arguments.of("metadata not strings", raw("{\"__metadata__\":{\"epoch\":3}," + "\"a\":" + f32x2 + "}", eight),
                        "\"__metadata__\" entry 'epoch' must be a string, got the number 3"),
                Arguments.of("bool byte not 0 or 1", raw("{\"a\":{\"dtype\":\"BOOL\",\"shape\":[8],\"data_offsets\":[0,8]}}",
                        new byte[] {0, 1, 2, 0, 0, 0, 0, 0}), "bool element 2 is the byte 2, not 0 or 1"),
                Arguments.of("control character in a string", raw("{\"a\u0001\":" + f32x2 + "}", eight), "unescaped control character U+0001"),
                Arguments.of("lone surrogate escape", raw("{\"\\ud800\":" + f32x2 + "}", eight), "unpaired surrogate"),
                Arguments.of("nested too deep", raw("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", eight), "nested deeper than 64"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    void malformedHeadersFailWithAClearMessage(String name, byte[] content, String message) throws IOException {
        Path file = dir.resolve("corrupt.safetensors");
        Files.write(file, content);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Safetensors.load(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), "expected \"" + message + "\" in: " + e.getMessage());
        assertEquals(file, e.path());
    }

    @Test
    void headerLengthsThatCannotBeRightFailClearly() throws IOException {
        Path file = dir.resolve("length.safetensors");
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        Files.write(file, ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).put(body).array());
        assertMessage(file, "truncated in the header: the header length says 1000 bytes, but only 7 bytes follow it");
        Files.write(file, ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).put(body).array());
        assertMessage(file, "the header length 18446744073709551615 is larger than the 100000000-byte limit");
        Files.write(file, new byte[] {8, 0, 0});
        assertMessage(file, "truncated: the file has 3 bytes, fewer than the 8-byte header length");
        byte[] badUtf8 = {'{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'};
        Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(8).put(badUtf8).array());
        assertMessage(file, "the header is not valid UTF-8");
    }

    private static void assertMessage(Path file, String message) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Safetensors.load(file));
        assertTrue(e.getMessage().contains(message), "expected \"" + message + "\" in: " + e.getMessage());
    }

    @Test
    void everyTruncationOfAFileFailsWithACheckpointException() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Safetensors.save(everyDtype(), Map.of("k", "v"), good);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.safetensors");
        for (int length = 0; length < bytes.length; length++) {
            Files.write(cut, Arrays.copyOf(bytes, length));
            int at = length;
            CheckpointException e = assertThrows(CheckpointException.class, () -> Torch.load(cut), () -> "cut at " + at);
            assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
        }
    }

    @Test
    void everySingleByteCorruptionOfTheHeaderFailsClearlyOrOnlyRenamesATensor() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Map<String, Tensor> saved = new LinkedHashMap<>();
        saved.put("w", Torch.arange(6.0).reshape(2, 3));
        saved.put("n", Torch.arange(3L));
        saved.put("m", TensorInternals.wrap(new boolean[] {true, false}, new int[] {2}));
        Safetensors.save(saved, good);
        List<Tensor> inFileOrder = new ArrayList<>(Safetensors.load(good).values());
        byte[] bytes = Files.readAllBytes(good);
        long headerEnd = 8 + ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Path bad = dir.resolve("bad.safetensors");
        int detected = 0, total = 0;
        for (int i = 0; i < headerEnd; i++) {
            for (int flip : new int[] {0x01, 0x80, 0x20}) {
                byte[] copy = bytes.clone();
                copy[i] ^= (byte) flip;
                Files.write(bad, copy);
                total++;
                Map<String, Tensor> result;
                try {
                    result = Torch.load(bad);
                } catch (CheckpointException expected) {
                    detected++;
                    continue;
                }
                // safetensors has no checksum: a changed character of a name (or of the padding)
                // goes unnoticed, but the tensors themselves must be the same
                List<Tensor> values = new ArrayList<>(result.values());
                assertEquals(inFileOrder.size(), values.size(), "byte " + i + " ^ " + flip);
                for (int t = 0; t < values.size(); t++) assertBitEqual(inFileOrder.get(t), values.get(t), "byte " + i + " ^ " + flip);
            }
        }
        assertTrue(detected > total / 2, detected + " of " + total + " corruptions detected");
    }

    // ------------------------------------------------------------------ atomic save

    @Test
    void aSaveThatFailsMidWriteLeavesThePreviousFileIntact() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Map<String, Tensor> good = Map.of("w", Torch.ones(3));
        Torch.save(good, file);
        byte[] before = Files.readAllBytes(file);

        Map<String, Tensor> failing = new LinkedHashMap<>();
        failing.put("a_big", Torch.zeros(1 << 20));   // 4 MB reach the temporary file before the failure
        failing.put("b_failing", new Tensor(Torch.zeros(4), false) {
            @Override public Tensor contiguous() {
                throw new UncheckedIOException(new IOException("No space left on device (simulated)"));
            }
        });
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Torch.save(failing, file));
        assertEquals("No space left on device (simulated)", e.getCause().getMessage());

        assertArrayEquals(before, Files.readAllBytes(file), "the previous checkpoint is untouched");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.collect(Collectors.toList()), "the temporary file is removed");
        }
        assertBitEqual(good.get("w"), Torch.load(file).get("w"), "w");

        Torch.save(Map.of("w", Torch.zeros(2)), file);
        assertBitEqual(Torch.zeros(2), Torch.load(file).get("w"), "a successful save replaces the file");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void saveRejectsWhatTheFormatCannotHoldBeforeTouchingTheFile() throws IOException {
        Path file = dir.resolve("x.safetensors");
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> Torch.save(Map.of("__metadata__", Torch.ones(1)), file));
        assertTrue(reserved.getMessage().contains("\"__metadata__\" is reserved"), reserved.getMessage());
        Map<String, Tensor> withNull = new LinkedHashMap<>();
        withNull.put("w", null);
        IllegalArgumentException nullTensor = assertThrows(IllegalArgumentException.class, () -> Torch.save(withNull, file));
        assertTrue(nullTensor.getMessage().contains("the tensor \"w\" is null"), nullTensor.getMessage());
        assertTrue(Files.notExists(file));
        CheckpointException noDir = assertThrows(CheckpointException.class,
                () -> Torch.save(Map.of("w", Torch.ones(1)), dir.resolve("missing/x.safetensors")));
        assertTrue(noDir.getMessage().contains("does not exist"), noDir.getMessage());
    }

    @Test
    void aTensorRequiringGradSavesItsValuesWithoutRecordingAGraph() throws IOException {
        Tensor w = Torch.arange(6.0).reshape(2, 3).requiresGrad_();
        Path file = dir.resolve("grad.safetensors");
        Torch.save(Map.of("wt", w.t()), file);
        Tensor loaded = Torch.load(file).get("wt");
        assertBitEqual(Torch.arange(6.0).reshape(2, 3).t(), loaded, "wt");
        if (loaded.requiresGrad()) fail("a loaded tensor does not require grad");
    }
}
