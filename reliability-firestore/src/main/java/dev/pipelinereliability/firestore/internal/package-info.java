/**
 * Implementation details shared by the Firestore lock and the Firestore completion tracker. Not
 * part of the API: anything here may change without notice.
 */
package dev.pipelinereliability.firestore.internal;
