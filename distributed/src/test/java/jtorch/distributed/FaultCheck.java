package jtorch.distributed;

import java.time.Duration;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

/** Run by {@link FaultsIT}: one fault per run, named by the first argument. Prints "CAUGHT rank r: message" for errors it catches. */
public final class FaultCheck {
    private FaultCheck() {}

    public static void main(String[] args) throws Exception {
        String fault = args[0];
        if (fault.equals("worldsize")) {
            try {
                Dist.initProcessGroup(Dist.options("mpi").worldSize(3));
            } catch (DistributedException e) {
                System.out.println("CAUGHT " + e.getMessage());
            }
            return;
        }
        if (fault.equals("library")) {
            System.setProperty("jtorch.mpi.library", "/nonexistent/libmpi.so.40");
            try {
                Dist.initProcessGroup("mpi");
            } catch (DistributedException e) {
                System.out.println("CAUGHT " + e.getMessage());
            }
            return;
        }
        if (fault.equals("reinit")) {
            Dist.initProcessGroup("mpi");
            Dist.destroyProcessGroup();
            try {
                Dist.initProcessGroup("mpi");
            } catch (DistributedException e) {
                System.out.println("CAUGHT " + e.getMessage());
            }
            return;
        }
        Dist.initProcessGroup(fault.equals("timeout") ? Dist.options("mpi").timeout(Duration.ofSeconds(3)) : Dist.options("mpi"));
        int rank = Dist.getRank();
        switch (fault) {
            case "single": {
                Tensor t = Torch.ones(3).mul(2);
                Dist.allReduce(t);
                System.out.println("SINGLE world " + Dist.getWorldSize() + " rank " + rank + " " + t);
                break;
            }
            case "throws":
                if (rank == 1) throw new IllegalStateException("rank 1 failed on purpose");
                Dist.allReduce(Torch.ones(4));
                System.out.println("UNEXPECTED rank " + rank + " finished");
                break;
            case "dies":
                if (rank == 1) Runtime.getRuntime().halt(3);
                Dist.allReduce(Torch.ones(4));
                System.out.println("UNEXPECTED rank " + rank + " finished");
                break;
            case "timeout":
                if (rank == 1) Thread.sleep(120_000);
                Dist.allReduce(Torch.ones(4));
                System.out.println("UNEXPECTED rank " + rank + " finished");
                break;
            case "mismatch": {
                caught(rank, () -> Dist.allReduce(Torch.ones(3 + rank)));
                caught(rank, () -> Dist.allReduce(Torch.ones(new long[] {4}, rank == 0 ? DType.FLOAT32 : DType.FLOAT64)));
                caught(rank, () -> {
                    if (rank == 0) Dist.allReduce(Torch.ones(4));
                    else Dist.broadcast(Torch.ones(4), 0);
                });
                caught(rank, () -> Dist.broadcast(Torch.ones(4), rank));
                caught(rank, () -> Dist.allReduce(Torch.ones(4), rank == 0 ? ReduceOp.SUM : ReduceOp.MAX));
                // The group still works after the ranks agreed that a collective was wrong.
                Tensor t = Torch.ones(2);
                Dist.allReduce(t);
                System.out.println("AFTER rank " + rank + " " + t);
                break;
            }
            default:
                throw new IllegalArgumentException(fault);
        }
        Dist.destroyProcessGroup();
    }

    private static void caught(int rank, Runnable r) {
        try {
            r.run();
            System.out.println("NOTHROW rank " + rank);
        } catch (DistributedException e) {
            System.out.println("CAUGHT rank " + rank + ": " + e.getMessage());
        }
    }
}
