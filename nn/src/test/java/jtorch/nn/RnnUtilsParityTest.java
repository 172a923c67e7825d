package jtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.utils.rnn.PackedSequence;
import jtorch.nn.utils.rnn.Rnn;

/**
 * {@code torch.nn.utils.rnn} against PyTorch 1.13 ({@code tools/gen_rnn_utils_fixtures.py} writes
 * {@code rnn_utils_fixtures.txt}): values, batch sizes, permutations, gradients through pack and
 * through pack -> pad, and PyTorch's error messages. Packing is data movement, so everything is
 * compared exactly.
 */
class RnnUtilsParityTest {
    private static final String FIXTURES = "/jtorch/nn/rnn_utils_fixtures.txt";

    private static Map<String, Tensor> fixture(String name) {
        Map<String, Tensor> r = TensorRecords.read(FIXTURES, name);
        assertTrue(!r.isEmpty(), "no fixture " + name);
        return r;
    }

    private static List<Tensor> numbered(Map<String, Tensor> r, String prefix) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; r.containsKey(prefix + i); i++) out.add(r.get(prefix + i));
        return out;
    }

    private static void assertExact(Tensor expected, Tensor actual, String what) {
        assertNotNull(actual, what + " is null");
        assertEquals(expected.dtype(), actual.dtype(), what + " dtype");
        assertEquals(expected.shape(), actual.shape(), what + " shape");
        assertTrue(expected.equal(actual), what + ": expected " + expected + " got " + actual);
    }

    @ParameterizedTest(name = "pad_{0}")
    @CsvSource({"0, false, 0.0", "1, true, -1.5", "2, true, 0.25", "3, false, 7.0", "4, false, 0.0"})
    void padSequenceMatchesPyTorch(int n, boolean batchFirst, double paddingValue) {
        Map<String, Tensor> r = fixture("pad_" + n);
        List<Tensor> seqs = new ArrayList<>();
        for (Tensor s : numbered(r, "in")) seqs.add(s.clone().requiresGrad_(true));
        Tensor out = Rnn.padSequence(seqs, batchFirst, paddingValue);
        assertExact(r.get("out"), out.detach(), "pad_sequence output");
        out.mul(r.get("w")).sum().backward();
        for (int i = 0; i < seqs.size(); i++) assertExact(r.get("grad" + i), seqs.get(i).grad(), "grad of sequence " + i);
    }

    @ParameterizedTest(name = "pack_{0}")
    @CsvSource({"0, false, true, 0.0, -1", "1, false, false, -2.0, -1", "2, true, false, 0.5, 9",
                "3, true, true, 0.0, -1", "4, false, false, 1.0, 6", "5, false, true, 0.0, 4"})
    void packThenPadMatchesPyTorch(int n, boolean batchFirst, boolean enforceSorted, double paddingValue, long totalLength) {
        Map<String, Tensor> r = fixture("pack_" + n);
        Tensor x = r.get("in0").clone().requiresGrad_(true);
        PackedSequence packed = Rnn.packPaddedSequence(x, r.get("lengths"), batchFirst, enforceSorted);
        assertExact(r.get("data"), packed.data().detach(), "packed data");
        assertExact(r.get("batch_sizes"), packed.batchSizes(), "batch_sizes");
        if (r.containsKey("sorted_indices")) {
            assertExact(r.get("sorted_indices"), packed.sortedIndices(), "sorted_indices");
            assertExact(r.get("unsorted_indices"), packed.unsortedIndices(), "unsorted_indices");
        } else {
            assertNull(packed.sortedIndices());
            assertNull(packed.unsortedIndices());
        }
        packed.data().mul(r.get("w")).sum().backward();
        assertExact(r.get("grad0"), x.grad(), "gradient through pack");

        x.setGrad(null);
        packed = Rnn.packPaddedSequence(x, r.get("lengths"), batchFirst, enforceSorted);
        Rnn.Padded padded = totalLength < 0 ? Rnn.padPackedSequence(packed, batchFirst, paddingValue)
                : Rnn.padPackedSequence(packed, batchFirst, paddingValue, totalLength);
        assertExact(r.get("padded"), padded.output().detach(), "pad_packed_sequence output");
        assertExact(r.get("lens"), padded.lengths(), "pad_packed_sequence lengths");
        padded.output().mul(r.get("w2")).sum().backward();
        assertExact(r.get("grad_roundtrip"), x.grad(), "gradient through pack -> pad");
    }

    @ParameterizedTest(name = "packseq_{0}")
    @CsvSource({"0, true", "1, false"})
    void packSequenceAndUnpackMatchPyTorch(int n, boolean enforceSorted) {
        Map<String, Tensor> r = fixture("packseq_" + n);
        List<Tensor> seqs = numbered(r, "in");
        PackedSequence packed = Rnn.packSequence(seqs, enforceSorted);
        assertExact(r.get("data"), packed.data(), "packed data");
        assertExact(r.get("batch_sizes"), packed.batchSizes(), "batch_sizes");
        if (r.containsKey("sorted_indices")) assertExact(r.get("sorted_indices"), packed.sortedIndices(), "sorted_indices");
        else assertNull(packed.sortedIndices());
        List<Tensor> expected = numbered(r, "out"), unpacked = Rnn.unpackSequence(packed);
        assertEquals(expected.size(), unpacked.size());
        for (int i = 0; i < expected.size(); i++) assertExact(expected.get(i), unpacked.get(i), "unpacked " + i);
    }

    @ParameterizedTest(name = "unpad_{0}")
    @CsvSource({"0, false", "1, true"})
    void unpadSequenceMatchesPyTorch(int n, boolean batchFirst) {
        Map<String, Tensor> r = fixture("unpad_" + n);
        Tensor padded = r.get("in0");
        List<Tensor> expected = numbered(r, "out"), out = Rnn.unpadSequence(padded, r.get("lengths"), batchFirst);
        assertEquals(expected.size(), out.size());
        for (int i = 0; i < expected.size(); i++) assertExact(expected.get(i), out.get(i), "unpadded " + i);
        assertEquals(r.get("in0").shape(), padded.shape(), "the input is not transposed in place");
    }

    // ------------------------------------------------------------------ errors

    private static String pytorchError(String name) {
        try (InputStream in = RnnUtilsParityTest.class.getResourceAsStream(FIXTURES)) {
            assertNotNull(in);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split("\t", -1);
                if (f[0].equals("error") && f[1].equals(name)) return f[3];
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no error fixture " + name);
    }

    private static void assertPyTorchError(String name, Supplier<?> call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
        assertTrue(e.getMessage().contains(pytorchError(name)), "expected PyTorch's message\n" + pytorchError(name) + "\ngot\n" + e.getMessage());
    }

    @Test
    void errorsReadLikePyTorchs() {
        Tensor x = Torch.randn(4, 3, 2);
        assertPyTorchError("unsorted", () -> Rnn.packPaddedSequence(x, new long[] {2, 3, 1}));
        assertPyTorchError("zero_length", () -> Rnn.packPaddedSequence(x, new long[] {3, 0, 0}));
        assertPyTorchError("negative_unsorted", () -> Rnn.packPaddedSequence(x, new long[] {3, -1, 1}, false, false));
        assertPyTorchError("lengths_count", () -> Rnn.packPaddedSequence(x, new long[] {3, 2}));
        assertPyTorchError("lengths_2d", () -> Rnn.packPaddedSequence(x, Torch.tensor(new long[][] {{3, 2, 1}})));
        assertPyTorchError("empty_input", () -> Rnn.packPaddedSequence(Torch.randn(0, 0, 2), new long[0]));
        PackedSequence packed = Rnn.packPaddedSequence(x, new long[] {3, 2, 1});
        assertPyTorchError("total_length", () -> Rnn.padPackedSequence(packed, false, 0.0, 2));
        assertPyTorchError("pad_empty", () -> Rnn.padSequence(List.of()));
        assertPyTorchError("pack_sequence_unsorted", () -> Rnn.packSequence(List.of(Torch.ones(1), Torch.ones(3))));
    }

    @Test
    void lengthsBeyondTheInputAreRefused() {
        // PyTorch 1.13 reads past the input's storage here; jtorch refuses
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rnn.packPaddedSequence(Torch.randn(4, 3, 2), new long[] {5, 2, 1}));
        assertTrue(e.getMessage().contains("longest length (5)") && e.getMessage().contains("(4)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Rnn.padSequence(List.of(Torch.ones(2), Torch.tensor(1.0))));
        assertThrows(IllegalArgumentException.class, () -> Rnn.packPaddedSequence(Torch.randn(4), new long[] {4}));
    }

    @Test
    void lengthsAsFloatTensorAreConvertedAsAsTensorDoes() {
        Tensor x = Torch.randn(3, 2);
        PackedSequence a = Rnn.packPaddedSequence(x, Torch.tensor(new double[] {3, 1}));
        PackedSequence b = Rnn.packPaddedSequence(x, new long[] {3, 1});
        assertTrue(a.data().equal(b.data()));
        assertTrue(a.batchSizes().equal(Torch.tensor(new long[] {2, 1, 1})));
    }

    @Test
    void packedSequenceToConvertsDataOnly() {
        PackedSequence p = Rnn.packPaddedSequence(Torch.randn(3, 2), new long[] {1, 3}, false, false);
        PackedSequence q = p.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, q.data().dtype());
        assertSame(p.batchSizes(), q.batchSizes());
        assertSame(p.unsortedIndices(), q.unsortedIndices());
        assertSame(q, q.double_());
        assertTrue(q.float_().data().equal(p.data()));
        PackedSequence manual = new PackedSequence(p.data(), p.batchSizes(), Torch.tensor(new long[] {1, 0}), null);
        assertTrue(manual.unsortedIndices().equal(Torch.tensor(new long[] {1, 0})));
        PackedSequence perm = new PackedSequence(p.data(), p.batchSizes(), Torch.tensor(new long[] {2, 0, 1}), null);
        assertTrue(perm.unsortedIndices().equal(Torch.tensor(new long[] {1, 2, 0})));
    }
}
