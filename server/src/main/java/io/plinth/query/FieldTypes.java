package io.plinth.query;

import io.plinth.definition.FieldDefinition;
import io.plinth.definition.FieldType;
import io.plinth.definition.ResourceDefinition;
import java.util.Optional;

/** The type of any field a list may filter or sort on: declared fields and the system fields. */
final class FieldTypes {

    private FieldTypes() {
    }

    static Optional<FieldType> of(ResourceDefinition resource, String name) {
        return switch (name) {
            case "id" -> Optional.of(FieldType.UUID);
            case "createdAt", "updatedAt" -> Optional.of(FieldType.TIMESTAMP);
            case "status" -> Optional.of(FieldType.STRING);
            case "version" -> Optional.of(FieldType.LONG);
            case "createdBy", "updatedBy" -> Optional.of(FieldType.STRING);
            default -> resource.field(name).map(FieldDefinition::type);
        };
    }

    /** Whether the column can hold NULL (system fields never do). */
    static boolean nullable(ResourceDefinition resource, String name) {
        return name.equals("createdBy") || name.equals("updatedBy")
                || resource.field(name).map(f -> !f.required()).orElse(false);
    }
}
