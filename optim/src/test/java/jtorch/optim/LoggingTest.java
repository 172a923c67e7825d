package jtorch.optim;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import jtorch.optim.lr.StepLR;

import static jtorch.Torch.zeros;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The SLF4J output: optimizer construction at debug level, scheduler steps at debug level, and
 * PyTorch's warning about stepping the scheduler before the optimizer. The test binding is
 * slf4j-simple writing to System.err (see simplelogger.properties), captured here.
 */
class LoggingTest {
    private static String capture(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test void constructionIsLoggedAtDebugLevel() {
        String out = capture(() -> new Adam(List.of(zeros(2, 2).requiresGrad_(), zeros(3).requiresGrad_()), Adam.options(1e-3)));
        assertTrue(out.contains("DEBUG jtorch.optim.Optimizer - Adam: 1 param group, 2 tensors (7 elements), lr=0.001, "
                + "betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0, amsgrad=False, maximize=False"), out);
    }

    @Test void schedulerStepsAreLoggedAndAWrongOrderIsWarnedAbout() {
        var opt = new SGD(List.of(zeros(1).requiresGrad_()), 0.1);
        var sched = new StepLR(opt, 1, 0.5);
        String out = capture(sched::step);
        assertTrue(out.contains("WARN jtorch.optim.lr.LRScheduler - Detected call of `lr_scheduler.step()` before `optimizer.step()`."), out);
        assertTrue(out.contains("DEBUG jtorch.optim.lr.LRScheduler - StepLR: epoch 1: adjusting learning rate of group 0 to 5.0000e-02"), out);

        var opt2 = new SGD(List.of(zeros(1).requiresGrad_()), 0.1);
        var sched2 = new StepLR(opt2, 1, 0.5);
        String ok = capture(() -> {
            opt2.step();
            sched2.step();
        });
        assertFalse(ok.contains("WARN"), ok);
    }
}
