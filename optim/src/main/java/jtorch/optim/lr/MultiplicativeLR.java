package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

import jtorch.optim.Optimizer;

/**
 * {@code torch.optim.lr_scheduler.MultiplicativeLR}: every epoch after the first multiplies each
 * group's current learning rate by a function of the epoch,
 * {@code lr = lr * lr_lambda(last_epoch)} (one function for every group, or one per group).
 *
 * <pre>{@code
 * var sched = new MultiplicativeLR(opt, epoch -> 0.95);     // MultiplicativeLR(opt, lambda epoch: 0.95)
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(opt);
 *     sched.step();
 * }
 * }</pre>
 */
public class MultiplicativeLR extends LRScheduler {
    private final List<IntToDoubleFunction> lrLambdas;

    /** {@code MultiplicativeLR(optimizer, lr_lambda)}: the same function for every group. */
    public MultiplicativeLR(Optimizer<?> optimizer, IntToDoubleFunction lrLambda) { this(optimizer, lrLambda, -1); }

    /** {@code MultiplicativeLR(optimizer, lr_lambda, last_epoch)}. */
    public MultiplicativeLR(Optimizer<?> optimizer, IntToDoubleFunction lrLambda, int lastEpoch) {
        this(optimizer, Collections.nCopies(optimizer.paramGroups().size(), lrLambda), lastEpoch);
    }

    /** {@code MultiplicativeLR(optimizer, [lambda1, lambda2, ...])}. */
    public MultiplicativeLR(Optimizer<?> optimizer, List<? extends IntToDoubleFunction> lrLambdas) { this(optimizer, lrLambdas, -1); }

    /**
     * {@code MultiplicativeLR(optimizer, [lambda1, lambda2, ...], last_epoch)}: one function per group.
     *
     * @throws IllegalArgumentException {@code "Expected 2 lr_lambdas, but got 1"} for a list of the wrong length
     */
    public MultiplicativeLR(Optimizer<?> optimizer, List<? extends IntToDoubleFunction> lrLambdas, int lastEpoch) {
        super(optimizer);
        this.lrLambdas = LambdaLR.checkLambdas(optimizer, lrLambdas);
        initialize(lastEpoch);
    }

    @Override protected List<Double> getLr() {
        List<Double> lrs = currentLrs();
        if (lastEpoch <= 0) return lrs;
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < lrs.size(); i++) r.add(lrs.get(i) * lrLambdas.get(i).applyAsDouble(lastEpoch));
        return r;
    }

    /** The base state plus {@code lr_lambdas}: one {@code null} per group, as PyTorch saves plain functions. */
    @Override public Map<String, Object> stateDict() {
        Map<String, Object> m = super.stateDict();
        m.put("lr_lambdas", Collections.nCopies(lrLambdas.size(), null));
        return m;
    }
}
