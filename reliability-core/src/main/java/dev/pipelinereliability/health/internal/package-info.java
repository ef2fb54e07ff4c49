/**
 * Implementation details of the health package: hand-written JSON escaping (the core module takes
 * no JSON dependency) and text helpers. Not part of the API; anything here may change without
 * notice.
 */
package dev.pipelinereliability.health.internal;
