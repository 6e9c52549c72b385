package io.orgsync.wecom;

import java.util.List;

/**
 * A member as user/list and user/get return it. {@code mobile} is empty for apps created after
 * 2022-06-20, which WeCom no longer shows mobiles, e-mails or avatars.
 */
public record WecomMember(
        String userid,
        String name,
        String mobile,
        String email,
        String position,
        int status,
        int mainDepartment,
        List<Integer> departments) {
    public WecomMember {
        departments = List.copyOf(departments);
    }
}
