package io.orgsync.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeCom's callback encryption for one enterprise (docs/upstream.md, "WeCom contact-change callbacks"): the SHA-1 signature
 * over the sorted token, timestamp, nonce and ciphertext, and AES-256-CBC with the key's first 16
 * bytes as IV, padded PKCS#7-style to 32 bytes, around {@code random(16) + length(4) + msg + receiveid}.
 */
public final class CallbackCrypto {
    private static final int BLOCK = 32;
    private final String token;
    private final byte[] key;
    private final String receiveId;

    /** {@code aesKey}: the 43-character EncodingAESKey as WeCom's admin page shows it. */
    public CallbackCrypto(String token, String aesKey, String receiveId) {
        this.token = token;
        this.key = Base64.getDecoder().decode(aesKey + "=");
        if (key.length != 32) {
            throw new IllegalArgumentException("an EncodingAESKey decodes to 32 bytes");
        }
        this.receiveId = receiveId;
    }

    /** Whether {@code signature} is this enterprise's signature of the message; compared in constant time. */
    public boolean signed(String signature, String timestamp, String nonce, String encrypted) {
        if (signature == null) {
            return false;
        }
        return MessageDigest.isEqual(
                signature.toLowerCase().getBytes(StandardCharsets.US_ASCII),
                signature(token, timestamp, nonce, encrypted).getBytes(StandardCharsets.US_ASCII));
    }

    static String signature(String token, String timestamp, String nonce, String encrypted) {
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

    /**
     * The message inside {@code encrypted}.
     *
     * @throws CallbackRejected when it is not valid base64, not a whole number of blocks, badly
     *                          padded, of an impossible length, or sealed for another receiver
     */
    public String decrypt(String encrypted) {
        byte[] plain;
        try {
            byte[] sealed = Base64.getDecoder().decode(encrypted);
            if (sealed.length == 0 || sealed.length % 16 != 0) {
                throw new CallbackRejected("the encrypted payload is not a whole number of AES blocks");
            }
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
            plain = cipher.doFinal(sealed);
        } catch (IllegalArgumentException e) {
            throw new CallbackRejected("the encrypted payload is not base64");
        } catch (GeneralSecurityException e) {
            throw new CallbackRejected("the encrypted payload cannot be decrypted with this EncodingAESKey");
        }
        int pad = plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > BLOCK || pad > plain.length) {
            throw new CallbackRejected("the decrypted payload has an invalid padding (check the EncodingAESKey)");
        }
        int end = plain.length - pad;
        if (end < 20) {
            throw new CallbackRejected("the decrypted payload is too short");
        }
        long length = ((plain[16] & 0xffL) << 24)
                | ((plain[17] & 0xff) << 16)
                | ((plain[18] & 0xff) << 8)
                | (plain[19] & 0xff);
        if (length > end - 20) {
            throw new CallbackRejected("the decrypted payload's length field is wrong (check the EncodingAESKey)");
        }
        String msg = new String(plain, 20, (int) length, StandardCharsets.UTF_8);
        String receiver = new String(plain, 20 + (int) length, end - 20 - (int) length, StandardCharsets.UTF_8);
        if (!receiver.equals(receiveId)) {
            throw new CallbackRejected("the payload was sealed for another receiver, not " + receiveId);
        }
        return msg;
    }
}
