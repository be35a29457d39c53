/**
 * The resource model: what a team declares. Immutable records ({@link io.plinth.definition.ResourceDefinition},
 * {@link io.plinth.definition.FieldDefinition}, {@link io.plinth.definition.Lifecycle}) read once from YAML by
 * {@link io.plinth.definition.DefinitionLoader}, checked completely (every problem reported with file, line, resource
 * and field), and looked up by name or path through {@link io.plinth.definition.ResourceCatalog}. Everything else in
 * Plinth (tables, validation, routes, documentation) is derived from these values. This package depends on nothing
 * of Plinth and nothing of Spring.
 */
package io.plinth.definition;
