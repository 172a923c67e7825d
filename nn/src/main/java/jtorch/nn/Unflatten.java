package jtorch.nn;

import jtorch.PyFormat;
import jtorch.Tensor;

/**
 * {@code nn.Unflatten(dim, unflattened_size)}: splits dim {@code dim} into the given sizes (one of
 * them may be -1, inferred); the inverse of {@link Flatten}.
 *
 * <pre>{@code
 * var u = new Unflatten(1, 2, 5);
 * System.out.println(u);                                   // Unflatten(dim=1, unflattened_size=(2, 5))
 * Tensor y = u.forward(Torch.ones(3, 10));                 // shape (3, 2, 5)
 * }</pre>
 */
public class Unflatten extends Module {
    /** The dim that is split (negative counts from the end). */
    public final int dim;
    private final long[] unflattenedSize;

    /** {@code nn.Unflatten(dim, unflattened_size)}: the sizes must multiply to the dim's size (one may be -1). */
    public Unflatten(int dim, long... unflattenedSize) {
        jtorch.ops.Args.notNull("Unflatten", "unflattened_size", unflattenedSize);
        if (unflattenedSize.length == 0) throw new IllegalArgumentException("unflatten: sizes must be non-empty");
        this.dim = dim;
        this.unflattenedSize = unflattenedSize.clone();
    }

    /** A copy of the sizes the dim is split into. */
    public long[] unflattenedSize() { return unflattenedSize.clone(); }

    @Override public Tensor forward(Tensor input) {
        jtorch.ops.Args.notNull("unflatten", "input", input);
        long size = input.size(dim);
        long product = 1;
        int inferred = 0;
        for (long s : unflattenedSize) {
            if (s == -1) inferred++;
            else product *= s;
        }
        if (inferred > 1) throw new IllegalArgumentException("unflatten got an unexpected error:\nonly one dimension can be inferred");
        boolean fits = inferred == 1 ? product != 0 && size % product == 0 : product == size;
        if (!fits)
            throw new IllegalArgumentException("unflatten: Provided sizes " + PyFormat.list(unflattenedSize)
                    + " don't multiply up to the size of dim " + dim + " (" + size + ") in the input tensor");
        return input.unflatten(dim, unflattenedSize);
    }

    @Override protected String extraRepr() { return "dim=" + dim + ", unflattened_size=" + PyFormat.tuple(unflattenedSize); }
}
