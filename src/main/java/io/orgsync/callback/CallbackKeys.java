package io.orgsync.callback;

/** An enterprise's callback Token and EncodingAESKey, opened: never logged ({@link #toString()} leaves them out). */
public record CallbackKeys(String corpId, String token, String aesKey) {
    public CallbackCrypto crypto() {
        return new CallbackCrypto(token, aesKey, corpId);
    }

    @Override
    public String toString() {
        return "CallbackKeys[" + corpId + "]";
    }
}
