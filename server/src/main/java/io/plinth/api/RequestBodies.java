package io.plinth.api;

import io.plinth.error.ErrorCode;
import io.plinth.error.PlinthException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.stereotype.Component;

/**
 * Reads request bodies up to the configured limit. A declared Content-Length over the limit is refused before reading;
 * a chunked body is refused as soon as it passes the limit, so an oversized body never fills memory.
 */
@Component
class RequestBodies {

    private final long limit;

    RequestBodies(ApiProperties properties) {
        this.limit = properties.maxBodySize().toBytes();
    }

    byte[] read(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (body.length > limit) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw new PlinthException(ErrorCode.MALFORMED_REQUEST, "The request body could not be read completely.",
                    java.util.List.of(), e);
        }
    }

    private PlinthException tooLarge() {
        return new PlinthException(ErrorCode.PAYLOAD_TOO_LARGE,
                "The request body is larger than the limit of " + limit + " bytes.");
    }
}
