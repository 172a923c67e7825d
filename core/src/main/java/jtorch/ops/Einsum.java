package jtorch.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.einsum(equation, operands...)} as a composition of differentiable ops: repeated
 * subscripts in one operand become a diagonal (product with an identity mask, summed), subscripts
 * needed nowhere else are summed out, and operands are contracted left to right with
 * {@code permute}/{@code reshape}/{@code bmm}, as PyTorch's {@code sumproduct_pair} does. Ellipsis
 * dims broadcast (aligned from the right); the implicit output ({@code "ij,jk"}) is the ellipsis
 * dims followed by the subscripts that appear once, upper case before lower case.
 */
public final class Einsum {
    private Einsum() {}

    private static final int ELLIPSIS_BASE = 52;

    private static int label(char c, String eq) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        throw new IllegalArgumentException("einsum(): invalid subscript given at index " + eq.indexOf(c)
                + " in the equation string, subscripts must be in [a-zA-Z]");
    }

    /** Labels of one term; ellipsis marked by -1 (once). */
    private static List<Integer> parseTerm(String term, String eq) {
        List<Integer> r = new ArrayList<>();
        boolean ell = false;
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (c == '.') {
                if (ell || !term.startsWith("...", i))
                    throw new IllegalArgumentException("einsum(): found '.' for operand that is not part of any ellipsis");
                ell = true;
                r.add(-1);
                i += 2;
            } else r.add(label(c, eq));
        }
        return r;
    }

    public static Tensor einsum(String equation, Tensor... operands) {
        Args.notNull("einsum", "equation", equation);
        Args.notNull("einsum", "operands", operands);
        for (int i = 0; i < operands.length; i++) Args.notNull("einsum", "operands[" + i + "]", operands[i]);
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String[] terms = lhs.split(",", -1);
        if (operands.length == 0) throw new IllegalArgumentException("einsum(): must provide at least one operand");
        if (terms.length > operands.length) throw new IllegalArgumentException("einsum(): fewer operands were provided than specified in the equation");
        if (terms.length < operands.length) throw new IllegalArgumentException("einsum(): more operands were provided than specified in the equation");

        // Labels per operand, ellipsis expanded to labels ELLIPSIS_BASE + k (right-aligned across operands).
        int ellRank = 0;
        List<List<Integer>> raw = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            List<Integer> t = parseTerm(terms[i], eq);
            raw.add(t);
            int letters = t.contains(-1) ? t.size() - 1 : t.size();
            if (t.contains(-1) ? operands[i].dim() < letters : operands[i].dim() != letters)
                throw new IllegalArgumentException("einsum(): the number of subscripts in the equation (" + letters
                        + ") " + (t.contains(-1) ? "is more than the number of dimensions (" : "does not match the number of dimensions (")
                        + operands[i].dim() + ") for operand " + i + (t.contains(-1) ? "" : " and no ellipsis was given"));
            if (t.contains(-1)) ellRank = Math.max(ellRank, operands[i].dim() - letters);
        }
        List<int[]> labels = new ArrayList<>();
        boolean anyEllipsis = false;
        for (int i = 0; i < terms.length; i++) {
            List<Integer> t = raw.get(i);
            int e = t.contains(-1) ? operands[i].dim() - (t.size() - 1) : 0;
            anyEllipsis |= t.contains(-1);
            int[] l = new int[operands[i].dim()];
            int j = 0;
            for (int x : t) {
                if (x == -1) for (int k = 0; k < e; k++) l[j++] = ELLIPSIS_BASE + ellRank - e + k;
                else l[j++] = x;
            }
            labels.add(l);
        }
        int[] counts = new int[ELLIPSIS_BASE + ellRank];
        for (int[] l : labels) for (int x : l) counts[x]++;

        int[] out;
        if (arrow >= 0) {
            List<Integer> t = parseTerm(eq.substring(arrow + 2), eq);
            List<Integer> o = new ArrayList<>();
            boolean[] seen = new boolean[counts.length];
            for (int x : t) {
                if (x == -1) { for (int k = 0; k < ellRank; k++) o.add(ELLIPSIS_BASE + k); continue; }
                if (seen[x]) throw new IllegalArgumentException("einsum(): output subscript " + subscript(x) + " appears more than once in the output");
                if (counts[x] == 0) throw new IllegalArgumentException("einsum(): output subscript " + subscript(x) + " does not appear in the equation for any input operand");
                seen[x] = true;
                o.add(x);
            }
            out = o.stream().mapToInt(Integer::intValue).toArray();
        } else {
            List<Integer> o = new ArrayList<>();
            for (int k = 0; k < ellRank; k++) o.add(ELLIPSIS_BASE + k);
            for (int x = 0; x < ELLIPSIS_BASE; x++) if (counts[x] == 1) o.add(x);
            out = o.stream().mapToInt(Integer::intValue).toArray();
        }

        // Sizes per label (1 broadcasts).
        long[] size = new long[counts.length];
        Arrays.fill(size, 1);
        for (int i = 0; i < operands.length; i++) {
            int[] l = labels.get(i);
            for (int d = 0; d < l.length; d++) {
                long s = operands[i].size(d);
                if (size[l[d]] == 1) size[l[d]] = s;
                else if (s != 1 && s != size[l[d]])
                    throw new IllegalArgumentException("einsum(): operands do not broadcast with remapped shapes (original->remapped): "
                            + "subscript " + subscript(l[d]) + " has size " + size[l[d]] + " and size " + s);
            }
        }

        List<Tensor> ts = new ArrayList<>();
        List<int[]> ls = new ArrayList<>();
        for (int i = 0; i < operands.length; i++) {
            Tensor x = operands[i];
            int[] l = labels.get(i);
            // Repeated subscripts: take the diagonal, one repeat at a time.
            for (boolean again = true; again; ) {
                again = false;
                search:
                for (int p = 0; p < l.length; p++)
                    for (int q = p + 1; q < l.length; q++)
                        if (l[p] == l[q]) {
                            x = diagonalOf(x, p, q);
                            int[] nl = new int[l.length - 1];
                            for (int d = 0, j = 0; d < l.length; d++) if (d != q) nl[j++] = l[d];
                            l = nl;
                            again = true;
                            break search;
                        }
            }
            ts.add(x);
            ls.add(l);
        }
        boolean[] inOut = new boolean[counts.length];
        for (int x : out) inOut[x] = true;

        Tensor cur = sumOut(ts.get(0), ls.get(0), keepMask(ls, 1, inOut, counts.length));
        int[] curL = remaining(ls.get(0), keepMask(ls, 1, inOut, counts.length));
        for (int i = 1; i < ts.size(); i++) {
            boolean[] keepAfter = keepMask(ls, i + 1, inOut, counts.length);
            boolean[] inB = new boolean[counts.length], inA = new boolean[counts.length];
            for (int x : ls.get(i)) inB[x] = true;
            for (int x : curL) inA[x] = true;
            boolean[] keepA = keepAfter.clone(), keepB = keepAfter.clone();
            for (int x = 0; x < counts.length; x++) { keepA[x] |= inB[x]; keepB[x] |= inA[x]; }
            Tensor a = sumOut(cur, curL, keepA);
            int[] la = remaining(curL, keepA);
            Tensor b = sumOut(ts.get(i), ls.get(i), keepB);
            int[] lb = remaining(ls.get(i), keepB);
            List<Integer> batch = new ArrayList<>(), contract = new ArrayList<>(), aOnly = new ArrayList<>(), bOnly = new ArrayList<>();
            boolean[] inLb = new boolean[counts.length], inLa = new boolean[counts.length];
            for (int x : lb) inLb[x] = true;
            for (int x : la) inLa[x] = true;
            for (int x : la) {
                if (inLb[x]) (keepAfter[x] ? batch : contract).add(x);
                else aOnly.add(x);
            }
            for (int x : lb) if (!inLa[x]) bOnly.add(x);
            cur = contractPair(a, la, b, lb, batch, contract, aOnly, bOnly, size);
            List<Integer> nl = new ArrayList<>(batch);
            nl.addAll(aOnly);
            nl.addAll(bOnly);
            curL = nl.stream().mapToInt(Integer::intValue).toArray();
        }
        cur = sumOut(cur, curL, inOut);
        curL = remaining(curL, inOut);
        // Permute to the output order, expanding labels that only broadcast here.
        int[] perm = new int[out.length];
        for (int k = 0; k < out.length; k++) {
            perm[k] = -1;
            for (int d = 0; d < curL.length; d++) if (curL[d] == out[k]) perm[k] = d;
        }
        Tensor r = curL.length == 0 && out.length == 0 ? cur : cur.permute(perm);
        long[] target = new long[out.length];
        boolean expand = false;
        for (int k = 0; k < out.length; k++) { target[k] = size[out[k]]; expand |= r.size(k) != target[k]; }
        return expand ? r.expand(target) : r;
    }

    private static String subscript(int x) {
        return x < 26 ? String.valueOf((char) ('A' + x)) : x < ELLIPSIS_BASE ? String.valueOf((char) ('a' + x - 26)) : "...";
    }

    /** Labels needed after operand {@code from - 1}: in the output or in operands {@code from..}. */
    private static boolean[] keepMask(List<int[]> ls, int from, boolean[] inOut, int n) {
        boolean[] k = inOut.clone();
        for (int i = from; i < ls.size(); i++) for (int x : ls.get(i)) k[x] = true;
        return k;
    }

    private static Tensor sumOut(Tensor x, int[] l, boolean[] keep) {
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < l.length; d++) if (!keep[l[d]]) dims.add(d);
        if (dims.isEmpty()) return x;
        return x.sum(dims.stream().mapToInt(Integer::intValue).toArray(), false);
    }

    private static int[] remaining(int[] l, boolean[] keep) {
        return Arrays.stream(l).filter(x -> keep[x]).toArray();
    }

    /** The diagonal over dims p &lt; q, kept at p (q removed): {@code (x * I).sum(q)}. */
    private static Tensor diagonalOf(Tensor x, int p, int q) {
        long n = x.size(p);
        if (x.size(q) != n)
            throw new IllegalArgumentException("einsum(): subscript repeated in an operand for dims of different sizes (" + n + " and " + x.size(q) + ")");
        long[] shape = new long[x.dim()];
        Arrays.fill(shape, 1);
        shape[p] = n;
        shape[q] = n;
        Tensor eye = Torch.eye(n).to(x.dtype()).reshape(shape);
        return x.mul(eye).sum(new int[] {q}, false);
    }

    private static int indexOf(int[] l, int x) {
        for (int d = 0; d < l.length; d++) if (l[d] == x) return d;
        return -1;
    }

    private static Tensor arrange(Tensor t, int[] l, List<List<Integer>> groups, long[] size) {
        List<Integer> perm = new ArrayList<>();
        for (List<Integer> g : groups) for (int x : g) perm.add(indexOf(l, x));
        Tensor p = t.permute(perm.stream().mapToInt(Integer::intValue).toArray());
        long[] full = new long[perm.size()];
        boolean expand = false;
        int k = 0;
        for (List<Integer> g : groups) for (int x : g) { full[k] = size[x]; expand |= p.size(k) != size[x]; k++; }
        if (expand) p = p.expand(full);
        long[] grouped = new long[groups.size()];
        for (int gi = 0; gi < groups.size(); gi++) {
            long s = 1;
            for (int x : groups.get(gi)) s *= size[x];
            grouped[gi] = s;
        }
        return p.reshape(grouped);
    }

    private static Tensor contractPair(Tensor a, int[] la, Tensor b, int[] lb, List<Integer> batch, List<Integer> contract,
                                       List<Integer> aOnly, List<Integer> bOnly, long[] size) {
        Tensor a3 = arrange(a, la, List.of(batch, aOnly, contract), size);
        Tensor b3 = arrange(b, lb, List.of(batch, contract, bOnly), size);
        if (!a3.dtype().equals(b3.dtype())) {
            jtorch.DType t = Arith.resultType(a3, b3);
            a3 = a3.to(t);
            b3 = b3.to(t);
        }
        Tensor r = contract.isEmpty() ? a3.mul(b3) // no sum: a product, as PyTorch's sumproduct_pair (keeps -0.0)
                : a3.isFloatingPoint() ? a3.bmm(b3)
                : a3.unsqueeze(3).mul(b3.unsqueeze(1)).sum(new int[] {2}, false); // integers: no integer GEMM
        long[] shape = new long[batch.size() + aOnly.size() + bOnly.size()];
        int k = 0;
        for (int x : batch) shape[k++] = size[x];
        for (int x : aOnly) shape[k++] = size[x];
        for (int x : bOnly) shape[k++] = size[x];
        return r.reshape(shape);
    }
}
