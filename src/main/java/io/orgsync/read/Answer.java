package io.orgsync.read;

/** A read answer ready to write: its HTTP status and its JSON body, as bytes. */
public record Answer(int status, byte[] body) {
    /** About how many bytes of heap the answer takes: the body and the two objects around it. */
    long weight() {
        return 16 + 16 + body.length;
    }
}
