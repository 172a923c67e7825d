package jtorch.examples;

import static jtorch.Torch.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jtorch.Tensor;
import jtorch.nn.Linear;
import jtorch.nn.Module;
import jtorch.nn.Parameter;
import jtorch.nn.ReLU;
import jtorch.nn.Sequential;
import jtorch.nn.functional.F;
import jtorch.nn.init;

/**
 * d2l's "Parameter Management" chapter (parameter access, nested blocks built with
 * {@code add_module}, initialisation, tied layers) and the state-dict part of its "File I/O"
 * chapter, ported line by line; {@code tools/d2l_parameters.py} is the PyTorch twin and prints the
 * same text for the same {@code --seed} (its docstring lists the three places where both depart
 * from the book).
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -B -pl examples exec:java@d2l-parameters -Dexec.args="--seed 0"
 * </pre>
 */
public final class ParameterManagement {
    private ParameterManagement() {}

    /** {@code print(*[(name, param.shape) for name, param in named])}. */
    static String pairs(Map<String, Parameter> named) {
        List<String> out = new ArrayList<>();
        named.forEach((name, param) -> out.add("('" + name + "', " + param.shape() + ")"));
        return String.join(" ", out);
    }

    /** {@code print(state_dict)}: Python's repr of an OrderedDict of tensors. */
    static String stateDictRepr(Map<String, Tensor> sd) {
        List<String> out = new ArrayList<>();
        sd.forEach((k, v) -> out.add("('" + k + "', " + v + ")"));
        return "OrderedDict([" + String.join(", ", out) + "])";
    }

    /** {@code print(d)}: Python's repr of a dict of tensors. */
    static String dictRepr(Map<String, Tensor> d) {
        List<String> out = new ArrayList<>();
        d.forEach((k, v) -> out.add("'" + k + "': " + v));
        return "{" + String.join(", ", out) + "}";
    }

    /** {@code print(list(keys))}. */
    static String listRepr(Iterable<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) out.add("'" + k + "'");
        return "[" + String.join(", ", out) + "]";
    }

    static Sequential block1() {
        return new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 4), new ReLU());
    }

    static Sequential block2() {
        Sequential net = new Sequential();
        for (int i = 0; i < 4; i++)
            net.addModule("block " + i, block1());         // net.add_module(f'block {i}', block1())
        return net;
    }

    static void initNormal(Module m) {
        if (m.getClass() == Linear.class) {                // if type(m) == nn.Linear:
            Linear l = (Linear) m;
            init.normal_(l.weight, 0, 0.01);
            init.zeros_(l.bias);
        }
    }

    static void initConstant(Module m) {
        if (m.getClass() == Linear.class) {
            Linear l = (Linear) m;
            init.constant_(l.weight, 1);
            init.zeros_(l.bias);
        }
    }

    static void initXavier(Module m) {
        if (m.getClass() == Linear.class) init.xavierUniform_(((Linear) m).weight);
    }

    static void init42(Module m) {
        if (m.getClass() == Linear.class) init.constant_(((Linear) m).weight, 42);
    }

    static void myInit(Module m) {
        if (m.getClass() == Linear.class) {
            Linear l = (Linear) m;
            // print("Init", *[(name, param.shape) for name, param in m.named_parameters()][0])
            Map.Entry<String, Parameter> first = l.namedParameters().entrySet().iterator().next();
            System.out.println("Init " + first.getKey() + " " + first.getValue().shape());
            init.uniform_(l.weight, -10, 10);
            Tensor w = l.weight.data();
            w.mul_(w.abs().ge(5));                         // m.weight.data *= m.weight.data.abs() >= 5
        }
    }

    static final class MLP extends Module {
        final Linear hidden = registerModule("hidden", new Linear(20, 256));
        final Linear output = registerModule("output", new Linear(256, 10));

        @Override public Tensor forward(Tensor x) { return output.forward(F.relu(hidden.forward(x))); }
    }

    public static void main(String[] args) throws IOException {
        manualSeed(Main.seed(args));
        System.out.println("# Parameter access");
        Sequential net = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 1));
        Tensor X = rand(2, 4);
        System.out.println(net.forward(X));
        Linear net2 = (Linear) net.get(2);                 // net[2]
        System.out.println(stateDictRepr(net2.stateDict()));
        System.out.println(net2.bias);
        System.out.println(net2.bias.data());
        System.out.println(net2.weight.grad() == null ? "True" : "False");
        System.out.println(pairs(net.get(0).namedParameters()));
        System.out.println(pairs(net.namedParameters()));
        System.out.println(net.stateDict().get("2.bias").data());

        System.out.println("# Nested blocks");
        Sequential rgnet = new Sequential(block2(), new Linear(4, 1));
        System.out.println(rgnet.forward(X));
        System.out.println(rgnet);
        System.out.println(((Linear) rgnet.getSubmodule("0.block 1.0")).bias.data());   // rgnet[0][1][0].bias.data

        System.out.println("# Initialisation");
        Linear net0 = (Linear) net.get(0);
        net.apply(ParameterManagement::initNormal);
        System.out.println("(" + net0.weight.data().index(0) + ", " + net0.bias.data().index(0) + ")");
        net.apply(ParameterManagement::initConstant);
        System.out.println("(" + net0.weight.data().index(0) + ", " + net0.bias.data().index(0) + ")");
        net.get(0).apply(ParameterManagement::initXavier);
        net.get(2).apply(ParameterManagement::init42);
        System.out.println(net0.weight.data().index(0));
        System.out.println(net2.weight.data());
        net.apply(ParameterManagement::myInit);
        System.out.println(net0.weight.index(":2"));
        net0.weight.data().index(":").add_(1);             // net[0].weight.data[:] += 1
        net0.weight.data().index(0, 0).fill_(42);          // net[0].weight.data[0, 0] = 42
        System.out.println(net0.weight.data().index(0));

        System.out.println("# Tied parameters");
        Linear shared = new Linear(8, 8);
        net = new Sequential(new Linear(4, 8), new ReLU(), shared, new ReLU(), shared, new ReLU(), new Linear(8, 1));
        System.out.println(net.forward(X));
        Linear second = (Linear) net.get(2), fourth = (Linear) net.get(4);
        System.out.println(second.weight.data().index(0).eq(fourth.weight.data().index(0)));
        second.weight.data().index(0, 0).fill_(100);       // net[2].weight.data[0, 0] = 100
        System.out.println(second.weight.data().index(0).eq(fourth.weight.data().index(0)));
        System.out.println(listRepr(net.stateDict().keySet()));
        System.out.println(pairs(net.namedParameters()));

        System.out.println("# File I/O");
        Path d = Files.createTempDirectory("d2l-parameters");
        try {
            Tensor x = arange(4);
            save((Object) x, d.resolve("x-file"));               // torch.save(x, 'x-file')
            Tensor x2 = (Tensor) loadObject(d.resolve("x-file"));
            System.out.println(x2);
            Tensor y = zeros(4);
            save(List.of(x, y), d.resolve("x-files"));           // torch.save([x, y], 'x-files')
            List<?> xy = (List<?>) loadObject(d.resolve("x-files"));
            System.out.println("(" + xy.get(0) + ", " + xy.get(1) + ")");
            Map<String, Tensor> mydict = new LinkedHashMap<>();
            mydict.put("x", x);
            mydict.put("y", y);
            save(mydict, d.resolve("mydict"));
            Map<String, Tensor> mydict2 = load(d.resolve("mydict"));
            System.out.println(dictRepr(mydict2));
            MLP mlp = new MLP();
            X = randn(2, 20);
            Tensor Y = mlp.forward(X);
            save(mlp.stateDict(), d.resolve("mlp.params"));
            MLP clone = new MLP();
            System.out.println(clone.loadStateDict(load(d.resolve("mlp.params"))));
            System.out.println(clone.eval());
            Tensor yClone = clone.forward(X);
            System.out.println(yClone.eq(Y));
            save(net.stateDict(), d.resolve("shared.params"));
            Linear shared2 = new Linear(8, 8);
            Sequential net3 = new Sequential(new Linear(4, 8), new ReLU(), shared2, new ReLU(), shared2, new ReLU(), new Linear(8, 1));
            System.out.println(net3.loadStateDict(load(d.resolve("shared.params"))));
            System.out.println(((Linear) net3.get(4)).weight.data().index(0));
        } finally {
            try (var files = Files.list(d)) {
                for (Path p : (Iterable<Path>) files::iterator) Files.delete(p);
            }
            Files.delete(d);
        }
    }
}
