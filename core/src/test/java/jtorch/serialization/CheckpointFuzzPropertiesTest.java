package jtorch.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * The checkpoint fuzz suite: generated hostile files, each loaded in its own thread within a time
 * bound, must give a value or a {@link CheckpointException}, never another exception, an error
 * (StackOverflowError, OutOfMemoryError) or a hang; where the mutant is one of the committed
 * corpus (tools/gen_checkpoint_mutants.py), the value must be the one PyTorch 1.13 loaded. The
 * readers check every declared size against the file before allocating, so no case can allocate
 * much more than its file (deflated records: their 1032x bound). jqwik prints per property how
 * many cases ran and the mix of outcomes.
 */
class CheckpointFuzzPropertiesTest {
    private static final int SECONDS = 20;
    private static final List<String> PT_BASES = List.of("linear.pt", "dtypes.pt", "views.pt", "parameter.pt", "bare_tensor.pt",
            "optimizer_sgd.pt", "optimizer_adam.pt", "list.pt", "nested.pt");

    private Path dir;
    private static Map<ByteBuffer, MutantCorpus.Mutant> corpusByBytes;

    @BeforeProperty
    void createDir() throws IOException {
        dir = Files.createTempDirectory("jtorch-ckpt-fuzz");
        synchronized (CheckpointFuzzPropertiesTest.class) {
            if (corpusByBytes == null) {
                Map<ByteBuffer, MutantCorpus.Mutant> m = new HashMap<>();
                for (MutantCorpus.Mutant x : MutantCorpus.all()) m.putIfAbsent(ByteBuffer.wrap(x.bytes), x);
                corpusByBytes = m;
            }
        }
    }

    @AfterProperty
    void deleteDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }

    // ------------------------------------------------------------------ mutated torch.save files

    @Property(seed = Props.SEED, tries = 400)
    void mutatedTorchSaveFilesLoadWhatPyTorchLoadsOrFailWithACheckpointException(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        byte[] bytes = Files.readAllBytes(Fixtures.path(PT_BASES.get(r.nextInt(PT_BASES.size()))));
        int mutations = r.nextInt(4);
        for (int i = 0; i < mutations; i++) bytes = mutate(bytes, r);
        Path file = dir.resolve("fuzz.pt");
        Files.write(file, bytes);
        MutantCorpus.Result result = MutantCorpus.load(file, r.nextBoolean(), SECONDS);
        MutantCorpus.Mutant known = corpusByBytes.get(ByteBuffer.wrap(bytes));
        if (known != null && known.outcome.equals("load") && result.refusal == null)
            assertEquals(known.detail, result.digest, "the values PyTorch loaded from " + known);
        if (known != null && (known.outcome.equals("raise") || known.outcome.equals("refuse")))
            assertNotNull(result.refusal, "PyTorch refuses " + known);
        Statistics.collect(known != null ? "in the corpus" : "new", result.refusal == null ? "loads" : "CheckpointException");
    }

    /** One random edit: flips, overwrites with edge values, deletions, insertions, truncation, duplication. */
    static byte[] mutate(byte[] b, Random r) {
        if (b.length == 0) return new byte[] {(byte) r.nextInt(256)};
        int at = r.nextInt(b.length);
        switch (r.nextInt(8)) {
            case 0: {
                byte[] c = b.clone();
                c[at] ^= (byte) (1 + r.nextInt(255));
                return c;
            }
            case 1: {   // a 16- or 32-bit field set to 0 or all ones (sizes, counts, offsets)
                byte[] c = b.clone();
                byte v = r.nextBoolean() ? (byte) 0xff : 0;
                for (int i = at; i < Math.min(c.length, at + (r.nextBoolean() ? 2 : 4)); i++) c[i] = v;
                return c;
            }
            case 2: {
                int n = 1 + r.nextInt(Math.min(16, b.length - at));
                byte[] c = new byte[b.length - n];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + n, c, at, b.length - at - n);
                return c;
            }
            case 3: {
                byte[] ins = new byte[1 + r.nextInt(16)];
                r.nextBytes(ins);
                return splice(b, at, ins);
            }
            case 4: return Arrays.copyOf(b, at);
            case 5: {   // bytes appended (junk after the zip)
                byte[] extra = new byte[1 + r.nextInt(r.nextBoolean() ? 64 : 8000)];
                if (r.nextBoolean()) r.nextBytes(extra);
                return splice(b, b.length, extra);
            }
            case 6: {   // a range repeated (duplicated records or pickle opcodes)
                int n = 1 + r.nextInt(Math.min(200, b.length - at));
                return splice(b, at, Arrays.copyOfRange(b, at, at + n));
            }
            default: {  // a byte replaced by a pickle opcode
                byte[] c = b.clone();
                byte[] ops = "()}]NKMJX.qhRtsuaeQGcbld".getBytes(StandardCharsets.US_ASCII);
                c[at] = ops[r.nextInt(ops.length)];
                return c;
            }
        }
    }

    private static byte[] splice(byte[] b, int at, byte[] ins) {
        byte[] c = new byte[b.length + ins.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(ins, 0, c, at, ins.length);
        System.arraycopy(b, at, c, at + ins.length, b.length - at);
        return c;
    }

    // ------------------------------------------------------------------ random pickles

    @Property(seed = Props.SEED, tries = 400)
    void randomPicklesInAValidArchiveGiveAValueOrACheckpointException(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        PyTorchCheckpointTest.Pickle p = new PyTorchCheckpointTest.Pickle();
        int n = 1 + r.nextInt(80);
        for (int i = 0; i < n; i++) randomOp(p, r);
        if (r.nextInt(4) != 0) p.op('.');
        Path file = dir.resolve("pickle.pt");
        float[] values = new float[20];
        for (int i = 0; i < values.length; i++) values[i] = i;
        ByteBuffer storage = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) storage.putFloat(v);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(p.bytes());
            zip.putNextEntry(new ZipEntry("archive/data/0"));
            zip.write(storage.array());
            zip.putNextEntry(new ZipEntry("archive/version"));
            zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
        }
        MutantCorpus.Result result = MutantCorpus.load(file, true, SECONDS);
        Statistics.collect(result.refusal == null ? "loads" : result.refusal instanceof UnsafePickleException ? "unsafe global refused"
                : "CheckpointException");
    }

    private static void randomOp(PyTorchCheckpointTest.Pickle p, Random r) {
        switch (r.nextInt(30)) {
            case 0: p.op('('); break;
            case 1: p.op(')'); break;
            case 2: p.op('}'); break;
            case 3: p.op(']'); break;
            case 4: p.op('N'); break;
            case 5: p.op(0x88 + r.nextInt(2)); break;
            case 6: p.op('K', r.nextInt(256)); break;
            case 7: p.intValue(r.nextInt(41) - 20); break;
            case 8: p.str(r.nextBoolean() ? "w" : "storage"); break;
            case 9: p.op('q', r.nextInt(8)); break;
            case 10: p.op('h', r.nextInt(8)); break;
            case 11: p.op(0x94); break;
            case 12: p.op('t'); break;
            case 13: p.op(0x85 + r.nextInt(3)); break;
            case 14: p.op('s'); break;
            case 15: p.op('u'); break;
            case 16: p.op('a'); break;
            case 17: p.op('e'); break;
            case 18: p.op('R'); break;
            case 19: p.op('b'); break;
            case 20: p.op('Q'); break;
            case 21: p.op('l'); break;
            case 22: p.op('d'); break;
            case 23: p.global("collections", "OrderedDict"); break;
            case 24: p.global("torch._utils", r.nextBoolean() ? "_rebuild_tensor_v2" : "_rebuild_parameter"); break;
            case 25: p.global("torch", r.nextBoolean() ? "FloatStorage" : "LongStorage"); break;
            case 26: p.tensor("FloatStorage", "0", 20, r.nextInt(22), r.nextInt(25), r.nextInt(3)); break;
            case 27: p.op('G').op(new int[] {0x3f, 0xf0, 0, 0, 0, 0, 0, 0}); break;
            case 28: p.op(0x8a, 3, r.nextInt(256), r.nextInt(256), r.nextInt(256)); break;
            default: p.global(r.nextBoolean() ? "posix" : "builtins", r.nextBoolean() ? "system" : "eval"); break;
        }
    }

    // ------------------------------------------------------------------ mutated safetensors

    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "safetensors-fuzz");
        t.setDaemon(true);
        return t;
    });

    @Property(seed = Props.SEED, tries = 400)
    void mutatedSafetensorsFilesGiveConsistentTensorsOrACheckpointException(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        byte[] bytes;
        if (r.nextBoolean()) {
            bytes = Files.readAllBytes(Fixtures.path("python_written.safetensors"));
        } else {
            Path base = dir.resolve("base.safetensors");
            Torch.save(SafetensorsTest.everyDtype(), base);
            bytes = Files.readAllBytes(base);
        }
        int headerEnd = 8 + (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();   // of the valid base
        int mutations = 1 + r.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            if (r.nextInt(3) == 0 && bytes.length >= headerEnd) {   // inside the JSON header: digits, quotes, brackets
                byte[] c = bytes.clone();
                byte[] chars = "0123456789\"{}[],:-e. ".getBytes(StandardCharsets.US_ASCII);
                c[8 + r.nextInt(Math.max(1, headerEnd - 8))] = chars[r.nextInt(chars.length)];
                bytes = c;
            } else {
                bytes = mutate(bytes, r);
            }
        }
        Path file = dir.resolve("fuzz.safetensors");
        Files.write(file, bytes);
        Future<Map<String, Tensor>> f = EXECUTOR.submit(() -> {
            try {
                return Checkpoints.load(file);
            } catch (CheckpointException e) {
                return null;
            }
        });
        Map<String, Tensor> loaded;
        try {
            loaded = f.get(SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("no answer within " + SECONDS + " s");
        } catch (ExecutionException e) {
            throw new AssertionError("threw " + e.getCause() + " instead of a CheckpointException", e.getCause());
        }
        if (loaded != null) {
            long total = 0;
            for (Tensor t : loaded.values()) {
                total += t.numel();
                assertEquals(t.numel(), t.contiguous().numel());
            }
            assertTrue(total <= bytes.length, "no more elements than the file has bytes");
        }
        Statistics.collect(loaded != null ? "loads" : "CheckpointException");
    }
}
