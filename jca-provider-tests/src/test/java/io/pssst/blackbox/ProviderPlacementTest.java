package io.pssst.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The provider jar from the module path and from the class path, installed each of the
 * three ways, on the JDK running the build: the full transaction succeeds.
 */
class ProviderPlacementTest {

    enum Placement {
        MODULE_PATH("io.pssst"),
        CLASS_PATH("unnamed");

        /** The module the provider class must come from. */
        final String providerModule;

        Placement(String providerModule) {
            this.providerModule = providerModule;
        }

        List<String> options() {
            String path = Fixture.pssstJar() + File.pathSeparator + Fixture.app();
            return this == MODULE_PATH
                    ? List.of("-p", path, "-m", Fixture.MAIN_MODULE)
                    : List.of("-cp", path, Fixture.MAIN_CLASS);
        }
    }

    static Stream<Arguments> placements() {
        return Stream.of(Placement.values()).flatMap(placement ->
                Stream.of(Registration.values()).map(registration -> Arguments.of(placement, registration)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("placements")
    void transaction_providerOnPath_succeeds(Placement placement, Registration registration) throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        ChildJvm.Outcome outcome = ChildJvm.run(placement + "-" + registration,
                Fixture.command(javaHome, placement.options(), registration)).assertClean();

        assertTransactionOk(outcome, registration, placement.providerModule, Runtime.version().feature());
    }

    /** What TransactionMain prints when everything worked. */
    static void assertTransactionOk(ChildJvm.Outcome outcome, Registration registration,
            String providerModule, int feature) {
        List<String> lines = outcome.out().lines().toList();
        assertEquals(List.of(
                "registration=" + registration + " provider=io.pssst.jca.PssstProvider module=" + providerModule
                        + " java=" + feature,
                "anonymous transaction OK",
                "authenticated transaction OK",
                "key agreement transactions OK",
                "tampered reply refused OK",
                "OK"), lines, () -> outcome.describe("output"));
    }
}
