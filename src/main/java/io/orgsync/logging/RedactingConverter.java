package io.orgsync.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

/** {@code %redact(...)} in a logback pattern: the enclosed output passed through {@link Redaction}. */
public final class RedactingConverter extends CompositeConverter<ILoggingEvent> {
    @Override
    protected String transform(ILoggingEvent event, String in) {
        return Redaction.redact(in);
    }
}
