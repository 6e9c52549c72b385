package io.orgsync.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.enterprise.EnterpriseJobs;
import io.orgsync.enterprise.EnterpriseService;
import io.orgsync.member.MemberReads;
import io.orgsync.member.StoredDepartment;
import io.orgsync.member.StoredMember;
import io.orgsync.store.Database;
import io.orgsync.store.SecretCipher;
import io.orgsync.store.Sql;
import io.orgsync.testing.TestDatabases;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The org unit on both databases: every changed member and department is logged in the write's
 * own transaction with a per-enterprise sequence number, kind, fields and source; a write that
 * changes nothing logs nothing and keeps the version; a failed write leaves neither rows nor
 * numbers; listeners hear exactly what committed.
 */
class OrgWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORP = "ww-org-writer";

    private static final EnterpriseJobs NO_JOBS = new EnterpriseJobs() {
        public void scheduleOrUpdate(io.orgsync.enterprise.Enterprise e) {}

        public void remove(String corpId) {}
    };

    /** What the listener heard. */
    private static final class Heard implements OrgWriter.Listener {
        final List<List<OrgChange>> written = new ArrayList<>();

        public void written(String corpId, long version, List<OrgChange> changes) {
            written.add(changes);
        }

        public void registered(String corpId) {}

        public void removed(String corpId) {}
    }

    private static Database open(String dialect, String name) throws SQLException {
        String url = TestDatabases.url(dialect, name);
        Database db = Database.open(url, TestDatabases.user(url), TestDatabases.password(url), false, "org", 4);
        db.migrate();
        return db;
    }

    private static OrgWriter registered(Database db, String corpId) throws Exception {
        OrgWriter writer = new OrgWriter(db.dataSource(), Clock.systemUTC());
        new EnterpriseService(
                        db.dataSource(),
                        new SecretCipher(null),
                        NO_JOBS,
                        Clock.systemUTC(),
                        new EnterpriseService.Config("prod"),
                        writer)
                .put(corpId, new EnterpriseChange("Org Co", "org-writer-secret-0123456789", "0 0 3 * * ?", true, null));
        return writer;
    }

    private static StoredMember member(String userid, String name, String mobile, long... departments) {
        Set<Long> in = new HashSet<>();
        for (long d : departments) {
            in.add(d);
        }
        return new StoredMember(
                userid,
                name,
                mobile,
                mobile == null ? null : "sync",
                null,
                null,
                1,
                departments[0],
                false,
                in,
                null,
                null,
                null,
                null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void everyChangeIsLoggedInOrderWithItsKindFieldsAndSource(String dialect) throws Exception {
        try (Database db = open(dialect, "org_writer_log")) {
            OrgWriter writer = registered(db, CORP);
            Heard heard = new Heard();
            writer.listen(heard);
            ChangeLog log = new ChangeLog(db.dataSource());

            writer.write(CORP, OrgChange.Source.SYNC, tx -> {
                tx.putDepartments(List.of(
                        new OrgTransaction.DepartmentWrite(null, new StoredDepartment(1, "总部", 0, 1)),
                        new OrgTransaction.DepartmentWrite(null, new StoredDepartment(2, "研发", 1, 1))));
                tx.putMembers(List.of(
                        new OrgTransaction.MemberWrite(null, member("zhang", "张三", "13800000001", 2)),
                        new OrgTransaction.MemberWrite(null, member("li", "李四", "13800000002", 1))));
                return true;
            });
            List<OrgChange> first = log.after(CORP, 0, 100);
            assertEquals(
                    List.of(1L, 2L, 3L, 4L), first.stream().map(OrgChange::seq).toList());
            assertEquals(
                    List.of("department.created", "department.created", "member.created", "member.created"),
                    first.stream().map(c -> c.kind().type()).toList());
            assertTrue(first.stream().allMatch(c -> c.source() == OrgChange.Source.SYNC));
            JsonNode zhang = JSON.readTree(first.get(2).data());
            assertEquals("张三", zhang.path("name").asText());
            assertEquals("总部/研发", zhang.path("departments").get(0).path("path").asText(), zhang.toString());
            assertEquals(Set.of("13800000001"), first.get(2).touched().mobiles());
            assertEquals(first, heard.written.get(0), "the listener hears what was logged");

            // a rename and a new number, a departure, by an event
            StoredMember zhangNow = Sql.withConnection(
                            db.dataSource(), c -> MemberReads.findForUpdate(c, CORP, "zhang"))
                    .orElseThrow();
            writer.write(CORP, OrgChange.Source.EVENT, tx -> {
                tx.putMember(zhangNow, member("zhang", "张三丰", "13800000009", 2));
                StoredMember li =
                        MemberReads.findForUpdate(tx.connection(), CORP, "li").orElseThrow();
                tx.putMember(li, li.leaving());
                return true;
            });
            List<OrgChange> second = log.after(CORP, 4, 100);
            assertEquals(List.of(5L, 6L), second.stream().map(OrgChange::seq).toList());
            assertEquals(OrgChange.Kind.MEMBER_UPDATED, second.get(0).kind());
            assertEquals(List.of("name", "mobile"), second.get(0).changedFields());
            assertEquals(
                    Set.of("13800000001", "13800000009"),
                    second.get(0).touched().mobiles());
            assertEquals(OrgChange.Kind.MEMBER_DEPARTED, second.get(1).kind());
            assertEquals(5, JSON.readTree(second.get(1).data()).path("status").asInt(), "departed shows status 5");
            assertTrue(second.stream().allMatch(c -> c.source() == OrgChange.Source.EVENT));
            assertEquals(6, log.latest(CORP));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aWriteThatChangesNothingLogsNothingAndKeepsTheVersion(String dialect) throws Exception {
        try (Database db = open(dialect, "org_writer_same")) {
            OrgWriter writer = registered(db, CORP);
            StoredMember m = member("wang", "王五", "13800000003", 1);
            writer.write(CORP, OrgChange.Source.SYNC, tx -> {
                tx.putMember(null, m);
                return true;
            });
            long version = version(db);
            Heard heard = new Heard();
            writer.listen(heard);

            writer.write(CORP, OrgChange.Source.SYNC, tx -> {
                tx.putMember(m, m);
                return true;
            });
            assertEquals(version, version(db));
            assertEquals(1, new ChangeLog(db.dataSource()).latest(CORP));
            assertEquals(List.of(), heard.written);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aFailedWriteLeavesNoRowAndNoNumber(String dialect) throws Exception {
        try (Database db = open(dialect, "org_writer_fail")) {
            OrgWriter writer = registered(db, CORP);
            assertThrows(
                    IllegalStateException.class,
                    () -> writer.write(CORP, OrgChange.Source.RESOLVE, tx -> {
                        tx.putMember(null, member("zhao", "赵六", "13800000004", 1));
                        throw new IllegalStateException("the writer changed its mind");
                    }));
            ChangeLog log = new ChangeLog(db.dataSource());
            assertEquals(0, log.latest(CORP));
            assertEquals(List.of(), log.after(CORP, 0, 10));
            assertTrue(Sql.withConnection(db.dataSource(), c -> MemberReads.loadForSync(c, CORP))
                    .isEmpty());

            writer.write(CORP, OrgChange.Source.RESOLVE, tx -> {
                tx.putMember(null, member("zhao", "赵六", "13800000004", 1));
                return true;
            });
            assertEquals(
                    List.of(1L),
                    log.after(CORP, 0, 10).stream().map(OrgChange::seq).toList());
            assertEquals(OrgChange.Source.RESOLVE, log.after(CORP, 0, 10).get(0).source());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void anEnterpriseNotRegisteredIsNotWritten(String dialect) throws Exception {
        try (Database db = open(dialect, "org_writer_unknown")) {
            OrgWriter writer = new OrgWriter(db.dataSource(), Clock.systemUTC());
            Optional<Boolean> done = writer.write("ww-nobody", OrgChange.Source.ADMIN, tx -> {
                tx.putMember(null, member("ghost", "幽灵", null, 1));
                return true;
            });
            assertEquals(Optional.empty(), done);
            assertEquals(List.of(), new ChangeLog(db.dataSource()).after("ww-nobody", 0, 10));
        }
    }

    /** Writers of one enterprise in parallel: each number given once, none skipped. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void parallelWritersGetOneUnbrokenSequence(String dialect) throws Exception {
        try (Database db = open(dialect, "org_writer_parallel")) {
            OrgWriter writer = registered(db, CORP);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    String userid = "user" + i;
                    futures.add(pool.submit(() -> writer.write(CORP, OrgChange.Source.EVENT, tx -> {
                        tx.putMember(null, member(userid, "成员" + userid, null, 1));
                        return true;
                    })));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            List<OrgChange> all = new ChangeLog(db.dataSource()).after(CORP, 0, 100);
            assertEquals(40, all.size());
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i + 1, all.get(i).seq());
            }
            assertEquals(40, new HashSet<>(all.stream().map(OrgChange::subject).toList()).size());
        }
    }

    private static long version(Database db) throws SQLException {
        return Sql.withConnection(
                db.dataSource(),
                c -> Sql.one(c, "SELECT version FROM org_version WHERE corp_id = ?", rs -> rs.getLong(1), CORP)
                        .orElse(0L));
    }
}
