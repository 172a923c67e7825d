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
        CustomConv2D.train(conv2d, conv2d.weight, X, Y);
    }

    public static void main(String[] args) {
        manualSeed(Main.seed(args));
        run();
    }
}
