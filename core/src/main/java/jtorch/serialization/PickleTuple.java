package jtorch.serialization;

import java.util.AbstractList;
import java.util.RandomAccess;

/** A Python tuple from a pickle: an unmodifiable list (tuples and lists are told apart while unpickling). */
final class PickleTuple extends AbstractList<Object> implements RandomAccess {
    static final PickleTuple EMPTY = new PickleTuple(new Object[0]);

    private final Object[] items;

    PickleTuple(Object[] items) { this.items = items; }

    @Override public Object get(int index) { return items[index]; }

    @Override public int size() { return items.length; }

    /** For the unpickler only: puts the finished tensor in place of its placeholder. */
    void replace(int index, Object value) { items[index] = value; }
}
