/**
 * Where the app's settings and secrets come from, and which database it talks to.
 * <p>
 * Secrets live in operator files that Spring imports ({@code ./secrets.yml} in Spring's
 * own shape, {@code ./.streamlit/secrets.toml} in Streamlit's) and are turned into
 * ordinary Spring properties, so environment variables and command-line arguments still
 * override them by Spring's normal precedence. The database follows
 * {@code spring.datasource.url}: SQLite by default, MySQL or MariaDB (through MySQL
 * Connector/J) for a {@code jdbc:mysql:} URL; the Hibernate dialect and the Flyway
 * scripts follow it.
 * <p>
 * Nothing here ever logs or reports a value: errors name the file, the line and the key
 * only.
 */
package org.mlpages.config;
