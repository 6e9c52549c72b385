package io.orgsync.resolve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.javalin.config.RoutesConfig;
import io.javalin.http.ContentTooLargeResponse;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.http.HttpServer;
import io.orgsync.http.IdFormats;
import io.orgsync.http.Json;
import io.orgsync.member.Mobile;
import java.io.IOException;

/** {@code POST /api/v1/members/resolve}. */
public final class ResolveRoutes implements HttpServer.Routes {
    /**
     * One JSON object and nothing else: trailing text, a second object or a repeated key would
     * otherwise be read leniently and resolve a number the caller may not have meant (each
     * resolve costs WeCom budget).
     */
    private static final ObjectReader STRICT = Json.MAPPER
            .reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final ResolveService service;

    public ResolveRoutes(ResolveService service) {
        this.service = service;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/api/v1/members/resolve", ctx -> {
            // A browser sends text/plain (or a form) cross-site without asking first: parsing such a
            // body as JSON would let any web page spend the enterprise's resolve budget.
            if (!isJson(ctx.contentType())) {
                throw invalid("send the body with 'Content-Type: application/json'");
            }
            byte[] bytes;
            try {
                bytes = ctx.bodyAsBytes();
            } catch (ContentTooLargeResponse e) {
                throw new RefusedException(Refusal.TOO_LARGE, "the body is too large (1 MB at most)");
            }
            JsonNode body;
            try {
                body = STRICT.readTree(bytes);
            } catch (IOException e) {
                throw invalid(
                        "the body must be one JSON object like {\"corpId\": \"ww...\", \"mobile\": \"13800000000\"}");
            }
            if (body == null
                    || !body.isObject()
                    || !body.path("corpId").isTextual()
                    || !body.path("mobile").isTextual()) {
                throw invalid("the body must be a JSON object with text fields corpId and mobile");
            }
            String corpId = body.get("corpId").asText();
            if (!IdFormats.CORP_ID.matcher(corpId).matches()) {
                throw invalid("corpId must be 1 to 64 letters, digits or _ . -");
            }
            String mobile = Mobile.normalise(body.get("mobile").asText())
                    .orElseThrow(() -> Mobile.invalid(body.get("mobile").asText()));
            // an upstream failure or a token not to be had is answered by the error mapping, as everywhere
            ctx.json(service.resolve(corpId, mobile));
        });
    }

    /** application/json, any case, with parameters such as charset. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    private static RefusedException invalid(String message) {
        return new RefusedException(Refusal.INVALID_REQUEST, message);
    }
}
