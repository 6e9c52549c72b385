-- WeCom contact-change callbacks. Times are epoch milliseconds, except create_time (WeCom's
-- CreateTime, epoch seconds).

-- An enterprise's callback Token and EncodingAESKey, sealed like secrets; no row: callbacks off.
CREATE TABLE enterprise_callback (
    corp_id    VARCHAR(64)   NOT NULL,
    token      VARCHAR(1024) NOT NULL,
    aes_key    VARCHAR(1024) NOT NULL,
    updated_at BIGINT        NOT NULL,
    PRIMARY KEY (corp_id)
)${tableOptions};

-- Events as received, in arrival order (id), applied asynchronously. fingerprint: SHA-1 of the
-- whole decrypted event, so that a repeated delivery is applied once. subject: the member or
-- department the event is about; events of one subject are applied strictly in order.
CREATE TABLE callback_event (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    corp_id         VARCHAR(64)   NOT NULL,
    change_type     VARCHAR(32)   NOT NULL,
    subject         VARCHAR(200)  NOT NULL,
    create_time     BIGINT        NOT NULL,
    fingerprint     CHAR(40)      NOT NULL,
    payload         TEXT          NOT NULL,
    received_at     BIGINT        NOT NULL,
    status          VARCHAR(8)    NOT NULL,
    attempts        INT           NOT NULL DEFAULT 0,
    next_attempt_at BIGINT        NOT NULL,
    applied_at      BIGINT        NULL,
    error           VARCHAR(1000) NULL,
    PRIMARY KEY (id)
)${tableOptions};

-- Nonces of accepted callbacks, kept longer than the accepted timestamp window: a replay is refused.
CREATE TABLE callback_nonce (
    corp_id VARCHAR(64) NOT NULL,
    nonce   VARCHAR(64) NOT NULL,
    seen_at BIGINT      NOT NULL,
    PRIMARY KEY (corp_id, nonce)
)${tableOptions};

-- Which node applies an enterprise's events, until lease_until: one node at a time.
CREATE TABLE callback_queue (
    corp_id     VARCHAR(64)  NOT NULL,
    owner       VARCHAR(128) NOT NULL,
    lease_until BIGINT       NOT NULL,
    PRIMARY KEY (corp_id)
)${tableOptions};

CREATE INDEX callback_event_queue ON callback_event (corp_id, status, id);
CREATE INDEX callback_event_due ON callback_event (status, next_attempt_at);
CREATE INDEX callback_event_fingerprint ON callback_event (corp_id, fingerprint);
CREATE INDEX callback_nonce_seen ON callback_nonce (seen_at);

-- Members and departments a sync had to correct that events had not; NULL without callbacks.
ALTER TABLE sync_run ADD COLUMN drift INT NULL;
