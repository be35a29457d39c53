package io.plinth.record;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A record as stored: the system columns and the declared fields' values in their Java form (json fields as JSON text).
 *
 * @param id        the primary key
 * @param createdAt when it was inserted
 * @param updatedAt when it last changed
 * @param status    its lifecycle state
 * @param version   1 when created, one more with every change; the record's ETag
 * @param fields    declared field values by field name; null values included
 */
public record StoredRecord(UUID id, OffsetDateTime createdAt, OffsetDateTime updatedAt, String status, long version,
                           Map<String, Object> fields) {
    public StoredRecord {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
