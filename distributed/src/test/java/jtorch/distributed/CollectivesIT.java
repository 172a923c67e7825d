package jtorch.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every collective against its definition on 2 and 3 ranks (the checks run in {@link CollectivesCheck} under mpirun). */
class CollectivesIT {
    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {2, 3})
    void everyCollectiveMatchesItsDefinition(int ranks) throws Exception {
        MpiRun.Result r = MpiRun.run(ranks, 240, CollectivesCheck.class);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(0, r.lines("FAIL").size(), r.output());
        assertEquals(ranks, r.lines("DONE").size(), r.output());
        // 3 dtypes x 3 sizes x (ops x 4 + ranks + ranks) + 8; int64 has no AVG.
        int perSize = 5 * 4 + 2 * ranks;
        int expected = 3 * (perSize * 2 + (perSize - 4)) + 8;
        for (String done : r.lines("DONE")) assertEquals("checks " + expected, done.substring(done.indexOf("checks")), r.output());
    }
}
