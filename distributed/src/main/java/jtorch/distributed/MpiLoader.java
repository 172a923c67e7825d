package jtorch.distributed;

/**
 * Loads the MPI binding. This is the JDK 17 class: the binding needs {@code java.lang.foreign}
 * (final in JDK 22), and the jar's {@code META-INF/versions/22} holds the class that loads it.
 */
final class MpiLoader {
    private MpiLoader() {}

    /** Always refuses on this JDK, naming the JDK needed. */
    static MpiBinding load() {
        throw new DistributedException("jtorch.distributed needs JDK 22 or later (it calls Open MPI through java.lang.foreign); "
                + "this is JDK " + Runtime.version().feature());
    }
}
