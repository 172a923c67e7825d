package jtorch.optim;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Formats values as Python's {@code repr} does, so that option validation errors, optimizer reprs
 * and scheduler messages read exactly like PyTorch's ({@code "Invalid learning rate: -0.001"},
 * {@code "1e-08"}, {@code "True"}, {@code "(0.9, 0.999)"}).
 *
 * <pre>{@code
 * PyFormat.repr(1e-8);                 // "1e-08"
 * PyFormat.repr(100.0);                // "100.0"
 * PyFormat.tuple(List.of(0.9, 0.999)); // "(0.9, 0.999)"
 * }</pre>
 */
public final class PyFormat {
    private PyFormat() {}

    /**
     * Python's {@code repr(float)}: the shortest decimal that reads back as the same double, in
     * fixed notation when its decimal exponent is in [-4, 16), otherwise as {@code d.ddde±XX}.
     */
    public static String repr(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        BigDecimal shortest = shortest(v);
        String sign = shortest.signum() < 0 ? "-" : "";
        BigDecimal abs = shortest.abs();
        String digits = abs.unscaledValue().toString();
        // strip trailing zeros of the digit string (the value keeps its magnitude through exp10)
        int exp10 = digits.length() - 1 - abs.scale();   // decimal exponent of the leading digit
        digits = digits.replaceAll("0+$", "");
        if (digits.isEmpty()) digits = "0";
        if (exp10 < -4 || exp10 >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = String.valueOf(Math.abs(exp10));
            if (e.length() < 2) e = "0" + e;
            return sign + mant + "e" + (exp10 < 0 ? "-" : "+") + e;
        }
        StringBuilder sb = new StringBuilder(sign);
        if (exp10 < 0) {
            sb.append("0.");
            for (int i = 0; i < -exp10 - 1; i++) sb.append('0');
            sb.append(digits);
        } else if (digits.length() <= exp10 + 1) {
            sb.append(digits);
            for (int i = digits.length(); i < exp10 + 1; i++) sb.append('0');
            sb.append(".0");
        } else {
            sb.append(digits, 0, exp10 + 1).append('.').append(digits, exp10 + 1, digits.length());
        }
        return sb.toString();
    }

    private static BigDecimal shortest(double v) {
        BigDecimal exact = new BigDecimal(v);
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == v) return r;
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }

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
