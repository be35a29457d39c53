package io.plinth.query;

import io.plinth.definition.FieldDefinition;
import io.plinth.definition.ResourceDefinition;
import java.util.List;
import java.util.Set;

/**
 * A related record to embed in place of a reference's id ({@code include=customer,line.product}).
 *
 * @param field    the reference field on the parent
 * @param target   the referenced resource
 * @param children nested includes of the referenced record
 * @param fields   the referenced record's fields to return ({@code fields[customer]=name}), or null for all
 */
public record Include(FieldDefinition field, ResourceDefinition target, List<Include> children, Set<String> fields) {
    public Include {
        children = List.copyOf(children);
        fields = fields == null ? null : Set.copyOf(fields);
    }
}
