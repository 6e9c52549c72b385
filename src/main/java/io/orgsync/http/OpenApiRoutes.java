package io.orgsync.http;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yaml}: the API document, docs/openapi.yaml as the build copied it into the
 * jar, so that a node serves the document of the code it runs.
 */
public final class OpenApiRoutes implements HttpServer.Routes {
    /** RFC 9512's media type for YAML. */
    public static final String CONTENT_TYPE = "application/yaml";

    private final byte[] document;

    public OpenApiRoutes() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException(
                        "openapi.yaml is missing from the classpath: build the jar with mvn package");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(
                "/openapi.yaml",
                ctx -> ctx.contentType(CONTENT_TYPE + "; charset=utf-8").result(document));
    }
}
