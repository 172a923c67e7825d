package jtorch.serialization;

import static jtorch.serialization.Fixtures.assertBitEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import jtorch.DType;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;

/**
 * Any dict of tensors, of any dtype, shape (size-0 and size-1 dims included) and layout (row-major,
 * transposed, strided with gaps), comes back from both formats with the same bits.
 */
class RoundTripPropertiesTest {
    private Path dir;

    @BeforeProperty
    void createDir() throws IOException { dir = Files.createTempDirectory("jtorch-roundtrip"); }

    @AfterProperty
    void deleteDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) Files.delete(p);
        }
        Files.delete(dir);
    }

    /** A tensor of {@code dtype} whose elements (row-major) are random raw bits, laid out as {@code layout}. */
    static Tensor tensor(int[] shape, Props.Layout layout, DType dtype, long seed) {
        Random rnd = new Random(seed);
        int n = (int) Props.numel(shape);
        int rank = shape.length;
        if ((layout == Props.Layout.TRANSPOSED && rank < 2) || (layout == Props.Layout.STRIDED && rank == 0))
            layout = Props.Layout.CONTIGUOUS;
        int[] storageShape = shape.clone();
        if (layout == Props.Layout.TRANSPOSED) for (int i = 0; i < rank; i++) storageShape[i] = shape[rank - 1 - i];
        if (layout == Props.Layout.STRIDED) storageShape[rank - 1] = 2 * shape[rank - 1] + 1;
        int m = (int) Props.numel(storageShape);
        Object data;
        switch (dtype) {
            case FLOAT32: { float[] a = new float[m]; for (int i = 0; i < m; i++) a[i] = Float.intBitsToFloat(rnd.nextInt()); data = a; break; }
            case FLOAT64: { double[] a = new double[m]; for (int i = 0; i < m; i++) a[i] = Double.longBitsToDouble(rnd.nextLong()); data = a; break; }
            case INT64: { long[] a = new long[m]; for (int i = 0; i < m; i++) a[i] = rnd.nextLong(); data = a; break; }
            default: { boolean[] a = new boolean[m]; for (int i = 0; i < m; i++) a[i] = rnd.nextBoolean(); data = a; break; }
        }
        Tensor base = TensorInternals.wrap(data, storageShape);
        if (layout == Props.Layout.TRANSPOSED) {
            int[] perm = new int[rank];
            for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
            return base.permute(perm);
        }
        if (layout == Props.Layout.STRIDED) return base.index(Torch.ellipsis(), Torch.slice(1L, null, 2));
        assertEquals(n, m);
        return base;
    }

    @Provide
    Arbitrary<Map<String, Tensor>> stateDicts() {
        Arbitrary<Tensor> tensors = Combinators.combine(Props.shapes(), Props.layouts(), Arbitraries.of(DType.class), Props.seeds())
                .as(RoundTripPropertiesTest::tensor);
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('.', '_', '\u00e9', '\u4e2d')
                .ofMinLength(0).ofMaxLength(6);
        return Arbitraries.maps(names, tensors).ofMaxSize(5).map(LinkedHashMap::new);
    }

    @Property(seed = Props.SEED, tries = 200)
    void safetensorsReturnsTheSameBits(@ForAll("stateDicts") Map<String, Tensor> saved) throws IOException {
        Path file = dir.resolve("p.safetensors");
        Safetensors.save(saved, file);
        Map<String, Tensor> loaded = Safetensors.load(file);
        assertEquals(saved.keySet(), loaded.keySet());
        for (String k : saved.keySet()) assertBitEqual(saved.get(k), loaded.get(k), k);
    }

    @Property(seed = Props.SEED, tries = 200)
    void pytorchZipReturnsTheSameBitsInTheSameOrder(@ForAll("stateDicts") Map<String, Tensor> saved) throws IOException {
        Path file = dir.resolve("p.pt");
        PyTorchCheckpoint.save(saved, file);
        Map<String, Tensor> loaded = PyTorchCheckpoint.load(file);
        assertEquals(new ArrayList<>(saved.keySet()), List.copyOf(loaded.keySet()));
        for (String k : saved.keySet()) assertBitEqual(saved.get(k), loaded.get(k), k);
    }
}
