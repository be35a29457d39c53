package io.plinth.definition;

import java.util.List;

/**
 * A declared index over one or more fields of a resource.
 *
 * @param name   the index name in the database
 * @param fields the indexed fields, in order
 * @param unique whether the combination must be unique
 */
public record IndexDefinition(String name, List<FieldDefinition> fields, boolean unique) {
    public IndexDefinition {
        fields = List.copyOf(fields);
    }
}
