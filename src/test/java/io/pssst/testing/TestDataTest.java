package io.pssst.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pssst.internal.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundled test data is what its README says: every file listed in the folder's
 * {@code SHA256SUMS} is there with that hash (a local edit or a truncated copy shows here),
 * the folder holds its licence, and where {@code ../shared} is present its copy is the same.
 */
class TestDataTest {

    @ParameterizedTest
    @ValueSource(strings = {"third_party/wycheproof/", "vectors/"})
    void bundledFiles_matchTheirRecordedHashes(String folder) throws Exception {
        Map<String, String> sums = sums(folder);
        assertFalse(sums.isEmpty(), folder + "SHA256SUMS lists no file");
        for (Map.Entry<String, String> e : sums.entrySet()) {
            assertEquals(e.getValue(), Bytes.hex(sha256(resource(folder + e.getKey()))), folder + e.getKey());
        }
        for (String notice : List.of("LICENSE", "README.md")) {
            assertTrue(resource(folder + notice).length > 0, folder + notice);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wycheproof/", "vectors/"})
    void bundledFiles_sameAsTheSharedFolder_whereItIsPresent(String sharedFolder) throws Exception {
        Path dir = SharedData.location().resolve(sharedFolder);
        assumeTrue(Files.isDirectory(dir), () -> dir.toAbsolutePath() + " absent: nothing to compare the bundled data with");
        String resourceFolder = SharedData.resourceName(sharedFolder);
        for (String file : sums(resourceFolder).keySet()) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(file)), resource(resourceFolder + file),
                    resourceFolder + file + " differs from " + dir.resolve(file) + ": update the bundled copy and its SHA256SUMS");
        }
    }

    /** The {@code sha256sum} lines of a folder's {@code SHA256SUMS}: file to hex hash. */
    private static Map<String, String> sums(String folder) throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : new String(resource(folder + "SHA256SUMS"), StandardCharsets.US_ASCII).split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.split(" [ *]", 2);
                assertEquals(2, parts.length, "SHA256SUMS line: " + line);
                sums.put(parts[1], parts[0]);
            }
        }
        return sums;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TestDataTest.class.getResourceAsStream("/" + name)) {
            assertTrue(in != null, "test resource " + name + " missing");
            return in.readAllBytes();
        }
    }

    private static byte[] sha256(byte[] data) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
