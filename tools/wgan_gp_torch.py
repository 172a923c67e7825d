#!/usr/bin/python3
"""A small WGAN-GP (Gulrajani et al. 2017, "Improved Training of Wasserstein GANs", Algorithm 1) on
2-D toy data, in PyTorch: the twin of examples/.../autograd/WganGp.java. The critic's gradient
penalty is the standard one,

    gp = ((grad(D(x_hat), x_hat, create_graph=True).norm(2, dim=1) - 1) ** 2).mean() * 10,

written with pow(2).sum(1).sqrt() for the norm (the same value; the Java port uses the same float
steps). Adam(lr=1e-4, betas=(0.5, 0.9)) for both networks, five critic steps per generator step, as
in the paper. Its output is the test fixture:

    /usr/bin/python3 tools/wgan_gp_torch.py > examples/src/test/resources/jtorch/examples/wgan_gp_torch.txt
"""
import math
import sys

import torch
from torch import nn

BATCH, N_CRITIC, LAMBDA_GP = 64, 5, 10.0


def real_batch(n):
    """Points on a ring of radius 2 with radial noise 0.1 (angles uniform)."""
    theta = torch.rand(n) * (2 * math.pi)
    r = torch.randn(n) * 0.1 + 2.0
    return torch.stack([r * theta.cos(), r * theta.sin()], 1)


def mlp(out_features):
    return nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, out_features))


def gradient_penalty(critic, real, fake):
    eps = torch.rand(real.shape[0], 1)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    d_hat = critic(x_hat)
    grads = torch.autograd.grad(d_hat, x_hat, grad_outputs=torch.ones_like(d_hat), create_graph=True, retain_graph=True)[0]
    norm = grads.pow(2).sum(1).sqrt()  # grads.norm(2, dim=1)
    return (norm - 1).pow(2).mean() * LAMBDA_GP


def main(steps):
    torch.manual_seed(0)
    generator = mlp(2)
    critic = mlp(1)
    opt_g = torch.optim.Adam(generator.parameters(), lr=1e-4, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.5, 0.9))
    for it in range(steps):
        for _ in range(N_CRITIC):
            real = real_batch(BATCH)
            fake = generator(torch.randn(BATCH, 2)).detach()
            gp = gradient_penalty(critic, real, fake)
            d_loss = critic(fake).mean() - critic(real).mean() + gp
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
        g_loss = -critic(generator(torch.randn(BATCH, 2))).mean()
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        print("%d d_loss %r gp %r g_loss %r" % (it, d_loss.item(), gp.item(), g_loss.item()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
