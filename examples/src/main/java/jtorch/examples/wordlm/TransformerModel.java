package jtorch.examples.wordlm;

import jtorch.Tensor;
import jtorch.nn.Module;

/** Placeholder until nn.TransformerEncoder lands (branch transformer). */
public final class TransformerModel extends Module {
    public TransformerModel(long ntoken, long ninp, long nhead, long nhid, long nlayers, double dropout) {
        throw new UnsupportedOperationException("TransformerModel needs nn.TransformerEncoder, which is not merged yet");
    }

    @Override public Tensor forward(Tensor src) { throw new UnsupportedOperationException(); }
}
