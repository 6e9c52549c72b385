package io.orgsync.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches Javalin (a bad percent escape or
 * invalid UTF-8 in the URL, a NUL in the path, a header or URL too large): in the same JSON
 * error model as every other answer, instead of Jetty's HTML page, and with no detail beyond
 * the status reason (the cause of a bad message is Jetty's business, not the caller's).
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    /** Bad messages found while parsing, where no request exists yet. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(body(status));
    }

    static byte[] body(int status) {
        String code = status >= 500 ? "unavailable" : status == 404 ? "not_found" : "invalid_request";
        String reason = HttpStatus.getMessage(status);
        String message = status >= 500
                ? "the server could not answer (" + reason + "); retry later"
                : "the request could not be read (" + reason
                        + "): check the URL's percent-encoding (UTF-8), its length and the headers";
        try {
            return Json.MAPPER.writeValueAsBytes(Map.of("error", Map.of("code", code, "message", message)));
        } catch (Exception e) {
            return "{\"error\":{\"code\":\"invalid_request\",\"message\":\"the request could not be read\"}}"
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
