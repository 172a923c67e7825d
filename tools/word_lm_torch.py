#!/usr/bin/python3
"""pytorch/examples word_language_model (data.py, model.py, main.py; CPU), the PyTorch twin of
jtorch's WordLanguageModel (examples/src/main/java/jtorch/examples/wordlm/).

The scripts of https://github.com/pytorch/examples/tree/main/word_language_model with these
changes, each mirrored by the Java port:
- the corpus: --data DIR with train.txt, valid.txt and test.txt is read as data.Corpus reads it;
  any other directory (default /usr/share/common-licenses, Debian's base-files) or file is read as
  one text (a directory's regular files, symlinks skipped, concatenated in sorted name order) whose
  lines are split in order: the first 80% of the lines train, the next 10% validate, the last 10%
  test (tokenised as data.Corpus does: whitespace-split words of each line and '<eos>').
- TransformerModel is the encoder-only model of the example as it was for torch 1.13
  (PositionalEncoding, nn.TransformerEncoder of nn.TransformerEncoderLayer, the square subsequent
  mask, an Embedding scaled by sqrt(ninp), a Linear decoder, log_softmax).
- --save writes the best model's state_dict (torch.save(model.state_dict())) and the test reloads
  it with load_state_dict; --resume starts training from the state_dict in --save.
- --fixture N prints the first N training losses in full precision, one a line, and stops;
  --threads N sets torch.set_num_threads; --plot and the progress bar are the Java port's only.
- generate.py is the subcommand `generate`: it loads the state_dict --save wrote (give the model
  options of the training run) and seeds the generator again after building the model.

    /usr/bin/python3 tools/word_lm_torch.py --epochs 6                 # LSTM with the example's defaults
    /usr/bin/python3 tools/word_lm_torch.py --model Transformer --lr 5 --epochs 6
    /usr/bin/python3 tools/word_lm_torch.py generate --words 100 --temperature 0.8   # generate.py

The fixtures WordLanguageModelTest compares against (R=examples/src/test/resources/jtorch/examples,
SMALL="--data $R/text --batch_size 4 --bptt 8 --threads 1"):

    /usr/bin/python3 tools/word_lm_torch.py --fixture 50 $SMALL --emsize 16 --nhid 16 --model LSTM > $R/word_lm_torch_LSTM.txt
    /usr/bin/python3 tools/word_lm_torch.py --fixture 50 $SMALL --emsize 16 --nhid 16 --model Transformer --nhead 2 --lr 5 \
        > $R/word_lm_torch_Transformer.txt
    /usr/bin/python3 tools/word_lm_torch.py $SMALL --epochs 1 --log-interval 100 --model LSTM --emsize 8 --nhid 8 --tied \
        --save $R/word_lm_lstm_tiny.pt
    /usr/bin/python3 tools/word_lm_torch.py generate --data $R/text --model LSTM --emsize 8 --nhid 8 --tied \
        --checkpoint $R/word_lm_lstm_tiny.pt --words 40 --log-interval 20 --outf $R/word_lm_generated_LSTM.txt
    /usr/bin/python3 tools/word_lm_torch.py $SMALL --epochs 1 --log-interval 100 --model Transformer --emsize 8 --nhid 8 \
        --nlayers 1 --nhead 2 --lr 5 --save $R/word_lm_transformer_tiny.pt
    /usr/bin/python3 tools/word_lm_torch.py generate --data $R/text --model Transformer --emsize 8 --nhid 8 --nlayers 1 \
        --nhead 2 --checkpoint $R/word_lm_transformer_tiny.pt --words 40 --log-interval 20 --outf $R/word_lm_generated_Transformer.txt
"""
import argparse
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


###############################################################################
# data.py
###############################################################################

class Dictionary(object):
    def __init__(self):
        self.word2idx = {}
        self.idx2word = []

    def add_word(self, word):
        if word not in self.word2idx:
            self.idx2word.append(word)
            self.word2idx[word] = len(self.idx2word) - 1
        return self.word2idx[word]

    def __len__(self):
        return len(self.idx2word)


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


def split_lines(text):
    """The first 80% of the lines, the next 10%, the last 10%; lines end at '\n' only, as iterating
    over a file splits them (str.splitlines would also split at the form feeds the GPL-1 has)."""
    lines = [line + '\n' for line in text.split('\n')]
    if text.endswith('\n'):
        lines.pop()  # no line after the last newline
    n_train = len(lines) * 8 // 10
    n_valid = len(lines) // 10
    return lines[:n_train], lines[n_train:n_train + n_valid], lines[n_train + n_valid:]


class Corpus(object):
    def __init__(self, path):
        self.dictionary = Dictionary()
        names = [os.path.join(path, n) for n in ('train.txt', 'valid.txt', 'test.txt')]
        if os.path.isdir(path) and all(os.path.exists(n) for n in names):
            parts = []
            for n in names:
                with open(n, 'r', encoding="utf8") as f:
                    parts.append(list(f))
        else:
            parts = split_lines(read_text(path))
        self.train = self.tokenize(parts[0])
        self.valid = self.tokenize(parts[1])
        self.test = self.tokenize(parts[2])

    def tokenize(self, lines):
        """Tokenizes the lines of a text (data.py's tokenize, given the lines instead of a path)."""
        idss = []
        for line in lines:
            words = line.split() + ['<eos>']
            ids = []
            for word in words:
                ids.append(self.dictionary.add_word(word))
            idss.append(torch.tensor(ids).type(torch.int64))
        return torch.cat(idss)


###############################################################################
# model.py
###############################################################################

class RNNModel(nn.Module):
    """Container module with an encoder, a recurrent module, and a decoder."""

    def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, dropout=0.5, tie_weights=False):
        super(RNNModel, self).__init__()
        self.ntoken = ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        if rnn_type in ['LSTM', 'GRU']:
            self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
        else:
            try:
                nonlinearity = {'RNN_TANH': 'tanh', 'RNN_RELU': 'relu'}[rnn_type]
            except KeyError as e:
                raise ValueError("""An invalid option for `--model` was supplied,
                                 options are ['LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU']""") from e
            self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity=nonlinearity, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)

        # "Using the Output Embedding to Improve Language Models" (Press & Wolf 2016)
        if tie_weights:
            if nhid != ninp:
                raise ValueError('When using the tied flag, nhid must be equal to emsize')
            self.decoder.weight = self.encoder.weight

        self.init_weights()

        self.rnn_type = rnn_type
        self.nhid = nhid
        self.nlayers = nlayers

    def init_weights(self):
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output)
        decoded = decoded.view(-1, self.ntoken)
        return F.log_softmax(decoded, dim=1), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        if self.rnn_type == 'LSTM':
            return (weight.new_zeros(self.nlayers, bsz, self.nhid),
                    weight.new_zeros(self.nlayers, bsz, self.nhid))
        else:
            return weight.new_zeros(self.nlayers, bsz, self.nhid)


class PositionalEncoding(nn.Module):
    """Sine and cosine positional encodings of "Attention Is All You Need", added, then dropout."""

    def __init__(self, d_model, dropout=0.1, max_len=5000):
        super(PositionalEncoding, self).__init__()
        self.dropout = nn.Dropout(p=dropout)

        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        pe = pe.unsqueeze(0).transpose(0, 1)
        self.register_buffer('pe', pe)

    def forward(self, x):
        x = x + self.pe[:x.size(0), :]
        return self.dropout(x)


class TransformerModel(nn.Module):
    """Container module with an encoder, a recurrent or transformer module, and a decoder."""

    def __init__(self, ntoken, ninp, nhead, nhid, nlayers, dropout=0.5):
        super(TransformerModel, self).__init__()
        from torch.nn import TransformerEncoder, TransformerEncoderLayer
        self.model_type = 'Transformer'
        self.src_mask = None
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        encoder_layers = TransformerEncoderLayer(ninp, nhead, nhid, dropout)
        self.transformer_encoder = TransformerEncoder(encoder_layers, nlayers)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.ninp = ninp
        self.decoder = nn.Linear(ninp, ntoken)

        self.init_weights()

    def _generate_square_subsequent_mask(self, sz):
        mask = (torch.triu(torch.ones(sz, sz)) == 1).transpose(0, 1)
        mask = mask.float().masked_fill(mask == 0, float('-inf')).masked_fill(mask == 1, float(0.0))
        return mask

    def init_weights(self):
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)

    def forward(self, src, has_mask=True):
        if has_mask:
            if self.src_mask is None or self.src_mask.size(0) != len(src):
                mask = self._generate_square_subsequent_mask(len(src))
                self.src_mask = mask
        else:
            self.src_mask = None

        src = self.encoder(src) * math.sqrt(self.ninp)
        src = self.pos_encoder(src)
        output = self.transformer_encoder(src, self.src_mask)
        output = self.decoder(output)
        return F.log_softmax(output, dim=-1)


def build_model(args, ntokens):
    if args.model == 'Transformer':
        return TransformerModel(ntokens, args.emsize, args.nhead, args.nhid, args.nlayers, args.dropout)
    return RNNModel(args.model, ntokens, args.emsize, args.nhid, args.nlayers, args.dropout, args.tied)


def add_model_arguments(parser):
    parser.add_argument('--data', type=str, default='/usr/share/common-licenses',
                        help='location of the data corpus')
    parser.add_argument('--model', type=str, default='LSTM',
                        help='type of network (RNN_TANH, RNN_RELU, LSTM, GRU, Transformer)')
    parser.add_argument('--emsize', type=int, default=200, help='size of word embeddings')
    parser.add_argument('--nhid', type=int, default=200, help='number of hidden units per layer')
    parser.add_argument('--nlayers', type=int, default=2, help='number of layers')
    parser.add_argument('--dropout', type=float, default=0.2, help='dropout applied to layers (0 = no dropout)')
    parser.add_argument('--tied', action='store_true', help='tie the word embedding and softmax weights')
    parser.add_argument('--nhead', type=int, default=2,
                        help='the number of heads in the encoder/decoder of the transformer model')
    parser.add_argument('--seed', type=int, default=1111, help='random seed')
    parser.add_argument('--threads', type=int, default=None, help='torch.set_num_threads')


###############################################################################
# main.py
###############################################################################

def main():
    parser = argparse.ArgumentParser(description='PyTorch RNN/LSTM/GRU/Transformer Language Model')
    add_model_arguments(parser)
    parser.add_argument('--lr', type=float, default=20, help='initial learning rate')
    parser.add_argument('--clip', type=float, default=0.25, help='gradient clipping')
    parser.add_argument('--epochs', type=int, default=40, help='upper epoch limit')
    parser.add_argument('--batch_size', type=int, default=20, metavar='N', help='batch size')
    parser.add_argument('--bptt', type=int, default=35, help='sequence length')
    parser.add_argument('--log-interval', type=int, default=200, metavar='N', help='report interval')
    parser.add_argument('--save', type=str, default='model.pt', help='path to save the final model')
    parser.add_argument('--resume', action='store_true', help='start from the state_dict in --save')
    parser.add_argument('--dry-run', action='store_true', help='verify the code and the model')
    parser.add_argument('--fixture', type=int, default=None, metavar='N',
                        help='print the first N training losses in full precision and stop')
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    # Set the random seed manually for reproducibility.
    torch.manual_seed(args.seed)

    ###########################################################################
    # Load data
    ###########################################################################

    corpus = Corpus(args.data)

    # Starting from sequential data, batchify arranges the dataset into columns: with the alphabet
    # and batch size 4, the columns are a..f, g..l, m..r, s..x. The model treats the columns as
    # independent, which allows more efficient batch processing.
    def batchify(data, bsz):
        # Work out how cleanly we can divide the dataset into bsz parts.
        nbatch = data.size(0) // bsz
        # Trim off any extra elements that wouldn't cleanly fit (remainders).
        data = data.narrow(0, 0, nbatch * bsz)
        # Evenly divide the data across the bsz batches.
        return data.view(bsz, -1).t().contiguous()

    eval_batch_size = 10
    train_data = batchify(corpus.train, args.batch_size)
    val_data = batchify(corpus.valid, eval_batch_size)
    test_data = batchify(corpus.test, eval_batch_size)

    ###########################################################################
    # Build the model
    ###########################################################################

    ntokens = len(corpus.dictionary)
    model = build_model(args, ntokens)
    if args.resume:
        model.load_state_dict(torch.load(args.save))
    criterion = nn.NLLLoss()

    ###########################################################################
    # Training code
    ###########################################################################

    def repackage_hidden(h):
        """Wraps hidden states in new Tensors, to detach them from their history."""
        if isinstance(h, torch.Tensor):
            return h.detach()
        else:
            return tuple(repackage_hidden(v) for v in h)

    # get_batch subdivides the source data into chunks of length args.bptt along dimension 0
    # (the sequence dimension); the target is the same chunk shifted by one.
    def get_batch(source, i):
        seq_len = min(args.bptt, len(source) - 1 - i)
        data = source[i:i + seq_len]
        target = source[i + 1:i + 1 + seq_len].view(-1)
        return data, target

    def evaluate(data_source):
        # Turn on evaluation mode which disables dropout.
        model.eval()
        total_loss = 0.
        if args.model != 'Transformer':
            hidden = model.init_hidden(eval_batch_size)
        with torch.no_grad():
            for i in range(0, data_source.size(0) - 1, args.bptt):
                data, targets = get_batch(data_source, i)
                if args.model == 'Transformer':
                    output = model(data)
                    output = output.view(-1, ntokens)
                else:
                    output, hidden = model(data, hidden)
                    hidden = repackage_hidden(hidden)
                total_loss += len(data) * criterion(output, targets).item()
        return total_loss / (len(data_source) - 1)

    losses = []

    def train():
        # Turn on training mode which enables dropout.
        model.train()
        total_loss = 0.
        start_time = time.time()
        if args.model != 'Transformer':
            hidden = model.init_hidden(args.batch_size)
        for batch, i in enumerate(range(0, train_data.size(0) - 1, args.bptt)):
            data, targets = get_batch(train_data, i)
            # Starting each batch, we detach the hidden state from how it was previously produced.
            # If we didn't, the model would try backpropagating all the way to start of the dataset.
            model.zero_grad()
            if args.model == 'Transformer':
                output = model(data)
                output = output.view(-1, ntokens)
            else:
                hidden = repackage_hidden(hidden)
                output, hidden = model(data, hidden)
            loss = criterion(output, targets)
            loss.backward()

            # `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            for p in model.parameters():
                p.data.add_(p.grad, alpha=-lr)

            total_loss += loss.item()
            if args.fixture is not None:
                print(repr(loss.item()))
                losses.append(loss.item())
                if len(losses) >= args.fixture:
                    sys.exit(0)

            if batch % args.log_interval == 0 and batch > 0 and args.fixture is None:
                cur_loss = total_loss / args.log_interval
                elapsed = time.time() - start_time
                print('| epoch {:3d} | {:5d}/{:5d} batches | lr {:02.2f} | ms/batch {:5.2f} | '
                      'loss {:5.2f} | ppl {:8.2f}'.format(
                          epoch, batch, len(train_data) // args.bptt, lr,
                          elapsed * 1000 / args.log_interval, cur_loss, math.exp(cur_loss)))
                total_loss = 0
                start_time = time.time()
            if args.dry_run:
                break

    # Loop over epochs.
    lr = args.lr
    best_val_loss = None
    if args.fixture is None:
        print('%d words of training, %d of validation, %d of test text; vocabulary %d; %d parameters; torch %s, %d threads'
              % (len(corpus.train), len(corpus.valid), len(corpus.test), ntokens,
                 sum(p.numel() for p in model.parameters()), torch.__version__, torch.get_num_threads()))

    # At any point you can hit Ctrl + C to break out of training early.
    try:
        for epoch in range(1, args.epochs + 1):
            epoch_start_time = time.time()
            train()
            val_loss = evaluate(val_data)
            print('-' * 89)
            print('| end of epoch {:3d} | time: {:5.2f}s | valid loss {:5.2f} | '
                  'valid ppl {:8.2f}'.format(epoch, (time.time() - epoch_start_time),
                                             val_loss, math.exp(val_loss)))
            print('-' * 89)
            # Save the model if the validation loss is the best we've seen so far.
            if not best_val_loss or val_loss < best_val_loss:
                torch.save(model.state_dict(), args.save)
                best_val_loss = val_loss
            else:
                # Anneal the learning rate if no improvement has been seen in the validation dataset.
                lr /= 4.0
    except KeyboardInterrupt:
        print('-' * 89)
        print('Exiting from training early')

    # Load the best saved model.
    model.load_state_dict(torch.load(args.save))

    # Run on test data.
    test_loss = evaluate(test_data)
    print('=' * 89)
    print('| End of training | test loss {:5.2f} | test ppl {:8.2f}'.format(
        test_loss, math.exp(test_loss)))
    print('=' * 89)

###############################################################################
# generate.py
###############################################################################

def generate_main(argv):
    """generate.py: `word_lm_torch.py generate [options]`; the checkpoint is a state_dict, so the
    model's options must be the training run's; the generator is seeded again after the model is
    built (generate.py's torch.load of a whole model draws nothing)."""
    parser = argparse.ArgumentParser(description='PyTorch Language Model (generate)')
    add_model_arguments(parser)
    parser.add_argument('--checkpoint', type=str, default='./model.pt', help='model checkpoint to use')
    parser.add_argument('--outf', type=str, default='generated.txt', help='output file for generated text')
    parser.add_argument('--words', type=int, default='1000', help='number of words to generate')
    parser.add_argument('--temperature', type=float, default=1.0,
                        help='temperature - higher will increase diversity')
    parser.add_argument('--log-interval', type=int, default=100, help='reporting interval')
    args = parser.parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    # Set the random seed manually for reproducibility.
    torch.manual_seed(args.seed)
    if args.temperature < 1e-3:
        parser.error("--temperature has to be greater or equal 1e-3.")

    corpus = Corpus(args.data)
    ntokens = len(corpus.dictionary)
    args.dropout = 0.0
    model = build_model(args, ntokens)
    model.load_state_dict(torch.load(args.checkpoint))
    model.eval()
    torch.manual_seed(args.seed)

    is_transformer_model = args.model == 'Transformer'
    if not is_transformer_model:
        hidden = model.init_hidden(1)
    input = torch.randint(ntokens, (1, 1), dtype=torch.long)

    with open(args.outf, 'w') as outf:
        with torch.no_grad():  # no tracking history
            for i in range(args.words):
                if is_transformer_model:
                    output = model(input, False)
                    word_weights = output[-1].squeeze().div(args.temperature).exp().cpu()
                    word_idx = torch.multinomial(word_weights, 1)[0]
                    word_tensor = torch.Tensor([[word_idx]]).long()
                    input = torch.cat([input, word_tensor], 0)
                else:
                    output, hidden = model(input, hidden)
                    word_weights = output.squeeze().div(args.temperature).exp().cpu()
                    word_idx = torch.multinomial(word_weights, 1)[0]
                    input.fill_(word_idx)

                word = corpus.dictionary.idx2word[word_idx]

                outf.write(word + ('\n' if i % 20 == 19 else ' '))

                if i % args.log_interval == 0:
                    print('| Generated {}/{} words'.format(i, args.words))


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == 'generate':
        generate_main(sys.argv[2:])
    else:
        main()
