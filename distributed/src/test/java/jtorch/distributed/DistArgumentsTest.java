package jtorch.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import jtorch.Torch;

/** What needs no process group: the backend name, the options, and calls before initialisation. */
class DistArgumentsTest {
    @Test
    void onlyMpiIsABackend() {
        var e = assertThrows(IllegalArgumentException.class, () -> Dist.initProcessGroup("gloo"));
        assertEquals("Invalid backend: 'gloo'; jtorch.distributed supports 'mpi' (Open MPI)", e.getMessage());
    }

    @Test
    void collectivesBeforeInitialisationSaySo() {
        var e = assertThrows(IllegalStateException.class, () -> Dist.allReduce(Torch.ones(2)));
        assertEquals("Default process group has not been initialized, please make sure to call init_process_group.", e.getMessage());
        assertThrows(IllegalStateException.class, Dist::getRank);
        assertThrows(IllegalStateException.class, Dist::destroyProcessGroup);
    }

    @Test
    void timeoutsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> Dist.options("mpi").timeout(java.time.Duration.ZERO));
    }
}
