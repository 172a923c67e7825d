package jtorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Tensor#alias} and {@link Tensor#overStorage} refuse geometries outside the storage (they used to hang or index past it). */
class TensorGeometryTest {
    private final Tensor x = Torch.arange(0.0, 6.0); // 6 floats

    @Test
    void negativeSizesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> x.alias(new int[] {-1, 3}, new int[] {3, 1}, 0));
        assertTrue(e.getMessage().startsWith("alias: negative size or stride in [-1, 3]"), e.getMessage());
    }

    @Test
    void geometriesPastTheStorageAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> x.alias(new int[] {3, 3}, new int[] {3, 1}, 0));
        assertEquals("alias: size [3, 3], stride [3, 1] at offset 0 reaches past a storage of 6 elements", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.alias(new int[] {2}, new int[] {1}, -1));
        assertThrows(IllegalArgumentException.class, () -> x.alias(new int[] {2}, new int[] {1, 1}, 0));
    }

    @Test
    void geometriesInsideTheStorageAndEmptyOnesAreViews() {
        Tensor col = x.alias(new int[] {2}, new int[] {3}, 1);
        assertEquals(4.0, col.toDoubleArray()[1]);
        assertEquals(0, x.alias(new int[] {0, 3}, new int[] {3, 1}, 6).numel());
    }
}
