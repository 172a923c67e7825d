package jtorch.examples.lenet;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG of a training run: train loss, train accuracy and test accuracy per epoch on one chart,
 * as Dive into Deep Learning draws them, rendered by XChart.
 *
 * <pre>{@code
 * TrainingCurves.write(Path.of("lenet.png"), "LeNet on Fashion-MNIST", history);
 * }</pre>
 */
final class TrainingCurves {
    private TrainingCurves() {}

    /** One epoch's numbers. */
    record Epoch(int epoch, double trainLoss, double trainAccuracy, double testAccuracy, double seconds) {}

    /** Draws the curves of {@code history} and writes them to {@code file} as PNG; returns the file's absolute path. */
    static Path write(Path file, String title, List<Epoch> history) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("epoch").yAxisTitle("").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("0.00");
        double[] x = new double[history.size()];
        double[] loss = new double[x.length], trainAcc = new double[x.length], testAcc = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            Epoch e = history.get(i);
            x[i] = e.epoch();
            loss[i] = e.trainLoss();
            trainAcc[i] = e.trainAccuracy();
            testAcc[i] = e.testAccuracy();
        }
        series(chart, "train loss", x, loss, new Color(31, 119, 180));
        series(chart, "train acc", x, trainAcc, new Color(214, 39, 40));
        series(chart, "test acc", x, testAcc, new Color(44, 160, 44));
        Path absolute = file.toAbsolutePath();
        if (!absolute.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            absolute = absolute.resolveSibling(absolute.getFileName() + ".png");   // what XChart would append anyway
        }
        if (absolute.getParent() != null) Files.createDirectories(absolute.getParent());
        BitmapEncoder.saveBitmap(chart, absolute.toString(), BitmapEncoder.BitmapFormat.PNG);
        return absolute;
    }

    private static void series(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineColor(color);
        s.setMarkerColor(color);
    }
}
