package io.orgsync.org;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The org unit is the only writer of an organisation's tables: a statement that writes them
 * anywhere else would bypass the enterprise lock, the change log and the read caches' drops.
 */
class OrgTablesOwnedHereTest {
    private static final Pattern WRITE = Pattern.compile(
            "(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|MERGE\\s+INTO)\\s+(member|member_department|department|org_version|org_change)\\b"
                    + "|Upsert\\.into\\(\"(member|member_department|department|org_version|org_change)\"",
            Pattern.CASE_INSENSITIVE);

    @Test
    void noStatementOutsideTheOrgUnitWritesTheOrgTables() throws IOException {
        Path sources = Path.of("src/main/java");
        Path unit = sources.resolve("io/orgsync/org");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (file.startsWith(unit)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (WRITE.matcher(lines.get(i)).find()) {
                        found.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
