package jtorch.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** On JDK 17-21 (this test runs only there) the process group refuses to start and names the JDK it needs. */
class WithoutForeignIT {
    @Test
    void initProcessGroupNamesTheJdkItNeeds() {
        DistributedException e = assertThrows(DistributedException.class, () -> Dist.initProcessGroup("mpi"));
        assertEquals("jtorch.distributed needs JDK 22 or later (it calls Open MPI through java.lang.foreign); this is JDK "
                + Runtime.version().feature(), e.getMessage());
        assertFalse(Dist.isInitialized());
    }
}
