package jtorch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Python's {@code repr(float)} and C's {@code %g} (what ATen's messages print), as Python 3.11 prints them. */
class PyFormatTest {
    private static final double[] VALUES = {1e-05, 0.1, 1e16, 1e15, 0.1 + 0.2, -0.0, 5e-324, 1.7976931348623157e+308, 123456789.0,
        0.0001, 2.0, 1.5, 1e-7, 1234567.0, 100000.0, 1e6, 0.999999951, -2.5e-5, 123.456};
    private static final String[] REPR = {"1e-05", "0.1", "1e+16", "1000000000000000.0", "0.30000000000000004", "-0.0", "5e-324",
        "1.7976931348623157e+308", "123456789.0", "0.0001", "2.0", "1.5", "1e-07", "1234567.0", "100000.0", "1000000.0",
        "0.999999951", "-2.5e-05", "123.456"};
    private static final String[] PERCENT_G = {"1e-05", "0.1", "1e+16", "1e+15", "0.3", "-0", "4.94066e-324", "1.79769e+308",
        "1.23457e+08", "0.0001", "2", "1.5", "1e-07", "1.23457e+06", "100000", "1e+06", "1", "-2.5e-05", "123.456"};

    @Test void reprIsPythons() {
        for (int i = 0; i < VALUES.length; i++) assertEquals(REPR[i], PyFormat.repr(VALUES[i]), "repr(" + VALUES[i] + ")");
        assertEquals("inf", PyFormat.repr(Double.POSITIVE_INFINITY));
        assertEquals("nan", PyFormat.repr(Double.NaN));
    }

    @Test void cppIsPercentG() {
        for (int i = 0; i < VALUES.length; i++) assertEquals(PERCENT_G[i], PyFormat.cpp(VALUES[i]), "%g of " + VALUES[i]);
    }

    @Test void tuplesAndLists() {
        assertEquals("(10,)", PyFormat.tuple(new long[] {10}));
        assertEquals("(2, 5)", PyFormat.tuple(new long[] {2, 5}));
        assertEquals("()", PyFormat.tuple(new long[0]));
        assertEquals("[2, 5]", PyFormat.list(new long[] {2, 5}));
    }
}
