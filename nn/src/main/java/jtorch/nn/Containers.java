package jtorch.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import jtorch.Tensor;

/** What {@link ModuleDict}, {@link ParameterList} and {@link ParameterDict} share: entry order and reprs. */
final class Containers {
    private Containers() {}

    /**
     * The entries of {@code map} in the order they are added: a map's own order when it has one
     * (a {@code LinkedHashMap}, the analogue of Python's ordered dict, a {@code SortedMap}, or one of
     * the containers), otherwise (a {@code HashMap}, {@code Map.of}) by key, so that the result never
     * depends on hashing; PyTorch's {@code ParameterDict} sorts a plain mapping the same way.
     */
    static <V> List<Map.Entry<String, V>> orderedEntries(Map<String, ? extends V> map) {
        List<Map.Entry<String, V>> out = new ArrayList<>();
        for (Map.Entry<String, ? extends V> e : map.entrySet()) out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
        if (!(map instanceof LinkedHashMap) && !(map instanceof SortedMap)) out.sort(Map.Entry.comparingByKey());
        return out;
    }

    /** PyTorch's line for one entry: {@code (k): Parameter containing: [torch.float32 of size 2x3]}. */
    static String parameterLine(String key, Tensor p, boolean legacyTypeName) {
        if (p == null) return "  (" + key + "): Object of type: NoneType";
        StringBuilder size = new StringBuilder();
        for (int d = 0; d < p.dim(); d++) size.append(d == 0 ? "" : "x").append(p.size(d));
        String type = legacyTypeName ? typeName(p) : p.dtype().toString();
        return "  (" + key + "): " + (p instanceof Parameter ? "Parameter" : "Tensor") + " containing: [" + type + " of size " + size + "]";
    }

    /** {@code torch.typename(t)}, the legacy tensor type names {@code ParameterDict} prints. */
    private static String typeName(Tensor t) {
        switch (t.dtype()) {
            case FLOAT32: return "torch.FloatTensor";
            case FLOAT64: return "torch.DoubleTensor";
            case INT64: return "torch.LongTensor";
            case BOOL: return "torch.BoolTensor";
            default: return t.dtype().toString();
        }
    }
}
