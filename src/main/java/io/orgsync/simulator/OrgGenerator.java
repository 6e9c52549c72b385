package io.orgsync.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Makes an organisation from a seed: the same seed and sizes always give the same org
 * ({@link Random}'s sequence is fixed by its specification). The tree is several levels deep,
 * some members sit in several departments, every status occurs, and mobiles are mainland and
 * international. Aliases come from a second sequence and direct leaders (the nearest leader at or
 * above a member's main department) from the members made, so a seed's members keep every value
 * they had before these two fields were generated.
 */
final class OrgGenerator {
    private static final String[] UNITS = {
        "研发", "产品", "市场", "销售", "财务", "人力资源", "法务", "运营", "客服", "采购", "行政", "质量", "测试", "设计", "数据", "安全", "基础架构", "供应链",
        "品牌", "海外"
    };
    private static final String[] UNITS_EN = {
        "R&D",
        "Product",
        "Marketing",
        "Sales",
        "Finance",
        "HR",
        "Legal",
        "Operations",
        "Support",
        "Purchasing",
        "Admin",
        "Quality",
        "Testing",
        "Design",
        "Data",
        "Security",
        "Infrastructure",
        "Supply",
        "Brand",
        "Overseas"
    };
    private static final String[] SURNAMES = {
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"
    };
    private static final String[] SURNAMES_PINYIN = {
        "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu",
        "guo"
    };
    private static final String[] GIVEN = {
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞"
    };
    private static final String[] GIVEN_PINYIN = {
        "wei", "fang", "na", "min", "jing", "li", "qiang", "lei", "jun", "yang", "yong", "yan", "jie", "juan", "tao",
        "ming", "chao", "xia"
    };
    private static final String[] ALIASES = {"Jack", "Lily", "Tom", "Amy", "Leo", "Eva", "Sam", "Zoe", "Max", "Ivy"};
    private static final String[] POSITIONS = {"工程师", "高级工程师", "经理", "总监", "专员", "助理", "设计师", "分析师", "顾问", ""};
    private static final String[] COUNTRY_CODES = {"+852", "+853", "+886", "+1", "+44", "+65", "+81"};
    private static final int MAX_DEPTH = 7;

    private OrgGenerator() {}

    static Org generate(String corpName, long seed, int departmentCount, int memberCount) {
        if (departmentCount < 1 || departmentCount > 100_000) {
            throw new IllegalArgumentException("departments must be from 1 to 100000");
        }
        if (memberCount < 0 || memberCount > 1_000_000) {
            throw new IllegalArgumentException("members must be from 0 to 1000000");
        }
        Random random = new Random(seed);
        List<SimDepartment> departments = new ArrayList<>();
        int[] depth = new int[departmentCount + 1];
        departments.add(new SimDepartment(1, corpName, "Head office", 0, 100_000_000));
        depth[1] = 0;
        for (int id = 2; id <= departmentCount; id++) {
            int parent;
            do {
                // half the time stay near the newest departments, which makes the tree deep
                parent = random.nextBoolean()
                        ? Math.max(1, id - 1 - random.nextInt(Math.min(5, id - 1)))
                        : 1 + random.nextInt(id - 1);
            } while (depth[parent] >= MAX_DEPTH);
            depth[id] = depth[parent] + 1;
            int unit = random.nextInt(UNITS.length);
            departments.add(new SimDepartment(
                    id, UNITS[unit] + "部" + id, UNITS_EN[unit] + " " + id, parent, random.nextInt(100_000_000)));
        }

        Random extras = new Random(seed ^ 0x5EED_A11A5L);
        List<SimMember> members = new ArrayList<>();
        Set<String> mobiles = new HashSet<>();
        for (int i = 1; i <= memberCount; i++) {
            int s = random.nextInt(SURNAMES.length);
            int g = random.nextInt(GIVEN.length);
            String userid = SURNAMES_PINYIN[s] + GIVEN_PINYIN[g] + String.format("%05d", i);
            List<Integer> depts = new ArrayList<>();
            depts.add(departmentCount == 1 ? 1 : 2 + random.nextInt(departmentCount - 1));
            if (departmentCount > 3 && random.nextInt(100) < 15) {
                int extra = 1 + random.nextInt(2);
                for (int e = 0; e < extra; e++) {
                    int d = 2 + random.nextInt(departmentCount - 1);
                    if (!depts.contains(d)) {
                        depts.add(d);
                    }
                }
            }
            List<Integer> orders = new ArrayList<>();
            List<Integer> leader = new ArrayList<>();
            for (int ignored : depts) {
                orders.add(random.nextInt(10_000));
                leader.add(random.nextInt(100) < 5 ? 1 : 0);
            }
            int roll = random.nextInt(100);
            int status = roll < 80 ? 1 : roll < 88 ? 4 : roll < 95 ? 2 : 5;
            String mobile;
            do {
                mobile = random.nextInt(100) < 88
                        ? "1" + (3 + random.nextInt(7)) + digits(random, 9)
                        : COUNTRY_CODES[random.nextInt(COUNTRY_CODES.length)] + " " + (1 + random.nextInt(9))
                                + digits(random, 7 + random.nextInt(3));
            } while (!mobiles.add(Mobiles.normalise(mobile)));
            members.add(new SimMember(
                    userid,
                    SURNAMES[s] + GIVEN[g],
                    depts,
                    orders,
                    leader,
                    List.of(),
                    POSITIONS[random.nextInt(POSITIONS.length)],
                    mobile,
                    random.nextBoolean() ? "1" : "2",
                    userid + "@corp.example.com",
                    userid + "@biz.example.com",
                    "https://wework.qpic.cn/avatar/" + userid + "/0",
                    "010-" + digits(random, 8),
                    extras.nextInt(100) < 30
                            ? ALIASES[extras.nextInt(ALIASES.length)] + " " + capitalised(SURNAMES_PINYIN[s])
                            : "",
                    status,
                    depts.get(0),
                    "",
                    false));
        }
        return new Org(departments, withDirectLeaders(departments, members));
    }

    /** Each member's direct leader: the first leader of its main department or the nearest above it. */
    private static List<SimMember> withDirectLeaders(List<SimDepartment> departments, List<SimMember> members) {
        Map<Integer, String> firstLeader = new HashMap<>();
        for (SimMember m : members) {
            for (int i = 0; i < m.departments().size(); i++) {
                if (m.leaderIn().get(i) == 1) {
                    firstLeader.putIfAbsent(m.departments().get(i), m.userid());
                }
            }
        }
        Map<Integer, Integer> parentOf = new HashMap<>();
        departments.forEach(d -> parentOf.put(d.id(), d.parentId()));
        List<SimMember> out = new ArrayList<>(members.size());
        for (SimMember m : members) {
            String leader = null;
            for (int d = m.mainDepartment(); d != 0 && leader == null; d = parentOf.get(d)) {
                String candidate = firstLeader.get(d);
                leader = m.userid().equals(candidate) ? null : candidate;
            }
            out.add(leader == null ? m : m.withDirectLeader(List.of(leader)));
        }
        return out;
    }

    private static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static String digits(Random random, int count) {
        StringBuilder sb = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        return sb.toString();
    }
}
