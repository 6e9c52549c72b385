package io.orgsync;

import io.orgsync.config.Settings;
import io.orgsync.store.Database;
import java.util.Map;
import org.flywaydb.core.api.output.MigrateResult;

/** {@code orgsync migrate}: applies the schema of {@code sql/} to the configured database. */
final class MigrateCommand {
    static final String USAGE = """
            Usage: java -jar orgsync.jar migrate

            Applies the schema (sql/, for the database ORGSYNC_DB_URL names) and exits. serve applies it
            too at start; run this ahead of a rolling upgrade, with an account that may create tables.
            Settings: ORGSYNC_DB_URL, ORGSYNC_DB_USER, ORGSYNC_DB_PASSWORD.
            """;

    private MigrateCommand() {}

    static int run(Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("migrate takes no options");
        }
        Settings settings = Settings.load();
        if (settings.readOnly()) {
            System.err.println("ORGSYNC_READ_ONLY is true: a read-only node does not change the schema.");
            return 2;
        }
        try (Database db = Database.open(settings, "orgsync-migrate", 2)) {
            MigrateResult result = db.migrate();
            System.out.println("Schema of " + Settings.redactUrl(settings.dbUrl()) + " is at version "
                    + (result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion)
                    + " (" + result.migrationsExecuted + " migrations applied now).");
            return 0;
        }
    }
}
