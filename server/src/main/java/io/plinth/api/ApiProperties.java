package io.plinth.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP API.
 *
 * @param maxBodySize largest request body accepted; larger ones get 413 PAYLOAD_TOO_LARGE (default 1MB = 1 MiB)
 */
@ConfigurationProperties("plinth.api")
public record ApiProperties(DataSize maxBodySize) {
    public ApiProperties {
        maxBodySize = maxBodySize == null ? DataSize.ofMegabytes(1) : maxBodySize;
    }
}
