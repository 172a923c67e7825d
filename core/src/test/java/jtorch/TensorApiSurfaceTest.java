package jtorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * What a user of {@code jtorch.core} can reach: Tensor's internal operations (allocation without
 * a factory, views without autograd, the geometry arrays, the version counter and producing node)
 * are not public, Tensor has no supertype from an internal package, and the module descriptor
 * exports the internal packages only to jtorch's own modules.
 */
class TensorApiSurfaceTest {
    private static final Set<String> INTERNAL = Set.of("allocate", "wrap", "alias", "sizesInternal", "stridesInternal",
            "storageOffsetInternal", "bumpVersion", "setGradFn", "markWrappedNumber", "isViewMadeWithoutGrad", "strided");

    @Test
    void tensorsInternalOperationsAreNotPublic() {
        Set<String> reachable = new TreeSet<>();
        for (Method m : Tensor.class.getMethods()) if (INTERNAL.contains(m.getName())) reachable.add(m.getName());
        for (Method m : Tensor.class.getDeclaredMethods())
            if (INTERNAL.contains(m.getName()) && (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())))
                reachable.add(m.getName());
        assertEquals(Set.of(), reachable, "internal operations reachable on Tensor");
    }

    @Test
    void tensorHasNoSupertypeFromAnInternalPackage() {
        for (Class<?> c = Tensor.class; c != null; c = c.getSuperclass()) {
            assertTrue(c == Object.class || c.getPackageName().equals("jtorch"), c.getName());
            for (Class<?> i : c.getInterfaces()) assertTrue(!i.getPackageName().startsWith("jtorch.kernels"), i.getName());
        }
    }

    @Test
    void internalPackagesAreExportedOnlyToJtorchsModules() {
        ModuleDescriptor core = ModuleFinder.of(Path.of("target", "classes")).find("jtorch.core").orElseThrow().descriptor();
        Map<String, Set<String>> qualified = core.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
        assertEquals(Map.of("jtorch.ops", Set.of("jtorch.nn"), "jtorch.kernels", Set.of("jtorch.nn"), "jtorch.internal", Set.of("jtorch.nn")),
                qualified);
        Set<String> open = core.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Arrays.asList("jtorch", "jtorch.autograd", "jtorch.datasets", "jtorch.serialization",
                "jtorch.utils.data", "jtorch.utils.hooks")), open);
    }
}
