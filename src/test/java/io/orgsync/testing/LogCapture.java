package io.orgsync.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The log lines of this JVM while a test records them, through the appender that
 * src/test/resources/logback-test.xml attaches to the root logger. Each line is kept twice: as
 * the production pattern renders it (what an operator or a log shipper gets) and as the code
 * wrote it, before the pattern's last-resort redaction, so that a test can hold our own log
 * calls to the rule and not only the rendered output.
 */
public final class LogCapture implements AutoCloseable {
    private static final List<LogCapture> ACTIVE = new CopyOnWriteArrayList<>();

    /** One event: its logger, the rendered line(s) and the unredacted message with its exception chain. */
    public record Line(String logger, String rendered, String written) {
        public boolean ours() {
            return logger.startsWith("io.orgsync.");
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {}

    /** Starts recording every log line of this JVM until {@link #close}. */
    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        ACTIVE.add(capture);
        return capture;
    }

    public List<Line> lines() {
        return new ArrayList<>(lines);
    }

    /** Whether a rendered line contains {@code text}. */
    public boolean contains(String text) {
        return lines.stream().anyMatch(l -> l.rendered().contains(text));
    }

    @Override
    public void close() {
        ACTIVE.remove(this);
    }

    /** The logback appender (configured in logback-test.xml). */
    public static final class Appender extends AppenderBase<ILoggingEvent> {
        private Encoder<ILoggingEvent> encoder;

        public void setEncoder(Encoder<ILoggingEvent> encoder) {
            this.encoder = encoder;
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (ACTIVE.isEmpty()) {
                return;
            }
            String rendered = encoder == null
                    ? event.getFormattedMessage()
                    : new String(encoder.encode(event), StandardCharsets.UTF_8);
            StringBuilder written = new StringBuilder(String.valueOf(event.getFormattedMessage()));
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                written.append("\n").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            Line line = new Line(event.getLoggerName(), rendered, written.toString());
            for (LogCapture capture : ACTIVE) {
                capture.lines.add(line);
            }
        }
    }
}
