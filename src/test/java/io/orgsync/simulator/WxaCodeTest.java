package io.orgsync.simulator;

import static io.orgsync.simulator.SimHttp.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /wxa/getwxacodeunlimit: images, and the JSON errors on HTTP 200. */
class WxaCodeTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    String token;

    @BeforeEach
    void fresh() {
        SimHttp.Resp app = s.post(
                "/__sim/apps",
                map("appId", "wxcode", "secret", "sec", "pages", List.of("pages/index/index", "pages/shop/item")));
        assertEquals(201, app.status(), app::text);
        token = s.get("/cgi-bin/token?grant_type=client_credential&appid=wxcode&secret=sec")
                .json()
                .get("access_token")
                .asText();
    }

    private SimHttp.Resp code(Object body) {
        return s.post("/wxa/getwxacodeunlimit?access_token=" + token, body);
    }

    private static BufferedImage decode(SimHttp.Resp r) throws IOException {
        assertEquals(200, r.status());
        assertEquals("image/jpeg", r.contentType(), r::text);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.bytes()));
        assertNotNull(img, "the bytes decode as an image");
        return img;
    }

    @Test
    void answersAJpegThatDecodes() throws IOException {
        BufferedImage img = decode(code(map("scene", "id=42&x=1", "page", "pages/shop/item", "width", 430)));
        assertEquals(430, img.getWidth());
        BufferedImage wide = decode(code(map("scene", "id=42", "width", 1280)));
        assertEquals(1280, wide.getWidth());
        decode(code(map("scene", "0-9AZaz!#$&'()*+,/:;=?@-._~")));
    }

    @Test
    void differentScenesDifferSameParamsAreEqual() throws IOException {
        Map<String, Object> a = map("scene", "u=1", "page", "pages/index/index", "env_version", "release");
        byte[] first = code(a).bytes();
        byte[] again = code(a).bytes();
        byte[] other = code(map("scene", "u=2", "page", "pages/index/index", "env_version", "release"))
                .bytes();
        decode(code(a));
        assertArrayEquals(first, again);
        assertFalse(java.util.Arrays.equals(first, other));
    }

    @Test
    void sceneErrors() {
        assertJsonErr(code(map("scene", "has space")), 40129);
        assertJsonErr(code(map("scene", "中文")), 40129);
        assertJsonErr(code(map("scene", "")), 40129);
        assertJsonErr(code(map("page", "pages/index/index")), 40129);
        assertJsonErr(code(map("scene", "x".repeat(33))), 40169);
        decode0(code(map("scene", "x".repeat(32))));
        assertJsonErr(code("not json"), 40169);
        assertJsonErr(code("[1,2]"), 40169);
    }

    @Test
    void pageErrors() {
        assertJsonErr(code(map("scene", "a", "page", "/pages/index/index")), 41030);
        assertJsonErr(code(map("scene", "a", "page", "pages/unknown/page")), 41030);
        assertJsonErr(code(map("scene", "a", "page", "pages/index/index?x=1")), 41030);
        decode0(code(map("scene", "a", "page", "pages/unknown/page", "check_path", false)));
        decode0(code(map("scene", "a", "page", "pages/shop/item", "check_path", true)));
    }

    @Test
    void widthAndEnvVersionErrors() {
        assertJsonErr(code(map("scene", "a", "width", 279)), 40097);
        assertJsonErr(code(map("scene", "a", "width", 1281)), 40097);
        decode0(code(map("scene", "a", "width", 280)));
        assertJsonErr(code(map("scene", "a", "env_version", "beta")), 40097);
        for (String env : List.of("release", "trial", "develop")) {
            decode0(code(map("scene", "a", "env_version", env)));
        }
    }

    @Test
    void codeCallsPerMinuteLimit() {
        s.limits("wxacodePerMinute", 3);
        for (int i = 0; i < 3; i++) {
            decode0(code(map("scene", "n=" + i)));
        }
        assertJsonErr(code(map("scene", "n=9")), 45009);
        s.advance(61);
        decode0(code(map("scene", "n=10")));
    }

    private static void decode0(SimHttp.Resp r) {
        try {
            decode(r);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertJsonErr(SimHttp.Resp r, int code) {
        r.assertErr(code);
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        assertTrue(r.text().startsWith("{"));
    }
}
