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
 * @param createdBy the principal that created it, or null (created before Plinth recorded it, or by Plinth itself)
 * @param updatedBy the principal of its last change, or null
 * @param fields    declared field values by field name; null values included
 * @param included  related records embedded in place of reference ids, as JSON text, by reference field name
 */
public record StoredRecord(UUID id, OffsetDateTime createdAt, OffsetDateTime updatedAt, String status, long version,
                           String createdBy, String updatedBy, Map<String, Object> fields, Map<String, String> included) {
    public StoredRecord {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        included = included == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(included));
    }

    /** A record without embedded relations. */
    public StoredRecord(UUID id, OffsetDateTime createdAt, OffsetDateTime updatedAt, String status, long version,
                        String createdBy, String updatedBy, Map<String, Object> fields) {
        this(id, createdAt, updatedAt, status, version, createdBy, updatedBy, fields, Map.of());
    }
}
