package jtorch.serialization;

import java.math.BigInteger;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounded renderings of file content for error messages: a hostile file must not turn a message
 * into hundreds of megabytes (a tuple DAG of 41 objects prints as 2^40 elements), loop on a
 * self-containing list, or overflow the stack.
 */
final class Messages {
    private Messages() {}

    /** The longest text a message quotes from a file. */
    static final int MAX_QUOTE = 200;
    private static final int MAX_DEPTH = 8;

    /** {@code s}, cut to {@link #MAX_QUOTE} characters with a note of the full length. */
    static String clip(String s) {
        if (s.length() <= MAX_QUOTE) return s;
        return s.substring(0, MAX_QUOTE) + "... (" + s.length() + " characters)";
    }

    /** A Python-like rendering of an unpickled value, at most about {@link #MAX_QUOTE} characters. */
    static String repr(Object v) {
        StringBuilder b = new StringBuilder();
        repr(v, b, 0, new IdentityHashMap<>());
        return b.length() <= MAX_QUOTE ? b.toString() : b.substring(0, MAX_QUOTE) + "...";
    }

    private static void repr(Object v, StringBuilder b, int depth, IdentityHashMap<Object, Boolean> open) {
        if (b.length() > MAX_QUOTE) return;
        if (v == null) { b.append("None"); return; }
        if (v instanceof String) { b.append('\'').append(clip((String) v)).append('\''); return; }
        if (v instanceof Boolean) { b.append((Boolean) v ? "True" : "False"); return; }
        if (v instanceof Long || v instanceof BigInteger || v instanceof Double) { b.append(v); return; }
        boolean isMap = v instanceof Map, isList = v instanceof List;
        if (!isMap && !isList) { b.append(v.getClass().getSimpleName()); return; }
        if (open.containsKey(v) || depth >= MAX_DEPTH) { b.append(isMap ? "{...}" : "[...]"); return; }
        open.put(v, Boolean.TRUE);
        boolean tuple = v instanceof PickleTuple;
        b.append(isMap ? '{' : tuple ? '(' : '[');
        boolean first = true;
        if (isMap) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (b.length() > MAX_QUOTE) break;
                if (!first) b.append(", ");
                first = false;
                repr(e.getKey(), b, depth + 1, open);
                b.append(": ");
                repr(e.getValue(), b, depth + 1, open);
            }
        } else {
            for (Object item : (List<?>) v) {
                if (b.length() > MAX_QUOTE) break;
                if (!first) b.append(", ");
                first = false;
                repr(item, b, depth + 1, open);
            }
            if (tuple && ((List<?>) v).size() == 1) b.append(',');
        }
        b.append(isMap ? '}' : tuple ? ')' : ']');
        open.remove(v);
    }
}
