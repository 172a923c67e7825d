package jtorch.examples.text;

import static jtorch.Torch.arange;
import static jtorch.Torch.cat;
import static jtorch.Torch.multinomial;
import static jtorch.Torch.ones;
import static jtorch.Torch.slice;

import java.util.List;
import java.util.Map;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.Dropout;
import jtorch.nn.Embedding;
import jtorch.nn.GELU;
import jtorch.nn.LayerNorm;
import jtorch.nn.Linear;
import jtorch.nn.Module;
import jtorch.nn.ModuleDict;
import jtorch.nn.ModuleList;
import jtorch.nn.Parameter;
import jtorch.nn.functional.F;
import jtorch.nn.init;
import jtorch.optim.AdamW;

/**
 * nanoGPT's {@code GPT} ({@code model.py}), ported line by line: token and position embeddings,
 * {@code nLayer} blocks of LayerNorm, causal self-attention, LayerNorm and a GELU MLP with
 * residual connections, a final LayerNorm and a language-model head whose weight is the token
 * embedding's. Parameter and buffer names are nanoGPT's ({@code transformer.h.0.attn.c_attn.weight},
 * {@code transformer.h.0.attn.bias} for the mask), so its state dict has nanoGPT's keys.
 *
 * <pre>{@code
 * var model = new Gpt(new Gpt.Config(65, 64, 2, 4, 64, 0.1, true));
 * Gpt.Output out = model.forward(idx, targets);      // logits (B, T, vocab) and the mean cross-entropy
 * Tensor more = model.generate(idx, 100, 0.8, 20);   // 100 new tokens, temperature 0.8, top-k 20
 * }</pre>
 */
public final class Gpt extends Module {
    /** nanoGPT's {@code GPTConfig}. */
    public record Config(long vocabSize, long blockSize, int nLayer, int nHead, long nEmbd, double dropout, boolean bias) {
        public Config {
            if (nEmbd % nHead != 0)
                throw new IllegalArgumentException("GPT: n_embd (" + nEmbd + ") must be divisible by n_head (" + nHead + ")");
            if (vocabSize < 1 || blockSize < 1 || nLayer < 1 || nHead < 1)
                throw new IllegalArgumentException("GPT: vocab_size, block_size, n_layer and n_head must be positive, got "
                        + vocabSize + ", " + blockSize + ", " + nLayer + ", " + nHead);
        }
    }

    /** {@code forward}'s pair {@code (logits, loss)}; the loss is null without targets. */
    public record Output(Tensor logits, Tensor loss) {}

    /** nanoGPT's {@code CausalSelfAttention} (the explicit path with a {@code tril} mask buffer). */
    public static final class CausalSelfAttention extends Module {
        final Linear cAttn, cProj;
        final Dropout attnDropout, residDropout;
        final int nHead;
        final long nEmbd;
        final Tensor mask;

        CausalSelfAttention(Config c) {
            cAttn = registerModule("c_attn", new Linear(c.nEmbd(), 3 * c.nEmbd(), c.bias()));
            cProj = registerModule("c_proj", new Linear(c.nEmbd(), c.nEmbd(), c.bias()));
            attnDropout = registerModule("attn_dropout", new Dropout(c.dropout()));
            residDropout = registerModule("resid_dropout", new Dropout(c.dropout()));
            nHead = c.nHead();
            nEmbd = c.nEmbd();
            // nanoGPT calls the mask "bias"; the name is kept so that its state dict's keys are nanoGPT's
            mask = registerBuffer("bias", Torch.tril(ones(c.blockSize(), c.blockSize()), 0).view(1, 1, c.blockSize(), c.blockSize()));
        }

        @Override public Tensor forward(Tensor x) {
            long B = x.size(0), T = x.size(1), C = x.size(2);
            List<Tensor> qkv = cAttn.forward(x).split(nEmbd, 2);
            Tensor q = qkv.get(0).view(B, T, nHead, C / nHead).transpose(1, 2);   // (B, nh, T, hs)
            Tensor k = qkv.get(1).view(B, T, nHead, C / nHead).transpose(1, 2);
            Tensor v = qkv.get(2).view(B, T, nHead, C / nHead).transpose(1, 2);
            Tensor att = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.sqrt(k.size(-1)));
            att = att.maskedFill(mask.index(slice(), slice(), slice(0, T), slice(0, T)).eq(0), Double.NEGATIVE_INFINITY);
            att = F.softmax(att, -1);
            att = attnDropout.forward(att);
            Tensor y = att.matmul(v);                                                // (B, nh, T, hs)
            y = y.transpose(1, 2).contiguous().view(B, T, C);
            return residDropout.forward(cProj.forward(y));
        }
    }

    /** nanoGPT's {@code MLP}: Linear to 4 n_embd, GELU, Linear back, dropout. */
    public static final class Mlp extends Module {
        final Linear cFc, cProj;
        final GELU gelu;
        final Dropout dropout;

        Mlp(Config c) {
            cFc = registerModule("c_fc", new Linear(c.nEmbd(), 4 * c.nEmbd(), c.bias()));
            gelu = registerModule("gelu", new GELU());
            cProj = registerModule("c_proj", new Linear(4 * c.nEmbd(), c.nEmbd(), c.bias()));
            dropout = registerModule("dropout", new Dropout(c.dropout()));
        }

        @Override public Tensor forward(Tensor x) { return dropout.forward(cProj.forward(gelu.forward(cFc.forward(x)))); }
    }

    /** nanoGPT's {@code Block}: pre-norm attention and MLP, each with a residual connection. */
    public static final class Block extends Module {
        final LayerNorm ln1, ln2;
        final CausalSelfAttention attn;
        final Mlp mlp;

        Block(Config c) {
            ln1 = registerModule("ln_1", new LayerNorm(c.nEmbd()));
            attn = registerModule("attn", new CausalSelfAttention(c));
            ln2 = registerModule("ln_2", new LayerNorm(c.nEmbd()));
            mlp = registerModule("mlp", new Mlp(c));
        }

        @Override public Tensor forward(Tensor x) {
            x = x.add(attn.forward(ln1.forward(x)));
            return x.add(mlp.forward(ln2.forward(x)));
        }
    }

    public final Config config;
    final Embedding wte, wpe;
    final Dropout drop;
    final ModuleList h;
    final LayerNorm lnF;
    final Linear lmHead;

    /** Builds the model and initialises it as nanoGPT does, from the default generator. */
    public Gpt(Config config) {
        this.config = config;
        // nn.ModuleDict(dict(wte=..., wpe=..., drop=..., h=..., ln_f=...)): built and inserted in this order
        ModuleDict transformer = registerModule("transformer", new ModuleDict());
        wte = new Embedding(config.vocabSize(), config.nEmbd());
        transformer.put("wte", wte);
        wpe = new Embedding(config.blockSize(), config.nEmbd());
        transformer.put("wpe", wpe);
        drop = new Dropout(config.dropout());
        transformer.put("drop", drop);
        Block[] blocks = new Block[config.nLayer()];
        for (int i = 0; i < blocks.length; i++) blocks[i] = new Block(config);
        h = new ModuleList(blocks);
        transformer.put("h", h);
        lnF = new LayerNorm(config.nEmbd());
        transformer.put("ln_f", lnF);
        lmHead = registerModule("lm_head", new Linear(config.nEmbd(), config.vocabSize(), false));
        wte.setParameter("weight", lmHead.weight);   // weight tying: transformer.wte.weight = lm_head.weight
        apply(Gpt::initWeights);
        double projStd = 0.02 / Math.sqrt(2.0 * config.nLayer());
        for (Map.Entry<String, Parameter> e : namedParameters().entrySet())
            if (e.getKey().endsWith("c_proj.weight")) init.normal_(e.getValue(), 0.0, projStd);
    }

    /** nanoGPT's {@code _init_weights}: N(0, 0.02) weights for Linear and Embedding, zero Linear biases. */
    static void initWeights(Module m) {
        if (m instanceof Linear lin) {
            init.normal_(lin.weight, 0.0, 0.02);
            if (lin.bias != null) init.zeros_(lin.bias);
        } else if (m instanceof Embedding emb) {
            init.normal_(emb.weight, 0.0, 0.02);
        }
    }

    /** The logits of the last position only, {@code (B, 1, vocab)} (what {@code forward(idx)} returns without targets). */
    @Override public Tensor forward(Tensor idx) { return forward(idx, null).logits(); }

    /**
     * {@code forward(idx, targets)}: with targets, the logits of every position {@code (B, T, vocab)} and the
     * mean cross-entropy over {@code (B*T, vocab)} (targets -1 ignored); without, the last position's logits.
     */
    public Output forward(Tensor idx, Tensor targets) {
        long t = idx.size(1);
        if (idx.dim() != 2 || t > config.blockSize())
            throw new IllegalArgumentException("GPT: expected idx of shape (b, t) with t <= block_size " + config.blockSize()
                    + ", got " + idx.shape());
        Tensor pos = arange(0, t);
        Tensor x = drop.forward(wte.forward(idx).add(wpe.forward(pos)));
        for (int i = 0; i < h.size(); i++) x = h.get(i).forward(x);
        x = lnF.forward(x);
        if (targets != null) {
            Tensor logits = lmHead.forward(x);
            Tensor loss = F.crossEntropy(logits.view(-1, logits.size(-1)), targets.view(-1), null, -1, "mean", 0.0);
            return new Output(logits, loss);
        }
        return new Output(lmHead.forward(x.narrow(1, t - 1, 1)), null);   // x[:, [-1], :]
    }

    /**
     * nanoGPT's {@code configure_optimizers}: AdamW with weight decay for the parameters of dim >= 2
     * (matmul weights, embeddings) and none for the others (biases, LayerNorm weights).
     */
    public AdamW configureOptimizers(double weightDecay, double learningRate, double beta1, double beta2) {
        List<Parameter> decay = parameters().stream().filter(p -> p.dim() >= 2).toList();
        List<Parameter> noDecay = parameters().stream().filter(p -> p.dim() < 2).toList();
        AdamW opt = new AdamW(decay, AdamW.options(learningRate).betas(beta1, beta2).weightDecay(weightDecay));
        opt.addParamGroup(noDecay, Map.of("weight_decay", 0.0));
        return opt;
    }

    /**
     * nanoGPT's {@code generate}: appends {@code maxNewTokens} tokens to {@code idx} {@code (B, T)}, each drawn
     * with {@code multinomial} from the softmax of the last logits divided by {@code temperature}, restricted
     * to the {@code topK} largest when {@code topK} is not null. Runs without grad; the caller sets eval mode.
     */
    public Tensor generate(Tensor idx, int maxNewTokens, double temperature, Integer topK) {
        try (var g = Torch.noGrad()) {
            for (int i = 0; i < maxNewTokens; i++) {
                Tensor idxCond = idx.size(1) <= config.blockSize() ? idx
                        : idx.narrow(1, idx.size(1) - config.blockSize(), config.blockSize());
                Tensor logits = forward(idxCond, null).logits();
                logits = logits.select(1, logits.size(1) - 1).div(temperature);
                if (topK != null) {
                    long k = Math.min(topK, logits.size(-1));
                    Tensor v = logits.topk(k).values();
                    logits.maskedFill_(logits.lt(v.narrow(1, k - 1, 1)), Double.NEGATIVE_INFINITY);
                }
                Tensor probs = F.softmax(logits, -1);
                Tensor idxNext = multinomial(probs, 1);
                idx = cat(List.of(idx, idxNext), 1);
            }
        }
        return idx;
    }
}
