/**
 * Reads and writes records with jOOQ: every identifier quoted, every value bound. {@link io.plinth.query.RecordStore}
 * is the component's public face; database failures are turned into Plinth's error codes here, where their SQLSTATE
 * is understood (a unique violation is a CONFLICT, an unreachable database is SERVICE_UNAVAILABLE), so that no SQL or
 * driver detail travels further up. Depends on definition, record and schema.
 */
package io.plinth.query;
