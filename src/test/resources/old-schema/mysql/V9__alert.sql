-- Alerts, shared by the cluster so that an alert goes out once per key and window however many
-- nodes raise it. One row per environment and key (type + ':' + subject): a node sends only
-- when its conditional UPDATE moved last_sent_at past the window (or its INSERT created the
-- row), so exactly one node wins; the others only count. raised_count includes the repeats that
-- were not sent; the results are those of the last sending, per sink. Times are epoch ms.
CREATE TABLE alert (
    env            VARCHAR(32)   NOT NULL,
    alert_key      VARCHAR(150)  NOT NULL,
    alert_type     VARCHAR(32)   NOT NULL,
    subject        VARCHAR(128)  NOT NULL,
    message        VARCHAR(2000) NOT NULL,
    first_at       BIGINT        NOT NULL,
    last_at        BIGINT        NOT NULL,
    raised_count   BIGINT        NOT NULL,
    last_sent_at   BIGINT        NOT NULL,
    sent_by        VARCHAR(200)  NOT NULL,
    webhook_result VARCHAR(200)  NOT NULL,
    email_result   VARCHAR(200)  NOT NULL,
    PRIMARY KEY (env, alert_key),
    KEY alert_env_last (env, last_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
