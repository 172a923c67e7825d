package jtorch;

import java.util.ArrayList;
import java.util.List;

import jtorch.ops.Args;

/**
 * One entry of an index expression {@code x[a, b, ...]}: an integer, a slice, {@code ...},
 * {@code None} (a new axis) or a tensor of int64 or bool indices. Made by the factories here or
 * by {@link Torch#slice}, {@link Torch#ellipsis()}, {@link Torch#newAxis()}.
 *
 * <pre>{@code
 * x.index(slice(1, null), ellipsis(), newAxis());     // x[1:, ..., None]
 * x.index("1:, ..., None");                          // the same, NumPy syntax
 * }</pre>
 */
public final class TensorIndex {
    /** What an entry is. */
    public enum Kind { INTEGER, SLICE, ELLIPSIS, NONE, TENSOR }

    private final Kind kind;
    private final long integer;
    private final Long start, stop;
    private final long step;
    private final Tensor tensor;

    private TensorIndex(Kind kind, long integer, Long start, Long stop, long step, Tensor tensor) {
        this.kind = kind;
        this.integer = integer;
        this.start = start;
        this.stop = stop;
        this.step = step;
        this.tensor = tensor;
    }

    /** An integer {@code i} (negative counts from the end): removes the dim it indexes. */
    public static TensorIndex integer(long i) { return new TensorIndex(Kind.INTEGER, i, null, null, 1, null); }

    /** {@code start:stop:step}; null bounds mean "from the beginning" / "to the end". */
    public static TensorIndex slice(Long start, Long stop, long step) {
        if (step <= 0) throw new IllegalArgumentException("step must be greater than zero");
        return new TensorIndex(Kind.SLICE, 0, start, stop, step, null);
    }

    /** {@code ...} ({@code Ellipsis}): as many full slices as needed. */
    public static TensorIndex ellipsis() { return new TensorIndex(Kind.ELLIPSIS, 0, null, null, 1, null); }

    /** {@code None}: inserts a new size-1 dim. */
    public static TensorIndex none() { return new TensorIndex(Kind.NONE, 0, null, null, 1, null); }

    /** An int64 (positions) or bool (mask) tensor index. */
    public static TensorIndex tensor(Tensor t) {
        Args.notNull("index", "an index tensor", t);
        if (t.dtype() != DType.INT64 && t.dtype() != DType.BOOL)
            throw new IllegalArgumentException("tensors used as indices must be long, byte or bool tensors");
        return new TensorIndex(Kind.TENSOR, 0, null, null, 1, t);
    }

    static List<TensorIndex> of(long... ints) {
        Args.notNull("index", "indices", ints);
        List<TensorIndex> r = new ArrayList<>(ints.length);
        for (long i : ints) r.add(integer(i));
        return r;
    }

    /** What this entry is. */
    public Kind kind() { return kind; }
    /** The integer of an {@link Kind#INTEGER} entry (0 otherwise). */
    public long integer() { return integer; }
    /** The start of a {@link Kind#SLICE} entry; null means from the beginning. */
    public Long start() { return start; }
    /** The stop of a {@link Kind#SLICE} entry; null means to the end. */
    public Long stop() { return stop; }
    /** The step of a {@link Kind#SLICE} entry (positive; 1 otherwise). */
    public long step() { return step; }
    /** The index tensor of a {@link Kind#TENSOR} entry; null otherwise. */
    public Tensor tensor() { return tensor; }

    /**
     * Parses NumPy index syntax: comma-separated entries, each an integer, a slice
     * {@code [start]:[stop][:step]}, {@code ...} or {@code None}.
     */
    public static List<TensorIndex> parse(String expr) {
        Args.notNull("index", "the index string", expr);
        List<TensorIndex> out = new ArrayList<>();
        String trimmed = expr.trim();
        if (trimmed.isEmpty()) throw new IllegalArgumentException("index(\"" + expr + "\"): empty index expression");
        for (String raw : trimmed.split(",", -1)) {
            String p = raw.trim();
            Long[] bounds = null;
            try {
                if (p.equals("...")) out.add(ellipsis());
                else if (p.equals("None")) out.add(none());
                else if (p.contains(":")) {
                    String[] parts = p.split(":", -1);
                    if (parts.length > 3) throw new IllegalArgumentException("too many ':'");
                    bounds = new Long[] {parseBound(parts[0]), parseBound(parts[1]), parts.length == 3 ? parseBound(parts[2]) : null};
                } else out.add(integer(Long.parseLong(p)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("index(\"" + expr + "\"): cannot parse '" + p
                        + "' (expected an integer, start:stop[:step], '...' or 'None')", e);
            }
            // Well-formed; an invalid step gets the same error as slice(start, stop, step).
            if (bounds != null) out.add(slice(bounds[0], bounds[1], bounds[2] == null ? 1 : bounds[2]));
        }
        return out;
    }

    private static Long parseBound(String s) {
        s = s.trim();
        return s.isEmpty() ? null : Long.parseLong(s);
    }

    @Override public String toString() {
        switch (kind) {
            case INTEGER: return Long.toString(integer);
            case SLICE: return (start == null ? "" : start) + ":" + (stop == null ? "" : stop) + (step == 1 ? "" : ":" + step);
            case ELLIPSIS: return "...";
            case NONE: return "None";
            default: return "tensor" + tensor.shape();
        }
    }
}
