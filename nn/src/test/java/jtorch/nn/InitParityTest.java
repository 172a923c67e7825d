package jtorch.nn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static jtorch.Torch.manualSeed;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Default initialisation bit for bit: the modules of RNG_SPEC §9 (and LeNet's), built one after
 * another after {@code manualSeed(seed)}, hold exactly the weights PyTorch 1.13 gives them
 * (fixtures from tools/gen_init_fixtures.py, every element).
 */
class InitParityTest {
    private static final Map<String, Supplier<Module>> MODULES = new LinkedHashMap<>();

    static {
        MODULES.put("Conv2d(1,1,(1,2))", () -> new Conv2d(Conv2d.options(1, 1, 1, 2)));
        MODULES.put("Conv2d(3,8,3)", () -> new Conv2d(3, 8, 3));
        MODULES.put("Conv2d(16,32,3,groups=4)", () -> new Conv2d(Conv2d.options(16, 32, 3).groups(4)));
        MODULES.put("Conv2d(1,6,5,padding=2)", () -> new Conv2d(Conv2d.options(1, 6, 5).padding(2)));
        MODULES.put("Conv2d(6,16,5)", () -> new Conv2d(6, 16, 5));
        MODULES.put("Linear(400,120)", () -> new Linear(400, 120));
        MODULES.put("Linear(120,84)", () -> new Linear(120, 84));
        MODULES.put("Linear(84,10)", () -> new Linear(84, 10));
        MODULES.put("Conv1d(4,6,3)", () -> new Conv1d(4, 6, 3));
        MODULES.put("Linear(7,3,bias=False)", () -> new Linear(7, 3, false));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void modulesBuiltInSequenceMatchPyTorchBitForBit(long seed) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (var in = getClass().getResourceAsStream("/jtorch/nn/init_fixtures.txt");
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; )
                if (!line.startsWith("#") && line.startsWith(seed + "\t")) rows.add(line.split("\t"));
        }
        manualSeed(seed);
        Map<String, Module> built = new LinkedHashMap<>();
        for (var e : MODULES.entrySet()) built.put(e.getKey(), e.getValue().get());
        assertEquals(19, rows.size(), "fixture rows for seed " + seed);
        for (String[] row : rows) {
            Module m = built.get(row[1]);
            assertNotNull(m, "no Java module for " + row[1]);
            float[] actual = m.namedParameters().get(row[2]).toFloatArray();
            String[] expected = row[3].split(" ");
            assertEquals(expected.length, actual.length, row[1] + "." + row[2]);
            for (int i = 0; i < actual.length; i++)
                assertEquals(Integer.parseUnsignedInt(expected[i], 16), Float.floatToRawIntBits(actual[i]),
                        row[1] + "." + row[2] + "[" + i + "]");
        }
    }
}
