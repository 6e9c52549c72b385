package io.orgsync.simulator;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts one enterprise's contact-change events to its registered URL, one at a time in the
 * order the changes were made, as WeCom's encrypted XML, with the injected faults: a duplicate
 * is a second delivery of the same event (new nonce), a reordered event is held back until the
 * next one went (or a second passed), a dropped one is never sent. A delivery that fails or is
 * not answered 200 is tried again twice, with the same query, as WeCom does.
 */
final class CallbackPoster implements AutoCloseable {
    /** {@code PUT /__sim/corps/{corpId}/callback}. */
    record Registration(
            String url,
            String token,
            String aesKey,
            String style,
            Double duplicateRate,
            Double reorderRate,
            Double dropRate,
            Long seed) {
        Registration {
            Fields.required("url", url);
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException("url must be an http(s) URL");
            }
            style = style == null ? "full" : style;
            if (!style.equals("full") && !style.equals("ids")) {
                throw new IllegalArgumentException("style must be full or ids");
            }
            duplicateRate = rate("duplicateRate", duplicateRate);
            reorderRate = rate("reorderRate", reorderRate);
            dropRate = rate("dropRate", dropRate);
        }

        private static double rate(String name, Double value) {
            if (value == null) {
                return 0;
            }
            if (value < 0 || value > 1) {
                throw new IllegalArgumentException(name + " must be from 0 to 1");
            }
            return value;
        }
    }

    private final SimCorp corp;
    private final Registration registration;
    private final EventSealer sealer;
    private final SimClock clock;
    private final Random random;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService sender;
    private final List<Map<String, Object>> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    /** Only touched on the sender thread. */
    private Pending held;

    private ScheduledFuture<?> heldFlush;

    private record Pending(long seq, Map<String, String> fields, String xml) {}

    CallbackPoster(SimCorp corp, Registration registration, SimClock clock) {
        this.corp = corp;
        this.registration = registration;
        this.sealer = new EventSealer(registration.token(), registration.aesKey(), corp.corpId);
        this.clock = clock;
        this.random = registration.seed() == null ? new Random() : new Random(registration.seed());
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-callback-" + corp.corpId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Called by the corp, in change order, with each change's snapshots. */
    void changed(Org before, Org after, Map<String, String> renamed) {
        long createTime = clock.millis() / 1000;
        for (Map<String, String> fields : OrgChanges.between(
                before, after, renamed, registration.style().equals("full"), corp.setup.mobileVisible())) {
            Map<String, String> all = new LinkedHashMap<>();
            all.put("ToUserName", corp.corpId);
            all.put("FromUserName", "sys");
            all.put("CreateTime", String.valueOf(createTime));
            all.put("MsgType", "event");
            all.put("Event", "change_contact");
            all.putAll(fields);
            Pending p = new Pending(sequence.incrementAndGet(), fields, xml(all));
            sender.execute(() -> offer(p));
        }
    }

    private void offer(Pending p) {
        if (random.nextDouble() < registration.dropRate()) {
            record(p, "dropped", 0, null, 0);
            flushHeld();
            return;
        }
        if (held == null && random.nextDouble() < registration.reorderRate()) {
            held = p;
            heldFlush = sender.schedule(this::flushHeld, 1, TimeUnit.SECONDS);
            return;
        }
        deliver(p, "sent");
        flushHeld();
        if (random.nextDouble() < registration.duplicateRate()) {
            deliver(p, "duplicate");
        }
    }

    private void flushHeld() {
        if (held != null) {
            Pending p = held;
            held = null;
            heldFlush.cancel(false);
            deliver(p, "reordered");
        }
    }

    private void deliver(Pending p, String kind) {
        String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
        String nonce = String.valueOf(1_000_000_000L + (long) (random.nextDouble() * 8_999_999_999L));
        String encrypted = sealer.seal(p.xml());
        String body = "<xml><ToUserName><![CDATA[" + corp.corpId + "]]></ToUserName><Encrypt><![CDATA[" + encrypted
                + "]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>";
        URI uri = URI.create(registration.url() + (registration.url().contains("?") ? "&" : "?") + "msg_signature="
                + sealer.sign(timestamp, nonce, encrypted) + "&timestamp=" + timestamp + "&nonce=" + nonce);
        int status = 0;
        String answer = null;
        int attempt = 0;
        while (attempt < 3 && status != 200) {
            attempt++;
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(5))
                                .header("Content-Type", "text/xml")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                status = r.statusCode();
                answer = r.body().length() > 300 ? r.body().substring(0, 300) : r.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer = "interrupted";
                break;
            } catch (Exception e) {
                answer = e.getClass().getSimpleName();
            }
        }
        record(p, kind, status, answer, attempt);
    }

    private void record(Pending p, String kind, int status, String answer, int attempts) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("seq", p.seq());
        d.put("changeType", p.fields().get("ChangeType"));
        d.put("fields", p.fields());
        d.put("delivery", kind);
        d.put("status", status);
        d.put("answer", answer);
        d.put("attempts", attempts);
        d.put("at", Instant.now().toString());
        deliveries.add(d);
    }

    /** Events made so far by org changes, delivered or not yet. */
    long generated() {
        return sequence.get();
    }

    List<Map<String, Object>> deliveries() {
        return new ArrayList<>(deliveries);
    }

    /** The event's XML, every value in CDATA (a value holding "]]>" split across two sections). */
    static String xml(Map<String, String> fields) {
        StringBuilder out = new StringBuilder("<xml>");
        fields.forEach((k, v) -> {
            out.append('<').append(k).append('>');
            if (k.equals("CreateTime")) {
                out.append(v);
            } else {
                out.append("<![CDATA[")
                        .append(v.replace("]]>", "]]]]><![CDATA[>"))
                        .append("]]>");
            }
            out.append("</").append(k).append('>');
        });
        return out.append("</xml>").toString();
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
