package jtorch.utils.data;

import static jtorch.Torch.arange;
import static jtorch.Torch.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Generator;
import jtorch.Props;
import jtorch.Size;
import jtorch.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** {@link TensorDataset}, {@link Subset}, {@link Dataset#randomSplit} and {@link Collate}. */
class DatasetTest {

    @Test
    void tensorDatasetReturnsRowViewsOfEachTensor() {
        Tensor x = arange(12).reshape(4, 3);
        Tensor y = arange(4).mul(-1);
        var data = new TensorDataset(x, y);
        assertEquals(4, data.size());
        List<Tensor> row = data.get(2);
        assertArrayEquals(new long[] {6, 7, 8}, row.get(0).toLongArray());
        assertEquals(0, row.get(1).dim());
        assertEquals(-2, row.get(1).itemLong());
        row.get(0).fill_(0);                                   // a view: writes through
        assertArrayEquals(new long[] {0, 0, 0}, x.index(2).toLongArray());
        assertThrows(IndexOutOfBoundsException.class, () -> data.get(4));
        assertThrows(IndexOutOfBoundsException.class, () -> data.get(-1));
    }

    @Test
    void tensorDatasetChecksItsTensors() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(arange(3), arange(4)));
        assertEquals("Size mismatch between tensors: tensor 0 has 3 rows but tensor 1 has 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, TensorDataset::new);
        assertEquals("TensorDataset needs at least one tensor", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(tensor(1.0)));
        assertEquals("TensorDataset: tensor 0 is 0-dim; every tensor needs a first dimension to index samples by", e.getMessage());
    }

    @Test
    void subsetReadsThroughItsIndices() {
        var base = Dataset.of(List.of("a", "b", "c", "d"));
        var subset = new Subset<>(base, new int[] {3, 1});
        assertEquals(2, subset.size());
        assertEquals("d", subset.get(0));
        assertEquals("b", subset.get(1));
        assertSame(base, subset.dataset());
        assertThrows(IndexOutOfBoundsException.class, () -> subset.get(2));
        var e = assertThrows(IndexOutOfBoundsException.class, () -> new Subset<>(base, new int[] {0, 4}));
        assertEquals("Subset index 4 at position 1 is out of range for a dataset of size 4", e.getMessage());
    }

    private static void assertSame(Object expected, Object actual) {
        org.junit.jupiter.api.Assertions.assertSame(expected, actual);
    }

    @Test
    void randomSplitRejectsLengthsThatDoNotAddUp() {
        var data = Dataset.of(IntStream.range(0, 10).boxed().collect(Collectors.toList()));
        var e = assertThrows(IllegalArgumentException.class, () -> Dataset.randomSplit(data, new int[] {3, 8}, new Generator(0)));
        assertEquals("Sum of input lengths does not equal the length of the input dataset! (lengths add up to 11, the dataset has 10 samples)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.randomSplit(data, new int[] {-1, 11}, new Generator(0)));
        assertEquals("Length of split at index 0 is negative: -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.randomSplit(data, new double[] {0.5, 0.6}, new Generator(0)));
        assertEquals("Sum of input lengths does not equal the length of the input dataset! (fractions must sum to 1, got 1.1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.randomSplit(data, new double[] {1.5, -0.5}, new Generator(0)));
        assertEquals("Fraction at index 0 is not between 0 and 1", e.getMessage());
    }

    /** Whatever the lengths: the subsets have those lengths and together hold every index exactly once. */
    @Property(seed = Props.SEED, tries = 40)
    void randomSplitPartitionsTheDataset(@ForAll @net.jqwik.api.constraints.Size(min = 1, max = 5) List<@IntRange(min = 0, max = 30) Integer> lengths,
                                         @ForAll long seed) {
        int n = lengths.stream().mapToInt(Integer::intValue).sum();
        var data = Dataset.of(IntStream.range(0, n).boxed().collect(Collectors.toList()));
        var subsets = Dataset.randomSplit(data, lengths.stream().mapToInt(Integer::intValue).toArray(), new Generator(seed));
        assertEquals(lengths.size(), subsets.size());
        boolean[] seen = new boolean[n];
        for (int s = 0; s < subsets.size(); s++) {
            assertEquals((int) lengths.get(s), subsets.get(s).size());
            for (int i = 0; i < subsets.get(s).size(); i++) {
                int v = subsets.get(s).get(i);
                assertTrue(!seen[v], "index " + v + " in two subsets");
                seen[v] = true;
            }
        }
    }

    record Sample(Tensor image, Tensor label) {}

    @Test
    void defaultCollateKeepsTheSampleStructure() {
        Tensor a = tensor(new float[] {1, 2}), b = tensor(new float[] {3, 4});
        Tensor la = tensor(1L), lb = tensor(2L);

        List<Tensor> list = Collate.defaultCollate(List.of(List.of(a, la), List.of(b, lb)));
        assertEquals(Size.of(2, 2), list.get(0).shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, list.get(0).toFloatArray());
        assertArrayEquals(new long[] {1, 2}, list.get(1).toLongArray());
        assertThrows(UnsupportedOperationException.class, () -> list.add(a));

        Tensor[] array = Collate.defaultCollate(List.of(new Tensor[] {a, la}, new Tensor[] {b, lb}));
        assertArrayEquals(new long[] {1, 2}, array[1].toLongArray());

        Map<String, Tensor> map = Collate.defaultCollate(List.of(Map.of("x", a, "y", la), Map.of("x", b, "y", lb)));
        assertArrayEquals(new float[] {1, 2, 3, 4}, map.get("x").toFloatArray());
        assertArrayEquals(new long[] {1, 2}, map.get("y").toLongArray());

        Sample record = Collate.defaultCollate(List.of(new Sample(a, la), new Sample(b, lb)));
        assertArrayEquals(new float[] {1, 2, 3, 4}, record.image().toFloatArray());
        assertEquals(Size.of(2), record.label().shape());
    }

    @Test
    void defaultCollateCopiesNonContiguousRowsInLogicalOrder() {
        Tensor m = arange(6).reshape(2, 3).to(DType.FLOAT64);
        Tensor t = m.t();                                      // (3, 2), not contiguous
        Tensor batch = Collate.defaultCollate(List.of(t, m.t().mul(10)));
        assertEquals(Size.of(2, 3, 2), batch.shape());
        assertEquals(DType.FLOAT64, batch.dtype());
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5, 0, 30, 10, 40, 20, 50}, batch.toDoubleArray());
    }

    @Test
    void defaultCollateStacksLikeTorchStackForMixedDtypesAndGrad() {
        Tensor mixed = Collate.defaultCollate(List.of(tensor(1L), tensor(2.5)));
        assertEquals(DType.FLOAT32, mixed.dtype());
        assertArrayEquals(new float[] {1f, 2.5f}, mixed.toFloatArray());

        Tensor w = tensor(new float[] {1, 2}).requiresGrad_();
        Tensor stacked = Collate.defaultCollate(List.of(w, tensor(new float[] {3, 4})));
        assertEquals("StackBackward0", stacked.gradFn().name());
        stacked.sum().backward();
        assertArrayEquals(new float[] {1, 1}, w.grad().toFloatArray());

        Tensor plain = Collate.defaultCollate(List.of(tensor(new float[] {1, 2}), tensor(new float[] {3, 4})));
        assertNull(plain.gradFn());
    }

    @Test
    void defaultCollateExplainsWhatItCannotCollate() {
        var e = assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(List.of(1, 2)));
        assertEquals("default collate: sample 0 is a java.lang.Integer; it collates Tensors and Lists, Tensor[] arrays, Maps and records of them."
                + " Return 0-dim tensors for scalar labels (tensor(3L)) or pass a collate function to DataLoader", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(List.of(List.of(tensor(1L)), List.of(tensor(1L), tensor(2L)))));
        assertEquals("default collate: each element in the batch should be of equal size, but sample 0 has 1 fields and sample 1 has 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(List.<Object>of(tensor(1L), "x")));
        assertEquals("default collate: sample 0 is a Tensor but sample 1 is a java.lang.String", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(List.of()));
        assertEquals("default collate: a batch needs at least one sample", e.getMessage());
    }
}
