package io.pssst.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class whose tests check the test data: the interop vectors or Wycheproof files
 * (see {@link SharedData}; the name is from when that data lived only in {@code ../shared}).
 * The data is in the repository, so such a class always runs; when it is done, one line per
 * family on standard output says how many vectors its passing tests checked
 * ({@link VectorTally}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(VectorTally.class)
public @interface RequiresSharedData {
}
