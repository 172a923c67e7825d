package jtorch.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Faults end the job with a clear error within a bounded time: a rank that throws or dies, a peer
 * that never joins (the timeout), ranks that disagree on a collective, a wrong world size, a missing
 * Open MPI library.
 */
class FaultsIT {
    @Test
    void aRankThatThrowsEndsTheJob() throws Exception {
        MpiRun.Result r = MpiRun.run(2, 120, FaultCheck.class, "throws");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("rank 1 failed on purpose"), r.output());
        assertEquals(List.of(), r.lines("UNEXPECTED"), r.output());
        assertTrue(r.millis() < 60_000, r.millis() + " ms");
    }

    @Test
    void aRankThatDiesEndsTheJob() throws Exception {
        MpiRun.Result r = MpiRun.run(2, 120, FaultCheck.class, "dies");
        assertNotEquals(0, r.exitCode(), r.output());
        assertEquals(List.of(), r.lines("UNEXPECTED"), r.output());
        assertTrue(r.millis() < 60_000, r.millis() + " ms");
    }

    @Test
    void aPeerThatNeverJoinsTimesOutAndAbortsTheJob() throws Exception {
        MpiRun.Result r = MpiRun.run(2, 120, FaultCheck.class, "timeout");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("allReduce did not complete within PT3S on rank 0: a peer never joined it; aborting the job"), r.output());
        assertEquals(List.of(), r.lines("UNEXPECTED"), r.output());
        assertTrue(r.millis() < 60_000, r.millis() + " ms");
    }

    @Test
    void ranksThatDisagreeAllThrowAndTheGroupGoesOn() throws Exception {
        MpiRun.Result r = MpiRun.run(2, 120, FaultCheck.class, "mismatch");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of(), r.lines("NOTHROW"), r.output());
        for (int rank = 0; rank < 2; rank++) {
            String out = r.output();
            String p = "CAUGHT rank " + rank + ": ";
            assertTrue(out.contains(p + "allReduce on rank " + rank + ": the ranks passed tensors of different sizes (from 3 to 4 elements); "
                    + "every rank must pass a tensor of the same shape"), out);
            assertTrue(out.contains(p + "allReduce on rank " + rank + ": the ranks passed tensors of different dtypes (float32 and float64)"), out);
            assertTrue(out.contains("the ranks called different collectives at the same point (allReduce and broadcast)"), out);
            assertTrue(out.contains(p + "broadcast on rank " + rank + ": the ranks passed different source ranks (0 and 1)"), out);
            assertTrue(out.contains(p + "allReduce on rank " + rank + ": the ranks passed different reduce ops (0 and 4)"), out);
            assertTrue(out.contains("AFTER rank " + rank + " tensor([2., 2.])"), out);
        }
    }

    @Test
    void aWrongWorldSizeIsReported() throws Exception {
        MpiRun.Result r = MpiRun.run(2, 120, FaultCheck.class, "worldsize");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(2, r.lines("CAUGHT init_process_group: world_size 3 was asked for but mpirun started 2 processes").size(), r.output());
    }

    @Test
    void aMissingLibraryIsReported() throws Exception {
        MpiRun.Result r = MpiRun.start(MpiRun.javaCommand(FaultCheck.class, "library"), 60);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of("CAUGHT -Djtorch.mpi.library=/nonexistent/libmpi.so.40 does not exist"), r.lines("CAUGHT"), r.output());
    }

    @Test
    void aSecondProcessGroupAfterDestroyIsRefusedClearly() throws Exception {
        MpiRun.Result r = MpiRun.start(MpiRun.javaCommand(FaultCheck.class, "reinit"), 60);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of("CAUGHT MPI was finalised in this process (destroyProcessGroup); MPI cannot be initialised again in the same "
                + "process"), r.lines("CAUGHT"), r.output());
    }

    @Test
    void withoutMpirunTheProcessIsAWorldOfOne() throws Exception {
        MpiRun.Result r = MpiRun.start(MpiRun.javaCommand(FaultCheck.class, "single"), 60);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of("SINGLE world 1 rank 0 tensor([2., 2., 2.])"), r.lines("SINGLE"), r.output());
    }
}
