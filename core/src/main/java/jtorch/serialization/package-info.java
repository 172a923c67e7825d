/**
 * Checkpoints: {@link jtorch.serialization.Safetensors} (what {@link jtorch.Torch#save} writes),
 * {@link jtorch.serialization.PyTorchCheckpoint} (the zip archives of Python's {@code torch.save},
 * read with a restricted unpickler that runs nothing) and {@link jtorch.serialization.Checkpoints},
 * which tells the two apart by content for {@link jtorch.Torch#load}.
 *
 * <pre>{@code
 * Torch.save(model.stateDict(), Path.of("model.safetensors"));
 * model.loadStateDict(Torch.load(Path.of("model.pt")));      // saved by Python's torch.save
 * }</pre>
 */
package jtorch.serialization;
