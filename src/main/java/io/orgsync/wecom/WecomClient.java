package io.orgsync.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.token.TokenSource;
import io.orgsync.upstream.AttemptGate;
import io.orgsync.upstream.Family;
import io.orgsync.upstream.UpstreamClient;
import io.orgsync.upstream.UpstreamRequest;
import io.orgsync.upstream.UpstreamResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** WeCom's contact API for one enterprise, through the shared {@link UpstreamClient}. */
public final class WecomClient {
    /** Answers that mean "no such thing", not a failure. */
    private static final Set<Integer> NO_SUCH_MEMBER = Set.of(46004, 50002, 60111);

    private static final Set<Integer> NO_SUCH_MOBILE = Set.of(46004, 60103);
    private static final int DEPARTMENT_VANISHED = 60123;
    /** A department outside the app's visible range: its members are unknown to this secret, not gone. */
    private static final int OUTSIDE_RANGE = 60011;

    private final UpstreamClient client;
    private final URI baseUrl;
    private final String corpId;
    private final TokenSource tokens;
    /** Around each attempt of a department call (department/list, user/list); null for none. */
    private final AttemptGate departmentGate;

    public WecomClient(UpstreamClient client, URI baseUrl, String corpId, String secret) {
        this(client, baseUrl, corpId, new WecomTokenSource(client, baseUrl, corpId, secret), null);
    }

    private WecomClient(
            UpstreamClient client, URI baseUrl, String corpId, TokenSource tokens, AttemptGate departmentGate) {
        this.client = client;
        this.baseUrl = baseUrl;
        this.corpId = corpId;
        this.tokens = tokens;
        this.departmentGate = departmentGate;
    }

    /**
     * This client with every attempt of its department calls, retries included, passing through
     * {@code gate} (a sync's pacer); the same token source.
     */
    public WecomClient withDepartmentGate(AttemptGate gate) {
        return new WecomClient(client, baseUrl, corpId, tokens, gate);
    }

    public String corpId() {
        return corpId;
    }

    /** The token source of this corp's secret (for the holder's rejection path and for tests). */
    public TokenSource tokenSource() {
        return tokens;
    }

    /** The whole department tree. */
    public List<WecomDepartment> departments() {
        JsonNode json =
                departmentCall("/cgi-bin/department/list", Map.of(), Set.of()).json();
        return departments(json.path("department"));
    }

    static List<WecomDepartment> departments(JsonNode list) {
        List<WecomDepartment> out = new ArrayList<>();
        for (JsonNode d : list) {
            out.add(WecomDepartment.fromJson(d));
        }
        return out;
    }

    /**
     * The department's direct members; empty when the department vanished meanwhile (60123) or is
     * outside the app's visible range (60011: a ranged app's department/list can list it as a parent).
     */
    public Optional<List<WecomMember>> directMembers(int departmentId) {
        UpstreamResponse r = departmentCall(
                "/cgi-bin/user/list",
                Map.of("department_id", String.valueOf(departmentId)),
                Set.of(DEPARTMENT_VANISHED, OUTSIDE_RANGE));
        if (!r.ok()) {
            return Optional.empty();
        }
        List<WecomMember> out = new ArrayList<>();
        for (JsonNode m : r.json().path("userlist")) {
            out.add(WecomMember.fromJson(m));
        }
        return Optional.of(out);
    }

    /** One member; empty when WeCom has no such userid or the app may not see it. */
    public Optional<WecomMember> member(String userid) {
        UpstreamResponse r = get("/cgi-bin/user/get", Map.of("userid", userid), NO_SUCH_MEMBER);
        return r.ok() ? Optional.of(WecomMember.fromJson(r.json())) : Optional.empty();
    }

    /**
     * user/get through a secret that may not read every member: {@code readable} false when this
     * secret may not (60011 outside the app's range, 48009 a contact-sync secret on a new IP).
     */
    public Readable<WecomMember> memberIfReadable(String userid) {
        UpstreamResponse r = memberCall(userid, Readable.NOT_FOR_THIS_SECRET);
        if (Readable.NOT_FOR_THIS_SECRET.contains(r.errcode())) {
            return Readable.unreadable(r.errcode());
        }
        return Readable.read(r.ok() ? Optional.of(WecomMember.fromJson(r.json())) : Optional.empty());
    }

    /** user/get with {@code also} answered to the caller (besides "no such member"), not thrown. */
    UpstreamResponse memberCall(String userid, Set<Integer> also) {
        Set<Integer> answers = new java.util.HashSet<>(NO_SUCH_MEMBER);
        answers.addAll(also);
        return get("/cgi-bin/user/get", Map.of("userid", userid), answers);
    }

    /** department/get through a secret that may not read every department (as {@link #memberIfReadable}). */
    public Readable<WecomDepartment> departmentIfReadable(int id) {
        UpstreamResponse r = get(
                "/cgi-bin/department/get",
                Map.of("id", String.valueOf(id)),
                Set.of(DEPARTMENT_VANISHED, OUTSIDE_RANGE, ContactIds.IDS_ONLY));
        if (Readable.NOT_FOR_THIS_SECRET.contains(r.errcode())) {
            return Readable.unreadable(r.errcode());
        }
        return Readable.read(r.ok() ? Optional.of(department(r)) : Optional.empty());
    }

    /** One department; empty when WeCom has no such department (60123), or not yet. */
    public Optional<WecomDepartment> department(int id) {
        UpstreamResponse r =
                get("/cgi-bin/department/get", Map.of("id", String.valueOf(id)), Set.of(DEPARTMENT_VANISHED));
        return r.ok() ? Optional.of(department(r)) : Optional.empty();
    }

    private static WecomDepartment department(UpstreamResponse r) {
        return WecomDepartment.fromJson(r.json().path("department"));
    }

    /** The userid that owns a mobile; empty for a definite "no" (46004, 60103). */
    public Optional<String> userIdByMobile(String mobile) {
        UpstreamResponse r = client.call(UpstreamRequest.post(
                Family.WECOM,
                baseUrl,
                "/cgi-bin/user/getuserid",
                tokens,
                corpId,
                Map.of("mobile", mobile),
                NO_SUCH_MOBILE));
        return r.ok() ? Optional.of(r.json().path("userid").asText()) : Optional.empty();
    }

    private UpstreamResponse get(String api, Map<String, String> query, Set<Integer> answers) {
        return client.call(UpstreamRequest.get(Family.WECOM, baseUrl, api, tokens, corpId, query, answers));
    }

    UpstreamResponse departmentCall(String api, Map<String, String> query, Set<Integer> answers) {
        return paced(UpstreamRequest.get(Family.WECOM, baseUrl, api, tokens, corpId, query, answers));
    }

    /** A POST paced as the department calls are (user/list_id). */
    UpstreamResponse departmentPost(String api, Map<String, Object> body) {
        return paced(UpstreamRequest.post(Family.WECOM, baseUrl, api, tokens, corpId, body, Set.of()));
    }

    private UpstreamResponse paced(UpstreamRequest request) {
        return client.call(departmentGate == null ? request : request.withGate(departmentGate));
    }
}
