package jtorch.kernels;

import java.util.Random;

import jtorch.DType;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static jtorch.internal.TensorInternals.strided;

/**
 * {@link ExtremumAlongDim} against the reference reduction ({@link Reduce}'s MAX/MIN and
 * ARGMAX/ARGMIN walking each window through its offset table): equal values and indices, bit for
 * bit, on random shapes, dims, layouts (permuted, stepped) and values full of ties and NaNs.
 */
class ExtremumAlongDimTest {
    @Property(seed = Props.SEED, tries = 200)
    void matchesTheReferenceReduction(@ForAll @IntRange(min = 1, max = 4) int rank, @ForAll long seed, @ForAll boolean max,
                                      @ForAll boolean keepdim, @ForAll @IntRange(min = 0, max = 2) int dtypeIndex,
                                      @ForAll @IntRange(min = 0, max = 2) int layout) {
        Random r = new Random(seed);
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) shape[d] = 1 + r.nextInt(5);
        DType dtype = new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}[dtypeIndex];
        Tensor x = arrange(values(r, shape, dtype), layout);
        int dim = r.nextInt(rank);

        boolean[] mask = new boolean[rank];
        mask[dim] = true;
        long[] outShape = shape.clone();
        outShape[dim] = 1;
        Tensor wantValues = Torch.empty(outShape, dtype), wantIndices = Torch.empty(outShape, DType.INT64);
        Reduce.reduce(max ? ReduceOp.MAX : ReduceOp.MIN, strided(x), mask, strided(wantValues));
        Reduce.reduce(max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, strided(x), mask, strided(wantIndices));
        if (!keepdim) {
            wantValues = wantValues.squeeze(dim);
            wantIndices = wantIndices.squeeze(dim);
        }
        long[] gotShape = keepdim ? outShape : wantValues.shape().toArray();
        Tensor values = Torch.empty(gotShape, dtype), indices = Torch.empty(gotShape, DType.INT64);
        ExtremumAlongDim.run(strided(x), dim, strided(values), strided(indices), max);

        double[] want = wantValues.to(DType.FLOAT64).flatten().toDoubleArray(), got = values.to(DType.FLOAT64).flatten().toDoubleArray();
        long[] wantIdx = wantIndices.flatten().toLongArray(), gotIdx = indices.flatten().toLongArray();
        for (int i = 0; i < want.length; i++) {
            assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]), "value " + i + " of " + x);
            assertEquals(wantIdx[i], gotIdx[i], "index " + i + " of " + x);
        }
    }

    /** Small integers (many ties), with NaNs sprinkled into the floating ones. */
    private static Tensor values(Random r, long[] shape, DType dtype) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = dtype != DType.INT64 && r.nextInt(12) == 0 ? Double.NaN : r.nextInt(5) - 2;
        return Torch.tensor(v).to(dtype).reshape(shape);
    }

    /** 0: contiguous; 1: dims reversed (a permuted view); 2: every other element of a longer last dim. */
    private static Tensor arrange(Tensor t, int layout) {
        int rank = t.dim();
        if (layout == 1) {
            int[] rev = new int[rank];
            for (int d = 0; d < rank; d++) rev[d] = rank - 1 - d;
            return t.permute(rev).contiguous().permute(rev);
        }
        if (layout == 2) {
            long[] wide = t.shape().toArray();
            wide[rank - 1] *= 2;
            Tensor w = Torch.zeros(wide, t.dtype());
            Tensor view = w.index(Torch.ellipsis(), Torch.slice(null, null, 2));
            view.copy_(t);
            return view;
        }
        return t;
    }
}
