package jtorch.examples.text;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG of a language model's training: the training loss against the step, with the
 * validation loss at the steps where it was measured, rendered by XChart.
 *
 * <pre>{@code
 * LossCurve.write(Path.of("char-gpt.png"), "char GPT", steps, trainLoss, evalSteps, valLoss);
 * }</pre>
 */
public final class LossCurve {
    private LossCurve() {}

    /** Draws the curves and writes them to {@code file} as PNG; returns the file's absolute path. */
    public static Path write(Path file, String title, List<Double> steps, List<Double> trainLoss, List<Double> evalSteps,
                             List<Double> valLoss) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("step").yAxisTitle("loss").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("0.00");
        if (!steps.isEmpty()) {
            XYSeries s = chart.addSeries("train loss", steps, trainLoss);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(new Color(31, 119, 180));
        }
        if (!evalSteps.isEmpty()) {
            XYSeries s = chart.addSeries("val loss", evalSteps, valLoss);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(new Color(214, 39, 40));
            s.setMarkerColor(new Color(214, 39, 40));
        }
        Path absolute = file.toAbsolutePath();
        if (!absolute.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            absolute = absolute.resolveSibling(absolute.getFileName() + ".png");   // what XChart would append anyway
        }
        if (absolute.getParent() != null) Files.createDirectories(absolute.getParent());
        BitmapEncoder.saveBitmap(chart, absolute.toString(), BitmapEncoder.BitmapFormat.PNG);
        return absolute;
    }
}
