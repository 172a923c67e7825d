package jtorch.examples.wordlm;

import java.util.Arrays;

import jtorch.Tensor;
import jtorch.nn.Dropout;
import jtorch.nn.Embedding;
import jtorch.nn.GRU;
import jtorch.nn.LSTM;
import jtorch.nn.Linear;
import jtorch.nn.Module;
import jtorch.nn.RNN;
import jtorch.nn.functional.F;
import jtorch.nn.init;

/**
 * pytorch/examples {@code word_language_model/model.py}'s {@code RNNModel}: an embedding
 * ({@code encoder}), dropout, a recurrent module ({@code rnn}: LSTM, GRU, or RNN with tanh or relu)
 * with dropout between its layers, dropout, and a Linear {@code decoder} to log-probabilities over
 * the vocabulary; optionally the decoder's weight is the embedding's (tied).
 *
 * <pre>{@code
 * var model = new RNNModel("LSTM", ntokens, 200, 200, 2, 0.2, false);
 * Tensor[] hidden = model.initHidden(20);
 * RNNModel.Output out = model.forward(data, hidden);   // log-probabilities (seq*batch, ntokens), new hidden
 * }</pre>
 */
public final class RNNModel extends Module {
    /** {@code forward}'s pair: log-probabilities {@code (seq_len * batch, ntoken)} and the new hidden state. */
    public record Output(Tensor logProbs, Tensor[] hidden) {}

    public final String rnnType;
    public final long ntoken, nhid, nlayers;
    final Dropout drop;
    final Embedding encoder;
    final Module rnn;
    final Linear decoder;

    /**
     * {@code RNNModel(rnn_type, ntoken, ninp, nhid, nlayers, dropout, tie_weights)}.
     *
     * @throws IllegalArgumentException for an unknown {@code rnnType}, or tied weights with {@code nhid != ninp}
     */
    public RNNModel(String rnnType, long ntoken, long ninp, long nhid, long nlayers, double dropout, boolean tieWeights) {
        this.ntoken = ntoken;
        drop = registerModule("drop", new Dropout(dropout));
        encoder = registerModule("encoder", new Embedding(ntoken, ninp));
        switch (rnnType) {
            case "LSTM": rnn = registerModule("rnn", new LSTM(LSTM.options(ninp, nhid).numLayers(nlayers).dropout(dropout))); break;
            case "GRU": rnn = registerModule("rnn", new GRU(GRU.options(ninp, nhid).numLayers(nlayers).dropout(dropout))); break;
            case "RNN_TANH": case "RNN_RELU":
                rnn = registerModule("rnn", new RNN(RNN.options(ninp, nhid).numLayers(nlayers).dropout(dropout)
                        .nonlinearity(rnnType.equals("RNN_TANH") ? "tanh" : "relu")));
                break;
            default:
                throw new IllegalArgumentException("An invalid option for `--model` was supplied, options are "
                        + "['LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU'], got '" + rnnType + "'");
        }
        decoder = registerModule("decoder", new Linear(nhid, ntoken));
        // "Using the Output Embedding to Improve Language Models" (Press & Wolf 2016)
        if (tieWeights) {
            if (nhid != ninp) throw new IllegalArgumentException("When using the tied flag, nhid must be equal to emsize");
            decoder.setParameter("weight", encoder.weight);
        }
        initWeights();
        this.rnnType = rnnType;
        this.nhid = nhid;
        this.nlayers = nlayers;
    }

    /** {@code init_weights}: U(-0.1, 0.1) embedding and decoder weights, a zero decoder bias. */
    void initWeights() {
        double initrange = 0.1;
        init.uniform_(encoder.weight, -initrange, initrange);
        init.zeros_(decoder.bias);
        init.uniform_(decoder.weight, -initrange, initrange);
    }

    /** {@code forward(input, hidden)}: input {@code (seq_len, batch)} word ids. */
    public Output forward(Tensor input, Tensor[] hidden) {
        Tensor emb = drop.forward(encoder.forward(input));
        Tensor output;
        Tensor[] next;
        if (rnn instanceof LSTM lstm) {
            LSTM.Output r = lstm.forward(emb, hidden);
            output = r.output();
            next = new Tensor[] {r.hN(), r.cN()};
        } else {
            var r = rnn instanceof GRU gru ? gru.forward(emb, hidden[0]) : ((RNN) rnn).forward(emb, hidden[0]);
            output = r.output();
            next = new Tensor[] {r.hN()};
        }
        output = drop.forward(output);
        Tensor decoded = decoder.forward(output).view(-1, ntoken);
        return new Output(F.logSoftmax(decoded, 1), next);
    }

    /** The log-probabilities from zero states (what {@code forward(input, initHidden(batch))} gives). */
    @Override public Tensor forward(Tensor input) { return forward(input, initHidden(input.size(1))).logProbs(); }

    /** {@code init_hidden(bsz)}: zeros {@code (nlayers, bsz, nhid)}, two of them for an LSTM. */
    public Tensor[] initHidden(long bsz) {
        Tensor weight = parameters().get(0);
        int n = rnnType.equals("LSTM") ? 2 : 1;
        Tensor[] h = new Tensor[n];
        for (int i = 0; i < n; i++) h[i] = weight.newZeros(nlayers, bsz, nhid);
        return h;
    }

    /** {@code repackage_hidden}: the states detached from the graph that made them. */
    public static Tensor[] repackageHidden(Tensor[] h) {
        return Arrays.stream(h).map(Tensor::detach).toArray(Tensor[]::new);
    }
}
