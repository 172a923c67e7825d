/**
 * Optimizers, as {@code torch.optim}: {@link jtorch.optim.SGD}, {@link jtorch.optim.Adam},
 * {@link jtorch.optim.AdamW}, {@link jtorch.optim.RMSprop}, {@link jtorch.optim.Adagrad},
 * {@link jtorch.optim.Adadelta}, {@link jtorch.optim.Adamax}, {@link jtorch.optim.NAdam},
 * {@link jtorch.optim.RAdam}, {@link jtorch.optim.ASGD} and {@link jtorch.optim.LBFGS}, each
 * following PyTorch 1.13's single-tensor update operation for operation, with parameter groups,
 * {@code state_dict}/{@code load_state_dict} in PyTorch's layout, and {@code zero_grad}.
 * Keyword arguments are options objects: {@code Adam.options(1e-3).weightDecay(0.01)}.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.options(0.01).momentum(0.9));
 * for (List<Tensor> batch : loader) {
 *     opt.zeroGrad();
 *     Tensor loss = criterion.forward(model.forward(batch.get(0)), batch.get(1));
 *     loss.backward();
 *     opt.step();
 * }
 * }</pre>
 */
package jtorch.optim;
