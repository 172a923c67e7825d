#!/usr/bin/python3
"""The PyTorch twin of examples/.../d2l/ParameterManagement.java: d2l's "Parameter Management"
chapter (parameters.md: access, nested blocks with add_module, initialisation, tied layers) and
the state-dict part of its "File I/O" chapter (read-write.md), seeded once. Run with Debian's
python3-torch: /usr/bin/python3 tools/d2l_parameters.py [--seed N]
Its output equals `mvn -q -B -pl examples exec:java@d2l-parameters` character for character
(ParameterManagementTest pins seeds 0 and 42 against the committed output).

Changes from the book: `print(type(net[2].bias))` is left out (a Python class path).
"""
import os
import sys
import tempfile

import torch
from torch import nn
from torch.nn import functional as F


def seed(argv):
    for i, a in enumerate(argv):
        if a == "--seed":
            return int(argv[i + 1])
        if a.startswith("--seed="):
            return int(a[len("--seed="):])
    return 0


def pairs(named):
    return " ".join("('%s', %s)" % (name, param.shape) for name, param in named)


def state_dict_repr(sd):
    return "OrderedDict([" + ", ".join("('%s', %r)" % (k, v) for k, v in sd.items()) + "])"


def block1():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU())


def block2():
    net = nn.Sequential()
    for i in range(4):
        net.add_module(f'block {i}', block1())
    return net


def init_normal(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, mean=0, std=0.01)
        nn.init.zeros_(m.bias)


def init_constant(m):
    if type(m) == nn.Linear:
        nn.init.constant_(m.weight, 1)
        nn.init.zeros_(m.bias)


def init_xavier(m):
    if type(m) == nn.Linear:
        nn.init.xavier_uniform_(m.weight)


def init_42(m):
    if type(m) == nn.Linear:
        nn.init.constant_(m.weight, 42)


def my_init(m):
    if type(m) == nn.Linear:
        print("Init", *[(name, param.shape) for name, param in m.named_parameters()][0])
        nn.init.uniform_(m.weight, -10, 10)
        m.weight.data *= m.weight.data.abs() >= 5


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 256)
        self.output = nn.Linear(256, 10)

    def forward(self, x):
        return self.output(F.relu(self.hidden(x)))


def main():
    torch.manual_seed(seed(sys.argv[1:]))
    print("# Parameter access")
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    X = torch.rand(size=(2, 4))
    print(net(X))
    print(state_dict_repr(net[2].state_dict()))
    print(net[2].bias)
    print(net[2].bias.data)
    print(net[2].weight.grad == None)
    print(pairs(net[0].named_parameters()))
    print(pairs(net.named_parameters()))
    print(net.state_dict()['2.bias'].data)

    print("# Nested blocks")
    rgnet = nn.Sequential(block2(), nn.Linear(4, 1))
    print(rgnet(X))
    print(rgnet)
    print(rgnet[0][1][0].bias.data)

    print("# Initialisation")
    net.apply(init_normal)
    print((net[0].weight.data[0], net[0].bias.data[0]))
    net.apply(init_constant)
    print((net[0].weight.data[0], net[0].bias.data[0]))
    net[0].apply(init_xavier)
    net[2].apply(init_42)
    print(net[0].weight.data[0])
    print(net[2].weight.data)
    net.apply(my_init)
    print(net[0].weight[:2])
    net[0].weight.data[:] += 1
    net[0].weight.data[0, 0] = 42
    print(net[0].weight.data[0])

    print("# Tied parameters")
    shared = nn.Linear(8, 8)
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(8, 1))
    print(net(X))
    print(net[2].weight.data[0] == net[4].weight.data[0])
    net[2].weight.data[0, 0] = 100
    print(net[2].weight.data[0] == net[4].weight.data[0])
    print(list(net.state_dict().keys()))
    print(pairs(net.named_parameters()))

    print("# File I/O")
    with tempfile.TemporaryDirectory() as d:
        x = torch.arange(4)
        torch.save(x, os.path.join(d, 'x-file'))
        x2 = torch.load(os.path.join(d, 'x-file'))
        print(x2)
        y = torch.zeros(4)
        torch.save([x, y], os.path.join(d, 'x-files'))
        x2, y2 = torch.load(os.path.join(d, 'x-files'))
        print((x2, y2))
        mydict = {'x': x, 'y': y}
        torch.save(mydict, os.path.join(d, 'mydict'))
        mydict2 = torch.load(os.path.join(d, 'mydict'))
        print(mydict2)
        mlp = MLP()
        X = torch.randn(size=(2, 20))
        Y = mlp(X)
        torch.save(mlp.state_dict(), os.path.join(d, 'mlp.params'))
        clone = MLP()
        print(clone.load_state_dict(torch.load(os.path.join(d, 'mlp.params'))))
        print(clone.eval())
        Y_clone = clone(X)
        print(Y_clone == Y)
        torch.save(net.state_dict(), os.path.join(d, 'shared.params'))
        net2 = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), shared2 := nn.Linear(8, 8), nn.ReLU(), shared2, nn.ReLU(),
                             nn.Linear(8, 1))
        print(net2.load_state_dict(torch.load(os.path.join(d, 'shared.params'))))
        print(net2[4].weight.data[0])


if __name__ == "__main__":
    main()
