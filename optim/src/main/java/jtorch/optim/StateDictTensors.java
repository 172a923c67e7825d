package jtorch.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jtorch.DType;
import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * The conversions behind {@link Optimizer.StateDict#toTensors()},
 * {@link Optimizer.StateDict#fromTensors(Map)} and {@link Optimizer.StateDict#fromPyTorch(Object)}.
 *
 * <p>Flat keys use PyTorch's vocabulary, {@code state.<param index>.<name>} and
 * {@code param_groups.<group index>.<option>}. A value that the key's place does not imply is
 * marked by a suffix after a colon (never part of a name): in {@code state}, where values are
 * tensors, a Python value is marked with its type ({@code :int}, {@code :float}, {@code :bool},
 * {@code :list}, {@code :None}); in {@code param_groups}, where values are Python values read
 * from the tensor's dtype and rank, {@code :None} and {@code :tensor} mark the exceptions.
 */
final class StateDictTensors {
    private StateDictTensors() {}

    private static final String STATE = "state.";
    private static final String GROUPS = "param_groups.";

    // ------------------------------------------------------------------------------ to tensors

    static Map<String, Tensor> toTensors(Optimizer.StateDict sd) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, Map<String, Object>> e : sd.state().entrySet()) {
            Integer index = e.getKey();
            if (index == null || index < 0)
                throw new IllegalArgumentException("state dict: a parameter index must be a non-negative int, got " + index);
            if (e.getValue() == null) throw new IllegalArgumentException("state dict: the state of parameter " + index + " is null");
            // An empty state writes no key, so it does not come back; loadStateDict treats both alike.
            for (Map.Entry<String, Object> kv : e.getValue().entrySet()) {
                String key = STATE + index + "." + checkName(kv.getKey(), "state of parameter " + index);
                Object v = kv.getValue();
                if (v instanceof Tensor) out.put(key, (Tensor) v);
                else if (v == null) out.put(key + ":None", noneMarker());
                else out.put(key + ":" + pythonTypeName(v), pythonValue(key, v));
            }
        }
        for (int g = 0; g < sd.paramGroups().size(); g++) {
            Map<String, Object> group = sd.paramGroups().get(g);
            if (group == null || group.isEmpty())
                throw new IllegalArgumentException("state dict: param group " + g + " is " + (group == null ? "null" : "empty")
                        + " (a group has at least 'params')");
            for (Map.Entry<String, Object> kv : group.entrySet()) {
                String key = GROUPS + g + "." + checkName(kv.getKey(), "param group " + g);
                Object v = kv.getValue();
                if (kv.getKey().equals("params")) out.put(key, paramIndices(key, v));
                else if (v == null) out.put(key + ":None", noneMarker());
                else if (v instanceof Tensor) out.put(key + ":tensor", (Tensor) v);
                else out.put(key, pythonValue(key, v));
            }
        }
        return out;
    }

    private static String checkName(String name, String where) {
        if (name == null || name.isEmpty())
            throw new IllegalArgumentException("state dict: a key of the " + where + " is " + (name == null ? "null" : "empty"));
        if (name.indexOf(':') >= 0)
            throw new IllegalArgumentException("state dict: the key '" + name + "' of the " + where
                    + " contains ':', which the flat keys reserve for type markers");
        return name;
    }

    /** None has no tensor; an empty tensor stands in (its contents are never read). */
    private static Tensor noneMarker() {
        return Torch.zeros(new long[] {0}, DType.BOOL);
    }

    private static String pythonTypeName(Object v) {
        if (v instanceof Boolean) return "bool";
        if (isIntegral(v)) return "int";
        if (v instanceof Double || v instanceof Float) return "float";
        if (v instanceof List) return "list";
        return v.getClass().getSimpleName();   // refused by pythonValue, naming the type
    }

    private static boolean isIntegral(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
    }

    /** A number or boolean as a 0-dim tensor, a list of them as a 1-D tensor of one dtype. */
    private static Tensor pythonValue(String key, Object v) {
        if (v instanceof Boolean) return Torch.tensor((boolean) (Boolean) v);
        if (isIntegral(v)) return Torch.tensor(((Number) v).longValue());
        if (v instanceof Double || v instanceof Float) return Torch.tensor(((Number) v).doubleValue(), DType.FLOAT64);
        if (v instanceof List) {
            List<?> l = (List<?>) v;
            boolean bools = true, ints = true, floats = true;
            for (Object o : l) {
                bools &= o instanceof Boolean;
                ints &= isIntegral(o);
                floats &= o instanceof Double || o instanceof Float;
            }
            int n = l.size();
            if (ints) {   // an empty list lands here: it comes back as an empty list
                long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = ((Number) l.get(i)).longValue();
                return Torch.tensor(a);
            }
            if (floats) {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) a[i] = ((Number) l.get(i)).doubleValue();
                return Torch.tensor(a);
            }
            if (bools) {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) a[i] = (Boolean) l.get(i);
                return Torch.tensor(a);
            }
            throw new IllegalArgumentException("state dict: " + key + " = " + PyFormat.repr(v)
                    + " cannot be held in a tensor: a list must hold only ints, only floats or only bools");
        }
        throw new IllegalArgumentException("state dict: " + key + " = " + PyFormat.repr(v) + " (a " + v.getClass().getSimpleName()
                + ") cannot be held in a tensor: values must be tensors, numbers, booleans, None or lists of numbers");
    }

    private static Tensor paramIndices(String key, Object v) {
        if (!(v instanceof List)) throw new IllegalArgumentException("state dict: " + key + " must be a list of parameter indices, got " + PyFormat.repr(v));
        List<?> l = (List<?>) v;
        long[] ids = new long[l.size()];
        for (int i = 0; i < ids.length; i++) {
            Object o = l.get(i);
            if (!isIntegral(o) || ((Number) o).longValue() < 0)
                throw new IllegalArgumentException("state dict: " + key + " must be a list of parameter indices, got " + PyFormat.repr(v));
            ids[i] = ((Number) o).longValue();
        }
        return Torch.tensor(ids);
    }

    // ---------------------------------------------------------------------------- from tensors

    static Optimizer.StateDict fromTensors(Map<String, ? extends Tensor> tensors) {
        if (tensors == null) throw new IllegalArgumentException("optimizer state dict: the map of tensors is null");
        // Numeric order: formats such as safetensors store keys sorted as text ("state.10" before "state.2").
        Map<Integer, Map<String, Object>> state = new TreeMap<>();
        Map<Integer, Map<String, Object>> groups = new TreeMap<>();
        for (Map.Entry<String, ? extends Tensor> e : tensors.entrySet()) {
            String key = e.getKey();
            Tensor t = e.getValue();
            if (key == null) throw new IllegalArgumentException("optimizer state dict: a key is null");
            if (t == null) throw new IllegalArgumentException("optimizer state dict: the tensor '" + key + "' is null");
            boolean inState = key.startsWith(STATE);
            if (!inState && !key.startsWith(GROUPS))
                throw new IllegalArgumentException("not an optimizer state dict key: '" + key
                        + "' (expected 'state.<param index>.<name>' or 'param_groups.<group index>.<option>')");
            String rest = key.substring(inState ? STATE.length() : GROUPS.length());
            int dot = rest.indexOf('.');
            if (dot < 0) throw new IllegalArgumentException("optimizer state dict key '" + key + "' has no name after the index");
            int index = parseIndex(key, rest.substring(0, dot));
            String name = rest.substring(dot + 1);
            String marker = null;
            int colon = name.lastIndexOf(':');
            if (colon >= 0) {
                marker = name.substring(colon + 1);
                name = name.substring(0, colon);
            }
            if (name.isEmpty() || name.indexOf(':') >= 0)
                throw new IllegalArgumentException("optimizer state dict key '" + key + "' has no valid name after the index");
            Object value = inState ? stateValue(key, marker, t) : groupValue(key, name, marker, t);
            Map<String, Object> into = (inState ? state : groups).computeIfAbsent(index, k -> new LinkedHashMap<>());
            if (into.containsKey(name))
                throw new IllegalArgumentException("optimizer state dict: '" + name + "' of " + (inState ? "parameter " : "param group ")
                        + index + " appears twice (with different markers)");
            into.put(name, value);
        }
        List<Map<String, Object>> groupList = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, Object>> g : groups.entrySet()) {
            if (g.getKey() != groupList.size())
                throw new IllegalArgumentException("optimizer state dict: param group " + groupList.size()
                        + " is missing (the groups found are " + groups.keySet() + ")");
            Map<String, Object> group = g.getValue();
            if (group.containsKey("params")) group.put("params", group.remove("params"));   // last, as state_dict() puts it
            groupList.add(group);
        }
        return new Optimizer.StateDict(new LinkedHashMap<>(state), groupList);
    }

    private static int parseIndex(String key, String s) {
        // Canonical decimal only, so that "1" and "01" cannot name the same entry twice.
        if (!s.matches("0|[1-9][0-9]{0,9}") || Long.parseLong(s) > Integer.MAX_VALUE)
            throw new IllegalArgumentException("optimizer state dict key '" + key + "': '" + s + "' is not an index");
        return Integer.parseInt(s);
    }

    private static Object stateValue(String key, String marker, Tensor t) {
        if (marker == null) return t;
        switch (marker) {
            case "None": return none(key, t);
            case "int": return scalar(key, t, DType.INT64);
            case "float": return scalar(key, t, DType.FLOAT64);
            case "bool": return scalar(key, t, DType.BOOL);
            case "list": return list(key, t);
            default: throw unknownMarker(key, marker, "':int', ':float', ':bool', ':list' or ':None'");
        }
    }

    private static Object groupValue(String key, String name, String marker, Tensor t) {
        if (marker == null) {
            if (name.equals("params")) {
                if (t.dim() != 1 || t.dtype() != DType.INT64)
                    throw new IllegalArgumentException("optimizer state dict: '" + key + "' must be a 1-D int64 tensor of parameter indices, got "
                            + t.dtype() + " of shape " + t.shape());
                List<Integer> ids = new ArrayList<>();
                for (long id : t.toLongArray()) {
                    if (id < 0 || id > Integer.MAX_VALUE)
                        throw new IllegalArgumentException("optimizer state dict: '" + key + "' holds " + id + ", not a parameter index");
                    ids.add((int) id);
                }
                return ids;
            }
            if (t.dim() == 0) return scalar(key, t, t.dtype());
            if (t.dim() == 1) return list(key, t);
            throw new IllegalArgumentException("optimizer state dict: '" + key + "' has shape " + t.shape()
                    + "; an option is a 0-dim tensor (a number) or 1-D (a list), unless marked ':tensor'");
        }
        switch (marker) {
            case "None": return none(key, t);
            case "tensor": return t;
            default: throw unknownMarker(key, marker, "':None' or ':tensor'");
        }
    }

    private static IllegalArgumentException unknownMarker(String key, String marker, String expected) {
        return new IllegalArgumentException("optimizer state dict key '" + key + "': unknown marker ':" + marker + "' (expected " + expected + ")");
    }

    private static Object none(String key, Tensor t) {
        if (t.numel() != 0)
            throw new IllegalArgumentException("optimizer state dict: '" + key + "' marks None but holds " + t.numel() + " elements");
        return null;
    }

    /** A 0-dim tensor as the Python number it stands for: Double (floating), Long (int64) or Boolean. */
    private static Object scalar(String key, Tensor t, DType expected) {
        if (t.dim() != 0 || category(t.dtype()) != category(expected))
            throw new IllegalArgumentException("optimizer state dict: '" + key + "' must be a 0-dim " + expected + " tensor, got "
                    + t.dtype() + " of shape " + t.shape());
        if (t.dtype() == DType.BOOL) return t.toBooleanArray()[0];
        if (t.dtype() == DType.INT64) return t.toLongArray()[0];
        return t.toDoubleArray()[0];
    }

    /** A 1-D tensor as a list of Doubles, Longs or Booleans. */
    private static List<Object> list(String key, Tensor t) {
        if (t.dim() != 1) throw new IllegalArgumentException("optimizer state dict: '" + key + "' must be a 1-D tensor (a list), got shape " + t.shape());
        List<Object> l = new ArrayList<>();
        if (t.dtype() == DType.BOOL) for (boolean b : t.toBooleanArray()) l.add(b);
        else if (t.dtype() == DType.INT64) for (long v : t.toLongArray()) l.add(v);
        else for (double v : t.toDoubleArray()) l.add(v);
        return l;
    }

    private static int category(DType d) {
        return d == DType.BOOL ? 0 : d == DType.INT64 ? 1 : 2;
    }

    // ------------------------------------------------------------------------------ from PyTorch

    static Optimizer.StateDict fromPyTorch(Object pickled) {
        if (!(pickled instanceof Map))
            throw new IllegalArgumentException("not an optimizer state dict: expected the dict that optimizer.state_dict() returns, got "
                    + describe(pickled));
        Map<?, ?> top = (Map<?, ?>) pickled;
        if (!top.containsKey("state") || !top.containsKey("param_groups"))
            throw new IllegalArgumentException("not an optimizer state dict: expected the keys 'state' and 'param_groups', got "
                    + keys(top) + " (for a checkpoint dict of several things, pass its optimizer entry)");
        Object stateObj = top.get("state"), groupsObj = top.get("param_groups");
        if (!(stateObj instanceof Map))
            throw new IllegalArgumentException("not an optimizer state dict: 'state' is " + describe(stateObj) + ", not a dict");
        if (!(groupsObj instanceof List))
            throw new IllegalArgumentException("not an optimizer state dict: 'param_groups' is " + describe(groupsObj) + ", not a list");

        Map<Integer, Map<String, Object>> state = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) stateObj).entrySet()) {
            Object k = e.getKey();
            if (!isIntegral(k) || ((Number) k).longValue() < 0 || ((Number) k).longValue() > Integer.MAX_VALUE)
                throw new IllegalArgumentException("optimizer state dict: 'state' has the key " + PyFormat.repr(k) + ", not a parameter index");
            state.put(((Number) k).intValue(), stringKeyed(e.getValue(), "state[" + k + "]"));
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        List<?> rawGroups = (List<?>) groupsObj;
        for (int g = 0; g < rawGroups.size(); g++) {
            Map<String, Object> group = stringKeyed(rawGroups.get(g), "param_groups[" + g + "]");
            Object params = group.get("params");
            if (params instanceof List) {   // jtorch's indices are Integers; a missing list is left for loadStateDict to refuse
                List<Integer> ids = new ArrayList<>();
                for (Object id : (List<?>) params) {
                    if (!isIntegral(id) || ((Number) id).longValue() < 0 || ((Number) id).longValue() > Integer.MAX_VALUE)
                        throw new IllegalArgumentException("optimizer state dict: param_groups[" + g + "]['params'] holds "
                                + PyFormat.repr(id) + ", not a parameter index");
                    ids.add(((Number) id).intValue());
                }
                group.put("params", ids);
            }
            groups.add(group);
        }
        return new Optimizer.StateDict(state, groups);
    }

    private static Map<String, Object> stringKeyed(Object o, String where) {
        if (!(o instanceof Map)) throw new IllegalArgumentException("optimizer state dict: " + where + " is " + describe(o) + ", not a dict");
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
            if (!(e.getKey() instanceof String))
                throw new IllegalArgumentException("optimizer state dict: " + where + " has the key " + PyFormat.repr(e.getKey()) + ", not a string");
            m.put((String) e.getKey(), e.getValue());
        }
        return m;
    }

    private static String keys(Map<?, ?> m) {
        List<String> ks = new ArrayList<>();
        for (Object k : m.keySet()) ks.add(PyFormat.repr(k));
        return ks.toString();
    }

    private static String describe(Object o) {
        if (o == null) return "None";
        if (o instanceof Tensor) return "a tensor";
        if (o instanceof Map) return "a dict";
        if (o instanceof List) return "a list";
        return "a " + o.getClass().getSimpleName();
    }
}
