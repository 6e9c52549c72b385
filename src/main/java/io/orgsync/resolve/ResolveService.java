package io.orgsync.resolve;

import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alerts;
import io.orgsync.enterprise.Enterprise;
import io.orgsync.enterprise.EnterpriseService;
import io.orgsync.enterprise.IdsOnlyMemory;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.member.Member;
import io.orgsync.member.MemberQueries;
import io.orgsync.member.MemberReads;
import io.orgsync.org.OrgWriter;
import io.orgsync.store.Sql;
import io.orgsync.time.Waiter;
import io.orgsync.upstream.UpstreamClient;
import io.orgsync.wecom.WecomClient;
import io.orgsync.wecom.WecomMember;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Real-time resolve of a mobile through WeCom (getuserid, then user/get; a set-up that cannot
 * user/get answers from the stored member, see {@link MemberDetails}), guarded so that it
 * can never get the enterprise blocked: WeCom blocks getuserid for the day once its failures
 * pass 20% of the member limit, so a "not found" is remembered for a day, cluster-wide, and
 * failures stop at ORGSYNC_RESOLVE_BUDGET_RATIO of the members per day. Each call reserves its
 * unit of that budget in the database before it goes out, so concurrent resolves on any number
 * of nodes cannot pass it together. Concurrent resolves of one number on a node share one
 * upstream call, and each enterprise has a call rate with a burst.
 */
public final class ResolveService {
    static final Duration MISS_MEMORY = Duration.ofDays(1);

    private final ResolveStore store;
    private final ResolvedMemberWriter writer;
    private final MemberDetails details;
    private final EnterpriseService enterprises;
    private final MemberQueries queries;
    private final UpstreamClient upstream;
    private final URI wecomBaseUrl;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final ResolveBudget budgets;
    private final ResolveRate rate;
    private final Duration recheck;
    private final Map<String, CompletableFuture<Member>> inflight = new ConcurrentHashMap<>();

    public ResolveService(
            DataSource ds,
            EnterpriseService enterprises,
            MemberQueries queries,
            UpstreamClient upstream,
            Alerts alerts,
            MeterRegistry metrics,
            Clock clock,
            Waiter waiter,
            ResolveConfig config,
            OrgWriter orgWriter) {
        this.store = new ResolveStore(ds);
        this.writer = new ResolvedMemberWriter(orgWriter, clock);
        this.details = new MemberDetails(new IdsOnlyMemory(ds, alerts), clock);
        this.enterprises = enterprises;
        this.queries = queries;
        this.upstream = upstream;
        this.wecomBaseUrl = config.wecomBaseUrl();
        this.metrics = metrics;
        this.clock = clock;
        this.budgets = new ResolveBudget(
                store,
                alerts,
                clock,
                waiter,
                config.budgetRatio(),
                config.instanceId(),
                config.reservationLease(),
                this::count);
        this.rate = new ResolveRate(config.ratePerEnterprise());
        this.recheck = config.recheck();
        // at zero from the start: the "budget spent" alert rule's increase() misses a first step from "absent" to 1
        metrics.counter("orgsync_lookups_total", "kind", "resolve", "outcome", "budget_exhausted");
    }

    /** The member with this (normalised) mobile in the enterprise; refused when it is unknown, over the rate or the budget. */
    public Member resolve(String corpId, String mobile) throws Exception {
        Enterprise enterprise = enterprises.find(corpId);
        Optional<Member> known = answerable(corpId, mobile);
        if (known.isPresent()) {
            count("stored");
            return known.get();
        }
        String key = corpId + " " + mobile;
        CompletableFuture<Member> mine = new CompletableFuture<>();
        CompletableFuture<Member> shared = inflight.putIfAbsent(key, mine);
        if (shared != null) {
            return join(shared);
        }
        try {
            // A resolve that finished between our first read and taking the slot has stored its
            // member already (it stores before it frees the slot): read again rather than ask twice.
            Optional<Member> stored = answerable(corpId, mobile);
            if (stored.isPresent()) {
                count("stored");
                mine.complete(stored.get());
            } else {
                mine.complete(ask(enterprise, mobile));
            }
        } catch (Exception e) {
            mine.completeExceptionally(e);
        } finally {
            inflight.remove(key, mine);
        }
        return join(mine);
    }

    /**
     * The stored member with the number, unless there is none or a resolve learned the pair more
     * than {@code recheck} ago: numbers move, and WeCom is asked again before an old pair answers.
     */
    private Optional<Member> answerable(String corpId, String mobile) throws Exception {
        List<Member> known = queries.byMobile(mobile, corpId);
        if (known.isEmpty()) {
            return Optional.empty();
        }
        long cutoff = clock.millis() - recheck.toMillis();
        if (Sql.withConnection(store.dataSource(), c -> MemberReads.learnedBefore(c, corpId, mobile, cutoff))) {
            return Optional.empty();
        }
        return Optional.of(known.get(0));
    }

    private Member ask(Enterprise enterprise, String mobile) throws Exception {
        String corpId = enterprise.corpId();
        long now = clock.millis();
        if (store.missRemembered(corpId, mobile, now)) {
            count("not_found_remembered");
            throw notFound(corpId, mobile, true);
        }
        int budget = budgets.of(queries.activeCount(corpId));
        budgets.checkNotSpent(corpId, budget);
        try {
            rate.acquire(corpId);
        } catch (RefusedException e) {
            count("rate_limited");
            throw e;
        }
        ResolveBudget.Unit unit = budgets.reserve(corpId, budget);
        WecomClient client = new WecomClient(upstream, wecomBaseUrl, corpId, enterprise.readingSecret());
        Optional<String> userid;
        MemberDetails.Read read;
        try {
            userid = client.userIdByMobile(mobile);
            if (userid.isPresent() && holds(corpId, userid.get(), mobile)) {
                // a stored pair confirmed: no user/get, and the unit goes back as for any found number
                writer.confirm(corpId, userid.get());
                unit.release();
                count("confirmed");
                return queries.byUserid(corpId, userid.get()).get(0);
            }
            read = userid.isEmpty() ? MemberDetails.NONE : details.read(enterprise, client, userid.get());
        } catch (Exception e) {
            // an error is not a "not found": WeCom counted no failure, so the unit goes back
            unit.release();
            throw e;
        }
        if (read.idsOnly()) {
            return storedAnswer(corpId, userid.get(), mobile, unit);
        }
        Optional<WecomMember> member = read.member();
        if (member.isEmpty()) {
            unit.notFound(mobile, clock.millis() + MISS_MEMORY.toMillis());
            // a pair learned earlier no longer holds: the number answers for nobody
            writer.forget(corpId, mobile);
            count("not_found");
            throw notFound(corpId, mobile, false);
        }
        try {
            writer.save(corpId, member.get(), mobile);
        } finally {
            unit.release();
        }
        count("found");
        return queries.byUserid(corpId, member.get().userid()).get(0);
    }

    /**
     * The set-up cannot read the member's details (a contact-sync secret on a new IP): the stored
     * member answers, with the mobile learned; a userid no sync has stored yet is 404 until one does
     * (nothing remembered: it is no "not found", and the unit goes back).
     */
    private Member storedAnswer(String corpId, String userid, String mobile, ResolveBudget.Unit unit)
            throws SQLException {
        boolean stored;
        try {
            stored = writer.saveMobile(corpId, userid, mobile);
        } finally {
            unit.release();
        }
        if (!stored) {
            count("not_stored_yet");
            throw new RefusedException(
                    Refusal.NOT_FOUND,
                    "WeCom gives mobile " + mobile + " to member " + userid + " of " + corpId
                            + ", whom no sync has stored as a member yet; its contact-sync secret reads ids only (48009), "
                            + "so the next sync stores the member: resolve again after it");
        }
        count("found");
        return queries.byUserid(corpId, userid).get(0);
    }

    private boolean holds(String corpId, String userid, String mobile) throws SQLException {
        return Sql.withConnection(store.dataSource(), c -> MemberReads.holds(c, corpId, userid, mobile));
    }

    private static Member join(CompletableFuture<Member> future) throws Exception {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static RefusedException notFound(String corpId, String mobile, boolean remembered) {
        return new RefusedException(
                Refusal.NOT_FOUND,
                "WeCom has no member of " + corpId + " with mobile " + mobile
                        + (remembered
                                ? " (answered earlier today; not asked again until tomorrow)"
                                : "; this answer is remembered for a day"));
    }

    private void count(String outcome) {
        metrics.counter("orgsync_lookups_total", "kind", "resolve", "outcome", outcome)
                .increment();
    }
}
