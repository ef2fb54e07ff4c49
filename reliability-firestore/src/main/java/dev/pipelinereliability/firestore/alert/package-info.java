/**
 * The Firestore backend of {@link dev.pipelinereliability.health.alert.AlertHistory}: {@link
 * dev.pipelinereliability.firestore.alert.FirestoreAlertHistory}, which lets alert suppression work
 * across runs of a health-check job that starts a new process each time.
 */
@NullMarked
package dev.pipelinereliability.firestore.alert;

import org.jspecify.annotations.NullMarked;
