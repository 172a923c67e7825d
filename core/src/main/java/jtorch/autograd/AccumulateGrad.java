package jtorch.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import jtorch.Tensor;
import jtorch.internal.TensorInternals;

/** The sink of a leaf that requires grad: adds arriving gradients into {@code leaf.grad()}. */
public final class AccumulateGrad extends Node {
    private final Tensor leaf;
    private final List<UnaryOperator<Tensor>> hooks = new ArrayList<>();
    private final List<Consumer<Tensor>> postHooks = new ArrayList<>();

    /**
     * The sink of {@code leaf}, a tensor that requires grad and has no {@code grad_fn} (one per leaf,
     * reached through {@code grad_fn.next_functions}).
     */
    public AccumulateGrad(Tensor leaf) {
        super("AccumulateGrad");
        this.leaf = leaf;
    }

    /** {@code AccumulateGrad.variable}: the leaf whose {@code grad} this node accumulates into. */
    public Tensor variable() { return leaf; }

    /** Adds a tensor hook of the leaf, run on the gradient before accumulation. */
    public Runnable addHook(UnaryOperator<Tensor> hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Adds a hook run with the leaf after each accumulation into its {@code .grad} (see {@link Tensor#registerPostAccumulateGradHook}). */
    public Runnable addPostHook(Consumer<Tensor> hook) {
        postHooks.add(hook);
        return () -> postHooks.remove(hook);
    }

    Tensor runLeafHooks(Tensor grad) {
        for (UnaryOperator<Tensor> h : new ArrayList<>(hooks)) {
            Tensor r = h.apply(grad);
            if (r != null) grad = r;
        }
        return grad;
    }

    /**
     * Adds {@code grad} into the leaf's {@code .grad}. A first gradient that the engine reports as
     * owned (a fresh buffer nothing else refers to) and laid out like the leaf becomes {@code .grad}
     * itself; any other is cloned, so that later in-place updates of {@code .grad} cannot reach a
     * tensor someone else holds. Under grad mode (backward with {@code createGraph}) the new {@code .grad}
     * records the graph that produced it.
     */
    void accumulate(Tensor grad, boolean owned) {
        accumulateInto(grad, owned);
        for (Consumer<Tensor> h : postHooks.isEmpty() ? postHooks : new ArrayList<>(postHooks)) h.accept(leaf);
    }

    private void accumulateInto(Tensor grad, boolean owned) {
        if (grad.dtype() != leaf.dtype()) {
            grad = grad.to(leaf.dtype());
            owned = true;
        }
        Tensor old = leaf.grad();
        if (GradMode.isEnabled()) {
            // create_graph: .grad becomes a differentiable function of the graph, accumulated out of place
            // (as PyTorch's AccumulateGrad does under grad mode), so earlier .grad values stay valid.
            if (old == null) {
                Tensor fresh = jtorch.Torch.zeros(leaf.shape().toArray(), grad.dtype());
                leaf.setGrad(fresh.copy_(grad)); // PyTorch's clone_obey_contract: grad_fn CopyBackwards
            } else {
                leaf.setGrad(old.add(grad));
            }
            return;
        }
        if (old == null) {
            boolean sameLayout = grad.isContiguous() && leaf.isContiguous() && TensorInternals.offset(grad) == 0
                    && grad.storage().size() == grad.numel();
            // A leaf hook may have kept the tensor it was given (PyTorch would see its reference count).
            // A stolen buffer is detached (as PyTorch's new_grad.detach()): .grad is never a view of anything.
            leaf.setGrad(owned && sameLayout && hooks.isEmpty() ? (grad.isView() ? grad.detach() : grad) : grad.clone());
        } else {
            old.add_(grad);
        }
    }

    @Override protected Tensor[] backward(Tensor gradOutput) { return new Tensor[0]; }
}
