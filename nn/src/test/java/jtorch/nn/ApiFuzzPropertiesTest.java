package jtorch.nn;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jtorch.DType;
import jtorch.Generator;
import jtorch.Size;
import jtorch.Tensor;
import jtorch.TensorIndex;
import jtorch.Torch;
import jtorch.nn.functional.F;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The API fuzz suite of issue 14: every public method of {@link Tensor}, {@link Torch} and
 * {@link F} and every public constructor of an {@code nn} module (then its {@code forward}), found
 * by reflection, called with generated bad arguments: wrong-length arrays, negative and huge ints
 * (near {@code Integer.MAX_VALUE}), NaN and infinite doubles, 0-dim, empty, non-contiguous and
 * wrongly typed tensors, unknown strings and nulls. The law: a result, or a deliberate exception
 * (IllegalArgumentException, IndexOutOfBoundsException other than an array's,
 * IllegalStateException, UnsupportedOperationException, ModuleException) with a message; never an
 * NPE, AIOOBE, ClassCast, Arithmetic or NegativeArraySize exception, a StackOverflow or
 * OutOfMemory error, an exception without a message, or a call running past its time limit.
 *
 * <p>Methods that change process-wide state (default dtype, thread count, grad mode, the default
 * generator's seed) or touch files are left out; everything else is in.
 */
class ApiFuzzPropertiesTest {
    private static final int MAX = Integer.MAX_VALUE;
    private static final long CALL_TIMEOUT_SECONDS = 30; // a legal 2.8 GB arange takes ~17 s on a busy 2-core machine
    private static final Set<String> EXCLUDED = Set.of("setDefaultDtype", "setNumThreads", "setGradEnabled", "manualSeed", "save",
            "load", "noGrad", "enableGrad", "wait", "notify", "notifyAll", "getClass", "hashCode", "equals", "toString",
            "registerHook", "backward");

    private static final AtomicInteger[] CASES = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicInteger(),
            new AtomicInteger()};
    private static final AtomicInteger[] REFUSED = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicInteger(),
            new AtomicInteger()};
    private static ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "api-fuzz");
        t.setDaemon(true);
        return t;
    });

    private static List<Method> methods(Class<?> c, boolean statics) {
        List<Method> r = new ArrayList<>();
        for (Method m : c.getMethods()) {
            if (m.getDeclaringClass() != c || Modifier.isStatic(m.getModifiers()) != statics || EXCLUDED.contains(m.getName())) continue;
            if (Arrays.stream(m.getParameterTypes()).anyMatch(p -> p.isInterface() && !p.equals(List.class))) continue; // lambdas
            r.add(m);
        }
        r.sort(Comparator.comparing(Method::toGenericString));
        return r;
    }

    private static final List<Method> TENSOR = methods(Tensor.class, false), TORCH = methods(Torch.class, true),
            FUNCTIONAL = methods(F.class, true);
    private static final List<Constructor<?>> MODULES = moduleConstructors();

    private static List<Constructor<?>> moduleConstructors() {
        Class<?>[] modules = {AdaptiveAvgPool2d.class, AvgPool2d.class, BCELoss.class, BCEWithLogitsLoss.class, BatchNorm1d.class,
                BatchNorm2d.class, Conv1d.class, Conv2d.class, CrossEntropyLoss.class, Dropout.class, Embedding.class, Flatten.class,
                Fold.class, GELU.class, Identity.class, L1Loss.class, LayerNorm.class, LeakyReLU.class, Linear.class, LogSoftmax.class,
                MSELoss.class, MaxPool2d.class, NLLLoss.class, ReLU.class, Sigmoid.class, SmoothL1Loss.class, Softmax.class, Tanh.class,
                Unflatten.class, Unfold.class};
        List<Constructor<?>> r = new ArrayList<>();
        for (Class<?> c : modules) r.addAll(Arrays.asList(c.getConstructors()));
        r.sort(Comparator.comparing(Constructor::toGenericString));
        return r;
    }

    // ------------------------------------------------------------ generated arguments

    private static final int[] INTS = {0, 1, 2, 3, -1, -2, 5, MAX, Integer.MIN_VALUE, MAX - 1, 1 << 20, -(1 << 20)};
    private static final long[] LONGS = {0, 1, 2, 3, -1, 6, MAX, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 33, -100};
    private static final double[] DOUBLES = {0, 0.5, 1, 2, -1, -0.5, 1e300, -1e300, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, 1e-300};
    private static final String[] STRINGS = {"mean", "sum", "none", "bad", "", "constant", "reflect", "replicate", "circular",
            "same", "valid", "tanh", ":, 0", "..., -1", "::2, None", "[", "0:", "99", "x"};

    private static Tensor tensor(Random r) {
        switch (r.nextInt(16)) {
            case 0: return Torch.tensor(1.5);
            case 1: return Torch.empty(0, 3);
            case 2: return Torch.arange(6.0).reshape(2, 3).t();
            case 3: return Torch.arange(6L).reshape(2, 3);
            case 4: return Torch.tensor(new boolean[] {true, false, true});
            case 5: return Torch.arange(6.0).reshape(2, 3).to(DType.FLOAT64);
            case 6: return Torch.randn(1, 2, 5, 5);
            case 7: return Torch.randn(2, 3, 4);
            case 8: return Torch.randn(2, 3).requiresGrad_();
            case 9: return Torch.tensor(new long[] {0, 1, 2});
            case 10: return Torch.tensor(new float[] {Float.NaN, Float.POSITIVE_INFINITY, -1});
            case 11: return Torch.zeros(3, 0, 2);
            case 12: return Torch.tensor(3L);
            case 13: return Torch.arange(24.0).reshape(2, 3, 4).permute(2, 0, 1);
            case 14: return Torch.tensor(new double[] {1e300, -1e-300}).to(DType.FLOAT64);
            default: return Torch.randn(2, 3);
        }
    }

    private static int[] ints(Random r) {
        switch (r.nextInt(10)) {
            case 0: return new int[0];
            case 1: return new int[] {2};
            case 2: return new int[] {2, 2, 2};
            case 3: return new int[] {-1, 2};
            case 4: return new int[] {MAX, 2};
            case 5: return new int[] {0, 0};
            case 6: return new int[] {-5};
            case 7: return new int[] {1, MAX};
            case 8: return new int[] {0, 1, 2, 3};
            default: return new int[] {2, 2};
        }
    }

    private static long[] longs(Random r) {
        switch (r.nextInt(9)) {
            case 0: return new long[0];
            case 1: return new long[] {6};
            case 2: return new long[] {-1, 3};
            case 3: return new long[] {-1, -1};
            case 4: return new long[] {MAX, MAX};
            case 5: return new long[] {0, 3};
            case 6: return new long[] {-3};
            case 7: return new long[] {Long.MAX_VALUE, 2};
            default: return new long[] {2, 3};
        }
    }

    /**
     * An argument of the given type. Any reference argument may be null, for Tensor's methods,
     * Torch, F, the modules and the options factories alike: where PyTorch's argument may be None
     * (a bias or weight, a boxed optional number, a dtype, a generator) the call computes, and a
     * required argument's null is refused by name ({@code "conv2d: input must not be null"}).
     */
    private static Object arg(Class<?> type, Random r, Class<?> owner, int position) {
        if (!type.isPrimitive() && r.nextInt(8) == 0) return null;
        if (type == Tensor.class) return tensor(r);
        if (type == int.class || type == Integer.class) return INTS[r.nextInt(INTS.length)];
        if (type == long.class || type == Long.class) return type == Long.class && r.nextInt(6) == 0 ? null : LONGS[r.nextInt(LONGS.length)];
        if (type == double.class || type == Double.class) return type == Double.class && r.nextInt(6) == 0 ? null : DOUBLES[r.nextInt(DOUBLES.length)];
        if (type == float.class) return (float) DOUBLES[r.nextInt(DOUBLES.length)];
        if (type == boolean.class) return r.nextBoolean();
        if (type == int[].class) return ints(r);
        if (type == long[].class) return longs(r);
        if (type == double[].class) return new double[] {0.5, Double.NaN, -1}[r.nextInt(3)] > 0
                ? new double[] {0.8, 0.2} : new double[] {-0.1, 1.1, Double.NaN};
        if (type == String.class) return STRINGS[r.nextInt(STRINGS.length)];
        if (type == DType.class) return DType.values()[r.nextInt(DType.values().length)];
        if (type == Size.class) return r.nextBoolean() ? Size.of(2, 3) : Size.of();
        if (type == Generator.class) return r.nextBoolean() ? null : new Generator().manualSeed(7);
        if (type == List.class) {
            switch (r.nextInt(4)) {
                case 0: return List.of(tensor(r));
                case 1: return List.of();
                case 2: return Arrays.asList(tensor(r), tensor(r), tensor(r));
                default: return Arrays.asList(tensor(r), tensor(r));
            }
        }
        if (type == Tensor[].class) return r.nextInt(5) == 0 ? new Tensor[0] : new Tensor[] {tensor(r), tensor(r)};
        if (type == TensorIndex[].class || type == TensorIndex.class) {
            TensorIndex[] all = {TensorIndex.integer(LONGS[r.nextInt(LONGS.length)]), TensorIndex.slice(null, null, r.nextBoolean() ? 1 : -1),
                    TensorIndex.ellipsis(), TensorIndex.none(), TensorIndex.tensor(Torch.tensor(new long[] {0, 5})),
                    TensorIndex.tensor(Torch.tensor(new boolean[] {true, false}))};
            if (type == TensorIndex.class) return all[r.nextInt(all.length)];
            int n = r.nextInt(4);
            TensorIndex[] ix = new TensorIndex[n];
            for (int k = 0; k < n; k++) ix[k] = all[r.nextInt(all.length)];
            return ix;
        }
        if (type == Object.class) {
            Object[] data = {new float[][] {{1}, {2, 3}}, "str", new int[0][0], new int[0], new double[] {1, 2}, new float[][] {{1}, null},
                    new Object[] {new float[] {1}, new double[] {2}}, new long[][] {{1, 2}, {3, 4}}, 1.5, new boolean[][] {{true}}};
            return data[r.nextInt(data.length)];
        }
        if (type.getSimpleName().equals("Options")) return options(type, owner, r);
        return null;
    }

    /** An {@code Options} object from one of its class's {@code options(...)} factories (or null). */
    private static Object options(Class<?> optionsType, Class<?> user, Random r) {
        List<Method> factories = new ArrayList<>();
        for (Class<?> owner : new Class<?>[] {optionsType.getDeclaringClass(), user})
            for (Method m : owner == null ? new Method[0] : owner.getMethods())
                if (Modifier.isStatic(m.getModifiers()) && m.getName().equals("options") && m.getReturnType() == optionsType
                        && !factories.contains(m)) factories.add(m);
        if (factories.isEmpty()) return null;
        factories.sort(Comparator.comparing(Method::toGenericString));
        Method f = factories.get(r.nextInt(factories.size()));
        try {
            return f.invoke(null, args(f, r));
        } catch (InvocationTargetException e) { // a refused option: the refusal is the call's result
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static Object[] args(Executable e, Random r) {
        Class<?>[] types = e.getParameterTypes();
        Object[] a = new Object[types.length];
        for (int k = 0; k < types.length; k++) a[k] = arg(types[k], r, e.getDeclaringClass(), k);
        return a;
    }

    // ------------------------------------------------------------ the law

    /** A deliberate refusal: a named exception type of jtorch's, with a message. */
    static boolean deliberate(Throwable e) {
        boolean type = e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof UnsupportedOperationException || e instanceof ModuleException
                || (e instanceof IndexOutOfBoundsException && !(e instanceof ArrayIndexOutOfBoundsException)
                        && !(e instanceof StringIndexOutOfBoundsException));
        return type && e.getMessage() != null && !e.getMessage().isBlank();
    }

    private static String describe(Object[] args) {
        StringBuilder b = new StringBuilder();
        for (Object o : args) {
            if (b.length() > 0) b.append(", ");
            if (o instanceof Tensor) b.append(((Tensor) o).dtype()).append(((Tensor) o).shape().toArray().length == 0 ? "[]"
                    : Arrays.toString(((Tensor) o).shape().toArray()));
            else if (o instanceof int[]) b.append(Arrays.toString((int[]) o));
            else if (o instanceof long[]) b.append(Arrays.toString((long[]) o));
            else if (o instanceof Object[]) b.append(Arrays.deepToString((Object[]) o));
            else b.append(o);
        }
        return b.toString();
    }

    /** Runs one call under the time limit and checks the law; {@code which} counts the cases. */
    private static void check(int which, String what, Supplier<Object[]> argsOf, Invocation call) throws Exception {
        String[] label = {what + "(arguments being made)"};
        CASES[which].incrementAndGet();
        Future<Throwable> f = worker.submit(() -> {
            try {
                Object[] args = argsOf.get(); // inside: an options factory may refuse its arguments
                label[0] = what + "(" + describe(args) + ")";
                call.invoke(args);
                return null;
            } catch (InvocationTargetException e) {
                return e.getCause();
            } catch (Throwable t) {
                return t;
            }
        });
        Throwable thrown;
        try {
            thrown = f.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = Executors.newSingleThreadExecutor(r -> { Thread t = new Thread(r, "api-fuzz"); t.setDaemon(true); return t; });
            fail(label[0] + " ran for more than " + CALL_TIMEOUT_SECONDS + " s");
            return;
        } catch (ExecutionException e) {
            thrown = e.getCause();
        }
        if (thrown == null) return;
        if (thrown instanceof IllegalArgumentException && thrown.getMessage() != null
                && thrown.getMessage().startsWith("argument type mismatch")) return; // reflection's own check (a null primitive)
        Throwable reported = thrown;
        if (!deliberate(reported)) {
            java.io.StringWriter sw = new java.io.StringWriter();
            reported.printStackTrace(new java.io.PrintWriter(sw));
            String trace = sw.toString();
            fail(label[0] + " crashed instead of refusing: " + trace.substring(0, Math.min(1500, trace.length())));
        }
        REFUSED[which].incrementAndGet();
    }

    private interface Invocation {
        void invoke(Object[] args) throws Exception;
    }

    // ------------------------------------------------------------ the properties

    @Property(seed = NnGen.SEED, tries = 3000)
    void tensorMethodsRefuseBadArgumentsDeliberately(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        Method m = TENSOR.get(Math.floorMod(r.nextInt(), TENSOR.size()));
        Tensor receiver = tensor(r);
        if (receiver == null) receiver = Torch.randn(2, 3);
        Tensor self = receiver;
        check(0, "Tensor." + m.getName(), () -> args(m, r), a -> m.invoke(self, a));
    }

    @Property(seed = NnGen.SEED, tries = 1500)
    void torchFunctionsRefuseBadArgumentsDeliberately(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        Method m = TORCH.get(Math.floorMod(r.nextInt(), TORCH.size()));
        check(1, "Torch." + m.getName(), () -> args(m, r), a -> m.invoke(null, a));
    }

    @Property(seed = NnGen.SEED, tries = 2500)
    void functionalFormsRefuseBadArgumentsDeliberately(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        Method m = FUNCTIONAL.get(Math.floorMod(r.nextInt(), FUNCTIONAL.size()));
        check(2, "F." + m.getName(), () -> args(m, r), a -> m.invoke(null, a));
    }

    @Property(seed = NnGen.SEED, tries = 1500)
    void moduleConstructorsAndForwardRefuseBadArgumentsDeliberately(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        Constructor<?> c = MODULES.get(Math.floorMod(r.nextInt(), MODULES.size()));
        check(3, "new " + c.getDeclaringClass().getSimpleName(), () -> args(c, r), a -> {
            Module module = (Module) c.newInstance(a);
            Tensor x = r.nextInt(8) == 0 ? null : tensor(r);
            try {
                module.forward(x);
            } catch (RuntimeException | Error e) {
                throw new InvocationTargetException(e);
            }
        });
    }

    /**
     * Null in each reference parameter in turn (and a null {@code forward} input for each module
     * constructor), the other arguments generated as above: a result (where null means "absent",
     * as bias=None or dtype=None) or a deliberate refusal, for every Torch and F method and module
     * constructor; the random properties above reach a given parameter's null only by chance.
     */
    @net.jqwik.api.Example
    void nullInEachReferenceParameterIsComputedOrRefused() throws Exception {
        List<Executable> all = new ArrayList<>();
        all.addAll(TORCH);
        all.addAll(FUNCTIONAL);
        all.addAll(MODULES);
        java.util.TreeSet<String> crashes = new java.util.TreeSet<>();
        for (Executable e : all) {
            Class<?>[] types = e.getParameterTypes();
            boolean module = e instanceof Constructor;
            for (int k = 0; k <= types.length; k++) {
                if (k < types.length ? types[k].isPrimitive() : !module) continue;
                for (int t = 0; t < 8; t++) {
                    Random r = new Random(31L * t + k);
                    int position = k;
                    String what = e.getDeclaringClass().getSimpleName() + "." + (module ? "<init>" : e.getName())
                            + Arrays.toString(Arrays.stream(types).map(Class::getSimpleName).toArray())
                            + (k == types.length ? " forward(null)" : " null #" + k);
                    CASES[4].incrementAndGet();
                    Future<Throwable> f = worker.submit(() -> {
                        try {
                            Object[] a = args(e, r);
                            if (position < a.length) a[position] = null;
                            if (!module) ((Method) e).invoke(null, a);
                            else ((Module) ((Constructor<?>) e).newInstance(a)).forward(position == a.length ? null : tensor(r));
                            return null;
                        } catch (InvocationTargetException x) {
                            return x.getCause();
                        } catch (Throwable x) {
                            return x;
                        }
                    });
                    Throwable thrown;
                    try {
                        thrown = f.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    } catch (TimeoutException x) {
                        f.cancel(true);
                        worker.shutdownNow();
                        worker = Executors.newSingleThreadExecutor(q -> { Thread th = new Thread(q, "api-fuzz"); th.setDaemon(true); return th; });
                        crashes.add(what + " ran for more than " + CALL_TIMEOUT_SECONDS + " s");
                        continue;
                    } catch (ExecutionException x) {
                        thrown = x.getCause();
                    }
                    if (thrown == null) continue;
                    if (thrown instanceof IllegalArgumentException && thrown.getMessage() != null
                            && thrown.getMessage().startsWith("argument type mismatch")) continue;
                    if (deliberate(thrown)) {
                        REFUSED[4].incrementAndGet();
                        continue;
                    }
                    String frame = "";
                    for (StackTraceElement el : thrown.getStackTrace())
                        if (el.getClassName().startsWith("jtorch")) { frame = el.toString(); break; }
                    crashes.add(what + ": " + thrown + " at " + frame);
                }
            }
        }
        assertTrue(crashes.isEmpty(), crashes.size() + " crashes:\n" + String.join("\n", crashes));
    }

    /** Where null means "absent" in PyTorch (None), the call computes; a required null is refused by name. */
    @net.jqwik.api.Example
    void documentedNullsComputeAndRequiredNullsAreNamed() {
        Tensor x = Torch.randn(1, 2, 5, 5), w = Torch.randn(3, 2, 3, 3);
        assertArrayEquals(new long[] {1, 3, 3, 3}, F.conv2d(x, w, null).shape().toArray());
        assertArrayEquals(new long[] {2, 4}, F.linear(Torch.randn(2, 3), Torch.randn(4, 3), null).shape().toArray());
        Tensor logits = Torch.randn(4, 3), target = Torch.tensor(new long[] {0, 1, 2, 1});
        assertEquals(0, F.nllLoss(logits.logSoftmax(1), target, null, -100, "mean").dim());
        assertEquals(0, F.crossEntropy(logits, target, null, -100, "mean", 0.0).dim());
        assertArrayEquals(new long[] {3, 2}, F.embedding(Torch.tensor(new long[] {0, 1, 2}), Torch.randn(4, 2), null, null, 2.0)
                .shape().toArray());
        assertArrayEquals(new long[] {4, 3}, F.layerNorm(logits, new long[] {3}, null, null, 1e-5).shape().toArray());
        assertArrayEquals(new long[] {4, 3}, F.batchNorm(logits, null, null, null, null, true, 0.1, 1e-5).shape().toArray());
        assertEquals(Torch.getDefaultDtype(), Torch.rand(new long[] {2}, (DType) null).dtype());
        assertEquals(Torch.getDefaultDtype(), Torch.randn(new long[] {2}, (DType) null).dtype());
        assertArrayEquals(new long[] {3}, Torch.bernoulli(Torch.full(new long[] {3}, 0.5), null).shape().toArray());
        assertArrayEquals(new long[] {2}, Torch.multinomial(Torch.tensor(new float[] {1, 1, 1}), 2, false, null).shape().toArray());

        String[] refused = {"conv2d: input must not be null", "cross_entropy: target must not be null",
                "softmax: input must not be null", "zeros_like: input must not be null", "Conv2d: options must not be null",
                "relu: input must not be null"};
        Runnable[] calls = {() -> F.conv2d(null, w), () -> F.crossEntropy(logits, null), () -> F.softmax(null, 0),
                () -> Torch.zerosLike(null), () -> new Conv2d((Conv2d.Options) null), () -> new ReLU().forward(null)};
        for (int k = 0; k < calls.length; k++)
            assertEquals(refused[k], assertThrows(IllegalArgumentException.class, calls[k]::run).getMessage());
    }

    @AfterContainer
    static void report() {
        String[] names = {"Tensor methods", "Torch functions", "F functions", "module constructors + forward",
                "null in each reference parameter"};
        for (int k = 0; k < names.length; k++)
            System.out.println("ApiFuzzPropertiesTest: " + names[k] + ": " + CASES[k].get() + " generated calls, " + REFUSED[k].get()
                    + " of them refused deliberately");
        System.out.println("ApiFuzzPropertiesTest: reflected over " + TENSOR.size() + " Tensor methods, " + TORCH.size() + " Torch, "
                + FUNCTIONAL.size() + " F, " + MODULES.size() + " module constructors");
    }
}
