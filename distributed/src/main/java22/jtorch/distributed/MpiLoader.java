package jtorch.distributed;

/** Loads the MPI binding: on JDK 22 and later, Open MPI through {@code java.lang.foreign}. */
final class MpiLoader {
    private MpiLoader() {}

    /** Open MPI's {@code libmpi}, initialised; a {@link DistributedException} naming what is missing otherwise. */
    static MpiBinding load() { return ForeignMpi.load(); }
}
