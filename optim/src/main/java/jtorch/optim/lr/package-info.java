/**
 * Learning-rate schedulers, as {@code torch.optim.lr_scheduler}: {@link jtorch.optim.lr.StepLR},
 * {@link jtorch.optim.lr.MultiStepLR}, {@link jtorch.optim.lr.ExponentialLR},
 * {@link jtorch.optim.lr.CosineAnnealingLR}, {@link jtorch.optim.lr.CosineAnnealingWarmRestarts},
 * {@link jtorch.optim.lr.CyclicLR}, {@link jtorch.optim.lr.OneCycleLR},
 * {@link jtorch.optim.lr.LinearLR}, {@link jtorch.optim.lr.PolynomialLR},
 * {@link jtorch.optim.lr.LambdaLR}, {@link jtorch.optim.lr.MultiplicativeLR},
 * {@link jtorch.optim.lr.ReduceLROnPlateau}, and the combinators
 * {@link jtorch.optim.lr.SequentialLR} and {@link jtorch.optim.lr.ChainedScheduler}; their
 * learning rates are PyTorch 1.13's, epoch for epoch.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.options(0.1));
 * var sched = new CosineAnnealingLR(opt, 100);   // T_max = 100
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(model, opt);
 *     sched.step();
 * }
 * }</pre>
 */
package jtorch.optim.lr;
