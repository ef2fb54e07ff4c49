/** Compiles and runs the {@code java} blocks of the project's READMEs against its API. */
@NullMarked
package dev.pipelinereliability.readme;

import org.jspecify.annotations.NullMarked;
