package io.orgsync.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * One member as the simulator keeps it: the truth, with every field filled. What an app is
 * allowed to see of it is decided when answering ({@code mobileVisible}).
 */
record SimMember(
        String userid,
        String name,
        List<Integer> departments,
        List<Integer> orders,
        List<Integer> leaderIn,
        List<String> directLeader,
        String position,
        String mobile,
        String gender,
        String email,
        String bizMail,
        String avatar,
        String telephone,
        String alias,
        int status,
        int mainDepartment,
        String address,
        boolean outsideAppRange) {

    static final List<Integer> STATUSES = List.of(1, 2, 4, 5);

    SimMember {
        departments = List.copyOf(departments);
        orders = List.copyOf(orders);
        leaderIn = List.copyOf(leaderIn);
        directLeader = List.copyOf(directLeader);
        if (departments.isEmpty()) {
            throw new IllegalArgumentException("a member needs at least one department");
        }
        if (orders.size() != departments.size() || leaderIn.size() != departments.size()) {
            throw new IllegalArgumentException("department, order and is_leader_in_dept must be parallel arrays");
        }
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be 1, 2, 4 or 5");
        }
        if (!departments.contains(mainDepartment)) {
            mainDepartment = departments.get(0);
        }
    }

    boolean inDepartment(int id) {
        return departments.contains(id);
    }

    /** This member under a new userid, every other field kept. */
    SimMember withUserid(String newUserid) {
        return with(newUserid, directLeader);
    }

    SimMember withDirectLeader(List<String> leaders) {
        return with(userid, leaders);
    }

    private SimMember with(String newUserid, List<String> leaders) {
        return new SimMember(
                newUserid,
                name,
                departments,
                orders,
                leaderIn,
                leaders,
                position,
                mobile,
                gender,
                email,
                bizMail,
                avatar,
                telephone,
                alias,
                status,
                mainDepartment,
                address,
                outsideAppRange);
    }

    /** This member out of the department; one left in no department goes to {@code fallback}. */
    SimMember withoutDepartment(int id, int fallback) {
        List<Integer> depts = new ArrayList<>();
        List<Integer> ords = new ArrayList<>();
        List<Integer> leader = new ArrayList<>();
        for (int i = 0; i < departments.size(); i++) {
            if (departments.get(i) != id) {
                depts.add(departments.get(i));
                ords.add(orders.get(i));
                leader.add(leaderIn.get(i));
            }
        }
        if (depts.isEmpty()) {
            depts.add(fallback);
            ords.add(0);
            leader.add(0);
        }
        return new SimMember(
                userid,
                name,
                depts,
                ords,
                leader,
                directLeader,
                position,
                mobile,
                gender,
                email,
                bizMail,
                avatar,
                telephone,
                alias,
                status,
                mainDepartment,
                address,
                outsideAppRange);
    }
}
