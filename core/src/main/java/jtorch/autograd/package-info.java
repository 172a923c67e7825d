/**
 * Reverse-mode automatic differentiation, as {@code torch.autograd}: every differentiable op
 * records a {@link jtorch.autograd.Node} ({@code grad_fn}) through
 * {@link jtorch.autograd.Autograd#record}, {@code backward()} and
 * {@link jtorch.autograd.Autograd#grad} run the engine over that graph,
 * {@link jtorch.autograd.Function} is {@code torch.autograd.Function} (a custom op with its own
 * backward), {@link jtorch.autograd.Functional} holds {@code torch.autograd.functional}
 * ({@code jacobian}, {@code hessian}, {@code vjp}, {@code jvp}, {@code vhp}, {@code hvp}),
 * {@link jtorch.autograd.GradCheck} is {@code torch.autograd.gradcheck}, and
 * {@link jtorch.autograd.GradMode} is the per-thread grad mode behind {@code Torch.noGrad}.
 *
 * <pre>{@code
 * Tensor x = Torch.randn(3).requiresGrad_();
 * Tensor y = x.mul(x).sum();
 * y.backward();
 * x.grad();                                        // 2 * x
 * Tensor h = Functional.hessian(t -> t.pow(3).sum(), x.detach());   // diag(6 * x)
 * }</pre>
 */
package jtorch.autograd;
