package io.orgsync.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The simulator's WeCom-side encryption against Tencent's published sample (docs/upstream.md, "WeCom contact-change callbacks"). */
class EventSealerTest {
    static final String TOKEN = "QDG6eK";
    static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    static final String CORP = "wx5823bf96d3bd56c7";
    static final String ECHO =
            "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

    @Test
    void signsAndOpensTencentsSampleVerification() {
        EventSealer sealer = new EventSealer(TOKEN, AES_KEY, CORP);
        assertEquals("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", sealer.sign("1409659589", "263014780", ECHO));
        assertArrayEquals(new String[] {"1616140317555161061", CORP}, sealer.open(ECHO));
    }

    @Test
    void sealsWhatItOpensWithA32BytePad() {
        EventSealer sealer = new EventSealer(TOKEN, AES_KEY, CORP);
        // 16 + 4 + 12 + 18 = 50 bytes: padded to 64; a plaintext of exactly 64 would get a whole extra 32
        String sealed = sealer.seal("twelve bytes", new byte[16]);
        assertEquals(64, java.util.Base64.getDecoder().decode(sealed).length);
        assertArrayEquals(new String[] {"twelve bytes", CORP}, sealer.open(sealed));
        String exact = sealer.seal("x".repeat(64 - 16 - 4 - CORP.length()), new byte[16]);
        assertEquals(96, java.util.Base64.getDecoder().decode(exact).length);
    }
}
