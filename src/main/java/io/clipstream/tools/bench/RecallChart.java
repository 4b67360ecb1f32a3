package io.clipstream.tools.bench;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * Recall against queries/s of every index in one run, in ann-benchmarks' style (recall across, queries/s up on a log
 * scale, up and to the right is better), drawn to a PNG without a display.
 */
public final class RecallChart {

    private RecallChart() {
    }

    public static void draw(String title, List<RecallCurve> curves, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        double lowestRecall = 1.0;
        for (RecallCurve curve : curves) {
            XYSeries series = new XYSeries(curve.name(), true, true);
            for (RecallCurve.Point point : curve.frontier()) {
                series.add(point.recall(), point.qps());
                lowestRecall = Math.min(lowestRecall, point.recall());
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "recall@10", "queries/s (one thread)", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        LogAxis qps = new LogAxis("queries/s (one thread, log scale)");
        qps.setSmallestValue(1);
        qps.setNumberFormatOverride(new DecimalFormat("#,##0"));
        plot.setRangeAxis(qps);
        NumberAxis recall = (NumberAxis) plot.getDomainAxis();
        recall.setRange(Math.max(0, Math.floor(lowestRecall * 20) / 20), 1.0);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < curves.size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 640);
    }
}
