package jtorch.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;

/** Saves reclaim the temporary files that interrupted saves of the same target left behind. */
class AtomicFilesTest {
    @TempDir Path dir;

    private static final Map<String, Tensor> SMALL = Map.of("w", TensorInternals.wrap(new float[] {1, 2, 3}, new int[] {3}));

    /** The pid of a process that has exited. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.pid();
    }

    private List<String> temporaries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theTemporaryOfADeadProcessIsRemovedByTheNextSaveOfTheSameTarget() throws Exception {
        long dead = deadPid();
        Path stale = dir.resolve(".model.pt." + dead + ".1f2e3d.tmp");
        Files.write(stale, new byte[1 << 20]);
        Path otherTarget = dir.resolve(".other.pt." + dead + ".1f2e3d.tmp");
        Files.write(otherTarget, new byte[10]);
        Path unrelated = dir.resolve(".model.pt.backup");
        Files.write(unrelated, new byte[10]);
        Torch.save(SMALL, dir.resolve("model.pt"));
        assertFalse(Files.exists(stale), "the stale temporary is reclaimed");
        assertTrue(Files.exists(otherTarget), "another target's temporary is not this save's business");
        assertTrue(Files.exists(unrelated));
        assertEquals(List.of(".other.pt." + dead + ".1f2e3d.tmp"), temporaries());
    }

    @Test
    void aLiveWritersTemporaryIsKeptUnlessItIsOlderThanTheBoundOrItsPidWasReused() throws Exception {
        long me = ProcessHandle.current().pid();
        Path live = dir.resolve(".model.pt." + me + ".aaaa.tmp");
        Files.write(live, new byte[10]);
        assertEquals(0, AtomicFiles.reclaimStaleTemporaries(dir, "model.pt"));
        assertTrue(Files.exists(live), "a save in progress (this process, just written) is left alone");

        Path old = dir.resolve(".model.pt." + me + ".bbbb.tmp");
        Files.write(old, new byte[10]);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(AtomicFiles.STALE_AFTER).minusSeconds(60)));
        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        Path beforeMyStart = dir.resolve(".model.pt." + me + ".cccc.tmp");
        Files.write(beforeMyStart, new byte[10]);
        Files.setLastModifiedTime(beforeMyStart, FileTime.from(started.minusSeconds(3600)));
        assertEquals(2, AtomicFiles.reclaimStaleTemporaries(dir, "model.pt"));
        assertEquals(List.of(".model.pt." + me + ".aaaa.tmp"), temporaries());
    }

    /** The child of {@link #aKillDashNineDuringASaveLeavesATemporaryThatTheNextSaveReclaims}: saves a large tensor for ever. */
    public static void main(String[] args) throws IOException {
        Tensor big = TensorInternals.wrap(new float[20_000_000], new int[] {20_000_000});
        Path target = Path.of(args[0]);
        while (true) Torch.save(Map.of("big", big), target);
    }

    @Test
    void aKillDashNineDuringASaveLeavesATemporaryThatTheNextSaveReclaims() throws Exception {
        Path target = dir.resolve("model.safetensors");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        boolean leftOne = false;
        for (int attempt = 0; attempt < 10 && !leftOne; attempt++) {
            Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    AtomicFilesTest.class.getName(), target.toString())
                    .redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (temporaries().isEmpty() && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
                Thread.sleep(20);   // into the write
            } finally {
                child.destroyForcibly();   // SIGKILL: no finally blocks, no shutdown hooks run in the child
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child is gone");
            }
            leftOne = !temporaries().isEmpty();
        }
        assertTrue(leftOne, "one of ten kills mid-save left its temporary file");
        Torch.save(SMALL, target);
        assertEquals(List.of(), temporaries(), "the next save reclaimed it");
        assertEquals(List.of("w"), List.copyOf(Torch.load(target).keySet()));
    }
}
