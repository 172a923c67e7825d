package jtorch.kernels;

import jtorch.DType;
import jtorch.Storage;

/** Another geometry over an operand's storage (a kernel's own view, e.g. with repeated dims dropped). */
final class StridedView implements StridedArray {
    private final Storage storage;
    private final int offset;
    private final int[] sizes, strides;

    StridedView(StridedArray of, int[] sizes, int[] strides, int offset) { this(of.storage(), sizes, strides, offset); }

    StridedView(Storage storage, int[] sizes, int[] strides, int offset) {
        this.storage = storage;
        this.sizes = sizes;
        this.strides = strides;
        this.offset = offset;
    }

    @Override public Storage storage() { return storage; }
    @Override public DType dtype() { return storage.dtype(); }
    @Override public int storageOffsetInternal() { return offset; }
    @Override public int[] sizesInternal() { return sizes; }
    @Override public int[] stridesInternal() { return strides; }
    @Override public boolean isContiguous() { return PointwiseLoop.unitOrBroadcast(sizes, strides) == 1; }
    @Override public long numel() { return PointwiseLoop.numel(sizes); }
    @Override public int dim() { return sizes.length; }
}
