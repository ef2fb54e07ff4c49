/**
 * Implementation details shared by the Firestore lock, completion tracker and alert history. Not
 * part of the API: anything here may change without notice.
 */
@NullMarked
package dev.pipelinereliability.firestore.internal;

import org.jspecify.annotations.NullMarked;
