package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

import jtorch.optim.Optimizer;

/**
 * {@code torch.optim.lr_scheduler.LambdaLR}: each group's learning rate is its
 * {@code initial_lr} times a function of the epoch, {@code lr = base_lr * lr_lambda(last_epoch)}
 * (one function for every group, or one per group).
 *
 * <pre>{@code
 * var sched = new LambdaLR(opt, epoch -> Math.pow(0.95, epoch));   // LambdaLR(opt, lambda epoch: 0.95 ** epoch)
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(opt);
 *     sched.step();
 * }
 * }</pre>
 */
public class LambdaLR extends LRScheduler {
    private final List<IntToDoubleFunction> lrLambdas;

    /** {@code LambdaLR(optimizer, lr_lambda)}: the same function for every group. */
    public LambdaLR(Optimizer<?> optimizer, IntToDoubleFunction lrLambda) { this(optimizer, lrLambda, -1); }

    /** {@code LambdaLR(optimizer, lr_lambda, last_epoch)}. */
    public LambdaLR(Optimizer<?> optimizer, IntToDoubleFunction lrLambda, int lastEpoch) {
        this(optimizer, Collections.nCopies(optimizer.paramGroups().size(), lrLambda), lastEpoch);
    }

    /**
     * {@code LambdaLR(optimizer, [lambda1, lambda2, ...], last_epoch)}: one function per group.
     *
     * @throws IllegalArgumentException {@code "Expected 2 lr_lambdas, but got 1"} for a list of the wrong length
     */
    public LambdaLR(Optimizer<?> optimizer, List<? extends IntToDoubleFunction> lrLambdas, int lastEpoch) {
        super(optimizer);
        this.lrLambdas = checkLambdas(optimizer, lrLambdas);
        initialize(lastEpoch);
    }

    /** {@code LambdaLR(optimizer, [lambda1, lambda2, ...])}. */
    public LambdaLR(Optimizer<?> optimizer, List<? extends IntToDoubleFunction> lrLambdas) { this(optimizer, lrLambdas, -1); }

    static List<IntToDoubleFunction> checkLambdas(Optimizer<?> optimizer, List<? extends IntToDoubleFunction> lrLambdas) {
        int n = optimizer.paramGroups().size();
        if (lrLambdas.size() != n)
            throw new IllegalArgumentException("Expected " + n + " lr_lambdas, but got " + lrLambdas.size());
        return List.copyOf(lrLambdas);
    }

    @Override protected List<Double> getLr() {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < baseLrs.size(); i++) r.add(baseLrs.get(i) * lrLambdas.get(i).applyAsDouble(lastEpoch));
        return r;
    }

    /** The base state plus {@code lr_lambdas}: one {@code null} per group, as PyTorch saves plain functions. */
    @Override public Map<String, Object> stateDict() {
        Map<String, Object> m = super.stateDict();
        m.put("lr_lambdas", Collections.nCopies(lrLambdas.size(), null));
        return m;
    }
}
