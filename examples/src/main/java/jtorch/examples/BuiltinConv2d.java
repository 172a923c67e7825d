package jtorch.examples;

import jtorch.Tensor;
import jtorch.nn.Conv2d;

import static jtorch.Torch.*;

/** The tutorial's second program: the same kernel learned by {@code nn.Conv2d(1, 1, kernel_size=(1, 2), bias=False)}. */
public final class BuiltinConv2d {
    private BuiltinConv2d() {}

    public static void run() {
        Tensor X = CustomConv2D.edgeImage();
        Tensor K = tensor(new float[][] {{1.0f, -1.0f}});
        Tensor Y = CustomConv2D.corr2d(X, K);

        var conv2d = new Conv2d(Conv2d.options(1, 1, 1, 2).bias(false));
        X = X.reshape(1, 1, 6, 8);
        Y = Y.reshape(1, 1, 6, 7);
        for (int i = 0; i < 10; i++) {
            Tensor yHat = conv2d.forward(X);
            Tensor l = yHat.sub(Y).pow(2);
            conv2d.zeroGrad();
            l.sum().backward();
            try (var g = noGrad()) {
                conv2d.weight.sub_(conv2d.weight.grad().mul(3e-2));
            }
            if ((i + 1) % 2 == 0)
                System.out.printf("batch %d, loss %.3f%n", i + 1, l.sum().item());
        }
        System.out.println(conv2d.weight.data());
    }

    public static void main(String[] args) {
        manualSeed(Main.seed(args));
        run();
    }
}
