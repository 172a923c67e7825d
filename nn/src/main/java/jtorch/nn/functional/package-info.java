/**
 * The functional forms of the layers, as {@code torch.nn.functional}: {@link jtorch.nn.functional.F}
 * holds {@code F.linear}, {@code F.conv2d}, the pooling, activation, normalisation, dropout and
 * attention functions and the losses, each with PyTorch's arguments in its positional order.
 * Every function is differentiable through core's autograd.
 *
 * <pre>{@code
 * Tensor h = F.relu(F.conv2d(x, w, b, 1, 2, 1, 1));       // F.relu(F.conv2d(x, w, b, padding=2))
 * Tensor loss = F.crossEntropy(F.linear(h.flatten(1), w2, b2), target);
 * }</pre>
 */
package jtorch.nn.functional;
