/**
 * Implementation details shared by several packages of the core module (JSON writing, for example).
 * Not part of the API: anything here may change without notice.
 */
@NullMarked
package dev.pipelinereliability.internal;

import org.jspecify.annotations.NullMarked;
