package io.pssst.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of docs/channel.md and docs/selector.md compiles against the
 * channel API, so the documentation cannot drift from it. The blocks are fragments (event
 * loops that never end, servers at {@code server.example}), so they are compiled, not run:
 * each becomes the body of one method whose parameters are the names the prose supplies.
 * {@link DocsBeforeAfterTest} runs the same code on loopback.
 */
class DocsExamplesTest {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final List<String> DOCS = List.of("docs/channel.md", "docs/selector.md");
    /** The names the examples use without declaring them. */
    private static final String FREE_NAMES = "XECPublicKey serverPublicKey, XECPrivateKey serverPrivateKey,"
            + " XECPublicKey aliceKey, XECPublicKey bobKey, ByteBuffer request, PssstDatagramChannel pssstChannel,"
            + " XECPrivateKey newServerKey, XECPrivateKey oldServerKey";

    @TempDir
    Path work;

    @Test
    void docs_javaBlocks_compileAgainstTheChannelApi() throws IOException {
        StringBuilder src = new StringBuilder(String.join("\n",
                "import io.pssst.channel.*;",
                "import java.net.*;",
                "import java.nio.*;",
                "import java.nio.channels.*;",
                "import java.security.interfaces.*;",
                "import java.time.*;",
                "import java.util.*;",
                "import java.util.concurrent.*;",
                "@SuppressWarnings(\"unused\")",
                "class DocsExamples {",
                "  static ByteBuffer handle(ByteBuffer request) { return request; }", ""));
        List<String> names = new ArrayList<>();
        for (String doc : DOCS) {
            String text = Files.readString(Path.of(doc));
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                String name = Path.of(doc).getFileName().toString().replace(".md", "")
                        + "_line" + lineOf(text, m.start());
                names.add(name);
                src.append("  // ").append(doc).append("\n  static void ").append(name).append("(")
                        .append(FREE_NAMES).append(") throws Exception {\n").append(m.group(1)).append("  }\n");
            }
        }
        assertFalse(names.isEmpty(), "no java blocks found");
        src.append("}\n");
        Path file = work.resolve("DocsExamples.java");
        Files.writeString(file, src);

        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, errors, "-proc:none",
                "-classpath", System.getProperty("java.class.path"), "-d", work.toString(), file.toString());
        assertEquals(0, status, () -> "documentation examples " + names + " do not compile:\n"
                + errors.toString(StandardCharsets.UTF_8) + "\n" + src);
    }

    private static int lineOf(String text, int index) {
        return 1 + (int) text.substring(0, index).chars().filter(c -> c == '\n').count();
    }
}
