package io.pssst.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed corpus in the repository is the one {@link SeedCorpus} makes from the interop
 * vectors and keys: a changed vector file or input format cannot leave the fuzz targets
 * replaying stale seeds that no longer reach past the header checks. (Crash reproducers beside
 * the seeds are files of their own names and are not checked here.)
 */
class SeedCorpusTest {
    @Test
    void seeds_inTestResources_areTheGeneratedOnes() throws Exception {
        int checked = 0;
        for (Map.Entry<String, Map<String, byte[]>> dir : SeedCorpus.all().entrySet()) {
            assertTrue(dir.getValue().size() >= 10, dir.getKey() + " has too few seeds");
            for (Map.Entry<String, byte[]> seed : dir.getValue().entrySet()) {
                String name = "/" + dir.getKey() + "/seed-" + seed.getKey();
                try (InputStream in = SeedCorpusTest.class.getResourceAsStream(name)) {
                    assertTrue(in != null, name + " is missing: run SeedCorpus.main from the project root");
                    assertArrayEquals(seed.getValue(), in.readAllBytes(), name + " differs: run SeedCorpus.main");
                }
                checked++;
            }
        }
        assertTrue(checked > 300, "only " + checked + " seeds");
    }
}
