package jtorch.distributed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * Run by {@link CollectivesIT} under mpirun: every collective, on every dtype, op and an odd size,
 * synchronous and asynchronous, contiguous and transposed, against its definition computed on each
 * rank from the inputs every rank can derive ({@link #value}). Prints one "FAIL" line per mismatch
 * and "DONE rank r checks n" at the end.
 */
public final class CollectivesCheck {
    private static int rank, size, checks;
    private static final List<String> failures = new ArrayList<>();

    private CollectivesCheck() {}

    /** Rank {@code r}'s element {@code i}: small integers, so that sums, products and averages are exact in every dtype. */
    static double value(int r, int i) { return ((i * 7 + r * 3) % 11) - 5; }

    static Tensor input(int r, int n, int from, DType dtype) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = value(r, from + i);
        return Torch.tensor(v).to(dtype);
    }

    static double reduce(ReduceOp op, int i, DType dtype) {
        double acc = value(0, i);
        for (int r = 1; r < size; r++) {
            double x = value(r, i);
            switch (op) {
                case SUM: case AVG: acc += x; break;
                case PRODUCT: acc *= x; break;
                case MIN: acc = Math.min(acc, x); break;
                default: acc = Math.max(acc, x);
            }
        }
        if (op == ReduceOp.AVG) acc = dtype == DType.FLOAT32 ? (float) acc / size : acc / size;
        return dtype == DType.INT64 ? acc + 0.0 : acc; // an integer zero has no sign
    }

    static void expect(String what, Tensor got, double[] want) {
        checks++;
        double[] g = got.toDoubleArray();
        if (!Arrays.equals(g, want)) failures.add("FAIL rank " + rank + " " + what + ": got " + head(g) + " want " + head(want));
    }

    private static String head(double[] v) {
        return Arrays.toString(Arrays.copyOf(v, Math.min(v.length, 12))) + (v.length > 12 ? " (" + v.length + " elements)" : "");
    }

    public static void main(String[] args) {
        Dist.initProcessGroup("mpi");
        rank = Dist.getRank();
        size = Dist.getWorldSize();
        int[] sizes = {1, 7, 1001};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64})
            for (int n : sizes) {
                for (ReduceOp op : ReduceOp.values()) {
                    if (op == ReduceOp.AVG && dtype == DType.INT64) continue;
                    double[] want = new double[n];
                    for (int i = 0; i < n; i++) want[i] = reduce(op, i, dtype);
                    Tensor t = input(rank, n, 0, dtype);
                    Dist.allReduce(t, op);
                    expect("allReduce " + op + " " + dtype + " n=" + n, t, want);
                    Tensor a = input(rank, n, 0, dtype);
                    Work w = Dist.allReduce(a, op, true);
                    w.await();
                    if (!w.isCompleted()) failures.add("FAIL rank " + rank + " awaited work is not completed");
                    expect("allReduce async " + op + " " + dtype + " n=" + n, a, want);
                    // A transposed (non-contiguous) tensor: the result lands in its layout.
                    Tensor base = input(rank, 2 * n, 0, dtype);
                    Tensor tr = base.reshape(n, 2).t();
                    double[] wantT = new double[2 * n];
                    for (int j = 0; j < 2; j++)
                        for (int i = 0; i < n; i++) wantT[j * n + i] = reduce(op, i * 2 + j, dtype);
                    Dist.allReduce(tr, op);
                    expect("allReduce transposed " + op + " " + dtype + " n=" + n, tr, wantT);
                    // reduceScatter: this rank's block of every rank's inputs, reduced.
                    List<Tensor> inputs = new ArrayList<>();
                    for (int b = 0; b < size; b++) inputs.add(input(rank, n, b * n, dtype));
                    Tensor out = Torch.zeros(new long[] {n}, dtype);
                    Dist.reduceScatter(out, inputs, op);
                    double[] wantRs = new double[n];
                    for (int i = 0; i < n; i++) wantRs[i] = reduce(op, rank * n + i, dtype);
                    expect("reduceScatter " + op + " " + dtype + " n=" + n, out, wantRs);
                }
                for (int src = 0; src < size; src++) {
                    Tensor t = input(rank, n, 0, dtype);
                    Work w = Dist.broadcast(t, src, src % 2 == 1);
                    w.await();
                    double[] want = new double[n];
                    for (int i = 0; i < n; i++) want[i] = value(src, i);
                    expect("broadcast src=" + src + " " + dtype + " n=" + n, t, want);
                }
                List<Tensor> gathered = new ArrayList<>();
                for (int r = 0; r < size; r++)
                    gathered.add(r == 0 ? Torch.zeros(new long[] {n}, dtype) : Torch.zeros(new long[] {2, n}, dtype).select(0, 1));
                Dist.allGather(gathered, input(rank, n, 0, dtype), true).await();
                for (int r = 0; r < size; r++) {
                    double[] want = new double[n];
                    for (int i = 0; i < n; i++) want[i] = value(r, i);
                    expect("allGather [" + r + "] " + dtype + " n=" + n, gathered.get(r), want);
                }
            }
        // Several asynchronous collectives in flight at once complete in order.
        List<Work> works = new ArrayList<>();
        List<Tensor> ts = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            Tensor t = input(rank, 33, k, DType.FLOAT32);
            ts.add(t);
            works.add(Dist.allReduce(t, ReduceOp.SUM, true));
        }
        Dist.barrier(true).await();
        for (int k = 0; k < 8; k++) {
            works.get(k).await();
            double[] want = new double[33];
            for (int i = 0; i < 33; i++) want[i] = reduce(ReduceOp.SUM, k + i, DType.FLOAT32);
            expect("allReduce in flight #" + k, ts.get(k), want);
        }
        Dist.barrier();
        Dist.destroyProcessGroup();
        for (String f : failures) System.out.println(f);
        System.out.println("DONE rank " + rank + " checks " + checks);
    }
}
