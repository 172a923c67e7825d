package jtorch.serialization;

import static jtorch.serialization.Fixtures.assertBitEqual;
import static jtorch.serialization.Fixtures.assertSameTensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;

class PyTorchCheckpointTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"linear.pt", "dtypes.pt", "views.pt", "parameter.pt"})
    void loadsTheStateDictsPythonSavedExactlyInTheirOrder(String file) throws IOException {
        assertSameTensors(Fixtures.expected(file), Torch.load(Fixtures.path(file)), file);
    }

    @Test
    void viewsOfOneStorageShareItAgainWithTheirSavedStrides() throws IOException {
        Map<String, Tensor> views = Torch.load(Fixtures.path("views.pt"));
        Map<String, Tensor> expected = Fixtures.expected("views.pt");
        assertArrayEquals(new long[] {6}, views.get("col").stride());
        assertEquals(2L, views.get("col").storageOffset());
        assertArrayEquals(new long[] {60, 1, 15, 3}, views.get("channels_last").stride());
        assertBitEqual(expected.get("channels_last"), views.get("channels_last"), "channels_last");
        // as in PyTorch, writing the base shows through every view of its storage
        views.get("base").fill_(-1.0);
        for (String k : List.of("row", "col", "block", "transposed", "strided"))
            for (float v : views.get(k).contiguous().toFloatArray()) assertEquals(-1.0f, v, k);
        assertBitEqual(expected.get("channels_last"), views.get("channels_last"), "channels_last has its own storage");
    }

    @Test
    void aStrideZeroViewOfTwoBillionElementsLoadsAsAViewWithoutCopying() throws IOException {
        int n = Integer.MAX_VALUE - 8;   // 6 floats viewed as 2^31 - 9 elements: a 1 KB file
        Path file = checkpoint(new Pickle().dictOfOneTensor("FloatStorage", "0", 6, 2, n, 0).bytes(),
                Map.of("0", floats(0, 1, 2, 3, 4, 5)));
        Tensor t = Torch.load(file).get("w");
        assertEquals(jtorch.Size.of(n), t.shape());
        assertEquals(0L, t.stride(0));
        assertEquals(2.0, t.select(0, 0).item(), 0);
        assertEquals(2.0, t.select(0, n - 1).item(), 0);
    }

    @Test
    void aBareTensorLoadsAsAnObjectButIsNotAStateDict() throws IOException {
        Path file = Fixtures.path("bare_tensor.pt");
        Object loaded = PyTorchCheckpoint.loadObject(file);
        assertBitEqual(Fixtures.expected("bare_tensor.pt").get(""), (Tensor) loaded, "bare tensor");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Torch.load(file));
        assertTrue(e.getMessage().endsWith("holds a single tensor, not a dict of tensors; read it with PyTorchCheckpoint.loadObject"),
                e.getMessage());
    }

    @Test
    void adamStateDictLoadsAsNestedObjectsWithItsTensors() throws IOException {
        Path file = Fixtures.path("optimizer_adam.pt");
        Map<?, ?> sd = (Map<?, ?>) PyTorchCheckpoint.loadObject(file);
        assertEquals(List.of("state", "param_groups"), new ArrayList<>(sd.keySet()));
        Map<?, ?> state = (Map<?, ?>) sd.get("state");
        assertEquals(List.of(0L, 1L), new ArrayList<>(state.keySet()));
        Map<String, Tensor> expected = Fixtures.expected("optimizer_adam.pt");
        for (String key : expected.keySet()) {
            String[] path = key.split("\\.");   // state.<param>.<name>
            Tensor actual = (Tensor) ((Map<?, ?>) state.get(Long.parseLong(path[1]))).get(path[2]);
            assertBitEqual(expected.get(key), actual, key);
        }
        List<?> groups = (List<?>) sd.get("param_groups");
        assertEquals(1, groups.size());
        Map<?, ?> group = (Map<?, ?>) groups.get(0);
        assertEquals(0.01, group.get("lr"));
        assertEquals(List.of(0.9, 0.999), group.get("betas"));
        assertEquals(1e-8, group.get("eps"));
        assertEquals(0L, group.get("weight_decay"));
        assertEquals(Boolean.FALSE, group.get("amsgrad"));
        assertTrue(group.containsKey("foreach"));
        assertNull(group.get("foreach"));
        assertEquals(List.of(0L, 1L), group.get("params"));

        CheckpointException e = assertThrows(CheckpointException.class, () -> Torch.load(file));
        assertTrue(e.getMessage().contains("is not a flat state dict: 'state' holds a dict, not a tensor"), e.getMessage());
    }

    @Test
    void sgdStateDictLoadsItsMomentumBuffers() throws IOException {
        Map<?, ?> sd = (Map<?, ?>) PyTorchCheckpoint.loadObject(Fixtures.path("optimizer_sgd.pt"));
        Map<?, ?> state = (Map<?, ?>) sd.get("state");
        Map<String, Tensor> expected = Fixtures.expected("optimizer_sgd.pt");
        assertBitEqual(expected.get("state.0.momentum_buffer"), (Tensor) ((Map<?, ?>) state.get(0L)).get("momentum_buffer"), "0");
        assertBitEqual(expected.get("state.1.momentum_buffer"), (Tensor) ((Map<?, ?>) state.get(1L)).get("momentum_buffer"), "1");
        Map<?, ?> group = (Map<?, ?>) ((List<?>) sd.get("param_groups")).get(0);
        assertEquals(0.1, group.get("lr"));
        assertEquals(0.9, group.get("momentum"));
        assertEquals(Boolean.FALSE, group.get("nesterov"));
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void aPickleCallingOsSystemIsRefusedNamingTheGlobal() {
        Path file = Fixtures.path("malicious_system.pt");
        UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> Torch.load(file));
        assertEquals("posix.system", e.global());
        assertTrue(e.getMessage().startsWith(file + ": refusing to load the global posix.system: "), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was executed"), e.getMessage());
        assertThrows(UnsafePickleException.class, () -> PyTorchCheckpoint.loadObject(file));
    }

    @Test
    void aPickleCallingEvalIsRefusedWithItsPython3Name() {
        UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> Torch.load(Fixtures.path("malicious_eval.pt")));
        assertEquals("builtins.eval", e.global());
        assertTrue(e.getMessage().contains("refusing to load the global builtins.eval (written __builtin__.eval in the pickle)"),
                e.getMessage());
    }

    @Test
    void theLegacyFormatIsNamedAsSuch() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Torch.load(Fixtures.path("legacy_format.pt")));
        assertTrue(e.getMessage().contains("PyTorch's legacy (pre-1.6, not zip) checkpoint format is not supported"), e.getMessage());
    }

    /** Pickle bytes written by hand, for what torch.save never writes. */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle() { op(0x80).op(2); }

        Pickle op(int... bytes) {
            for (int b : bytes) out.write(b);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X', b.length, b.length >>> 8, b.length >>> 16, b.length >>> 24);
            out.writeBytes(b);
            return this;
        }

        Pickle intValue(int v) { return op('J', v, v >>> 8, v >>> 16, v >>> 24); }

        /** {@code _rebuild_tensor_v2(('storage', torch.FloatStorage, key, 'cpu', numel), offset, (size,), (stride,), False, OrderedDict())}. */
        Pickle tensor(String storageClass, String key, int numel, int offset, int size, int stride) {
            global("torch._utils", "_rebuild_tensor_v2").op('(').op('(').str("storage").global("torch", storageClass).str(key).str("cpu")
                    .intValue(numel).op('t').op('Q').intValue(offset).intValue(size).op(0x85).intValue(stride).op(0x85).op(0x89)
                    .global("collections", "OrderedDict").op(')', 'R').op('t', 'R');
            return this;
        }

        /** A dict {'w': <the tensor above>}. */
        Pickle dictOfOneTensor(String storageClass, String key, int numel, int offset, int size, int stride) {
            return op('}').str("w").tensor(storageClass, key, numel, offset, size, stride).op('s', '.');
        }

        byte[] bytes() { return out.toByteArray(); }
    }

    /** A zip laid out as torch.save lays it out: archive/data.pkl, archive/data/<key>..., archive/version. */
    private Path checkpoint(byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Path file = Files.createTempFile(dir, "crafted", ".pt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            for (Map.Entry<String, byte[]> s : storages.entrySet()) {
                zip.putNextEntry(new ZipEntry("archive/data/" + s.getKey()));
                zip.write(s.getValue());
            }
            zip.putNextEntry(new ZipEntry("archive/version"));
            zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static byte[] floats(float... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    @Test
    void aCraftedPickleReadsLikeTorchSaves() throws IOException {
        // the helper's own pickle is valid: a view of 2 elements from offset 1, stride 2, of a 5-element storage
        Path file = checkpoint(new Pickle().dictOfOneTensor("FloatStorage", "0", 5, 1, 2, 2).bytes(),
                Map.of("0", floats(10, 11, 12, 13, 14)));
        assertBitEqual(TensorInternals.wrap(new float[] {11, 13}, new int[] {2}), Torch.load(file).get("w"), "w");
    }

    static Stream<Arguments> refusedPickles() {
        return Stream.of(
                Arguments.of("STACK_GLOBAL builtins.exec", new Pickle().str("builtins").str("exec").op(0x93).str("print(1)")
                        .op(0x85, 'R', '.').bytes(), "builtins.exec"),
                Arguments.of("subprocess.Popen", new Pickle().global("subprocess", "Popen").op(')', 'R', '.').bytes(), "subprocess.Popen"),
                Arguments.of("a torch function that is not a tensor rebuild", new Pickle().global("torch", "load").op(')', 'R', '.').bytes(),
                        "torch.load"),
                Arguments.of("parameter with state", new Pickle().global("torch._utils", "_rebuild_parameter_with_state")
                        .op(')', 'R', '.').bytes(), "torch._utils._rebuild_parameter_with_state"),
                Arguments.of("copy_reg reconstructor", new Pickle().global("copy_reg", "_reconstructor").op(')', 'R', '.').bytes(),
                        "copyreg._reconstructor"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedPickles")
    void globalsOutsideStateDictsAreRefused(String name, byte[] pickle, String global) throws IOException {
        Path file = checkpoint(pickle, Map.of());
        UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> Torch.load(file));
        assertEquals(global, e.global());
        assertTrue(e.getMessage().contains("refusing to load the global " + global), e.getMessage());
    }

    static Stream<Arguments> corruptPickles() {
        return Stream.of(
                Arguments.of("a storage class jtorch has no dtype for",
                        new Pickle().dictOfOneTensor("ComplexFloatStorage", "0", 5, 0, 5, 1).bytes(),
                        "unsupported storage type torch.ComplexFloatStorage"),
                Arguments.of("a view reaching past its storage", new Pickle().dictOfOneTensor("FloatStorage", "0", 5, 2, 3, 2).bytes(),
                        "a tensor of size [3], stride [2] at offset 2 reaches element 6 of storage '0', which has 5 elements"),
                Arguments.of("an opcode torch.save never writes (INST)", new Pickle().op('i').bytes(), "unsupported pickle opcode 0x69 ('i')"),
                Arguments.of("calling a storage class", new Pickle().global("torch", "FloatStorage").op(')', 'R', '.').bytes(),
                        "REDUCE of torch.FloatStorage, which is a storage class"),
                Arguments.of("calling a string", new Pickle().str("x").op(')', 'R', '.').bytes(), "REDUCE of the str 'x'"),
                Arguments.of("stack underflow", new Pickle().op('s').bytes(), "stack underflow (at byte 2)"),
                Arguments.of("SETITEMS without MARK", new Pickle().op('}').op('u').bytes(), "no MARK before this opcode"),
                Arguments.of("memo entry never stored", new Pickle().op('h', 7).bytes(), "memo entry 7 was never stored"),
                Arguments.of("no STOP", new Pickle().op('}').bytes(), "data.pkl ends before its STOP opcode (truncated)"),
                Arguments.of("string longer than the pickle", new Pickle().op('X', 0xff, 0xff, 0xff, 0x7f).bytes(),
                        "a length of 2147483647 bytes runs past the end of data.pkl"),
                // torch.load's weights_only reader ignores the protocol number: what follows is read as usual
                Arguments.of("any protocol number, then STOP", new byte[] {(byte) 0x80, 9, '.'}, "STOP with an empty stack (at byte 2)"),
                Arguments.of("nesting deeper than the limit", deepList(2000), "objects nested deeper than 1000 levels"));
    }

    private static byte[] deepList(int depth) {
        Pickle p = new Pickle();
        for (int i = 0; i < depth; i++) p.op(']');
        for (int i = 1; i < depth; i++) p.op('a');
        return p.op('.').bytes();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptPickles")
    void malformedPicklesFailWithAClearMessage(String name, byte[] pickle, String message) throws IOException {
        Path file = checkpoint(pickle, Map.of("0", floats(1, 2, 3, 4, 5)));
        CheckpointException e = assertThrows(CheckpointException.class, () -> PyTorchCheckpoint.loadObject(file));
        assertFalse(e instanceof UnsafePickleException, "not a refusal of code: " + e.getMessage());
        assertTrue(e.getMessage().contains(message), "expected \"" + message + "\" in: " + e.getMessage());
    }

    static Stream<Arguments> hostileKeys() {
        Pickle selfList = new Pickle().op('}').op(']', 'q', 0, 'h', 0, 'a').op('K', 1, 's', '.');
        // the DAGs are built first (left on the stack below the dict, which STOP returns)
        Pickle listDag = new Pickle().op(']', 'q', 0);
        for (int i = 1; i <= 40; i++) listDag.op(']', '(', 'h', i - 1, 'h', i - 1, 'e', 'q', i);
        listDag.op('}', 'h', 40, 'K', 1, 's', '.');
        Pickle tupleDag = new Pickle().op(')', 'q', 0);
        for (int i = 1; i <= 40; i++) tupleDag.op('h', i - 1, 'h', i - 1, 0x86, 'q', i);
        tupleDag.op('}', 'h', 40, 'K', 1, 's', '.');
        Pickle tupleOfListDag = new Pickle().op(']', 'q', 0);
        for (int i = 1; i <= 40; i++) tupleOfListDag.op(']', '(', 'h', i - 1, 'h', i - 1, 'e', 'q', i);
        tupleOfListDag.op('}', 'h', 40, 0x85, 'K', 1, 's', '.');
        Pickle deepTuple = new Pickle().op('}').op(')');
        for (int i = 0; i < 5000; i++) deepTuple.op(0x85);
        deepTuple.op('K', 1, 's', '.');
        return Stream.of(
                Arguments.of("SETITEM with a list key", new Pickle().op('}', ']', 'K', 1, 's', '.').bytes(), "unhashable type: 'list'"),
                Arguments.of("SETITEMS with a list key", new Pickle().op('}', '(', ']', 'K', 1, 'u', '.').bytes(), "unhashable type: 'list'"),
                Arguments.of("SETITEM with a dict key", new Pickle().op('}', '}', 'K', 1, 's', '.').bytes(), "unhashable type: 'dict'"),
                Arguments.of("a self-containing list as a key", selfList.bytes(), "unhashable type: 'list' used as a dict key: [[...]]"),
                Arguments.of("a 41-object list DAG as a key", listDag.bytes(), "unhashable type: 'list'"),
                Arguments.of("a tuple of a 41-object list DAG as a key", tupleOfListDag.bytes(), "unhashable type: 'list'"),
                Arguments.of("a 41-object tuple DAG (2^40 paths) as a key", tupleDag.bytes(),
                        "a dict key made of more than 10000 objects or nested deeper than 100 levels"),
                Arguments.of("a tuple nested 5000 deep as a key", deepTuple.bytes(),
                        "a dict key made of more than 10000 objects or nested deeper than 100 levels"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileKeys")
    void unhashableAndUnboundedKeysAreRefusedQuicklyWithAShortMessage(String name, byte[] pickle, String message) throws IOException {
        Path file = checkpoint(pickle, Map.of());
        CheckpointException e = assertThrows(CheckpointException.class, () -> PyTorchCheckpoint.loadObject(file));
        assertTrue(e.getMessage().contains(message), "expected \"" + message + "\" in: " + e.getMessage());
        assertTrue(e.getMessage().length() < 1000, "a message of " + e.getMessage().length() + " characters");
    }

    @Test
    void aLongStringIsQuotedShortInMessages() throws IOException {
        String huge = "x".repeat(1_000_000);
        Path file = checkpoint(new Pickle().str(huge).op(')', 'R', '.').bytes(), Map.of());
        CheckpointException e = assertThrows(CheckpointException.class, () -> PyTorchCheckpoint.loadObject(file));
        assertTrue(e.getMessage().contains("REDUCE of the str 'xxxx"), e.getMessage().substring(0, 300));
        assertTrue(e.getMessage().contains("... (1000000 characters)"), e.getMessage().substring(0, 300));
        assertTrue(e.getMessage().length() < 1000, "a message of " + e.getMessage().length() + " characters");
    }

    @Test
    void aCheckpointWithBytesAppendedLoadsAsInPyTorch() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.path("linear.pt"));
        // (from a few KiB on it depends on where miniz's backward search windows fall: the corpus has such cases)
        for (int extra : new int[] {1, 100, 3000}) {
            Path file = dir.resolve("trailing" + extra + ".pt");
            Files.write(file, Arrays.copyOf(bytes, bytes.length + extra));
            assertSameTensors(Fixtures.expected("linear.pt"), Torch.load(file), extra + " bytes appended");
        }
        // past 64 KiB torch.load no longer finds the end record, and neither does jtorch
        Path far = dir.resolve("far.pt");
        Files.write(far, Arrays.copyOf(bytes, bytes.length + 70_000));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Torch.load(far));
        assertTrue(e.getMessage().contains("no zip end record in the last 64 KiB"), e.getMessage());
    }

    @Test
    void storageRecordsMustExistAndHaveTheRightSize() throws IOException {
        byte[] pickle = new Pickle().dictOfOneTensor("FloatStorage", "0", 5, 0, 5, 1).bytes();
        CheckpointException missing = assertThrows(CheckpointException.class, () -> Torch.load(checkpoint(pickle, Map.of())));
        assertTrue(missing.getMessage().contains("the record archive/data/0 of storage '0' is missing"), missing.getMessage());
        CheckpointException wrongSize = assertThrows(CheckpointException.class,
                () -> Torch.load(checkpoint(pickle, Map.of("0", floats(1, 2, 3)))));
        assertTrue(wrongSize.getMessage().contains(
                "the record archive/data/0 holds 12 bytes, but storage '0' (torch.FloatStorage of 5 elements) needs 20"),
                wrongSize.getMessage());
    }

    // ------------------------------------------------------------------ corrupt archives

    @Test
    void everyTruncationOfACheckpointFailsWithACheckpointException() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.path("linear.pt"));
        Path cut = dir.resolve("cut.pt");
        for (int length = 0; length < bytes.length; length++) {
            Files.write(cut, Arrays.copyOf(bytes, length));
            int at = length;
            CheckpointException e = assertThrows(CheckpointException.class, () -> Torch.load(cut), () -> "cut at " + at);
            assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
        }
    }

    @Test
    void everySingleByteCorruptionFailsClearlyOrLoadsTheSameValues() throws IOException {
        Path good = Fixtures.path("linear.pt");
        byte[] bytes = Files.readAllBytes(good);
        Map<String, Tensor> expected = Fixtures.expected("linear.pt");
        // where the records' contents (the pickle and the storages) sit in the file
        boolean[] content = new boolean[bytes.length];
        try (ZipFile zip = new ZipFile(good.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                byte[] data = zip.getInputStream(entry).readAllBytes();
                int at = indexOf(bytes, data);
                assertTrue(at > 0, entry.getName());
                Arrays.fill(content, at, at + data.length, true);
            }
        }
        Path bad = dir.resolve("bad.pt");
        for (int i = 0; i < bytes.length; i++) {
            byte[] copy = bytes.clone();
            copy[i] ^= 0x5a;
            Files.write(bad, copy);
            Map<String, Tensor> loaded;
            try {
                loaded = Torch.load(bad);
            } catch (CheckpointException e) {
                assertTrue(e.getMessage().startsWith(bad + ": "), e.getMessage());
                continue;
            }
            assertFalse(content[i], "a corrupted byte " + i + " inside a record's content must be detected (CRC)");
            // bytes the zip reader does not use (timestamps, the local headers' copies) change nothing
            assertSameTensors(expected, loaded, "byte " + i);
        }
    }

    @Test
    void aFlippedByteInAStorageIsCaughtByItsCrc() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.path("linear.pt"));
        // the first weight's little-endian bytes (bb8da3e8 in expected.txt)
        int at = indexOf(bytes, new byte[] {(byte) 0xe8, (byte) 0xa3, (byte) 0x8d, (byte) 0xbb});
        assertTrue(at > 0);
        bytes[at + 1] ^= 0x01;
        Path bad = dir.resolve("bad.pt");
        Files.write(bad, bytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Torch.load(bad));
        assertTrue(e.getMessage().contains("record linear/data/0 is corrupt (CRC-32"), e.getMessage());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void zipsThatAreNotTorchCheckpointsAreNamedAsSuch() throws IOException {
        Path plain = dir.resolve("plain.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(plain))) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write('x');
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> Torch.load(plain));
        assertTrue(e.getMessage().contains("first record 'readme.txt' is not in a directory"), e.getMessage());

        Path script = dir.resolve("script.pt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(script))) {
            for (String name : new String[] {"m/data.pkl", "m/constants.pkl", "m/code/__torch__.py"}) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write('.');
            }
        }
        e = assertThrows(CheckpointException.class, () -> Torch.load(script));
        assertTrue(e.getMessage().contains("a TorchScript archive (torch.jit.save)"), e.getMessage());
    }

    // ------------------------------------------------------------------ writing and format detection

    @Test
    void javaWrittenCheckpointsRoundTripInOrderAndLookLikeTorchSaves() throws IOException {
        Map<String, Tensor> saved = new LinkedHashMap<>(SafetensorsTest.everyDtype());
        saved.put("big_int", TensorInternals.wrap(new long[] {1L << 35}, new int[] {1}));
        Path file = dir.resolve("from_java.pt");
        PyTorchCheckpoint.save(saved, file);
        Map<String, Tensor> loaded = Torch.load(file);
        assertEquals(new ArrayList<>(saved.keySet()), new ArrayList<>(loaded.keySet()));
        for (String k : saved.keySet()) assertBitEqual(saved.get(k), loaded.get(k), k);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertEquals("from_java/data.pkl", zip.entries().nextElement().getName());
            assertEquals("3\n", new String(zip.getInputStream(zip.getEntry("from_java/version")).readAllBytes(), StandardCharsets.US_ASCII));
            assertEquals(saved.size(), zip.stream().filter(e -> e.getName().startsWith("from_java/data/")).count());
            assertTrue(zip.stream().allMatch(e -> e.getMethod() == ZipEntry.STORED), "uncompressed, as torch.save");
        }
    }

    /** The objects of list.pt and nested.pt (tools/gen_checkpoint_fixtures.py), built in Java. */
    private static List<Object> listObject() {
        List<Object> inner = new ArrayList<>();
        inner.add(TensorInternals.wrap(new boolean[] {true, false}, new int[] {2}));
        List<Object> l = new ArrayList<>();
        l.add(TensorInternals.wrap(new float[] {1.0f, -2.5f}, new int[] {2}));
        l.add(3L);
        l.add("x");
        l.add(inner);
        l.add(null);
        return l;
    }

    private static Map<String, Object> nestedObject() {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("w", TensorInternals.wrap(new float[] {0, 1, 2, 3, 4, 5}, new int[] {2, 3}));
        model.put("b", TensorInternals.wrap(new float[] {0.5f}, new int[] {1}));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("epoch", 3L);
        m.put("lr", 0.1);
        m.put("history", List.of(1.5, 2.25));
        m.put("name", "run-\u00e9");
        m.put("done", true);
        m.put("note", null);
        m.put("steps", Map.of("0", TensorInternals.wrap(new long[] {7, -8}, new int[] {2})));
        return m;
    }

    @Test
    void torchSaveWritesListsAndNestedMapsAsPyTorchDoesAndReadsPythonsBack() throws IOException {
        Map<String, Object> expectedObjects = Map.of("list.pt", listObject(), "nested.pt", nestedObject());
        for (Map.Entry<String, Object> e : expectedObjects.entrySet()) {
            Object python = Torch.loadObject(Fixtures.path(e.getKey()));
            Path file = dir.resolve("java_" + e.getKey());
            Torch.save(e.getValue(), file);
            assertEquals(Checkpoints.Format.PYTORCH_ZIP, Checkpoints.detect(file), e.getKey());
            Object java = Torch.loadObject(file);
            assertEquals(MutantCorpus.canon(python, 0), MutantCorpus.canon(java, 0), e.getKey() + ": what loads from Java's file");
        }
        Map<?, ?> nested = (Map<?, ?>) Torch.loadObject(Fixtures.path("nested.pt"));
        assertEquals(List.of("model", "epoch", "lr", "history", "name", "done", "note", "steps"), new ArrayList<>(nested.keySet()));
        assertBitEqual(Fixtures.expected("nested.pt").get("model.w"), (Tensor) ((Map<?, ?>) nested.get("model")).get("w"), "model.w");
    }

    @Test
    void torchSaveOfOneTensorUsesTheZipFormatAndOfAStateDictSafetensors() throws IOException {
        Tensor t = TensorInternals.wrap(new double[] {1, 2, 3, 4}, new int[] {2, 2}).t();   // a view: saved contiguous
        Path one = dir.resolve("one.pt");
        Torch.save((Object) t, one);
        assertEquals(Checkpoints.Format.PYTORCH_ZIP, Checkpoints.detect(one));
        assertBitEqual(t.contiguous(), (Tensor) Torch.loadObject(one), "one tensor");
        Path sd = dir.resolve("sd.bin");
        Torch.save((Object) Map.of("w", t), sd);
        assertEquals(Checkpoints.Format.SAFETENSORS, Checkpoints.detect(sd));
    }

    @Test
    void torchSaveRefusesWhatACheckpointCannotHold() {
        List<Object> selfContaining = new ArrayList<>();
        selfContaining.add(selfContaining);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Torch.save(selfContaining, dir.resolve("a.pt")));
        assertEquals("Torch.save: the object[0] contains itself", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Torch.save(Map.of("when", new java.util.Date(0)), dir.resolve("b.pt")));
        assertEquals("Torch.save: the object['when'] is a java.util.Date; a checkpoint holds tensors, maps, lists, strings, numbers,"
                + " booleans and null", e.getMessage());
        assertFalse(Files.exists(dir.resolve("a.pt")) || Files.exists(dir.resolve("b.pt")), "nothing written");
    }

    @Test
    void theFormatIsRecognisedByContentNotByName() throws IOException {
        Path safetensorsNamedPt = dir.resolve("model.pt");
        Files.copy(Fixtures.path("python_written.safetensors"), safetensorsNamedPt);
        assertEquals(Checkpoints.Format.SAFETENSORS, Checkpoints.detect(safetensorsNamedPt));
        assertSameTensors(Fixtures.expected("python_written.safetensors"), Torch.load(safetensorsNamedPt), "renamed safetensors");

        Path ptNamedSafetensors = dir.resolve("model.safetensors");
        Files.copy(Fixtures.path("linear.pt"), ptNamedSafetensors);
        assertEquals(Checkpoints.Format.PYTORCH_ZIP, Checkpoints.detect(ptNamedSafetensors));
        assertSameTensors(Fixtures.expected("linear.pt"), Torch.load(ptNamedSafetensors), "renamed .pt");

        Path text = dir.resolve("notes.pt");
        Files.writeString(text, "hello, this is not a checkpoint");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Torch.load(text));
        assertTrue(e.getMessage().contains("not a checkpoint: neither safetensors (an 8-byte header length, then '{') nor a PyTorch"
                + " zip archive (starting with \"PK\"); the file starts with 68 65 6c 6c 6f 2c 20 74"), e.getMessage());

        Path empty = dir.resolve("empty.pt");
        Files.write(empty, new byte[0]);
        e = assertThrows(CheckpointException.class, () -> Torch.load(empty));
        assertTrue(e.getMessage().contains("the file has only 0 bytes"), e.getMessage());
    }

    @Test
    void aMissingFileIsReportedAsSuch() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Torch.load(dir.resolve("nope.pt")));
    }

    @Test
    void parametersLoadAsTheirValues() throws IOException {
        Tensor p = Torch.load(Fixtures.path("parameter.pt")).get("p");
        assertEquals(DType.FLOAT32, p.dtype());
        assertFalse(p.requiresGrad());
    }
}
