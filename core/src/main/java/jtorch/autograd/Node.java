package jtorch.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.internal.TensorInternals;

/**
 * A vertex of the backward graph: PyTorch's {@code grad_fn}. Every node has one output (the tensor
 * it was recorded for) and one edge per input of the forward op; an edge is {@code null} where
 * that input did not require grad.
 *
 * <p>The engine calls {@link #apply(Tensor)}; subclasses implement {@link #backward(Tensor)}. Gradients
 * returned for broadcast inputs are reduced back to each input's shape and dtype here, once, so
 * that no op's backward has to undo broadcasting itself.
 */
public abstract class Node {
    /**
     * Creation order, for the ready queue. A plain counter: an increment lost to a race between two
     * recording threads only ties two nodes of different threads' graphs (PyTorch's sequence
     * numbers are per thread), and saves an atomic instruction on every recorded op.
     */
    private static long sequence;

    private final String name;
    final Node[] next;
    private final int[][] inputShapes;
    private final DType[] inputDtypes;
    /** Later nodes run first when several are ready, as in PyTorch's ready queue. */
    final long sequenceNr;
    private List<UnaryOperator<Tensor>> preHooks;
    /**
     * For a view op's node (slice, select): the part of an input-shaped tensor where this node's
     * output sits, when its backward is exactly "zeros of the input's shape with the gradient
     * copied into that part". Null for every other node. See {@link Autograd#placesGradientIn}.
     */
    UnaryOperator<Tensor> gradRegion;
    /**
     * The engine's bookkeeping for this node in the backward being set up (see
     * {@code Engine.countDependencies}): a field instead of an identity map from nodes to slots.
     */
    Engine.Slot engineSlot;

    /**
     * A node named {@code name} (PyTorch's {@code grad_fn} name, e.g. {@code "MulBackward0"}) whose
     * next functions are the {@code grad_fn}s (or sinks) of {@code inputs}.
     */
    protected Node(String name, Tensor[] inputs) {
        this.name = name;
        int n = inputs.length;
        this.next = new Node[n];
        this.inputShapes = new int[n][];
        this.inputDtypes = new DType[n];
        for (int i = 0; i < n; i++) {
            Tensor t = inputs[i];
            Node edge = t == null ? null : t.gradEdge(); // null exactly when t does not require grad
            if (edge == null) continue;
            next[i] = edge;
            inputShapes[i] = TensorInternals.sizes(t);
            inputDtypes[i] = t.dtype();
        }
        this.sequenceNr = sequence++;
    }

    /** Leaf-accumulator constructor: no inputs, and run before other ready nodes. */
    Node(String name) {
        this.name = name;
        this.next = new Node[0];
        this.inputShapes = new int[0][];
        this.inputDtypes = new DType[0];
        this.sequenceNr = Long.MAX_VALUE;
    }

    /** PyTorch's name for this node, e.g. {@code "MulBackward0"}. */
    public String name() { return name; }

    /** The nodes this one sends gradients to, {@code grad_fn.next_functions} (null entries where no grad flows). */
    public List<Node> nextFunctions() { return Collections.unmodifiableList(Arrays.asList(next)); }

    /** Whether input {@code i} of the forward op needs a gradient. */
    public boolean needsInputGrad(int i) { return next[i] != null; }

    /** Computes the gradient of each input from the gradient of the output (null entries allowed). */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** Frees what the backward saved; called by the engine unless the graph is retained. */
    protected void release() {}

    final Tensor[] apply(Tensor gradOutput) {
        Tensor[] grads = backward(gradOutput);
        if (grads.length != next.length)
            throw new IllegalStateException("function " + name + " returned an incorrect number of gradients (expected "
                    + next.length + ", got " + grads.length + ")");
        for (int i = 0; i < grads.length; i++) {
            Tensor g = grads[i];
            if (g == null || next[i] == null) {
                grads[i] = null;
                continue;
            }
            if (!Arrays.equals(TensorInternals.sizes(g), inputShapes[i])) {
                if (!jtorch.ops.Shapes.expandable(inputShapes[i], TensorInternals.sizes(g)))
                    throw new IllegalStateException("Function " + name + " returned an invalid gradient at index " + i
                            + " - got " + Arrays.toString(TensorInternals.sizes(g)) + " but expected shape compatible with "
                            + Arrays.toString(inputShapes[i]));
                g = g.sumTo(inputShapes[i]);
            }
            if (g.dtype() != inputDtypes[i]) g = g.to(inputDtypes[i]);
            grads[i] = g;
        }
        return grads;
    }

    /** Whether a tensor this node saved for its backward lives in {@code storage}. */
    boolean savesStorage(jtorch.Storage storage) { return false; }

    /**
     * Whether gradient {@code i} of {@code grads} (as returned by {@link #apply}) is a buffer nothing
     * else refers to: not a view of a saved tensor, nor of the incoming gradient unless that one was
     * itself owned, and not sharing storage with another returned gradient. Such a buffer can become
     * a leaf's {@code .grad} without a copy, as PyTorch's AccumulateGrad steals a gradient nobody
     * else holds.
     */
    final boolean ownsGradient(Tensor gradOutput, boolean gradOutputOwned, Tensor[] grads, int i) {
        jtorch.Storage s = grads[i].storage();
        if ((s == gradOutput.storage() && !gradOutputOwned) || savesStorage(s)) return false;
        for (int j = 0; j < grads.length; j++)
            if (j != i && grads[j] != null && grads[j].storage() == s) return false;
        return true;
    }

    /** Adds a hook run on the gradient arriving at this node (a tensor hook of its output). */
    public final Runnable addPreHook(UnaryOperator<Tensor> hook) {
        if (preHooks == null) preHooks = new ArrayList<>();
        preHooks.add(hook);
        return () -> preHooks.remove(hook);
    }

    /** The shape of input {@code i} when the op ran. */
    final int[] inputShape(int i) { return inputShapes[i]; }

    /** The dtype of input {@code i} when the op ran. */
    final DType inputDtype(int i) { return inputDtypes[i]; }

    /** Whether tensor hooks are registered here (one may keep the gradient, as {@code retain_grad} does). */
    final boolean hasPreHooks() { return preHooks != null && !preHooks.isEmpty(); }

    final Tensor runPreHooks(Tensor grad) {
        if (preHooks == null) return grad;
        for (UnaryOperator<Tensor> h : new ArrayList<>(preHooks)) {
            Tensor r = h.apply(grad);
            if (r != null) grad = r;
        }
        return grad;
    }

    @Override public String toString() { return "<" + name + ">"; }
}
