package io.plinth.query;

import io.plinth.record.RecordValues;

/**
 * What to write to a locked record: new field values and, for a transition, a new status.
 *
 * @param values field values to set (only the fields named change)
 * @param status the new lifecycle state, or null to keep it
 */
public record RecordChange(RecordValues values, String status) {

    /** Whether nothing would change. */
    public boolean isEmpty() {
        return values.values().isEmpty() && status == null;
    }
}
