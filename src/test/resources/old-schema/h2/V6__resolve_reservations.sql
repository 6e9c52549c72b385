-- A resolve reserves one unit of its enterprise's daily "not found" budget before it calls
-- getuserid, under the lock of the resolve_budget row, so that failures plus reservations never
-- pass the budget on any number of nodes. The reservation is deleted when the number is found
-- or the call fails, or turned into a failure when WeCom says "not found"; one whose node died
-- is freed once expires_at passes.
CREATE TABLE resolve_reservation (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    corp_id     VARCHAR(64)  NOT NULL,
    day_key     VARCHAR(10)  NOT NULL,
    instance_id VARCHAR(128) NOT NULL,
    expires_at  BIGINT       NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX resolve_reservation_corp ON resolve_reservation (corp_id, day_key);

-- The enterprise's current run when a resolve last wrote the member. A run's apply leaves the
-- members resolved since it claimed the enterprise as the resolve stored them: WeCom told the
-- resolve about them after that run's fetch began.
ALTER TABLE member ADD COLUMN resolved_in_run BIGINT NULL;
CREATE INDEX member_resolved ON member (corp_id, resolved_in_run);
