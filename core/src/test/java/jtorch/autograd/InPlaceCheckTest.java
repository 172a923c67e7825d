package jtorch.autograd;

import static jtorch.Torch.noGrad;
import static jtorch.Torch.ones;
import static jtorch.Torch.slice;
import static jtorch.Torch.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import jtorch.Tensor;

/**
 * PyTorch 1.13's {@code check_inplace}, case by case (each outcome observed with torch 1.13: the
 * comment above each case is the Python that was run).
 */
class InPlaceCheckTest {
    static final String VIEW_OF_LEAF = "a view of a leaf Variable that requires grad is being used in an in-place operation.";
    static final String LEAF = "a leaf Variable that requires grad is being used in an in-place operation.";
    static final String NO_GRAD_VIEW = "A view was created in no_grad mode and is being modified inplace with grad mode "
            + "enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by "
            + "moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be "
            + "tracked) or both outside (if you want the inplace to be tracked).";

    private static void refused(String message, Executable op) {
        assertEquals(message, assertThrows(IllegalStateException.class, op).getMessage());
    }

    @Test
    void viewThatRequiresGradOfALeafThatDoesNot() {
        // torch.zeros(6).view(2, 3).requires_grad_().add_(1)
        refused(VIEW_OF_LEAF, () -> zeros(6).view(2, 3).requiresGrad_().add_(1.0));
        // y = torch.zeros(2, 3); y.t().requires_grad_().t().add_(1)
        refused(VIEW_OF_LEAF, () -> zeros(2, 3).t().requiresGrad_().t().add_(1.0));
        // torch.zeros(3).requires_grad_().detach()[0:2].requires_grad_().mul_(2)
        refused(VIEW_OF_LEAF, () -> zeros(3).requiresGrad_().detach().index(slice(0L, 2L)).requiresGrad_().mul_(2.0));
    }

    @Test
    void viewOfALeafThatRequiresGrad() {
        // x = torch.zeros(3, requires_grad=True); x[0].add_(1)
        refused(VIEW_OF_LEAF, () -> zeros(3).requiresGrad_().index(0).add_(1.0));
    }

    @Test
    void leafThatRequiresGrad() {
        // torch.zeros(3, requires_grad=True).add_(1)
        refused(LEAF, () -> zeros(3).requiresGrad_().add_(1.0));
    }

    @Test
    void viewMadeUnderNoGradWrittenUnderGrad() {
        // x = torch.zeros(3, requires_grad=True); with torch.no_grad(): v = x[0:2]; v.add_(1)
        Tensor x = zeros(3).requiresGrad_();
        Tensor v;
        try (var g = noGrad()) { v = x.index(slice(0L, 2L)); }
        refused(NO_GRAD_VIEW, () -> v.add_(1.0));
        // y = torch.zeros(3); with torch.no_grad(): u = y[0:2]; u.copy_(torch.ones(2, requires_grad=True))
        Tensor y = zeros(3);
        Tensor u;
        try (var g = noGrad()) { u = y.index(slice(0L, 2L)); }
        refused(NO_GRAD_VIEW, () -> u.copy_(ones(2).requiresGrad_()));
        // with torch.no_grad(): v.add_(1)   -- allowed: both inside no_grad
        try (var g = noGrad()) { v.add_(1.0); }
        assertEquals("tensor([1., 1., 0.], requires_grad=True)", x.toString());
        // u.add_(1) with nothing requiring grad: allowed
        u.add_(1.0);
        assertEquals("tensor([1., 1., 0.])", y.toString());
    }

    @Test
    void allowedWrites() {
        // y = torch.zeros(3); y[0:2].copy_(torch.ones(2, requires_grad=True))
        Tensor y = zeros(3);
        y.index(slice(0L, 2L)).copy_(ones(2).requiresGrad_());
        assertEquals("CopySlices", y.gradFn().name());
        // x = torch.zeros(3, requires_grad=True); y = x * 2; y[0].add_(1)
        Tensor z = zeros(3).requiresGrad_().mul(2.0);
        z.index(0).add_(1.0);
        assertEquals("CopySlices", z.gradFn().name());
        // under no_grad a leaf that requires grad may be written (the optimizer's step)
        Tensor w = zeros(3).requiresGrad_();
        try (var g = noGrad()) { w.add_(1.0); }
    }
}
