package jtorch;

/**
 * The element types a {@link Tensor} can hold, with PyTorch's names and promotion order.
 *
 * <pre>{@code
 * Tensor x = Torch.zeros(2, 3).to(DType.FLOAT64);   // torch.zeros(2, 3).to(torch.float64)
 * }</pre>
 */
public enum DType {
    /** {@code torch.bool}: one byte per element, a {@code boolean[]} storage. */
    BOOL("torch.bool", 1, Category.BOOL),
    /** {@code torch.int64} ({@code torch.long}): a {@code long[]} storage. */
    INT64("torch.int64", 8, Category.INTEGRAL),
    /** {@code torch.float32} ({@code torch.float}): a {@code float[]} storage, the default dtype unless changed. */
    FLOAT32("torch.float32", 4, Category.FLOATING),
    /** {@code torch.float64} ({@code torch.double}): a {@code double[]} storage. */
    FLOAT64("torch.float64", 8, Category.FLOATING);

    /** Kind of number, ordered as PyTorch's type promotion orders them. */
    public enum Category { BOOL, INTEGRAL, FLOATING }

    private final String torchName;
    private final int itemSize;
    private final Category category;

    DType(String torchName, int itemSize, Category category) {
        this.torchName = torchName;
        this.itemSize = itemSize;
        this.category = category;
    }

    /** PyTorch's name, e.g. {@code "torch.float32"}. */
    public String torchName() { return torchName; }

    /** ATen's scalar type name used in PyTorch's messages: {@code Float}, {@code Double}, {@code Long}, {@code Bool}. */
    public String scalarTypeName() {
        switch (this) {
            case FLOAT32: return "Float";
            case FLOAT64: return "Double";
            case INT64: return "Long";
            default: return "Bool";
        }
    }

    /** Bytes per element, as {@code tensor.element_size()}. */
    public int itemSize() { return itemSize; }

    /** The kind of number (bool, integral or floating), which orders type promotion. */
    public Category category() { return category; }

    /** {@code dtype.is_floating_point}: true for float32 and float64. */
    public boolean isFloatingPoint() { return category == Category.FLOATING; }

    /** The dtype that holds values of both operands ({@code torch.promote_types}). */
    public static DType promote(DType a, DType b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    @Override public String toString() { return torchName; }
}
