/**
 * Charts drawn on the server as inline SVG, for pages that must work without script: a
 * chart is computed here (positions in percent of its track, numbers for attributes in
 * {@code Locale.ROOT}, numbers a person reads in the reader's locale) and drawn by the
 * {@code fragments/chart} template.
 */
package org.mlpages.chart;
