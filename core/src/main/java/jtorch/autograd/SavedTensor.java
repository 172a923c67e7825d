package jtorch.autograd;

import java.util.Arrays;

import jtorch.Tensor;
import jtorch.internal.TensorInternals;

/**
 * A tensor a backward needs, with the version it had when saved, so that an in-place change made
 * afterwards is detected instead of silently producing a wrong gradient.
 */
final class SavedTensor {
    private Tensor tensor;
    private final long version;
    private final String producer;
    private boolean released;

    SavedTensor(Tensor tensor) { this(tensor, null); }

    /** @param outputOf the saving node's name when {@code tensor} is that node's own output (its grad_fn is not set yet) */
    SavedTensor(Tensor tensor, String outputOf) {
        this.tensor = tensor;
        this.version = tensor.version();
        this.producer = outputOf; // else the tensor's grad_fn when the error is reported, as PyTorch names it
    }

    Tensor unpack() {
        if (released)
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access saved "
                    + "tensors after they have already been freed). Saved intermediate values of the graph are freed when "
                    + "you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through "
                    + "the graph a second time or if you need to access saved tensors after calling backward.");
        long now = tensor.version();
        if (now != version) {
            String what = "[" + tensor.legacyTypeName() + " " + Arrays.toString(TensorInternals.sizes(tensor)) + "]";
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified by an "
                    + "inplace operation: " + what + (producerName() == null ? "" : ", which is output 0 of " + producerName())
                    + ", is at version " + now + "; expected version " + version + " instead. Hint: enable anomaly "
                    + "detection to find the operation that failed to compute its gradient, with "
                    + "torch.autograd.set_detect_anomaly(True).");
        }
        return tensor;
    }

    private String producerName() {
        if (producer != null) return producer;
        Node fn = tensor.gradFn();
        return fn == null ? null : fn.name();
    }

    /** The saved tensor without the version check (null once released): for storage-identity tests only. */
    Tensor peek() { return tensor; }

    void release() {
        released = true;
        tensor = null;
    }
}
