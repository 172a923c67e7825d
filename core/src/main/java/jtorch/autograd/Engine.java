package jtorch.autograd;

import static jtorch.internal.TensorInternals.strided;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.Collections;

import jtorch.Tensor;
import jtorch.internal.TensorInternals;

/**
 * Walks the backward graph once, in dependency order: a node runs when every node that feeds it a
 * gradient has run, so each node sees the full sum of its output's gradients. Among ready nodes the
 * most recently created runs first (as PyTorch's CPU ready queue orders them).
 */
final class Engine {
    private Engine() {}

    /**
     * @param roots        outputs to differentiate
     * @param rootGrads    their gradients (same shapes)
     * @param retainGraph  keep saved tensors for another backward
     * @param createGraph  run the backward rules with grad mode on, so that the gradients they compute record
     *                     their own graph (double backward); off, they run without recording
     * @param captures     null for {@code backward()} (accumulate into leaves); otherwise the tensors whose
     *                     gradients {@code autograd.grad} returns, without touching any {@code .grad}
     * @return for captures, the gradient of each (null where none arrived); else null
     */
    static Tensor[] execute(Tensor[] roots, Tensor[] rootGrads, boolean retainGraph, boolean createGraph, Tensor[] captures) {
        List<Node> rootNodes = new ArrayList<>();
        for (int i = 0; i < roots.length; i++) {
            Node n = roots[i].gradEdge();
            if (n == null)
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not have a grad_fn");
            rootNodes.add(n);
        }
        Slot[] rootSlots = countDependencies(rootNodes);
        for (int i = 0; i < roots.length; i++) rootSlots[i].receive(rootGrads[i], false, !createGraph);

        Map<Node, Integer> captureIndex = null;
        Set<Node> needed = null;
        Tensor[] captured = null;
        if (captures != null) {
            captureIndex = new IdentityHashMap<>();
            for (int i = 0; i < captures.length; i++) {
                Node n = captures[i].gradEdge();
                if (n == null)
                    throw new IllegalStateException("One of the differentiated Tensors does not require grad");
                captureIndex.putIfAbsent(n, i);
            }
            needed = neededFor(rootNodes, captureIndex.keySet());
            captured = new Tensor[captures.length];
        }

        PriorityQueue<Slot> ready = new PriorityQueue<>((a, b) -> Long.compare(b.node.sequenceNr, a.node.sequenceNr));
        for (Slot root : rootSlots)
            if (root.dependencies == 0 && !ready.contains(root)) ready.add(root);

        try (GradMode.Guard g = GradMode.set(createGraph)) {
            while (!ready.isEmpty()) {
                Slot slot = ready.poll();
                Node node = slot.node;
                Tensor grad = slot.grad;
                // With create_graph a gradient may be part of a graph that later steps read: never steal it.
                boolean gradOwned = slot.owned && !node.hasPreHooks() && !createGraph;
                slot.grad = null;
                Tensor[] outputs = null;
                boolean[] outputsOwned = null;
                if (grad != null) {
                    grad = node.runPreHooks(grad);
                    if (captures != null) {
                        Integer ci = captureIndex.get(node);
                        if (ci != null) {
                            if (node instanceof AccumulateGrad) grad = ((AccumulateGrad) node).runLeafHooks(grad);
                            for (int i = 0; i < captures.length; i++)
                                if (captures[i].gradEdge() == node) captured[i] = grad;
                        }
                        // Run only nodes that lead on to a capture target (a target's own node need not run).
                        if (!(node instanceof AccumulateGrad) && feedsNeeded(node, needed)
                                && !(!createGraph && placeInRegion(slot, grad))) outputs = node.apply(grad);
                    } else if (node instanceof AccumulateGrad) {
                        AccumulateGrad acc = (AccumulateGrad) node;
                        Tensor hooked = acc.runLeafHooks(grad);
                        acc.accumulate(hooked, hooked == grad && gradOwned);
                    } else if (createGraph || !placeInRegion(slot, grad)) {
                        outputs = node.apply(grad);
                    }
                    if (outputs != null) {
                        // Decided before release(): ownership looks at what the node saved.
                        outputsOwned = new boolean[outputs.length];
                        for (int i = 0; i < outputs.length; i++)
                            outputsOwned[i] = outputs[i] != null && node.ownsGradient(grad, gradOwned, outputs, i);
                        if (!retainGraph) node.release();
                    }
                }
                for (int i = 0; i < slot.next.length; i++) {
                    Slot next = slot.next[i];
                    if (next == null) continue;
                    if (outputs != null && outputs[i] != null) next.receive(outputs[i], outputsOwned[i], !createGraph);
                    if (--next.dependencies == 0) ready.add(next);
                }
            }
        }
        return captured;
    }

    /**
     * What the engine keeps per node during one backward: how many edges into it have yet to
     * deliver, the sum of the gradients delivered so far, and whether that sum is a buffer nothing
     * else refers to (see {@link Node#ownsGradient}).
     */
    static final class Slot {
        final Node node;
        /** The {@link #countDependencies} walk that made this slot (a node's {@code engineSlot} from another is stale). */
        final Object walk;
        /** The slots of {@code node.next}, resolved once, so the walk does no map lookups. */
        final Slot[] next;
        int dependencies;
        Tensor grad;
        boolean owned;

        Slot(Node node, Object walk) {
            this.node = node;
            this.walk = walk;
            this.next = new Slot[node.next.length];
        }

        /** @param raw whether the sum may be taken by kernels, in place when owned (false while a backward graph is recorded) */
        void receive(Tensor g, boolean fresh, boolean raw) {
            if (grad == null) {
                grad = g;
                owned = fresh;
            } else if (raw && sameDenseLayout(grad, g)) {
                grad = addDense(owned ? grad : null, grad, g);
                owned = true; // the sum this engine holds, or a new tensor
            } else {
                grad = grad.add(g);
                owned = true; // a new tensor
            }
        }
    }

    /**
     * Whether two gradients of one tensor are laid out alike and densely, so that their sum is one
     * pass over both storages. A weight read through {@code w.t()} in every time step of a recurrent
     * layer gets its gradients as transposed views: added elementwise they would run the strided loop
     * into a contiguous tensor.
     */
    private static boolean sameDenseLayout(Tensor a, Tensor b) {
        return a.dtype() == b.dtype() && a.isFloatingPoint() && a.storage() != b.storage()
                && java.util.Arrays.equals(TensorInternals.sizes(a), TensorInternals.sizes(b))
                && java.util.Arrays.equals(TensorInternals.strides(a), TensorInternals.strides(b)) && isDense(a);
    }

    /**
     * {@code a + b} for {@link #sameDenseLayout} operands, in one flat pass, into {@code into} (an
     * owned sum, which is {@code a}) or, when null, into a new tensor of the same layout: the same
     * values as {@code a.add(b)}.
     */
    private static Tensor addDense(Tensor into, Tensor a, Tensor b) {
        int n = (int) a.numel();
        Tensor out = into != null ? into
                : TensorInternals.alias(TensorInternals.allocate(a.dtype(), new int[] {n}), TensorInternals.sizes(a), TensorInternals.strides(a), 0);
        if (n == 0) return out;
        int[] flat = {n}, unit = {1};
        // With non-negative strides the first element of a dense block is at the storage offset.
        Tensor fo = TensorInternals.alias(out, flat, unit, TensorInternals.offset(out));
        Tensor fa = TensorInternals.alias(a, flat, unit, TensorInternals.offset(a)), fb = TensorInternals.alias(b, flat, unit, TensorInternals.offset(b));
        jtorch.kernels.PointwiseLoop.binary(jtorch.kernels.PointwiseKernels.ADD, fo.storage().array(), TensorInternals.offset(fo),
                fa.storage().array(), TensorInternals.offset(fa), unit, fb.storage().array(), TensorInternals.offset(fb), unit, flat);
        return out;
    }

    /** Whether {@code t}'s elements fill a block of its storage exactly once (a permutation of a contiguous layout). */
    private static boolean isDense(Tensor t) {
        if (t.isContiguous()) return true; // the common case, cached on the tensor
        int[] size = TensorInternals.sizes(t), stride = TensorInternals.strides(t);
        int n = size.length;
        int[] dims = new int[n];
        for (int i = 0; i < n; i++) { // insertion sort of the dims by stride (a handful of dims)
            int j = i;
            while (j > 0 && stride[dims[j - 1]] > stride[i]) { dims[j] = dims[j - 1]; j--; }
            dims[j] = i;
        }
        long expected = 1;
        for (int d : dims) {
            if (size[d] == 1) continue;
            if (stride[d] != expected) return false;
            expected *= size[d];
        }
        return true;
    }

    /**
     * A view node's backward done in place (see {@link Autograd#placesGradientIn}): the gradient
     * {@code g} is copied into a fresh zero sum of the input's shape, or added into the part of the
     * sum this backward already owns. The sum gets exactly the values the node's backward followed
     * by the sum of the two would give (the elements outside the part would only have had zeros added).
     * False, and nothing done, when the fast path does not apply: then the node runs as usual.
     */
    private static boolean placeInRegion(Slot slot, Tensor g) {
        Node node = slot.node;
        Slot target = slot.next.length == 1 ? slot.next[0] : null;
        if (node.gradRegion == null || target == null) return false;
        int[] shape = node.inputShape(0);
        jtorch.DType dtype = node.inputDtype(0);
        if (g.dtype() != dtype) return false;
        Tensor acc = target.grad;
        boolean fresh = acc == null;
        if (fresh) acc = jtorch.ops.Raw.zeros(dtype, shape);
        else if (!target.owned || acc.dtype() != dtype || !acc.isContiguous() || !java.util.Arrays.equals(TensorInternals.sizes(acc), shape))
            return false;
        Tensor part = node.gradRegion.apply(acc);
        if (!java.util.Arrays.equals(TensorInternals.sizes(part), TensorInternals.sizes(g))) return false;
        if (fresh) {
            jtorch.kernels.Copy.copy(strided(part), strided(g));
            target.grad = acc;
            target.owned = true;
        } else {
            jtorch.kernels.Copy.accumulate(strided(part), strided(g));
        }
        return true;
    }

    private static boolean feedsNeeded(Node node, Set<Node> needed) {
        for (Node nx : node.next) if (nx != null && needed.contains(nx)) return true;
        return false;
    }

    /**
     * Whether some thread is in {@link #countDependencies} using the nodes' own {@code engineSlot}
     * fields as its node-to-slot map. One walk at a time may: a concurrent one (another thread's
     * backward through a shared graph) takes an identity map instead. After the count the walk
     * follows {@link Slot#next} only, so the fields are free again for the next count.
     */
    private static final java.util.concurrent.atomic.AtomicBoolean NODE_FIELDS_IN_USE = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * A slot for each reachable node, holding how many edges point at it; returns the roots' slots,
     * in order. Iterative: graphs can be deep.
     */
    private static Slot[] countDependencies(List<Node> roots) {
        Object walk = new Object();
        if (NODE_FIELDS_IN_USE.compareAndSet(false, true)) {
            try {
                return countDependencies(roots, walk, null);
            } finally {
                NODE_FIELDS_IN_USE.set(false);
            }
        }
        // Sized like the last graph (a training loop's graphs repeat), so the map is not regrown node by node.
        return countDependencies(roots, walk, new IdentityHashMap<>(lastGraphSize));
    }

    /** @param slots the node-to-slot map, or null to keep each node's slot in its {@code engineSlot} field */
    private static Slot[] countDependencies(List<Node> roots, Object walk, Map<Node, Slot> slots) {
        ArrayDeque<Slot> stack = new ArrayDeque<>();
        Slot[] rootSlots = new Slot[roots.size()];
        int count = 0;
        for (int i = 0; i < rootSlots.length; i++) {
            Node r = roots.get(i);
            Slot s = slotOf(r, walk, slots);
            if (s == null) {
                s = newSlot(r, walk, slots);
                stack.push(s);
                count++;
            }
            rootSlots[i] = s;
        }
        while (!stack.isEmpty()) {
            Slot from = stack.pop();
            Node[] next = from.node.next;
            for (int i = 0; i < next.length; i++) {
                Node nx = next[i];
                if (nx == null) continue;
                Slot s = slotOf(nx, walk, slots);
                if (s == null) {
                    s = newSlot(nx, walk, slots);
                    stack.push(s);
                    count++;
                }
                from.next[i] = s;
                s.dependencies++;
            }
        }
        if (slots != null) lastGraphSize = Math.max(32, count);
        return rootSlots;
    }

    private static Slot slotOf(Node n, Object walk, Map<Node, Slot> slots) {
        if (slots != null) return slots.get(n);
        Slot s = n.engineSlot;
        return s != null && s.walk == walk ? s : null;
    }

    private static Slot newSlot(Node n, Object walk, Map<Node, Slot> slots) {
        Slot s = new Slot(n, walk);
        if (slots != null) slots.put(n, s);
        else n.engineSlot = s;
        return s;
    }

    /** A sizing hint only: a racy update between threads costs nothing but a regrown map. */
    private static int lastGraphSize = 32;

    /** The nodes on some path from a root to a capture target: only they need to run for autograd.grad. */
    private static Set<Node> neededFor(List<Node> roots, Set<Node> targets) {
        Map<Node, Boolean> memo = new IdentityHashMap<>();
        // Post-order without recursion: a node is needed if it is a target or feeds a needed node.
        ArrayDeque<Node> stack = new ArrayDeque<>();
        ArrayDeque<Boolean> expanded = new ArrayDeque<>();
        for (Node r : roots) { stack.push(r); expanded.push(false); }
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            boolean exp = expanded.pop();
            if (memo.containsKey(n) && !exp) continue;
            if (!exp) {
                stack.push(n); expanded.push(true);
                for (Node nx : n.next) if (nx != null && !memo.containsKey(nx)) { stack.push(nx); expanded.push(false); }
            } else {
                boolean need = targets.contains(n);
                for (Node nx : n.next) if (nx != null && Boolean.TRUE.equals(memo.get(nx))) need = true;
                memo.put(n, need);
            }
        }
        Set<Node> out = Collections.newSetFromMap(new IdentityHashMap<>());
        memo.forEach((k, v) -> { if (v) out.add(k); });
        return out;
    }
}
