package jtorch.examples.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The text the sequence examples train on, read without downloads: a file, or the regular files
 * of a directory (symlinks skipped, so that {@code GPL -> GPL-3} is not read twice) concatenated
 * in sorted name order. The default, {@link #DEFAULT_ROOT}, is the license texts that Debian's
 * {@code base-files} ships on every Debian machine (about 270 KB of English).
 *
 * <pre>{@code
 * String text = TextFiles.read(TextFiles.DEFAULT_ROOT);
 * }</pre>
 */
public final class TextFiles {
    private TextFiles() {}

    /** {@code /usr/share/common-licenses}, from Debian's {@code base-files}. */
    public static final Path DEFAULT_ROOT = Path.of("/usr/share/common-licenses");

    /** The files {@link #read} concatenates, in its order (sorted by name as Python's {@code sorted} sorts strings). */
    public static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            if (!Files.isRegularFile(root)) throw new java.io.FileNotFoundException(root + " not found");
            return List.of(root);
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted((a, b) -> compareCodePoints(a.getFileName().toString(), b.getFileName().toString()))
                    .forEach(out::add);
        }
        if (out.isEmpty()) throw new java.io.FileNotFoundException(root + ": no text files");
        return out;
    }

    /** The text of {@code root} (a file, or a directory's files concatenated), decoded as UTF-8. */
    public static String read(Path root) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path p : files(root)) sb.append(Files.readString(p, StandardCharsets.UTF_8));
        return sb.toString();
    }

    /** Python's string order: by code point (Java's {@code compareTo} compares UTF-16 units). */
    static int compareCodePoints(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
