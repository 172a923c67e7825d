package jtorch.serialization;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jtorch.Tensor;

/**
 * The mutation corpus of {@code tools/gen_checkpoint_mutants.py}: mutants of the checkpoint
 * fixtures, rebuilt from the edits in {@code mutants.txt}, with what PyTorch 1.13's
 * {@code torch.load(weights_only=True)} did with each (the script's docstring has the format),
 * and the same canonical digest of a loaded object as the script computes.
 */
final class MutantCorpus {
    private MutantCorpus() {}

    /** One mutant: its bytes and PyTorch's outcome ("load", "raise", "refuse" or "opcode") with its detail. */
    static final class Mutant {
        final int id;
        final String name, outcome, detail;
        final byte[] bytes;

        Mutant(int id, String name, String outcome, String detail, byte[] bytes) {
            this.id = id;
            this.name = name;
            this.outcome = outcome;
            this.detail = detail;
            this.bytes = bytes;
        }

        @Override public String toString() { return "#" + id + " " + name + " (PyTorch: " + outcome + " " + detail + ")"; }
    }

    private static List<Mutant> all;

    static synchronized List<Mutant> all() throws IOException {
        if (all != null) return all;
        List<Mutant> out = new ArrayList<>();
        Map<String, byte[]> bases = new HashMap<>();
        try (InputStream in = MutantCorpus.class.getResourceAsStream("/jtorch/serialization/mutants.txt")) {
            assertNotNull(in, "missing mutants.txt (run tools/gen_checkpoint_mutants.py)");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                int id = Integer.parseInt(f[0]);
                byte[] base = f[1].startsWith("#") ? out.get(Integer.parseInt(f[1].substring(1))).bytes
                        : bases.computeIfAbsent(f[1], MutantCorpus::fixture);
                if (out.size() != id) throw new IllegalStateException("mutants.txt: ids out of order at " + id);
                out.add(new Mutant(id, f[5], f[3], f[4], apply(base, f[2])));
            }
        }
        all = out;
        return out;
    }

    private static byte[] fixture(String name) {
        try {
            return Files.readAllBytes(Fixtures.path(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The splices "offset:deleted:inserted" (hex, or z<count> zero bytes), offsets into the base. */
    static byte[] apply(byte[] base, String edits) {
        if (edits.isEmpty()) return base.clone();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        for (String e : edits.split(",")) {
            String[] f = e.split(":", 3);
            int offset = Integer.parseInt(f[0]), deleted = Integer.parseInt(f[1]);
            out.write(base, pos, offset - pos);
            if (f[2].startsWith("z")) out.writeBytes(new byte[Integer.parseInt(f[2].substring(1))]);
            else out.writeBytes(HexFormat.of().parseHex(f[2]));
            pos = offset + deleted;
        }
        out.write(base, pos, base.length - pos);
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ loading with bounds

    /** What jtorch did with a file: the digest of what it loaded, or the CheckpointException. */
    static final class Result {
        final String digest;
        final CheckpointException refusal;

        Result(String digest, CheckpointException refusal) {
            this.digest = digest;
            this.refusal = refusal;
        }

        @Override public String toString() { return refusal != null ? "CheckpointException: " + refusal.problem() : "load " + digest; }
    }

    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "checkpoint-fuzz");
        t.setDaemon(true);
        return t;
    });

    /**
     * Loads {@code file} in another thread within {@code seconds}; any outcome other than a value
     * or a {@link CheckpointException} (another exception, an error, a timeout) fails with an
     * AssertionError naming it.
     */
    static Result load(Path file, boolean verifyCrc, int seconds) {
        Future<Result> f = EXECUTOR.submit(() -> {
            try {
                return new Result(digest(PyTorchCheckpoint.loadObject(file, verifyCrc)), null);
            } catch (CheckpointException e) {
                return new Result(null, e);
            }
        });
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError(file + ": no answer within " + seconds + " s");
        } catch (ExecutionException e) {
            throw new AssertionError(file + ": threw " + e.getCause() + " instead of a CheckpointException", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------ the canonical digest

    static String digest(Object v) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(canon(v, 0).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String canon(Object v, int depth) {
        if (depth > 100) throw new IllegalStateException("nested deeper than the corpus digests");
        if (v == null) return "N";
        if (v instanceof Boolean) return (Boolean) v ? "T" : "F";
        if (v instanceof Long || v instanceof BigInteger) return "i" + v;
        if (v instanceof Double) return "f" + String.format("%016x", Double.doubleToRawLongBits((Double) v));
        if (v instanceof String) return "s" + HexFormat.of().formatHex(((String) v).getBytes(StandardCharsets.UTF_8));
        if (v instanceof Tensor) {
            Tensor t = (Tensor) v;
            StringBuilder b = new StringBuilder("t").append(t.dtype().name()).append('[');
            long[] shape = t.shape().toArray();
            for (int i = 0; i < shape.length; i++) b.append(i == 0 ? "" : ",").append(shape[i]);
            b.append(']');
            long[] bits = Fixtures.bits(t);
            for (int i = 0; i < bits.length; i++) {
                if (i > 0) b.append(',');
                switch (t.dtype()) {
                    case FLOAT32: b.append(String.format("%08x", bits[i] & 0xffffffffL)); break;
                    case FLOAT64: b.append(String.format("%016x", bits[i])); break;
                    default: b.append(bits[i]); break;
                }
            }
            return b.toString();
        }
        StringBuilder b = new StringBuilder();
        if (v instanceof Map) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                b.append(first ? "" : ",").append(canon(e.getKey(), depth + 1)).append(':').append(canon(e.getValue(), depth + 1));
                first = false;
            }
            return b.append('}').toString();
        }
        if (v instanceof List) {
            boolean tuple = v instanceof PickleTuple;
            b.append(tuple ? '(' : '[');
            boolean first = true;
            for (Object item : (List<?>) v) {
                b.append(first ? "" : ",").append(canon(item, depth + 1));
                first = false;
            }
            return b.append(tuple ? ')' : ']').toString();
        }
        throw new IllegalStateException("no canonical form for " + v.getClass());
    }
}
