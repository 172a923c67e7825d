package jtorch.examples.wordlm;

import static jtorch.Torch.tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jtorch.Tensor;
import jtorch.examples.text.TextFiles;

/**
 * pytorch/examples {@code word_language_model/data.py}: a {@link Dictionary} of the words of the
 * three splits, and each split as one int64 tensor of word ids, a line being its
 * whitespace-separated words (as Python's {@code str.split()}) followed by {@code <eos>}.
 *
 * <p>A directory with {@code train.txt}, {@code valid.txt} and {@code test.txt} is read as the
 * script reads it. Any other directory (default {@code /usr/share/common-licenses}) or file is read
 * as one text ({@link TextFiles#read}) whose lines, ending at {@code '\n'}, are split in order: the
 * first 80% train, the next 10% validate, the rest test.
 *
 * <pre>{@code
 * var corpus = new Corpus(Path.of("/usr/share/common-licenses"));
 * Tensor train = corpus.train;                 // (34337,) int64 word ids
 * String w = corpus.dictionary.idx2word.get(0);
 * }</pre>
 */
public final class Corpus {
    /** {@code data.Dictionary}: words in order of first appearance. */
    public static final class Dictionary {
        public final Map<String, Integer> word2idx = new HashMap<>();
        public final List<String> idx2word = new ArrayList<>();

        /** {@code add_word}: the word's id, adding it if new. */
        public int addWord(String word) {
            Integer id = word2idx.get(word);
            if (id != null) return id;
            idx2word.add(word);
            word2idx.put(word, idx2word.size() - 1);
            return idx2word.size() - 1;
        }

        /** {@code len(dictionary)}. */
        public int size() { return idx2word.size(); }
    }

    public final Dictionary dictionary = new Dictionary();
    public final Tensor train, valid, test;

    /** {@code data.Corpus(path)}. */
    public Corpus(Path path) throws IOException {
        List<List<String>> parts = new ArrayList<>();
        Path[] names = {path.resolve("train.txt"), path.resolve("valid.txt"), path.resolve("test.txt")};
        if (Files.isDirectory(path) && Files.exists(names[0]) && Files.exists(names[1]) && Files.exists(names[2])) {
            for (Path n : names) parts.add(lines(Files.readString(n, StandardCharsets.UTF_8)));
        } else {
            List<String> all = lines(TextFiles.read(path));
            int nTrain = all.size() * 8 / 10, nValid = all.size() / 10;
            parts.add(all.subList(0, nTrain));
            parts.add(all.subList(nTrain, nTrain + nValid));
            parts.add(all.subList(nTrain + nValid, all.size()));
        }
        train = tokenize(parts.get(0));
        valid = tokenize(parts.get(1));
        test = tokenize(parts.get(2));
    }

    /** The lines of {@code text}, ending at {@code '\n'} only (as iterating over a Python file splits them). */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
            out.add(text.substring(start, i));
            start = i + 1;
        }
        if (start < text.length()) out.add(text.substring(start));
        return out;
    }

    /** {@code tokenize}: the ids of each line's words and {@code <eos>}, the dictionary growing as words appear. */
    Tensor tokenize(List<String> lines) {
        long[] ids = new long[16];
        int n = 0;
        for (String line : lines) {
            List<String> words = split(line);
            words.add("<eos>");
            for (String w : words) {
                if (n == ids.length) ids = java.util.Arrays.copyOf(ids, 2 * n);
                ids[n++] = dictionary.addWord(w);
            }
        }
        return tensor(java.util.Arrays.copyOf(ids, n));
    }

    /** Python's {@code str.split()}: runs of whitespace ({@code str.isspace}) separate, none at the ends. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int i = 0, n = s.length();
        while (i < n) {
            while (i < n && isPythonSpace(s.charAt(i))) i++;
            int start = i;
            while (i < n && !isPythonSpace(s.charAt(i))) i++;
            if (i > start) out.add(s.substring(start, i));
        }
        return out;
    }

    /** Python's {@code isspace} for one UTF-16 unit: Java's whitespace plus the no-break spaces and NEL. */
    static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || c == '\u0085' || c == '\u00a0' || c == '\u2007' || c == '\u202f';
    }
}
