package jtorch.kernels;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;

/**
 * OpenBLAS's own thread count ({@code openblas_set_num_threads}), so that {@code
 * Torch.setNumThreads} governs native GEMM as it governs the Java kernels. netlib's binding does
 * not export these functions; they are called through JDK 17's {@code jdk.incubator.foreign}
 * linker, which needs {@code --add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED}.
 * Without them (or on a JDK whose incubating linker differs), {@link #load} returns null and
 * OpenBLAS keeps the count it read from {@code OPENBLAS_NUM_THREADS} at load time.
 *
 * <p>The linker is reached reflectively, so this class loads on any JDK.
 */
final class OpenBlasThreads {
    private final MethodHandle setNumThreads, getNumThreads;
    private final String config;

    private OpenBlasThreads(MethodHandle set, MethodHandle get, String config) {
        this.setNumThreads = set;
        this.getNumThreads = get;
        this.config = config;
    }

    /** The control for the OpenBLAS file {@code library}, or null if the foreign linker is not usable. */
    static OpenBlasThreads load(String library) {
        if (ModuleLayer.boot().findModule("jdk.incubator.foreign").isEmpty()) return null;
        try {
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
            Object layouts = java.lang.reflect.Array.newInstance(layoutClass, 1);
            java.lang.reflect.Array.set(layouts, 0, cInt);
            Object noArgs = java.lang.reflect.Array.newInstance(layoutClass, 0);
            Object voidOfInt = descriptorClass.getMethod("ofVoid", layouts.getClass()).invoke(null, layouts);
            Object intOfNone = descriptorClass.getMethod("of", layoutClass, noArgs.getClass()).invoke(null, cInt, noArgs);
            Object pointerOfNone = descriptorClass.getMethod("of", layoutClass, noArgs.getClass()).invoke(null, cPointer, noArgs);
            Method downcall = linkerClass.getMethod("downcallHandle", addressableClass, java.lang.invoke.MethodType.class, descriptorClass);
            MethodHandle set = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "openblas_set_num_threads"),
                    java.lang.invoke.MethodType.methodType(void.class, int.class), voidOfInt);
            MethodHandle get = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "openblas_get_num_threads"),
                    java.lang.invoke.MethodType.methodType(int.class), intOfNone);
            MethodHandle cfg = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "openblas_get_config"),
                    java.lang.invoke.MethodType.methodType(addressClass), pointerOfNone);
            Object address = cfg.invoke();
            String config = (String) linkerClass.getMethod("toJavaString", addressClass).invoke(null, address);
            return new OpenBlasThreads(set, get, config.trim());
        } catch (Throwable t) {
            return null;
        }
    }

    private static Object symbol(Method find, Object lookup, String name) throws ReflectiveOperationException {
        Object found = ((java.util.Optional<?>) find.invoke(lookup, name)).orElse(null);
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
}
