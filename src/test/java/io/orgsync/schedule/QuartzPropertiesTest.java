package io.orgsync.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** quartz.properties is the base; an org.quartz.* system property wins over it, as in Quartz's own factory. */
class QuartzPropertiesTest {
    private static final String KEY = "org.quartz.jobStore.misfireThreshold";

    @Test
    void aSystemPropertyWinsOverTheFile() throws Exception {
        Properties file = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("quartz.properties"))) {
            file.load(in);
        }
        assertEquals("60000", file.getProperty(KEY));
        assertEquals("60000", QuartzSetup.baseProperties().getProperty(KEY));
        String before = System.getProperty(KEY);
        System.setProperty(KEY, "45000");
        try {
            Properties p = QuartzSetup.baseProperties();
            assertEquals("45000", p.getProperty(KEY));
            assertEquals(
                    file.getProperty("org.quartz.jobStore.tablePrefix"),
                    p.getProperty("org.quartz.jobStore.tablePrefix"));
        } finally {
            if (before == null) {
                System.clearProperty(KEY);
            } else {
                System.setProperty(KEY, before);
            }
        }
    }
}
