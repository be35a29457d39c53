package io.plinth.query;

import io.plinth.definition.ResourceDefinition;
import io.plinth.record.RecordValues;
import io.plinth.record.StoredRecord;
import java.util.Optional;
import java.util.UUID;

/** Stores and fetches records of declared resources. */
public interface RecordStore {

    /**
     * Inserts a record; omitted fields take their declared defaults and the status its initial state.
     *
     * @throws io.plinth.error.PlinthException CONFLICT for a taken unique value, SERVICE_UNAVAILABLE when the database
     *                                          cannot be reached
     */
    StoredRecord insert(ResourceDefinition resource, RecordValues values);

    /**
     * The record with this id, if it exists.
     *
     * @throws io.plinth.error.PlinthException SERVICE_UNAVAILABLE when the database cannot be reached
     */
    Optional<StoredRecord> findById(ResourceDefinition resource, UUID id);
}
