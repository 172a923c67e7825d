package jtorch.nn;

/**
 * A module argument that PyTorch accepts as an int or a pair, remembered as given so the module's
 * repr prints it back the same way ({@code 2} or {@code (2, 3)}).
 */
final class IntPair {
    final int[] values;
    private final boolean scalar;

    private IntPair(int[] values, boolean scalar) {
        this.values = values;
        this.scalar = scalar;
    }

    static IntPair of(int v) { return new IntPair(new int[] {v, v}, true); }

    static IntPair of(int a, int b) { return new IntPair(new int[] {a, b}, false); }

    @Override public String toString() { return scalar ? Integer.toString(values[0]) : "(" + values[0] + ", " + values[1] + ")"; }
}
