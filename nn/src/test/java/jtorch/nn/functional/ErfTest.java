package jtorch.nn.functional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.autograd.GradCheck;
import jtorch.nn.NnFixtures;

/**
 * The error function that GELU is built on: values against PyTorch's {@code torch.erf} (float64,
 * elementwise within 2 ulps: both are within 1 ulp of the true value) on a grid covering every
 * interval of the fdlibm approximation, and its autograd derivative against the exact
 * {@code 2/sqrt(pi) exp(-x^2)}.
 */
class ErfTest {
    @AfterAll static void printObservedErrors() { NnFixtures.printObservedErrors(); }

    @Test void valuesMatchPyTorchWithinTwoUlps() {
        List<NnFixtures.Case> cases = NnFixtures.CASES.stream().filter(c -> c.op.equals("erf")).collect(Collectors.toList());
        assertFalse(cases.isEmpty(), "the fixture has erf cases");
        for (NnFixtures.Case c : cases) {
            Tensor x = c.tensors.stream().filter(t -> t.role.equals("in")).findFirst().orElseThrow().tensor();
            NnFixtures.TensorRecord expected = c.tensors.stream().filter(t -> t.role.equals("out")).findFirst().orElseThrow();
            NnFixtures.assertClose(c.name, expected, x.erf());
        }
    }

    @Test void derivativeIsTheGaussianDensity() {
        Tensor x = Torch.linspace(-7, 7, 2801).to(DType.FLOAT64).requiresGrad_();
        x.erf().sum().backward();
        double[] xs = x.detach().toDoubleArray(), g = x.grad().toDoubleArray();
        double worst = 0;
        for (int i = 0; i < xs.length; i++) {
            double exact = 2 / Math.sqrt(Math.PI) * Math.exp(-xs[i] * xs[i]);
            double err = Math.abs(g[i] - exact);
            // relative to the density where it is not tiny; absolutely (1e-15, a billionth of the peak
            // 1.128) in the far tails, where |x| >= 6 gives the constant 1 and so the derivative 0
            assertTrue(err <= 1e-14 * exact + 1e-15, "x=" + xs[i] + ": d erf/dx = " + g[i] + ", exact " + exact);
            if (Math.abs(xs[i]) < 5.5) worst = Math.max(worst, err / exact);
        }
        assertTrue(worst < 1e-14, "worst relative error for |x| < 5.5: " + worst);
    }

    @Test void gradcheckAcrossEveryInterval() {
        // points inside each interval of the approximation (away from the switch points, where
        // finite differences would straddle two formulas)
        Tensor x = Torch.tensor(new double[] {-5.5, -3.1, -2.0, -1.0, -0.5, 0.0, 0.3, 0.8, 1.0, 1.3, 2.5, 3.0, 4.5, 5.9}).requiresGrad_();
        assertTrue(GradCheck.gradcheck(in -> in[0].erf(), x));
    }

    @Test void specialValuesAndDtype() {
        Tensor r = Torch.tensor(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, -0.0}).erf();
        double[] v = r.toDoubleArray();
        assertEquals(1.0, v[0]);
        assertEquals(-1.0, v[1]);
        assertTrue(Double.isNaN(v[2]));
        assertEquals(-0.0, v[3]); // erf(-0) = -0, as glibc and PyTorch give
        assertEquals((float) 0.8427007929497149, Torch.ones(1).erf().toFloatArray()[0]); // float32 rounds the double result
    }
}
