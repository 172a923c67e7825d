/**
 * Gradient clipping and parameter flattening, as {@code torch.nn.utils}:
 * {@link jtorch.nn.utils.ClipGrad} ({@code clip_grad_norm_}, {@code clip_grad_value_}) and
 * {@link jtorch.nn.utils.ConvertParameters} ({@code parameters_to_vector},
 * {@code vector_to_parameters}).
 *
 * <pre>{@code
 * loss.backward();
 * ClipGrad.clipGradNorm_(net.parameters(), 1.0);   // nn.utils.clip_grad_norm_(net.parameters(), 1.0)
 * opt.step();
 * }</pre>
 */
package jtorch.nn.utils;
