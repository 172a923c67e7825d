/**
 * Hook handles, as {@code torch.utils.hooks}: {@link jtorch.utils.hooks.RemovableHandle} is what
 * registering a tensor or module hook returns.
 *
 * <pre>{@code
 * RemovableHandle h = x.registerHook(g -> g.mul(2.0));   // doubles x's gradient
 * h.remove();
 * }</pre>
 */
package jtorch.utils.hooks;
