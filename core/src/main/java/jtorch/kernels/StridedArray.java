package jtorch.kernels;

import jtorch.DType;
import jtorch.Storage;

/**
 * What a kernel reads of an operand: a strided view of a storage array (its dtype, offset, sizes
 * and strides). The kernels take this, not {@code jtorch.Tensor}, so that the kernel layer does
 * not depend on the tensor class (which depends on the ops, which call the kernels); a
 * {@code Tensor} is one, so the ops layer passes its tensors as they are, without unpacking.
 *
 * <pre>{@code
 * Gemm.mm(out, a, b); // out, a, b: Tensors (StridedArrays), passed by the ops layer as they are
 * }</pre>
 */
public interface StridedArray {
    /** The backing storage (its array is {@code storage().array()}). */
    Storage storage();

    /** The element type (the storage's). */
    DType dtype();

    /** The index in the storage array of element (0, ..., 0). */
    int storageOffsetInternal();

    /** The sizes, not to be modified. */
    int[] sizesInternal();

    /** The strides in elements, not to be modified. */
    int[] stridesInternal();

    /** Whether the elements are dense and row-major (size-1 dims' strides ignored). */
    boolean isContiguous();

    /** The number of elements. */
    long numel();

    /** The number of dims. */
    int dim();
}
