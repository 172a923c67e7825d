package jtorch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The examples' option parsing, against argparse's behaviour and wording. */
class CommandLineTest {
    private static final String[][] DEFAULTS = {{"epochs", "40"}, {"lr", "20"}, {"model", "LSTM"}, {"plot", null}};

    private static CommandLine.Options parse(String... argv) {
        return CommandLine.Options.parse(argv, DEFAULTS, "tied", "dry-run");
    }

    @Test
    void valuesDefaultsAndSwitches() {
        var o = parse("--lr", "0.5", "--tied", "--epochs", "3");
        assertEquals(0.5, o.real("lr"));
        assertEquals(3, o.positive("epochs"));
        assertEquals("LSTM", o.choice("model", "LSTM", "GRU"));
        assertNull(o.get("plot"));
        assertTrue(o.isSet("tied"));
        assertFalse(o.isSet("dry-run"));
        assertEquals(40, parse().integer("epochs"), "the last value given wins, the default otherwise");
        assertEquals(2, parse("--epochs", "1", "--epochs", "2").integer("epochs"));
    }

    @Test
    void mistakesAreWordedAsArgparse() {
        assertEquals("unrecognized arguments: --bogus", assertThrows(IllegalArgumentException.class, () -> parse("--bogus", "1")).getMessage());
        assertEquals("unrecognized arguments: 3", assertThrows(IllegalArgumentException.class, () -> parse("3")).getMessage());
        assertEquals("argument --lr: expected one argument", assertThrows(IllegalArgumentException.class, () -> parse("--lr")).getMessage());
        assertEquals("argument --epochs: invalid int value: 'many'",
                assertThrows(IllegalArgumentException.class, () -> parse("--epochs", "many").integer("epochs")).getMessage());
        assertEquals("argument --epochs: must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> parse("--epochs", "0").positive("epochs")).getMessage());
        assertEquals("argument --lr: invalid float value: 'fast'",
                assertThrows(IllegalArgumentException.class, () -> parse("--lr", "fast").real("lr")).getMessage());
        assertEquals("argument --model: invalid choice: 'CNN' (choose from 'LSTM', 'GRU')",
                assertThrows(IllegalArgumentException.class, () -> parse("--model", "CNN").choice("model", "LSTM", "GRU")).getMessage());
    }
}
