package io.orgsync.alert;

/** Somewhere alerts are delivered besides the log (the group robot, e-mail). */
public interface AlertSink {
    void deliver(Alert alert, String text) throws Exception;

    String name();
}
