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
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file all at once: the content goes to a new temporary file in the same directory,
 * which is synced and then renamed over the target. A failure or a crash before the rename leaves
 * the previous file as it was (and the temporary file is removed when the failure is an exception).
 */
final class AtomicFiles {
    private AtomicFiles() {}

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
            Path temp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) throw e;
            }
        }
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
