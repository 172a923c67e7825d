package jtorch.nn;

import static jtorch.Torch.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.utils.hooks.RemovableHandle;

/** Module forward, forward-pre and full backward hooks, and tensor hooks, as PyTorch 1.13 runs them (observed outputs in comments). */
class ModuleHooksTest {

    @Test
    void forwardPreAndForwardHooksReplaceInputAndOutput() {
        // seq = Sequential(ReLU()); seq[0].register_forward_pre_hook(lambda m, inp: inp[0] * 2)
        // seq(tensor([1., -1.])) -> tensor([2., 0.]); with a forward hook out + 1 (seeing input (tensor([2., -2.]),)): [3., 1.]
        Sequential seq = new Sequential(new ReLU());
        Module relu = seq.children().get(0);
        RemovableHandle pre = relu.registerForwardPreHook((m, x) -> x.mul(2.0));
        assertEquals("tensor([2., 0.])", seq.call(tensor(new float[] {1, -1})).toString());
        List<String> seen = new ArrayList<>();
        RemovableHandle post = relu.registerForwardHook((m, in, out) -> {
            seen.add(in.toString());
            return out.add(1.0);
        });
        assertEquals("tensor([3., 1.])", seq.call(tensor(new float[] {1, -1})).toString());
        assertEquals(List.of("tensor([ 2., -2.])"), seen);
        pre.remove();
        post.remove();
        post.remove(); // removing twice is harmless
        assertEquals("tensor([1., 0.])", seq.call(tensor(new float[] {1, -1})).toString());
        // forward() itself runs no hooks, as in PyTorch
        relu.registerForwardHook((m, in, out) -> out.mul(0.0));
        assertEquals("tensor([1., 0.])", relu.forward(tensor(new float[] {1, -1})).toString());
    }

    @Test
    void hooksThatReturnNullKeepValuesAndRunInOrder() {
        ReLU relu = new ReLU();
        List<Integer> order = new ArrayList<>();
        relu.registerForwardPreHook((m, x) -> { order.add(1); return null; });
        relu.registerForwardPreHook((m, x) -> { order.add(2); return x.add(1.0); });
        relu.registerForwardPreHook((m, x) -> { order.add(3); assertEquals("tensor([0.])", x.toString()); return null; });
        assertEquals("tensor([0.])", relu.call(tensor(new float[] {-1})).toString());
        assertEquals(List.of(1, 2, 3), order);
    }

    private static Linear linear() {
        Linear lin = new Linear(2, 1);
        try (var g = Torch.noGrad()) {
            lin.weight.copy_(tensor(new float[][] {{-1.5f, 0.25f}}));
            lin.bias.fill_(0.5);
        }
        return lin;
    }

    @Test
    void fullBackwardHookSeesGradInputAndGradOutput() {
        // lin(x) with x requiring grad, (y * 3).sum().backward(): hook gets ((3 * W,), (tensor([[3.]]),)), and the
        // output's grad_fn is BackwardHookFunctionBackward.
        Linear lin = linear();
        List<Tensor[][]> calls = new ArrayList<>();
        lin.registerFullBackwardHook((m, gi, go) -> { calls.add(new Tensor[][] {gi, go}); return null; });
        Tensor x = tensor(new float[][] {{1, 2}}).requiresGrad_();
        Tensor y = lin.call(x);
        assertEquals("BackwardHookFunctionBackward", y.gradFn().name());
        y.mul(3.0).sum().backward();
        assertEquals(1, calls.size());
        assertEquals("tensor([[-4.5000,  0.7500]])", calls.get(0)[0][0].toString());
        assertEquals("tensor([[3.]])", calls.get(0)[1][0].toString());
        assertEquals("tensor([[-4.5000,  0.7500]])", x.grad().toString());
    }

    @Test
    void fullBackwardHookReplacesGradInput() {
        // h = lin.register_full_backward_hook(lambda m, gi, go: (gi[0] * 0 + 7,)); lin(x).sum().backward(); x.grad -> [[7., 7.]]
        Linear lin = linear();
        RemovableHandle h = lin.registerFullBackwardHook((m, gi, go) -> new Tensor[] {gi[0].mul(0.0).add(7.0)});
        Tensor x = tensor(new float[][] {{1, 2}}).requiresGrad_();
        lin.call(x).sum().backward();
        assertEquals("tensor([[7., 7.]])", x.grad().toString());
        // the parameters' gradients are not affected by the hook
        assertEquals("tensor([[1., 2.]])", lin.weight.grad().toString());
        h.remove();
        x.setGrad(null);
        lin.call(x).sum().backward();
        assertEquals("tensor([[-1.5000,  0.2500]])", x.grad().toString());
    }

    @Test
    void fullBackwardHookWhenNoInputRequiresGrad() {
        // x without grad: the hook is still called, with grad_input (None,) -> [((None,), (tensor([[1.]]),))]
        Linear lin = linear();
        List<Tensor[][]> calls = new ArrayList<>();
        lin.registerFullBackwardHook((m, gi, go) -> { calls.add(new Tensor[][] {gi, go}); return null; });
        lin.call(tensor(new float[][] {{1, 2}})).sum().backward();
        assertEquals(1, calls.size());
        assertNull(calls.get(0)[0][0]);
        assertEquals("tensor([[1.]])", calls.get(0)[1][0].toString());
    }

    @Test
    void tensorHooksReplaceTheGradientBeforeAccumulation() {
        Tensor x = tensor(new float[] {1, 2}).requiresGrad_();
        List<String> seen = new ArrayList<>();
        RemovableHandle h = x.registerHook(g -> { seen.add(g.toString()); return g.mul(2.0); });
        x.mul(3.0).sum().backward();
        assertEquals(List.of("tensor([3., 3.])"), seen);
        assertEquals("tensor([6., 6.])", x.grad().toString());
        h.remove();
        x.mul(3.0).sum().backward();
        assertEquals("tensor([9., 9.])", x.grad().toString());
        assertTrue(seen.size() == 1);
    }
}
