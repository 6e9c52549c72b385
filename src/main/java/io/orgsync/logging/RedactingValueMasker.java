package io.orgsync.logging;

import net.logstash.logback.mask.ValueMasker;
import tools.jackson.core.TokenStreamContext;

/** {@link Redaction} for the JSON log format: every string value (message, stack trace, ...) of a line. */
public final class RedactingValueMasker implements ValueMasker {
    @Override
    public Object mask(TokenStreamContext context, Object value) {
        if (value instanceof CharSequence text) {
            String redacted = Redaction.redact(text.toString());
            // null tells the encoder to write the value unchanged
            return redacted.contentEquals(text) ? null : redacted;
        }
        return null;
    }
}
