package io.plinth.query;

import io.plinth.record.StoredRecord;
import java.util.List;

/**
 * One page of a list.
 *
 * @param records        the rows, in order
 * @param nextCursor     the opaque cursor of the next page, or null when this is the last
 * @param total          the number of matching rows when counted, else null
 * @param totalEstimated whether {@code total} is the planner's estimate rather than an exact count
 */
public record Page(List<StoredRecord> records, String nextCursor, Long total, boolean totalEstimated) {
    public Page {
        records = List.copyOf(records);
    }
}
