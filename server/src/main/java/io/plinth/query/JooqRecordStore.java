package io.plinth.query;

import io.plinth.definition.FieldDefinition;
import io.plinth.definition.FieldType;
import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import io.plinth.record.RecordValues;
import io.plinth.record.StoredRecord;
import io.plinth.schema.ResourceTable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** {@link RecordStore} on PostgreSQL through jOOQ; one statement per call, so each call is atomic by itself. */
@Repository
class JooqRecordStore implements RecordStore {

    private final DSLContext dsl;
    private final DatabaseErrors errors;
    private final Map<String, ResourceTable> tables = new LinkedHashMap<>();

    JooqRecordStore(DSLContext dsl, ResourceCatalog catalog) {
        this.dsl = dsl;
        this.errors = new DatabaseErrors();
        catalog.all().forEach(resource -> tables.put(resource.name(), new ResourceTable(resource)));
    }

    @Override
    public StoredRecord insert(ResourceDefinition resource, RecordValues values) {
        ResourceTable table = tables.get(resource.name());
        Map<Field<?>, Object> columns = new LinkedHashMap<>();
        values.values().forEach((name, value) -> {
            FieldDefinition field = resource.field(name).orElseThrow();
            columns.put(table.column(field), toColumnValue(field, value));
        });
        return errors.translate(table, () -> {
            var insert = columns.isEmpty()
                    ? dsl.insertInto(table.table()).defaultValues()
                    : dsl.insertInto(table.table()).set(columns);
            Record row = insert.returning(table.allColumns()).fetchOne();
            return toStored(table, row);
        });
    }

    @Override
    public Optional<StoredRecord> findById(ResourceDefinition resource, UUID id) {
        ResourceTable table = tables.get(resource.name());
        return errors.translate(table, () -> dsl.select(table.allColumns())
                .from(table.table())
                .where(table.id().eq(id))
                .fetchOptional()
                .map(row -> toStored(table, row)));
    }

    private static Object toColumnValue(FieldDefinition field, Object value) {
        return value != null && field.type() == FieldType.JSON ? JSONB.valueOf((String) value) : value;
    }

    private static StoredRecord toStored(ResourceTable table, Record row) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (FieldDefinition field : table.resource().fields()) {
            Object value = row.get(table.column(field));
            fields.put(field.name(), value instanceof JSONB json ? json.data() : value);
        }
        return new StoredRecord(row.get(table.id()), row.get(table.createdAt()), row.get(table.updatedAt()),
                row.get(table.status()), fields);
    }
}
