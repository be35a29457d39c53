/**
 * How declarations become PostgreSQL tables, and how the tables follow when declarations change.
 * {@link io.plinth.schema.ResourceTable} is the one mapping from a definition to a table (names, column types,
 * constraints, indexes) that both the DDL and the queries use. {@link io.plinth.schema.SchemaMigrator} plans (by
 * comparing PostgreSQL's catalog of the declared tables, built in a scratch schema, with the live ones), applies in
 * one transaction, rolls back and keeps the history (ADR-019); {@link io.plinth.schema.SchemaInitializer} runs it at
 * start-up. Depends on the definition component only.
 */
package io.plinth.schema;
