/**
 * What an operator watches once the app is online: Prometheus meters of every prediction
 * and refusal, and one log line for each. The features report to it; it depends on none
 * of them.
 */
package org.mlpages.monitoring;
