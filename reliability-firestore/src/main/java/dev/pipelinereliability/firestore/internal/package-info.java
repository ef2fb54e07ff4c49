/**
 * Implementation details shared by the Firestore lock, completion tracker and alert history. Not
 * part of the API: anything here may change without notice.
 */
package dev.pipelinereliability.firestore.internal;
