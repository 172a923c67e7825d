#!/usr/bin/python3
"""A character-level GPT in the style of karpathy's nanoGPT (model.py, train.py, sample.py), the
PyTorch twin of jtorch's CharGpt example (examples/src/main/java/jtorch/examples/text/CharGpt.java).

nanoGPT's model (token and position embeddings; blocks of LayerNorm -> causal self-attention with
one c_attn Linear, a tril mask buffer, attention and residual dropout, c_proj -> LayerNorm -> MLP
with GELU; a final LayerNorm; lm_head tied to the token embedding; normal(0, 0.02) init with c_proj
weights scaled by 1/sqrt(2 * n_layer), zero biases), nanoGPT's AdamW groups (weight decay for the
parameters of dim >= 2 only), warmup + cosine learning rate, gradient clipping, estimate_loss,
and sampling with temperature and top-k, all on CPU, single process, one micro step per iteration.

The text: the regular files of a directory (default /usr/share/common-licenses, which Debian's
base-files ships on every machine) concatenated in sorted name order, symlinks skipped (or one
file); characters sorted by code point are the vocabulary; the first 90% of the characters are
the training split, the rest the validation split (nanoGPT's shakespeare_char prepare.py).

    /usr/bin/python3 tools/char_gpt.py                          # train with the defaults, then sample
    /usr/bin/python3 tools/char_gpt.py --fixture 50 --data examples/src/test/resources/jtorch/examples/text \\
        --batch-size 4 --block-size 16 --n-layer 2 --n-head 2 --n-embd 32 --eval-iters 2 \\
        > examples/src/test/resources/jtorch/examples/char_gpt_torch.txt

(the second command wrote the fixture CharGptTest compares against: the first 50 training losses.)
"""
import argparse
import math
import os
import sys
import time

import torch
import torch.nn as nn
from torch.nn import functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, block_size, dropout, bias):
        super().__init__()
        assert n_embd % n_head == 0
        self.c_attn = nn.Linear(n_embd, 3 * n_embd, bias=bias)
        self.c_proj = nn.Linear(n_embd, n_embd, bias=bias)
        self.attn_dropout = nn.Dropout(dropout)
        self.resid_dropout = nn.Dropout(dropout)
        self.n_head = n_head
        self.n_embd = n_embd
        # the causal mask (nanoGPT's non-flash path, which is what torch 1.13 takes)
        self.register_buffer("bias", torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float('-inf'))
        att = F.softmax(att, dim=-1)
        att = self.attn_dropout(att)
        y = att @ v  # (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, n_embd, dropout, bias):
        super().__init__()
        self.c_fc = nn.Linear(n_embd, 4 * n_embd, bias=bias)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * n_embd, n_embd, bias=bias)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    def __init__(self, n_embd, n_head, block_size, dropout, bias):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd, elementwise_affine=True)
        self.attn = CausalSelfAttention(n_embd, n_head, block_size, dropout, bias)
        self.ln_2 = nn.LayerNorm(n_embd, elementwise_affine=True)
        self.mlp = MLP(n_embd, dropout, bias)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd, dropout, bias):
        super().__init__()
        self.block_size = block_size
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab_size, n_embd),
            wpe=nn.Embedding(block_size, n_embd),
            drop=nn.Dropout(dropout),
            h=nn.ModuleList([Block(n_embd, n_head, block_size, dropout, bias) for _ in range(n_layer)]),
            ln_f=nn.LayerNorm(n_embd),
        ))
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.transformer.wte.weight = self.lm_head.weight  # weight tying
        self.apply(self._init_weights)
        for pn, p in self.named_parameters():
            if pn.endswith('c_proj.weight'):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * n_layer))

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, idx, targets=None):
        b, t = idx.size()
        assert t <= self.block_size, f"Cannot forward sequence of length {t}, block size is only {self.block_size}"
        pos = torch.arange(0, t, dtype=torch.long)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))
        for block in self.transformer.h:
            x = block(x)
        x = self.transformer.ln_f(x)
        if targets is not None:
            logits = self.lm_head(x)
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        else:
            logits = self.lm_head(x[:, [-1], :])  # only the last position is needed
            loss = None
        return logits, loss

    def configure_optimizers(self, weight_decay, learning_rate, betas):
        decay = [p for p in self.parameters() if p.dim() >= 2]
        no_decay = [p for p in self.parameters() if p.dim() < 2]
        groups = [{'params': decay, 'weight_decay': weight_decay}, {'params': no_decay, 'weight_decay': 0.0}]
        return torch.optim.AdamW(groups, lr=learning_rate, betas=betas)

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, temperature=1.0, top_k=None):
        for _ in range(max_new_tokens):
            idx_cond = idx if idx.size(1) <= self.block_size else idx[:, -self.block_size:]
            logits, _ = self(idx_cond)
            logits = logits[:, -1, :] / temperature
            if top_k is not None:
                v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
                logits[logits < v[:, [-1]]] = -float('Inf')
            probs = F.softmax(logits, dim=-1)
            idx_next = torch.multinomial(probs, num_samples=1)
            idx = torch.cat((idx, idx_next), dim=1)
        return idx


def read_text(path):
    """The file, or the directory's regular files (no symlinks) in sorted name order, concatenated."""
    if os.path.isdir(path):
        names = sorted(n for n in os.listdir(path)
                       if os.path.isfile(os.path.join(path, n)) and not os.path.islink(os.path.join(path, n)))
        if not names:
            sys.exit("%s: no text files" % path)
        parts = []
        for n in names:
            with open(os.path.join(path, n), encoding="utf-8") as f:
                parts.append(f.read())
        return "".join(parts)
    if not os.path.exists(path):
        sys.exit("%s not found" % path)
    with open(path, encoding="utf-8") as f:
        return f.read()


def main():
    p = argparse.ArgumentParser(description="character-level GPT (nanoGPT style)")
    p.add_argument("--data", default="/usr/share/common-licenses")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--block-size", type=int, default=64)
    p.add_argument("--n-layer", type=int, default=2)
    p.add_argument("--n-head", type=int, default=4)
    p.add_argument("--n-embd", type=int, default=64)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--learning-rate", type=float, default=1e-3)
    p.add_argument("--max-iters", type=int, default=1000)
    p.add_argument("--eval-interval", type=int, default=250)
    p.add_argument("--eval-iters", type=int, default=20)
    p.add_argument("--log-interval", type=int, default=50)
    p.add_argument("--weight-decay", type=float, default=1e-1)
    p.add_argument("--beta1", type=float, default=0.9)
    p.add_argument("--beta2", type=float, default=0.99)
    p.add_argument("--grad-clip", type=float, default=1.0)
    p.add_argument("--warmup-iters", type=int, default=100)
    p.add_argument("--min-lr", type=float, default=1e-4)
    p.add_argument("--seed", type=int, default=1337)
    p.add_argument("--num-samples", type=int, default=1)
    p.add_argument("--max-new-tokens", type=int, default=300)
    p.add_argument("--temperature", type=float, default=0.8)
    p.add_argument("--top-k", type=int, default=20)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--fixture", type=int, default=None, metavar="N",
                   help="print the first N training losses in full precision, one a line, and stop")
    args = p.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    torch.manual_seed(args.seed)
    text = read_text(args.data)
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    itos = {i: ch for i, ch in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(data))
    splits = {'train': data[:n], 'val': data[n:]}
    block_size, batch_size = args.block_size, args.batch_size

    def get_batch(split):
        d = splits[split]
        ix = torch.randint(len(d) - block_size, (batch_size,))
        x = torch.stack([d[i:i + block_size] for i in ix])
        y = torch.stack([d[i + 1:i + 1 + block_size] for i in ix])
        return x, y

    model = GPT(len(chars), block_size, args.n_layer, args.n_head, args.n_embd, args.dropout, True)
    optimizer = model.configure_optimizers(args.weight_decay, args.learning_rate, (args.beta1, args.beta2))

    @torch.no_grad()
    def estimate_loss():
        out = {}
        model.eval()
        for split in ['train', 'val']:
            losses = torch.zeros(args.eval_iters)
            for k in range(args.eval_iters):
                X, Y = get_batch(split)
                _, loss = model(X, Y)
                losses[k] = loss.item()
            out[split] = losses.mean().item()
        model.train()
        return out

    def get_lr(it):
        if it < args.warmup_iters:
            return args.learning_rate * it / args.warmup_iters
        if it > args.max_iters:
            return args.min_lr
        decay_ratio = (it - args.warmup_iters) / (args.max_iters - args.warmup_iters)
        coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
        return args.min_lr + coeff * (args.learning_rate - args.min_lr)

    if args.fixture is None:
        print("%d characters, vocabulary %d, %d parameters, torch %s, %d threads"
              % (len(data), len(chars), sum(p.numel() for p in model.parameters()), torch.__version__, torch.get_num_threads()))
    X, Y = get_batch('train')
    t0 = time.time()
    interval_start = t0
    iter_num = 0
    while True:
        lr = get_lr(iter_num)
        for group in optimizer.param_groups:
            group['lr'] = lr
        if iter_num % args.eval_interval == 0 and args.fixture is None:
            losses = estimate_loss()
            now = time.time()
            print("step %d: train loss %.4f, val loss %.4f, %.2f s" % (iter_num, losses['train'], losses['val'], now - interval_start))
            interval_start = now
        if iter_num % args.eval_interval == 0 and args.fixture is not None:
            estimate_loss()  # the same random draws as a full run, so the fixture's batches are the run's
        _, loss = model(X, Y)
        X, Y = get_batch('train')  # prefetch, as nanoGPT does: before backward
        loss.backward()
        if args.grad_clip != 0.0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if args.fixture is not None:
            print(repr(loss.item()))
            if iter_num + 1 >= args.fixture:
                return
        elif iter_num % args.log_interval == 0:
            print("iter %d: loss %.4f, lr %.6f" % (iter_num, loss.item(), lr))
        iter_num += 1
        if iter_num > args.max_iters:
            break
    print("training: %.2f s" % (time.time() - t0))

    model.eval()
    start = torch.tensor([[stoi['\n'] if '\n' in stoi else 0]], dtype=torch.long)
    for _ in range(args.num_samples):
        y = model.generate(start, args.max_new_tokens, temperature=args.temperature, top_k=args.top_k)
        print(''.join(itos[i] for i in y[0].tolist()))
        print('---------------')


if __name__ == '__main__':
    main()
