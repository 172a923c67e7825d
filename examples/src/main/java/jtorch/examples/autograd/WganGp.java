package jtorch.examples.autograd;

import static jtorch.Torch.manualSeed;
import static jtorch.Torch.onesLike;
import static jtorch.Torch.rand;
import static jtorch.Torch.randn;
import static jtorch.Torch.stack;

import java.util.ArrayList;
import java.util.List;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.autograd.Autograd;
import jtorch.nn.Linear;
import jtorch.nn.Module;
import jtorch.nn.ReLU;
import jtorch.nn.Sequential;
import jtorch.optim.Adam;

/**
 * A small WGAN-GP (Gulrajani et al. 2017, Algorithm 1) on 2-D toy data: a generator and a critic
 * MLP, five critic steps per generator step, Adam(lr=1e-4, betas=(0.5, 0.9)), and the gradient
 * penalty {@code ((grad(D(x_hat), x_hat, create_graph=True).norm(2, dim=1) - 1) ** 2).mean() * 10}, a
 * second-order gradient: the critic's update differentiates its own input gradient. Line by line
 * the twin of tools/wgan_gp_torch.py, which prints the same numbers for the same seed.
 */
public final class WganGp {
    private WganGp() {}

    static final int BATCH = 64, N_CRITIC = 5;
    static final double LAMBDA_GP = 10.0;

    /** Points on a ring of radius 2 with radial noise 0.1 (angles uniform). */
    static Tensor realBatch(long n) {
        Tensor theta = rand(n).mul(2 * Math.PI);                      // torch.rand(n) * (2 * math.pi)
        Tensor r = randn(n).mul(0.1).add(2.0);                         // torch.randn(n) * 0.1 + 2.0
        return stack(List.of(r.mul(theta.cos()), r.mul(theta.sin())), 1);
    }

    static Module mlp(int outFeatures) {
        return new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 32), new ReLU(), new Linear(32, outFeatures));
    }

    static Tensor gradientPenalty(Module critic, Tensor real, Tensor fake) {
        Tensor eps = rand(real.size(0), 1);
        Tensor xHat = eps.mul(real).add(eps.rsub(1.0).mul(fake)).requiresGrad_(); // (eps * real + (1 - eps) * fake)
        Tensor dHat = critic.call(xHat);
        // torch.autograd.grad(d_hat, x_hat, grad_outputs=torch.ones_like(d_hat), create_graph=True, retain_graph=True)[0]
        Tensor grads = Autograd.grad(dHat, xHat, Autograd.gradOptions().gradOutputs(onesLike(dHat)).createGraph(true)
                .retainGraph(true))[0];
        Tensor norm = grads.pow(2L).sum(1).sqrt();                     // grads.norm(2, dim=1)
        return norm.sub(1.0).pow(2L).mean().mul(LAMBDA_GP);
    }

    /** Trains for {@code steps} generator steps; one line per step, as the twin prints them. */
    public static List<String> run(int steps) {
        List<String> lines = new ArrayList<>();
        manualSeed(0);
        Module generator = mlp(2);
        Module critic = mlp(1);
        Adam optG = new Adam(generator.parameters(), Adam.options(1e-4).betas(0.5, 0.9));
        Adam optD = new Adam(critic.parameters(), Adam.options(1e-4).betas(0.5, 0.9));
        for (int it = 0; it < steps; it++) {
            Tensor dLoss = null, gp = null;
            for (int k = 0; k < N_CRITIC; k++) {
                Tensor real = realBatch(BATCH);
                Tensor fake = generator.call(randn(BATCH, 2)).detach();
                gp = gradientPenalty(critic, real, fake);
                dLoss = critic.call(fake).mean().sub(critic.call(real).mean()).add(gp);
                optD.zeroGrad();
                dLoss.backward();
                optD.step();
            }
            Tensor gLoss = critic.call(generator.call(randn(BATCH, 2))).mean().neg();
            optG.zeroGrad();
            gLoss.backward();
            optG.step();
            lines.add(it + " d_loss " + PyFormat.repr(dLoss.item()) + " gp " + PyFormat.repr(gp.item()) + " g_loss "
                    + PyFormat.repr(gLoss.item()));
        }
        return lines;
    }

    public static void main(String[] args) {
        for (String line : run(args.length > 0 ? Integer.parseInt(args[0]) : 30)) System.out.println(line);
    }
}
