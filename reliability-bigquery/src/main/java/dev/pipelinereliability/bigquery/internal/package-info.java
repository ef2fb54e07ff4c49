/**
 * Not API: identifier validation and quoting, query parameters, statement texts, load data and the
 * query-job helper that the BigQuery backends share. Public only so the backend packages can reach
 * it; it may change in any release without notice, and nothing outside reliability-bigquery should
 * import it.
 */
@NullMarked
package dev.pipelinereliability.bigquery.internal;

import org.jspecify.annotations.NullMarked;
