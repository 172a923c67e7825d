package jtorch.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import jtorch.utils.data.Dataset;
import jtorch.utils.data.distributed.DistributedSampler;

/** PyTorch 1.13's DistributedSampler indices for the same arguments (fixtures of tools/gen_distributed_fixtures.py). */
class DistributedSamplerTest {
    private static Dataset<Integer> range(int n) {
        return new Dataset<>() {
            @Override public Integer get(int i) { return i; }

            @Override public int size() { return n; }
        };
    }

    @Test
    void indicesArePyTorchs() throws Exception {
        int cases = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                DistributedSamplerTest.class.getResourceAsStream("/jtorch/distributed_sampler.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) continue;
                String[] head = line.substring(0, line.indexOf(':')).split(" ");
                String tail = line.substring(line.indexOf(':') + 1).trim();
                int n = Integer.parseInt(head[0]), replicas = Integer.parseInt(head[1]), rank = Integer.parseInt(head[6]);
                DistributedSampler s = new DistributedSampler(range(n), DistributedSampler.options().numReplicas(replicas).rank(rank)
                        .shuffle(Boolean.parseBoolean(head[2])).seed(Long.parseLong(head[3])).dropLast(Boolean.parseBoolean(head[5])));
                s.setEpoch(Long.parseLong(head[4]));
                List<String> got = new ArrayList<>();
                for (int i : s) got.add(String.valueOf(i));
                assertEquals(tail, String.join(" ", got), line.substring(0, line.indexOf(':')));
                assertEquals(got.size(), s.size());
                cases++;
            }
        }
        assertEquals(44, cases);
    }

    @Test
    void aRankOutsideTheReplicasIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new DistributedSampler(range(4), DistributedSampler.options().numReplicas(2).rank(2)));
        assertEquals("Invalid rank 2, rank should be in the interval [0, 1]", e.getMessage());
    }

    @Test
    void withoutAProcessGroupTheReplicasMustBeGiven() {
        assertThrows(IllegalStateException.class, () -> new DistributedSampler(range(4)));
    }
}
