package jtorch;

import jtorch.autograd.Node;
import jtorch.internal.TensorInternals;
import jtorch.kernels.StridedArray;

/** {@link TensorInternals}'s implementation: the one class outside Tensor that reaches its package-private members. */
final class TensorAccess implements TensorInternals.Access {
    @Override public Tensor allocate(DType dtype, int[] sizes) { return Tensor.allocate(dtype, sizes); }
    @Override public Tensor wrap(Object array, int[] sizes) { return Tensor.wrap(array, sizes); }
    @Override public Tensor alias(Tensor t, int[] sizes, int[] strides, int storageOffset) { return t.alias(sizes, strides, storageOffset); }
    @Override public int[] sizes(Tensor t) { return t.sizesInternal(); }
    @Override public int[] strides(Tensor t) { return t.stridesInternal(); }
    @Override public int offset(Tensor t) { return t.storageOffsetInternal(); }
    @Override public StridedArray strided(Tensor t) { return t == null ? null : t.strided(); }
    @Override public void bumpVersion(Tensor t) { t.bumpVersion(); }
    @Override public void setGradFn(Tensor t, Node node) { t.setGradFn(node); }
    @Override public Tensor markWrappedNumber(Tensor t) { return t.markWrappedNumber(); }
    @Override public boolean isViewMadeWithoutGrad(Tensor t) { return t.isViewMadeWithoutGrad(); }
}
