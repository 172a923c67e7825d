package jtorch.kernels;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Optional;

/**
 * OpenBLAS's own thread count ({@code openblas_set_num_threads}), so that {@code
 * Torch.setNumThreads} governs native GEMM as it governs the Java kernels. netlib's binding does
 * not export these functions, so they are called through the JDK's foreign linker, found
 * reflectively (this class loads on any JDK, compiled for release 17), or, for the library
 * bundled in {@code org.bytedeco:openblas}, through javacpp's JNI {@code blas_set_num_threads}
 * on any JDK without flags ({@link BundledOpenBlas#threads}):
 *
 * <ul>
 *   <li>JDK 22 and later: {@code java.lang.foreign}, final there and always present: no JVM
 *       flag is needed (the JDK prints a one-time warning about the restricted method unless
 *       the program runs with {@code --enable-native-access=ALL-UNNAMED}; netlib's JNI load gets
 *       the same warning from JDK 24 on).</li>
 *   <li>JDK 17: {@code jdk.incubator.foreign}, when it is in the boot layer ({@code --add-modules
 *       jdk.incubator.foreign --enable-native-access=ALL-UNNAMED}). Without it nothing can set
 *       OpenBLAS's count, so {@link NativeGemm} uses OpenBLAS only when the thread count allows
 *       as many threads as OpenBLAS took at load time ({@link #fixedCount}), and the Java GEMM
 *       otherwise: {@code setNumThreads} is obeyed either way.</li>
 *   <li>JDK 18-21 (incubating or preview APIs that differ): as JDK 17 without the module.</li>
 * </ul>
 */
final class OpenBlasThreads {
    private final MethodHandle setNumThreads, getNumThreads;
    private final String config, linker;

    OpenBlasThreads(MethodHandle set, MethodHandle get, String config, String linker) {
        this.setNumThreads = set;
        this.getNumThreads = get;
        this.config = config;
        this.linker = linker;
    }

    /** The control for the OpenBLAS file {@code library}, or null if no foreign linker is usable here. */
    static OpenBlasThreads load(String library) {
        if (Runtime.version().feature() >= 22) {
            try {
                return loadFinal(library);
            } catch (Throwable t) {
                return null;
            }
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.foreign").isEmpty()) return null;
        try {
            return loadIncubator(library);
        } catch (Throwable t) {
            return null;
        }
    }

    /** Whether this JDK can set a system OpenBLAS's threads: JDK 22+, or 17 with {@code jdk.incubator.foreign} in the boot layer. */
    static boolean canSetSystemThreads() {
        int feature = Runtime.version().feature();
        return feature >= 22 || (feature == 17 && ModuleLayer.boot().findModule("jdk.incubator.foreign").isPresent());
    }

    /** What to run with so that {@code setNumThreads} can set OpenBLAS's threads on this JDK, or null if nothing is needed. */
    static String advice() {
        int feature = Runtime.version().feature();
        if (feature >= 22) return null;
        // On the module path the native access goes to jtorch's own module, on the class path to all unnamed code.
        Module self = OpenBlasThreads.class.getModule();
        if (feature == 17) return "run with --add-modules jdk.incubator.foreign --enable-native-access=" + (self.isNamed() ? self.getName() : "ALL-UNNAMED");
        return "use JDK 17 with --add-modules jdk.incubator.foreign, or JDK 22 or later";
    }

    /**
     * The thread count OpenBLAS (pthreads build) chose when it loaded, as it chooses it: the first
     * positive of {@code OPENBLAS_NUM_THREADS}, {@code GOTO_NUM_THREADS}, {@code OMP_NUM_THREADS},
     * else the processors this process may run on.
     */
    static int fixedCount() {
        for (String var : new String[] {"OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"}) {
            String v = System.getenv(var);
            if (v == null) continue;
            try {
                int n = Integer.parseInt(v.trim());
                if (n > 0) return n;
            } catch (NumberFormatException e) {
                // OpenBLAS reads it with atoi: not a number counts as unset
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** JDK 22+: {@code java.lang.foreign}. */
    private static OpenBlasThreads loadFinal(String library) throws Throwable {
        Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
        Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
        Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
        Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> valueLayoutClass = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
        Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
        Object arena = arenaClass.getMethod("global").invoke(null);
        Object lookup = lookupClass.getMethod("libraryLookup", Path.class, arenaClass).invoke(null, Path.of(library), arena);
        Method find = lookupClass.getMethod("find", String.class);
        Object jint = valueLayoutClass.getField("JAVA_INT").get(null);
        Object address = valueLayoutClass.getField("ADDRESS").get(null);
        Object one = Array.newInstance(layoutClass, 1), none = Array.newInstance(layoutClass, 0);
        Array.set(one, 0, jint);
        Object voidOfInt = descriptorClass.getMethod("ofVoid", one.getClass()).invoke(null, one);
        Object intOfNone = descriptorClass.getMethod("of", layoutClass, none.getClass()).invoke(null, jint, none);
        Object pointerOfNone = descriptorClass.getMethod("of", layoutClass, none.getClass()).invoke(null, address, none);
        Object noOptions = Array.newInstance(optionClass, 0);
        Method downcall = linkerClass.getMethod("downcallHandle", segmentClass, descriptorClass, noOptions.getClass());
        MethodHandle set = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "openblas_set_num_threads"), voidOfInt, noOptions);
        MethodHandle get = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "openblas_get_num_threads"), intOfNone, noOptions);
        MethodHandle cfg = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "openblas_get_config"), pointerOfNone, noOptions);
        // The returned pointer is a zero-length segment: widen it to read the C string.
        Object segment = segmentClass.getMethod("reinterpret", long.class).invoke(cfg.invoke(), 512L);
        String config = (String) segmentClass.getMethod("getString", long.class).invoke(segment, 0L);
        return new OpenBlasThreads(set.asType(MethodType.methodType(void.class, int.class)),
                get.asType(MethodType.methodType(int.class)), config.trim(), "java.lang.foreign");
    }

    /** JDK 17: {@code jdk.incubator.foreign}. */
    private static OpenBlasThreads loadIncubator(String library) throws Throwable {
        System.load(library);
        Class<?> linkerClass = Class.forName("jdk.incubator.foreign.CLinker");
        Class<?> lookupClass = Class.forName("jdk.incubator.foreign.SymbolLookup");
        Class<?> addressableClass = Class.forName("jdk.incubator.foreign.Addressable");
        Class<?> descriptorClass = Class.forName("jdk.incubator.foreign.FunctionDescriptor");
        Class<?> layoutClass = Class.forName("jdk.incubator.foreign.MemoryLayout");
        Class<?> addressClass = Class.forName("jdk.incubator.foreign.MemoryAddress");
        Object linker = linkerClass.getMethod("getInstance").invoke(null);
        Object lookup = lookupClass.getMethod("loaderLookup").invoke(null);
        Method find = lookupClass.getMethod("lookup", String.class);
        Object cInt = linkerClass.getField("C_INT").get(null);
        Object cPointer = linkerClass.getField("C_POINTER").get(null);
        Object layouts = Array.newInstance(layoutClass, 1);
        Array.set(layouts, 0, cInt);
        Object noArgs = Array.newInstance(layoutClass, 0);
        Object voidOfInt = descriptorClass.getMethod("ofVoid", layouts.getClass()).invoke(null, layouts);
        Object intOfNone = descriptorClass.getMethod("of", layoutClass, noArgs.getClass()).invoke(null, cInt, noArgs);
        Object pointerOfNone = descriptorClass.getMethod("of", layoutClass, noArgs.getClass()).invoke(null, cPointer, noArgs);
        Method downcall = linkerClass.getMethod("downcallHandle", addressableClass, MethodType.class, descriptorClass);
        MethodHandle set = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "openblas_set_num_threads"),
                MethodType.methodType(void.class, int.class), voidOfInt);
        MethodHandle get = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "openblas_get_num_threads"),
                MethodType.methodType(int.class), intOfNone);
        MethodHandle cfg = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "openblas_get_config"),
                MethodType.methodType(addressClass), pointerOfNone);
        Object address = cfg.invoke();
        String config = (String) linkerClass.getMethod("toJavaString", addressClass).invoke(null, address);
        return new OpenBlasThreads(set, get, config.trim(), "jdk.incubator.foreign");
    }

    private static Object symbol(Method find, Object lookup, String name) throws ReflectiveOperationException {
        Object found = ((Optional<?>) find.invoke(lookup, name)).orElse(null);
        if (found == null) throw new ReflectiveOperationException(name + " not found");
        return found;
    }

    void set(int n) {
        try {
            setNumThreads.invoke(n);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
    }

    int get() {
        try {
            return (int) getNumThreads.invoke();
        } catch (Throwable t) {
            return -1;
        }
    }

    /** {@code openblas_get_config()}, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64". */
    String config() { return config; }

    /** Which foreign linker reaches OpenBLAS: {@code java.lang.foreign} or {@code jdk.incubator.foreign}. */
    String linker() { return linker; }
}
