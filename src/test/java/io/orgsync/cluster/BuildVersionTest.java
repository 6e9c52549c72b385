package io.orgsync.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which of two builds fencing treats as the newer one. */
class BuildVersionTest {
    @ParameterizedTest(name = "{0} is older than {1}")
    @CsvSource({
        "1.9.3, 1.10.0",
        "1.2, 1.2.1",
        "1.2.0-rc1, 1.2.0",
        "1.2.0-SNAPSHOT, 1.2.0",
        "1.2.0-rc2, 1.2.0-rc10",
        "1.2.0-beta, 1.2.0-rc1",
        "1.2.0-rc1, 1.2.0-rc1.1",
        "1.2.0, 1.2.1-rc1",
        "dev, 0.0.1",
        "dev, 1.0.0-SNAPSHOT",
    })
    void olderThan(String older, String newer) {
        assertEquals(-1, Integer.signum(BuildVersion.compare(older, newer)));
        assertEquals(1, Integer.signum(BuildVersion.compare(newer, older)));
    }

    @ParameterizedTest(name = "{0} equals {1}")
    @CsvSource({"1.2.0, 1.2.0", "1.2, 1.2.0", "dev, dev", "1.2.0-rc1, 1.2.0-rc1"})
    void sameBuild(String a, String b) {
        assertEquals(0, BuildVersion.compare(a, b));
    }
}
