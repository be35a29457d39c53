package io.plinth.record;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validated values for a write, by field name, in the Java form the definition component describes. A field that the
 * client left out is absent (the database default applies); a field the client set to null is present with null.
 */
public record RecordValues(Map<String, Object> values) {
    public RecordValues {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
