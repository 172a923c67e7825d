package jtorch.internal;

import java.lang.reflect.Constructor;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.autograd.Node;
import jtorch.kernels.StridedArray;

/**
 * The parts of {@link Tensor} that only op implementations may touch: uninitialised allocation,
 * views without autograd, the geometry arrays themselves, the version counter and the producing
 * node. They are package-private on {@code Tensor}; this class reaches them for jtorch's own
 * packages ({@code jtorch.ops}, {@code jtorch.autograd}, ..., and {@code jtorch.nn}, to which the
 * package is exported). On the module path users cannot call it; on the class path it is there
 * but not part of the API (no compatibility promise, as for {@code jtorch.kernels}).
 *
 * <pre>{@code
 * Tensor out = TensorInternals.allocate(a.dtype(), TensorInternals.sizes(a));
 * }</pre>
 */
public final class TensorInternals {
    /** What {@code jtorch.TensorAccess} implements with Tensor's package-private members. */
    public interface Access {
        /** See {@link TensorInternals#allocate}. */
        Tensor allocate(DType dtype, int[] sizes);

        /** See {@link TensorInternals#wrap}. */
        Tensor wrap(Object array, int[] sizes);

        /** See {@link TensorInternals#alias}. */
        Tensor alias(Tensor t, int[] sizes, int[] strides, int storageOffset);

        /** See {@link TensorInternals#sizes}. */
        int[] sizes(Tensor t);

        /** See {@link TensorInternals#strides}. */
        int[] strides(Tensor t);

        /** See {@link TensorInternals#offset}. */
        int offset(Tensor t);

        /** See {@link TensorInternals#strided}. */
        StridedArray strided(Tensor t);

        /** See {@link TensorInternals#bumpVersion}. */
        void bumpVersion(Tensor t);

        /** See {@link TensorInternals#setGradFn}. */
        void setGradFn(Tensor t, Node node);

        /** See {@link TensorInternals#markWrappedNumber}. */
        Tensor markWrappedNumber(Tensor t);

        /** See {@link TensorInternals#isViewMadeWithoutGrad}. */
        boolean isViewMadeWithoutGrad(Tensor t);
    }

    // Made reflectively so that neither class's initialisation waits for the other's: the
    // implementation is package-private in jtorch, and jtorch.internal lies in the same module.
    private static final Access ACCESS = load();

    private static Access load() {
        try {
            Constructor<?> constructor = Class.forName("jtorch.TensorAccess").getDeclaredConstructor();
            constructor.setAccessible(true);
            return (Access) constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TensorInternals() {}

    /** A new zero-filled contiguous tensor (users call {@code Torch.empty}). */
    public static Tensor allocate(DType dtype, int[] sizes) { return ACCESS.allocate(dtype, sizes); }

    /** A contiguous tensor over an existing {@code float[]}, {@code double[]}, {@code long[]} or {@code boolean[]} (no copy). */
    public static Tensor wrap(Object array, int[] sizes) { return ACCESS.wrap(array, sizes); }

    /**
     * A view of {@code t}'s storage with the given geometry, without autograd (the differentiable
     * views are in {@code jtorch.ops.Views}); it shares storage and version counter and is
     * registered as a view of {@code t}'s base. The geometry must lie inside the storage.
     */
    public static Tensor alias(Tensor t, int[] sizes, int[] strides, int storageOffset) {
        return ACCESS.alias(t, sizes, strides, storageOffset);
    }

    /** {@code t}'s sizes array itself (do not modify). */
    public static int[] sizes(Tensor t) { return ACCESS.sizes(t); }

    /** {@code t}'s strides array itself (do not modify). */
    public static int[] strides(Tensor t) { return ACCESS.strides(t); }

    /** {@code t}'s storage offset as an int. */
    public static int offset(Tensor t) { return ACCESS.offset(t); }

    /** {@code t} as the kernels see it: storage, offset, sizes and strides (follows {@code t.setData}); null for null (an absent bias). */
    public static StridedArray strided(Tensor t) { return ACCESS.strided(t); }

    /** Marks an in-place modification of {@code t}'s storage. */
    public static void bumpVersion(Tensor t) { ACCESS.bumpVersion(t); }

    /** Sets the node that produced {@code t} (the autograd layer and in-place ops). */
    public static void setGradFn(Tensor t, Node node) { ACCESS.setGradFn(t, node); }

    /** Marks {@code t} as a wrapped Python scalar, which promotes as a number; returns {@code t}. */
    public static Tensor markWrappedNumber(Tensor t) { return ACCESS.markWrappedNumber(t); }

    /** Whether {@code t} is a view made with grad mode off (an in-place write to it under grad mode is refused). */
    public static boolean isViewMadeWithoutGrad(Tensor t) { return ACCESS.isViewMadeWithoutGrad(t); }
}
