#!/usr/bin/python3
"""The PyTorch twin of jtorch's LeNet example (examples/.../lenet/TrainLeNet.java): the same models,
optimisers, batches and metrics, for comparing accuracy and seconds per epoch on one machine.

    /usr/bin/python3 tools/lenet_torch.py [--data DIR] [--epochs N] [--model classic|modern]
                                          [--batch-size N] [--lr X] [--seed N] [--threads N]

Reads the gzip'd IDX files of Fashion-MNIST (default /usr/share/datasets/fashion-mnist, from
Debian's package dataset-fashion-mnist) with the standard library, so torchvision is not needed;
images become float32 in [0, 1] as ToTensor makes them. With the same seed, jtorch and this
script build the same initial weights and draw the same shuffled batches, so their first-batch
losses agree to float rounding.
"""

import argparse
import gzip
import os
import struct
import sys
import time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def read_idx(path, magic, ndim):
    with gzip.open(path, "rb") as f:
        data = f.read()
    got, = struct.unpack(">I", data[:4])
    if got != magic:
        sys.exit("%s: wrong magic number %#010x, expected %#010x" % (path, got, magic))
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return dims, bytearray(data[4 + 4 * ndim:])


def load(root, train):
    prefix = "train" if train else "t10k"
    images = os.path.join(root, prefix + "-images-idx3-ubyte.gz")
    labels = os.path.join(root, prefix + "-labels-idx1-ubyte.gz")
    for p in (images, labels):
        if not os.path.exists(p):
            sys.exit("%s not found: install Debian's package dataset-fashion-mnist or pass --data DIR" % p)
    (n, rows, cols), pixels = read_idx(images, 2051, 3)
    (m,), targets = read_idx(labels, 2049, 1)
    x = torch.frombuffer(pixels, dtype=torch.uint8).reshape(n, 1, rows, cols).float().div(255)
    y = torch.frombuffer(targets, dtype=torch.uint8).long()
    return TensorDataset(x, y)


def classic():
    net = nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.Sigmoid(),
        nn.Linear(84, 10))

    def init_cnn(m):  # D2L's Xavier initialisation
        if type(m) == nn.Linear or type(m) == nn.Conv2d:
            nn.init.xavier_uniform_(m.weight)
    net.apply(init_cnn)
    return net


def modern():
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.ReLU(),
        nn.MaxPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.ReLU(),
        nn.MaxPool2d(kernel_size=2, stride=2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def accuracy(net, loader):
    net.eval()
    correct = total = 0
    with torch.no_grad():
        for X, y in loader:
            correct += (net(X).argmax(1) == y).sum().item()
            total += y.shape[0]
    return correct / total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--model", choices=["classic", "modern"], default="modern")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--lr", type=float, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    lr = args.lr if args.lr is not None else (0.9 if args.model == "classic" else 3e-3)

    train, test = load(args.data, True), load(args.data, False)
    torch.manual_seed(args.seed)
    net = classic() if args.model == "classic" else modern()
    optimizer = torch.optim.SGD(net.parameters(), lr=lr) if args.model == "classic" \
        else torch.optim.Adam(net.parameters(), lr=lr)
    loss = nn.CrossEntropyLoss()
    train_loader = DataLoader(train, batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(test, batch_size=1000)
    print("LeNet (%s) on Fashion-MNIST: %d training and %d test images, batch size %d, %s lr %s, seed %d, torch %s, %d threads"
          % (args.model, len(train), len(test), args.batch_size, type(optimizer).__name__, lr, args.seed,
             torch.__version__, torch.get_num_threads()))
    for epoch in range(1, args.epochs + 1):
        start = time.time()
        net.train()
        loss_sum, correct, seen = 0.0, 0, 0
        for X, y in train_loader:
            y_hat = net(X)
            l = loss(y_hat, y)
            optimizer.zero_grad()
            l.backward()
            optimizer.step()
            if epoch == 1 and seen == 0:
                print("first batch loss %.6f" % l.item())
            loss_sum += l.item() * y.shape[0]
            correct += (y_hat.argmax(1) == y).sum().item()
            seen += y.shape[0]
        seconds = time.time() - start
        test_acc = accuracy(net, test_loader)
        print("epoch %d: loss %.4f, train acc %.4f, test acc %.4f, %.1f s (%.0f img/s)"
              % (epoch, loss_sum / seen, correct / seen, test_acc, seconds, seen / seconds))


if __name__ == "__main__":
    main()
