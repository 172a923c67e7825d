package jtorch.kernels;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The OpenBLAS that {@code org.bytedeco:openblas} ships in its platform jars (Linux, macOS,
 * Windows), found reflectively: jtorch has no compile-time dependency on it. Initialising
 * javacpp's {@code openblas_nolapack} class extracts the library into javacpp's cache ({@code
 * ~/.javacpp/cache}) and loads it; jtorch then binds that same file, which the OS loads once, so
 * javacpp's {@code blas_set_num_threads} governs the library jtorch calls.
 */
final class BundledOpenBlas {
    static final String COORDINATES = "org.bytedeco:openblas";
    private static final String GLOBAL = "org.bytedeco.openblas.global.openblas_nolapack";
    private static final String PRESETS = "org.bytedeco.openblas.presets.openblas_nolapack";

    private BundledOpenBlas() {}

    /** Whether javacpp's OpenBLAS classes are on the class path (without loading anything). */
    static boolean present() {
        try {
            Class.forName(GLOBAL, false, BundledOpenBlas.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Extracts and loads the bundled library; returns its file. */
    static Path load() throws NativeGemm.Unavailable {
        try {
            Class.forName(GLOBAL, true, BundledOpenBlas.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new NativeGemm.Unavailable(COORDINATES + " is not on the class path (on the module path, its platform "
                    + "module must be resolved too: requires or --add-modules org.bytedeco.openblas.linux.x86_64, for example)");
        } catch (LinkageError e) {
            // Typically the jar without its platform jar (e.g. classifier linux-x86_64): no binary for this OS.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new NativeGemm.Unavailable(COORDINATES + " is on the class path but javacpp could not load its library for "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + " (is the platform jar, e.g. classifier "
                    + "linux-x86_64, macosx-arm64 or windows-x86_64, there too?): " + cause);
        }
        try {
            Class<?> loader = Class.forName("org.bytedeco.javacpp.Loader");
            @SuppressWarnings("unchecked")
            Map<String, String> loaded = (Map<String, String>) loader.getMethod("getLoadedLibraries").invoke(null);
            for (Map.Entry<String, String> e : loaded.entrySet())
                // keys such as "openblas_nolapack@.0" (Linux); the JNI glue is "jniopenblas_nolapack"
                if (isLibrary(e.getKey()) && e.getValue() != null && Files.isRegularFile(Path.of(e.getValue())))
                    return Path.of(e.getValue());
            throw new NativeGemm.Unavailable("javacpp loaded " + COORDINATES + " but lists no OpenBLAS file among " + loaded.keySet());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new NativeGemm.Unavailable("could not ask javacpp where it extracted OpenBLAS: " + e);
        }
    }

    /** Whether javacpp's key {@code key} names OpenBLAS itself rather than its JNI glue or a runtime library. */
    static boolean isLibrary(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("openblas") && !k.contains("jniopenblas");
    }

    /** javacpp's {@code blas_set_num_threads}/{@code blas_get_num_threads} (JNI, no JVM flag), or null. */
    static OpenBlasThreads threads(String library) {
        try {
            Class<?> presets = Class.forName(PRESETS, true, BundledOpenBlas.class.getClassLoader());
            MethodHandles.Lookup pub = MethodHandles.publicLookup();
            MethodHandle set = pub.findStatic(presets, "blas_set_num_threads", MethodType.methodType(void.class, int.class));
            MethodHandle get = pub.findStatic(presets, "blas_get_num_threads", MethodType.methodType(int.class));
            return new OpenBlasThreads(set, get, "OpenBLAS (" + COORDINATES + ")", "javacpp's blas_set_num_threads");
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }
}
