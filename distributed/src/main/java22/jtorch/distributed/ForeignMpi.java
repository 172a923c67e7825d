package jtorch.distributed;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Open MPI through {@code java.lang.foreign}. Open MPI's handles ({@code MPI_COMM_WORLD},
 * {@code MPI_FLOAT}, {@code MPI_SUM}, ...) are the addresses of exported objects
 * ({@code ompi_mpi_comm_world}, ...), so they are looked up as symbols. The tensors' arrays are
 * handed to MPI without a copy, through critical downcalls (see {@link #heap}); the small
 * agreement all-reduce goes through a native scratch buffer.
 */
final class ForeignMpi implements MpiBinding {
    /** Names the {@code libmpi} file to load instead of searching the usual places. */
    static final String PATH_PROPERTY = "jtorch.mpi.library";
    private static final int MPI_THREAD_MULTIPLE = 3, MPI_MAX_ERROR_STRING = 256, MPI_MAX_LIBRARY_VERSION_STRING = 256;
    private static final int RTLD_NOW = 2, RTLD_GLOBAL = 0x100;
    /** Open MPI's {@code MPI_IN_PLACE}: {@code (void *) 1}. */
    private static final MemorySegment IN_PLACE = MemorySegment.ofAddress(1);
    private static final ValueLayout[] LAYOUTS = {JAVA_FLOAT, JAVA_DOUBLE, JAVA_LONG};

    private final Path library;
    private final String version;
    private final MemorySegment comm;
    private final MemorySegment[] types, ops;
    private final MethodHandle allreduce, barrierCall, abortCall, finalizeCall, errorString;
    /** The data calls, on heap memory (see {@link #heap}). */
    private final MethodHandle allreduceHeap, bcastHeap, allgatherHeap, reduceScatterHeap;
    private final Arena arena = Arena.ofShared();
    private MemorySegment scratch = MemorySegment.NULL;
    private final int rank, size;

    private ForeignMpi(Path library, SymbolLookup mpi) {
        this.library = library;
        Linker linker = Linker.nativeLinker();
        comm = symbol(mpi, "ompi_mpi_comm_world");
        types = new MemorySegment[] {symbol(mpi, "ompi_mpi_float"), symbol(mpi, "ompi_mpi_double"), symbol(mpi, "ompi_mpi_int64_t")};
        ops = new MemorySegment[] {symbol(mpi, "ompi_mpi_op_sum"), symbol(mpi, "ompi_mpi_op_prod"), symbol(mpi, "ompi_mpi_op_min"),
                symbol(mpi, "ompi_mpi_op_max")};
        MethodHandle initialized = handle(linker, mpi, "MPI_Initialized", ADDRESS);
        MethodHandle finalized = handle(linker, mpi, "MPI_Finalized", ADDRESS);
        MethodHandle initThread = handle(linker, mpi, "MPI_Init_thread", ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
        MethodHandle setErrhandler = handle(linker, mpi, "MPI_Comm_set_errhandler", ADDRESS, ADDRESS);
        MethodHandle commRank = handle(linker, mpi, "MPI_Comm_rank", ADDRESS, ADDRESS);
        MethodHandle commSize = handle(linker, mpi, "MPI_Comm_size", ADDRESS, ADDRESS);
        MethodHandle libraryVersion = handle(linker, mpi, "MPI_Get_library_version", ADDRESS, ADDRESS);
        errorString = handle(linker, mpi, "MPI_Error_string", JAVA_INT, ADDRESS, ADDRESS);
        allreduce = handle(linker, mpi, "MPI_Allreduce", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        Linker.Option heap = Linker.Option.critical(true);
        allreduceHeap = handle(linker, mpi, heap, "MPI_Allreduce", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        bcastHeap = handle(linker, mpi, heap, "MPI_Bcast", ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        allgatherHeap = handle(linker, mpi, heap, "MPI_Allgather", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        reduceScatterHeap = handle(linker, mpi, heap, "MPI_Reduce_scatter_block", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        barrierCall = handle(linker, mpi, "MPI_Barrier", ADDRESS);
        abortCall = handle(linker, mpi, "MPI_Abort", ADDRESS, JAVA_INT);
        finalizeCall = handle(linker, mpi, "MPI_Finalize");
        try (Arena call = Arena.ofConfined()) {
            MemorySegment flag = call.allocate(JAVA_INT), out = call.allocate(JAVA_INT);
            check("MPI_Initialized", (int) initialized.invokeExact(flag));
            if (flag.get(JAVA_INT, 0) != 0) {
                check("MPI_Finalized", (int) finalized.invokeExact(flag));
                throw new DistributedException(flag.get(JAVA_INT, 0) != 0
                        ? "MPI was finalised in this process (destroyProcessGroup); MPI cannot be initialised again in the same process"
                        : "MPI is already initialised in this process, by something other than jtorch");
            }
            check("MPI_Init_thread", (int) initThread.invokeExact(MemorySegment.NULL, MemorySegment.NULL, MPI_THREAD_MULTIPLE, out));
            // Errors come back as codes, which become exceptions naming the call, instead of aborting the job.
            check("MPI_Comm_set_errhandler", (int) setErrhandler.invokeExact(comm, symbol(mpi, "ompi_mpi_errors_return")));
            check("MPI_Comm_rank", (int) commRank.invokeExact(comm, out));
            rank = out.get(JAVA_INT, 0);
            check("MPI_Comm_size", (int) commSize.invokeExact(comm, out));
            size = out.get(JAVA_INT, 0);
            MemorySegment text = call.allocate(MPI_MAX_LIBRARY_VERSION_STRING);
            check("MPI_Get_library_version", (int) libraryVersion.invokeExact(text, out));
            String v = text.getString(0, StandardCharsets.UTF_8).trim();
            int comma = v.indexOf(',');
            version = comma > 0 ? v.substring(0, comma) : v;
        } catch (DistributedException e) {
            throw e;
        } catch (Throwable t) {
            throw new DistributedException("MPI initialisation through " + library + " failed: " + t, t);
        }
    }

    /** Finds {@code libmpi}, opens it with its symbols global (Open MPI's plugins resolve against them) and initialises MPI. */
    static ForeignMpi load() {
        Path library = find();
        Linker linker = Linker.nativeLinker();
        try (Arena call = Arena.ofConfined()) {
            MethodHandle dlopen = linker.downcallHandle(linker.defaultLookup().find("dlopen").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
            MemorySegment handle = (MemorySegment) dlopen.invokeExact(call.allocateFrom(library.toString()), RTLD_NOW | RTLD_GLOBAL);
            if (handle.address() == 0) throw new DistributedException("dlopen could not load Open MPI's library " + library);
        } catch (DistributedException e) {
            throw e;
        } catch (Throwable t) {
            throw new DistributedException("dlopen of " + library + " failed: " + t, t);
        }
        return new ForeignMpi(library, SymbolLookup.libraryLookup(library, Arena.global()));
    }

    private static Path find() {
        String requested = System.getProperty(PATH_PROPERTY);
        if (requested != null) {
            Path p = Path.of(requested);
            if (!Files.exists(p)) throw new DistributedException("-D" + PATH_PROPERTY + "=" + requested + " does not exist");
            return p;
        }
        Set<String> dirs = new LinkedHashSet<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) for (String d : ld.split(":")) if (!d.isEmpty()) dirs.add(d);
        dirs.addAll(List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64/openmpi/lib", "/usr/lib64",
                "/usr/lib", "/usr/local/lib", "/opt/homebrew/lib", "/usr/local/opt/open-mpi/lib"));
        List<String> names = List.of("libmpi.so.40", "libmpi.so", "libmpi.40.dylib", "libmpi.dylib");
        List<String> tried = new ArrayList<>();
        for (String d : dirs)
            for (String n : names) {
                Path p = Path.of(d, n);
                if (Files.exists(p)) return p;
                tried.add(p.toString());
            }
        throw new DistributedException("Open MPI is not installed: no libmpi found (searched " + String.join(", ", dirs) + " for "
                + String.join(", ", names) + "); install it (Debian: apt-get install openmpi-bin libopenmpi3) or set -D" + PATH_PROPERTY);
    }

    private static MemorySegment symbol(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new DistributedException("the MPI library has no symbol " + name
                + ": jtorch.distributed needs Open MPI (its handles are exported objects such as ompi_mpi_comm_world)"));
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lookup, String name, java.lang.foreign.MemoryLayout... args) {
        return linker.downcallHandle(symbol(lookup, name), FunctionDescriptor.of(JAVA_INT, args));
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lookup, Linker.Option option, String name,
            java.lang.foreign.MemoryLayout... args) {
        return linker.downcallHandle(symbol(lookup, name), FunctionDescriptor.of(JAVA_INT, args), option);
    }

    /**
     * {@code count} elements of a Java array from {@code offset}, as a segment MPI can be given
     * without a copy: through the critical handles the GC cannot move the array during the call.
     * A critical call holds off every safepoint of the JVM while it runs, so the data calls come
     * only after {@link ProcessGroupMpi}'s agreement all-reduce (a copying, ordinary call) has
     * shown every rank to be at the same collective: what remains is the transfer itself.
     */
    private static MemorySegment heap(Object array, int offset, int count, int dtype) {
        long size = LAYOUTS[dtype].byteSize();
        MemorySegment whole = array instanceof float[] ? MemorySegment.ofArray((float[]) array)
                : array instanceof double[] ? MemorySegment.ofArray((double[]) array) : MemorySegment.ofArray((long[]) array);
        return whole.asSlice(offset * size, count * size);
    }

    /** A downcall returning MPI's error code. */
    private interface Call {
        int run() throws Throwable;
    }

    /** Runs {@code body} and turns a failure code, or a failure of the downcall itself, into an exception naming {@code name}. */
    private void call(String name, Call body) {
        int code;
        try {
            code = body.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new DistributedException(name + ": " + t, t);
        }
        check(name, code);
    }

    private void check(String call, int code) {
        if (code == 0) return;
        String text;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(MPI_MAX_ERROR_STRING), len = a.allocate(JAVA_INT);
            int rc = (int) errorString.invokeExact(code, buf, len);
            text = rc == 0 ? buf.getString(0, StandardCharsets.UTF_8) : "error code " + code;
        } catch (Throwable t) {
            text = "error code " + code;
        }
        throw new DistributedException(call + " failed: " + text + " (MPI error " + code + ")");
    }

    private MemorySegment scratch(long bytes) {
        if (scratch.byteSize() < bytes) scratch = arena.allocate(Math.max(bytes, 2 * scratch.byteSize()), 64);
        return scratch;
    }

    private static void toNative(Object array, int offset, MemorySegment dst, long dstElement, int count, int dtype) {
        ValueLayout l = LAYOUTS[dtype];
        MemorySegment.copy(array, offset, dst, l, dstElement * l.byteSize(), count);
    }

    private static void fromNative(MemorySegment src, long srcElement, Object array, int offset, int count, int dtype) {
        ValueLayout l = LAYOUTS[dtype];
        MemorySegment.copy(src, l, srcElement * l.byteSize(), array, offset, count);
    }

    @Override public int rank() { return rank; }

    @Override public int size() { return size; }

    @Override
    public void allReduce(Object array, int offset, int count, int dtype, int op) {
        MemorySegment data = heap(array, offset, count, dtype);
        call("MPI_Allreduce", () -> (int) allreduceHeap.invokeExact(IN_PLACE, data, count, types[dtype], ops[op], comm));
    }

    @Override
    public void agree(long[] fields) {
        int count = fields.length;
        MemorySegment buf = scratch((long) count * Long.BYTES);
        toNative(fields, 0, buf, 0, count, INT64);
        call("MPI_Allreduce", () -> (int) allreduce.invokeExact(IN_PLACE, buf, count, types[INT64], ops[MAX], comm));
        fromNative(buf, 0, fields, 0, count, INT64);
    }

    @Override
    public void broadcast(Object array, int offset, int count, int dtype, int root) {
        call("MPI_Bcast", () -> (int) bcastHeap.invokeExact(heap(array, offset, count, dtype), count, types[dtype], root, comm));
    }

    @Override
    public void allGather(Object send, int sendOffset, int count, Object recv, int dtype) {
        call("MPI_Allgather", () -> (int) allgatherHeap.invokeExact(heap(send, sendOffset, count, dtype), count, types[dtype],
                    heap(recv, 0, count * size, dtype), count, types[dtype], comm));
    }

    @Override
    public void reduceScatter(Object send, int count, Object recv, int recvOffset, int dtype, int op) {
        call("MPI_Reduce_scatter_block", () -> (int) reduceScatterHeap.invokeExact(heap(send, 0, count * size, dtype),
                    heap(recv, recvOffset, count, dtype), count, types[dtype], ops[op], comm));
    }

    @Override
    public void barrier() {
        call("MPI_Barrier", () -> (int) barrierCall.invokeExact(comm));
    }

    @Override
    public void abort(int code) {
        try {
            int ignored = (int) abortCall.invokeExact(comm, code);
        } catch (Throwable t) {
            Runtime.getRuntime().halt(code);
        }
    }

    @Override
    public void finish() {
        try {
            call("MPI_Finalize", () -> (int) finalizeCall.invokeExact());
        } finally {
            arena.close();
        }
    }

    @Override public String describe() { return version + " (" + library + ", java.lang.foreign)"; }
}
