package io.orgsync.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeCom's side of the callback encryption (its WXBizMsgCrypt): seals a message for a receiver and
 * signs it. Written from docs/upstream.md, "WeCom contact-change callbacks" alone, not from orgsync's receiving code, so that
 * the two can only agree by both being right. Opens too, for the published test vector. Public
 * for tests that play WeCom by hand (replays, forged signatures).
 */
public final class EventSealer {
    private static final int BLOCK = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final String token;
    private final byte[] key;
    private final String receiveId;

    public EventSealer(String token, String encodingAesKey, String receiveId) {
        if (token == null || !token.matches("[A-Za-z0-9]{1,32}")) {
            throw new IllegalArgumentException("token must be 1 to 32 letters or digits");
        }
        if (encodingAesKey == null || !encodingAesKey.matches("[A-Za-z0-9]{43}")) {
            throw new IllegalArgumentException("aesKey must be 43 letters or digits");
        }
        this.token = token;
        this.key = Base64.getDecoder().decode(encodingAesKey + "=");
        this.receiveId = receiveId;
    }

    public String sign(String timestamp, String nonce, String encrypted) {
        String[] parts = {token, timestamp, nonce, encrypted};
        Arrays.sort(parts);
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1")
                            .digest(String.join("", parts).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String seal(String message) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return seal(message, random);
    }

    String seal(String message, byte[] random) {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        byte[] receiver = receiveId.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        plain.writeBytes(random);
        plain.writeBytes(ByteBuffer.allocate(4).putInt(msg.length).array());
        plain.writeBytes(msg);
        plain.writeBytes(receiver);
        int pad = BLOCK - plain.size() % BLOCK;
        for (int i = 0; i < pad; i++) {
            plain.write(pad);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
            return Base64.getEncoder().encodeToString(cipher.doFinal(plain.toByteArray()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message and the receiver inside {@code encrypted}: {@code [message, receiveid]}. */
    String[] open(String encrypted) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
            byte[] plain = cipher.doFinal(Base64.getDecoder().decode(encrypted));
            int end = plain.length - (plain[plain.length - 1] & 0xff);
            int length = ByteBuffer.wrap(plain, 16, 4).getInt();
            return new String[] {
                new String(plain, 20, length, StandardCharsets.UTF_8),
                new String(plain, 20 + length, end - 20 - length, StandardCharsets.UTF_8)
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot open", e);
        }
    }
}
