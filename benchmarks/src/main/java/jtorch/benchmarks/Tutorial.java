package jtorch.benchmarks;

import jtorch.Tensor;
import jtorch.nn.Module;
import jtorch.nn.Parameter;

import static jtorch.Torch.noGrad;
import static jtorch.Torch.ones;
import static jtorch.Torch.rand;
import static jtorch.Torch.slice;
import static jtorch.Torch.tensor;
import static jtorch.Torch.zeros;

/**
 * The tutorial's programs as the benchmark times them: the same code as the examples'
 * {@code CustomConv2D} and {@code BuiltinConv2d} (whose helpers are package-private there), with the
 * printing left out. Their PyTorch twin is {@code tools/tutorial.py}, which {@code tools/bench_torch.py}
 * imports.
 */
final class Tutorial {
    private Tutorial() {}

    /** {@code corr2d(X, K)}: {@code Y[i, j] = (X[i:i+h, j:j+w] * K).sum()}, one output element at a time. */
    static Tensor corr2d(Tensor X, Tensor K) {
        long h = K.size(0), w = K.size(1);
        Tensor Y = zeros(X.size(0) - h + 1, X.size(1) - w + 1);
        for (long i = 0; i < Y.size(0); i++)
            for (long j = 0; j < Y.size(1); j++)
                Y.index(i, j).copy_(X.index(slice(i, i + h), slice(j, j + w)).mul(K).sum());
        return Y;
    }

    /** The tutorial's custom layer: a learnable kernel (uniform in [0, 1)) and a zero bias around {@code corr2d}. */
    static final class Conv2D extends Module {
        final Parameter weight, bias;

        Conv2D(long... kernelSize) {
            weight = registerParameter("weight", rand(kernelSize));
            bias = registerParameter("bias", zeros(1));
        }

        @Override public Tensor forward(Tensor x) { return corr2d(x, weight).add(bias); }
    }

    /** The 6x8 edge image: ones with columns 2..5 zeroed. */
    static Tensor edgeImage() {
        Tensor X = ones(6, 8);
        X.index(":, 2:6").fill_(0);
        return X;
    }

    /** The edge-detection kernel {@code [[1, -1]]} that produces the targets. */
    static Tensor kernel() { return tensor(new float[][] {{1.0f, -1.0f}}); }

    /**
     * The tutorial's loop: ten steps of gradient descent with learning rate 3e-2 on the summed squared
     * error. The loss the tutorial prints every second step is still computed (and kept), not printed.
     */
    static void train(Module conv2d, Parameter weight, Tensor X, Tensor Y) {
        for (int i = 0; i < 10; i++) {
            Tensor yHat = conv2d.forward(X);
            Tensor l = yHat.sub(Y).pow(2);
            conv2d.zeroGrad();
            l.sum().backward();
            try (var g = noGrad()) {                     // conv2d.weight.data[:] -= 3e-2 * conv2d.weight.grad
                weight.sub_(weight.grad().mul(3e-2));
            }
            if ((i + 1) % 2 == 0)
                Bench.sink = l.sum().item();
        }
        Bench.sink = weight.data();
    }
}
