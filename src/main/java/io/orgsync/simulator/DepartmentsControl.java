package io.orgsync.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** {@code /__sim/corps/{corpId}/departments}: departments added, renamed, moved and removed. */
final class DepartmentsControl {
    /** {@code POST}: without an id the department gets one above the highest; the parent defaults to the root. */
    record NewDepartment(
            Integer id,
            String name,
            @JsonProperty("name_en") String nameEn,
            Integer parentid,
            Integer order) {
        NewDepartment {
            Fields.zeroOrMore("id", id, null);
            Fields.required("name", name);
            nameEn = nameEn == null ? "" : nameEn;
            parentid = Fields.zeroOrMore("parentid", parentid, 1);
            order = Fields.zeroOrMore("order", order, 0);
        }

        SimDepartment in(Org org) {
            return new SimDepartment(id == null ? org.nextDepartmentId() : id, name, nameEn, parentid, order);
        }
    }

    /** {@code PATCH}: a new name, a new parent, or both. */
    record DepartmentChange(String name, Integer parentid) {
        DepartmentChange {
            name = name == null ? null : Fields.required("name", name);
            Fields.zeroOrMore("parentid", parentid, null);
        }
    }

    private final Simulator sim;

    DepartmentsControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.post("/__sim/corps/{corpId}/departments", this::create);
        r.patch("/__sim/corps/{corpId}/departments/{id}", this::change);
        r.delete("/__sim/corps/{corpId}/departments/{id}", this::delete);
    }

    private void create(Context ctx) {
        SimCorp corp = CorpsControl.existing(sim, ctx);
        NewDepartment body = ControlJson.read(ctx, NewDepartment.class);
        AtomicReference<SimDepartment> made = new AtomicReference<>();
        corp.change(org -> {
            SimDepartment d = body.in(org);
            if (org.department(d.id()) != null) {
                throw ControlException.conflict("department " + d.id() + " already exists");
            }
            made.set(d);
            return org.withDepartment(d);
        });
        ControlJson.reply(ctx, 201, OrgExport.department(made.get()));
    }

    private void change(Context ctx) {
        SimCorp corp = CorpsControl.existing(sim, ctx);
        int id = departmentId(ctx);
        DepartmentChange body = ControlJson.read(ctx, DepartmentChange.class);
        Org changed = corp.change(org -> {
            SimDepartment d = current(org, id);
            if (body.name() != null) {
                d = d.withName(body.name());
            }
            if (body.parentid() != null) {
                if (id == 1) {
                    throw ControlException.badRequest("the root department cannot move");
                }
                if (org.subtree(id).stream().anyMatch(below -> below.id() == body.parentid())) {
                    throw ControlException.badRequest("a department cannot move below itself");
                }
                d = d.withParent(body.parentid());
            }
            return org.withDepartment(d);
        });
        ControlJson.reply(ctx, 200, OrgExport.department(changed.department(id)));
    }

    private void delete(Context ctx) {
        SimCorp corp = CorpsControl.existing(sim, ctx);
        int id = departmentId(ctx);
        corp.change(org -> {
            current(org, id);
            if (id == 1) {
                throw ControlException.badRequest("the root department cannot be deleted");
            }
            if (org.hasChildren(id)) {
                throw ControlException.conflict("department " + id + " has sub-departments; delete or move them first");
            }
            return org.withoutDepartment(id);
        });
        ControlJson.reply(ctx, 200, Map.of("deleted", id));
    }

    private static SimDepartment current(Org org, int id) {
        SimDepartment d = org.department(id);
        if (d == null) {
            throw ControlException.notFound("no department " + id);
        }
        return d;
    }

    private static int departmentId(Context ctx) {
        try {
            return Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ControlException.badRequest("department id must be a number");
        }
    }
}
