package jtorch.optim;

import jtorch.Tensor;

/**
 * PyTorch 1.13's {@code _strong_wolfe} and {@code _cubic_interpolate} (torch/optim/lbfgs.py), the
 * line search of {@link LBFGS}: a bracketing phase, then a zoom phase by cubic interpolation,
 * until the strong Wolfe conditions hold (sufficient decrease {@code c1}, curvature {@code c2}).
 */
final class StrongWolfe {
    private StrongWolfe() {}

    /** The objective along the direction: returns {loss (Double), flat gradient (Tensor)} at {@code x + t d}. */
    @FunctionalInterface
    interface ObjFunc {
        Object[] eval(double t, Tensor d);
    }

    /** The line search's result: the loss, the gradient and the step length it settled on, and its evaluations. */
    static final class Result {
        final double f;
        final Tensor g;
        final double t;
        final int funcEvals;

        Result(double f, Tensor g, double t, int funcEvals) {
            this.f = f;
            this.g = g;
            this.t = t;
            this.funcEvals = funcEvals;
        }
    }

    /** The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds (or to [x1, x2]). */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double[] bounds) {
        double xminBound, xmaxBound;
        if (bounds != null) {
            xminBound = bounds[0];
            xmaxBound = bounds[1];
        } else if (x1 <= x2) {
            xminBound = x1;
            xmaxBound = x2;
        } else {
            xminBound = x2;
            xmaxBound = x1;
        }
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0) {
            double d2 = Math.sqrt(d2Square);
            double minPos;
            if (x1 <= x2) minPos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2));
            else minPos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return Math.min(Math.max(minPos, xminBound), xmaxBound);
        }
        return (xminBound + xmaxBound) / 2.;
    }

    private static double maxOf(double[] b) { return Math.max(b[0], b[1]); }

    private static double minOf(double[] b) { return Math.min(b[0], b[1]); }

    static Result search(ObjFunc obj, double t, Tensor d, double f, Tensor g, double gtd, double c1, double c2,
                         double toleranceChange, int maxLs) {
        double dNorm = d.abs().max().item();
        g = g.clone();
        Object[] e = obj.eval(t, d);
        double fNew = (Double) e[0];
        Tensor gNew = (Tensor) e[1];
        int lsFuncEvals = 1;
        double gtdNew = gNew.dot(d).item();

        double tPrev = 0, fPrev = f, gtdPrev = gtd;
        Tensor gPrev = g;
        boolean done = false;
        int lsIter = 0;
        // bracket: one point (done) or two; arrays of length 2 with 'single' marking the one-point case
        double[] bracket = null, bracketF = null, bracketGtd = null;
        Tensor[] bracketG = null;
        boolean single = false;
        while (lsIter < maxLs) {
            if (fNew > (f + c1 * t * gtd) || (lsIter > 1 && fNew >= fPrev)) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new Tensor[] {gPrev, gNew.clone()};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            if (Math.abs(gtdNew) <= -c2 * gtd) {
                bracket = new double[] {t};
                bracketF = new double[] {fNew};
                bracketG = new Tensor[] {gNew};
                single = true;
                done = true;
                break;
            }
            if (gtdNew >= 0) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new Tensor[] {gPrev, gNew.clone()};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            // interpolate
            double minStep = t + 0.01 * (t - tPrev);
            double maxStep = t * 10;
            double tmp = t;
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, new double[] {minStep, maxStep});
            tPrev = tmp;
            fPrev = fNew;
            gPrev = gNew.clone();
            gtdPrev = gtdNew;
            e = obj.eval(t, d);
            fNew = (Double) e[0];
            gNew = (Tensor) e[1];
            lsFuncEvals++;
            gtdNew = gNew.dot(d).item();
            lsIter++;
        }
        // reached the maximum number of iterations: PyTorch leaves bracket_gtd as it was (unset), read only if zooming,
        // which this case never does (ls_iter == max_ls ends the zoom loop at once)
        if (lsIter == maxLs) {
            bracket = new double[] {0, t};
            bracketF = new double[] {f, fNew};
            bracketG = new Tensor[] {g, gNew};
            single = false;
        }

        boolean insufProgress = false;
        int lowPos, highPos;
        if (single) {
            lowPos = 0;
            highPos = 0;
        } else if (bracketF[0] <= bracketF[1]) {
            lowPos = 0;
            highPos = 1;
        } else {
            lowPos = 1;
            highPos = 0;
        }
        while (!done && lsIter < maxLs) {
            if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
            t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1], null);
            double eps = 0.1 * (maxOf(bracket) - minOf(bracket));
            if (Math.min(maxOf(bracket) - t, t - minOf(bracket)) < eps) {
                if (insufProgress || t >= maxOf(bracket) || t <= minOf(bracket)) {
                    if (Math.abs(t - maxOf(bracket)) < Math.abs(t - minOf(bracket))) t = maxOf(bracket) - eps;
                    else t = minOf(bracket) + eps;
                    insufProgress = false;
                } else {
                    insufProgress = true;
                }
            } else {
                insufProgress = false;
            }
            e = obj.eval(t, d);
            fNew = (Double) e[0];
            gNew = (Tensor) e[1];
            lsFuncEvals++;
            gtdNew = gNew.dot(d).item();
            lsIter++;
            if (fNew > (f + c1 * t * gtd) || fNew >= bracketF[lowPos]) {
                bracket[highPos] = t;
                bracketF[highPos] = fNew;
                bracketG[highPos] = gNew.clone();
                bracketGtd[highPos] = gtdNew;
                if (bracketF[0] <= bracketF[1]) {
                    lowPos = 0;
                    highPos = 1;
                } else {
                    lowPos = 1;
                    highPos = 0;
                }
            } else {
                if (Math.abs(gtdNew) <= -c2 * gtd) {
                    done = true;
                } else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0) {
                    bracket[highPos] = bracket[lowPos];
                    bracketF[highPos] = bracketF[lowPos];
                    bracketG[highPos] = bracketG[lowPos];
                    bracketGtd[highPos] = bracketGtd[lowPos];
                }
                bracket[lowPos] = t;
                bracketF[lowPos] = fNew;
                bracketG[lowPos] = gNew.clone();
                bracketGtd[lowPos] = gtdNew;
            }
        }
        return new Result(bracketF[lowPos], bracketG[lowPos], bracket[lowPos], lsFuncEvals);
    }
}
