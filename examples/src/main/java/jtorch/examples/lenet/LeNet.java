package jtorch.examples.lenet;

import jtorch.nn.AvgPool2d;
import jtorch.nn.Conv2d;
import jtorch.nn.Flatten;
import jtorch.nn.Linear;
import jtorch.nn.MaxPool2d;
import jtorch.nn.Module;
import jtorch.nn.ReLU;
import jtorch.nn.Sequential;
import jtorch.nn.Sigmoid;
import jtorch.nn.init;

/**
 * The two LeNet-5 models of the example, for 1x28x28 images and ten classes.
 *
 * <pre>{@code
 * Sequential net = LeNet.classic();          // as in Dive into Deep Learning
 * Tensor logits = net.forward(images);       // (N, 1, 28, 28) -> (N, 10)
 * }</pre>
 */
public final class LeNet {
    private LeNet() {}

    /**
     * LeNet-5 as in <i>Dive into Deep Learning</i> (section "Convolutional Neural Networks
     * (LeNet)"): conv 6@5x5 with padding 2, sigmoid, 2x2 average pooling, conv 16@5x5, sigmoid,
     * 2x2 average pooling, then fully connected 400-120-84-10 with sigmoids between; weights
     * Xavier-uniform, as the book initialises them.
     */
    public static Sequential classic() {
        Sequential net = new Sequential(
                new Conv2d(Conv2d.options(1, 6, 5).padding(2)), new Sigmoid(),
                new AvgPool2d(AvgPool2d.options(2).stride(2)),
                new Conv2d(6, 16, 5), new Sigmoid(),
                new AvgPool2d(AvgPool2d.options(2).stride(2)),
                new Flatten(),
                new Linear(16 * 5 * 5, 120), new Sigmoid(),
                new Linear(120, 84), new Sigmoid(),
                new Linear(84, 10));
        net.apply(LeNet::xavierInit);
        return net;
    }

    /**
     * The same layout with today's choices: ReLU instead of sigmoid, 2x2 max pooling instead of
     * average pooling, and PyTorch's default initialisation (trained with Adam).
     */
    public static Sequential modern() {
        return new Sequential(
                new Conv2d(Conv2d.options(1, 6, 5).padding(2)), new ReLU(),
                new MaxPool2d(MaxPool2d.options(2).stride(2)),
                new Conv2d(6, 16, 5), new ReLU(),
                new MaxPool2d(MaxPool2d.options(2).stride(2)),
                new Flatten(),
                new Linear(16 * 5 * 5, 120), new ReLU(),
                new Linear(120, 84), new ReLU(),
                new Linear(84, 10));
    }

    /** D2L's {@code init_cnn}: {@code xavier_uniform_} on the weights of every Linear and Conv2d. */
    private static void xavierInit(Module m) {
        if (m instanceof Linear) init.xavierUniform_(((Linear) m).weight);
        if (m instanceof Conv2d) init.xavierUniform_(((Conv2d) m).weight);
    }
}
