package io.orgsync.resolve;

import com.google.common.util.concurrent.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import io.orgsync.common.RequestException;
import io.orgsync.enterprise.Enterprise;
import io.orgsync.enterprise.EnterpriseService;
import io.orgsync.member.Member;
import io.orgsync.member.MemberQueries;
import io.orgsync.member.MemberStore;
import io.orgsync.member.StoredMember;
import io.orgsync.store.Sql;
import io.orgsync.upstream.UpstreamClient;
import io.orgsync.wecom.WecomClient;
import io.orgsync.wecom.WecomMember;

import javax.sql.DataSource;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real-time resolve of a mobile through WeCom (getuserid, then user/get), guarded so that it
 * can never get the enterprise blocked: WeCom blocks getuserid for the day once its failures
 * pass 20% of the member limit, so a "not found" is remembered for a day, cluster-wide, and
 * failures stop at ORGSYNC_RESOLVE_BUDGET_RATIO of the members per day. Concurrent resolves of
 * one number on a node share one upstream call, and each enterprise has a call rate.
 */
public final class ResolveService {
    static final Duration MISS_MEMORY = Duration.ofDays(1);
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final DataSource ds;
    private final ResolveStore store;
    private final EnterpriseService enterprises;
    private final MemberQueries queries;
    private final UpstreamClient upstream;
    private final URI wecomBaseUrl;
    private final Alerts alerts;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final double budgetRatio;
    private final double ratePerEnterprise;
    private final Map<String, RateLimiter> rates = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Member>> inflight = new ConcurrentHashMap<>();

    public ResolveService(DataSource ds, EnterpriseService enterprises, MemberQueries queries, UpstreamClient upstream, URI wecomBaseUrl,
                          Alerts alerts, MeterRegistry metrics, Clock clock, double budgetRatio, double ratePerEnterprise) {
        this.ds = ds;
        this.store = new ResolveStore(ds);
        this.enterprises = enterprises;
        this.queries = queries;
        this.upstream = upstream;
        this.wecomBaseUrl = wecomBaseUrl;
        this.alerts = alerts;
        this.metrics = metrics;
        this.clock = clock;
        this.budgetRatio = budgetRatio;
        this.ratePerEnterprise = ratePerEnterprise;
    }

    /** The member with this (normalised) mobile in the enterprise; 404, 429 or 503 as RequestException. */
    public Member resolve(String corpId, String mobile) throws Exception {
        Enterprise enterprise = enterprises.find(corpId);
        List<Member> known = queries.byMobile(mobile, corpId);
        if (!known.isEmpty()) {
            count("stored");
            return known.get(0);
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
            List<Member> stored = queries.byMobile(mobile, corpId);
            if (!stored.isEmpty()) {
                count("stored");
                mine.complete(stored.get(0));
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

    private Member ask(Enterprise enterprise, String mobile) throws Exception {
        String corpId = enterprise.corpId();
        long now = clock.millis();
        if (store.missRemembered(corpId, mobile, now)) {
            count("not_found_remembered");
            throw notFound(corpId, mobile, true);
        }
        String day = LocalDate.ofInstant(Instant.ofEpochMilli(now), CHINA).toString();
        int budget = (int) Math.max(1, Math.floor(budgetRatio * queries.activeCount(corpId)));
        if (store.failures(corpId, day) >= budget) {
            count("budget_exhausted");
            alerts.raise(new Alert("resolve_budget", corpId, "Real-time resolves of " + corpId + " used today's budget of " + budget
                    + " 'not found' answers (ORGSYNC_RESOLVE_BUDGET_RATIO " + budgetRatio + " of its members); further resolves are "
                    + "refused until midnight China time so that WeCom does not block getuserid for the day. Check the caller sending unknown numbers."));
            throw new RequestException(429, "budget_exhausted", "today's resolve budget of " + corpId
                    + " is spent (" + budget + " unknown numbers); lookups still work, resolves resume at midnight China time", secondsToMidnight(now));
        }
        RateLimiter rate = rates.computeIfAbsent(corpId, k -> RateLimiter.create(ratePerEnterprise));
        if (!rate.tryAcquire()) {
            count("rate_limited");
            throw new RequestException(429, "rate_limited", "too many resolves for " + corpId + " right now; retry in a second", 1);
        }
        WecomClient client = new WecomClient(upstream, wecomBaseUrl, corpId, enterprise.secret());
        Optional<String> userid = client.userIdByMobile(mobile);
        Optional<WecomMember> member = userid.isEmpty() ? Optional.empty() : client.member(userid.get());
        if (member.isEmpty()) {
            store.addFailure(corpId, day);
            store.rememberMiss(corpId, mobile, now + MISS_MEMORY.toMillis());
            count("not_found");
            throw notFound(corpId, mobile, false);
        }
        save(corpId, member.get(), mobile);
        count("found");
        return queries.byUserid(corpId, member.get().userid()).get(0);
    }

    /** Stores the member with the mobile WeCom confirmed; a later sync keeps it even if user/list hides it. */
    private void save(String corpId, WecomMember m, String mobile) throws SQLException {
        Set<Long> departments = new HashSet<>();
        m.departments().forEach(d -> departments.add((long) d));
        StoredMember row = new StoredMember(m.userid(), m.name(), mobile, "resolve", m.email(), m.position(), m.status(),
                m.mainDepartment(), false, departments);
        Sql.inTransaction(ds, c -> {
            if (MemberStore.findForUpdate(c, corpId, m.userid()).isPresent()) {
                MemberStore.updateMembers(c, corpId, List.of(row), clock.millis());
            } else {
                MemberStore.insertMembers(c, corpId, List.of(row), clock.millis());
            }
            return null;
        });
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

    private static RequestException notFound(String corpId, String mobile, boolean remembered) {
        return RequestException.notFound("not_found", "WeCom has no member of " + corpId + " with mobile " + mobile
                + (remembered ? " (answered earlier today; not asked again until tomorrow)" : "; this answer is remembered for a day"));
    }

    private long secondsToMidnight(long now) {
        Instant midnight = LocalDate.ofInstant(Instant.ofEpochMilli(now), CHINA).plusDays(1).atStartOfDay(CHINA).toInstant();
        return Math.max(1, (midnight.toEpochMilli() - now) / 1000);
    }

    private void count(String outcome) {
        metrics.counter("orgsync_lookups_total", "kind", "resolve", "outcome", outcome).increment();
    }
}
