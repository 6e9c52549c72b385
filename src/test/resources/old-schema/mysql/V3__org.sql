-- Enterprises, their copied organisation, sync runs, mini-program apps, resolve guards and
-- cluster membership. Times are epoch milliseconds (BIGINT), like the Quartz tables.

-- An enterprise belongs to the environment that manages it: only that environment's
-- scheduler syncs it. The secret is stored encrypted when ORGSYNC_SECRET_KEY is set.
CREATE TABLE enterprise (
    corp_id        VARCHAR(64)   NOT NULL,
    env            VARCHAR(32)   NOT NULL,
    name           VARCHAR(200)  NOT NULL,
    secret         VARCHAR(1024) NOT NULL,
    cron           VARCHAR(120)  NOT NULL,
    enabled        BOOLEAN       NOT NULL,
    agent_id       BIGINT        NULL,
    current_run_id BIGINT        NULL,
    created_at     BIGINT        NOT NULL,
    updated_at     BIGINT        NOT NULL,
    PRIMARY KEY (corp_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE department (
    corp_id    VARCHAR(64)  NOT NULL,
    id         BIGINT       NOT NULL,
    name       VARCHAR(255) NOT NULL,
    parent_id  BIGINT       NOT NULL,
    sort_order BIGINT       NOT NULL,
    PRIMARY KEY (corp_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- departed: missing upstream after a complete fetch. mobile_source: 'sync' when user/list
-- showed it, 'resolve' when learned through getuserid (apps created after 2022-06-20).
CREATE TABLE member (
    corp_id         VARCHAR(64)  NOT NULL,
    userid          VARCHAR(64)  NOT NULL,
    name            VARCHAR(255) NOT NULL,
    mobile          VARCHAR(20)  NULL,
    mobile_source   VARCHAR(8)   NULL,
    email           VARCHAR(255) NOT NULL,
    position        VARCHAR(255) NOT NULL,
    status          INT          NOT NULL,
    main_department BIGINT       NOT NULL,
    departed        BOOLEAN      NOT NULL,
    updated_at      BIGINT       NOT NULL,
    PRIMARY KEY (corp_id, userid),
    KEY member_mobile (mobile)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE member_department (
    corp_id       VARCHAR(64) NOT NULL,
    userid        VARCHAR(64) NOT NULL,
    department_id BIGINT      NOT NULL,
    PRIMARY KEY (corp_id, userid, department_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE sync_run (
    id               BIGINT        NOT NULL AUTO_INCREMENT,
    corp_id          VARCHAR(64)   NOT NULL,
    instance_id      VARCHAR(128)  NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    started_at       BIGINT        NOT NULL,
    finished_at      BIGINT        NULL,
    departments      INT           NOT NULL DEFAULT 0,
    members_added    INT           NOT NULL DEFAULT 0,
    members_updated  INT           NOT NULL DEFAULT 0,
    members_removed  INT           NOT NULL DEFAULT 0,
    upstream_calls   INT           NOT NULL DEFAULT 0,
    error            VARCHAR(1000) NULL,
    PRIMARY KEY (id),
    KEY sync_run_corp (corp_id, id),
    KEY sync_run_status (status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE miniapp (
    app_id     VARCHAR(64)   NOT NULL,
    name       VARCHAR(200)  NOT NULL,
    secret     VARCHAR(1024) NOT NULL,
    token_mode VARCHAR(8)    NOT NULL,
    created_at BIGINT        NOT NULL,
    updated_at BIGINT        NOT NULL,
    PRIMARY KEY (app_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A mobile WeCom said "not found" for: not asked again until expires_at.
CREATE TABLE resolve_miss (
    corp_id    VARCHAR(64) NOT NULL,
    mobile     VARCHAR(20) NOT NULL,
    expires_at BIGINT      NOT NULL,
    PRIMARY KEY (corp_id, mobile)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- getuserid failures per enterprise and day (China time), cluster-wide.
CREATE TABLE resolve_budget (
    corp_id  VARCHAR(64) NOT NULL,
    day_key  VARCHAR(10) NOT NULL,
    failures INT         NOT NULL,
    PRIMARY KEY (corp_id, day_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE cluster_node (
    instance_id       VARCHAR(128) NOT NULL,
    env               VARCHAR(32)  NOT NULL,
    version           VARCHAR(64)  NOT NULL,
    scheduler_enabled BOOLEAN      NOT NULL,
    read_only         BOOLEAN      NOT NULL,
    fenced            BOOLEAN      NOT NULL,
    started_at        BIGINT       NOT NULL,
    last_seen         BIGINT       NOT NULL,
    PRIMARY KEY (instance_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
