package io.clipstream.tools.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One index's sweep of search beams as recall against queries/s, and the queries/s it reaches at a given recall: how
 * two indexes are compared fairly (ann-benchmarks' way), since the same beam gives different recalls in each.
 */
public record RecallCurve(String name, List<Point> points) {

    /** One measured beam: recall@k and queries/s on one thread. */
    public record Point(double recall, double qps) {
    }

    public RecallCurve {
        points = List.copyOf(points);
    }

    /**
     * The queries/s this index reaches at {@code recall}: its fastest point at that recall or above it, or, between
     * two of its points, the straight line from the slower point above to the faster one below (queries/s interpolated
     * on a log scale, as the curves are drawn). Empty beyond its highest recall or below its lowest measured one: no extrapolation.
     */
    public OptionalDouble qpsAt(double recall) {
        List<Point> frontier = frontier();
        double lowest = points.stream().mapToDouble(Point::recall).min().orElse(Double.NaN);
        if (frontier.isEmpty() || recall > frontier.get(frontier.size() - 1).recall() || recall < lowest) {
            return OptionalDouble.empty();
        }
        for (int i = 0; i < frontier.size(); i++) {
            Point above = frontier.get(i);
            if (above.recall() >= recall) {
                if (i == 0 || above.recall() == recall) {
                    return OptionalDouble.of(above.qps());
                }
                Point below = frontier.get(i - 1);
                double t = (recall - below.recall()) / (above.recall() - below.recall());
                return OptionalDouble.of(Math.exp(Math.log(below.qps()) + t * (Math.log(above.qps()) - Math.log(below.qps()))));
            }
        }
        return OptionalDouble.empty();
    }

    /** This curve's queries/s over the reference's at the same recall; empty where the reference has no figure. */
    public OptionalDouble ratioTo(RecallCurve reference, Point at) {
        OptionalDouble theirs = reference.qpsAt(at.recall());
        return theirs.isPresent() ? OptionalDouble.of(at.qps() / theirs.getAsDouble()) : OptionalDouble.empty();
    }

    /**
     * The points no other point beats on both recall and speed, by rising recall (and so falling queries/s): a slower
     * beam that measured no better recall says nothing about what the index can do.
     */
    List<Point> frontier() {
        List<Point> byRecall = new ArrayList<>(points);
        byRecall.sort(Comparator.comparingDouble(Point::recall).reversed().thenComparing(Comparator.comparingDouble(Point::qps).reversed()));
        List<Point> frontier = new ArrayList<>();
        double bestQps = Double.NEGATIVE_INFINITY;
        for (Point point : byRecall) {
            if (point.qps() > bestQps) {
                frontier.add(point);
                bestQps = point.qps();
            }
        }
        return frontier.reversed();
    }
}
