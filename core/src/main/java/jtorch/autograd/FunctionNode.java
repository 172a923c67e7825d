package jtorch.autograd;

import jtorch.Tensor;

/** A node whose backward is a {@link BackwardFunction} declared next to its op's forward. */
public final class FunctionNode extends Node {
    private final BackwardFunction fn;
    private final SavedTensor[] saved;
    /** Shared by the nodes that save nothing (most view and linear ops): never written. */
    private static final SavedTensor[] NOTHING_SAVED = new SavedTensor[0];

    FunctionNode(String name, Tensor[] inputs, Tensor[] toSave, BackwardFunction fn) { this(name, inputs, toSave, fn, null); }

    /** @param output the tensor this node is recorded for: if saved, it is "output 0 of" this node in error messages */
    FunctionNode(String name, Tensor[] inputs, Tensor[] toSave, BackwardFunction fn, Tensor output) {
        super(name, inputs);
        this.fn = fn;
        this.saved = toSave.length == 0 ? NOTHING_SAVED : new SavedTensor[toSave.length];
        for (int i = 0; i < toSave.length; i++)
            saved[i] = toSave[i] == null ? null : new SavedTensor(toSave[i], toSave[i] == output ? name : null);
    }

    /** The {@code i}-th saved tensor, checked against in-place modification since it was saved. */
    public Tensor saved(int i) {
        SavedTensor s = saved[i];
        return s == null ? null : s.unpack();
    }

    @Override boolean savesStorage(jtorch.Storage storage) {
        for (SavedTensor s : saved) {
            Tensor t = s == null ? null : s.peek();
            if (t != null && t.storage() == storage) return true;
        }
        return false;
    }

    @Override protected Tensor[] backward(Tensor gradOutput) { return fn.apply(gradOutput, this); }

    @Override protected void release() {
        for (SavedTensor s : saved) if (s != null) s.release();
    }
}
