/**
 * What lets several instances serve one MySQL/MariaDB database behind a load balancer,
 * with no sticky sessions: the browser sessions kept in that database when asked
 * ({@code mlpages.sessions.in-database}) ({@link org.mlpages.cluster.SharedSessions}) and
 * the scheduled jobs locked there so that one instance runs each
 * ({@link org.mlpages.cluster.JobLocks}). On the default SQLite file only one instance
 * runs ({@link org.mlpages.system.SqliteSingleInstance}), and sessions stay in its
 * memory.
 */
package org.mlpages.cluster;
