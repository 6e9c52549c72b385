package io.orgsync.testing.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to start one {@code serve} process: its name (also its ORGSYNC_INSTANCE_ID and log file),
 * environment, flags, build version, database account and any further settings.
 */
public final class NodeSpec {
    final String name;
    String env = "it";
    boolean schedulerEnabled = true;
    boolean readOnly;
    String buildVersion = "1.0.0";
    String dbUser;
    String dbPassword;
    String heap = "256m";
    final Map<String, String> extra = new LinkedHashMap<>();
    final Map<String, String> quartz = new LinkedHashMap<>();

    private NodeSpec(String name) {
        this.name = name;
    }

    /** A scheduler node of environment "it", build 1.0.0, root account. */
    public static NodeSpec scheduler(String name) {
        return new NodeSpec(name);
    }

    /** A read-only node (no scheduler); give it the SELECT-only account with {@link #account}. */
    public static NodeSpec readOnly(String name) {
        NodeSpec s = new NodeSpec(name);
        s.readOnly = true;
        s.schedulerEnabled = false;
        return s;
    }

    /** A writing node that serves HTTP and the admin API but executes no job. */
    public static NodeSpec apiOnly(String name) {
        NodeSpec s = new NodeSpec(name);
        s.schedulerEnabled = false;
        return s;
    }

    public NodeSpec env(String env) {
        this.env = env;
        return this;
    }

    public NodeSpec version(String buildVersion) {
        this.buildVersion = buildVersion;
        return this;
    }

    public NodeSpec account(String user, String password) {
        this.dbUser = user;
        this.dbPassword = password;
        return this;
    }

    public NodeSpec heap(String heap) {
        this.heap = heap;
        return this;
    }

    /** Any further ORGSYNC_* setting, e.g. ("ORGSYNC_SYNC_THREADS", "2"). */
    public NodeSpec set(String variable, String value) {
        extra.put(variable, value);
        return this;
    }

    /**
     * A Quartz property changed from the jar's quartz.properties (e.g.
     * {@code org.quartz.scheduler.batchTriggerAcquisitionMaxCount}): the node then starts in a
     * working directory holding a changed copy, which orgsync reads in place of the jar's.
     */
    public NodeSpec quartz(String property, String value) {
        quartz.put(property, value);
        return this;
    }

    public String name() {
        return name;
    }

    public String env() {
        return env;
    }

    public String buildVersion() {
        return buildVersion;
    }

    public boolean readOnlyNode() {
        return readOnly;
    }
}
