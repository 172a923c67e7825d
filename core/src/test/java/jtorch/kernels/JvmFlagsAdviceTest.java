package jtorch.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one start-up warning about JVM flags ({@link Kernels#vectorAdvice}), per JDK feature version:
 * it names the exact flag and its cost, and never a flag the running JDK would refuse
 * ({@code jdk.incubator.foreign} is gone from JDK 20 on, so JDK 25 would not start with it).
 */
class JvmFlagsAdviceTest {
    private static final String FLAG = "--add-modules jdk.incubator.vector";

    @Test
    void noAdviceWhenTheVectorModuleIsThere() {
        for (int feature : new int[] {17, 21, 22, 25})
            for (boolean nativeGemm : new boolean[] {true, false}) assertNull(Kernels.vectorAdvice(feature, true, nativeGemm));
    }

    @Test
    void jdk17NamesTheVectorFlagAndNotTheForeignOne() {
        String advice = Kernels.vectorAdvice(17, false, true);
        assertTrue(advice.startsWith("jtorch: the Vector API is not enabled"), advice);
        assertTrue(advice.contains("Add " + FLAG + " to the java command"), advice);
        assertTrue(advice.contains("elementwise"), advice);
        assertFalse(advice.contains("GEMM"), "GEMM runs on OpenBLAS here: " + advice);
        assertFalse(advice.contains("foreign"), advice);
    }

    @Test
    void jdk25NamesTheVectorFlagAndNotTheForeignOne() {
        String advice = Kernels.vectorAdvice(25, false, false);
        assertTrue(advice.contains("Add " + FLAG + " to the java command (JDK 25"), advice);
        assertTrue(advice.contains("GEMM and the elementwise"), "without a native BLAS GEMM is plain Java too: " + advice);
        assertFalse(advice.contains("foreign"), advice);
    }

    @Test
    void everyJdkFrom16OnGetsTheVectorFlagOnly() {
        for (int feature = 16; feature <= 30; feature++)
            for (boolean nativeGemm : new boolean[] {true, false}) {
                String advice = Kernels.vectorAdvice(feature, false, nativeGemm);
                assertTrue(advice.contains(FLAG), feature + ": " + advice);
                assertFalse(advice.contains("foreign") || advice.contains("--enable-preview"), feature + ": " + advice);
                assertTrue(advice.contains("slower"), "the cost is said: " + advice);
            }
    }

    @Test
    void aJdkWithoutTheVectorApiIsToldWhichJdkHasIt() {
        String advice = Kernels.vectorAdvice(15, false, true);
        assertTrue(advice.contains("JDK 17 or later with " + FLAG), advice);
        assertFalse(advice.contains("Add " + FLAG + " to the java command"), advice);
    }
}
