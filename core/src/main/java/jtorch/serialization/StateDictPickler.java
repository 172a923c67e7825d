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
