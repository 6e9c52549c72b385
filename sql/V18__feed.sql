-- The change feed's subscriptions: receivers that get every change of the log (org_change) as a
-- signed CloudEvent, per environment. The secret is sealed like enterprise secrets. One writing
-- node at a time delivers a subscription: the one holding its lease (lease_owner until lease_until,
-- cluster time in epoch milliseconds), renewed while it delivers, taken over when it runs out.
--   corp_ids  comma-separated enterprise ids; NULL = every enterprise of the environment
--   types     comma-separated event types (member.created, ...); NULL = all six
--   state     active | failing (a failing or disabled subscription delivers nothing)
CREATE TABLE feed_subscription (
    env               VARCHAR(32)   NOT NULL,
    name              VARCHAR(64)   NOT NULL,
    url               VARCHAR(2048) NOT NULL,
    secret            VARCHAR(1024) NOT NULL,
    corp_ids          TEXT          NULL,
    types             VARCHAR(512)  NULL,
    enabled           BOOLEAN       NOT NULL,
    state             VARCHAR(16)   NOT NULL,
    last_error        VARCHAR(1024) NULL,
    last_delivered_at BIGINT        NULL,
    created_at        BIGINT        NOT NULL,
    updated_at        BIGINT        NOT NULL,
    lease_owner       VARCHAR(64)   NULL,
    lease_until       BIGINT        NOT NULL DEFAULT 0,
    PRIMARY KEY (env, name)
)${tableOptions};

-- Where a subscription stands in each enterprise's change log: every change up to seq is
-- delivered (or filtered out). No row yet: the enterprise came after the subscription, so from 0.
-- retry_since: when the delivery of the change after seq first failed (NULL while none fails).
-- replays: counts replays, so that the deliverer notices one even when it set seq to where it was.
CREATE TABLE feed_cursor (
    env         VARCHAR(32) NOT NULL,
    name        VARCHAR(64) NOT NULL,
    corp_id     VARCHAR(64) NOT NULL,
    seq         BIGINT      NOT NULL,
    retry_since BIGINT      NULL,
    replays     BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (env, name, corp_id)
)${tableOptions};
