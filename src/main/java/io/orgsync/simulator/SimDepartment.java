package io.orgsync.simulator;

import java.util.List;

/** One department as the simulator keeps it. Root is id 1 with parent 0. */
record SimDepartment(int id, String name, String nameEn, int parentId, int order, List<String> leaders) {
    SimDepartment {
        leaders = List.copyOf(leaders);
    }

    SimDepartment withName(String newName) {
        return new SimDepartment(id, newName, nameEn, parentId, order, leaders);
    }

    SimDepartment withParent(int newParent) {
        return new SimDepartment(id, name, nameEn, newParent, order, leaders);
    }
}
