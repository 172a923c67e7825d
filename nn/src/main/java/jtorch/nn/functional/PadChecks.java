package jtorch.nn.functional;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.ops.Args;

/**
 * The argument rules of {@code F.pad} as PyTorch 1.13 applies them, checked before any index is
 * computed: which ranks each non-constant mode supports, which dims may be empty, how far reflect
 * and circular may reach, and that negative pads leave a non-empty output.
 *
 * <pre>{@code
 * PadChecks.check(x, new int[] {-2, -2}, "replicate", 0);  // x (1, 3): "input (W: 3) is too small. Calculated output W: -1"
 * }</pre>
 */
final class PadChecks {
    private PadChecks() {}

    private static final String[] DIM_NAMES = {"W", "H", "D"};

    static void check(Tensor input, int[] pad, String mode, double value) {
        Args.notNull("pad", "input", input);
        Args.notNull("pad", "pad", pad);
        Args.notNull("pad", "mode", mode);
        if (pad.length % 2 != 0) throw new IllegalArgumentException("Padding length must be divisible by 2");
        if (pad.length / 2 > input.dim()) throw new IllegalArgumentException("Padding length too large");
        if (mode.equals("constant")) {
            for (int i = 0; i < pad.length / 2; i++) {
                long out = input.size(input.dim() - 1 - i) + (long) pad[2 * i] + pad[2 * i + 1];
                if (out > Integer.MAX_VALUE)
                    throw new IllegalArgumentException("pad: padded size " + out + " of dimension " + (input.dim() - 1 - i)
                            + " is too large");
            }
            return;
        }
        if (!mode.equals("reflect") && !mode.equals("replicate") && !mode.equals("circular"))
            throw new IllegalArgumentException("Unrecognised padding mode " + mode);
        if (value != 0)
            throw new IllegalArgumentException("Padding mode \"" + mode + "\" doesn't take in value argument");
        int pairs = pad.length / 2, nd = input.dim();
        if (pairs < 1 || pairs > 3 || (nd != pairs + 1 && nd != pairs + 2))
            throw new IllegalArgumentException("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
        if (mode.equals("circular") && nd != pairs + 2)
            throw new IllegalArgumentException("Invalid padding size, expected " + 2 * (nd - 2) + " but got " + pad.length);
        if (!mode.equals("circular") && !input.isFloatingPoint())
            throw new IllegalArgumentException("\"" + (mode.equals("reflect") ? "reflection_pad" + pairs + "d"
                    : "replication_pad" + pairs + "d_cpu") + "\" not implemented for '" + input.dtype().scalarTypeName() + "'");
        int firstNonEmpty = mode.equals("circular") ? nd : mode.equals("reflect") || nd == pairs + 2 ? 1 : 0;
        for (int d = firstNonEmpty; d < nd; d++)
            if (input.size(d) == 0)
                throw new IllegalArgumentException("Expected " + (pairs + 1) + "D or " + (pairs + 2) + "D (batch mode) tensor with "
                        + "possibly 0 batch size and other non-zero dimensions for input, but got: " + input.shape().toString()
                        .replace("torch.Size(", "").replace(")", ""));
        for (int i = 0; i < pairs; i++) {
            int d = nd - 1 - i, before = pad[2 * i], after = pad[2 * i + 1];
            long size = input.size(d), out = size + before + after;
            if (mode.equals("reflect") && (before >= size || after >= size))
                throw new IllegalArgumentException("Argument #4: Padding size should be less than the corresponding input dimension, "
                        + "but got: padding (" + before + ", " + after + ") at dimension " + d + " of input "
                        + input.shape().toString().replace("torch.Size(", "").replace(")", ""));
            if (mode.equals("circular") && (before > size || after > size))
                throw new IllegalArgumentException("Padding value causes wrapping around more than once.");
            if (mode.equals("circular") && size + Math.min(before, 0) + Math.min(after, 0) <= 0) // PyTorch reads uninitialised memory
                throw new IllegalArgumentException("pad: circular padding of dimension " + d + " (size " + size + ") with ("
                        + before + ", " + after + ") crops it to nothing before wrapping");
            if (mode.equals("circular") && out <= 0)
                throw new IllegalArgumentException("Negative padding value is resulting in an empty dimension");
            if (out < 1)
                throw new IllegalArgumentException("input (" + DIM_NAMES[i] + ": " + size + ") is too small. Calculated output "
                        + DIM_NAMES[i] + ": " + out);
            if (out > Integer.MAX_VALUE)
                throw new IllegalArgumentException("pad: padded size " + out + " of dimension " + d + " is too large");
        }
    }
}
