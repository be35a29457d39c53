package io.plinth.query;

import io.plinth.record.RecordValues;

/**
 * What to write to a locked record: new field values and, for a transition, a new status and why.
 *
 * @param values field values to set (only the fields named change)
 * @param status the new lifecycle state, or null to keep it
 * @param reason why the state changes (transitions only), or null
 */
public record RecordChange(RecordValues values, String status, String reason) {

    /** A change of fields only. */
    public static RecordChange of(RecordValues values) {
        return new RecordChange(values, null, null);
    }

    /** A transition to another state. */
    public static RecordChange transition(String status, String reason) {
        return new RecordChange(new RecordValues(java.util.Map.of()), status, reason);
    }

    /** Whether nothing would change. */
    public boolean isEmpty() {
        return values.values().isEmpty() && status == null;
    }
}
