package io.orgsync.alert;

/** Somewhere alerts are delivered besides the log (the group robot, e-mail). */
public interface AlertSink {
    /** Delivers or hands over the alert; throws with a message fit for a log line (no key, URL or SQL) when it cannot. */
    void deliver(Alert alert, String text) throws Exception;

    /** "webhook" or "email": the name in metrics and in the admin API's delivery results. */
    String name();

    /** What a delivery that did not throw achieved, as the admin API shows it. */
    default String deliveredResult() {
        return "ok";
    }
}
