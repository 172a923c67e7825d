package jtorch.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * DistributedDataParallel on 2 ranks (batch B each) against one process on the concatenated 2B
 * batch: 20 SGD steps (momentum) and 20 Adam steps, tiny buckets, noSync accumulation, unused
 * parameters; the ranks' parameters are compared bit for bit after every step.
 */
class DdpIT {
    private static MpiRun.Result result;

    private static synchronized MpiRun.Result run() throws Exception {
        if (result == null) result = MpiRun.run(2, 300, DdpCheck.class);
        return result;
    }

    private static double diff(MpiRun.Result r, String name, String when) {
        List<String> lines = r.lines("DIFF " + name + " " + when + " ");
        assertEquals(2, lines.size(), r.output());
        double worst = 0;
        for (String l : lines) worst = Math.max(worst, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
        return worst;
    }

    @Test
    void ranksStayIdenticalAndMatchOneProcessOnTheWholeBatch() throws Exception {
        MpiRun.Result r = run();
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(2, r.lines("DONE").size(), r.output());
        assertEquals(List.of(), r.lines("NOTSAME"), r.output());
        for (String name : new String[] {"sgd", "adam", "smallbuckets"}) assertEquals(0.0, diff(r, name, "init"), name);
        assertTrue(diff(r, "sgd", "final") < 1e-6, r.output());
        assertTrue(diff(r, "adam", "final") < 1e-6, r.output());
        assertTrue(diff(r, "smallbuckets", "final") < 1e-6, r.output());
        // Buckets of 1 KB: [w1 1536 B], [b1 128 B, w2 2048 B], [b2, w3, b3 268 B].
        assertEquals(List.of("BUCKETS smallbuckets 3", "BUCKETS smallbuckets 3"), r.lines("BUCKETS smallbuckets"), r.output());
        assertEquals(List.of("BUCKETS sgd 1", "BUCKETS sgd 1"), r.lines("BUCKETS sgd"), r.output());
    }

    @Test
    void noSyncAccumulatesLocallyAndTheNextBackwardReducesTheSum() throws Exception {
        MpiRun.Result r = run();
        assertEquals(List.of(), r.lines("NOTSAME"), r.output());
        assertTrue(diff(r, "nosync", "final") < 1e-6, r.output());
    }

    @Test
    void unusedParametersAreReducedOrLeftAloneAsInPyTorch() throws Exception {
        MpiRun.Result r = run();
        assertEquals(List.of(), r.lines("NOTSAME"), r.output());
        assertTrue(diff(r, "unused", "final") < 1e-6, r.output());
        assertEquals(List.of(), r.lines("NOERROR"), r.output());
        for (int rank = 0; rank < 2; rank++)
            assertTrue(r.output().contains("UNFINISHED rank " + rank + ": Expected to have finished reduction in the prior iteration before "
                    + "starting a new one."), r.output());
        assertTrue(r.output().contains("Parameters which did not receive grad for rank 1: b.weight, b.bias, c.weight, c.bias"), r.output());
    }

    @Test
    void rankZerosBuffersReachEveryRank() throws Exception {
        MpiRun.Result r = run();
        assertEquals(2, r.lines("BUFFER").stream().filter(l -> l.endsWith("wrapped 8.0")).count(), r.output());
        List<String> forward = r.lines("BUFFER");
        forward.removeIf(l -> !l.contains(" forward "));
        assertEquals(2, forward.size(), r.output());
        assertTrue(forward.get(0).contains("forward 80.0 out"), r.output());
        assertEquals(forward.get(0).substring(forward.get(0).indexOf(" out ")), forward.get(1).substring(forward.get(1).indexOf(" out ")));
    }
}
