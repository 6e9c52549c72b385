package io.orgsync.store;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema: one set of Flyway files in {@code sql/}, with placeholders for the little that DDL
 * differs in ({@link Dialect#schemaPlaceholders()}: MySQL's table options, Quartz's flag type).
 *
 * <p>Until versions 1 to 9 were merged there were two copies, {@code sql/h2} and {@code sql/mysql};
 * a database migrated from them recorded those files' checksums. Rendered with its dialect's
 * placeholders, each merged file creates exactly what its old copy created, so a checksum of the
 * old copy of the same version and dialect is accepted in place of the merged file's (listed below;
 * a test migrates the old copies and checks both the checksums and the resulting schema). The
 * history is not rewritten, so a node of an earlier build still starts on the same database. Any
 * other mismatch fails as Flyway always fails it.
 */
final class Schema {
    private static final Logger log = LoggerFactory.getLogger(Schema.class);

    /** Per dialect and version, the checksum Flyway recorded for the old copy; versions 4, 5, 7 and 8 did not change. */
    static final Map<String, Map<String, Integer>> OLD_COPIES = Map.of(
            "H2", Map.of("1", 982086676, "2", 869960588, "3", -495632956, "6", -1697403582, "9", 831018227),
            "MySQL", Map.of("1", -2113642819, "2", -274050, "3", 1097949641, "6", -339984282, "9", -1862502935));

    private Schema() {}

    static MigrateResult migrate(DataSource ds, Dialect dialect) {
        Flyway flyway = configure(ds, dialect).load();
        List<String> oldCopies = fromOldCopies(flyway.info().applied(), dialect);
        if (oldCopies.isEmpty()) {
            return flyway.migrate();
        }
        // validated as migrate does (pending and future versions are no error), less the accepted old checksums
        ValidateResult check = configure(ds, dialect)
                .ignoreMigrationPatterns("*:pending", "*:future")
                .load()
                .validateWithResult();
        boolean onlyOldCopies = check.invalidMigrations != null
                && !check.invalidMigrations.isEmpty()
                && check.invalidMigrations.stream().allMatch(m -> acceptable(m, oldCopies));
        if (!check.validationSuccessful && !onlyOldCopies) {
            return flyway.migrate(); // fails with Flyway's own account of what is wrong
        }
        log.info(
                "Schema history: versions {} were applied from the per-dialect copies that sql/ replaced; same tables, "
                        + "their checksums accepted",
                oldCopies);
        return configure(ds, dialect).validateOnMigrate(false).load().migrate();
    }

    /** The applied versions whose checksum is the old copy's of this dialect rather than the merged file's. */
    static List<String> fromOldCopies(MigrationInfo[] applied, Dialect dialect) {
        Map<String, Integer> old = OLD_COPIES.getOrDefault(dialect.name(), Map.of());
        return Arrays.stream(applied)
                .filter(m -> m.isVersioned() && m.getResolvedChecksum() != null && !m.isChecksumMatching())
                .filter(m -> m.getAppliedChecksum() != null
                        && m.getAppliedChecksum().equals(old.get(m.getVersion().getVersion())))
                .map(m -> m.getVersion().getVersion())
                .toList();
    }

    private static boolean acceptable(ValidateOutput invalid, List<String> oldCopies) {
        return invalid.errorDetails != null
                && invalid.errorDetails.errorCode == CoreErrorCode.CHECKSUM_MISMATCH
                && oldCopies.contains(invalid.version);
    }

    private static FluentConfiguration configure(DataSource ds, Dialect dialect) {
        return Flyway.configure()
                .dataSource(ds)
                .locations("classpath:sql")
                .placeholders(dialect.schemaPlaceholders())
                .table("orgsync_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0");
    }
}
