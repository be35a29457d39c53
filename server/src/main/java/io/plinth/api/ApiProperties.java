package io.plinth.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP API.
 *
 * @param maxBodySize  largest request body accepted; larger ones get 413 PAYLOAD_TOO_LARGE (default 1MB = 1 MiB)
 * @param defaultLimit rows per list page when the request gives no {@code limit} (default 20)
 * @param maxLimit     the largest {@code limit} a list request may ask for (default 100)
 * @param maxBulk      the most records one {@code _bulk} request may carry (default 1000)
 * @param maxIncludeDepth the deepest {@code include} path accepted, e.g. 2 for {@code line.product} (default 3)
 */
@ConfigurationProperties("plinth.api")
public record ApiProperties(DataSize maxBodySize, Integer defaultLimit, Integer maxLimit, Integer maxBulk,
                            Integer maxIncludeDepth) {
    public ApiProperties {
        maxIncludeDepth = maxIncludeDepth == null ? 3 : maxIncludeDepth;
        maxBodySize = maxBodySize == null ? DataSize.ofMegabytes(1) : maxBodySize;
        defaultLimit = defaultLimit == null ? 20 : defaultLimit;
        maxLimit = maxLimit == null ? 100 : maxLimit;
        maxBulk = maxBulk == null ? 1000 : maxBulk;
        if (defaultLimit < 1 || maxLimit < defaultLimit) {
            throw new IllegalArgumentException("plinth.api.default-limit must be at least 1 and at most plinth.api.max-limit");
        }
        if (maxBulk < 1) {
            throw new IllegalArgumentException("plinth.api.max-bulk must be at least 1");
        }
    }
}
