#!/usr/bin/python3
"""pytorch/examples mnist/main.py (CPU), the PyTorch twin of jtorch's MnistExample.

The script of https://github.com/pytorch/examples/blob/main/mnist/main.py with two changes, so
that it runs without torchvision and without a download: the images are read from the gzip'd
IDX files in --data (MNIST's, or Fashion-MNIST's, which have the same format) and scaled and
normalised as transforms.ToTensor() and transforms.Normalize((0.1307,), (0.3081,)) do; and
--train-batches N ends each training epoch after N batches (the script's --dry-run is N = 1),
so that a small run takes seconds. Everything else -- the Net, Adadelta(lr), StepLR(step_size=1,
gamma), the unshuffled loaders, the printed lines -- is the script's.

    /usr/bin/python3 tools/mnist_torch.py --data core/src/test/resources/jtorch/datasets/fashion-mnist \\
        --epochs 2 --train-batches 3 --log-interval 1 > examples/src/test/resources/jtorch/examples/mnist_subset_torch.txt

(the command that wrote the fixture MnistExampleTest compares against).
"""
import argparse
import gzip
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout2(x)
        x = self.fc2(x)
        output = F.log_softmax(x, dim=1)
        return output


def train(args, model, device, train_loader, optimizer, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
                epoch, batch_idx * len(data), len(train_loader.dataset),
                100. * batch_idx / len(train_loader), loss.item()))
            if args.dry_run:
                break
        if args.train_batches is not None and batch_idx + 1 >= args.train_batches:
            break


def test(model, device, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            data, target = data.to(device), target.to(device)
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction='sum').item()  # sum up batch loss
            pred = output.argmax(dim=1, keepdim=True)  # get the index of the max log-probability
            correct += pred.eq(target.view_as(pred)).sum().item()

    test_loss /= len(test_loader.dataset)

    print('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        test_loss, correct, len(test_loader.dataset),
        100. * correct / len(test_loader.dataset)))


def read_idx(path, magic, ndim):
    with gzip.open(path, "rb") as f:
        data = f.read()
    got, = struct.unpack(">I", data[:4])
    if got != magic:
        sys.exit("%s: wrong magic number %#010x, expected %#010x" % (path, got, magic))
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return dims, bytearray(data[4 + 4 * ndim:])


def load(root, train):
    """The data set with transforms.Compose([ToTensor(), Normalize((0.1307,), (0.3081,))]) applied."""
    prefix = "train" if train else "t10k"
    images = os.path.join(root, prefix + "-images-idx3-ubyte.gz")
    labels = os.path.join(root, prefix + "-labels-idx1-ubyte.gz")
    for p in (images, labels):
        if not os.path.exists(p):
            sys.exit("%s not found: pass --data DIR with MNIST's (or Fashion-MNIST's) IDX files" % p)
    (n, rows, cols), pixels = read_idx(images, 2051, 3)
    (m,), targets = read_idx(labels, 2049, 1)
    x = torch.frombuffer(pixels, dtype=torch.uint8).reshape(n, 1, rows, cols).float().div(255)
    mean = torch.as_tensor((0.1307,), dtype=torch.float32).view(-1, 1, 1)
    std = torch.as_tensor((0.3081,), dtype=torch.float32).view(-1, 1, 1)
    x = x.sub_(mean).div_(std)
    y = torch.frombuffer(targets, dtype=torch.uint8).long()
    return TensorDataset(x, y)


def main():
    # Training settings
    parser = argparse.ArgumentParser(description='PyTorch MNIST Example')
    parser.add_argument('--batch-size', type=int, default=64, metavar='N',
                        help='input batch size for training (default: 64)')
    parser.add_argument('--test-batch-size', type=int, default=1000, metavar='N',
                        help='input batch size for testing (default: 1000)')
    parser.add_argument('--epochs', type=int, default=14, metavar='N',
                        help='number of epochs to train (default: 14)')
    parser.add_argument('--lr', type=float, default=1.0, metavar='LR',
                        help='learning rate (default: 1.0)')
    parser.add_argument('--gamma', type=float, default=0.7, metavar='M',
                        help='Learning rate step gamma (default: 0.7)')
    parser.add_argument('--dry-run', action='store_true', default=False,
                        help='quickly check a single pass')
    parser.add_argument('--seed', type=int, default=1, metavar='S',
                        help='random seed (default: 1)')
    parser.add_argument('--log-interval', type=int, default=10, metavar='N',
                        help='how many batches to wait before logging training status')
    parser.add_argument('--save-model', action='store_true', default=False,
                        help='For Saving the current Model')
    parser.add_argument('--data', default='data/MNIST/raw', help='directory of the gzip\'d IDX files')
    parser.add_argument('--train-batches', type=int, default=None, metavar='N',
                        help='end each training epoch after N batches')
    args = parser.parse_args()
    device = torch.device("cpu")

    torch.manual_seed(args.seed)

    train_kwargs = {'batch_size': args.batch_size}
    test_kwargs = {'batch_size': args.test_batch_size}
    dataset1 = load(args.data, True)
    dataset2 = load(args.data, False)
    train_loader = DataLoader(dataset1, **train_kwargs)
    test_loader = DataLoader(dataset2, **test_kwargs)

    model = Net().to(device)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)

    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch)
        test(model, device, test_loader)
        scheduler.step()

    if args.save_model:
        torch.save(model.state_dict(), "mnist_cnn.pt")


if __name__ == '__main__':
    main()
