package jtorch.utils.data;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;

/**
 * The collate step of {@link DataLoader}: turns the list of samples of one batch into one batch.
 * {@link #defaultCollate(List)} is {@code torch.utils.data.default_collate} for samples built from
 * tensors: tensors are stacked along a new first dimension, and lists, arrays, maps and records of
 * them are collated field by field, keeping the sample's structure. A batch therefore has the
 * same type as a sample.
 *
 * <pre>{@code
 * List<Tensor> batch = Collate.defaultCollate(List.of(
 *         List.of(x0, y0), List.of(x1, y1)));   // [stack(x0, x1), stack(y0, y1)]
 * }</pre>
 */
public final class Collate {
    private Collate() {}

    /**
     * Collates samples the way {@code default_collate} does for tensors: a {@link Tensor} becomes
     * {@code torch.stack(samples)}; a {@link List} (unmodifiable result), {@code Tensor[]},
     * {@link Map} (keys in the first sample's order) or record is collated per field. Scalar
     * labels should be 0-dim tensors ({@code tensor(3L)}), which stack into an int64 vector.
     *
     * <p>Tensors of one dtype that do not require grad are copied straight into the batch's
     * primitive array; anything else goes through {@link Torch#stack(List)}, which promotes
     * dtypes, records autograd history and reports unequal shapes as PyTorch does.
     *
     * @throws IllegalArgumentException for an empty batch, samples of different structure, or a
     *     field type this collate does not know (pass your own collate function to
     *     {@link DataLoader} for those)
     */
    @SuppressWarnings("unchecked")
    public static <T> T defaultCollate(List<T> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("default collate: a batch needs at least one sample");
        }
        return (T) collate(samples, "sample");
    }

    private static Object collate(List<?> samples, String path) {
        Object first = samples.get(0);
        if (first instanceof Tensor) {
            return stack(samples, path);
        }
        if (first instanceof Tensor[]) {
            int fields = ((Tensor[]) first).length;
            Tensor[] out = new Tensor[fields];
            for (int f = 0; f < fields; f++) {
                List<Object> column = new ArrayList<>(samples.size());
                for (int i = 0; i < samples.size(); i++) column.add(field(samples, i, path, Tensor[].class, fields)[f]);
                out[f] = (Tensor) collate(column, path + "[" + f + "]");
            }
            return out;
        }
        if (first instanceof List) {
            int fields = ((List<?>) first).size();
            Object[] out = new Object[fields];
            for (int f = 0; f < fields; f++) {
                List<Object> column = new ArrayList<>(samples.size());
                for (int i = 0; i < samples.size(); i++) column.add(field(samples, i, path, List.class, fields).get(f));
                out[f] = collate(column, path + "[" + f + "]");
            }
            return List.of(out);
        }
        if (first instanceof Map) {
            Map<?, ?> keys = (Map<?, ?>) first;
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object key : keys.keySet()) {
                List<Object> column = new ArrayList<>(samples.size());
                for (int i = 0; i < samples.size(); i++) {
                    Map<?, ?> m = field(samples, i, path, Map.class, keys.size());
                    if (!m.containsKey(key)) {
                        throw new IllegalArgumentException("default collate: " + path + " " + i + " has no key " + key
                                + " (sample 0 has " + keys.keySet() + ")");
                    }
                    column.add(m.get(key));
                }
                out.put(key, collate(column, path + "[" + key + "]"));
            }
            return out;
        }
        if (first != null && first.getClass().isRecord()) {
            return collateRecords(samples, path, first.getClass());
        }
        throw new IllegalArgumentException("default collate: " + path + " 0 is "
                + (first == null ? "null" : "a " + first.getClass().getName())
                + "; it collates Tensors and Lists, Tensor[] arrays, Maps and records of them."
                + " Return 0-dim tensors for scalar labels (tensor(3L)) or pass a collate function to DataLoader");
    }

    /** Sample {@code i} as {@code type}, checking it has the same number of fields as sample 0. */
    @SuppressWarnings("unchecked")
    private static <S> S field(List<?> samples, int i, String path, Class<S> type, int fields) {
        Object s = samples.get(i);
        if (!type.isInstance(s)) {
            throw new IllegalArgumentException("default collate: " + path + " 0 is a " + type.getSimpleName() + " but " + path + " " + i
                    + " is " + (s == null ? "null" : "a " + s.getClass().getName()));
        }
        int n = s instanceof Tensor[] ? ((Tensor[]) s).length : s instanceof List ? ((List<?>) s).size() : ((Map<?, ?>) s).size();
        if (n != fields) {
            throw new IllegalArgumentException("default collate: each element in the batch should be of equal size, but " + path + " 0 has "
                    + fields + " fields and " + path + " " + i + " has " + n);
        }
        return (S) s;
    }

    private static Object collateRecords(List<?> samples, String path, Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] fields = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int c = 0; c < components.length; c++) {
                types[c] = components[c].getType();
                var accessor = components[c].getAccessor();
                accessor.setAccessible(true);
                List<Object> column = new ArrayList<>(samples.size());
                for (int i = 0; i < samples.size(); i++) {
                    Object s = samples.get(i);
                    if (s == null || s.getClass() != type) {
                        throw new IllegalArgumentException("default collate: " + path + " 0 is a " + type.getName() + " but " + path + " " + i
                                + " is " + (s == null ? "null" : "a " + s.getClass().getName()));
                    }
                    column.add(accessor.invoke(s));
                }
                fields[c] = collate(column, path + "." + components[c].getName());
            }
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(fields);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (e instanceof IllegalArgumentException) throw (IllegalArgumentException) e;
            throw new IllegalArgumentException("default collate: cannot rebuild record " + type.getName() + ": " + e, e);
        }
    }

    /** {@code torch.stack(samples)}, copying rows straight into a primitive array when it can. */
    private static Tensor stack(List<?> samples, String path) {
        List<Tensor> tensors = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Object s = samples.get(i);
            if (!(s instanceof Tensor)) {
                throw new IllegalArgumentException("default collate: " + path + " 0 is a Tensor but " + path + " " + i
                        + " is " + (s == null ? "null" : "a " + s.getClass().getName()));
            }
            tensors.add((Tensor) s);
        }
        Tensor first = tensors.get(0);
        DType dtype = first.dtype();
        int[] rowShape = TensorInternals.sizes(first);
        for (Tensor t : tensors) {
            if (t.dtype() != dtype || t.requiresGrad() || !Arrays.equals(TensorInternals.sizes(t), rowShape)) {
                return Torch.stack(tensors);
            }
        }
        int rowNumel = Math.toIntExact(first.numel());
        int[] batchShape = new int[rowShape.length + 1];
        batchShape[0] = tensors.size();
        System.arraycopy(rowShape, 0, batchShape, 1, rowShape.length);
        Tensor batch = TensorInternals.allocate(dtype, batchShape);
        Object out = batch.storage().array();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor row = tensors.get(i).contiguous();
            System.arraycopy(row.storage().array(), TensorInternals.offset(row), out, i * rowNumel, rowNumel);
        }
        return batch;
    }
}
