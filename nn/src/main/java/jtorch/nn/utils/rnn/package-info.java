/**
 * Variable-length sequences for the recurrent modules, as {@code torch.nn.utils.rnn}:
 * {@link jtorch.nn.utils.rnn.Rnn} pads, packs and unpacks, and
 * {@link jtorch.nn.utils.rnn.PackedSequence} is what {@code RNN}, {@code LSTM} and {@code GRU}
 * accept and return.
 *
 * <pre>{@code
 * Tensor padded = Rnn.padSequence(List.of(a, b, c), true);   // (3, T, *), batch first
 * PackedSequence packed = Rnn.packPaddedSequence(padded, new long[] {3, 1, 2}, true, false);
 * var out = lstm.forward(packed, null, null);                 // a packed output and (h_n, c_n)
 * }</pre>
 */
package jtorch.nn.utils.rnn;
