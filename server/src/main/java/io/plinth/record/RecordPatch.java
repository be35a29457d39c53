package io.plinth.record;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A validated JSON Merge Patch (RFC 7396) for one record: new values for plain fields, and patch documents for json
 * fields, which are merged into the stored value once it is known (under the row lock).
 *
 * @param values     new values of plain fields by name (null clears an optional field)
 * @param jsonPatches merge-patch documents of json fields by name
 */
public record RecordPatch(Map<String, Object> values, Map<String, JsonNode> jsonPatches) {
    public RecordPatch {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        jsonPatches = Collections.unmodifiableMap(new LinkedHashMap<>(jsonPatches));
    }

    /** Whether the patch changes nothing. */
    public boolean isEmpty() {
        return values.isEmpty() && jsonPatches.isEmpty();
    }
}
