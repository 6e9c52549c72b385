-- One row per upstream credential (a WeCom secret, a mini-program app and token mode): the
-- token the whole cluster shares, and the lease that lets one node at a time fetch a new one.
-- Times are epoch milliseconds, so that nodes and dialects agree without time-zone rules.
CREATE TABLE upstream_token (
    token_key     VARCHAR(191) NOT NULL,
    access_token  VARCHAR(2048) NULL,
    expires_at    BIGINT NULL,
    refresh_at    BIGINT NULL,
    fetched_at    BIGINT NULL,
    fetched_by    VARCHAR(128) NULL,
    version       BIGINT NOT NULL DEFAULT 0,
    lease_owner   VARCHAR(128) NULL,
    lease_until   BIGINT NULL,
    PRIMARY KEY (token_key)
);
