package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** orgsync's receiving side against Tencent's published sample (docs/upstream.md, "WeCom contact-change callbacks"), and what it must refuse. */
class CallbackCryptoTest {
    static final String TOKEN = "QDG6eK";
    static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    static final String CORP = "wx5823bf96d3bd56c7";
    static final String ECHO =
            "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

    @Test
    void verifiesAndDecryptsTencentsSample() {
        CallbackCrypto crypto = new CallbackCrypto(TOKEN, AES_KEY, CORP);
        assertTrue(crypto.signed("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", ECHO));
        assertEquals("1616140317555161061", crypto.decrypt(ECHO));
    }

    @Test
    void refusesAnotherSignatureReceiverOrKey() {
        CallbackCrypto crypto = new CallbackCrypto(TOKEN, AES_KEY, CORP);
        assertFalse(crypto.signed("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4", "1409659589", "263014780", ECHO));
        assertFalse(crypto.signed("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659590", "263014780", ECHO));
        assertThrows(CallbackRejected.class, () -> new CallbackCrypto(TOKEN, AES_KEY, "ww-other").decrypt(ECHO));
        assertThrows(CallbackRejected.class, () -> new CallbackCrypto(TOKEN, "A".repeat(43), CORP).decrypt(ECHO));
        assertThrows(CallbackRejected.class, () -> crypto.decrypt("not base64!"));
        assertThrows(CallbackRejected.class, () -> crypto.decrypt("AAAA"));
    }
}
