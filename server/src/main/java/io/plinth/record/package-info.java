/**
 * One record's way in and out: {@link io.plinth.record.RecordReader} parses a request body strictly (no coercion, no
 * duplicate keys, bounded nesting) and checks it against the resource definition, reporting every problem at once;
 * {@link io.plinth.record.RecordRenderer} turns a {@link io.plinth.record.StoredRecord} into the JSON the API returns
 * (camelCase names, ISO 8601 UTC timestamps, decimals with their declared scale). Depends on the definition component only.
 */
package io.plinth.record;
