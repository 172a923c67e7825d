package jtorch.serialization;

import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the pickle ({@code data.pkl}) of a PyTorch checkpoint without running anything it names.
 *
 * <p>Python's unpickler imports and calls whatever globals a pickle names, which is how a
 * malicious checkpoint runs code. This one interprets the opcodes itself and knows only the few
 * globals a saved state dict contains: {@code collections.OrderedDict},
 * {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter} and torch's
 * storage classes (as persistent ids). Any other global is refused with an
 * {@link UnsafePickleException} naming it, at the opcode that names it, before anything else
 * happens. Values become Java objects: dicts and OrderedDicts {@link LinkedHashMap}, lists
 * {@link ArrayList}, tuples unmodifiable lists, ints {@link Long} (or {@link BigInteger}),
 * floats {@link Double}, bools {@link Boolean}, None null, str {@link String}, and tensors
 * {@link TensorRef} placeholders that the caller turns into tensors once the storages are known.
 */
final class RestrictedUnpickler {
    /** A storage named by a persistent id {@code ('storage', torch.FloatStorage, key, location, numel)}. */
    static final class StorageRef {
        final String key;
        final ElementType type;
        final long numel;

        StorageRef(String key, ElementType type, long numel) {
            this.key = key;
            this.type = type;
            this.numel = numel;
        }
    }

    /** A tensor as {@code _rebuild_tensor_v2} describes it: a strided region of a storage (already checked to lie inside it). */
    static final class TensorRef {
        final StorageRef storage;
        final int offset;
        final int[] sizes, strides;
        final long numel;

        TensorRef(StorageRef storage, int offset, int[] sizes, int[] strides, long numel) {
            this.storage = storage;
            this.offset = offset;
            this.sizes = sizes;
            this.strides = strides;
            this.numel = numel;
        }

        /** Whether the tensor is exactly its whole storage in row-major order. */
        boolean coversWholeStorage() {
            if (offset != 0 || numel != storage.numel) return false;
            long expected = 1;
            for (int d = sizes.length - 1; d >= 0; d--) {
                if (sizes[d] != 1 && strides[d] != expected) return false;
                expected *= sizes[d];
            }
            return true;
        }
    }

    /** A global the pickle named, already known to be allowed. */
    private static final class Global {
        enum Kind { ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_PARAMETER, STORAGE_TYPE }

        final String qualifiedName;
        final Kind kind;
        final ElementType storageType;

        Global(String qualifiedName, Kind kind, ElementType storageType) {
            this.qualifiedName = qualifiedName;
            this.kind = kind;
            this.storageType = storageType;
        }

        @Override public String toString() { return qualifiedName; }
    }

    private final byte[] data;
    private final Path path;
    private int pos;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    /** The dicts made by collections.OrderedDict() (BUILD applies to them only), by identity. */
    private final Map<Object, Boolean> orderedDicts = new java.util.IdentityHashMap<>();

    /** Bounds on a dict key's structure: within them hashing and comparing keys is cheap. */
    static final int MAX_KEY_OBJECTS = 10_000, MAX_KEY_DEPTH = 100;
    private final Map<String, StorageRef> storages = new LinkedHashMap<>();
    private final List<TensorRef> tensors = new ArrayList<>();

    RestrictedUnpickler(byte[] data, Path path) {
        this.data = data;
        this.path = path;
    }

    /** The storages the pickle referred to, by key, in order of first use. */
    Map<String, StorageRef> storages() { return storages; }

    /** Every tensor placeholder created, in order. */
    List<TensorRef> tensors() { return tensors; }

    /** Runs the pickle up to its STOP opcode and returns the value it built. */
    Object load() throws CheckpointException {
        while (true) {
            int opcodeAt = pos;
            int op = u8();
            switch (op) {
                case 0x80: u8(); break;   // PROTO: as torch.load's weights_only reader, the number changes nothing
                case 0x95: pos = checkedAdvance(8); break;          // FRAME: a length hint, nothing to do
                case '.': { // STOP
                    if (stack.isEmpty()) throw corrupt("STOP with an empty stack", opcodeAt);
                    return pop(opcodeAt);
                }
                case '(': marks.add(stack.size()); break;        // MARK
                case '}': stack.add(new LinkedHashMap<>()); break; // EMPTY_DICT
                case 'U': stack.add(utf8(u8(), opcodeAt)); break;  // SHORT_BINSTRING: str, as torch.load's encoding='utf-8' 
                case ']': stack.add(new ArrayList<>()); break;     // EMPTY_LIST
                case ')': stack.add(PickleTuple.EMPTY); break;     // EMPTY_TUPLE
                case 'N': stack.add(null); break;                  // NONE
                case 0x88: stack.add(Boolean.TRUE); break;         // NEWTRUE
                case 0x89: stack.add(Boolean.FALSE); break;        // NEWFALSE
                case 'K': stack.add((long) u8()); break;           // BININT1
                case 'M': stack.add((long) (u8() | u8() << 8)); break; // BININT2
                case 'J': stack.add((long) s32()); break;          // BININT
                case 0x8a: stack.add(longN(u8(), opcodeAt)); break;   // LONG1
                case 0x8b: stack.add(longN(length(u32(), opcodeAt), opcodeAt)); break; // LONG4
                case 'G': stack.add(Double.longBitsToDouble(bigEndianLong())); break; // BINFLOAT
                case 'X': stack.add(utf8(length(u32(), opcodeAt), opcodeAt)); break;  // BINUNICODE
                case 0x8c: stack.add(utf8(u8(), opcodeAt)); break;                    // SHORT_BINUNICODE
                case 't': stack.add(new PickleTuple(popMark(opcodeAt).toArray())); break; // TUPLE
                case 0x85: stack.add(new PickleTuple(popN(1, opcodeAt))); break;  // TUPLE1
                case 0x86: stack.add(new PickleTuple(popN(2, opcodeAt))); break;  // TUPLE2
                case 0x87: stack.add(new PickleTuple(popN(3, opcodeAt))); break;  // TUPLE3
                case 'l': stack.add(new ArrayList<>(popMark(opcodeAt))); break;    // LIST
                case 'd': { // DICT
                    List<Object> items = popMark(opcodeAt);
                    Map<Object, Object> map = new LinkedHashMap<>();
                    putPairs(map, items, opcodeAt);
                    stack.add(map);
                    break;
                }
                case 'q': memo.put((long) u8(), top(opcodeAt)); break;            // BINPUT
                case 'r': memo.put(u32(), top(opcodeAt)); break;                  // LONG_BINPUT
                case 0x94: memo.put((long) memo.size(), top(opcodeAt)); break;    // MEMOIZE
                case 'h': stack.add(memoGet(u8(), opcodeAt)); break;              // BINGET
                case 'j': stack.add(memoGet(u32(), opcodeAt)); break;             // LONG_BINGET
                case 'c': { // GLOBAL
                    String module = line(opcodeAt);
                    String name = line(opcodeAt);
                    stack.add(resolveGlobal(module, name));
                    break;
                }
                case 0x93: { // STACK_GLOBAL
                    Object name = pop(opcodeAt), module = pop(opcodeAt);
                    if (!(module instanceof String) || !(name instanceof String))
                        throw corrupt("STACK_GLOBAL needs two strings on the stack", opcodeAt);
                    stack.add(resolveGlobal((String) module, (String) name));
                    break;
                }
                case 'Q': stack.add(persistentLoad(pop(opcodeAt), opcodeAt)); break; // BINPERSID
                case 'R': { // REDUCE
                    Object args = pop(opcodeAt), callable = pop(opcodeAt);
                    stack.add(call(callable, args, opcodeAt));
                    break;
                }
                case 'b': { // BUILD
                    Object state = pop(opcodeAt);
                    build(top(opcodeAt), state, opcodeAt);
                    break;
                }
                case 's': { // SETITEM
                    Object value = pop(opcodeAt), key = pop(opcodeAt);
                    Map<Object, Object> dict = dictOnTop(opcodeAt);
                    checkHashable(key, opcodeAt);
                    dict.put(key, value);
                    break;
                }
                case 'u': { // SETITEMS
                    List<Object> items = popMark(opcodeAt);
                    putPairs(dictOnTop(opcodeAt), items, opcodeAt);
                    break;
                }
                case 'a': { // APPEND
                    Object value = pop(opcodeAt);
                    listOnTop(opcodeAt).add(value);
                    break;
                }
                case 'e': { // APPENDS
                    List<Object> items = popMark(opcodeAt);
                    listOnTop(opcodeAt).addAll(items);
                    break;
                }
                default:
                    throw corrupt("unsupported pickle opcode 0x" + Integer.toHexString(op)
                            + (op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "")
                            + " (a state dict saved by torch.save never contains it)", opcodeAt);
            }
        }
    }

    // ------------------------------------------------------------------ the allowed globals

    private Global resolveGlobal(String module, String name) throws CheckpointException {
        String qualified = module + "." + name;
        if (module.equals("collections") && name.equals("OrderedDict"))
            return new Global(qualified, Global.Kind.ORDERED_DICT, null);
        if (module.equals("torch._utils") && name.equals("_rebuild_tensor_v2"))
            return new Global(qualified, Global.Kind.REBUILD_TENSOR_V2, null);
        if (module.equals("torch._utils") && name.equals("_rebuild_parameter"))
            return new Global(qualified, Global.Kind.REBUILD_PARAMETER, null);
        if (module.equals("torch") && name.endsWith("Storage")) {
            ElementType type = ElementType.byStorageClass(name);
            if (type == null)
                throw new CheckpointException(path, "unsupported storage type " + Messages.clip(qualified) + " (jtorch reads "
                        + storageClassNames() + ")");
            return new Global(qualified, Global.Kind.STORAGE_TYPE, type);
        }
        // Protocol 2 pickles use Python 2's module names, which Python 3 maps (fix_imports):
        // report the global that Python 3 would import.
        String python3Module = module.equals("__builtin__") || module.equals("exceptions") ? "builtins"
                : module.equals("copy_reg") ? "copyreg" : module;
        String imported = Messages.clip(python3Module + "." + name);
        throw new UnsafePickleException(path, imported, "refusing to load the global " + imported
                + (imported.equals(qualified) ? "" : " (written " + Messages.clip(qualified) + " in the pickle)")
                + ": a state dict holds only collections.OrderedDict, torch._utils._rebuild_tensor_v2, "
                + "torch._utils._rebuild_parameter and torch storage classes, so this pickle may run code "
                + "(as Python's torch.load would); nothing was executed");
    }

    private static String storageClassNames() {
        StringBuilder b = new StringBuilder();
        for (ElementType t : ElementType.values())
            if (t.storageClass != null) b.append(b.length() == 0 ? "" : ", ").append("torch.").append(t.storageClass);
        return b.toString();
    }

    private Object call(Object callable, Object args, int at) throws CheckpointException {
        if (!(callable instanceof Global))
            throw corrupt("REDUCE of " + describe(callable) + ", which is not a callable global", at);
        Global g = (Global) callable;
        if (!(args instanceof PickleTuple)) throw corrupt("REDUCE of " + g + " with " + describe(args) + " instead of an argument tuple", at);
        PickleTuple a = (PickleTuple) args;
        switch (g.kind) {
            case ORDERED_DICT: {
                if (!a.isEmpty()) throw corrupt("collections.OrderedDict called with " + a.size() + " arguments (torch.save passes none)", at);
                Map<Object, Object> od = new LinkedHashMap<>();
                orderedDicts.put(od, Boolean.TRUE);
                return od;
            }
            case REBUILD_TENSOR_V2: return rebuildTensor(a, at);
            case REBUILD_PARAMETER: {
                // _rebuild_parameter(data, requires_grad, backward_hooks): the tensor's values are all that a state dict needs
                if (a.size() != 3 || !(a.get(0) instanceof TensorRef) || !(a.get(1) instanceof Boolean))
                    throw corrupt("torch._utils._rebuild_parameter expects (tensor, requires_grad, backward_hooks)", at);
                checkRequiresGrad((TensorRef) a.get(0), (Boolean) a.get(1), g.qualifiedName, at);
                // backward_hooks is stored by PyTorch and never called; what it holds does not matter here
                return a.get(0);
            }
            default:
                throw corrupt("REDUCE of " + g + ", which is a storage class and is not called by torch.save's pickles", at);
        }
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private TensorRef rebuildTensor(PickleTuple a, int at) throws CheckpointException {
        String fn = "torch._utils._rebuild_tensor_v2";
        if (a.size() != 6 && a.size() != 7)
            throw corrupt(fn + " expects 6 or 7 arguments, got " + a.size(), at);
        if (!(a.get(0) instanceof StorageRef)) throw corrupt(fn + ": the first argument is " + describe(a.get(0)) + ", not a storage", at);
        StorageRef storage = (StorageRef) a.get(0);
        long offset = nonNegativeLong(a.get(1), fn + ": storage_offset", at);
        long[] size = longTuple(a.get(2), fn + ": size", at);
        long[] stride = longTuple(a.get(3), fn + ": stride", at);
        if (size.length != stride.length)
            throw corrupt(fn + ": size has " + size.length + " dimensions but stride has " + stride.length, at);
        if (!(a.get(4) instanceof Boolean)) throw corrupt(fn + ": requires_grad is " + describe(a.get(4)) + ", not a bool", at);
        if (a.size() == 7 && a.get(6) != null && !(a.get(6) instanceof Map && ((Map<?, ?>) a.get(6)).isEmpty()))
            throw corrupt(fn + ": tensor metadata " + describe(a.get(6)) + " is not supported", at);
        int[] sizes = new int[size.length], strides = new int[size.length];
        long numel = 1, lastIndex = offset;
        for (long s : size) if (s == 0) numel = 0;
        try {
            for (int d = 0; d < size.length; d++) {
                if (size[d] > Integer.MAX_VALUE)
                    throw corrupt(fn + ": dimension " + d + " has size " + size[d] + ", more than jtorch's tensors hold", at);
                sizes[d] = (int) size[d];
                if (numel == 0) continue;   // PyTorch checks no strides or offset of an empty tensor against its storage
                numel = Math.multiplyExact(numel, size[d]);
                lastIndex = Math.addExact(lastIndex, Math.multiplyExact(Math.max(size[d] - 1, 0), stride[d]));
                // a stride of a dimension of size 0 or 1 never moves, so any value is equivalent to 1
                strides[d] = size[d] <= 1 ? 1 : (int) stride[d];
            }
        } catch (ArithmeticException overflow) {
            throw corrupt(fn + ": size and stride overflow 64 bits", at);
        }
        if (numel > 0 && lastIndex >= storage.numel)
            throw corrupt(fn + ": a tensor of size " + java.util.Arrays.toString(size) + ", stride " + java.util.Arrays.toString(stride)
                    + " at offset " + offset + " reaches element " + lastIndex + " of storage '" + storage.key + "', which has "
                    + storage.numel + " elements", at);
        if (numel > Integer.MAX_VALUE - 8)
            throw corrupt(fn + ": a tensor of size " + java.util.Arrays.toString(size) + " has " + numel + " elements, more than jtorch's tensors hold", at);
        if (numel == 0) {
            offset = 0;
            java.util.Arrays.fill(strides, 1);
        }
        checkRequiresGrad(storage, (Boolean) a.get(4), fn, at);
        TensorRef t = new TensorRef(storage, (int) offset, sizes, strides, numel);
        tensors.add(t);
        return t;
    }

    /** As PyTorch: "only Tensors of floating point dtype can require gradients". */
    private void checkRequiresGrad(StorageRef storage, boolean requiresGrad, String fn, int at) throws CheckpointException {
        if (requiresGrad && storage.type.dtype != jtorch.DType.FLOAT32 && storage.type.dtype != jtorch.DType.FLOAT64)
            throw corrupt(fn + ": requires_grad=True for a tensor of torch." + storage.type.storageClass
                    + " (only Tensors of floating point dtype can require gradients)", at);
    }

    private void checkRequiresGrad(TensorRef t, boolean requiresGrad, String fn, int at) throws CheckpointException {
        checkRequiresGrad(t.storage, requiresGrad, fn, at);
    }

    /** Keys the unpickler accepts: what Python can hash, within a bounded cost (a tuple DAG would hash for ever). */
    private void checkHashable(Object key, int at) throws CheckpointException {
        int[] budget = {MAX_KEY_OBJECTS};
        checkHashable(key, 0, budget, at);
    }

    private void checkHashable(Object key, int depth, int[] budget, int at) throws CheckpointException {
        if (--budget[0] < 0 || depth > MAX_KEY_DEPTH)
            throw corrupt("a dict key made of more than " + MAX_KEY_OBJECTS + " objects or nested deeper than " + MAX_KEY_DEPTH
                    + " levels, which jtorch refuses to hash", at);
        if (key instanceof Map) throw corrupt("unhashable type: 'dict' used as a dict key: " + Messages.repr(key), at);
        if (key instanceof ArrayList) throw corrupt("unhashable type: 'list' used as a dict key: " + Messages.repr(key), at);
        if (key instanceof PickleTuple) for (Object item : (PickleTuple) key) checkHashable(item, depth + 1, budget, at);
    }

    /** BINPERSID: {@code ('storage', storage_type, key, location, numel)}, as torch.save writes. */
    private StorageRef persistentLoad(Object pid, int at) throws CheckpointException {
        if (!(pid instanceof PickleTuple) || ((PickleTuple) pid).size() != 5 || !"storage".equals(((PickleTuple) pid).get(0)))
            throw corrupt("persistent id " + describe(pid) + " is not ('storage', type, key, location, numel)", at);
        PickleTuple t = (PickleTuple) pid;
        if (!(t.get(1) instanceof Global) || ((Global) t.get(1)).kind != Global.Kind.STORAGE_TYPE)
            throw corrupt("persistent id names " + describe(t.get(1)) + " instead of a storage class", at);
        // torch.load formats the key into the record name data/<key>: a str, or an int
        if (!(t.get(2) instanceof String) && !(t.get(2) instanceof Long)) throw corrupt("storage key " + describe(t.get(2)) + " is not a string", at);
        if (!(t.get(3) instanceof String)) throw corrupt("storage location " + describe(t.get(3)) + " is not a string", at);
        String location = (String) t.get(3);
        if (!location.equals("cpu") && !location.matches("cuda(:[0-9]{1,4})?"))
            throw corrupt("don't know how to restore data location '" + Messages.clip(location) + "' (jtorch reads tensors saved on cpu or cuda)", at);
        ElementType type = ((Global) t.get(1)).storageType;
        String key = String.valueOf(t.get(2));
        long numel = nonNegativeLong(t.get(4), "storage '" + Messages.clip(key) + "' size", at);
        StorageRef known = storages.get(key);
        if (known == null) {
            known = new StorageRef(key, type, numel);
            storages.put(key, known);
        }
        // as torch.load: a storage already loaded is reused, whatever type and size a later reference names
        return known;
    }

    private void build(Object target, Object state, int at) throws CheckpointException {
        // OrderedDict.__reduce__ sets instance attributes by BUILD: a state_dict's _metadata
        // (module versions), which jtorch has no use for. torch.load builds only OrderedDicts (not dicts).
        if (target instanceof Map && orderedDicts.containsKey(target) && state instanceof Map) return;
        throw corrupt("BUILD of " + describe(target) + " with " + describe(state) + " is not supported", at);
    }

    // ------------------------------------------------------------------ stack and memo

    private Object top(int at) throws CheckpointException {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size()))
            throw corrupt("stack underflow", at);
        return stack.get(stack.size() - 1);
    }

    private Object pop(int at) throws CheckpointException {
        Object v = top(at);
        stack.remove(stack.size() - 1);
        return v;
    }

    private Object[] popN(int n, int at) throws CheckpointException {
        Object[] out = new Object[n];
        for (int i = n - 1; i >= 0; i--) out[i] = pop(at);
        return out;
    }

    private List<Object> popMark(int at) throws CheckpointException {
        if (marks.isEmpty()) throw corrupt("no MARK before this opcode", at);
        int start = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(start, stack.size()));
        stack.subList(start, stack.size()).clear();
        return items;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictOnTop(int at) throws CheckpointException {
        Object t = top(at);
        if (!(t instanceof Map)) throw corrupt("SETITEM(S) on " + describe(t) + ", not a dict", at);
        return (Map<Object, Object>) t;
    }

    @SuppressWarnings("unchecked")
    private List<Object> listOnTop(int at) throws CheckpointException {
        Object t = top(at);
        if (!(t instanceof ArrayList)) throw corrupt("APPEND(S) on " + describe(t) + ", not a list", at);
        return (List<Object>) t;
    }

    private void putPairs(Map<Object, Object> map, List<Object> items, int at) throws CheckpointException {
        if (items.size() % 2 != 0) throw corrupt("an odd number of items for a dict", at);
        for (int i = 0; i < items.size(); i += 2) {
            Object key = items.get(i);
            checkHashable(key, at);
            map.put(key, items.get(i + 1));
        }
    }

    private Object memoGet(long index, int at) throws CheckpointException {
        if (!memo.containsKey(index)) throw corrupt("memo entry " + index + " was never stored", at);
        return memo.get(index);
    }

    // ------------------------------------------------------------------ reading bytes

    private int u8() throws CheckpointException {
        if (pos >= data.length) throw corrupt("data.pkl ends before its STOP opcode (truncated)", pos);
        return data[pos++] & 0xff;
    }

    private int s32() throws CheckpointException {
        return u8() | u8() << 8 | u8() << 16 | u8() << 24;
    }

    private long u32() throws CheckpointException {
        return s32() & 0xffffffffL;
    }

    private long bigEndianLong() throws CheckpointException {
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | u8();
        return v;
    }

    /** Checks that {@code n} more bytes exist. */
    private int length(long n, int at) throws CheckpointException {
        if (n > data.length - pos) throw corrupt("a length of " + n + " bytes runs past the end of data.pkl (truncated)", at);
        return (int) n;
    }

    private int checkedAdvance(int n) throws CheckpointException {
        length(n, pos);
        return pos + n;
    }

    private Object longN(int n, int at) throws CheckpointException {
        length(n, at);
        if (n == 0) return 0L;
        byte[] bigEndian = new byte[n];
        for (int i = 0; i < n; i++) bigEndian[n - 1 - i] = data[pos + i];
        pos += n;
        BigInteger v = new BigInteger(bigEndian);   // two's complement, as pickle's LONG1/LONG4
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String utf8(int n, int at) throws CheckpointException {
        length(n, at);
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw corrupt("a string that is not valid UTF-8", at);
        }
    }

    /** A newline-terminated ASCII line (GLOBAL's module and name). */
    private String line(int at) throws CheckpointException {
        int start = pos;
        while (pos < data.length && data[pos] != '\n') {
            if (data[pos] < 0x20 || data[pos] > 0x7e) throw corrupt("GLOBAL with a non-ASCII name", at);
            pos++;
        }
        if (pos >= data.length) throw corrupt("data.pkl ends inside a GLOBAL opcode (truncated)", at);
        String s = new String(data, start, pos - start, StandardCharsets.US_ASCII);
        pos++;
        return s;
    }

    // ------------------------------------------------------------------ checks and messages

    private long nonNegativeLong(Object v, String what, int at) throws CheckpointException {
        if (!(v instanceof Long) || (Long) v < 0) throw corrupt(what + " is " + describe(v) + ", not a non-negative int", at);
        return (Long) v;
    }

    private long[] longTuple(Object v, String what, int at) throws CheckpointException {
        // tensor.set_ takes a tuple or a list
        if (!(v instanceof PickleTuple) && !(v instanceof ArrayList)) throw corrupt(what + " is " + describe(v) + ", not a tuple", at);
        List<?> t = (List<?>) v;
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) out[i] = nonNegativeLong(t.get(i), what + "[" + i + "]", at);
        return out;
    }

    private static String describe(Object v) {
        if (v == null) return "None";
        if (v instanceof String) return "the str '" + Messages.clip((String) v) + "'";
        if (v instanceof Long || v instanceof BigInteger) return "the int " + v;
        if (v instanceof Double) return "the float " + v;
        if (v instanceof Boolean) return (Boolean) v ? "True" : "False";
        if (v instanceof PickleTuple) return "a tuple of " + ((PickleTuple) v).size();
        if (v instanceof ArrayList) return "a list";
        if (v instanceof Map) return "a dict";
        if (v instanceof Global) return "the global " + v;
        if (v instanceof StorageRef) return "storage '" + Messages.clip(((StorageRef) v).key) + "'";
        if (v instanceof TensorRef) return "a tensor";
        return v.getClass().getSimpleName();
    }

    private CheckpointException corrupt(String problem, int at) {
        return new CheckpointException(path, "data.pkl: " + problem + " (at byte " + at + ")");
    }
}
