package io.pssst;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md is compiled against the project and run, with
 * assertions enabled, so the README cannot drift from the API. Each block is a method body;
 * the test supplies the imports below (and those of io.pssst.jca / io.pssst.channel for
 * blocks that use a Cipher or a channel).
 */
class ReadmeExamplesTest {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = String.join("\n",
            "import io.pssst.*;",
            "import java.net.*;",
            "import java.nio.*;",
            "import java.nio.channels.*;",
            "import java.security.*;",
            "import java.security.interfaces.*;",
            "import java.time.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import javax.crypto.*;",
            "import static java.nio.charset.StandardCharsets.UTF_8;", "");

    @TempDir
    Path work;

    @TestFactory
    Stream<DynamicTest> readme_javaBlocks_compileAndRun() throws IOException {
        String readme = Files.readString(Paths.get("README.md"));
        List<String> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertFalse(blocks.isEmpty(), "README.md has no java examples");
        return blocks.stream().map(block -> DynamicTest.dynamicTest(
                "README example " + (blocks.indexOf(block) + 1) + ": " + block.lines().findFirst().orElse(""),
                () -> compileAndRun("ReadmeExample" + (blocks.indexOf(block) + 1), block)));
    }

    private void compileAndRun(String name, String body) throws Exception {
        Path src = work.resolve(name + ".java");
        String imports = IMPORTS
                + (body.contains("Cipher") || body.contains("KeyAgreement") ? "import io.pssst.jca.*;\n" : "")
                + (body.contains("Channel") || body.contains("Selector") ? "import io.pssst.channel.*;\n" : "");
        Files.writeString(src, imports + "public class " + name + " {\n"
                + "  public static void main(String[] args) throws Exception {\n" + body + "\n  }\n}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            boolean ok = javac.getTask(log, files, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", work.toString(), "-proc:none"),
                    null, files.getJavaFileObjects(src)).call();
            assertTrue(ok, () -> name + " does not compile:\n" + diagnostics.getDiagnostics() + log);
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {work.toUri().toURL()}, getClass().getClassLoader())) {
            loader.setDefaultAssertionStatus(true);
            Method main = loader.loadClass(name).getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
        }
    }
}
