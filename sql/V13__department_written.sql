-- The enterprise's current run when a callback event last created, changed or deleted a
-- department (for members: member.resolved_in_run). That run's apply leaves such a department
-- as the event left it: WeCom told the event about it after the run had read the tree. An apply
-- deletes the rows of its own and older runs, which no later run needs.
CREATE TABLE department_written (
    corp_id       VARCHAR(64) NOT NULL,
    department_id BIGINT      NOT NULL,
    run_id        BIGINT      NOT NULL,
    PRIMARY KEY (corp_id, department_id)
)${tableOptions};
