package io.orgsync.simulator;

/**
 * One department as the simulator keeps it. Root is id 1 with parent 0. Its leaders are not kept
 * here: they are the members marked {@code is_leader_in_dept} in it ({@link Org#leaders}), as in
 * WeCom, where the two are one setting.
 */
record SimDepartment(int id, String name, String nameEn, int parentId, int order) {
    SimDepartment withName(String newName) {
        return new SimDepartment(id, newName, nameEn, parentId, order);
    }

    SimDepartment withParent(int newParent) {
        return new SimDepartment(id, name, nameEn, newParent, order);
    }
}
