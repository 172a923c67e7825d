package jtorch.nn;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Size;
import jtorch.Tensor;
import jtorch.nn.utils.ClipGrad;
import jtorch.nn.utils.ConvertParameters;

/**
 * {@code nn.utils}: gradient clipping and the parameter/vector conversions against PyTorch 1.13
 * ({@code tools/gen_nn_utils_fixtures.py} writes {@code utils_fixtures.txt}).
 */
class NnUtilsTest {
    private static final String FIXTURES = "/jtorch/nn/utils_fixtures.txt";
    /**
     * PyTorch rounds each parameter's norm to float32 before taking the norm of the norms; jtorch
     * accumulates every |g|^p in double and rounds once. Both are within a few float32 ulps of the
     * exact norm (8 ulps = 2^-20 relative allowed), and the clipped gradients inherit that error
     * through the coefficient.
     */
    private static final double REL = 0x1p-20;

    private static List<Parameter> paramsWithFixtureGrads() {
        List<Parameter> ps = new ArrayList<>();
        for (Tensor g : TensorRecords.read(FIXTURES, "grads").values()) {
            Parameter p = new Parameter(zeros(g.shape().toArray()));
            p.setGrad(g.clone());
            ps.add(p);
        }
        return ps;
    }

    private static void assertClose(Tensor expected, Tensor actual, double rel, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++)
            assertTrue(Math.abs(a[i] - e[i]) <= rel * Math.abs(e[i]), what + "[" + i + "]: jtorch " + a[i] + ", PyTorch " + e[i]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.0:1.0", "1.0:1.0", "inf:1.0", "3.5:1.0", "0.5:1.0", "2.0:100.0"})
    void clipGradNormMatchesPyTorch(String normAndMax) {
        String[] f = normAndMax.split(":");
        double p = f[0].equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(f[0]);
        Map<String, Tensor> expected = TensorRecords.read(FIXTURES, "norm_" + f[0] + "_max_" + f[1]);
        List<Parameter> ps = paramsWithFixtureGrads();
        Tensor total = ClipGrad.clipGradNorm_(ps, Double.parseDouble(f[1]), p);
        assertEquals(DType.FLOAT32, total.dtype());
        assertEquals(0, total.dim());
        // the infinity norm is one element exactly, so its coefficient and the clipped gradients are PyTorch's bits
        double rel = Double.isInfinite(p) ? 0 : REL;
        assertClose(expected.get("total"), total, rel, "total norm");
        for (int i = 0; i < ps.size(); i++) assertClose(expected.get("grad" + i), ps.get(i).grad(), rel, "grad" + i);
    }

    @Test void clipGradValueClampsAsPyTorch() {
        List<Parameter> ps = paramsWithFixtureGrads();
        ClipGrad.clipGradValue_(ps, 0.4);
        Map<String, Tensor> expected = TensorRecords.read(FIXTURES, "value_0.4");
        for (int i = 0; i < ps.size(); i++) assertTrue(expected.get("grad" + i).equal(ps.get(i).grad()), "grad" + i);
    }

    @Test void parametersWithoutGradientsAreSkippedAndNoneGivesZero() {
        Parameter a = new Parameter(ones(2)), b = new Parameter(ones(3));
        b.setGrad(full(new long[] {3}, 4.0));
        Tensor total = ClipGrad.clipGradNorm_(List.of(a, b), 1.0);
        assertEquals(Math.sqrt(48), total.item(), 1e-5);
        assertNull(a.grad());
        assertEquals(1.0, b.grad().pow(2).sum().sqrt().item(), 1e-5);
        assertEquals("tensor(0.)", ClipGrad.clipGradNorm_(List.of(a), 1.0).toString());   // PyTorch: tensor(0.)
        ClipGrad.clipGradValue_(a, 0.1);
        assertNull(a.grad());
    }

    @Test void aNonFiniteNormIsRefusedOnlyWhenAsked() {
        Parameter a = new Parameter(ones(2));
        a.setGrad(tensor(new float[] {1, Float.NaN}));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ClipGrad.clipGradNorm_(a, 1.0, 2.0, true));
        assertEquals("The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped. "
                + "To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`",
                e.getMessage());
        assertEquals(1.0f, a.grad().toFloatArray()[0], "nothing scaled before the refusal");
        // PyTorch's default: scaled by the NaN norm (documented), so the gradient becomes NaN
        assertTrue(Double.isNaN(ClipGrad.clipGradNorm_(List.of(a), 1.0).item()));
        assertTrue(Float.isNaN(a.grad().toFloatArray()[0]));
    }

    @Test void parametersToVectorMatchesPyTorchAndIsDifferentiable() {
        List<Parameter> ps = new ArrayList<>();
        for (Tensor g : TensorRecords.read(FIXTURES, "grads").values()) ps.add(new Parameter(g.clone()));
        Tensor vec = ConvertParameters.parametersToVector(ps);
        assertTrue(TensorRecords.read(FIXTURES, "vector").get("vec").equal(vec.detach()));
        vec.mul(arange(23.0).to(DType.FLOAT32)).sum().backward();
        assertTrue(ps.get(1).grad().equal(arange(12.0, 17.0).to(DType.FLOAT32)));
    }

    @Test void vectorToParametersMakesTheParametersViewTheVector() {
        Linear l = new Linear(3, 2);
        Parameter w = l.weight;
        Tensor vec = arange(8.0).to(DType.FLOAT32);
        ConvertParameters.vectorToParameters(vec, l.parameters());
        assertSame(w, l.weight);
        assertEquals(Size.of(2, 3), l.weight.shape());
        assertTrue(l.weight.requiresGrad());
        assertEquals("tensor([6., 7.])", l.bias.detach().toString());
        vec.index(0).fill_(42);   // PyTorch: param.data is a view of vec, so this shows through
        assertEquals(42.0, l.weight.detach().index(0, 0).item());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvertParameters.vectorToParameters(zeros(7), l.parameters()));
        assertEquals("vector_to_parameters: expected a 1-D vector of at least 8 elements (the parameters' numel), got shape torch.Size([7])",
                e.getMessage());
    }
}
