package jtorch.serialization;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import jtorch.Tensor;

/**
 * Reads checkpoints in either format, recognised by their content (never by the file name), and
 * writes state dicts as safetensors and other objects in PyTorch's zip format.
 * {@link jtorch.Torch#save} and {@link jtorch.Torch#load} call these.
 *
 * <pre>{@code
 * Checkpoints.save(model.stateDict(), Path.of("model.safetensors"));
 * Map<String, Tensor> sd = Checkpoints.load(Path.of("model.pt"));        // made by Python's torch.save
 * Checkpoints.Format f = Checkpoints.detect(Path.of("model.bin"));         // SAFETENSORS or PYTORCH_ZIP
 * }</pre>
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** The checkpoint formats jtorch reads. */
    public enum Format {
        /** 8-byte little-endian header length, JSON header, raw data ({@link Safetensors}). */
        SAFETENSORS,
        /** Python's {@code torch.save}: a zip of {@code data.pkl} and storages ({@link PyTorchCheckpoint}). */
        PYTORCH_ZIP
    }

    /** Writes {@code stateDict} as safetensors, atomically (see {@link Safetensors#save(Map, Map, Path)}). */
    public static void save(Map<String, ? extends Tensor> stateDict, Path path) throws IOException {
        Safetensors.save(stateDict, path);
    }

    /**
     * Writes any checkpoint object: a map from names to tensors as safetensors (as
     * {@link #save(Map, Path)}), anything else safetensors cannot hold (a single tensor, a list,
     * nested maps with numbers and strings) in PyTorch's zip format
     * ({@link PyTorchCheckpoint#saveObject}), readable by Python's {@code torch.load}.
     */
    public static void save(Object obj, Path path) throws IOException {
        if (obj instanceof Map && isStateDict((Map<?, ?>) obj)) {
            @SuppressWarnings("unchecked")
            Map<String, ? extends Tensor> stateDict = (Map<String, ? extends Tensor>) obj;
            Safetensors.save(stateDict, path);
        } else {
            PyTorchCheckpoint.saveObject(obj, path);
        }
    }

    private static boolean isStateDict(Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet())
            if (!(e.getKey() instanceof String) || !(e.getValue() instanceof Tensor)) return false;
        return true;
    }

    /** Reads any checkpoint object: a safetensors file as a map of tensors, a PyTorch zip checkpoint as {@link PyTorchCheckpoint#loadObject}. */
    public static Object loadObject(Path path) throws IOException {
        return detect(path) == Format.SAFETENSORS ? Safetensors.load(path) : PyTorchCheckpoint.loadObject(path);
    }

    /**
     * Reads a dict of tensors from a safetensors file (in the file's data order) or a PyTorch zip
     * checkpoint (in the saved order).
     *
     * @throws CheckpointException if the file is neither, is truncated or corrupt, or is refused
     */
    public static Map<String, Tensor> load(Path path) throws IOException {
        return detect(path) == Format.SAFETENSORS ? Safetensors.load(path) : PyTorchCheckpoint.load(path);
    }

    /**
     * The format of a file from its first bytes: a zip archive's {@code PK} signature, or a
     * safetensors header (a length, then <code>'{'</code>).
     *
     * @throws CheckpointException if it is neither (PyTorch's legacy format is named as such)
     */
    public static Format detect(Path path) throws IOException {
        byte[] start = PyTorchCheckpoint.readStart(path, 16);
        if (PyTorchCheckpoint.isZip(start)) return Format.PYTORCH_ZIP;
        if (start.length >= 9 && start[8] == '{') return Format.SAFETENSORS;
        if (PyTorchCheckpoint.isLegacy(start))
            throw new CheckpointException(path, "PyTorch's legacy (pre-1.6, not zip) checkpoint format is not supported;"
                    + " re-save it with torch.save(obj, path) from PyTorch 1.6 or later, or as safetensors");
        if (start.length < 9)
            throw new CheckpointException(path, "not a checkpoint: the file has only " + start.length
                    + " bytes (truncated?)");
        throw new CheckpointException(path, "not a checkpoint: neither safetensors (an 8-byte header length, then '{')"
                + " nor a PyTorch zip archive (starting with \"PK\"); the file starts with " + PyTorchCheckpoint.hex(start));
    }
}
