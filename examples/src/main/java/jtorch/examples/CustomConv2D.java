package jtorch.examples;

import java.io.PrintStream;

import jtorch.Tensor;
import jtorch.nn.Module;
import jtorch.nn.Parameter;

import static jtorch.Torch.*;

/**
 * The tutorial's first program: a hand-written 2-D cross-correlation {@code corr2d} inside a
 * custom {@code Conv2D} module learns the edge-detection kernel {@code [1, -1]} back from data.
 * Its gradients flow through slicing, products, sums and index assignment into a tensor that did
 * not require grad.
 */
public final class CustomConv2D {
    private CustomConv2D() {}

    /** {@code corr2d(X, K)}: {@code Y[i, j] = (X[i:i+h, j:j+w] * K).sum()}. */
    public static Tensor corr2d(Tensor X, Tensor K) {
        long h = K.size(0), w = K.size(1);
        Tensor Y = zeros(X.size(0) - h + 1, X.size(1) - w + 1);
        for (long i = 0; i < Y.size(0); i++)
            for (long j = 0; j < Y.size(1); j++)
                Y.index(i, j).copy_(X.index(slice(i, i + h), slice(j, j + w)).mul(K).sum());
        return Y;
    }

    /** The tutorial's custom 2-D convolution layer: a learnable kernel and bias around {@code corr2d}. */
    public static class Conv2D extends Module {
        public final Parameter weight, bias;

        public Conv2D(long... kernelSize) {
            weight = registerParameter("weight", rand(kernelSize));
            bias = registerParameter("bias", zeros(1));
        }

        @Override public Tensor forward(Tensor x) { return corr2d(x, weight).add(bias); }
    }

    /** The edge image of the tutorial: ones with columns 2..5 zeroed. */
    public static Tensor edgeImage() {
        Tensor X = ones(6, 8);
        X.index(":, 2:6").fill_(0);
        return X;
    }

    public static void run() {
        Tensor X = edgeImage();
        System.out.println(X);
        Tensor K = tensor(new float[][] {{1.0f, -1.0f}});
        Tensor Y = corr2d(X, K);
        System.out.println(Y);

        var conv2d = new Conv2D(1, 2);
        train(conv2d, conv2d.weight, X, Y);
    }

    /**
     * The tutorial's loop: ten steps of gradient descent with learning rate 3e-2 on the summed
     * squared error, printing the loss every second step and the learned kernel at the end.
     */
    static void train(Module conv2d, Parameter weight, Tensor X, Tensor Y) { train(conv2d, weight, X, Y, System.out); }

    /**
     * {@link #train(Module, Parameter, Tensor, Tensor)} printing to {@code out}; with {@code null} it
     * prints nothing but still computes the loss it would print (the benchmark times it so).
     */
    public static void train(Module conv2d, Parameter weight, Tensor X, Tensor Y, PrintStream out) {
        for (int i = 0; i < 10; i++) {
            Tensor yHat = conv2d.forward(X);
            Tensor l = yHat.sub(Y).pow(2);
            conv2d.zeroGrad();
            l.sum().backward();
            try (var g = noGrad()) {                     // conv2d.weight.data[:] -= 3e-2 * conv2d.weight.grad
                weight.sub_(weight.grad().mul(3e-2));
            }
            if ((i + 1) % 2 == 0) {
                double loss = l.sum().item();
                if (out != null) out.printf("batch %d, loss %.3f%n", i + 1, loss);
            }
        }
        if (out != null) out.println(weight.data());
    }

    public static void main(String[] args) {
        manualSeed(Main.seed(args));
        run();
    }
}
