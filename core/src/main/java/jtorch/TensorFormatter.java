package jtorch;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.IntConsumer;

/**
 * Builds the text of {@code repr(tensor)} exactly as PyTorch 1.13 does, character for character.
 *
 * <p>This mirrors {@code torch/_tensor_str.py} with the default print options
 * ({@code precision=4, threshold=1000, edgeitems=3, linewidth=80, sci_mode=None}):
 * <ul>
 *   <li>{@code _Formatter}: one formatter per tensor decides, from the nonzero finite values,
 *       between integer mode ({@code 1.}), fixed ({@code 1.0000}) and scientific
 *       ({@code 1.0000e-05}) notation, and the common width every element is right-aligned to;</li>
 *   <li>{@code _tensor_str_with_formatter} / {@code _vector_str}: nested brackets, rows wrapped at
 *       the line width, blank lines between slices of 3-D and higher tensors;</li>
 *   <li>summarization: above {@code threshold} elements, only the first and last
 *       {@code edgeitems} of each long dimension are shown around {@code ...}, and the formatter
 *       only looks at the shown values ({@code get_summarized_data});</li>
 *   <li>{@code _str_intern} / {@code _add_suffixes}: the {@code dtype=}, {@code size=},
 *       {@code grad_fn=} and {@code requires_grad=} suffixes, moved to a new line when they would
 *       overflow it.</li>
 * </ul>
 *
 * <p>Numbers are formatted as Python's {@code '{:.4f}'} and {@code '{:.4e}'} do: the exact binary
 * value is rounded half-to-even, which {@link String#format} does not guarantee.
 *
 * <pre>{@code
 * TensorFormatter.repr(DType.FLOAT32, new long[] {1, 2}, new float[] {1.0058f, -0.9686f}, false, null)
 *     // "tensor([[ 1.0058, -0.9686]])"
 * }</pre>
 */
final class TensorFormatter {

    static final int PRECISION = 4;
    static final int THRESHOLD = 1000;
    static final int EDGE_ITEMS = 3;
    static final int LINE_WIDTH = 80;

    private static final String PREFIX = "tensor(";

    private TensorFormatter() {
    }

    /**
     * @param dtype        element type
     * @param shape        sizes, row-major; length 0 = a 0-dim (scalar) tensor
     * @param data         contiguous row-major values: float[] for FLOAT32, double[] for FLOAT64,
     *                     long[] for INT64, boolean[] for BOOL
     * @param requiresGrad leaf that requires grad → suffix ", requires_grad=True"
     *                     (only when gradFnName is null)
     * @param gradFnName   e.g. "SumBackward0" → suffix ", grad_fn=<SumBackward0>"; null when none
     */
    static String repr(DType dtype, long[] shape, Object data, boolean requiresGrad, String gradFnName) {
        int indent = PREFIX.length();
        List<String> suffixes = new ArrayList<>();
        String body;
        if (numel(shape) == 0) {
            // Like NumPy, the shape is shown unless it is (0,); with no values to infer it from,
            // every non-default dtype is shown (int64 and bool included).
            if (shape.length != 1) {
                suffixes.add("size=" + tupleRepr(shape));
            }
            if (dtype != DType.FLOAT32) {
                suffixes.add("dtype=" + dtype.torchName());
            }
            body = "[]";
        } else {
            // float32 is the default dtype; int64 and bool are evident from how the values print.
            if (dtype != DType.FLOAT32 && dtype != DType.INT64 && dtype != DType.BOOL) {
                suffixes.add("dtype=" + dtype.torchName());
            }
            body = new Printer(dtype, shape, data).tensorStr(0, 0, indent);
        }
        if (gradFnName != null) {
            suffixes.add("grad_fn=<" + gradFnName + ">");
        } else if (requiresGrad) {
            suffixes.add("requires_grad=True");
        }
        return addSuffixes(PREFIX + body, suffixes, indent);
    }

    /** {@code repr(torch.Size)}, e.g. {@code "torch.Size([8, 8])"}, {@code "torch.Size([])"}. */
    static String sizeRepr(long[] shape) {
        StringJoiner joiner = new StringJoiner(", ", "torch.Size([", "])");
        for (long size : shape) {
            joiner.add(Long.toString(size));
        }
        return joiner.toString();
    }

    /** Python's {@code str(tuple)}: {@code ()}, {@code (0,)}, {@code (0, 3)}. */
    static String tupleRepr(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringJoiner joiner = new StringJoiner(", ", "(", ")");
        for (long size : shape) {
            joiner.add(Long.toString(size));
        }
        return joiner.toString();
    }

    /** Python's {@code '{:.<decimals>f}'.format(v)}. */
    static String formatFixed(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return nonFinite(v);
        }
        return withSign(v, new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString());
    }

    /** Python's {@code '{:.<precision>e}'.format(v)}: mantissa digits, then a signed exponent of at least two digits. */
    static String formatSci(double v, int precision) {
        if (!Double.isFinite(v)) {
            return nonFinite(v);
        }
        BigDecimal mantissa;
        int exponent;
        if (v == 0) {
            mantissa = BigDecimal.ZERO.setScale(precision);
            exponent = 0;
        } else {
            BigDecimal rounded = new BigDecimal(Math.abs(v))
                    .round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
            // Rounding may carry into a new digit (9.99999 -> 10.000), so take the exponent afterwards.
            exponent = rounded.precision() - rounded.scale() - 1;
            mantissa = rounded.movePointLeft(exponent).setScale(precision);
        }
        int absExponent = Math.abs(exponent);
        String text = mantissa.toPlainString() + (exponent < 0 ? "e-" : "e+")
                + (absExponent < 10 ? "0" : "") + absExponent;
        return withSign(v, text);
    }

    private static String nonFinite(double v) {
        return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    }

    /** BigDecimal has no negative zero; Python keeps the sign of -0.0 and of negatives that round to zero. */
    private static String withSign(double v, String text) {
        return Math.copySign(1.0, v) < 0 && !text.startsWith("-") ? "-" + text : text;
    }

    /** {@code _add_suffixes}, including its line-length arithmetic (which counts two extra characters). */
    private static String addSuffixes(String tensorStr, List<String> suffixes, int indent) {
        StringBuilder out = new StringBuilder(tensorStr);
        int lastLineLen = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLen + suffix.length() + 2 > LINE_WIDTH) {
                out.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLen = indent + suffix.length();
            } else {
                out.append(", ").append(suffix);
                lastLineLen += suffix.length() + 2;
            }
        }
        return out.append(')').toString();
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long size : shape) {
            if (size < 0) {
                throw new IllegalArgumentException("negative size in shape: " + size);
            }
            n *= size;
        }
        return n;
    }

    /** Walks one non-empty tensor; {@code _tensor_str} and the helpers it calls. */
    private static final class Printer {
        private final long[] shape;
        private final int[] strides;
        private final double[] floats;
        private final long[] longs;
        private final boolean[] bools;
        private final boolean summarize;
        private final Formatter formatter;

        Printer(DType dtype, long[] shape, Object data) {
            this.shape = shape;
            this.strides = new int[shape.length];
            long numel = numel(shape);
            int stride = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                strides[d] = stride;
                stride *= (int) shape[d];
            }
            double[] f = null;
            long[] l = null;
            boolean[] b = null;
            int length;
            if (dtype == DType.FLOAT32 && data instanceof float[]) {
                float[] src = (float[]) data;
                // PyTorch formats float32 values as Python floats: the exact float -> double widening.
                f = new double[src.length];
                for (int i = 0; i < src.length; i++) {
                    f[i] = src[i];
                }
                length = src.length;
            } else if (dtype == DType.FLOAT64 && data instanceof double[]) {
                f = (double[]) data;
                length = f.length;
            } else if (dtype == DType.INT64 && data instanceof long[]) {
                l = (long[]) data;
                length = l.length;
            } else if (dtype == DType.BOOL && data instanceof boolean[]) {
                b = (boolean[]) data;
                length = b.length;
            } else {
                throw new IllegalArgumentException("data of type "
                        + (data == null ? "null" : data.getClass().getSimpleName()) + " does not match " + dtype);
            }
            if (length != numel) {
                throw new IllegalArgumentException("data has " + length + " elements, shape needs " + numel);
            }
            this.floats = f;
            this.longs = l;
            this.bools = b;
            this.summarize = numel > THRESHOLD;
            this.formatter = new Formatter();
        }

        /** Does the dimension at {@code size} print only its edges around "..."? */
        private boolean elides(long size) {
            return summarize && size > 2 * EDGE_ITEMS;
        }

        /** Visits the flat index of every element that is printed ({@code get_summarized_data}). */
        private void forEachShown(int dim, int offset, IntConsumer action) {
            if (dim == shape.length) {
                action.accept(offset);
                return;
            }
            int n = (int) shape[dim];
            for (int i = 0; i < n; i++) {
                if (elides(n) && i == EDGE_ITEMS) {
                    i = n - EDGE_ITEMS;
                }
                forEachShown(dim + 1, offset + i * strides[dim], action);
            }
        }

        /** {@code _tensor_str_with_formatter} for the sub-tensor starting at {@code dim}, {@code offset}. */
        String tensorStr(int dim, int offset, int indent) {
            int remaining = shape.length - dim;
            if (remaining == 0) {
                return formatter.format(offset);
            }
            if (remaining == 1) {
                return vectorStr(dim, offset, indent);
            }
            int n = (int) shape[dim];
            // Sub-tensors of a k-dim tensor are separated by k-1 newlines: one blank line between 3-D slices.
            StringJoiner slices = new StringJoiner("," + "\n".repeat(remaining - 1) + " ".repeat(indent + 1), "[", "]");
            for (int i = 0; i < n; i++) {
                if (elides(n) && i == EDGE_ITEMS) {
                    slices.add("...");
                    i = n - EDGE_ITEMS;
                }
                slices.add(tensorStr(dim + 1, offset + i * strides[dim], indent + 1));
            }
            return slices.toString();
        }

        /** {@code _vector_str}: as many elements per line as fit in the line width after the indent. */
        private String vectorStr(int dim, int offset, int indent) {
            int n = (int) shape[dim];
            int elementLength = formatter.width() + 2; // ", " after each element
            int perLine = Math.max(1, Math.floorDiv(LINE_WIDTH - indent, elementLength));
            List<String> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (elides(n) && i == EDGE_ITEMS) {
                    items.add(" ..."); // counts as an element when breaking lines
                    i = n - EDGE_ITEMS;
                }
                items.add(formatter.format(offset + i * strides[dim]));
            }
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    out.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
                }
                out.append(items.get(i));
            }
            return out.append(']').toString();
        }

        /** {@code _Formatter}: notation and width shared by every element of the tensor. */
        private final class Formatter {
            private boolean intMode = true;
            private boolean sciMode = false;
            private int maxWidth = 1;

            Formatter() {
                if (floats == null) {
                    forEachShown(0, 0, i -> maxWidth = Math.max(maxWidth, plain(i).length()));
                    return;
                }
                // Notation is decided by the nonzero finite values only; nan, inf and 0 fit any of them.
                double[] minMax = {Double.POSITIVE_INFINITY, 0.0};
                boolean[] anyValue = {false};
                forEachShown(0, 0, i -> {
                    double v = floats[i];
                    if (Double.isFinite(v) && v != 0) {
                        anyValue[0] = true;
                        minMax[0] = Math.min(minMax[0], Math.abs(v));
                        minMax[1] = Math.max(minMax[1], Math.abs(v));
                        if (v != Math.ceil(v)) {
                            intMode = false;
                        }
                    }
                });
                if (!anyValue[0]) {
                    return;
                }
                double min = minMax[0];
                double max = minMax[1];
                // Integer-valued tensors never switch to sci mode for small values, only for wide ranges.
                sciMode = max / min > 1000.0 || max > 1.0e8 || (!intMode && min < 1.0e-4);
                forEachShown(0, 0, i -> {
                    double v = floats[i];
                    if (Double.isFinite(v) && v != 0) {
                        int width = sciMode ? formatSci(v, PRECISION).length()
                                : intMode ? formatFixed(v, 0).length() + 1
                                : formatFixed(v, PRECISION).length();
                        maxWidth = Math.max(maxWidth, width);
                    }
                });
            }

            int width() {
                return maxWidth;
            }

            /** The element at flat index {@code i}, right-aligned to the common width. */
            String format(int i) {
                String text;
                if (floats == null) {
                    text = plain(i);
                } else {
                    double v = floats[i];
                    if (sciMode) {
                        text = formatSci(v, PRECISION);
                    } else if (intMode) {
                        // The trailing '.' marks a float tensor; nan and inf need no marker.
                        text = Double.isFinite(v) ? formatFixed(v, 0) + "." : nonFinite(v);
                    } else {
                        text = formatFixed(v, PRECISION);
                    }
                }
                return text.length() >= maxWidth ? text : " ".repeat(maxWidth - text.length()) + text;
            }

            /** Python's {@code str()} of an int64 or bool element. */
            private String plain(int i) {
                return longs != null ? Long.toString(longs[i]) : bools[i] ? "True" : "False";
            }
        }
    }
}
