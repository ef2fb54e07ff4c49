/** Tests that span the example packages, such as the rule that they import each other in layers. */
@NullMarked
package dev.pipelinereliability.examples;

import org.jspecify.annotations.NullMarked;
