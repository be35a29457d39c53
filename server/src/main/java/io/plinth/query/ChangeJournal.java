package io.plinth.query;

import io.plinth.definition.ResourceDefinition;
import io.plinth.record.StoredRecord;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Told of every committed-to-be change inside the transaction that makes it, so that what it writes (the events
 * outbox) commits or rolls back together with the change. Implemented by the events component.
 */
public interface ChangeJournal {

    /**
     * Records one change.
     *
     * @param tx       the change's transaction; writes through it are atomic with the change
     * @param resource the record's resource
     * @param change   what happened
     */
    void record(DSLContext tx, ResourceDefinition resource, Change change);

    /** The kinds of change a record goes through. */
    enum Kind { CREATED, UPDATED, STATUS_CHANGED, DELETED }

    /**
     * One change of one record.
     *
     * @param kind          what happened
     * @param record        the record after the change (before it, for a deletion)
     * @param changedFields for updates: the fields whose value changed
     * @param from          for transitions: the previous state
     * @param to            for transitions: the new state
     * @param reason        for transitions: why, or null
     */
    record Change(Kind kind, StoredRecord record, List<String> changedFields, String from, String to, String reason) {
        public Change {
            changedFields = changedFields == null ? List.of() : List.copyOf(changedFields);
        }
    }
}
