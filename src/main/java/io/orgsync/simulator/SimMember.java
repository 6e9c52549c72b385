package io.orgsync.simulator;

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
}
