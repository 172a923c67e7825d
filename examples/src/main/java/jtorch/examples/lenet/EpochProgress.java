package jtorch.examples.lenet;

import java.io.PrintStream;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of one training epoch: on a terminal, a bar redrawn in place (batches done, mean loss
 * so far, images per second, time left); otherwise (CI, a file) a plain SLF4J line at every tenth
 * of the epoch, which reads well in a log.
 *
 * <pre>{@code
 * var progress = new EpochProgress("epoch 1/10", loader.size(), System.console() != null, System.out);
 * for (...) progress.update(batchesDone, meanLoss, imagesDone);
 * progress.finish();
 * }</pre>
 */
public final class EpochProgress {
    private static final Logger LOG = LoggerFactory.getLogger(EpochProgress.class);
    private static final int BAR_WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final String label;
    private final int totalBatches;
    private final String unit;
    private final boolean terminal;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastLoggedTenth;
    private int drawnWidth;

    EpochProgress(String label, int totalBatches, boolean terminal, PrintStream out) {
        this(label, totalBatches, "img", terminal, out);
    }

    /** A progress whose rate counts {@code unit}s (e.g. {@code "tok"}: tokens per second) instead of images. */
    public EpochProgress(String label, int totalBatches, String unit, boolean terminal, PrintStream out) {
        this.label = label;
        this.totalBatches = totalBatches;
        this.unit = unit;
        this.terminal = terminal;
        this.out = out;
    }

    /** Reports {@code batchesDone} of the epoch's batches, the mean loss so far and the images (units) seen. */
    public void update(int batchesDone, double meanLoss, long imagesDone) {
        long now = System.nanoTime();
        double seconds = (now - start) / 1e9;
        double imagesPerSecond = seconds > 0 ? imagesDone / seconds : 0;
        double eta = batchesDone > 0 ? seconds / batchesDone * (totalBatches - batchesDone) : 0;
        if (terminal) {
            if (now - lastDraw < REDRAW_NANOS && batchesDone < totalBatches) return;
            lastDraw = now;
            int filled = totalBatches == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * batchesDone / totalBatches);
            String line = String.format(Locale.ROOT, "%s [%s%s] %d/%d  loss %.4f  %.0f %s/s  ETA %s", label,
                    "#".repeat(filled), ".".repeat(BAR_WIDTH - filled), batchesDone, totalBatches, meanLoss, imagesPerSecond, unit,
                    clock(eta));
            // pad with spaces to wipe what a longer previous line left behind
            out.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
            out.flush();
            drawnWidth = line.length();
        } else {
            int tenth = totalBatches == 0 ? 10 : (int) (10L * batchesDone / totalBatches);
            if (tenth <= lastLoggedTenth) return;
            lastLoggedTenth = tenth;
            LOG.info(String.format(Locale.ROOT, "%s batch %d/%d loss %.4f %.0f %s/s ETA %s", label, batchesDone, totalBatches,
                    meanLoss, imagesPerSecond, unit, clock(eta)));
        }
    }

    /** Ends the bar's line (terminal only). */
    public void finish() {
        if (terminal && drawnWidth > 0) {
            out.println();
            out.flush();
        }
    }

    /** Seconds as {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
