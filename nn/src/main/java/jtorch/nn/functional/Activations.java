package jtorch.nn.functional;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * Activations composed from Tensor ops (so autograd differentiates them): leaky ReLU, GELU and the
 * error function it needs, and softmax's implicit-dim rule.
 */
final class Activations {
    private Activations() {}

    private static final double M_SQRT1_2 = 0.70710678118654752440;
    private static final double M_2_SQRTPI = 1.12837916709551257390;
    private static final double M_SQRT2 = 1.41421356237309504880;

    private static void requireFloating(Tensor t, String kernel) {
        if (!t.isFloatingPoint())
            throw new IllegalArgumentException("\"" + kernel + "\" not implemented for '" + t.dtype().scalarTypeName() + "'");
    }

    /**
     * {@code leaky_relu}: {@code x} where {@code x > 0}, else {@code x * negative_slope}, as a product
     * with a constant factor per element (so the in-place form needs no saved input).
     */
    static Tensor leakyRelu(Tensor input, double negativeSlope, boolean inplace) {
        requireFloating(input, "leaky_relu_cpu");
        Tensor factor = Torch.noGrad(() -> Torch.onesLike(input).where(input.gt(0.0), negativeSlope));
        return inplace ? input.mul_(factor) : input.mul(factor);
    }

    /**
     * {@code gelu}: {@code x/2 (1 + erf(x / sqrt 2))}, or with {@code "tanh"}
     * {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, each in PyTorch's order of operations.
     */
    static Tensor gelu(Tensor input, String approximate) {
        checkApproximate(approximate);
        requireFloating(input, "GeluKernelImpl");
        if ("tanh".equals(approximate)) {
            double kBeta = M_SQRT2 * M_2_SQRTPI * 0.5;
            Tensor inner = input.mul(input).mul(input).mul(0.044715).add(input).mul(kBeta);
            return input.mul(0.5).mul(inner.tanh().add(1.0));
        }
        Tensor scaled = input.mul(M_SQRT1_2);
        Tensor e = input.dtype() == DType.FLOAT64 ? erf(scaled) : erf(scaled.to(DType.FLOAT64)).to(input.dtype());
        return input.mul(0.5).mul(e.add(1.0));
    }

    static void checkApproximate(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate))
            throw new IllegalArgumentException("approximate argument must be either none or tanh.");
    }

    // fdlibm's s_erf.c (Sun Microsystems, 1993): rational approximations on four intervals, each
    // with error below 2^-57 relative to erf, so that the double result is within an ulp.
    private static final double ERX = 8.45062911510467529297e-01;
    private static final double[] PP = {1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02,
        -5.77027029648944159157e-03, -2.37630166566501626084e-05};
    private static final double[] QQ = {1, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03,
        1.32494738004321644526e-04, -3.96022827877536812320e-06};
    private static final double[] PA = {-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01,
        3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02, -2.16637559486879084300e-03};
    private static final double[] QA = {1, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02,
        1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02};
    private static final double[] RA = {-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01,
        -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02, -8.12874355063065934246e+01,
        -9.81432934416914548592e+00};
    private static final double[] SA = {1, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02,
        6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02, 6.57024977031928170135e+00,
        -6.04244152148580987438e-02};
    private static final double[] RB = {-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01,
        -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03, -4.83519191608651397019e+02};
    private static final double[] SB = {1, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03,
        3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02, -2.24409524465858183362e+01};

    /** Horner's rule: {@code c[0] + s (c[1] + s (c[2] + ...))}. */
    private static Tensor horner(Tensor s, double[] c) {
        Tensor acc = s.mul(c[c.length - 1]).add(c[c.length - 2]);
        for (int i = c.length - 3; i >= 0; i--) acc = acc.mul(s).add(c[i]);
        return acc;
    }

    /**
     * The error function of a float64 tensor, composed from Tensor ops after fdlibm. Each interval's
     * formula is evaluated on the input clamped into that interval, so the branches not taken stay
     * finite and contribute exact zeros to the gradient; the derivative is that of the approximation,
     * within a few ulps of {@code 2/sqrt(pi) exp(-x^2)}.
     */
    static Tensor erf(Tensor x) {
        if (x.dtype() != DType.FLOAT64) throw new IllegalArgumentException("erf: expected a float64 tensor, got " + x.dtype());
        Tensor ax = x.abs();
        Tensor negative = x.lt(0.0);
        // |x| < 0.84375: x + x R(x^2)/S(x^2)
        Tensor x0 = x.clamp(-0.84375, 0.84375);
        Tensor z0 = x0.mul(x0);
        Tensor small = x0.add(x0.mul(horner(z0, PP).div(horner(z0, QQ))));
        // 0.84375 <= |x| < 1.25: erx + P(s)/Q(s), s = |x| - 1
        Tensor s1 = ax.clamp(0.84375, 1.25).sub(1.0);
        Tensor mid = horner(s1, PA).div(horner(s1, QA)).add(ERX);
        // 1.25 <= |x| < 6: 1 - exp(-z^2 - 0.5625) exp((z - x)(z + x) + R/S) / x, z = x to 24 bits (z^2 exact)
        Tensor x2 = ax.clamp(1.25, 6.0);
        Tensor s2 = x2.mul(x2).reciprocal();
        Tensor ratio = horner(s2, RA).div(horner(s2, SA)).where(x2.lt(1 / 0.35), horner(s2, RB).div(horner(s2, SB)));
        Tensor zz = x2.detach().to(DType.FLOAT32).to(DType.FLOAT64);
        Tensor erfc = zz.mul(zz).neg().sub(0.5625).exp().mul(zz.sub(x2).mul(zz.add(x2)).add(ratio).exp()).div(x2);
        Tensor large = erfc.rsub(1.0);
        Tensor magnitude = mid.where(ax.lt(1.25), large.where(ax.lt(6.0), Torch.onesLike(x)));
        Tensor signed = magnitude.neg().where(negative, magnitude);
        Tensor result = small.where(ax.lt(0.84375), signed);
        return x.where(x.ne(x), result); // NaN stays NaN
    }

    /** {@code _get_softmax_dim}: PyTorch's implicit dim when none is given (0 for 0-, 1- and 3-dim inputs, else 1). */
    static int implicitSoftmaxDim(int ndim) {
        return ndim == 0 || ndim == 1 || ndim == 3 ? 0 : 1;
    }
}
