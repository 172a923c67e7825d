package jtorch.serialization;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jtorch.Tensor;

/**
 * Writes the pickle of a state dict as Python's {@code torch.save} writes it (protocol 2): an
 * {@code OrderedDict} of {@code _rebuild_tensor_v2} calls whose storages are persistent ids
 * {@code ('storage', torch.FloatStorage, '<i>', 'cpu', numel)}, the i-th tensor's data being the
 * archive's record {@code data/<i>}.
 */
final class StateDictPickler {
    private StateDictPickler() {}

    static byte[] pickle(List<Map.Entry<String, Tensor>> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80);                              // PROTO 2
        out.write(2);
        global(out, "collections", "OrderedDict");
        out.write(')');                               // EMPTY_TUPLE
        out.write('R');                               // REDUCE: OrderedDict()
        if (!entries.isEmpty()) {
            out.write('(');                           // MARK
            for (int i = 0; i < entries.size(); i++) {
                Tensor t = entries.get(i).getValue();
                unicode(out, entries.get(i).getKey());
                global(out, "torch._utils", "_rebuild_tensor_v2");
                out.write('(');                       // MARK: the arguments
                out.write('(');                       // MARK: the persistent id
                unicode(out, "storage");
                global(out, "torch", ElementType.of(t.dtype()).storageClass);
                unicode(out, Integer.toString(i));
                unicode(out, "cpu");
                integer(out, t.numel());
                out.write('t');                       // TUPLE
                out.write('Q');                       // BINPERSID
                integer(out, 0);                      // storage_offset
                long[] size = t.shape().toArray();
                long[] stride = new long[size.length];
                long s = 1;
                for (int d = size.length - 1; d >= 0; d--) {
                    stride[d] = s;
                    s *= Math.max(size[d], 1);
                }
                tuple(out, size);
                tuple(out, stride);
                out.write(0x89);                      // NEWFALSE: requires_grad
                global(out, "collections", "OrderedDict");
                out.write(')');
                out.write('R');                       // backward_hooks = OrderedDict()
                out.write('t');                       // TUPLE: the arguments
                out.write('R');                       // REDUCE: _rebuild_tensor_v2(*args)
            }
            out.write('u');                           // SETITEMS
        }
        out.write('.');                               // STOP
        return out.toByteArray();
    }

    /**
     * The pickle of any object a checkpoint holds, as Python's {@code torch.save(obj)} would write
     * it: maps as dicts (keys: strings, integers, floats, booleans), lists, strings, integers,
     * floats, booleans, null and tensors. Each distinct tensor (by identity) is appended to
     * {@code tensors} and becomes the storage {@code str(index)}, contiguous.
     *
     * @throws IllegalArgumentException for a value of another type, a key of an unhashable type, or
     *         a container that contains itself
     */
    static byte[] pickleObject(Object root, List<Tensor> tensors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80);                              // PROTO 2
        out.write(2);
        value(out, root, tensors, new java.util.IdentityHashMap<>(), "the object");
        out.write('.');                               // STOP
        return out.toByteArray();
    }

    private static void value(ByteArrayOutputStream out, Object v, List<Tensor> tensors, Map<Object, Boolean> open, String where) {
        if (v == null) out.write('N');
        else if (v instanceof Boolean) out.write((Boolean) v ? 0x88 : 0x89);
        else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) integer(out, ((Number) v).longValue());
        else if (v instanceof Double || v instanceof Float) {
            out.write('G');                           // BINFLOAT: 8 bytes, big-endian
            long bits = Double.doubleToRawLongBits(((Number) v).doubleValue());
            for (int i = 7; i >= 0; i--) out.write((int) (bits >>> (8 * i)));
        } else if (v instanceof String) {
            if (!StandardCharsets.UTF_8.newEncoder().canEncode((String) v))
                throw new IllegalArgumentException("Torch.save: the string at " + where + " is not valid Unicode");
            unicode(out, (String) v);
        } else if (v instanceof Tensor) tensor(out, (Tensor) v, tensors);
        else if (v instanceof Map || v instanceof List) {
            if (open.put(v, Boolean.TRUE) != null) throw new IllegalArgumentException("Torch.save: " + where + " contains itself");
            if (v instanceof Map) {
                out.write('}');                       // EMPTY_DICT
                Map<?, ?> m = (Map<?, ?>) v;
                if (!m.isEmpty()) {
                    out.write('(');
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        Object k = e.getKey();
                        if (!(k == null || k instanceof String || k instanceof Boolean || k instanceof Long || k instanceof Integer
                                || k instanceof Short || k instanceof Byte || k instanceof Double || k instanceof Float))
                            throw new IllegalArgumentException("Torch.save: a key of " + where + " is a "
                                    + k.getClass().getSimpleName() + " (keys are strings, numbers, booleans or null)");
                        value(out, k, tensors, open, where);
                        value(out, e.getValue(), tensors, open, where + "['" + k + "']");
                    }
                    out.write('u');                   // SETITEMS
                }
            } else {
                out.write(']');                       // EMPTY_LIST
                List<?> l = (List<?>) v;
                if (!l.isEmpty()) {
                    out.write('(');
                    for (int i = 0; i < l.size(); i++) value(out, l.get(i), tensors, open, where + "[" + i + "]");
                    out.write('e');                   // APPENDS
                }
            }
            open.remove(v);
        } else {
            throw new IllegalArgumentException("Torch.save: " + where + " is a " + v.getClass().getName()
                    + "; a checkpoint holds tensors, maps, lists, strings, numbers, booleans and null");
        }
    }

    /** {@code _rebuild_tensor_v2(persistent storage, 0, size, contiguous stride, False, OrderedDict())}. */
    private static void tensor(ByteArrayOutputStream out, Tensor t, List<Tensor> tensors) {
        int index = -1;
        for (int i = 0; i < tensors.size(); i++) if (tensors.get(i) == t) index = i;
        if (index < 0) {
            index = tensors.size();
            tensors.add(t);
        }
        global(out, "torch._utils", "_rebuild_tensor_v2");
        out.write('(');
        out.write('(');
        unicode(out, "storage");
        global(out, "torch", ElementType.of(t.dtype()).storageClass);
        unicode(out, Integer.toString(index));
        unicode(out, "cpu");
        integer(out, t.numel());
        out.write('t');
        out.write('Q');                               // BINPERSID
        integer(out, 0);
        long[] size = t.shape().toArray();
        long[] stride = new long[size.length];
        long s = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= Math.max(size[d], 1);
        }
        tuple(out, size);
        tuple(out, stride);
        out.write(0x89);                              // requires_grad False
        global(out, "collections", "OrderedDict");
        out.write(')');
        out.write('R');
        out.write('t');
        out.write('R');
    }

    private static void global(ByteArrayOutputStream out, String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void unicode(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');                               // BINUNICODE: 4-byte little-endian length
        for (int i = 0; i < 4; i++) out.write(b.length >>> (8 * i));
        out.writeBytes(b);
    }

    private static void integer(ByteArrayOutputStream out, long v) {
        if (v >= 0 && v < 256) {
            out.write('K');                           // BININT1
            out.write((int) v);
        } else if (v >= 0 && v < 65536) {
            out.write('M');                           // BININT2
            out.write((int) v);
            out.write((int) (v >>> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J');                           // BININT
            for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)));
        } else {
            out.write(0x8a);                          // LONG1: 8 bytes, two's complement
            out.write(8);
            for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
        }
    }

    private static void tuple(ByteArrayOutputStream out, long[] values) {
        if (values.length > 3) out.write('(');
        for (long v : values) integer(out, v);
        switch (values.length) {
            case 0: out.write(')'); break;            // EMPTY_TUPLE
            case 1: out.write(0x85); break;           // TUPLE1
            case 2: out.write(0x86); break;           // TUPLE2
            case 3: out.write(0x87); break;           // TUPLE3
            default: out.write('t'); break;           // TUPLE (from the MARK)
        }
    }
}
