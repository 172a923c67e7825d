/**
 * Neural-network building blocks, as {@code torch.nn}: {@link jtorch.nn.Module} (parameters, buffers,
 * children, {@code state_dict}, hooks, {@code train()}/{@code eval()}), the containers
 * ({@link jtorch.nn.Sequential}, {@link jtorch.nn.ModuleList}, {@link jtorch.nn.ModuleDict},
 * {@link jtorch.nn.ParameterList}, {@link jtorch.nn.ParameterDict}), the layers (linear,
 * convolution, pooling, normalisation, dropout, embedding, recurrent, attention and transformer),
 * the activations, the losses, and {@link jtorch.nn.init}. Names are PyTorch's in camelCase;
 * keyword arguments are options objects ({@code Conv2d.options(1, 6, 5).padding(2)}). Parameters
 * are registered and initialised in PyTorch's order, so after {@code Torch.manualSeed(s)} a model
 * holds the values PyTorch's would.
 *
 * <pre>{@code
 * class Net extends Module {
 *     final Conv2d conv = registerModule("conv", new Conv2d(1, 6, 5));
 *     final Linear fc = registerModule("fc", new Linear(6 * 24 * 24, 10));
 *     @Override public Tensor forward(Tensor x) { return fc.forward(F.relu(conv.forward(x)).flatten(1)); }
 * }
 * var net = new Net();
 * Tensor loss = new CrossEntropyLoss().forward(net.forward(Torch.randn(8, 1, 28, 28)), labels);
 * loss.backward();
 * }</pre>
 */
package jtorch.nn;
