#!/usr/bin/python3
"""The PyTorch twin of examples/.../Main.java: the tutorial's three programs in one script,
seeded once. Run with Debian's python3-torch: /usr/bin/python3 tools/tutorial.py [--seed N]
Its output equals `mvn -q -B -pl examples exec:java` (README, "Same numbers as PyTorch")."""
import sys
import torch
from torch import nn


def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros(X.shape[0] - h + 1, X.shape[1] - w + 1)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    return Y


class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = nn.Parameter(torch.rand(kernel_size))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return corr2d(x, self.weight) + self.bias


def edge_image():
    X = torch.ones((6, 8))
    X[:, 2:6] = 0
    return X


def train(conv2d, X, Y):
    for i in range(10):
        Y_hat = conv2d(X)
        l = (Y_hat - Y) ** 2
        conv2d.zero_grad()
        l.sum().backward()
        conv2d.weight.data[:] -= 3e-2 * conv2d.weight.grad
        if (i + 1) % 2 == 0:
            print(f'batch {i + 1}, loss {l.sum():.3f}')
    print(conv2d.weight.data)


def comp_conv2d(conv2d, x):
    x = x.reshape((1, 1) + x.shape)
    Y = conv2d(x)
    return Y.reshape(Y.shape[2:])


def main():
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0
    torch.manual_seed(seed)
    print("# 1. corr2d and a custom Conv2D module")
    X = edge_image()
    print(X)
    K = torch.tensor([[1.0, -1.0]])
    Y = corr2d(X, K)
    print(Y)
    train(Conv2D(kernel_size=(1, 2)), X, Y)
    print()
    print("# 2. nn.Conv2d(1, 1, kernel_size=(1, 2), bias=False)")
    X = edge_image()
    Y = corr2d(X, K)
    conv2d = nn.Conv2d(1, 1, kernel_size=(1, 2), bias=False)
    train(conv2d, X.reshape((1, 1, 6, 8)), Y.reshape((1, 1, 6, 7)))
    print()
    print("# 3. padding and stride")
    x = torch.rand(size=(8, 8))
    print(comp_conv2d(nn.Conv2d(1, 1, kernel_size=3, padding=1), x).shape)
    print(comp_conv2d(nn.Conv2d(1, 1, kernel_size=(5, 3), padding=(2, 1)), x).shape)
    print(comp_conv2d(nn.Conv2d(1, 1, kernel_size=3, padding=1, stride=2), x).shape)


if __name__ == "__main__":
    main()
