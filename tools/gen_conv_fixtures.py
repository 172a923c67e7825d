#!/usr/bin/python3
"""Writes nn/src/test/resources/jtorch/nn/conv_fixtures.txt: nn.Conv2d / nn.Conv1d /
nn.ConvTranspose2d / nn.ConvTranspose1d cases run by
PyTorch (Debian's python3-torch, 1.13) with torch.manual_seed(seed): the module's repr, its
initial weight and bias, the input drawn with torch.randn, the output, and the gradients of
sum(output * cos(arange)) with respect to input, weight and bias. Values are float32 bit patterns
in hex. Run: /usr/bin/python3 tools/gen_conv_fixtures.py"""
import struct
import torch
from torch import nn

CASES = [
    # name, seed, ctor kwargs, input shape
    ("tutorial_1x2_nobias", 0, dict(in_channels=1, out_channels=1, kernel_size=(1, 2), bias=False), (1, 1, 6, 8)),
    ("k3_p1", 1, dict(in_channels=1, out_channels=1, kernel_size=3, padding=1), (1, 1, 8, 8)),
    ("k53_p21", 2, dict(in_channels=1, out_channels=1, kernel_size=(5, 3), padding=(2, 1)), (1, 1, 8, 8)),
    ("k3_p1_s2", 3, dict(in_channels=1, out_channels=1, kernel_size=3, padding=1, stride=2), (1, 1, 8, 8)),
    ("lenet1", 4, dict(in_channels=1, out_channels=6, kernel_size=5, padding=2), (2, 1, 12, 12)),
    ("lenet2", 5, dict(in_channels=6, out_channels=16, kernel_size=5), (2, 6, 9, 9)),
    ("dilated", 6, dict(in_channels=3, out_channels=4, kernel_size=3, dilation=2, padding=1), (2, 3, 9, 10)),
    ("groups", 7, dict(in_channels=4, out_channels=6, kernel_size=(2, 3), groups=2, stride=(2, 1)), (3, 4, 7, 6)),
    ("depthwise", 8, dict(in_channels=3, out_channels=3, kernel_size=3, groups=3, padding=1), (2, 3, 5, 5)),
    ("same", 9, dict(in_channels=2, out_channels=3, kernel_size=(4, 3), padding="same"), (1, 2, 6, 5)),
    ("same_dilated", 10, dict(in_channels=2, out_channels=2, kernel_size=3, padding="same", dilation=2), (2, 2, 7, 7)),
    ("valid", 11, dict(in_channels=2, out_channels=2, kernel_size=2, padding="valid"), (1, 2, 4, 5)),
    ("reflect", 12, dict(in_channels=2, out_channels=3, kernel_size=3, padding=2, padding_mode="reflect"), (2, 2, 5, 6)),
    ("replicate", 13, dict(in_channels=1, out_channels=2, kernel_size=3, padding=(1, 2), padding_mode="replicate"), (2, 1, 4, 5)),
    ("circular", 14, dict(in_channels=2, out_channels=2, kernel_size=(3, 2), padding=1, padding_mode="circular"), (1, 2, 4, 4)),
    ("unbatched", 15, dict(in_channels=2, out_channels=3, kernel_size=2), (2, 5, 5)),
]
CASES1D = [
    ("conv1d", 16, dict(in_channels=3, out_channels=4, kernel_size=3, padding=1, stride=2), (2, 3, 9)),
    ("conv1d_groups", 17, dict(in_channels=4, out_channels=2, kernel_size=2, groups=2, dilation=2), (1, 4, 7)),
]
# Transposed: output padding below the stride, and (tconv_op_dilation) at or above the stride but
# below the dilation; DCGAN's k4 s2 p1 upsampling; depthwise; unbatched.
CASEST = [
    ("tconv_basic", 20, dict(in_channels=2, out_channels=3, kernel_size=3), (2, 2, 4, 5)),
    ("tconv_s2_p1_op1", 21, dict(in_channels=3, out_channels=2, kernel_size=3, stride=2, padding=1, output_padding=1), (2, 3, 5, 4)),
    ("tconv_groups_dil", 22, dict(in_channels=4, out_channels=6, kernel_size=(2, 3), groups=2, dilation=(2, 1), stride=(1, 2),
                                  bias=False), (1, 4, 4, 5)),
    ("tconv_depthwise", 23, dict(in_channels=3, out_channels=3, kernel_size=3, groups=3, stride=2, padding=1), (2, 3, 4, 4)),
    ("tconv_op_dilation", 24, dict(in_channels=2, out_channels=2, kernel_size=3, dilation=2, output_padding=1), (1, 2, 4, 4)),
    ("tconv_unbatched", 25, dict(in_channels=2, out_channels=3, kernel_size=2, stride=2), (2, 3, 3)),
    ("tconv_k4_s2_p1", 26, dict(in_channels=4, out_channels=2, kernel_size=4, stride=2, padding=1), (2, 4, 3, 3)),
]
CASEST1D = [
    ("tconv1d", 27, dict(in_channels=3, out_channels=4, kernel_size=3, stride=2, padding=1, output_padding=1), (2, 3, 6)),
    ("tconv1d_groups", 28, dict(in_channels=4, out_channels=2, kernel_size=2, groups=2, dilation=2, bias=False), (1, 4, 5)),
    ("tconv1d_unbatched", 29, dict(in_channels=2, out_channels=2, kernel_size=3), (2, 5)),
]
MODULES = {"conv2d": nn.Conv2d, "conv1d": nn.Conv1d, "conv_transpose2d": nn.ConvTranspose2d, "conv_transpose1d": nn.ConvTranspose1d}


def hexes(t):
    return " ".join("%08x" % struct.unpack("<I", struct.pack("<f", v))[0] for v in t.detach().flatten().tolist())


def main():
    out = []
    for kind, cases in (("conv2d", CASES), ("conv1d", CASES1D), ("conv_transpose2d", CASEST), ("conv_transpose1d", CASEST1D)):
        for name, seed, kwargs, shape in cases:
            torch.manual_seed(seed)
            m = MODULES[kind](**kwargs)
            x = torch.randn(*shape, requires_grad=True)
            y = m(x)
            w = torch.cos(torch.arange(y.numel(), dtype=torch.float32)).reshape(y.shape)
            (y * w).sum().backward()
            out.append("case\t%s\t%s\t%d\t%s\t%s" % (name, kind, seed, repr(kwargs), repr(m)))
            out.append("shape\t" + " ".join(map(str, shape)))
            out.append("out_shape\t" + " ".join(map(str, y.shape)))
            out.append("weight\t" + hexes(m.weight))
            out.append("bias\t" + (hexes(m.bias) if m.bias is not None else "none"))
            out.append("input\t" + hexes(x))
            out.append("output\t" + hexes(y))
            out.append("grad_input\t" + hexes(x.grad))
            out.append("grad_weight\t" + hexes(m.weight.grad))
            out.append("grad_bias\t" + (hexes(m.bias.grad) if m.bias is not None else "none"))
    with open("nn/src/test/resources/jtorch/nn/conv_fixtures.txt", "w") as f:
        f.write("# generated by tools/gen_conv_fixtures.py with torch %s\n" % torch.__version__)
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
