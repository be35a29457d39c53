package io.plinth.query;

import io.plinth.definition.FieldDefinition;
import io.plinth.definition.ResourceDefinition;
import java.util.List;
import java.util.Set;

/**
 * Related records to embed ({@code include=customer,lines.product}): a referenced record in place of its id (to-one),
 * or the records of a declared to-many relation as an array.
 *
 * @param name     the reference field's or the relation's name on the parent
 * @param field    the reference field on the parent (to-one), or null
 * @param relation the to-many relation of the parent, or null
 * @param target   the related resource
 * @param children nested includes of the related records
 * @param fields   the related records' fields to return ({@code fields[customer]=name}), or null for all
 */
public record Include(String name, FieldDefinition field, ResourceDefinition.Relation relation, ResourceDefinition target,
                      List<Include> children, Set<String> fields) {
    public Include {
        children = List.copyOf(children);
        fields = fields == null ? null : Set.copyOf(fields);
    }
}
