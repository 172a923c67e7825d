package jtorch.utils.data;

import jtorch.Generator;

/**
 * {@code torch.multinomial(weights, n, replacement, generator)} for one float64 distribution, as
 * PyTorch 1.13's CPU implementation draws it (ATen's {@code multinomial} and
 * {@code multinomial_with_replacement_apply}), for {@link WeightedRandomSampler}:
 *
 * <ul>
 *   <li>without replacement: {@code q = empty_like(w).exponential_(1)}
 *       (per weight {@code -log(1 - u)}, {@code u} a 53-bit uniform double), then the indices
 *       of the {@code n} largest {@code w / q} in descending order ({@code topk});</li>
 *   <li>with replacement (one sample included, unlike later PyTorch versions): the cumulative sums of {@code w} divided by their total, the last set
 *       to 1, and per sample a uniform double {@code u} and the first index whose cumulative
 *       value is not below {@code u} (a binary search).</li>
 * </ul>
 */
final class Multinomial {
    private Multinomial() {}

    static long[] sample(double[] w, int n, boolean replacement, Generator g) {
        int k = w.length;
        if (k == 0) throw new IllegalArgumentException("multinomial: prob_dist must be 1 or 2 dim with at least one category, got 0 categories");
        if (n <= 0) throw new IllegalArgumentException("cannot sample n_sample <= 0 samples");
        if (!replacement && n > k)
            throw new IllegalArgumentException("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
        return !replacement ? withoutReplacement(w, n, g) : withReplacement(w, n, g);
    }

    private static long[] withoutReplacement(double[] w, int n, Generator g) {
        int k = w.length;
        double sum = 0;
        for (double v : w) {
            if (!(v >= 0 && v < Double.POSITIVE_INFINITY))
                throw new IllegalArgumentException("probability tensor contains either `inf`, `nan` or element < 0");
            sum += v;
        }
        if (sum == 0) throw new IllegalArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
        double[] u = new double[k];
        g.uniform(u, 0, k, 0.0, 1.0);
        double[] key = new double[k];
        for (int i = 0; i < k; i++) key[i] = w[i] / (-1.0 / 1.0 * Math.log(1.0 - u[i]));
        // topk(n): the n largest keys, largest first (NaN counts as largest, as in topk; ties keep the lower index)
        int[] order = new int[k];
        for (int i = 0; i < k; i++) order[i] = i;
        mergeSortDescending(order, new int[k], 0, k, key);
        long[] out = new long[n];
        for (int j = 0; j < n; j++) out[j] = order[j];
        return out;
    }

    /** Whether key a comes before key b in topk's order (descending, NaN first). */
    private static boolean before(double a, double b) {
        if (Double.isNaN(a)) return !Double.isNaN(b);
        return a > b;
    }

    /** A stable merge sort of {@code idx[from, to)} by descending {@code key}, on primitive arrays. */
    private static void mergeSortDescending(int[] idx, int[] tmp, int from, int to, double[] key) {
        if (to - from < 2) return;
        int mid = (from + to) >>> 1;
        mergeSortDescending(idx, tmp, from, mid, key);
        mergeSortDescending(idx, tmp, mid, to, key);
        int i = from, j = mid, o = from;
        while (i < mid && j < to) tmp[o++] = before(key[idx[j]], key[idx[i]]) ? idx[j++] : idx[i++];
        while (i < mid) tmp[o++] = idx[i++];
        while (j < to) tmp[o++] = idx[j++];
        System.arraycopy(tmp, from, idx, from, to - from);
    }

    private static long[] withReplacement(double[] w, int n, Generator g) {
        int k = w.length;
        double[] cum = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            double v = w[i];
            if (!(v >= 0)) throw new IllegalArgumentException("invalid multinomial distribution (encountering probability entry < 0)");
            if (!Double.isFinite(v))
                throw new IllegalArgumentException("invalid multinomial distribution (encountering probability entry = infinity or NaN)");
            sum += v;
            cum[i] = sum;
        }
        if (!(sum > 0)) throw new IllegalArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
        for (int i = 0; i < k; i++) cum[i] /= sum;
        cum[k - 1] = 1;
        long[] out = new long[n];
        double[] u = new double[1];
        for (int j = 0; j < n; j++) {
            g.uniform(u, 0, 1, 0.0, 1.0);
            int left = 0, right = k;
            while (right - left > 0) {
                int mid = left + (right - left) / 2;
                if (cum[mid] < u[0]) left = mid + 1;
                else right = mid;
            }
            out[j] = left;
        }
        return out;
    }
}
