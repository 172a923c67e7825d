package jtorch.nn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;
import jtorch.nn.functional.F;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Replays the differential check of {@code tools/gen_api_edge_fixtures.py}: about 4,500 calls of
 * Tensor, Torch and F methods with bad and edge arguments (dims out of range, empty and 0-dim
 * tensors, wrong dtypes, wrong-length arrays, huge ints), each recorded as PyTorch 1.13 answered
 * it. Where PyTorch raises, jtorch must throw a deliberate exception with a message; where PyTorch
 * computes, jtorch must compute PyTorch's dtype, shape and values (within 1e-5 relative).
 */
class ApiEdgeDifferentialTest {
    /** What one op does in Java, given the parsed arguments (the Python side is the generator's op table). */
    private interface Call {
        Object run(Object[] a);
    }

    private static final Map<String, Call> CORE = new HashMap<>(), NN = new HashMap<>();

    private static Tensor T(Object o) { return (Tensor) o; }
    private static int I(Object o) { return (Integer) o; }
    private static long L(Object o) { return o instanceof Integer ? (Integer) o : (Long) o; }
    private static double D(Object o) { return o instanceof Double ? (Double) o : o instanceof Long ? (Long) o : (Integer) o; }
    private static int[] IA(Object o) { return (int[]) o; }
    private static long[] LA(Object o) { return (long[]) o; }
    private static boolean B(Object o) { return (Boolean) o; }
    private static String S(Object o) { return (String) o; }

    static {
        CORE.put("sum", a -> a.length == 1 ? T(a[0]).sum() : T(a[0]).sum(IA(a[1]), B(a[2])));
        CORE.put("mean", a -> a.length == 1 ? T(a[0]).mean() : T(a[0]).mean(IA(a[1]), B(a[2])));
        CORE.put("prod", a -> a.length == 1 ? T(a[0]).prod() : T(a[0]).prod(I(a[1])));
        CORE.put("max", a -> a.length == 1 ? T(a[0]).max() : pair(T(a[0]).max(I(a[1]), B(a[2]))));
        CORE.put("min", a -> a.length == 1 ? T(a[0]).min() : pair(T(a[0]).min(I(a[1]), B(a[2]))));
        CORE.put("argmax", a -> a.length == 1 ? T(a[0]).argmax() : T(a[0]).argmax(I(a[1])));
        CORE.put("argmin", a -> a.length == 1 ? T(a[0]).argmin() : T(a[0]).argmin(I(a[1])));
        CORE.put("var", a -> a.length == 1 ? T(a[0]).var() : T(a[0]).var(IA(a[1]), B(a[2]), B(a[3])));
        CORE.put("std", a -> a.length == 1 ? T(a[0]).std() : T(a[0]).std(IA(a[1]), B(a[2]), B(a[3])));
        CORE.put("logsumexp", a -> T(a[0]).logsumexp(IA(a[1])));
        CORE.put("softmax", a -> T(a[0]).softmax(I(a[1])));
        CORE.put("logSoftmax", a -> T(a[0]).logSoftmax(I(a[1])));
        CORE.put("reshape", a -> T(a[0]).reshape(LA(a[1])));
        CORE.put("view", a -> T(a[0]).view(LA(a[1])));
        CORE.put("transpose", a -> T(a[0]).transpose(I(a[1]), I(a[2])));
        CORE.put("permute", a -> T(a[0]).permute(IA(a[1])));
        CORE.put("t", a -> T(a[0]).t());
        CORE.put("squeeze", a -> a.length == 1 ? T(a[0]).squeeze() : T(a[0]).squeeze(I(a[1])));
        CORE.put("unsqueeze", a -> T(a[0]).unsqueeze(I(a[1])));
        CORE.put("flatten", a -> T(a[0]).flatten(I(a[1]), I(a[2])));
        CORE.put("unflatten", a -> T(a[0]).unflatten(I(a[1]), LA(a[2])));
        CORE.put("expand", a -> T(a[0]).expand(LA(a[1])));
        CORE.put("narrow", a -> T(a[0]).narrow(I(a[1]), L(a[2]), L(a[3])));
        CORE.put("select", a -> T(a[0]).select(I(a[1]), L(a[2])));
        CORE.put("chunk", a -> T(a[0]).chunk(I(a[1]), I(a[2])));
        CORE.put("split", a -> T(a[0]).split(L(a[1]), I(a[2])));
        CORE.put("splitSizes", a -> T(a[0]).split(LA(a[1]), I(a[2])));
        CORE.put("unbind", a -> T(a[0]).unbind(I(a[1])));
        CORE.put("cat", a -> Torch.cat(List.of(T(a[0]), T(a[1])), I(a[2])));
        CORE.put("stack", a -> Torch.stack(List.of(T(a[0]), T(a[1])), I(a[2])));
        CORE.put("matmul", a -> T(a[0]).matmul(T(a[1])));
        CORE.put("mm", a -> T(a[0]).mm(T(a[1])));
        CORE.put("bmm", a -> T(a[0]).bmm(T(a[1])));
        CORE.put("dot", a -> T(a[0]).dot(T(a[1])));
        CORE.put("add", a -> T(a[0]).add(T(a[1])));
        CORE.put("sub", a -> T(a[0]).sub(T(a[1])));
        CORE.put("mul", a -> T(a[0]).mul(T(a[1])));
        CORE.put("div", a -> T(a[0]).div(T(a[1])));
        CORE.put("pow", a -> T(a[0]).pow(T(a[1])));
        CORE.put("maximum", a -> T(a[0]).maximum(T(a[1])));
        CORE.put("eq", a -> T(a[0]).eq(T(a[1])));
        CORE.put("lt", a -> T(a[0]).lt(T(a[1])));
        CORE.put("where", a -> Torch.where(T(a[0]), T(a[1]), T(a[2])));
        CORE.put("clamp", a -> a[1] instanceof Long ? T(a[0]).clamp(L(a[1]), L(a[2])) : T(a[0]).clamp(D(a[1]), D(a[2])));
        CORE.put("clampMin", a -> a[1] instanceof Long ? T(a[0]).clampMin(L(a[1])) : T(a[0]).clampMin(D(a[1])));
        CORE.put("clampMax", a -> a[1] instanceof Long ? T(a[0]).clampMax(L(a[1])) : T(a[0]).clampMax(D(a[1])));
        CORE.put("neg", a -> T(a[0]).neg());
        CORE.put("abs", a -> T(a[0]).abs());
        CORE.put("sign", a -> T(a[0]).sign());
        CORE.put("exp", a -> T(a[0]).exp());
        CORE.put("log", a -> T(a[0]).log());
        CORE.put("sqrt", a -> T(a[0]).sqrt());
        CORE.put("sigmoid", a -> T(a[0]).sigmoid());
        CORE.put("tanh", a -> T(a[0]).tanh());
        CORE.put("relu", a -> T(a[0]).relu());
        CORE.put("gather", a -> T(a[0]).gather(I(a[1]), T(a[2])));
        CORE.put("indexSelect", a -> T(a[0]).indexSelect(I(a[1]), T(a[2])));
        CORE.put("scatter", a -> T(a[0]).scatter(I(a[1]), T(a[2]), T(a[3])));
        CORE.put("scatterAdd", a -> T(a[0]).scatterAdd(I(a[1]), T(a[2]), T(a[3])));
        CORE.put("to", a -> T(a[0]).to((DType) a[1]));
        CORE.put("item", a -> T(a[0]).item());
        CORE.put("add_", a -> T(a[0]).clone().add_(T(a[1])));
        CORE.put("mul_", a -> T(a[0]).clone().mul_(T(a[1])));
        CORE.put("div_", a -> T(a[0]).clone().div_(T(a[1])));
        CORE.put("fill_", a -> a[1] instanceof Boolean ? T(a[0]).clone().fill_(B(a[1]) ? 1L : 0L)
                : a[1] instanceof Long ? T(a[0]).clone().fill_(L(a[1])) : T(a[0]).clone().fill_(D(a[1])));
        CORE.put("copy_", a -> T(a[0]).clone().copy_(T(a[1])));
        CORE.put("zeros", a -> Torch.zeros(LA(a[0])));
        CORE.put("ones", a -> Torch.ones(LA(a[0])));
        CORE.put("full", a -> Torch.full(LA(a[0]), D(a[1])));
        CORE.put("eye", a -> Torch.eye(L(a[0]), L(a[1])));
        CORE.put("arangeL", a -> Torch.arange(L(a[0]), L(a[1]), L(a[2])));
        CORE.put("arangeD", a -> Torch.arange(D(a[0]), D(a[1]), D(a[2])));
        CORE.put("linspace", a -> Torch.linspace(D(a[0]), D(a[1]), L(a[2])));
        CORE.put("nonzero", a -> Torch.nonzero(T(a[0])));
        CORE.put("equal", a -> Torch.equal(T(a[0]), T(a[1])));
        CORE.put("allclose", a -> Torch.allclose(T(a[0]), T(a[1])));

        NN.put("linear", a -> F.linear(T(a[0]), T(a[1]), T(a[2])));
        NN.put("relu", a -> F.relu(T(a[0])));
        NN.put("softmax", a -> F.softmax(T(a[0]), I(a[1])));
        NN.put("leakyRelu", a -> F.leakyRelu(T(a[0]), D(a[1])));
        NN.put("gelu", a -> F.gelu(T(a[0]), S(a[1])));
        NN.put("dropout", a -> F.dropout(T(a[0]), D(a[1]), B(a[2])));
        NN.put("mseLoss", a -> F.mseLoss(T(a[0]), T(a[1]), S(a[2])));
        NN.put("l1Loss", a -> F.l1Loss(T(a[0]), T(a[1]), S(a[2])));
        NN.put("smoothL1Loss", a -> F.smoothL1Loss(T(a[0]), T(a[1]), S(a[2]), D(a[3])));
        NN.put("nllLoss", a -> F.nllLoss(T(a[0]), T(a[1]), T(a[2]), L(a[3]), S(a[4])));
        NN.put("crossEntropy", a -> F.crossEntropy(T(a[0]), T(a[1]), T(a[2]), L(a[3]), S(a[4]), D(a[5])));
        NN.put("binaryCrossEntropy", a -> F.binaryCrossEntropy(T(a[0]), T(a[1]), T(a[2]), S(a[3])));
        NN.put("bceWithLogits", a -> F.binaryCrossEntropyWithLogits(T(a[0]), T(a[1]), T(a[2]), S(a[3]), T(a[4])));
        NN.put("batchNorm", a -> F.batchNorm(T(a[0]), T(a[1]), T(a[2]), T(a[3]), T(a[4]), B(a[5]), D(a[6]), D(a[7])));
        NN.put("layerNorm", a -> F.layerNorm(T(a[0]), LA(a[1]), T(a[2]), T(a[3]), D(a[4])));
        NN.put("embedding", a -> F.embedding(T(a[0]), T(a[1])));
        NN.put("conv2d", a -> F.conv2d(T(a[0]), T(a[1]), T(a[2]), IA(a[3]), IA(a[4]), IA(a[5]), I(a[6])));
        NN.put("unfold", a -> F.unfold(T(a[0]), IA(a[1]), IA(a[2]), IA(a[3]), IA(a[4])));
        NN.put("fold", a -> F.fold(T(a[0]), IA(a[1]), IA(a[2]), IA(a[3]), IA(a[4]), IA(a[5])));
        NN.put("pad", a -> F.pad(T(a[0]), IA(a[1]), S(a[2]), D(a[3])));
        NN.put("maxPool2d", a -> F.maxPool2d(T(a[0]), IA(a[1]), IA(a[2]), IA(a[3]), IA(a[4]), B(a[5])));
        NN.put("avgPool2d", a -> F.avgPool2d(T(a[0]), IA(a[1]), IA(a[2]), IA(a[3]), B(a[4]), B(a[5]), 0));
        NN.put("adaptiveAvgPool2d", a -> F.adaptiveAvgPool2d(T(a[0]), IA(a[1])));
    }

    private static List<Tensor> pair(Tensor.ValuesIndices vi) { return List.of(vi.values(), vi.indices()); }

    // ------------------------------------------------------------ the argument language (see the generator)

    static Tensor makeTensor(char code, int[] shape, boolean nonContiguous) {
        int[] build = shape.clone();
        if (nonContiguous) { int t = build[build.length - 1]; build[build.length - 1] = build[build.length - 2]; build[build.length - 2] = t; }
        long n = 1;
        for (int s : build) n *= s;
        long[] longShape = Arrays.stream(build).asLongStream().toArray();
        Tensor t;
        switch (code) {
            case 'b': {
                boolean[] v = new boolean[(int) n];
                for (int k = 0; k < n; k++) v[k] = k % 3 == 0;
                t = TensorInternals.wrap(v, build);
                break;
            }
            case 'l': {
                long[] v = new long[(int) n];
                for (int k = 0; k < n; k++) v[k] = k - n / 2;
                t = TensorInternals.wrap(v, build);
                break;
            }
            default: {
                double[] v = new double[(int) n];
                for (int k = 0; k < n; k++) v[k] = (k - n / 2) * 0.75 + 0.25;
                t = TensorInternals.wrap(v, build).to(code == 'f' ? DType.FLOAT32 : DType.FLOAT64);
            }
        }
        t = t.reshape(longShape);
        return nonContiguous ? t.transpose(-1, -2) : t;
    }

    static Object parse(String arg) {
        char c = arg.charAt(0);
        String rest = arg.substring(1);
        switch (c) {
            case 'T': {
                boolean nc = rest.endsWith("^");
                String body = nc ? rest.substring(0, rest.length() - 1) : rest;
                String dims = body.substring(2, body.length() - 1);
                int[] shape = dims.isEmpty() ? new int[0] : Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray();
                return makeTensor(body.charAt(0), shape, nc);
            }
            case 'i': return Integer.parseInt(rest);
            case 'l': return Long.parseLong(rest);
            case 'd': return rest.equals("inf") ? Double.POSITIVE_INFINITY : rest.equals("-inf") ? Double.NEGATIVE_INFINITY
                    : rest.equals("nan") ? Double.NaN : Double.parseDouble(rest);
            case 'b': return rest.equals("true");
            case 'I': {
                String in = rest.substring(1, rest.length() - 1);
                return in.isEmpty() ? new int[0] : Arrays.stream(in.split(",")).mapToInt(Integer::parseInt).toArray();
            }
            case 'L': {
                String in = rest.substring(1, rest.length() - 1);
                return in.isEmpty() ? new long[0] : Arrays.stream(in.split(",")).mapToLong(Long::parseLong).toArray();
            }
            case 's': return rest;
            case 'N': return null;
            case 'P': return DType.valueOf(rest.toUpperCase().replace("INT64", "INT64"));
            default: throw new IllegalStateException("bad argument " + arg);
        }
    }

    // ------------------------------------------------------------ the replay

    private static Map<String, String[]> read(String resource) throws IOException {
        Map<String, String[]> r = new LinkedHashMap<>();
        try (InputStream in = ApiEdgeDifferentialTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is missing; run tools/gen_api_edge_fixtures.py");
            BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = br.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                r.put(f[1], f);
            }
        }
        return r;
    }

    /** A deliberate refusal: one of the exception types jtorch throws on purpose, with a message. */
    static boolean deliberate(Throwable e) {
        return (e instanceof IllegalArgumentException || e instanceof IndexOutOfBoundsException && !(e instanceof ArrayIndexOutOfBoundsException)
                || e instanceof IllegalStateException || e instanceof UnsupportedOperationException)
                && e.getMessage() != null && !e.getMessage().isEmpty();
    }

    /**
     * Calls PyTorch computes that jtorch refuses on purpose, each with the reason. They must still
     * be refused deliberately (a named exception with a message), never crash or compute.
     */
    private static final Map<String, String> DELIBERATE_REFUSALS = Map.of(
            "matmul|Tf(0,3)|Tl(3,2)", "PyTorch skips its dtype check when there is nothing to multiply",
            "matmul|Tf(0,3)|Td(3,2)", "PyTorch skips its dtype check when there is nothing to multiply",
            "matmul|Tf(0,3)|Tb(3,2)", "PyTorch skips its dtype check when there is nothing to multiply",
            "mm|Tf(0,3)|Tl(3,2)", "PyTorch skips its dtype check when there is nothing to multiply",
            "mm|Tf(0,3)|Td(3,2)", "PyTorch skips its dtype check when there is nothing to multiply",
            "mm|Tf(0,3)|Tb(3,2)", "PyTorch skips its dtype check when there is nothing to multiply",
            "maxPool2d|Tf(1,2,5,5)|I[3,3]|I[1,1]|I[1,1]|I[2147483647,1]|bfalse", "a window extent beyond Args.MAX_WINDOW_EXTENT",
            "maxPool2d|Tf(1,2,5,5)|I[3,3]|I[1,1]|I[1,1]|I[2147483647,1]|btrue", "a window extent beyond Args.MAX_WINDOW_EXTENT");

    private static void replay(String resource, Map<String, Call> ops) throws IOException {
        Map<String, String[]> records = read(resource);
        List<String> problems = new ArrayList<>();
        int cases = 0, raised = 0;
        for (String[] f : records.values()) {
            String name = f[1];
            if (name.endsWith("]")) continue; // a list element, checked with its list
            cases++;
            String[] parts = name.split("\\|");
            Call call = ops.get(parts[0]);
            assertNotNull(call, "no Java form of " + parts[0]);
            Object result;
            try {
                Object[] args = new Object[parts.length - 1];
                for (int k = 1; k < parts.length; k++) args[k - 1] = parse(parts[k]);
                result = call.run(args);
            } catch (Throwable e) {
                if (f[0].equals("error") || DELIBERATE_REFUSALS.containsKey(name)) {
                    raised++;
                    if (!deliberate(e)) problems.add(name + ": PyTorch raises " + f[2] + "; jtorch crashed with " + e);
                } else problems.add(name + ": PyTorch computes; jtorch threw " + e);
                continue;
            }
            if (DELIBERATE_REFUSALS.containsKey(name)) {
                problems.add(name + ": should be refused (" + DELIBERATE_REFUSALS.get(name) + "); jtorch computed " + brief(result));
                continue;
            }
            if (f[0].equals("error")) {
                problems.add(name + ": PyTorch raises " + f[2] + ": " + f[3] + "; jtorch computed " + brief(result));
                continue;
            }
            String mismatch = compare(f, result, records);
            if (mismatch != null) problems.add(name + ": " + mismatch);
        }
        System.out.println(resource + ": " + cases + " cases replayed, " + raised + " refused as PyTorch refuses them");
        assertTrue(problems.isEmpty(), problems.size() + " of " + cases + " cases differ from PyTorch:\n"
                + String.join("\n", problems.subList(0, Math.min(80, problems.size()))));
    }

    private static String brief(Object r) {
        return r instanceof Tensor ? ((Tensor) r).dtype() + ((Tensor) r).shape().toString() : String.valueOf(r);
    }

    private static String compare(String[] f, Object result, Map<String, String[]> records) {
        switch (f[0]) {
            case "tensor":
                return result instanceof Tensor ? compareTensor(f, (Tensor) result) : "expected a tensor, got " + result;
            case "list": {
                if (!(result instanceof List)) return "expected a list, got " + result;
                List<?> l = (List<?>) result;
                int n = Integer.parseInt(f[2]);
                if (l.size() != n) return "expected " + n + " tensors, got " + l.size();
                for (int k = 0; k < n; k++) {
                    String m = compareTensor(records.get(f[1] + "[" + k + "]"), (Tensor) l.get(k));
                    if (m != null) return "[" + k + "] " + m;
                }
                return null;
            }
            case "text": {
                String expected = f[2];
                if (result instanceof Boolean) return expected.equals((Boolean) result ? "True" : "False") ? null : "expected " + expected;
                if (result instanceof Double) {
                    double e = expected.equals("True") ? 1 : expected.equals("False") ? 0 : Double.parseDouble(expected);
                    return close(e, (Double) result) ? null : "expected " + expected + ", got " + result;
                }
                return expected.equals(String.valueOf(result)) ? null : "expected " + expected + ", got " + result;
            }
            default:
                throw new IllegalStateException(f[0]);
        }
    }

    private static boolean close(double e, double a) {
        if (Double.isNaN(e)) return Double.isNaN(a);
        if (Double.isInfinite(e)) return e == a;
        return Math.abs(e - a) <= 1e-5 * Math.max(1, Math.abs(e));
    }

    private static String compareTensor(String[] f, Tensor t) {
        if (!f[2].equals(t.dtype().name())) return "dtype " + t.dtype() + ", PyTorch " + f[2];
        long[] shape = f[3].isEmpty() ? new long[0] : Arrays.stream(f[3].split(",")).mapToLong(Long::parseLong).toArray();
        if (!Arrays.equals(shape, t.shape().toArray())) return "shape " + t.shape() + ", PyTorch " + Arrays.toString(shape);
        String[] v = f[8].isEmpty() ? new String[0] : f[8].split(" ");
        double[] actual = f[2].equals("BOOL") ? null : t.to(DType.FLOAT64).toDoubleArray();
        boolean[] bools = f[2].equals("BOOL") ? t.toBooleanArray() : null;
        long[] longs = f[2].equals("INT64") ? t.toLongArray() : null;
        for (int k = 0; k < v.length; k++) {
            boolean ok;
            switch (f[2]) {
                case "BOOL": ok = bools[k] == v[k].equals("1"); break;
                case "INT64": ok = longs[k] == Long.parseLong(v[k]); break;
                case "FLOAT32": ok = close(Float.intBitsToFloat((int) Long.parseLong(v[k], 16)), actual[k]); break;
                default: ok = close(Double.longBitsToDouble(Long.parseUnsignedLong(v[k], 16)), actual[k]);
            }
            if (!ok) return "element " + k + " differs: " + t;
        }
        return null;
    }

    @Test void tensorAndTorchCallsRaiseOrComputeAsPyTorchDoes() throws IOException {
        replay("/jtorch/nn/api_edge_core.txt", CORE);
    }

    @Test void functionalCallsRaiseOrComputeAsPyTorchDoes() throws IOException {
        replay("/jtorch/nn/api_edge_nn.txt", NN);
    }
}
