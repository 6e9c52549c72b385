package io.orgsync.enterprise;

import io.orgsync.config.Settings;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.org.OrgWriter;
import io.orgsync.store.SecretCipher;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.quartz.CronExpression;

/**
 * The one place enterprises are created, changed and removed (the admin API and the demo call
 * it). The row is written first and the job scheduled after, never inside one transaction:
 * Quartz takes its own locks and MySQL would deadlock them against ours.
 */
public final class EnterpriseService {
    private static final Pattern CORP_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** {@code env}: the environment whose enterprises this service manages (ORGSYNC_ENV). */
    public record Config(String env) {
        public Config {
            if (env == null || env.isBlank()) {
                throw new IllegalArgumentException("env must be set");
            }
        }

        public static Config from(Settings s) {
            return new Config(s.env());
        }
    }

    private final EnterpriseStore store;
    private final EnterpriseJobs jobs;
    private final Clock clock;
    private final String env;
    private final OrgWriter org;
    private final DataSource ds;

    public EnterpriseService(DataSource ds, SecretCipher cipher, EnterpriseJobs jobs, Clock clock, Config config) {
        this(ds, cipher, jobs, clock, config, new OrgWriter(ds, clock));
    }

    /** {@code org}: told when an enterprise is registered or deleted, so that this node's read answers follow at once. */
    public EnterpriseService(
            DataSource ds, SecretCipher cipher, EnterpriseJobs jobs, Clock clock, Config config, OrgWriter org) {
        this.org = org;
        this.ds = ds;
        this.store = new EnterpriseStore(ds, cipher);
        this.jobs = jobs;
        this.clock = clock;
        this.env = config.env();
    }

    /**
     * Creates or updates the enterprise and schedules, reschedules or pauses its job. An update
     * works on an enterprise whose stored secret this node cannot open (to replace the secret, or
     * to disable it): the answer's secret is then null, and the stored one stays as it was.
     */
    public Enterprise put(String corpId, EnterpriseChange change) throws SQLException {
        if (corpId == null || !CORP_ID.matcher(corpId).matches()) {
            throw invalid("corpId must be 1 to 64 letters, digits or _ . - (as WeCom shows it, e.g. ww1234abcd)");
        }
        validate(change);
        long now = clock.millis();
        Optional<EnterpriseListing> current = store.findListing(corpId);
        Enterprise saved;
        if (current.isEmpty()) {
            if ((change.secret() == null && change.contactSecret() == null) || change.cron() == null) {
                throw invalid("a new enterprise needs cron and a secret: its app's (secret), its contact-sync "
                        + "secret (contactSecret), or both (docs/setups.md)");
            }
            saved = new Enterprise(
                    corpId,
                    env,
                    change.name() == null ? corpId : change.name(),
                    change.secret(),
                    change.cron(),
                    change.enabled() == null || change.enabled(),
                    change.agentId(),
                    now,
                    now,
                    change.contactSecret());
            refuseCronThatNeverFires(saved, change, now);
            store.insert(saved);
            org.registered(corpId);
        } else {
            EnterpriseListing e = current.get();
            if (!e.env().equals(env)) {
                throw new RefusedException(
                        Refusal.CONFLICT,
                        "enterprise " + corpId + " is managed by environment '" + e.env()
                                + "'; change it there, or delete it there first");
            }
            // the current secrets are written again (sealed under this node's key) when they can be opened
            boolean keep = (change.secret() == null || change.contactSecret() == null) && e.problem() == null;
            Enterprise stored = keep ? store.find(corpId).orElse(null) : null;
            String secret = change.secret() != null || stored == null ? change.secret() : stored.secret();
            String contactSecret =
                    change.contactSecret() != null || stored == null ? change.contactSecret() : stored.contactSecret();
            saved = new Enterprise(
                    corpId,
                    env,
                    pick(change.name(), e.name()),
                    secret,
                    pick(change.cron(), e.cron()),
                    change.enabled() == null ? e.enabled() : change.enabled(),
                    change.agentId() == null ? e.agentId() : change.agentId(),
                    e.createdAt(),
                    now,
                    contactSecret);
            refuseCronThatNeverFires(saved, change, now);
            store.update(saved);
            if (change.contactSecret() != null) {
                AccessStore.forgetIdsOnly(ds, corpId);
            }
        }
        jobs.scheduleOrUpdate(saved);
        return saved;
    }

    /**
     * Quartz refuses a trigger that never fires: checked before anything is stored, so that the
     * row and the job never disagree. A disabled enterprise keeps a stale cron until it is enabled.
     */
    private static void refuseCronThatNeverFires(Enterprise saved, EnterpriseChange change, long now) {
        if (change.cron() != null || saved.enabled()) {
            String why = Cron.neverFires(saved.cron(), now);
            if (why != null) {
                throw invalid(why);
            }
        }
    }

    public void delete(String corpId) throws SQLException {
        EnterpriseListing e = listing(corpId);
        if (!e.env().equals(env)) {
            throw new RefusedException(
                    Refusal.CONFLICT, "enterprise " + corpId + " is managed by environment '" + e.env() + "'");
        }
        jobs.remove(corpId);
        store.deleteWithData(corpId, clock.millis());
        org.removed(corpId);
    }

    /**
     * The enterprise with its secret, or an {@link UnknownEnterpriseException}.
     *
     * @throws io.orgsync.store.SecretUnreadableException when its stored secret cannot be opened with this node's key
     */
    public Enterprise find(String corpId) throws SQLException {
        return store.find(corpId).orElseThrow(() -> new UnknownEnterpriseException(corpId));
    }

    /** The enterprise without its secret (answers for one whose secret cannot be opened), or an {@link UnknownEnterpriseException}. */
    public EnterpriseListing listing(String corpId) throws SQLException {
        return store.findListing(corpId)
                .map(e -> withProblems(e, clock.millis()))
                .orElseThrow(() -> new UnknownEnterpriseException(corpId));
    }

    /** The enterprises this environment manages, without their secrets: what the admin lists and the scheduler need. */
    public List<EnterpriseListing> listings() throws SQLException {
        long now = clock.millis();
        return store.listingsOfEnv(env).stream().map(e -> withProblems(e, now)).toList();
    }

    /**
     * Adds to the secret's problem (the store's) what keeps an enabled enterprise from syncing on
     * its schedule: a cron that never fires again (stored by an older build), or a job this node
     * could not schedule.
     */
    private EnterpriseListing withProblems(EnterpriseListing e, long now) {
        List<String> problems = new ArrayList<>();
        if (e.problem() != null) {
            problems.add(e.problem());
        }
        String cron = e.enabled() ? Cron.neverFires(e.cron(), now) : null;
        if (cron != null) {
            problems.add(cron);
        }
        String job = jobs.problem(e.corpId());
        if (job != null && cron == null) {
            problems.add(job);
        }
        return problems.isEmpty() ? e : e.withProblem(String.join("; ", problems));
    }

    private static RefusedException invalid(String message) {
        return new RefusedException(Refusal.INVALID_REQUEST, message);
    }

    public Optional<Enterprise> findOptional(String corpId) throws SQLException {
        return store.find(corpId);
    }

    /**
     * The enterprises this environment manages, with their secrets; throws for one whose secret
     * cannot be opened, so lists use {@link #listings()}.
     */
    public List<Enterprise> list() throws SQLException {
        return store.ofEnv(env);
    }

    private static void validate(EnterpriseChange c) {
        if (c.name() != null && (c.name().isBlank() || c.name().length() > 200)) {
            throw invalid("name must be 1 to 200 characters");
        }
        for (var secret : new String[][] {{"secret", c.secret()}, {"contactSecret", c.contactSecret()}}) {
            String value = secret[1];
            if (value != null && (value.isBlank() || value.length() > 512 || value.matches(".*\\s.*"))) {
                throw invalid(secret[0]
                        + " must be 1 to 512 characters without spaces (copy it from the WeCom admin console)");
            }
        }
        if (c.cron() != null && !CronExpression.isValidExpression(c.cron())) {
            throw invalid(
                    "cron '" + c.cron() + "' is not a valid Quartz cron expression "
                            + "(six or seven fields: seconds minutes hours day-of-month month day-of-week [year], e.g. '0 0/30 * * * ?')");
        }
        if (c.agentId() != null && c.agentId() < 0) {
            throw invalid("agentId must be a positive number");
        }
    }

    private static String pick(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
