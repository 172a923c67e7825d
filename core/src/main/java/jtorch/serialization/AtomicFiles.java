package jtorch.serialization;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a file all at once: the content goes to a new temporary file in the same directory,
 * which is synced and then renamed over the target. A failure or a crash before the rename leaves
 * the previous file as it was (and the temporary file is removed when the failure is an exception).
 *
 * <p>Temporary files are named {@code .<target name>.<pid>.<random>.tmp}. A process killed
 * mid-save ({@code kill -9}, a power cut) cannot remove its own, so each save first reclaims the
 * stale temporaries of the same target: those whose process is gone (or is another process that
 * reuses the pid: it started after the file was last written), or last written more than
 * {@link #STALE_AFTER} ago.
 */
final class AtomicFiles {
    private AtomicFiles() {}

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

    /** A temporary file untouched for this long is stale even if a process with its pid runs. */
    static final Duration STALE_AFTER = Duration.ofHours(24);

    /** Produces the file's content. */
    interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    static void write(Path target, ContentWriter content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir))
            throw new CheckpointException(target, "cannot save: the directory " + dir + " does not exist");
        if (Files.isDirectory(absolute))
            throw new CheckpointException(target, "cannot save: it is a directory");
        reclaimStaleTemporaries(dir, absolute.getFileName().toString());
        Path temp = createTemp(dir, absolute.getFileName().toString());
        boolean renamed = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);   // the data is on disk before the rename makes it visible
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            renamed = true;
            syncDirectory(dir);
        } finally {
            if (!renamed) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException cleanupFailure) {
                    // the original failure is the one to report; a stray temporary file is harmless
                }
            }
        }
    }

    /** A new empty file next to the target, created with the default permissions (not 0600 as createTempFile would). */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + name + "." + ProcessHandle.current().pid() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) throw e;
            }
        }
    }

    /** Deletes the stale temporary files of saves of {@code name} (see the class comment); returns how many. */
    static int reclaimStaleTemporaries(Path dir, String name) {
        Pattern ours = Pattern.compile(Pattern.quote("." + name + ".") + "([0-9]{1,19})\\.[0-9a-f]{1,16}\\.tmp");
        int reclaimed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "." + globEscape(name) + ".*.tmp")) {
            for (Path p : entries) {
                Matcher m = ours.matcher(p.getFileName().toString());
                if (!m.matches()) continue;
                try {
                    FileTime written = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
                    if (!isStale(Long.parseLong(m.group(1)), written.toInstant())) continue;
                    if (Files.deleteIfExists(p)) {
                        reclaimed++;
                        LOG.info("removed {}, the temporary file of an interrupted save of {}", p, name);
                    }
                } catch (IOException | NumberFormatException e) {
                    LOG.debug("could not reclaim {}: {}", p, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.debug("could not list {} for stale temporary files: {}", dir, e.toString());
        }
        return reclaimed;
    }

    private static boolean isStale(long pid, Instant written) {
        if (written.isBefore(Instant.now().minus(STALE_AFTER))) return true;
        Optional<ProcessHandle> owner = ProcessHandle.of(pid);
        if (owner.isEmpty() || !owner.get().isAlive()) return true;
        // a live process with that pid that started after the file was written is not its writer
        Optional<Instant> started = owner.get().info().startInstant();
        return started.isPresent() && started.get().isAfter(written.plusSeconds(1));
    }

    private static String globEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) b.append('\\');
            b.append(c);
        }
        return b.toString();
    }

    /** Makes the rename durable where the platform allows syncing a directory (Linux does). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // not every platform can open or sync a directory; the rename itself is still atomic
        }
    }
}
