package jtorch;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Number formatting as PyTorch's reprs and error messages print numbers: Python's {@code repr(float)}
 * (module reprs such as {@code eps=1e-05}) and C++'s {@code operator<<} for doubles (messages built in
 * ATen, such as {@code "label_smoothing must be between 0.0 and 1.0. Got: 1.5"}). Both work from the
 * exact binary value of the double, so they agree with Python and C++ to the last digit.
 *
 * <pre>{@code
 * PyFormat.repr(1e-5);        // "1e-05"
 * PyFormat.repr(0.1);         // "0.1"
 * PyFormat.repr(2.0);         // "2.0"
 * PyFormat.cpp(2.0);          // "2"
 * PyFormat.tuple(new long[] {10});   // "(10,)"
 * }</pre>
 */
public final class PyFormat {
    private PyFormat() {}

    /** Python's {@code repr(x)} of a float: the shortest digits that round-trip, as CPython prints them. */
    public static String repr(double x) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        if (x == 0) return (Double.doubleToRawLongBits(x) < 0 ? "-" : "") + "0.0";
        BigDecimal exact = new BigDecimal(x);
        BigDecimal shortest = null;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == x) { shortest = r; break; }
        }
        if (shortest == null) shortest = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
        BigDecimal s = shortest.stripTrailingZeros();
        String digits = s.unscaledValue().abs().toString();
        int decExp = digits.length() - s.scale(); // value = 0.digits * 10^decExp
        String sign = x < 0 ? "-" : "";
        // CPython's float_repr_style 'short': scientific when the exponent is < -4 or >= 16.
        int sciExp = decExp - 1;
        if (sciExp < -4 || sciExp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (sciExp < 0 ? "-" : "+") + pad2(Math.abs(sciExp));
        }
        if (decExp <= 0) return sign + "0." + "0".repeat(-decExp) + digits;
        if (decExp >= digits.length()) return sign + digits + "0".repeat(decExp - digits.length()) + ".0";
        return sign + digits.substring(0, decExp) + "." + digits.substring(decExp);
    }

    /** C++ {@code std::ostream << double} with the default precision (6 significant digits, {@code %g}). */
    public static String cpp(double x) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        if (x == 0) return (Double.doubleToRawLongBits(x) < 0 ? "-" : "") + "0";
        BigDecimal r = new BigDecimal(x).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exp = r.precision() - r.scale() - 1; // decimal exponent of the leading digit
        BigDecimal s = r.stripTrailingZeros();
        String sign = x < 0 ? "-" : "";
        String digits = s.unscaledValue().abs().toString();
        if (exp < -4 || exp >= 6) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + pad2(Math.abs(exp));
        }
        return sign + s.abs().toPlainString();
    }

    /** Python's repr of a tuple of ints: {@code (10,)}, {@code (2, 5)}, {@code ()}. */
    public static String tuple(long[] xs) {
        if (xs.length == 1) return "(" + xs[0] + ",)";
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < xs.length; i++) b.append(i == 0 ? "" : ", ").append(xs[i]);
        return b.append(')').toString();
    }

    /** ATen's {@code IntArrayRef} printing: {@code [2, 3]}. */
    public static String list(long[] xs) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < xs.length; i++) b.append(i == 0 ? "" : ", ").append(xs[i]);
        return b.append(']').toString();
    }

    /** Python's {@code True}/{@code False}. */
    public static String bool(boolean b) { return b ? "True" : "False"; }

    private static String pad2(int e) { return e < 10 ? "0" + e : Integer.toString(e); }

    /** Python's repr of a tuple of numbers: {@code (0.9, 0.999)}, {@code (1,)}. */
    public static String tuple(Collection<?> values) {
        StringBuilder sb = new StringBuilder("(");
        Iterator<?> it = values.iterator();
        while (it.hasNext()) {
            sb.append(repr(it.next()));
            if (it.hasNext()) sb.append(", ");
        }
        if (values.size() == 1) sb.append(',');
        return sb.append(')').toString();
    }

    /**
     * Python's repr of a value held in an optimizer's param group or state: {@code None},
     * {@code True}/{@code False}, ints, floats as {@link #repr(double)}, strings quoted, lists
     * as {@code [a, b]}, maps as {@code {'k': v}}; anything else by its {@code toString()}.
     */
    public static String repr(Object v) {
        if (v == null) return "None";
        if (v instanceof Boolean) return ((Boolean) v) ? "True" : "False";
        if (v instanceof Double || v instanceof Float) return repr(((Number) v).doubleValue());
        if (v instanceof Number) return v.toString();
        if (v instanceof CharSequence) return "'" + v + "'";
        if (v instanceof List) {
            StringBuilder sb = new StringBuilder("[");
            Iterator<?> it = ((List<?>) v).iterator();
            while (it.hasNext()) {
                sb.append(repr(it.next()));
                if (it.hasNext()) sb.append(", ");
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map) {
            StringBuilder sb = new StringBuilder("{");
            Iterator<? extends Map.Entry<?, ?>> it = ((Map<?, ?>) v).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                if (it.hasNext()) sb.append(", ");
            }
            return sb.append('}').toString();
        }
        return v.toString();
    }
}
