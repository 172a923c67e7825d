package jtorch.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import jtorch.Tensor;
import jtorch.nn.Linear;
import jtorch.nn.Parameter;
import jtorch.nn.ReLU;
import jtorch.nn.Sequential;
import jtorch.nn.functional.F;
import jtorch.optim.Adagrad;
import jtorch.optim.Adam;
import jtorch.optim.AdamW;
import jtorch.optim.Optimizer;
import jtorch.optim.RMSprop;
import jtorch.optim.SGD;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Twenty optimizer steps on a small model trained end to end (init, data, forward, cross entropy,
 * backward, update) against PyTorch 1.13 (tools/gen_training_fixtures.py). The start is bit-identical
 * (same seed: same weights, inputs and labels); from there float32 sums run in another order, so
 * the losses are compared within 2e-6 relative and the final parameters within 1e-5 + 1e-4 |p|.
 */
class TrainingParityTest {
    private static final Map<String, Function<List<Parameter>, Optimizer<?>>> OPTIMIZERS = new LinkedHashMap<>();

    static {
        OPTIMIZERS.put("sgd_nesterov", p -> new SGD(p, SGD.options(0.1).momentum(0.9).nesterov(true).weightDecay(1e-3)));
        OPTIMIZERS.put("adam_amsgrad", p -> new Adam(p, Adam.options(1e-2).amsgrad(true)));
        OPTIMIZERS.put("adamw", p -> new AdamW(p, 1e-2));
        OPTIMIZERS.put("rmsprop_centered", p -> new RMSprop(p, RMSprop.options(1e-2).centered(true).momentum(0.5)));
        OPTIMIZERS.put("adagrad", p -> new Adagrad(p, 0.1));
    }

    @TestFactory Stream<DynamicTest> trainsLikePyTorch() throws IOException {
        Map<String, Map<String, String>> fixtures = new LinkedHashMap<>();
        try (var in = getClass().getResourceAsStream("/jtorch/examples/training_fixtures.txt");
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) continue;
                String[] f = line.split("\t");
                fixtures.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], f[2]);
            }
        }
        return fixtures.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            manualSeed(0);
            var model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
            Tensor x = randn(16, 4);
            Tensor y = randint(0, 3, 16);
            Optimizer<?> opt = OPTIMIZERS.get(e.getKey()).apply(model.parameters());
            List<Double> losses = new ArrayList<>();
            for (int step = 0; step < 20; step++) {
                opt.zeroGrad();
                Tensor loss = F.crossEntropy(model.forward(x), y);
                loss.backward();
                opt.step();
                losses.add(loss.item());
            }
            String[] expectedLosses = e.getValue().get("losses").split(" ");
            for (int i = 0; i < 20; i++) {
                double want = Double.parseDouble(expectedLosses[i]);
                assertEquals(want, losses.get(i), 2e-6 * Math.abs(want), "loss at step " + (i + 1));
            }
            for (var p : model.namedParameters().entrySet()) {
                String[] hex = e.getValue().get(p.getKey()).split(" ");
                float[] got = p.getValue().toFloatArray();
                for (int i = 0; i < got.length; i++) {
                    float want = Float.intBitsToFloat(Integer.parseUnsignedInt(hex[i], 16));
                    assertEquals(want, got[i], 1e-5 + 1e-4 * Math.abs(want), p.getKey() + "[" + i + "]");
                }
            }
        }));
    }
}
