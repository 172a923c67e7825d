package jtorch.examples.autograd;

import static jtorch.Torch.full;
import static jtorch.Torch.linspace;
import static jtorch.Torch.noGrad;

import java.util.ArrayList;
import java.util.List;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.autograd.Function;

/**
 * The PyTorch tutorial "Defining new autograd functions" (polynomial_custom_function.py), ported
 * line by line: y = a + b P3(c + d x) fitted to sin(x) on [-pi, pi], P3(x) = 0.5 (5x^3 - 3x) the
 * Legendre polynomial of degree three as a custom {@link Function}. Prints what the tutorial prints
 * (tools/polynomial_custom_function.py is the PyTorch twin).
 */
public final class PolynomialCustomFunction {
    private PolynomialCustomFunction() {}

    /** class LegendrePolynomial3(torch.autograd.Function) */
    static final class LegendrePolynomial3 extends Function<Tensor> {
        @Override protected Tensor forward(Ctx ctx, Tensor... in) {
            Tensor input = in[0];
            ctx.saveForBackward(input);                                     // ctx.save_for_backward(input)
            return input.pow(3L).mul(5.0).sub(input.mul(3.0)).mul(0.5);    // 0.5 * (5 * input ** 3 - 3 * input)
        }

        @Override protected Tensor[] backward(Ctx ctx, Tensor... gradOutput) {
            Tensor input = ctx.savedTensors()[0];                           // input, = ctx.saved_tensors
            // grad_output * 1.5 * (5 * input ** 2 - 1)
            return new Tensor[] {gradOutput[0].mul(1.5).mul(input.pow(2L).mul(5.0).sub(1.0))};
        }
    }

    /** The lines the tutorial prints: "t loss" every 100 steps, then the fitted polynomial. */
    public static List<String> run() {
        List<String> lines = new ArrayList<>();
        Tensor x = linspace(-Math.PI, Math.PI, 2000);                      // dtype=torch.float
        Tensor y = x.sin();

        Tensor a = full(new long[0], 0.0).requiresGrad_();                  // torch.full((), 0.0, requires_grad=True)
        Tensor b = full(new long[0], -1.0).requiresGrad_();
        Tensor c = full(new long[0], 0.0).requiresGrad_();
        Tensor d = full(new long[0], 0.3).requiresGrad_();

        double learningRate = 5e-6;
        for (int t = 0; t < 2000; t++) {
            LegendrePolynomial3 p3 = new LegendrePolynomial3();            // P3 = LegendrePolynomial3.apply
            Tensor yPred = a.add(b.mul(p3.apply(c.add(d.mul(x)))));         // a + b * P3(c + d * x)
            Tensor loss = yPred.sub(y).pow(2L).sum();
            if (t % 100 == 99) lines.add(t + " " + PyFormat.repr(loss.item()));
            loss.backward();
            try (var g = noGrad()) {
                a.sub_(a.grad().mul(learningRate));                         // a -= learning_rate * a.grad
                b.sub_(b.grad().mul(learningRate));
                c.sub_(c.grad().mul(learningRate));
                d.sub_(d.grad().mul(learningRate));
                a.setGrad(null);                                            // a.grad = None
                b.setGrad(null);
                c.setGrad(null);
                d.setGrad(null);
            }
        }
        lines.add("Result: y = " + PyFormat.repr(a.item()) + " + " + PyFormat.repr(b.item()) + " * P3(" + PyFormat.repr(c.item())
                + " + " + PyFormat.repr(d.item()) + " x)");
        return lines;
    }

    public static void main(String[] args) {
        for (String line : run()) System.out.println(line);
    }
}
