/**
 * The {@code torch} namespace and its tensor: {@link jtorch.Tensor} ({@code torch.Tensor}),
 * {@link jtorch.Torch} (the {@code torch.*} functions: factories, random sampling, grad mode,
 * joining, {@code save}/{@code load}), {@link jtorch.DType} ({@code torch.float32}, ...),
 * {@link jtorch.Size} ({@code torch.Size}), {@link jtorch.Storage} (the typed array a tensor views),
 * {@link jtorch.TensorIndex} (the entries of {@code x[...]}), {@link jtorch.Generator}
 * ({@code torch.Generator} on CPU: the MT19937 engine of PyTorch's CPU generator) and
 * {@link jtorch.linalg} ({@code torch.linalg}).
 *
 * <pre>{@code
 * import static jtorch.Torch.*;
 *
 * manualSeed(0);
 * Tensor x = randn(2, 3).requiresGrad_();
 * Tensor y = x.mul(x).sum();
 * y.backward();
 * System.out.println(x.grad());   // 2 * x
 * }</pre>
 */
package jtorch;
