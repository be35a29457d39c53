/**
 * How declarations become PostgreSQL tables. {@link io.plinth.schema.ResourceTable} is the one mapping from a
 * definition to a table (names, column types, constraints, indexes) that both the DDL and the queries use;
 * {@link io.plinth.schema.SchemaInitializer} creates missing tables at start-up and refuses to serve a table whose
 * declaration has changed since it was created. Depends on the definition component only.
 */
package io.plinth.schema;
