package io.pssst.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class whose tests are generated from the shared data ({@code ../shared}, or
 * the {@code pssst.shared} system property). Where that folder is absent the whole class is
 * reported as skipped with a reason naming the property — parameterized tests whose sources
 * cannot load would otherwise vanish without a trace — and one line on standard error says
 * so once per run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresSharedData.Condition.class)
public @interface RequiresSharedData {

    /** Disables the annotated class when the shared folder is absent. */
    final class Condition implements ExecutionCondition {
        private static final AtomicBoolean WARNED = new AtomicBoolean();

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Path root = SharedData.location();
            if (Files.isDirectory(root)) {
                return ConditionEvaluationResult.enabled("shared test data at " + root);
            }
            String reason = "shared test data not found at " + root.toAbsolutePath() + "; set -D"
                    + SharedData.PROPERTY + "=<path to the shared folder> to run these tests";
            if (WARNED.compareAndSet(false, true)) {
                System.err.println("[pssst tests] SKIPPING the interop-vector and Wycheproof tests: " + reason);
            }
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
