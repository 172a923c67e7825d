package jtorch.examples;

import jtorch.Size;
import jtorch.Tensor;
import jtorch.nn.Conv2d;

import static jtorch.Torch.*;

/** The tutorial's third program: output shapes of convolutions with padding and stride. */
public final class PaddingAndStride {
    private PaddingAndStride() {}

    /** {@code comp_conv2d}: add batch and channel dims of size 1, convolve, drop them again. */
    static Tensor compConv2d(Conv2d conv2d, Tensor x) {
        x = x.reshape(Size.of(1, 1).concat(x.shape()));       // (1, 1) + x.shape
        Tensor y = conv2d.forward(x);
        return y.reshape(y.shape().slice(2));                  // Y.shape[2:]
    }

    public static void run() {
        Tensor x = rand(8, 8);
        System.out.println(compConv2d(new Conv2d(Conv2d.options(1, 1, 3).padding(1)), x).shape());
        System.out.println(compConv2d(new Conv2d(Conv2d.options(1, 1, 5, 3).padding(2, 1)), x).shape());
        System.out.println(compConv2d(new Conv2d(Conv2d.options(1, 1, 3).padding(1).stride(2)), x).shape());
    }

    public static void main(String[] args) {
        manualSeed(Main.seed(args));
        run();
    }
}
